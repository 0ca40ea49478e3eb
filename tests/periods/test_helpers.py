"""The period helpers other modules word and check periods with, beyond their doctests
(survivors of the Python mutation run, mutants/SURVIVORS.md). Every expected value is worked by
hand from the calendar."""

from __future__ import annotations

import warnings
from datetime import date

import pytest

from groomstats import PeriodError, SeriesBreakWarning, parse_period
from groomstats.periods import (
    check_series_break,
    decimal_year,
    describe_period,
    financial_year_start,
    is_series_break_date,
)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (date(2018, 4, 1), date(2019, 3, 31), "2018/19"),
        (date(2017, 4, 3), date(2018, 3, 31), "2017/18 (from 3 April 2017)"),
        (date(2017, 4, 1), date(2017, 12, 31), "April-December 2017"),
        (date(2017, 6, 1), date(2017, 6, 30), "June 2017"),
        (date(2017, 1, 1), date(2017, 1, 31), "January 2017"),
        (date(2017, 11, 1), date(2018, 2, 28), "November 2017-February 2018"),
        (date(2018, 4, 1), date(2020, 3, 31), "April 2018-March 2020"),  # two years: no FY
        (date(2018, 4, 1), date(2019, 3, 30), "1 April 2018-30 March 2019"),  # not a month end
        (date(2017, 4, 3), date(2017, 10, 2), "3 April-2 October 2017"),
        (date(2017, 12, 15), date(2018, 1, 10), "15 December 2017-10 January 2018"),
        (date(2017, 12, 1), date(2017, 12, 15), "1 December-15 December 2017"),
        (date(2017, 3, 1), date(2018, 4, 30), "March 2017-April 2018"),
    ],
)
def test_describe_period(start: date, end: date, words: str) -> None:
    assert describe_period(start, end) == words


def test_decimal_year() -> None:
    assert decimal_year(date(2017, 1, 1)) == 2017.0
    assert decimal_year(date(2017, 7, 2)) == pytest.approx(2017 + 182 / 365)
    assert decimal_year(date(2020, 12, 31)) == pytest.approx(2020 + 365 / 366)  # leap year
    assert decimal_year(date(2017, 4, 1)) == pytest.approx(2017 + 90 / 365)


def test_series_break_dates_are_1_to_3_april_2017() -> None:
    days = [date(2017, 3, 31), date(2017, 4, 1), date(2017, 4, 3), date(2017, 4, 4)]
    assert [is_series_break_date(d) for d in days] == [False, True, True, False]
    assert not is_series_break_date(date(2018, 4, 2))


def _public(**kwargs: object) -> None:
    """A public function of the package calling the rule (default stacklevel=2): its warning
    points at the line that called the public function."""
    check_series_break(date(2016, 4, 1), date(2018, 3, 31), **kwargs)  # type: ignore[arg-type]


def test_check_series_break_warns_at_the_caller() -> None:
    a, b = date(2016, 4, 1), date(2018, 3, 31)
    with pytest.warns(SeriesBreakWarning, match="crosses") as rec:
        _public(allow=False, refuse=False, message="crosses")
    assert rec[0].filename == __file__
    assert rec[0].lineno == test_check_series_break_warns_at_the_caller.__code__.co_firstlineno + 3
    with pytest.warns(SeriesBreakWarning, match="allowed") as rec:
        _public(allow=True, refuse=True, message="x", allowed_message="allowed")
    assert rec[0].filename == __file__
    assert rec[0].lineno == test_check_series_break_warns_at_the_caller.__code__.co_firstlineno + 7
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_series_break(a, b, allow=True, refuse=True, message="x")  # allowed, silent
        check_series_break(date(2017, 4, 1), b, allow=False, refuse=True, message="x")
    with pytest.raises(PeriodError, match=r"^crosses$"):
        check_series_break(a, b, allow=False, refuse=True, message="crosses")


def test_financial_year_start() -> None:
    m = financial_year_start("2017/18")
    assert m is not None and m.groups() == ("2017", "18")
    assert financial_year_start("2017/18 Q1") is None
    m = financial_year_start("2017/18 Q1", whole=False)
    assert m is not None and m[1] == "2017"
    assert financial_year_start("Kent") is None
    assert financial_year_start("Kent", whole=False) is None


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("financial year to April 2019", "2018/19"),
        ("financial year ending 2019", "2018/19"),
        ("financial year ending 31 March 2019", "2018/19"),
        ("financial year ending March 2019", "2018/19"),
    ],
)
def test_financial_year_ending_phrases(text: str, label: str) -> None:
    assert parse_period(text).label == label


@pytest.mark.parametrize(
    "text",
    [
        "financial year to 30 April 2019",  # a day in April is no financial-year end
        "financial year ending April 2019",  # only 'to April' is the NSPCC phrase
        "financial year ending 30 March 2019",
    ],
)
def test_a_financial_year_ends_on_31_march(text: str) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert str(err.value) == (
        f"period '{text}': a financial year ends on 31 March; write 'financial year ending "
        "March 2019' (2018/19) or give the window, e.g. '12 months to 2019-04-30'"
    )


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        (
            "FY2019",
            "the financial year ending March 2019 (2018-04-01..2019-03-31), written '2018/19'; "
            "or the financial year starting April 2019 (2019-04-01..2020-03-31), written "
            "'2019/20'",
        ),
        (
            "year ending 2019",
            "the calendar year 2019 (2019-01-01..2019-12-31), written 'CY2019'; or the "
            "financial year ending March 2019 (2018-04-01..2019-03-31), written '2018/19'",
        ),
        (
            "2017-2018-2019",
            # a chain of consecutive years: financial or calendar years (the readings a person
            # means; it used to list two splits that mixed a calendar and a financial year)
            "the financial years 2017/18 to 2018/19 (2017-04-01..2019-03-31), written "
            "'2017/18..2018/19'; or the calendar years 2017 to 2019 (2017-01-01..2019-12-31), "
            "written '2017-01-01..2019-12-31'",
        ),
    ],
)
def test_two_readings_are_both_listed(text: str, readings: str) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert str(err.value) == (
        f"period '{text}' has two common readings: {readings}. groomstats does not choose: "
        "write the one you mean"
    )

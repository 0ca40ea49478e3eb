"""Dashed period spellings that used to be read one way silently (found by hostile testing).

* ``'2017-18-19'`` was read as 2017-01-01..2019-03-31 (calendar 2017 to financial 2018/19);
* ``'2017-04 - 06'`` was read as the single day 2017-04-06;
* ``'2017-2018-2019-2020'`` was read as 2017/18..2019/20, although ``'2017-2018'`` alone is
  refused as having two readings.

The rule (``docs/periods.md``, "spacing around `-`"): the spelling joined (no spaces around
its dashes) and the spelling split at a spaced dash are both readings. When they differ the
spelling is refused, listing each reading and how to write it; an unspaced ISO date
(``2017-04-06``) has only the joined reading and stays a day. A chain of consecutive years is
financial or calendar years, and an end of a range with two readings gives the range two.

Every expected date below is worked by hand from the rule "a financial year runs 1 April to
31 March" and the calendar.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import groomstats
from groomstats import GroomstatsError, Period, PeriodError


def _refused(text: str) -> str:
    with pytest.raises(PeriodError) as info:
        Period.parse(text)
    assert isinstance(info.value, GroomstatsError)
    msg = str(info.value)
    assert msg.startswith(f"period '{text}' has "), msg  # names the value as written
    assert msg.endswith("groomstats does not choose: write the one you mean"), msg
    return msg


@pytest.mark.parametrize("text", ["2017-04 - 06", "2017-04- 06", "2017-04 -06", "2017 - 04 - 06"])
def test_a_spaced_dash_before_a_month_number_is_a_day_or_three_months(text: str) -> None:
    msg = _refused(text)
    # the day, 6 April 2017, and how to write it
    assert "the day 6 April 2017, written '2017-04-06'" in msg
    # April to June 2017: 1 April to 30 June (June has 30 days)
    assert "(2017-04-01..2017-06-30), written '2017-04..2017-06'" in msg
    assert "two common readings" in msg


def test_the_unspaced_iso_day_stays_a_day_and_the_fixes_read_as_offered() -> None:
    p = Period.parse("2017-04-06")
    assert (p.start, p.end) == (date(2017, 4, 6), date(2017, 4, 6))
    q = Period.parse("2017-04..2017-06")  # the spelling the error offers for the months
    assert (q.start, q.end, q.label) == (date(2017, 4, 1), date(2017, 6, 30), "2017/18 Q1")


def test_a_month_range_crossing_new_year_is_offered_as_such() -> None:
    msg = _refused("2017-12 - 03")
    assert "the day 3 December 2017, written '2017-12-03'" in msg
    # December 2017 to March 2018: 1 December 2017 to 31 March 2018
    assert "(2017-12-01..2018-03-31), written '2017-12..2018-03'" in msg


def test_a_number_that_cannot_be_a_month_leaves_only_the_day() -> None:
    # 16 is no month, so '2017-04 - 16' has one reading: 16 April 2017
    p = Period.parse("2017-04 - 16")
    assert (p.start, p.end) == (date(2017, 4, 16), date(2017, 4, 16))


@pytest.mark.parametrize("text", ["2017-18-19", "2017-18 - 19", "2017 - 18 - 19", "2017-18-2019"])
def test_a_chain_of_three_years_is_refused(text: str) -> None:
    msg = _refused(text)
    # 2017/18 starts 1 April 2017; 2018/19 ends 31 March 2019
    assert "the financial years 2017/18 to 2018/19 (2017-04-01..2019-03-31)" in msg
    assert "written '2017/18..2018/19'" in msg
    # calendar 2017 starts 1 January 2017; calendar 2019 ends 31 December 2019
    assert "the calendar years 2017 to 2019 (2017-01-01..2019-12-31)" in msg
    # the old silent reading (1 January 2017 to 31 March 2019) is not taken
    assert Period.parse("2017/18..2018/19").days == 365 + 365  # both offered spellings read
    assert Period.parse("2017-01-01..2019-12-31").days == 365 * 3


def test_a_chain_of_four_long_years_is_refused() -> None:
    msg = _refused("2017-2018-2019-2020")
    # 2017/18 to 2019/20: 1 April 2017 to 31 March 2020
    assert "the financial years 2017/18 to 2019/20 (2017-04-01..2020-03-31)" in msg
    assert "written '2017/18..2019/20'" in msg
    # calendar 2017 to 2020: 1 January 2017 to 31 December 2020
    assert "the calendar years 2017 to 2020 (2017-01-01..2020-12-31)" in msg


def test_an_end_with_two_readings_gives_the_range_two() -> None:
    """Years that are not one chain: '2015-2016' and '2018-2019' each have two readings."""
    msg = _refused("2015-2016-2018-2019")
    # as financial years: 2015/16 starts 1 April 2015, 2018/19 ends 31 March 2019
    assert "the window 2015-04-01..2019-03-31, reading '2015-2016' and '2018-2019' as " in msg
    # as calendar years: 1 January 2015 to 31 December 2019
    assert "the window 2015-01-01..2019-12-31" in msg
    msg = _refused("2017-2018 - 2020")
    # the end 2020 is a calendar year either way: 31 December 2020
    assert "the window 2017-04-01..2020-12-31, reading '2017-2018' as financial years" in msg
    assert "the window 2017-01-01..2020-12-31, reading '2017-2018' as calendar years" in msg


def test_a_calendar_year_to_a_financial_year_is_refused() -> None:
    msg = _refused("2017 - 2018/19")
    # as written: 1 January 2017 to 31 March 2019; or 2017/18 to 2018/19
    assert "the window 2017-01-01..2019-03-31 (one end a calendar year" in msg
    assert "the financial years 2017/18 to 2018/19 (2017-04-01..2019-03-31)" in msg
    msg = _refused("2016/17 - 2019")
    assert "3 possible readings" in msg
    assert "the window 2016-04-01..2019-12-31" in msg
    # 2019 as the financial year ending March 2019, or the one starting April 2019
    assert "2016/17 to 2018/19 (2016-04-01..2019-03-31)" in msg
    assert "2016/17 to 2019/20 (2016-04-01..2020-03-31)" in msg


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2017-18-2018-19", date(2017, 4, 1), date(2019, 3, 31)),  # two financial years
        ("2017/18 - 2018/19", date(2017, 4, 1), date(2019, 3, 31)),
        ("2017-04-2017-06", date(2017, 4, 1), date(2017, 6, 30)),  # two months
        ("2017-04 - 2017-06", date(2017, 4, 1), date(2017, 6, 30)),
        ("2017-04-01 - 2017-12-31", date(2017, 4, 1), date(2017, 12, 31)),
        ("2017 - 04-01", date(2017, 4, 1), date(2017, 4, 1)),  # no range reading: the day
        ("2011-12-13", date(2011, 12, 13), date(2011, 12, 13)),  # ISO, though 11, 12, 13
        ("2016 - 2018", date(2016, 1, 1), date(2018, 12, 31)),
    ],
)
def test_spellings_with_one_reading_are_still_read(text: str, start: date, end: date) -> None:
    p = Period.parse(text)
    assert (p.start, p.end) == (start, end)


def test_a_spaced_iso_day_that_is_also_a_chain_lists_all_three() -> None:
    msg = _refused("2011 - 12 - 13")
    assert "3 possible readings" in msg
    assert "the day 13 December 2011, written '2011-12-13'" in msg
    assert "the financial years 2011/12 to 2012/13 (2011-04-01..2013-03-31)" in msg
    assert "the calendar years 2011 to 2013 (2011-01-01..2013-12-31)" in msg


def test_a_period_cell_in_a_file_names_file_row_and_column(tmp_path: Path) -> None:
    p = tmp_path / "foi.csv"
    p.write_text(
        "Force,Financial Year,Snapchat,Instagram\nKent,2023/24,41,12\nEssex,2017-18-19,3,4\n",
        encoding="utf-8",
    )
    with pytest.raises(PeriodError) as info:
        groomstats.read_breakdown(p, category="platform")
    msg = str(info.value)
    assert "period '2017-18-19' has two common readings" in msg
    assert "foi.csv" in msg and "Financial Year" in msg and "row 3" in msg, msg

"""Period parsing: the spellings users type, canonical labels, and clear refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import groomstats
from groomstats import Period, PeriodError, parse_period
from groomstats.periods import from_days, to_days

D = date


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "kind"),
    [
        ("2017/18", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        ("2017-18", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        ("FY2017/18", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        ("fy 2017-18", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        ("2017/2018", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        ("2024_25", D(2024, 4, 1), D(2025, 3, 31), "2024/25", "financial_year"),
        (
            "financial year to April 2019",
            D(2018, 4, 1),
            D(2019, 3, 31),
            "2018/19",
            "financial_year",
        ),
        ("year to March 2018", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        ("1999/00", D(1999, 4, 1), D(2000, 3, 31), "1999/00", "financial_year"),
        ("17/18", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        ("financial year 2017/18", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
        (
            "financial year ending March 2018",
            D(2017, 4, 1),
            D(2018, 3, 31),
            "2017/18",
            "financial_year",
        ),
        (
            "2017/18 Q1-Q3",
            D(2017, 4, 1),
            D(2017, 12, 31),
            "2017-04-01..2017-12-31",
            "window",
        ),
        ("2017/18 Q1", D(2017, 4, 1), D(2017, 6, 30), "2017/18 Q1", "quarter"),
        ("Q1 2017/18", D(2017, 4, 1), D(2017, 6, 30), "2017/18 Q1", "quarter"),
        ("q4 2017-18", D(2018, 1, 1), D(2018, 3, 31), "2017/18 Q4", "quarter"),
        ("quarter 3 2017/18", D(2017, 10, 1), D(2017, 12, 31), "2017/18 Q3", "quarter"),
        ("2017-04", D(2017, 4, 1), D(2017, 4, 30), "April 2017", "month"),
        ("April 2017", D(2017, 4, 1), D(2017, 4, 30), "April 2017", "month"),
        ("Feb 2016", D(2016, 2, 1), D(2016, 2, 29), "February 2016", "month"),
        ("2017", D(2017, 1, 1), D(2017, 12, 31), "2017", "calendar_year"),
        ("CY2017", D(2017, 1, 1), D(2017, 12, 31), "2017", "calendar_year"),
        (
            "12 months to 2018-09-30",
            D(2017, 10, 1),
            D(2018, 9, 30),
            "12 months to 2018-09-30",
            "rolling",
        ),
        (
            "year ending September 2018",
            D(2017, 10, 1),
            D(2018, 9, 30),
            "12 months to 2018-09-30",
            "rolling",
        ),
        (
            "2017-04-01..2017-12-31",
            D(2017, 4, 1),
            D(2017, 12, 31),
            "2017-04-01..2017-12-31",
            "window",
        ),
        (
            "April to December 2017",
            D(2017, 4, 1),
            D(2017, 12, 31),
            "2017-04-01..2017-12-31",
            "window",
        ),
        (
            "first six months from 2017-04-03",
            D(2017, 4, 3),
            D(2017, 10, 2),
            "2017-04-03..2017-10-02",
            "window",
        ),
        (
            "1 April 2013 to 31 December 2017",
            D(2013, 4, 1),
            D(2017, 12, 31),
            "2013-04-01..2017-12-31",
            "window",
        ),
        ("October to March 2018", D(2017, 10, 1), D(2018, 3, 31), "2017/18 Q3..Q4", None),
        ("2017-04-01 – 2018-03-31", D(2017, 4, 1), D(2018, 3, 31), "2017/18", "financial_year"),
    ],
)
def test_spellings(text: str, start: date, end: date, label: str, kind: str | None) -> None:
    p = Period.parse(text)
    assert (p.start, p.end) == (start, end)
    if kind is not None:
        assert (p.label, p.kind) == (label, kind)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("2017/19", "expected '2017/18'"),
        ("2017/18 Q5", "quarter 5 does not exist"),
        ("Q0 2017/18", "quarter 0 does not exist"),
        ("2017-12-31..2017-04-01", "before it starts"),
        ("banana", "expected a financial year"),
        ("2017-02-30", "no date 2017-02-30"),
        ("Q1 2018", "ambiguous"),
        ("2011-12", "ambiguous"),
    ],
)
def test_nonsense_raises_period_error_naming_text(text: str, needle: str) -> None:
    with pytest.raises(PeriodError) as info:
        Period.parse(text)
    msg = str(info.value)
    assert needle in msg
    assert f"'{text}'" in msg
    assert isinstance(info.value, ValueError)


def test_parse_period_accepts_period_and_dates() -> None:
    p = Period.parse("2017/18")
    assert parse_period(p) is p
    assert parse_period((D(2017, 4, 1), D(2018, 3, 31))) == p
    with pytest.raises(PeriodError, match="expected a period spelling"):
        parse_period(2017)  # type: ignore[arg-type]
    with pytest.raises(PeriodError, match="before it starts"):
        parse_period((D(2018, 1, 1), D(2017, 1, 1)))


def test_granules_tile_or_refuse() -> None:
    fy = Period.parse("2017/18")
    assert [q.label for q in fy.granules("quarter")] == [f"2017/18 Q{i}" for i in range(1, 5)]
    assert len(fy.granules("month")) == 12
    with pytest.raises(PeriodError, match="ends part-way through financial year 2017/18"):
        Period.parse("2013-04..2017-12").granules("financial_year")
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'quarter'"):
        fy.granules("quartr")  # type: ignore[arg-type]


def test_window_cutting_a_quarter_is_refused() -> None:
    with pytest.raises(PeriodError, match="part-way through quarter 2017/18 Q3"):
        Period.parse("2017-04-01..2017-11-30").granules("quarter")


def test_shift_and_series_break() -> None:
    assert Period.parse("2018/19").shift_years(-1).label == "2017/18"
    assert Period.parse("February 2017").shift_years(-1).end == D(2016, 2, 29)
    assert Period.parse("2016/17 Q4..2017/18 Q1").crosses(groomstats.SERIES_BREAK)
    assert not Period.parse("2017/18").crosses(groomstats.SERIES_BREAK)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 31)))
def test_days_round_trip_matches_python(d: date) -> None:
    n = to_days(d)
    assert from_days(n) == d
    p = Period.from_bounds(d, d)
    assert (p.start, p.end) == (d, d)
    # The ISO spelling parses back to the same day.
    assert Period.parse(d.isoformat()).start == d


@given(
    st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 1, 1)),
    st.integers(min_value=0, max_value=3000),
)
def test_window_spelling_round_trips(d: date, length: int) -> None:
    e = d + timedelta(days=length)
    p = Period.parse(f"{d.isoformat()}..{e.isoformat()}")
    assert (p.start, p.end) == (d, e)
    assert p.days == length + 1
    assert Period.parse(p.label) == p


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=4))
def test_quarters_are_in_their_financial_year(y: int, q: int) -> None:
    fy = Period.parse(f"{y}/{(y + 1) % 100:02d}")
    qp = Period.parse(f"Q{q} {fy.label}")
    assert fy.start <= qp.start <= qp.end <= fy.end
    assert fy.granules("quarter")[q - 1] == qp

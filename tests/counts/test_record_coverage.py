"""``count_records`` and the days the records cover (``covers=``).

Record-level data (one row per offence) say nothing about the days without a record: an
extract taken on 15 November 2017 and an extract of the whole quarter with no offence after
15 November look the same. Without ``covers`` each period is counted whole and a
``PeriodCoverageWarning`` names the first or last period the records may cover only in part,
with both readings; with ``covers`` a part period is given as the days covered (so ``totals``
sees its year as incomplete) and a group with no record in a covered period gets 0.

SYNTHETIC records, written out below; every expected figure is counted by hand from them.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any

import pandas as pd
import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError, GroomstatsError, PeriodCoverageWarning

# SYNTHETIC: Kent has records in Q1 and Q3 of 2017/18 only, Essex in Q1, Q2 and Q3; the
# last record is on 15 November 2017, the first on 1 April 2017
RECORDS = pl.DataFrame(
    {
        "force": ["Kent", "Kent", "Kent", "Essex", "Essex", "Essex", "Essex"],
        "date": [
            date(2017, 4, 1),
            date(2017, 6, 30),
            date(2017, 10, 2),
            date(2017, 5, 9),
            date(2017, 7, 1),
            date(2017, 9, 30),
            date(2017, 11, 15),
        ],
    }
)
TO_15_NOV = (date(2017, 4, 1), date(2017, 11, 15))


def _counted(data: object, **options: Any) -> pl.DataFrame:
    """``count_records(data, date="date", **options)`` with every warning turned into an error
    (none is expected)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return groomstats.count_records(data, date="date", **options)


def test_without_covers_a_period_the_records_end_inside_is_named_with_both_readings() -> None:
    with pytest.warns(PeriodCoverageWarning) as caught:
        out = groomstats.count_records(RECORDS, by="force", date="date")
    message = str(caught[0].message)
    assert "2017/18 Q3 ends 2017-12-31, the records on 2017-11-15" in message
    assert "begins" not in message  # the first record is on the first day of 2017/18 Q1
    assert "covers=(datetime.date(2017, 4, 1), datetime.date(2017, 11, 15))" in message
    assert "covers=(datetime.date(2017, 4, 1), datetime.date(2017, 12, 31)) counts them whole" in (
        message
    )
    assert caught[0].filename == __file__  # points at the caller's line
    # counted whole, as before; Kent has no row for Q2 (absent, not 0)
    assert out.select("force", "period", "period_end", "offences").rows() == [
        ("Essex", "2017/18 Q1", date(2017, 6, 30), 1),
        ("Essex", "2017/18 Q2", date(2017, 9, 30), 2),
        ("Essex", "2017/18 Q3", date(2017, 12, 31), 1),
        ("Kent", "2017/18 Q1", date(2017, 6, 30), 2),
        ("Kent", "2017/18 Q3", date(2017, 12, 31), 1),
    ]


def test_the_first_period_begun_late_is_named_too() -> None:
    late = RECORDS.filter(pl.col("date") > date(2017, 4, 1))  # first record now 9 May
    with pytest.warns(
        PeriodCoverageWarning,
        match=r"2017/18 Q1 begins 2017-04-01, the records "
        r"on 2017-05-09; 2017/18 Q3 ends 2017-12-31, the records on 2017-11-15",
    ):
        groomstats.count_records(late, by="force", date="date")


def test_covers_gives_the_part_period_as_the_days_covered_and_zeros_for_empty_periods() -> None:
    out = _counted(RECORDS, by="force", covers=TO_15_NOV)
    assert out.rows() == [
        ("Essex", "2017/18 Q1", date(2017, 4, 1), date(2017, 6, 30), 1),
        ("Essex", "2017/18 Q2", date(2017, 7, 1), date(2017, 9, 30), 2),
        ("Essex", "2017-10-01..2017-11-15", date(2017, 10, 1), date(2017, 11, 15), 1),
        ("Kent", "2017/18 Q1", date(2017, 4, 1), date(2017, 6, 30), 2),
        ("Kent", "2017/18 Q2", date(2017, 7, 1), date(2017, 9, 30), 0),  # covered, no record
        ("Kent", "2017-10-01..2017-11-15", date(2017, 10, 1), date(2017, 11, 15), 1),
    ]


def test_totals_sees_the_year_of_a_part_period_as_incomplete() -> None:
    counts = groomstats.count_records(RECORDS, by="force", date="date", covers=TO_15_NOV)
    year = groomstats.totals(counts, by="force", window="2017/18").sort("force")
    # 16 November 2017 to 31 March 2018: 15 + 31 + 31 + 28 + 31 = 136 days not covered
    assert year.select("force", "offences", "days_missing", "complete").rows() == [
        ("Essex", 4, 136, False),
        ("Kent", 3, 136, False),
    ]
    # the days covered, whole: complete, and Kent's empty Q2 is a 0, not a missing quarter
    covered = groomstats.totals(counts, by="force").sort("force")
    assert covered.select("force", "period", "offences", "days_missing", "complete").rows() == [
        ("Essex", "2017-04-01..2017-11-15", 4, 0, True),
        ("Kent", "2017-04-01..2017-11-15", 3, 0, True),
    ]


def test_without_covers_an_empty_quarter_stays_missing_in_totals() -> None:
    with pytest.warns(PeriodCoverageWarning):
        counts = groomstats.count_records(RECORDS, by="force", date="date")
    kent = groomstats.totals(counts, by="force").filter(pl.col("force") == "Kent")
    assert kent.select("periods_expected", "periods_present", "days_missing", "complete").row(
        0
    ) == (3, 2, 92, False)


def test_covers_of_whole_periods_counts_them_whole() -> None:
    whole = (date(2017, 4, 1), date(2018, 3, 31))
    out = _counted(RECORDS, granularity="financial_year", covers=whole)
    assert out.rows() == [("2017/18", date(2017, 4, 1), date(2018, 3, 31), 7)]


def test_months_without_by_get_zeros_inside_covers() -> None:
    from_august = RECORDS.filter(pl.col("date") >= date(2017, 8, 1))  # 30 Sep, 2 Oct, 15 Nov
    out = _counted(from_august, granularity="month", covers=(date(2017, 8, 1), date(2017, 11, 30)))
    assert out.select("period", "offences").rows() == [
        ("August 2017", 0),
        ("September 2017", 1),
        ("October 2017", 1),
        ("November 2017", 1),
    ]


def test_records_outside_covers_are_refused_naming_the_dates() -> None:
    with pytest.raises(
        DataFormatError,
        match=r"records dated from 2017-04-01 to 2017-11-15, "
        r"outside covers=\(2017-04-01, 2017-10-31\)",
    ):
        groomstats.count_records(
            RECORDS, by="force", date="date", covers=(date(2017, 4, 1), date(2017, 10, 31))
        )


@pytest.mark.parametrize(
    ("covers", "match"),
    [
        ((date(2017, 11, 15), date(2017, 4, 1)), "ends before it starts"),
        (("2017-04-01", "2017-11-15"), "not a date"),
        ((date(2017, 4, 1),), "first and last day"),
        ("2017/18", "first and last day"),
    ],
)
def test_bad_covers_are_refused(covers: object, match: str) -> None:
    with pytest.raises(GroomstatsError, match=match):
        groomstats.count_records(RECORDS, by="force", date="date", covers=covers)  # type: ignore[arg-type]


def test_covers_without_date_is_refused() -> None:
    with pytest.raises(GroomstatsError, match="needs date="):
        groomstats.count_records(RECORDS, by="force", covers=TO_15_NOV)


def test_every_engine_gives_the_same_counts_with_covers() -> None:
    want = groomstats.count_records(RECORDS, by="force", date="date", covers=TO_15_NOV)
    engines = [RECORDS.to_pandas(), RECORDS.lazy()]
    duckdb = pytest.importorskip("duckdb")
    engines.append(duckdb.from_arrow(RECORDS.to_arrow()))
    for data in engines:
        got = _counted(data, by="force", covers=TO_15_NOV)
        assert got.equals(want), type(data)


def test_datetimes_are_read_as_their_day() -> None:
    stamped = RECORDS.with_columns(pl.col("date").cast(pl.Datetime("us")) + pl.duration(hours=23))
    got = groomstats.count_records(
        pd.DataFrame(stamped.to_pandas()), by="force", date="date", covers=TO_15_NOV
    )
    want = groomstats.count_records(RECORDS, by="force", date="date", covers=TO_15_NOV)
    assert got.equals(want)

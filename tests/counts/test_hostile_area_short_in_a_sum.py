"""A sum over several forces where one force lacks a quarter (SYNTHETIC frames built here).

A quarter counted as present because *another* force has it hid an absent Surrey quarter:
``totals()`` with no ``by``, ``by="national"`` or ``by="region"`` said ``complete=True`` for a
2017/18 sum holding three of Surrey's four quarters, and ``change()`` with no ``by`` gave a
-13% fall with no note. A group summing several areas is now complete only when each of its
areas is, and the areas short of figures are named in ``incomplete_areas``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import polars as pl
import pytest

import groomstats

QUARTER_STARTS = [(4, 0), (7, 0), (10, 0), (1, 1)]  # (month, years after the April)


def _quarters(force: str, fy: int, skip: tuple[int, ...] = ()) -> list[tuple[str, date, date, int]]:
    rows = []
    for q, (month, later) in enumerate(QUARTER_STARTS):
        if q in skip:
            continue
        start = date(fy + later, month, 1)
        nxt = date(start.year + (month == 10), (month + 2) % 12 + 1, 1)
        rows.append((force, start, nxt - timedelta(days=1), 10 + q))  # 10, 11, 12, 13
    return rows


def _frame() -> pl.DataFrame:
    """SYNTHETIC: Kent and Surrey, 2016/17 and 2017/18 by quarter; Surrey's third quarter of
    2017/18 (October-December 2017) is absent. Each full year holds 10+11+12+13 = 46."""
    rows = [
        *_quarters("Kent", 2016),
        *_quarters("Kent", 2017),
        *_quarters("Surrey", 2016),
        *_quarters("Surrey", 2017, skip=(2,)),
    ]
    return pl.DataFrame(
        rows, schema=["force", "period_start", "period_end", "offences"], orient="row"
    ).with_columns(region=pl.lit("South East"), territorial=pl.lit(True))


SHORT = "Surrey (3 of 4 quarters with figures)"


@pytest.mark.parametrize("kind", ["polars", "lazy", "pandas"])
def test_one_total_over_every_row_is_incomplete_naming_the_force(kind: str) -> None:
    df: object = {"polars": _frame(), "lazy": _frame().lazy(), "pandas": _frame().to_pandas()}[kind]
    if kind == "pandas":
        assert isinstance(df, pd.DataFrame)
    row = groomstats.totals(df, window="2017/18").row(0, named=True)
    # 46 for Kent + 10 + 11 + 13 for Surrey: every quarter has *a* row, not every force's row
    assert (row["offences"], row["rows"], row["periods_present"]) == (80, 7, 4)
    assert row["complete"] is False
    assert row["incomplete_areas"] == SHORT


@pytest.mark.parametrize("by", ["national", "region"])
def test_roll_ups_are_incomplete_naming_the_force(by: str) -> None:
    out = groomstats.totals(_frame(), by=by, window="2017/18")
    row = out.row(0, named=True)
    assert (row["offences"], row["complete"], row["incomplete_areas"]) == (80, False, SHORT)
    # the full year before is complete and names nobody
    before = groomstats.totals(_frame(), by=by, window="2016/17").row(0, named=True)
    assert (before["offences"], before["complete"], before["incomplete_areas"]) == (
        92,
        True,
        None,
    )


def test_by_quarter_only_the_quarter_surrey_lacks_is_incomplete() -> None:
    out = groomstats.totals(_frame(), window="2017/18", granularity="quarter")
    assert out.get_column("offences").to_list() == [20, 22, 12, 26]
    assert out.get_column("complete").to_list() == [True, True, False, True]
    assert out.get_column("incomplete_areas").to_list() == [
        None,
        None,
        "Surrey (no figures)",
        None,
    ]


def test_a_force_absent_from_the_whole_window_is_named() -> None:
    df = _frame().filter(
        ~((pl.col("force") == "Surrey") & (pl.col("period_start").dt.year() >= 2017))
    )
    row = groomstats.totals(df, window="2017/18").row(0, named=True)
    assert (row["offences"], row["complete"], row["incomplete_areas"]) == (
        46,
        False,
        "Surrey (no figures)",
    )


def test_per_force_totals_are_unchanged() -> None:
    out = groomstats.totals(_frame(), by="force", window="2017/18")
    assert out.get_column("offences").to_list() == [46, 34]
    assert out.get_column("complete").to_list() == [True, False]
    assert "incomplete_areas" not in out.columns


def test_change_over_every_row_says_the_current_year_is_short() -> None:
    with pytest.warns(groomstats.SeriesBreakWarning):
        row = groomstats.change(_frame(), current="2017/18", allow_series_break=True).row(
            0, named=True
        )
    assert (row["current"], row["baseline"]) == (80, 92)
    assert (row["current_complete"], row["baseline_complete"]) == (False, True)
    assert row["note"].startswith(
        "incomplete window: 2017/18: short of figures: " + SHORT + " (totals() gives the coverage)"
    )

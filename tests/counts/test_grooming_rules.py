"""``grooming``: the series-break warning points at the caller, and the repeated-figure check
applies to frames read by read_prc only (synthetic 88A rows; survivors of the Python mutation
run, mutants/SURVIVORS.md)."""

from __future__ import annotations

import warnings
from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats import SeriesBreakWarning


def _rows(years: list[str], quarters: list[int], force: str = "Kent") -> pl.DataFrame:
    """Synthetic Home Office-shaped 88A rows (financial_year, quarter, force, offence_code)."""
    return pl.DataFrame(
        {
            "financial_year": years,
            "quarter": quarters,
            "force": [force] * len(years),
            "offence_code": ["88A"] * len(years),
            "offences": list(range(1, len(years) + 1)),
            "period_start": [
                date(int(y[:4]) + (q == 4), (3 * q + 1) % 12 or 12, 1)
                for y, q in zip(years, quarters, strict=True)
            ],
        }
    )


def test_series_break_warning_points_at_the_caller() -> None:
    df = _rows(["2016/17", "2017/18"], [4, 1])
    with pytest.warns(SeriesBreakWarning, match="span the series break") as rec:
        groomstats.grooming(df)
    assert rec[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = groomstats.grooming(df, allow_series_break=True)
    assert out.height == 2


def test_repeated_figures_are_refused_only_with_an_edition_column() -> None:
    twice = _rows(["2017/18", "2017/18"], [1, 1])
    # no edition column: not a read_prc frame, the rows are kept as given
    assert groomstats.grooming(twice)["offences"].to_list() == [1, 2]
    edition = pl.lit(date(2018, 7, 19))
    with pytest.raises(groomstats.DataFormatError, match="appears 2 times"):
        groomstats.grooming(twice.with_columns(edition=edition))
    # an edition column without the key columns cannot be checked: kept
    no_key = twice.drop("quarter").with_columns(edition=edition)
    assert groomstats.grooming(no_key).height == 2


def test_the_first_repeated_figure_is_named() -> None:
    """Two figures repeated (Kent Q1 and Essex Q2, in that order): the message names the first."""
    kent = _rows(["2017/18"], [1], "Kent")
    essex = _rows(["2017/18"], [2], "Essex")
    stacked = pl.concat([kent, essex, kent, essex]).with_columns(edition=pl.lit(date(2018, 7, 19)))
    with pytest.raises(groomstats.DataFormatError, match="for Kent 2017/18 quarter 1 appears 2"):
        groomstats.grooming(stacked)

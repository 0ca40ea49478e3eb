"""``joinpoint(min_end=, min_between=)``: the NCI spacing rules hold, and they bite.

Synthetic series (generated below) with slope changes planted at known years. The rule, as
documented: at least ``min_end`` observations from each end to a joinpoint (the end point
counted, the joinpoint not), at least ``min_between`` observations strictly between two.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import groomstats

YEARS = [f"{2003 + i}/{(2004 + i) % 100:02d}" for i in range(14)]


def _series(eta: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame({"financial_year": YEARS, "offences": np.round(np.exp(eta)).astype(int)})


def _joins(df: pl.DataFrame, **kw: int) -> list[int]:
    res = groomstats.joinpoint(df, max_joins=2, selection="bic", **kw)
    return [YEARS.index(s) for s in res.segments["start"].to_list()[1:]]


T = np.arange(14.0)


def test_min_between() -> None:
    # slope +0.3, -0.3 from index 4, +0.3 from index 7: two observations (5, 6) between
    df = _series(np.log(10) + 3 + 0.3 * T - 0.6 * np.maximum(T - 4, 0) + 0.6 * np.maximum(T - 7, 0))
    assert _joins(df) == [4, 7]  # NCI defaults (2, 2) allow the planted pair
    for mb in (3, 4):
        joins = _joins(df, min_between=mb)
        assert len(joins) == 2 and joins != [4, 7]
        assert joins[1] - joins[0] - 1 >= mb, (mb, joins)


@pytest.mark.parametrize("min_end", [2, 5])
def test_min_end(min_end: int) -> None:
    # one slope change planted at index 3 (three observations before it)
    df = _series(np.log(40) + 3 + 0.25 * np.minimum(T, 3) - 0.15 * np.maximum(T - 3, 0))
    joins = _joins(df, min_end=min_end)
    assert joins, "a joinpoint is found"
    assert all(j >= min_end and 13 - j >= min_end for j in joins), joins
    assert (3 in joins) == (min_end <= 3)

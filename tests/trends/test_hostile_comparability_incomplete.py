"""``comparability`` given a period marked incomplete (SYNTHETIC series built here).

``joinpoint`` leaves out a period whose ``complete`` column (from :func:`groomstats.totals`)
is False; ``comparability`` selected only the time and count columns, so the same period
entered both fits as a whole one. It is now left out as ``joinpoint`` leaves it: marked in
one series only, the two series no longer share their times and the error says why; marked
in both, the result is that of the two series without it.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats


def _fy(y: int) -> str:
    return f"{y}/{(y + 1) % 100:02d}"


def _pair() -> tuple[pl.DataFrame, pl.DataFrame]:
    a = pl.DataFrame(
        {
            "financial_year": [_fy(y) for y in range(2005, 2017)],
            "offences": [10, 12, 13, 15, 17, 19, 22, 25, 27, 30, 33, 37],
        }
    )
    b = a.with_columns(offences=pl.col("offences") * 2 + pl.int_range(pl.len()) % 3)
    return a, b


def _compare(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
    return groomstats.comparability(a, b, n_permutations=99, max_joins=1)


def test_a_period_incomplete_in_one_series_is_left_out_and_said() -> None:
    a, b = _pair()
    b = b.with_columns(complete=pl.col("financial_year") != "2010/11")
    with pytest.raises(groomstats.GroomstatsError) as e:
        _compare(a, b)
    msg = str(e.value)
    assert "only in a: [2010.0], only in b: none" in msg
    assert "a period marked incomplete, leaves its time out" in msg


def test_a_period_incomplete_in_both_is_left_out_of_both() -> None:
    a, b = _pair()
    mark = pl.col("financial_year") != "2010/11"
    got = _compare(a.with_columns(complete=mark), b.with_columns(complete=mark))
    want = _compare(a.filter(mark), b.filter(mark))
    assert_frame_equal(got, want)
    whole = _compare(a, b)
    assert got["sse_alternative"][0] != pytest.approx(whole["sse_alternative"][0])

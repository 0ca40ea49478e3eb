"""Joinpoint on a series lying exactly on one log-linear line (SYNTHETIC series built here).

Every model fits such a series with SSE 0 (on ln values): BIC and WBIC were all -inf and the
most joinpoints won (a flat series of 10s got two joinpoints and three segments of 0%), and
the permutation tests compared 0 with 0 (seven 10s got one joinpoint). Such a group now gets
the model without joinpoints, and its ``reason`` says why; other groups are untouched.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats

ONE_LINE = (
    "the series lies on one log-linear line (the model without joinpoints fits it exactly, "
    "SSE 0): no joinpoint"
)


def _fy(y: int) -> str:
    return f"{y}/{(y + 1) % 100:02d}"


def _series(values: list[float], area: str = "A") -> pl.DataFrame:
    years = [_fy(2008 + i) for i in range(len(values))]
    return pl.DataFrame({"area": area, "financial_year": years, "offences": values})


@pytest.mark.parametrize("selection", ["permutation", "bic", "wbic"])
@pytest.mark.parametrize(
    ("values", "apc"),
    [([10.0] * 7, 0.0), ([10.0] * 10, 0.0), ([100 * 1.1**i for i in range(10)], 10.0)],
    ids=["seven 10s", "ten 10s", "10% a year"],
)
def test_a_series_on_one_line_has_no_joinpoint(
    values: list[float], apc: float, selection: str
) -> None:
    r = groomstats.joinpoint(
        _series(values), selection=selection, n_permutations=99, allow_series_break=True
    )
    row = r.aapc.row(0, named=True)
    assert row["joinpoints"] == 0
    assert row["aapc"] == pytest.approx(apc, abs=1e-9)
    assert r.segments.height == 1 and r.joinpoints.height == 0
    if row["reason"] is not None:  # a group already fitted with none keeps its own reason
        assert ONE_LINE in row["reason"] or "max_joins" in row["reason"]


def test_only_the_group_on_one_line_is_refitted() -> None:
    real = [10, 12, 11, 15, 30, 33, 31, 36, 50, 48]  # synthetic, not on one line
    both = pl.concat([_series([10.0] * 10, "flat"), _series([float(v) for v in real], "real")])
    r = groomstats.joinpoint(both, by="area", selection="bic", allow_series_break=True)
    assert r.aapc["area"].to_list() == ["flat", "real"]
    flat = r.aapc.row(0, named=True)
    assert (flat["joinpoints"], flat["reason"]) == (0, ONE_LINE)
    alone = groomstats.joinpoint(
        _series([float(v) for v in real], "real"),
        by="area",
        selection="bic",
        allow_series_break=True,
    )
    for name in ("aapc", "segments", "joinpoints", "models"):
        got = getattr(r, name).filter(pl.col("area") == "real")
        assert_frame_equal(got, getattr(alone, name), check_dtypes=False)
    assert r.models.filter(pl.col("area") == "flat")["joinpoints"].to_list() == [0]

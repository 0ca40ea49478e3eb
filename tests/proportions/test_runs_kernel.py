"""The core call behind shares()'s short cut for groups in runs (``_core.shares_in_runs``): the
runs in key order, a run's rows by count, the run totals and the Wilson limits in one call.
Checked against statsmodels ``proportion_confint(method="wilson")``, a hand-worked order, and
the long way of shares() on a frame large enough to be cut into several stretches (the binding
writes about 262,144 rows between two signal checks). Frames are synthetic, generated here."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats import _core, proportions
from groomstats.exceptions import GroomstatsError


def _i64(*v: int) -> np.ndarray:
    return np.array(v, dtype=np.int64)


def test_hand_worked_runs_against_statsmodels() -> None:
    # run 0 = rows 0..3 with counts 5, 9, 1; run 1 = rows 3..5 with 3, 3 (a tie); run 1 first
    r = _core.shares_in_runs(
        _i64(0, 3, 5),
        _i64(1, 0),
        _i64(5, 9, 1, 3, 3),
        np.array([1, 2, 3, 1, 2], dtype=np.uint64),
        [0.95, 0.998],
        100.0,
    )
    assert r is not None
    assert r.rows.tolist() == [3, 4, 1, 0, 2]  # ties keep their order, then 9, 5, 1
    assert r.totals.tolist() == [15, 6]
    x = np.array([3, 3, 9, 5, 1])
    n = np.array([6, 6, 15, 15, 15])
    np.testing.assert_allclose(r.value, 100 * x / n, rtol=1e-15)
    for k, c in enumerate((0.95, 0.998)):
        lo, hi = proportion_confint(x, n, alpha=1 - c, method="wilson")
        np.testing.assert_allclose(r.lower[k], 100 * lo, rtol=1e-12)
        np.testing.assert_allclose(r.upper[k], 100 * hi, rtol=1e-12)


def test_a_label_twice_in_a_run_and_bad_runs() -> None:
    twice = _core.shares_in_runs(
        _i64(0, 2, 4), _i64(0, 1), _i64(1, 2, 3, 4), np.array([7, 8, 9, 9], np.uint64), [0.95], 1
    )
    assert twice is None  # the caller sums the category the long way
    labels = np.array([1, 2, 3], np.uint64)
    for starts, order in [((0, 2), (0,)), ((0, 1, 3), (0, 0)), ((0, 1, 3), (1,)), ((0, 3), (-1,))]:
        with pytest.raises(GroomstatsError):
            _core.shares_in_runs(_i64(*starts), _i64(*order), _i64(1, 2, 3), labels, [0.95], 1)
    with pytest.raises(GroomstatsError, match="confidence"):
        _core.shares_in_runs(_i64(0, 3), _i64(0), _i64(1, 2, 3), labels, [1.5], 1)


def test_a_large_frame_in_runs_gives_the_long_way() -> None:
    """320,000 rows (two stretches and more), groups not in key order, sizes 1 to 8, a group
    with no offences (no share): the short cut gives exactly the frame the long way gives, and
    its limits are statsmodels'."""
    rng = np.random.default_rng(14)
    groups = 40_000
    sizes = rng.integers(1, 9, groups)
    sizes[:2] = 8  # enough rows
    key = rng.permutation(groups)  # each (force, period) once, not in key order
    force = np.repeat(key % 997, sizes).astype(str)
    period = np.repeat(key // 997, sizes).astype(str)
    n = int(sizes.sum())
    within = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    counts = rng.integers(1, 60, n)
    counts[: sizes[0]] = 0
    df = pl.DataFrame(
        {
            "force": force,
            "period": period,
            "category": "platform",
            "value": [f"platform {w}" for w in within],
            "offences": counts,
            "suppressed": False,
        }
    )
    assert df.select(pl.struct("force", "period").n_unique()).item() == groups
    with pytest.MonkeyPatch.context() as mp:  # the short cut answers (never the long way)
        mp.setattr(proportions, "_cells", lambda *a, **k: pytest.fail("the long way was taken"))
        short = groomstats.shares(df, by=["force", "period"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(proportions, "_CONTIGUOUS", False)
        long_way = groomstats.shares(df, by=["force", "period"])
    assert_frame_equal(short, long_way)
    assert short["value"].null_count() == 8  # the group with no offences has no share
    x = short["offences"].to_numpy().astype(float)
    d = short["denominator"].to_numpy().astype(float)
    ok = d > 0
    lo, hi = proportion_confint(x[ok], d[ok], alpha=0.002, method="wilson")
    np.testing.assert_allclose(short["lower_99_8"].to_numpy()[ok], 100 * lo, rtol=1e-12)
    np.testing.assert_allclose(short["upper_99_8"].to_numpy()[ok], 100 * hi, rtol=1e-12)

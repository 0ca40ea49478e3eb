"""The Wilson kernels write into arrays numpy allocates (``_core.wilson_ci`` and
``_core.shares_in_runs``): numpy asks the kernel for huge pages for large arrays, so the outputs
cost a few page faults instead of thousands. The answers are checked against statsmodels
``proportion_confint(method="wilson")`` and a numpy stable sort on inputs large enough to be cut
into several blocks, with invalid rows among them. Data are synthetic, generated here."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from groomstats import _core

LEVELS = (0.95, 0.998)


def _owned(a: np.ndarray, dtype: type) -> None:
    """A numpy array of its own (not a view on memory Rust allocated), writable, contiguous."""
    assert a.dtype == dtype
    assert a.flags.owndata and a.base is None
    assert a.flags.c_contiguous and a.flags.writeable


def test_wilson_ci_on_many_rows_with_invalid_ones_against_statsmodels() -> None:
    rng = np.random.default_rng(3)
    m = 300_001  # several blocks of 65,536 rows, the last one short
    n = rng.integers(1, 500, m).astype(np.float64)
    x = np.floor(rng.random(m) * (n + 1))
    bad = rng.choice(m, 400, replace=False)
    x[bad[:100]] = n[bad[:100]] + 1  # a count above its denominator
    x[bad[100:200]] = -1
    x[bad[200:300]] = np.nan
    n[bad[300:]] = 0
    w = _core.wilson_ci(x, n, list(LEVELS))
    for a in (w.value, *w.lower, *w.upper):
        _owned(a, np.float64)
        assert np.isnan(a[bad]).all()
    ok = np.ones(m, dtype=bool)
    ok[bad] = False
    np.testing.assert_allclose(w.value[ok], x[ok] / n[ok], rtol=1e-15)
    for k, c in enumerate(LEVELS):
        lo, hi = proportion_confint(x[ok], n[ok], alpha=1 - c, method="wilson")
        np.testing.assert_allclose(w.lower[k][ok], lo, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(w.upper[k][ok], hi, rtol=1e-12)


def test_shares_in_runs_on_many_runs_against_statsmodels_and_a_stable_sort() -> None:
    rng = np.random.default_rng(5)
    sizes = rng.integers(0, 41, 12_000)  # 0 to 40 rows: past the 32-row stack path too
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    m = int(starts[-1])  # about 240,000 rows
    counts = rng.integers(0, 6, m).astype(np.int64)  # few values: many ties
    run_of_row = np.repeat(np.arange(len(sizes)), sizes)
    labels = (np.arange(m) - starts[run_of_row]).astype(np.uint64)  # 0, 1, ... in each run
    order = rng.permutation(len(sizes)).astype(np.int64)
    r = _core.shares_in_runs(starts, order, counts, labels, list(LEVELS), 100.0)
    assert r is not None
    _owned(r.rows, np.uint32)
    for a in (r.value, *r.lower, *r.upper):
        _owned(a, np.float64)
    # the rows an independent sort gives: runs in `order`, then count descending, ties by position
    rank = np.empty(len(sizes), dtype=np.int64)
    rank[order] = np.arange(len(sizes))
    expected = np.lexsort((np.arange(m), -counts, rank[run_of_row]))
    np.testing.assert_array_equal(r.rows, expected)
    totals = np.bincount(run_of_row, weights=counts, minlength=len(sizes)).astype(np.int64)
    np.testing.assert_array_equal(r.totals, totals)
    np.testing.assert_array_equal(r.denominators, totals[run_of_row[expected]])
    _owned(r.denominators, np.int64)
    x = counts[expected].astype(np.float64)
    n = totals[run_of_row[expected]].astype(np.float64)
    empty = n == 0
    assert np.isnan(r.value[empty]).all() and np.isnan(r.upper[1][empty]).all()
    np.testing.assert_allclose(r.value[~empty], 100 * x[~empty] / n[~empty], rtol=1e-15)
    for k, c in enumerate(LEVELS):
        lo, hi = proportion_confint(x[~empty], n[~empty], alpha=1 - c, method="wilson")
        np.testing.assert_allclose(r.lower[k][~empty], 100 * lo, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(r.upper[k][~empty], 100 * hi, rtol=1e-12)

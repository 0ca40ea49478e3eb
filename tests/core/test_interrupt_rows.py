"""Ctrl-C from a thread stops the element-wise kernels (exact Poisson limits, funnel limits,
exact tests) within 1 s: they run in blocks of rows with a signal check between blocks
(``bindings::parallel::detach_rows``), and give the same answer as one block would."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scipy import stats

from groomstats import _core


def _counts(n: int) -> np.ndarray:
    """Synthetic large counts (labelled synthetic): the slow end of the exact kernels."""
    return np.random.default_rng(7).integers(2_000, 6_000, n).astype(np.float64)


def _exact_poisson(n: int) -> Callable[[], Any]:
    x = _counts(n)
    return lambda: _core.exact_poisson_ci(x, 0.95)


def _funnel(n: int) -> Callable[[], Any]:
    d = 100.0 * _counts(n)
    return lambda: _core.funnel_limits("rate", 0.001, d, [0.95, 0.998], 1e5)


def _binom(n: int) -> Callable[[], Any]:
    k = _counts(n).astype(np.int64)
    return lambda: _core.binom_test(k, 2 * k + 10, np.full(n, 0.5), "two-sided", 0.95)


def _rate_ratio(n: int) -> Callable[[], Any]:
    x = _counts(n)
    ones = np.ones(n)
    return lambda: _core.rate_ratio_test(x, x + 50, ones, ones, 1.0, "two-sided", 0.95)


KERNELS = {
    "exact_poisson_ci": _exact_poisson,
    "funnel_limits": _funnel,
    "binom_test": _binom,
    "rate_ratio_test": _rate_ratio,
}


@pytest.mark.skipif(sys.platform == "win32", reason="pthread_kill is POSIX only")
@pytest.mark.parametrize("name", list(KERNELS))
def test_ctrl_c_from_a_thread_stops_an_element_wise_kernel(
    name: str, ctrl_c: Callable[..., Any]
) -> None:
    make = KERNELS[name]
    # Calibrate: the uninterrupted call must take several seconds, or the test proves nothing.
    t0 = time.perf_counter()
    make(4_000)()
    per_row = (time.perf_counter() - t0) / 4_000
    n = int(min(3_000_000, max(20_000, 5.0 / max(per_row, 1e-9))))
    expected = per_row * n
    assert expected > 3.0, f"calibration: the call would take only {expected:.2f} s"
    call = make(n)

    after_signal, total = ctrl_c(call)
    assert after_signal < 1.0, f"{name} stopped {after_signal:.2f} s after Ctrl-C"
    assert total < expected  # it did not simply run to the end


def test_blocks_of_rows_give_the_one_call_answer() -> None:
    """Across block boundaries (2,048 and 65,536 rows) every row is its own answer, in order:
    checked against scipy row by row on a sample, and against a call on the tail alone."""
    n = 70_001  # more than one block of either size
    x = np.random.default_rng(8).integers(0, 60, n).astype(np.float64)
    lim = _core.exact_poisson_ci(x, 0.95)
    rows = np.r_[0, 2_047, 2_048, 2_049, 65_535, 65_536, 65_537, n - 1]
    lo = stats.chi2.ppf(0.025, 2 * x[rows]) / 2
    hi = stats.chi2.ppf(0.975, 2 * (x[rows] + 1)) / 2
    np.testing.assert_allclose(np.nan_to_num(lim.lower[rows]), np.nan_to_num(lo), rtol=1e-9)
    np.testing.assert_allclose(lim.upper[rows], hi, rtol=1e-9)
    d = 3 * x + 7
    w = _core.wilson_ci(x, d, [0.95, 0.998])
    tail = _core.wilson_ci(x[65_536:], d[65_536:], [0.95, 0.998])
    for level in range(2):
        np.testing.assert_array_equal(w.lower[level][65_536:], tail.lower[level])
        np.testing.assert_array_equal(w.upper[level][65_536:], tail.upper[level])
    assert len(w.value) == len(w.lower[1]) == n


def test_arrays_of_different_lengths_are_refused_before_any_work() -> None:
    with pytest.raises(ValueError, match=r"values but|differ in length"):
        _core.wilson_ci(np.ones(5), np.ones(4), [0.95])
    with pytest.raises(ValueError, match=r"values but|differ in length"):
        _core.rate_ci(np.ones(5), np.ones(70_000), 1e5, [0.95])
    with pytest.raises(ValueError, match=r"values but|differ in length"):
        _core.binom_test(
            np.ones(3, dtype=np.int64), np.ones(2, dtype=np.int64), np.ones(3), "two-sided", 0.95
        )
    # empty input still runs the kernel's own checks
    with pytest.raises(ValueError):
        _core.wilson_ci(np.ones(0), np.ones(0), [1.5])

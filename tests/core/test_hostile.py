"""Hostile input against the private compiled bindings (``groomstats._core``).

Misaligned arrays, out-of-range group starts and extreme day numbers come back as
exceptions or results, never as a Rust panic.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hostile import is_panic


def _core_calls() -> dict[str, Callable[[], object]]:
    from groomstats import _core

    def f64(*a: float) -> np.ndarray:
        return np.array(a, dtype=np.float64)

    def i64(*a: int) -> np.ndarray:
        return np.array(a, dtype=np.int64)

    def i32(*a: int) -> np.ndarray:
        return np.array(a, dtype=np.int32)

    nan, lo, hi = math.nan, -(2**31), 2**31 - 1
    one = np.array([True])
    g = np.array([5], dtype=np.uint32)
    jp = (1, 2, 2, "bic", 10, 0.05, 1, 0.95, nan, nan)
    return {
        "glm_fit starts beyond the data": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 2)), f64(0, 0, 0), i64(0, 10), "poisson"
        ),
        "glm_fit starts decreasing": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 2)), f64(0, 0, 0), i64(2, 0, 3), "poisson"
        ),
        "glm_fit negative start": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 2)), f64(0, 0, 0), i64(-5, 3), "poisson"
        ),
        "glm_fit design with no columns": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 0)), f64(0, 0, 0), i64(0, 3), "poisson"
        ),
        "joinpoint_fit starts beyond": lambda: _core.joinpoint_fit(
            f64(1, 2, 3), f64(1, 2, 3), i64(0, 10), *jp
        ),
        "joinpoint_fit decreasing starts": lambda: _core.joinpoint_fit(
            f64(1, 2, 3), f64(1, 2, 3), i64(2, 0, 3), *jp
        ),
        "window_coverage group id beyond n_groups": lambda: _core.window_coverage(
            g, i32(17257), i32(17347), one, 1, 17257, 17621
        ),
        "window_coverage whole i32 range": lambda: _core.window_coverage(
            np.array([0], dtype=np.uint32), i32(17257), i32(17347), one, 1, lo, hi, "month"
        ),
        "period_from_bounds i32 extremes": lambda: _core.period_from_bounds(lo, hi),
        "period_granules i32 extremes": lambda: _core.period_granules(lo, hi, "month"),
        "shift_period_years at i32 max": lambda: _core.shift_period_years(hi, hi, 1),
        "binom_test n near i64 max": lambda: _core.binom_test(
            i64(2**62), i64(2**63 - 1), f64(0.5), "two-sided", 0.95
        ),
        "binom_test misaligned": lambda: _core.binom_test(
            i64(5, 1), i64(10), f64(0.5), "two-sided", 0.95
        ),
        "funnel_overdispersion misaligned": lambda: _core.funnel_overdispersion(
            "rate", f64(1, 2), f64(1), 0.5, 0.1
        ),
        "funnel_limits NaN tau2": lambda: _core.funnel_limits(
            "rate", 0.5, f64(1, 2), [0.95], 1.0, nan
        ),
        "poisson_count_limits 1e300 and inf": lambda: _core.poisson_count_limits(
            f64(1e300, math.inf), 0.95
        ),
        "rate_ci misaligned": lambda: _core.rate_ci(f64(1, 2), f64(1), 1.0, [0.95]),
        "wilson_ci misaligned": lambda: _core.wilson_ci(f64(1, 2), f64(1), [0.95]),
    }


CORE_CALLS = _core_calls()


@pytest.mark.parametrize("name", list(CORE_CALLS))
def test_core_bindings_never_panic(name: str) -> None:
    try:
        CORE_CALLS[name]()
    except BaseException as e:  # a panic is a BaseException
        assert not is_panic(e), f"a Rust panic reached Python: {e}"
        assert isinstance(e, Exception), repr(e)

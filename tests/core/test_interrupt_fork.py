"""Long Rust calls stay interruptible (Ctrl-C within 1 s) and survive a fork after parallel work.

The mechanism lives in ``src/bindings/parallel.rs``; the GLM fits of ``trend`` are the long
kernel used here (many short series, fitted in chunks with a signal check between chunks).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from groomstats import _core


def _series(n_groups: int, points: int = 12, seed: int = 3) -> tuple[Any, ...]:
    """Synthetic Poisson series (labelled synthetic): one group per series, ``points`` years."""
    rng = np.random.default_rng(seed)
    t = np.tile(np.arange(points, dtype=np.float64), n_groups)
    y = rng.poisson(20.0 * np.exp(0.05 * t)).astype(np.float64)
    x = np.ascontiguousarray(np.column_stack([np.ones_like(t), t]))
    off = np.zeros_like(t)
    starts = np.arange(0, n_groups * points + 1, points, dtype=np.int64)
    return y, x, off, starts


def _fit(n_groups: int, model: str = "poisson") -> dict[str, Any]:
    y, x, off, starts = _series(n_groups)
    out: dict[str, Any] = _core.glm_fit(y, x, off, starts, model)
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="pthread_kill is POSIX only")
def test_ctrl_c_stops_a_long_kernel_within_one_second(ctrl_c: Callable[..., Any]) -> None:
    # Calibrate: the uninterrupted call must take several seconds, or the test proves nothing
    # (negative binomial fits: heavy enough per series to keep the arrays small).
    t0 = time.perf_counter()
    _fit(1_000, "negbin")
    per_group = (time.perf_counter() - t0) / 1_000
    n_groups = int(min(400_000, max(20_000, 6.0 / max(per_group, 1e-7))))
    args = _series(n_groups)
    expected = per_group * n_groups
    assert expected > 3.0, f"calibration: the call would take only {expected:.2f} s"

    after_signal, total = ctrl_c(lambda: _core.glm_fit(*args, "negbin"))
    assert after_signal < 1.0, f"stopped {after_signal:.2f} s after Ctrl-C"
    assert total < expected  # it did not simply run to the end


def _finite_coefficients() -> int:
    return int(np.isfinite(_fit(2_000)["coef"]).sum())


def test_forked_child_warns_and_does_not_deadlock(in_forked_child: Callable[..., Any]) -> None:
    parent = _fit(2_000)  # parallel work in the parent: rayon's pool now has threads
    finite, messages = in_forked_child(_finite_coefficients)
    assert finite == int(np.isfinite(parent["coef"]).sum()) == 4_000
    assert any("fork" in m and "one thread" in m for m in messages), messages

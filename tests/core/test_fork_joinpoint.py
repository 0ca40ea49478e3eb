"""A process forked after parallel work can still fit joinpoint models: the permutation work
runs on the child's own one-thread pool, with a RuntimeWarning, instead of waiting for ever on
rayon threads that did not survive the fork (``bindings::trend::interruptible`` through
``bindings::parallel::child_pool``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from groomstats import _core


def _fit() -> dict[str, Any]:
    """20 synthetic series (labelled synthetic) of 14 points with one bend each."""
    rng = np.random.default_rng(1)
    t = np.tile(np.arange(14.0), 20)
    y = np.exp(4 + 0.1 * t - 0.15 * np.maximum(t - 7, 0) + rng.normal(0, 0.05, t.size))
    starts = np.arange(0, t.size + 1, 14, dtype=np.int64)
    nan = float("nan")
    out: dict[str, Any] = dict(
        _core.joinpoint_fit(t, y, starts, 3, 2, 2, "permutation", 199, 0.05, 1, 0.95, nan, nan)
    )
    return out


def _ks() -> list[int]:
    return [int(v) for v in _fit()["k"]]


def test_forked_child_fits_joinpoint_without_deadlock(in_forked_child: Callable[..., Any]) -> None:
    parent = _fit()  # parallel work in the parent: rayon's pool now has threads
    ks, messages = in_forked_child(_ks)
    assert ks == [int(v) for v in parent["k"]]  # the same fits, seeded
    assert any("fork" in m and "one thread" in m for m in messages), messages

"""``shares()`` through the public function on 1,000,000 proportions against statsmodels.

Synthetic breakdown frame (labelled synthetic; generated here): 100,000 (force, period) groups
x 10 platforms = 1,000,000 rows of the FOI breakdown layout (``category``, ``value``,
``offences``, ``suppressed``), shares within each (force, period).

* groomstats: ``groomstats.shares(df, "platform", by=["force", "period"])`` (95% and 99.8%
  Wilson limits; the frame in, a frame out: grouping, denominators, notes, sorting);
* peer: ``statsmodels.stats.proportion.proportion_confint(x, n, method="wilson")`` at the same
  two levels on the numpy arrays of counts and denominators (no frame work at all);
* also the Wilson kernel alone (``groomstats._core.wilson_ci``) on the same arrays.

Alternating runs, medians of 5. Target: the public function at least 2x faster than
statsmodels.

Run: ``python benches/bench_shares.py`` (``GROOMSTATS_BENCH_QUICK=1``: 100,000 rows).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import polars as pl
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats import _core

LEVELS = (0.95, 0.998)


def alternate(fns: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    for f in fns.values():
        f()
    for _ in range(runs):
        for k, f in fns.items():
            t0 = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    quick = os.environ.get("GROOMSTATS_BENCH_QUICK") == "1"
    groups = 10_000 if quick else 100_000
    rng = np.random.default_rng(11)
    values = [f"platform {i}" for i in range(10)]
    n = groups * len(values)
    df = pl.DataFrame(
        {
            "force": np.repeat(np.arange(groups) // 100, len(values)).astype(str),
            "period": np.repeat(np.arange(groups) % 100, len(values)).astype(str),
            "category": ["platform"] * n,
            "value": np.tile(values, groups),
            "offences": rng.integers(0, 50, n),
            "suppressed": np.zeros(n, dtype=bool),
        }
    )
    out = groomstats.shares(df, "platform", by=["force", "period"])
    x = out.get_column("offences").cast(pl.Float64).to_numpy()
    d = out.get_column("denominator").cast(pl.Float64).to_numpy()
    lo, _ = proportion_confint(x, d, alpha=0.05, method="wilson")
    assert np.allclose(out["lower_95"].to_numpy() / 100, lo, equal_nan=True)

    t = alternate(
        {
            "public": lambda: groomstats.shares(df, "platform", by=["force", "period"]),
            "kernel": lambda: _core.wilson_ci(x, d, list(LEVELS)),
            "statsmodels": lambda: [
                proportion_confint(x, d, alpha=1 - c, method="wilson") for c in LEVELS
            ],
        },
        5,
    )
    print(f"Wilson shares at 95% and 99.8%, {n:,} proportions (medians of 5, alternating)")
    print(f"  groomstats.shares (frame in, frame out)  {t['public'] * 1e3:9.1f} ms")
    print(f"  groomstats kernel (_core.wilson_ci)      {t['kernel'] * 1e3:9.1f} ms")
    print(f"  statsmodels proportion_confint x2        {t['statsmodels'] * 1e3:9.1f} ms")
    for task, key in ((f"shares() on {n:,} proportions", "public"), ("Wilson kernel", "kernel")):
        print(
            "BENCH "
            + json.dumps(
                {
                    "bench": "shares",
                    "task": task,
                    "groomstats_s": t[key],
                    "peer": "statsmodels proportion_confint(method='wilson'), two levels",
                    "peer_s": t["statsmodels"],
                    "note": "target (public function): at least 2x faster",
                }
            )
        )


if __name__ == "__main__":
    main()

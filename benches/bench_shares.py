"""``shares()`` through the public function on 1,000,000 proportions against statsmodels.

Synthetic breakdown frame (labelled synthetic; generated here): 100,000 (force, period) groups
x 10 platforms = 1,000,000 rows of the FOI breakdown layout (``category``, ``value``,
``offences``, ``suppressed``), shares within each (force, period).

* groomstats: ``groomstats.shares(df, "platform", by=["force", "period"])`` (95% and 99.8%
  Wilson limits; the frame in, a frame out: grouping, denominators, notes, sorting);
* peer: ``statsmodels.stats.proportion.proportion_confint(x, n, method="wilson")`` at the same
  two levels on the numpy arrays of counts and denominators (no frame work at all);
* also the Wilson kernel alone (``groomstats._core.wilson_ci``) on the same arrays;
* the floor of any frame-in, frame-out answer: the frame's four columns gathered into the
  output's row order (the order given, precomputed) plus the kernel: what is left when the
  grouping, sorting and checks cost nothing;
* and, for scale, a hand-written polars query on the same frame that a user without groomstats
  might write (denominator summed over each group, Wilson limits as expressions, sorted as
  ``shares()`` sorts): what frame in, frame out costs in polars itself, without any of
  ``shares()``'s checks (unknown labels, suppressed and missing cells, notes).

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
Z = {0.95: 1.959963984540054, 0.998: 3.090232306167813}  # scipy.stats.norm.ppf(1 - a / 2)


def polars_query(df: pl.DataFrame) -> pl.DataFrame:
    """Wilson shares by hand in polars (the same limits, none of shares()'s checks)."""
    x, n = pl.col("offences"), pl.col("denominator")
    limits = []
    for c in LEVELS:
        z = Z[c]
        centre = (2 * x + z * z) / (2 * (n + z * z))
        half = z * (z * z + 4 * x * (1 - x / n)).sqrt() / (2 * (n + z * z))
        pct = str(c * 100).replace(".", "_").rstrip("0").rstrip("_")
        limits += [
            (100 * (centre - half)).alias(f"lower_{pct}"),
            (100 * (centre + half)).alias(f"upper_{pct}"),
        ]
    return (
        df.filter(pl.col("category") == "platform")
        .with_columns(denominator=x.sum().over("force", "period"))
        .with_columns((100 * x / n).alias("value"), *limits)
        .sort(["force", "period", "offences"], descending=[False, False, True], maintain_order=True)
    )


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
    q = polars_query(df)
    assert np.allclose(q["lower_99_8"].to_numpy(), out["lower_99_8"].to_numpy(), equal_nan=True)

    # the floor of any frame-in, frame-out answer: the input's rows put in the output's order
    # (the order itself given, not computed) and the kernel; no grouping, sorting or checks
    order = (
        df.with_row_index("_i")
        .sort(["force", "period", "offences"], descending=[False, False, True], maintain_order=True)
        .get_column("_i")
        .to_numpy()
    )

    def floor() -> object:
        rows = df.select("force", "period", "value", "offences")[order]
        return rows, _core.wilson_ci(x, d, list(LEVELS))

    t = alternate(
        {
            "public": lambda: groomstats.shares(df, "platform", by=["force", "period"]),
            "kernel": lambda: _core.wilson_ci(x, d, list(LEVELS)),
            "floor": floor,
            "polars": lambda: polars_query(df),
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
    print(f"  hand-written polars query (no checks)    {t['polars'] * 1e3:9.1f} ms")
    print(f"  floor: rows gathered in order + kernel   {t['floor'] * 1e3:9.1f} ms")
    tasks = (
        (f"shares() on {n:,} proportions", "public"),
        ("Wilson kernel", "kernel"),
        ("floor: the rows gathered in the output's order (given) + the kernel", "floor"),
    )
    for task, key in tasks:
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
    print(
        "BENCH "
        + json.dumps(
            {
                "bench": "shares",
                "task": f"shares() on {n:,} proportions, frame in and out",
                "groomstats_s": t["public"],
                "peer": "hand-written polars query: same limits and order, no checks",
                "peer_s": t["polars"],
                "note": "for scale: frame work in polars itself",
            }
        )
    )


if __name__ == "__main__":
    main()

"""Funnel-plot significance for many areas: groomstats against PHStatsMethods.

10,000 synthetic areas (counts and denominators of the size of force figures), labelled against
the national value at 95% and 99.8%:

* ``groomstats.funnel(df, statistic="rate")`` (exact Poisson limits) against
  ``PHStatsMethods.funnels.assign_funnel_significance(..., statistic="rate", rate_type="crude")``;
* ``groomstats.funnel(df, statistic="proportion")`` (Wilson limits) against
  ``assign_funnel_significance(..., statistic="proportion")``.

PHStatsMethods works row by row in pandas: it is timed on a subset and scaled per row (said in
the output). The labels are checked to agree on the subset.

Run: ``python benches/bench_funnel.py [areas]`` (``GROOMSTATS_BENCH_QUICK=1``: 2,000 areas).
Prints ``BENCH {json}`` lines for ``benches/run.py``.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import polars as pl

import groomstats

SUBSET = 1_000


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def report(task: str, ours: float, peer: str, theirs: float, note: str) -> None:
    print(f"  groomstats.funnel                 {ours * 1e3:10.1f} ms")
    print(f"  {peer:<33} {theirs * 1e3:10.1f} ms  ({note})")
    print(f"  speed-up: {theirs / ours:,.0f}x")
    row = {"bench": "funnel", "task": task, "groomstats_s": ours, "peer": peer}
    print("BENCH " + json.dumps({**row, "peer_s": theirs, "note": note}))


def main() -> None:
    from PHStatsMethods.funnels import assign_funnel_significance

    quick = os.environ.get("GROOMSTATS_BENCH_QUICK") == "1"
    areas = int(sys.argv[1]) if len(sys.argv) > 1 else (2_000 if quick else 10_000)
    rng = np.random.default_rng(43)
    n = rng.integers(20_000, 600_000, areas)
    x = rng.poisson(40e-5 * n * rng.lognormal(0, 0.3, areas))
    df = pl.DataFrame({"offences": x, "population": n})
    sub = df.head(SUBSET).to_pandas()
    sub["rate"] = sub["offences"] / sub["population"] * 100_000
    scale = areas / SUBSET

    def phe(statistic: str) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if statistic == "rate":
                return assign_funnel_significance(
                    sub.copy(),
                    "offences",
                    "rate",
                    denom_col="population",
                    rate="rate",
                    rate_type="crude",
                    multiplier=100_000,
                )
            return assign_funnel_significance(
                sub.copy(), "offences", "proportion", denom_col="population"
            )

    for statistic in ("rate", "proportion"):
        ours = best_of(lambda s=statistic: groomstats.funnel(df, statistic=s))  # type: ignore[misc]
        theirs = best_of(lambda s=statistic: phe(s), 1) * scale  # type: ignore[misc]
        # agreement on the subset: the same label ('High (0.001)', 'Not significant', ...)
        g = groomstats.funnel(df.head(SUBSET), statistic=statistic)  # type: ignore[arg-type]
        p = phe(statistic)
        same = np.mean(g["significance"].to_numpy() == p["significance"].astype(str).to_numpy())
        agree = f"; labels agree on {same:.1%} of them"
        print(f"funnel significance ({statistic}), {areas:,} areas")
        report(
            f"funnel significance ({statistic}), {areas:,} areas",
            ours,
            "PHStatsMethods assign_funnel_significance",
            theirs,
            f"timed on {SUBSET:,} areas, scaled{agree}",
        )


if __name__ == "__main__":
    main()

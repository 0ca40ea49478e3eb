"""Aggregate record-level rows into force x quarter x platform counts: groomstats against polars.

10,000,000 synthetic records (one row per offence: force name, offence date over three financial
years, platform) counted per force, financial quarter and platform.

* groomstats: ``groomstats.count_records(df, by=["force", "platform"], date="date")`` (polars
  group_by inside, plus canonical period labels and ``period_end`` on the small result);
* peer: the hand-written polars query an analyst would type,
  ``df.group_by("force", pl.col("date").dt.truncate("1q"), "platform").len()``, eager and
  lazy (``df.lazy()...collect()``, usually faster); the faster of the two is the peer.

Target: groomstats within 1.2x of the hand-written polars. Both results are checked to hold the
same counts. Runs alternate (groomstats, eager, lazy, groomstats, ...) after a warm-up of each;
medians of 5 (3 with ``GROOMSTATS_BENCH_QUICK=1``).

Run: ``python benches/bench_aggregate.py [rows]`` (``GROOMSTATS_BENCH_QUICK=1``: 1,000,000 rows).
Prints one ``BENCH {json}`` line per comparison for ``benches/run.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import date

import numpy as np
import polars as pl

import groomstats

PLATFORMS = ["Snapchat", "Instagram", "Facebook", "WhatsApp", "TikTok", "Kik", "Other", "Unknown"]


def records(rows: int, seed: int = 8) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    names = groomstats.forces().filter(pl.col("territorial")).get_column("force")
    start = (date(2017, 4, 1) - date(1970, 1, 1)).days
    days = rng.integers(start, start + 3 * 365, rows, dtype=np.int32)
    return pl.DataFrame(
        {
            "force": names.gather(rng.integers(0, names.len(), rows)),
            "date": pl.Series(days).cast(pl.Date),
            "platform": pl.Series(PLATFORMS).gather(rng.integers(0, len(PLATFORMS), rows)),
        }
    )


def hand_polars(df: pl.DataFrame) -> pl.DataFrame:
    return df.group_by("force", pl.col("date").dt.truncate("1q"), "platform").len()


def hand_polars_lazy(df: pl.DataFrame) -> pl.DataFrame:
    return df.lazy().group_by("force", pl.col("date").dt.truncate("1q"), "platform").len().collect()


def ours(df: pl.DataFrame) -> pl.DataFrame:
    return groomstats.count_records(df, by=["force", "platform"], date="date")


def main() -> None:
    quick = os.environ.get("GROOMSTATS_BENCH_QUICK") == "1"
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else (1_000_000 if quick else 10_000_000)
    df = records(rows)
    runs = 3 if quick else 5
    a, b = ours(df), hand_polars(df)  # warm up every path once
    hand_polars_lazy(df)
    t_ours, t_eager, t_lazy = [], [], []
    for _ in range(runs):
        for fn, store in ((ours, t_ours), (hand_polars, t_eager), (hand_polars_lazy, t_lazy)):
            t0 = time.perf_counter()
            fn(df)
            store.append(time.perf_counter() - t0)
    # same counts, cell for cell
    b = b.rename({"date": "period_start", "len": "n"})
    joined = a.join(b, on=["force", "platform", "period_start"], how="full", coalesce=True)
    assert joined.height == a.height == b.height
    assert (joined["offences"] == joined["n"]).all() and a["offences"].sum() == rows
    g, pe, pl_ = statistics.median(t_ours), statistics.median(t_eager), statistics.median(t_lazy)
    p = min(pe, pl_)
    print(f"record-level aggregation, {rows:,} rows -> {a.height:,} force x quarter x platform")
    print(f"  groomstats.count_records              {g * 1e3:9.1f} ms")
    print(f"  hand-written polars, eager group_by   {pe * 1e3:9.1f} ms")
    print(f"  hand-written polars, lazy group_by    {pl_ * 1e3:9.1f} ms")
    print(f"  ratio groomstats / fastest polars: {g / p:5.2f}x (target <= 1.2x)")
    print(
        "BENCH "
        + json.dumps(
            {
                "bench": "aggregate",
                "task": f"count {rows:,} records -> force x quarter x platform",
                "groomstats_s": g,
                "peer": "polars, hand-written (faster of eager/lazy)",
                "peer_s": p,
                "note": "target: within 1.2x of polars (speed-up >= 0.83)",
            }
        )
    )


if __name__ == "__main__":
    main()

"""Time read_prc() on the full 2017/18 file against named peers on the same run.

Peers: polars.read_csv alone (the floor: parsing only) and pandas.read_csv followed by the same
cleaning (strip, '-00' -> 0, integer counts, force names to canonical names and codes, quarter
dates). Run: ``python benches/bench_read.py``.
"""

from __future__ import annotations

import gzip
import io
import statistics
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pandas as pd
import polars as pl

import groomstats

PATH = Path(
    str(resources.files("groomstats") / "data" / "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz")
)
RAW = gzip.decompress(PATH.read_bytes())


def best_of(fn: Callable[[], object], n: int = 15) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def groomstats_read() -> pl.DataFrame:
    return groomstats.read_prc(PATH)


def polars_only() -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(RAW), infer_schema=False)


def pandas_same_cleaning() -> pd.DataFrame:
    ref = groomstats.forces().to_pandas()
    df = pd.read_csv(io.BytesIO(RAW), dtype=str)
    df = df.apply(lambda s: s.str.strip())
    df["Number of Offences"] = df["Number of Offences"].replace("-00", "0").astype("Int64")
    names = {n: groomstats.match_force(n) for n in df["Force Name"].unique()}
    df["force"] = df["Force Name"].map(names)
    df = df.merge(ref, on="force", how="left")
    q = df["Financial Quarter"].astype(int)
    y = df["Financial Year"].str[:4].astype(int) + (q == 4)
    m = q.map({1: 4, 2: 7, 3: 10, 4: 1})
    df["period_start"] = pd.to_datetime({"year": y, "month": m, "day": 1})
    df["period_end"] = df["period_start"] + pd.offsets.MonthEnd(3)
    return df


def main() -> None:
    groomstats_read()  # warm up caches (force reference)
    g_best, g_med = best_of(groomstats_read)
    p_best, p_med = best_of(polars_only)
    d_best, d_med = best_of(pandas_same_cleaning, n=5)
    assert groomstats_read().height == pandas_same_cleaning().shape[0] == 23_068
    rows = [
        ("read_prc (23,068 rows, tidy)", g_best, g_med),
        ("polars.read_csv alone (no cleaning)", p_best, p_med),
        ("pandas.read_csv + same cleaning", d_best, d_med),
    ]
    for name, best, med in rows:
        print(f"{name:<37} best {best * 1e3:7.1f} ms  median {med * 1e3:7.1f} ms")
    print(f"ratio read_prc / polars.read_csv alone: {g_best / p_best:5.2f}x")
    print(f"ratio pandas+cleaning / read_prc: {d_best / g_best:5.2f}x (read_prc faster when > 1)")
    print(f"target: under 300 ms -> {'met' if g_best < 0.3 else 'NOT met'}")


if __name__ == "__main__":
    main()

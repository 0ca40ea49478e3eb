"""``trend`` through its public paths: financial-year strings and Date columns against integer
years, and 10,000 series against a statsmodels GLM loop.

Synthetic Poisson series (labelled synthetic; generated here): 10,000 series x 10 years.

* the same series with the time column as integer years (``2017``), financial-year strings
  (``"2017/18"``, the default time type) and Dates (1 January of each year): one
  ``groomstats.trend(df, by="series", time=...)`` call each, alternating, medians of 5 runs;
  target: strings and Dates within 1.2x of integer years;
* statsmodels ``GLM(Poisson).fit()`` in a loop over 2,000 of the series (scaled x5 to 10,000,
  as printed), alternating with ``groomstats.trend`` on all 10,000, medians of 3 runs; target:
  groomstats at least 100x faster.

Run: ``python benches/bench_trend_paths.py`` (``GROOMSTATS_BENCH_QUICK=1``: 3 runs, 500
statsmodels series).
"""

from __future__ import annotations

import json
import os
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
import polars as pl
import statsmodels.api as sm

import groomstats

N_SERIES = 10_000
N_POINTS = 10


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


def emit(task: str, ours: float, peer: str, peer_s: float, note: str) -> None:
    print(
        "BENCH "
        + json.dumps(
            {
                "bench": "trend_paths",
                "task": task,
                "groomstats_s": ours,
                "peer": peer,
                "peer_s": peer_s,
                "note": note,
            }
        )
    )


def main() -> None:
    quick = os.environ.get("GROOMSTATS_BENCH_QUICK") == "1"
    runs = 3 if quick else 5
    sm_series = 500 if quick else 2_000
    rng = np.random.default_rng(2026)
    g = np.repeat(np.arange(N_SERIES), N_POINTS)
    year = np.tile(np.arange(2014, 2014 + N_POINTS), N_SERIES)
    mu = np.exp(
        rng.uniform(1.5, 5.0, N_SERIES)[g] + rng.normal(0, 0.1, N_SERIES)[g] * (year - 2014)
    )
    ints = pl.DataFrame({"series": g, "year": year, "offences": rng.poisson(mu)})
    frames = {
        "int": ints,
        "fy": ints.with_columns(
            pl.format(
                "{}/{}", "year", ((pl.col("year") + 1) % 100).cast(pl.String).str.zfill(2)
            ).alias("year")
        ),
        "date": ints.with_columns(pl.date(pl.col("year"), 1, 1).alias("year")),
    }
    fits = {
        k: groomstats.trend(f, by="series", time="year", allow_series_break=True)
        for k, f in frames.items()
    }
    for k in ("fy", "date"):  # same slopes
        assert np.allclose(fits[k]["apc"].to_numpy(), fits["int"]["apc"].to_numpy(), rtol=1e-9)

    t = alternate(
        {
            k: (lambda f=f: groomstats.trend(f, by="series", time="year", allow_series_break=True))
            for k, f in frames.items()
        },
        runs,
    )
    print(f"trend, {N_SERIES:,} series x {N_POINTS} points, by time type (medians of {runs})")
    for k, name in (("int", "integer years"), ("fy", "financial-year strings"), ("date", "Dates")):
        print(f"  {name:<24} {t[k] * 1e3:9.1f} ms  ({t[k] / t['int']:4.2f}x integer years)")
    emit(
        f"trend {N_SERIES:,} series, time as financial-year strings",
        t["fy"],
        "the same call with integer years",
        t["int"],
        "target: within 1.2x (speed-up >= 0.83)",
    )
    emit(
        f"trend {N_SERIES:,} series, time as Dates",
        t["date"],
        "the same call with integer years",
        t["int"],
        "target: within 1.2x (speed-up >= 0.83)",
    )

    y = ints.get_column("offences").to_numpy().reshape(N_SERIES, N_POINTS)
    x = sm.add_constant(np.arange(N_POINTS, dtype=float))

    def statsmodels_loop() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for i in range(sm_series):
                sm.GLM(y[i], x, family=sm.families.Poisson()).fit()

    t = alternate(
        {
            "ours": lambda: groomstats.trend(
                frames["fy"], by="series", time="year", allow_series_break=True
            ),
            "sm": statsmodels_loop,
        },
        3,
    )
    scale = N_SERIES / sm_series
    sm_s = t["sm"] * scale
    print(f"trend, {N_SERIES:,} series (financial-year strings), against a statsmodels loop")
    print(f"  groomstats.trend                     {t['ours'] * 1e3:9.1f} ms")
    print(f"  statsmodels GLM loop, {sm_series:,} series x{scale:.0f}  {sm_s * 1e3:9.1f} ms")
    print(f"  ratio statsmodels / groomstats: {sm_s / t['ours']:,.0f}x (target >= 100x)")
    emit(
        f"trend {N_SERIES:,} series x {N_POINTS} points (DataFrame in and out)",
        t["ours"],
        f"statsmodels GLM(Poisson) loop ({sm_series:,} series, scaled x{scale:.0f})",
        sm_s,
        "target: at least 100x",
    )


if __name__ == "__main__":
    main()

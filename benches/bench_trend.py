"""Speed of groomstats trend fits against named peers, on one run of this machine.

* Poisson log-linear trend: 10,000 series of 10 points with ``groomstats.trend`` (one call,
  fits in parallel in Rust) against a loop of ``statsmodels`` ``GLM(Poisson).fit()`` timed on a
  subset of the series and scaled to 10,000 (said in the output).

* Joinpoint: 43 series (one per force) of 8-20 annual points, NCI defaults (permutation
  tests, 4,499 permutations, up to 3 joinpoints), wall time against the 10 s target on this
  machine (NCI's Joinpoint program is closed and Windows-only, so it is not timed here).

Run: ``python benches/bench_trend.py``.
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np
import polars as pl
import statsmodels.api as sm

import groomstats

N_SERIES = 10_000
N_POINTS = 10
SM_SUBSET = 500


def _series(rng: np.random.Generator) -> pl.DataFrame:
    g = np.repeat(np.arange(N_SERIES), N_POINTS)
    t = np.tile(np.arange(2017, 2017 + N_POINTS), N_SERIES)
    mu = np.exp(rng.uniform(1.5, 5.0, N_SERIES)[g] + rng.normal(0, 0.1, N_SERIES)[g] * (t - 2017))
    return pl.DataFrame({"series": g, "year": t, "offences": rng.poisson(mu)})


def bench_glm() -> None:
    rng = np.random.default_rng(2026)
    df = _series(rng)
    groomstats.trend(df.head(1000), by="series", time="year")  # warm up the thread pool
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        out = groomstats.trend(df, by="series", time="year")
        runs.append(time.perf_counter() - t0)
    ours = min(runs)
    assert out.height == N_SERIES and out["reason"].null_count() == N_SERIES

    y = df.get_column("offences").to_numpy().reshape(N_SERIES, N_POINTS)
    x = sm.add_constant(np.arange(N_POINTS, dtype=float))
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(SM_SUBSET):
            sm.GLM(y[i], x, family=sm.families.Poisson()).fit()
    theirs = (time.perf_counter() - t0) * N_SERIES / SM_SUBSET
    print(
        f"Poisson trend, {N_SERIES:,} series x {N_POINTS} points "
        f"({os.cpu_count()} cores visible):\n"
        f"  groomstats.trend (DataFrame in, DataFrame out; best of 3) {ours:8.3f} s\n"
        f"  statsmodels GLM loop, timed on {SM_SUBSET} series and scaled x{N_SERIES // SM_SUBSET}"
        f" {theirs:8.3f} s\n"
        f"  ratio statsmodels / groomstats: {theirs / ours:,.0f}x"
    )


def bench_joinpoint() -> None:
    rng = np.random.default_rng(43)
    frames = []
    for g in range(43):
        n = int(rng.integers(8, 21))
        t = np.arange(n)
        eta = 4.0 + 0.1 * t - 0.15 * np.maximum(t - n // 2, 0) + rng.normal(0, 0.05, n)
        frames.append(pl.DataFrame({"force": g, "year": 2017 + t, "offences": np.exp(eta)}))
    df = pl.concat(frames)
    t0 = time.perf_counter()
    res = groomstats.joinpoint(df, by="force", time="year")
    took = time.perf_counter() - t0
    tests = res.tests.height
    print(
        f"Joinpoint, 43 series of 8-20 points, 4,499 permutations, max 3 joinpoints "
        f"({tests} permutation tests, {tests * 4499:,} permuted fits of two grid searches):\n"
        f"  groomstats.joinpoint {took:8.3f} s  (target < 10 s on 2 cores: "
        f"{10 / took:,.1f}x under)"
    )


if __name__ == "__main__":
    bench_glm()
    bench_joinpoint()

"""Benchmark: rates with 95% and 99.8% limits, groomstats against named peers.

Peers (same machine, same run):
* a vectorised scipy.stats implementation of the same formulas (Byar's for counts >= 10,
  exact chi-square below) on numpy arrays, 1,000,000 rows;
* PHStatsMethods.ph_rate (pandas, row by row), timed on a 2,000-row subset and scaled per
  row to 1,000,000 (it is too slow to run on all of them).

Also, for shares: Wilson limits at two levels against statsmodels.proportion_confint
(vectorised) and PHStatsMethods.ph_proportion (2,000 rows, scaled per row).

Run: python benches/bench_rates.py [rows]
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import polars as pl
from scipy import stats

import groomstats
from groomstats import _core

LEVELS = (0.95, 0.998)


def scipy_rates(x: np.ndarray, n: np.ndarray, per: float) -> dict[str, np.ndarray]:
    out = {"value": x / n * per}
    small = x < 10
    for conf in LEVELS:
        z = stats.norm.ppf(0.5 + conf / 2)
        alpha = 1 - conf
        with np.errstate(invalid="ignore", divide="ignore"):
            by_lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
            by_hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
        lo, hi = by_lo, by_hi
        xs = x[small]
        lo[small] = np.where(xs == 0, 0.0, stats.chi2.ppf(alpha / 2, 2 * xs) / 2)
        hi[small] = stats.chi2.ppf(1 - alpha / 2, 2 * xs + 2) / 2
        out[f"lower_{conf}"] = lo / n * per
        out[f"upper_{conf}"] = hi / n * per
    return out


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = np.random.default_rng(1)
    x = np.where(
        rng.random(rows) < 0.3, rng.integers(0, 10, rows), rng.integers(10, 50_000, rows)
    ).astype(float)
    n = rng.integers(1_000, 10_000_000, rows).astype(float)
    frame = pl.DataFrame({"x": x, "n": n})

    t_kernel = best_of(lambda: _core.rate_ci(x, n, 1e5, list(LEVELS)))
    t_frame = best_of(
        lambda: groomstats.rates(frame, count="x", denominator="n", confidence=LEVELS)
    )
    t_scipy = best_of(lambda: scipy_rates(x, n, 1e5))

    # agreement on this very data, so the comparison is like for like
    ours = groomstats.rates(frame, count="x", denominator="n", confidence=LEVELS)
    ref = scipy_rates(x, n, 1e5)
    diffs = []
    for v, c in zip(LEVELS, ("95", "99_8"), strict=True):
        for side in ("lower", "upper"):
            a, b = ours[f"{side}_{c}"].to_numpy(), ref[f"{side}_{v}"]
            nz = b != 0
            diffs.append(float(np.max(np.abs(a[nz] / b[nz] - 1))))
    worst = max(diffs)

    from PHStatsMethods import ph_rate

    sub = 2_000
    pdf = pd.DataFrame({"x": np.maximum(x[:sub], 1), "n": n[:sub]})  # ph_rate fails on 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_phe_sub = best_of(
            lambda: ph_rate(pdf, "x", "n", confidence=list(LEVELS), multiplier=100_000), 1
        )
    t_phe = t_phe_sub / sub * rows

    print(f"rates per 100,000 with 95% and 99.8% limits, {rows:,} rows (30% counts < 10)")
    print(f"  groomstats kernel (_core.rate_ci)      {t_kernel * 1e3:10.1f} ms")
    print(f"  groomstats.rates (polars frame out)    {t_frame * 1e3:10.1f} ms")
    print(f"  scipy.stats vectorised (numpy)         {t_scipy * 1e3:10.1f} ms")
    print(
        f"  PHStatsMethods.ph_rate                 {t_phe:10.1f} s  "
        f"(timed on {sub:,} rows: {t_phe_sub:.2f} s, scaled per row)"
    )
    print(
        f"  speed-up vs scipy:          {t_scipy / t_frame:8.1f}x (frame), "
        f"{t_scipy / t_kernel:.1f}x (kernel)"
    )
    print(f"  speed-up vs PHStatsMethods: {t_phe / t_frame:8.0f}x (frame)")
    print(f"  largest relative difference from scipy: {worst:.1e}")

    # Wilson score limits (shares)
    from PHStatsMethods import ph_proportion
    from statsmodels.stats.proportion import proportion_confint

    trials = rng.integers(1, 10_000, rows).astype(float)
    succ = np.floor(rng.random(rows) * (trials + 1))
    t_w = best_of(lambda: _core.wilson_ci(succ, trials, list(LEVELS)))
    t_sm = best_of(
        lambda: [proportion_confint(succ, trials, alpha=1 - c, method="wilson") for c in LEVELS]
    )
    pp = pd.DataFrame({"x": succ[:sub], "n": trials[:sub]})
    t_pp = best_of(lambda: ph_proportion(pp, "x", "n", confidence=list(LEVELS)), 1) / sub * rows
    print(f"Wilson limits at 95% and 99.8%, {rows:,} proportions")
    print(f"  groomstats kernel (_core.wilson_ci)    {t_w * 1e3:10.1f} ms")
    print(f"  statsmodels proportion_confint         {t_sm * 1e3:10.1f} ms")
    print(f"  PHStatsMethods.ph_proportion           {t_pp:10.1f} s  (2,000 rows, scaled)")
    print(f"  speed-up vs statsmodels: {t_sm / t_w:8.1f}x, vs PHStatsMethods: {t_pp / t_w:8.0f}x")


if __name__ == "__main__":
    main()

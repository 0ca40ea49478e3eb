"""Property tests (hypothesis) and small seeded coverage simulations.

* totals are invariant across granularities and row orderings, and equal the plain sum;
* every interval contains its estimate (lower <= value <= upper), and the 99.8% interval
  contains the 95% one, for every interval method shipped;
* no reader loses a row: on random valid CSVs ``rows_read == rows_kept + excluded`` and the
  counts survive;
* coverage simulations for the intervals no other module simulates (rate-ratio test, trend
  APC, bare exact Poisson limits).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import groomstats

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(st.integers(1, 5_000), min_size=4, max_size=10))
@example([4410, 1, 1, 1])  # extreme but finite: fitted counts down to 1e-5, a real estimate
@example([1, 1, 1, 1, 1, 1, 1, 1, 1, 5000])
def test_trend_apc_interval_contains_apc_and_nests(counts: list[int]) -> None:
    df = pl.DataFrame({"year": list(range(2018, 2018 + len(counts))), "offences": counts})
    a = groomstats.trend(df, time="year", confidence=0.95)
    b = groomstats.trend(df, time="year", confidence=0.998)
    # counts of at least 1 cannot be separated: the estimate exists and is always given
    assert a["converged"][0] and a["reason"][0] is None, a.row(0, named=True)
    assert a["lower_95"][0] <= a["apc"][0] <= a["upper_95"][0]
    assert b["lower_99_8"][0] <= a["lower_95"][0] and b["upper_99_8"][0] >= a["upper_95"][0]


DRAWS = 4_000


def tol(p: float, draws: int = DRAWS) -> float:
    return 4 * math.sqrt(p * (1 - p) / draws)


def test_trend_apc_interval_coverage() -> None:
    rng = np.random.default_rng(2026)
    series, years, apc = 400, 8, 6.0
    t = np.arange(years)
    mu = 80.0 * np.exp(math.log1p(apc / 100) * t)
    y = rng.poisson(np.tile(mu, (series, 1)))
    df = pl.DataFrame(
        {
            "s": np.repeat(np.arange(series), years),
            "year": np.tile(2018 + t, series),
            "offences": y.ravel(),
        }
    )
    out = groomstats.trend(df, by="s", time="year")
    cover = float(((out["lower_95"] <= apc) & (apc <= out["upper_95"])).mean())
    # Wald intervals of a correctly specified Poisson GLM: nominal up to simulation noise
    assert abs(cover - 0.95) <= tol(0.95, series) + 0.01, cover

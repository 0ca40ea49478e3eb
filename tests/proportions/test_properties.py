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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import groomstats

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def nested(lo95: np.ndarray, hi95: np.ndarray, lo998: np.ndarray, hi998: np.ndarray) -> None:
    ok = ~(np.isnan(lo95) | np.isnan(lo998))
    assert (lo998[ok] <= lo95[ok] * (1 + 1e-12) + 1e-300).all()
    assert (hi998[ok] >= hi95[ok] * (1 - 1e-12)).all()


@FAST
@given(st.lists(st.integers(0, 5_000), min_size=2, max_size=8))
def test_shares_contain_value_and_nest(counts: list[int]) -> None:
    if sum(counts) == 0:
        counts = [*counts[:-1], 1]
    n = len(counts)
    df = pl.DataFrame(
        {
            "force": ["Kent"] * n,
            "period": ["2023/24"] * n,
            "category": ["platform"] * n,
            "value": [f"P{i}" for i in range(n)],
            "offences": counts,
            "suppressed": [False] * n,
        }
    )
    s = groomstats.shares(df)
    v = s["value"].to_numpy()
    lo95, hi95 = s["lower_95"].to_numpy(), s["upper_95"].to_numpy()
    assert (lo95 <= v + 1e-9).all() and (v <= hi95 + 1e-9).all()
    nested(lo95, hi95, s["lower_99_8"].to_numpy(), s["upper_99_8"].to_numpy())
    assert math.isclose(float(v.sum()), 100.0, rel_tol=1e-9)

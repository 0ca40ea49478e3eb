"""Shares from published percentages and their base (issue 16), checked against statsmodels'
Wilson interval on the rebuilt counts and hand-worked rounding ranges."""

from __future__ import annotations

import math

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats import datasets


def test_real_release_rebuilt_with_rounding_range() -> None:
    rows = datasets.platform_shares().filter(pl.col("release") == "2025-11")
    base = int(rows["offences_with_method_recorded"][0])
    pct = dict(zip(rows["platform"], rows["share_percent"], strict=True))
    s = groomstats.shares_from_percentages(pct, base)
    for r in s.iter_rows(named=True):
        p = pct[r["platform"]]
        # hand-worked: a whole-number percentage p covers [p - 0.5, p + 0.5) percent of the base
        assert r["count_min"] == math.ceil((p - 0.5) / 100 * base)
        assert r["count_max"] == math.floor((p + 0.5) / 100 * base)
        assert r["offences"] == round(p / 100 * base)
        lo, hi = proportion_confint(r["offences"], base, alpha=0.05, method="wilson")
        assert r["lower_95"] == pytest.approx(100 * lo, rel=1e-9)
        assert r["upper_95"] == pytest.approx(100 * hi, rel=1e-9)
        assert f"of {base:,}" in r["note"] and "rounds to" in r["note"]


def test_percent_of_base_strings_and_decimals() -> None:
    s = groomstats.shares_from_percentages(
        {"Snapchat": "52.5% of 1,000", "Instagram": "13% of 1,000"}
    )
    got = {
        r["platform"]: (r["offences"], r["count_min"], r["count_max"])
        for r in s.iter_rows(named=True)
    }
    # 52.5% published to one decimal: 52.45%..52.55% of 1,000 -> 525 exactly; 13% -> 125..135
    assert got == {"Snapchat": (525, 525, 525), "Instagram": (130, 125, 135)}


def test_bad_percentages_are_refused() -> None:
    with pytest.raises(groomstats.GroomstatsError, match="need their base"):
        groomstats.shares_from_percentages({"Snapchat": 52})
    with pytest.raises(groomstats.GroomstatsError, match="different bases"):
        groomstats.shares_from_percentages({"A": "52% of 956", "B": "10% of 900"})
    with pytest.raises(groomstats.GroomstatsError, match="above 100"):
        groomstats.shares_from_percentages({"A": 120}, 50)
    with pytest.raises(groomstats.GroomstatsError, match="not a published percentage"):
        groomstats.shares_from_percentages({"A": "about half"}, 50)


def test_percentage_no_count_can_give_is_kept_with_a_note() -> None:
    # 3.35%..3.45% of 956 is 32.03..32.98: no whole count; 32 and 33 are the nearest
    s = groomstats.shares_from_percentages({"Text message": 3.4, "Snapchat": 40}, 956)
    r = s.filter(pl.col("platform") == "Text message").row(0, named=True)
    assert (r["offences"], r["count_min"], r["count_max"]) == (33, 32, 33)  # 32.504 -> 33
    assert "no whole count of 956 rounds to 3.4%" in r["note"]

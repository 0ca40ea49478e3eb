"""shares(..., suppressed=(3, 3)): a suppressed cell then holds exactly 3, so each share is one
number; the note said "the share is a range" (found by hostile testing). The note now says
what the share is: one share, exact if each suppressed cell holds the value given. A true
range, suppressed=(1, 4), keeps its wording. Frame synthetic, values worked by hand, limits
against statsmodels' Wilson interval.
"""

from __future__ import annotations

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats

# Kent 2023/24: Snapchat 5, Instagram '*', Kik '*' (synthetic)
FRAME = pl.DataFrame(
    {
        "force": ["Kent"] * 3,
        "period": ["2023/24"] * 3,
        "category": ["platform"] * 3,
        "value": ["Snapchat", "Instagram", "Kik"],
        "offences": [5, None, None],
        "suppressed": [False, True, True],
    },
    schema_overrides={"offences": pl.Int64},
)


def test_one_value_per_suppressed_cell_gives_one_share_and_says_so() -> None:
    out = groomstats.shares(FRAME, by=["force", "period"], suppressed=(3, 3))
    got = {r["platform"]: r for r in out.iter_rows(named=True)}
    # denominator 5 + 3 + 3 = 11: Snapchat 5/11, Instagram and Kik 3/11 each
    for name, x in (("Snapchat", 5), ("Instagram", 3), ("Kik", 3)):
        r = got[name]
        assert (r["value"], r["value_min"], r["value_max"]) == pytest.approx((100 * x / 11,) * 3)
        lo, hi = proportion_confint(x, 11, alpha=0.05, method="wilson")
        assert (r["lower_95"], r["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)
    own = (
        "1 cell(s) suppressed, each taken as 3 (suppressed=(3, 3)): one share, exact if each "
        "holds 3"
    )
    assert got["Instagram"]["note"] == got["Kik"]["note"] == own
    assert got["Snapchat"]["note"] == (
        "2 cell(s) suppressed in other categories, each taken as 3 (suppressed=(3, 3)): the "
        "denominator is one number"
    )
    assert not any("range" in r["note"] for r in got.values())


def test_a_true_range_keeps_the_range_wording() -> None:
    out = groomstats.shares(FRAME, by=["force", "period"], suppressed=(1, 4))
    got = {r["platform"]: r for r in out.iter_rows(named=True)}
    # Instagram: 1/(5+1+4) = 10% .. 4/(5+4+1) = 40%; no single value
    assert got["Instagram"]["value"] is None
    assert (got["Instagram"]["value_min"], got["Instagram"]["value_max"]) == pytest.approx(
        (10.0, 40.0)
    )
    assert got["Instagram"]["note"] == "1 cell(s) suppressed (1-4 each): the share is a range"
    assert got["Snapchat"]["note"] == (
        "2 cell(s) suppressed in other categories: the denominator is a range"
    )

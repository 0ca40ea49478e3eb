"""Funnels of one usable area, and why a row has no label (SYNTHETIC frames built here).

A funnel of one area (or of one usable area beside missing ones) put the national value at
that area's own rate and labelled it "Not significant": an area compared with itself. It now
gets no label and a reason, unless a ``target`` of the caller's is given. Rows left out used
to share one reason, "unusable offences or population"; each now names its column and value.
"""

from __future__ import annotations

import polars as pl
import pytest
from scipy import stats

import groomstats

ALONE = (
    "the only usable area: the national value is its own, so it is compared with itself; "
    "pass target= to compare it with a value of your own"
)


def test_one_area_is_not_compared_with_itself() -> None:
    f = groomstats.funnel(pl.DataFrame({"force": ["Kent"], "offences": [60], "population": [1e5]}))
    row = f.row(0, named=True)
    assert row["target"] == pytest.approx(60.0)
    assert row["significance"] is None
    assert row["funnel_reason"] == ALONE


def test_one_usable_area_beside_missing_ones_is_not_compared_with_itself() -> None:
    df = pl.DataFrame(
        {
            "force": ["Kent", "Surrey", "Essex", "Sussex"],
            "offences": [60, None, -2, 10],
            "population": [1e5, 1e5, 1e5, None],
        }
    )
    f = groomstats.funnel(df)
    assert f["significance"].to_list() == [None, None, None, None]
    assert f["funnel_reason"].to_list() == [
        ALONE,
        "missing offences",
        "negative offences (-2)",
        "missing population",
    ]


def test_one_area_against_a_target_of_the_callers_is_labelled() -> None:
    # 60 in 100,000 against 40 per 100,000: expected 40, P(X >= 60 | 40) one-sided, from scipy
    f = groomstats.funnel(
        pl.DataFrame({"force": ["Kent"], "offences": [60], "population": [1e5]}), target=40.0
    )
    upper_tail = stats.poisson.sf(59, 40.0)
    assert 0.001 < upper_tail < 0.025  # outside the 95% limits, inside the 99.8% ones
    assert f["significance"][0] == "High (0.025)"
    assert f["funnel_reason"][0] is None


def test_two_areas_are_labelled_as_before() -> None:
    df = pl.DataFrame({"force": ["A", "B"], "offences": [60, 20], "population": [1e5, 1e5]})
    f = groomstats.funnel(df)
    assert f["target"][0] == pytest.approx(40.0)
    assert f["funnel_reason"].to_list() == [None, None]
    # against 40 expected (scipy): P(X >= 60) between 0.001 and 0.025, P(X <= 20) below 0.001
    assert 0.001 < stats.poisson.sf(59, 40.0) < 0.025
    assert stats.poisson.cdf(20, 40.0) < 0.001
    assert f["significance"].to_list() == ["High (0.025)", "Low (0.001)"]


def test_a_proportion_above_its_denominator_names_both() -> None:
    df = pl.DataFrame(
        {"force": ["A", "B", "C"], "offences": [12, 5, 8], "population": [10, 50, 40]}
    )
    f = groomstats.funnel(df, statistic="proportion")
    assert f["funnel_reason"].to_list() == [
        "offences 12 above population 10: not a proportion",
        None,
        None,
    ]
    assert f["target"][0] == pytest.approx(100 * 13 / 90)

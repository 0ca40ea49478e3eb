"""``funnel`` edge cases found by the Python mutation run (synthetic areas)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.stats import norm

import groomstats


def test_a_proportion_of_100_percent_is_usable() -> None:
    """8 of 8 is a valid proportion (x == n): value 100%, judged against the limits."""
    df = pl.DataFrame({"offences": [8, 3, 30], "population": [8, 10, 100]})
    f = groomstats.funnel(df, statistic="proportion", target=30.0, confidence=0.95)
    assert f["value"].to_list() == pytest.approx([100.0, 30.0, 30.0])
    half = norm.ppf(0.975) * (0.3 * 0.7 / 8) ** 0.5
    assert f["funnel_upper_95"][0] == pytest.approx((0.3 + half) * 100, rel=1e-12)
    assert f["significance"].to_list() == ["High (0.025)", "Not significant", "Not significant"]
    assert f["funnel_reason"].to_list() == [None, None, None]
    # 9 of 8 is not a proportion: no label, a reason
    bad = groomstats.funnel(
        df.with_columns(pl.Series("offences", [9, 3, 30])), statistic="proportion"
    )
    assert bad["significance"][0] is None and bad["funnel_reason"][0] is not None


def test_funnel_limits_trim_default_is_ten_percent() -> None:
    """The documented default winsorisation (10% each end, FunnelPlotR's) is the one used."""
    rng = np.random.default_rng(7)
    pop = rng.uniform(5e4, 2e6, 40).round()
    df = pl.DataFrame(
        {"offences": rng.poisson(3.5e-4 * pop * rng.gamma(16, 1 / 16, 40)), "population": pop}
    )
    default = groomstats.funnel_limits(df, overdispersion=True)
    ten = groomstats.funnel_limits(df, overdispersion=True, trim=0.1)
    none = groomstats.funnel_limits(df, overdispersion=True, trim=0.0)
    assert default.equals(ten)
    assert not default.equals(none)

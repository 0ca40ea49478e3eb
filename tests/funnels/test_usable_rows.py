"""Which rows ``funnel`` uses, and which targets it accepts (synthetic areas; survivors of the
Python mutation run, mutants/SURVIVORS.md). Expected values are worked by hand: the national
value is sum(count) / sum(denominator) over the usable rows, and an area is outside the exact
Poisson limits when its own exact (chi-square) interval excludes its expected count."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.stats import chi2

import groomstats
from groomstats.exceptions import GroomstatsError


def _exact_label(x: int, expected: float) -> str:
    """PHE label from the count's own exact interval at 95% and 99.8% (hand-worked rule)."""
    out = "Not significant"
    for c, tail in ((0.95, "0.025"), (0.998, "0.001")):
        a = (1 - c) / 2
        lo = chi2.ppf(a, 2 * x) / 2 if x > 0 else 0.0
        hi = chi2.ppf(1 - a, 2 * x + 2) / 2
        if lo > expected:
            out = f"High ({tail})"
        elif hi < expected:
            out = f"Low ({tail})"
    return out


def test_a_100_percent_row_counts_in_the_national_proportion() -> None:
    df = pl.DataFrame({"offences": [8, 3, 30], "population": [8, 10, 100]})
    f = groomstats.funnel(df, statistic="proportion")
    assert f["target"][0] == pytest.approx(100 * 41 / 118, rel=1e-12)
    assert f["funnel_reason"].to_list() == [None, None, None]


def test_a_denominator_of_one_is_usable() -> None:
    # 1 of 1 trial is a proportion (100%); one person is a population
    df = pl.DataFrame({"offences": [1, 3, 30], "population": [1, 10, 100]})
    p = groomstats.funnel(df, statistic="proportion")
    assert p["target"][0] == pytest.approx(100 * 34 / 111, rel=1e-12)
    assert p["significance"][0] is not None and p["funnel_reason"][0] is None
    r = groomstats.funnel(df.with_columns(pl.col("population") * pl.Series([1, 1000, 1000])))
    national = 34 / (1 + 10_000 + 100_000)
    assert r["target"][0] == pytest.approx(1e5 * national, rel=1e-12)
    assert r["value"][0] == pytest.approx(1e5)
    assert r["significance"][0] == _exact_label(1, national * 1)
    assert r["funnel_reason"][0] is None


def test_a_count_above_its_population_is_a_rate_but_not_a_proportion() -> None:
    df = pl.DataFrame({"offences": [30, 5, 40], "population": [10, 1000, 4000]})
    r = groomstats.funnel(df)
    national = 75 / 5010
    assert r["target"][0] == pytest.approx(1e5 * national, rel=1e-12)
    assert r["value"].to_list() == pytest.approx([3e5, 500.0, 1000.0])
    want = [_exact_label(x, national * n) for x, n in ((30, 10), (5, 1000), (40, 4000))]
    assert r["significance"].to_list() == want
    assert want[0] == "High (0.001)"
    # 30 of 10 is no proportion: left out of the national value, no label, a reason
    p = groomstats.funnel(df, statistic="proportion")
    assert p["target"][0] == pytest.approx(100 * 45 / 5000, rel=1e-12)
    assert p["significance"][0] is None and p["funnel_reason"][0] == (
        "offences 30 above population 10: not a proportion"
    )
    assert p["value"][0] is None and p["value"][1] == pytest.approx(0.5)


@pytest.mark.parametrize("target", [True, False, "5", None, -1, -0.5, float("-inf")])
def test_target_must_be_a_non_negative_number(target: object) -> None:
    df = pl.DataFrame({"offences": [3, 5], "population": [1000, 1000]})
    if target is None:  # the default: the national value
        assert groomstats.funnel(df)["target"][0] == pytest.approx(400.0)
        return
    with pytest.raises(GroomstatsError, match="must be a non-negative number"):
        groomstats.funnel(df, target=target)  # type: ignore[arg-type]


def test_a_target_of_zero_is_accepted() -> None:
    # expected count 0: any count's exact lower limit is above it, a count of 0 is not
    df = pl.DataFrame({"offences": [0, 1, 5], "population": [1000, 1000, 1000]})
    f = groomstats.funnel(df, target=0)
    assert f["target"].to_list() == [0.0, 0.0, 0.0]
    assert f["significance"].to_list() == [_exact_label(x, 0.0) for x in (0, 1, 5)]
    assert f["significance"].to_list() == ["Not significant", "High (0.001)", "High (0.001)"]
    p = groomstats.funnel(df, statistic="proportion", target=0.0)
    assert p["target"][0] == 0.0


def test_a_rate_target_may_exceed_per_but_a_proportion_target_may_not() -> None:
    df = pl.DataFrame({"offences": [30, 5], "population": [10, 1000]})
    r = groomstats.funnel(df, target=150_000)  # 1.5 per person: a rate, not a proportion
    assert r["target"][0] == 150_000
    assert r["significance"].to_list() == [_exact_label(30, 15.0), _exact_label(5, 1500.0)]
    with pytest.raises(GroomstatsError, match="not a proportion of per=100"):
        groomstats.funnel(
            df.with_columns(pl.lit(100).alias("population")), statistic="proportion", target=150
        )
    full = groomstats.funnel(
        pl.DataFrame({"offences": [3, 10], "population": [10, 10]}),
        statistic="proportion",
        target=100,
    )
    # limits of zero width at 100%: 3 of 10 is below them, 10 of 10 on them
    assert full["significance"].to_list() == ["Low (0.001)", "Not significant"]


def test_a_missing_column_suggests_a_numeric_one() -> None:
    """The count and denominator must be numbers: a similar numeric column is suggested before
    a text column of the same name in another case."""
    df = pl.DataFrame(
        {
            "Offences": ["a", "b"],
            "offence_count": [3, 4],
            "Population": ["x", "y"],
            "population_n": [9, 8],
        }
    )
    with pytest.raises(GroomstatsError, match="did you mean 'offence_count'"):
        groomstats.funnel(df)
    with pytest.raises(GroomstatsError, match="did you mean 'population_n'"):
        groomstats.funnel(df, count="offence_count")


def test_unusable_rows_are_null_not_nan() -> None:
    """Missing is never a number: an unusable row's denominator, value and limits are null."""
    # 0 of 0 and 5 of 0 too: no 0/0 or 5/0 warning (warnings from groomstats are errors here)
    df = pl.DataFrame(
        {"offences": [3, -1, 4, 0, 5], "population": [1000.0, 1000.0, None, 0.0, 0.0]}
    )
    f = groomstats.funnel(df)
    for col in ("value", "funnel_lower_95", "funnel_upper_99_8"):
        assert f[col].null_count() == 4 and f[col].is_nan().sum() == 0, col
    # the denominator column is the input's, as a float: null where it was null
    assert f["denominator"].to_list() == [1000.0, 1000.0, None, 0.0, 0.0]
    assert f["value"][0] == pytest.approx(300.0)
    # the one usable area is not labelled against itself
    assert f["significance"].to_list() == [None, None, None, None, None]
    assert f["funnel_reason"].to_list()[1:] == [
        "negative offences (-1)",
        "missing population",
        "population 0.0 is not a positive number",
        "population 0.0 is not a positive number",
    ]


def test_a_value_on_a_limit_is_not_outside_it() -> None:
    # target 100%: limits of zero width at 100; 10 of 10 lies on them, 3 of 10 below
    f = groomstats.funnel(
        pl.DataFrame({"offences": [3, 10], "population": [10, 10]}),
        statistic="proportion",
        target=100,
        confidence=0.95,
    )
    assert f["funnel_upper_95"].to_list() == [100.0, 100.0]
    assert f["significance"].to_list() == ["Low (0.025)", "Not significant"]


def test_old_spelling_df_names_data() -> None:
    df = pl.DataFrame({"offences": [3, 5], "population": [1000, 1000]})
    for fn in (groomstats.funnel, groomstats.funnel_limits):
        with pytest.raises(GroomstatsError, match="df= is now data="):
            fn(df=df)  # type: ignore[call-arg]


@pytest.mark.parametrize("points", [True, 2.5, 1, 0, "10"])
def test_funnel_limits_points_must_be_an_integer_of_two_or_more(points: object) -> None:
    df = pl.DataFrame({"offences": [3, 5], "population": [1000, 4000]})
    with pytest.raises(GroomstatsError, match="must be an integer >= 2"):
        groomstats.funnel_limits(df, points=points)  # type: ignore[arg-type]


def test_funnel_limits_grid() -> None:
    """Default: 200 points from half the smallest to 1.1 times the largest denominator, evenly
    spaced on a log scale; two points is the least."""
    df = pl.DataFrame({"offences": [3, 5, 0], "population": [1000, 4000, 0]})
    c = groomstats.funnel_limits(df)
    assert c.height == 200
    d = c["denominator"].to_numpy()
    assert d[0] == pytest.approx(500.0) and d[-1] == pytest.approx(4400.0)
    assert d[1] / d[0] == pytest.approx((4400 / 500) ** (1 / 199))
    two = groomstats.funnel_limits(df, points=2, range=(10, 20))
    assert two["denominator"].to_list() == pytest.approx([10.0, 20.0])
    assert two["target"].to_list() == pytest.approx([1e5 * 8 / 5000] * 2)


def test_funnel_limits_range() -> None:
    df = pl.DataFrame({"offences": [1, 5], "population": [1, 4000]})
    # a denominator of one counts: the default grid starts at half of it
    assert groomstats.funnel_limits(df)["denominator"][0] == pytest.approx(0.5)
    small = groomstats.funnel_limits(df, points=2, range=(0.5, 10))
    assert small["denominator"].to_list() == pytest.approx([0.5, 10.0])
    for bad in ((0, 10), (-1, 10), (10, 10), (20, 10)):
        with pytest.raises(GroomstatsError, match="must be \\(smallest, largest\\)"):
            groomstats.funnel_limits(df, range=bad)


def test_method_says_which_limits() -> None:
    """Synthetic overdispersed areas (gamma-mixed Poisson and beta-binomial counts, seeded)."""
    rng = np.random.default_rng(7)
    pop = rng.uniform(5e4, 2e6, 40).round()
    rates = pl.DataFrame(
        {"offences": rng.poisson(3.5e-4 * pop * rng.gamma(4, 1 / 4, 40)), "population": pop}
    )
    props = pl.DataFrame(
        {"offences": rng.binomial(200, rng.beta(8, 32, 40)), "population": np.full(40, 200)}
    )
    assert groomstats.funnel(rates)["method"][0] == "exact Poisson"
    assert groomstats.funnel(props, statistic="proportion")["method"][0] == "Wilson"
    od = "overdispersion-adjusted (Spiegelhalter, {} scale)"
    assert groomstats.funnel(rates, overdispersion=True)["method"][0] == od.format("square root")
    for f in (groomstats.funnel, groomstats.funnel_limits):
        got = f(props, statistic="proportion", overdispersion=True)["method"][0]
        assert got == od.format("arcsine square root")

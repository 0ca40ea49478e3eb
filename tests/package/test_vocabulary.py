"""One vocabulary across the public API (issue 15 item 3): ``data`` first and positional,
``by=`` keyword-only with default None, ``count=`` wherever a count column is read,
``denominator=`` for population/exposure, ``confidence=`` a float or a tuple, interval columns
``lower_95``/``upper_95`` (``lower_99_8``...), and old spellings refused with an error naming
the new one."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import pytest
from scipy import stats

import groomstats
from groomstats import GroomstatsError


def quarters() -> pl.DataFrame:
    """Synthetic quarterly counts for two forces over 2018/19 and 2019/20."""
    starts = [date(2018, 4, 1), date(2018, 7, 1), date(2018, 10, 1), date(2019, 1, 1)]
    starts += [date(2019, 4, 1), date(2019, 7, 1), date(2019, 10, 1), date(2020, 1, 1)]
    ends = [date(2018, 6, 30), date(2018, 9, 30), date(2018, 12, 31), date(2019, 3, 31)]
    ends += [date(2019, 6, 30), date(2019, 9, 30), date(2019, 12, 31), date(2020, 3, 31)]
    return pl.DataFrame(
        {
            "force": ["Kent"] * 8 + ["Essex"] * 8,
            "period_start": starts * 2,
            "period_end": ends * 2,
            "offences": [10, 12, 15, 9, 20, 22, 18, 25, 7, 9, 8, 6, 5, 4, 9, 8],
        }
    )


def annual() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": ["A"] * 5,
            "financial_year": ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23"],
            "offences": [100, 120, 150, 170, 210],
            "population": [1e5, 1.01e5, 1.02e5, 1.03e5, 1.04e5],
        }
    )


# ---------------------------------------------------------------------------------------------
# old spellings raise GroomstatsError naming the new one

RATES_FRAME = pl.DataFrame({"force": ["A", "B"], "offences": [5, 9], "n": [1000, 2000]})

OLD_KEYWORDS: list[tuple[str, Callable[[], Any], str, str]] = [
    ("grooming", lambda: groomstats.grooming(df=quarters()), "df=", "data="),
    ("totals", lambda: groomstats.totals(df=quarters()), "df=", "data="),
    ("change", lambda: groomstats.change(df=quarters(), current="2019/20"), "df=", "data="),
    ("count_records", lambda: groomstats.count_records(df=quarters()), "df=", "data="),
    ("rates", lambda: groomstats.rates(df=RATES_FRAME, denominator="n"), "df=", "data="),
    (
        "rank_areas",
        lambda: groomstats.rank_areas(df=RATES_FRAME, column="offences"),
        "df=",
        "data=",
    ),
    ("shares", lambda: groomstats.shares(df=RATES_FRAME), "df=", "data="),
    ("funnel", lambda: groomstats.funnel(df=RATES_FRAME, denominator="n"), "df=", "data="),
    ("funnel_limits", lambda: groomstats.funnel_limits(df=RATES_FRAME), "df=", "data="),
    ("trend", lambda: groomstats.trend(df=annual()), "df=", "data="),
    ("joinpoint", lambda: groomstats.joinpoint(df=annual()), "df=", "data="),
    ("interrupted", lambda: groomstats.interrupted(df=annual(), at="2020/21"), "df=", "data="),
    (
        "trend exposure",
        lambda: groomstats.trend(annual(), exposure="population"),
        "exposure=",
        "denominator=",
    ),
    (
        "interrupted exposure",
        lambda: groomstats.interrupted(annual(), at="2020/21", exposure="population"),
        "exposure=",
        "denominator=",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "old", "new"), OLD_KEYWORDS, ids=[c[0] for c in OLD_KEYWORDS]
)
def test_old_keyword_names_the_new_one(
    name: str, call: Callable[[], Any], old: str, new: str
) -> None:
    with pytest.raises(GroomstatsError, match=f"the argument {old} is now {new}"):
        call()


OLD_POSITIONAL: list[tuple[str, Callable[[], Any], str]] = [
    ("totals", lambda: groomstats.totals(quarters(), "force"), "by='force'"),
    (
        "totals window",
        lambda: groomstats.totals(quarters(), "force", "2018/19"),
        "by='force', window='2018/19'",
    ),
    (
        "change",
        lambda: groomstats.change(quarters(), "2019/20", "2018/19", "force"),
        "by='force'",
    ),
    ("count_records", lambda: groomstats.count_records(quarters(), "force"), "by='force'"),
    ("trend", lambda: groomstats.trend(annual(), "force"), "by='force'"),
    ("joinpoint", lambda: groomstats.joinpoint(annual(), "force"), "by='force'"),
    ("interrupted", lambda: groomstats.interrupted(annual(), "2020/21", "force"), "by='force'"),
]


@pytest.mark.parametrize(
    ("name", "call", "hint"), OLD_POSITIONAL, ids=[c[0] for c in OLD_POSITIONAL]
)
def test_by_passed_by_position_says_keyword(name: str, call: Callable[[], Any], hint: str) -> None:
    with pytest.raises(GroomstatsError, match=f"keyword-only: pass {hint}"):
        call()


# ---------------------------------------------------------------------------------------------
# by: default None everywhere, duplicates refused everywhere


def test_by_defaults_to_no_grouping() -> None:
    q = quarters()
    t = groomstats.totals(q, window="2018/19")
    assert t.height == 1 and t["offences"][0] == 10 + 12 + 15 + 9 + 7 + 9 + 8 + 6
    c = groomstats.change(q, current="2019/20")
    assert c.height == 1 and "force" not in c.columns
    assert (c["current"][0], c["baseline"][0]) == (20 + 22 + 18 + 25 + 5 + 4 + 9 + 8, 76)
    assert groomstats.count_records(q)["offences"].to_list() == [16]
    assert groomstats.rates(RATES_FRAME, denominator="n").height == 2


DUPLICATE_BY: list[tuple[str, Callable[[], Any]]] = [
    ("totals", lambda: groomstats.totals(quarters(), by=["force", "force"])),
    ("change", lambda: groomstats.change(quarters(), "2019/20", by=["force", "force"])),
    ("count_records", lambda: groomstats.count_records(quarters(), by=["force", "force"])),
    ("rates", lambda: groomstats.rates(RATES_FRAME, denominator="n", by=["force", "force"])),
    ("rank_areas", lambda: groomstats.rank_areas(RATES_FRAME, "offences", by=["force", "force"])),
    ("trend", lambda: groomstats.trend(annual(), by=["force", "force"])),
    ("joinpoint", lambda: groomstats.joinpoint(annual(), by=["force", "force"])),
    ("interrupted", lambda: groomstats.interrupted(annual(), "2020/21", by=["force", "force"])),
]


@pytest.mark.parametrize(("name", "call"), DUPLICATE_BY, ids=[c[0] for c in DUPLICATE_BY])
def test_a_by_column_named_twice_is_refused(name: str, call: Callable[[], Any]) -> None:
    with pytest.raises(GroomstatsError, match="a column is named twice"):
        call()


# ---------------------------------------------------------------------------------------------
# count= in totals, change and shares


def test_count_names_the_count_column_in_totals_and_change() -> None:
    q = quarters()
    renamed = q.rename({"offences": "crimes"}).with_columns(offences=pl.lit(-1))
    t = groomstats.totals(renamed, by="force", window="2018/19", count="crimes")
    assert "crimes" in t.columns
    assert t.sort("force")["crimes"].to_list() == [7 + 9 + 8 + 6, 10 + 12 + 15 + 9]
    a = groomstats.change(q, current="2019/20", by="force")
    b = groomstats.change(renamed, current="2019/20", by="force", count="crimes")
    assert a.drop("national_source").equals(b.drop("national_source"))
    with pytest.raises(groomstats.DataFormatError, match="missing column 'victims'"):
        groomstats.totals(q, count="victims")


def test_count_names_the_count_column_in_shares() -> None:
    b = pl.DataFrame(
        {
            "period": ["2023/24"] * 3,
            "category": ["platform"] * 3,
            "value": ["Snapchat", "Instagram", "WhatsApp"],
            "crimes": [30, 8, 2],
            "suppressed": [False] * 3,
        }
    )
    out = groomstats.shares(b, count="crimes")
    assert out["crimes"].to_list() == [30, 8, 2]
    assert out["value"][0] == pytest.approx(75.0)


# ---------------------------------------------------------------------------------------------
# confidence: a float or a tuple everywhere; lower_95 / upper_95 everywhere


def test_rate_ratio_and_poisson_intervals_per_level_match_scipy() -> None:
    r = groomstats.rate_ratio_test([150], [100], confidence=(0.95, 0.998))
    for level, sfx in ((0.95, "95"), (0.998, "99_8")):
        ci = stats.binomtest(150, 250, 0.5).proportion_ci(level, method="exact")
        assert r[f"lower_{sfx}"][0] == pytest.approx(ci.low / (1 - ci.low), rel=1e-9)
        assert r[f"upper_{sfx}"][0] == pytest.approx(ci.high / (1 - ci.high), rel=1e-9)
    p = groomstats.poisson_ci([10], confidence=(0.95, 0.998))
    assert p["lower_99_8"][0] == pytest.approx(stats.chi2.ppf(0.001, 20) / 2, rel=1e-9)
    assert p["upper_95"][0] == pytest.approx(stats.chi2.ppf(0.975, 22) / 2, rel=1e-9)


def test_change_accepts_a_tuple_of_levels() -> None:
    one = groomstats.change(quarters(), current="2019/20", by="force")
    two = groomstats.change(quarters(), current="2019/20", by="force", confidence=(0.95, 0.998))
    assert one["lower_95"].equals(two["lower_95"])
    assert (two["lower_99_8"] < two["lower_95"]).all()
    assert (two["upper_99_8"] > two["upper_95"]).all()
    assert "lower" not in two.columns


def test_trend_intervals_per_level_are_wald_intervals_of_the_apc() -> None:
    out = groomstats.trend(annual(), confidence=(0.95, 0.998), denominator="population")
    row = out.row(0, named=True)
    for level, sfx in ((0.95, "95"), (0.998, "99_8")):
        z = stats.norm.ppf(0.5 + level / 2)
        assert row[f"lower_{sfx}"] == pytest.approx(100 * math.expm1(row["coef"] - z * row["se"]))
        assert row[f"upper_{sfx}"] == pytest.approx(100 * math.expm1(row["coef"] + z * row["se"]))
    assert "apc_lower" not in out.columns


def test_interrupted_prefixes_each_estimate() -> None:
    out = groomstats.interrupted(annual(), at="2020/21", confidence=(0.95, 0.998))
    row = out.row(0, named=True)
    for est in ("level", "slope", "apc_before", "apc_after"):
        for sfx in ("95", "99_8"):
            assert f"{est}_lower_{sfx}" in out.columns and f"{est}_upper_{sfx}" in out.columns
    z = stats.norm.ppf(0.999)
    se = math.log(row["slope_upper_95"] / row["slope_change"]) / stats.norm.ppf(0.975)
    assert row["slope_lower_99_8"] == pytest.approx(row["slope_change"] * math.exp(-z * se))
    assert "level_lower" not in out.columns


def test_joinpoint_names_its_intervals_like_every_other_function() -> None:
    df = pl.DataFrame(
        {
            "year": list(range(2018, 2030)),
            "offences": [100, 121, 146, 177, 214, 259, 246, 234, 223, 211, 201, 191],
        }
    )
    one = groomstats.joinpoint(df, time="year", max_joins=1, selection="bic")
    wide = groomstats.joinpoint(df, time="year", max_joins=1, selection="bic", confidence=0.998)
    assert one.segments["apc"].equals(wide.segments["apc"])
    assert (wide.segments["lower_99_8"] < one.segments["lower_95"]).all()
    assert "apc_lower" not in one.segments.columns and "aapc_lower" not in one.aapc.columns

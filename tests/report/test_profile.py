"""Force profiles: facts computed from the embedded data, worded without overstatement."""

from __future__ import annotations

import datetime as dt
import re

import ons_sums
import polars as pl
import pytest
import report_oracles
from scipy import stats

import groomstats
from groomstats import datasets
from groomstats.report.context import Context, context
from groomstats.report.profile import FACT_SCHEMA, profile
from groomstats.report.wording import times_phrase


@pytest.fixture(scope="module")
def ctx() -> Context:
    return context()


@pytest.fixture(scope="module")
def territorial(grooming_2017_18: pl.DataFrame) -> list[str]:
    return grooming_2017_18.filter(pl.col("territorial"))["force"].unique().sort().to_list()


@pytest.fixture(scope="module")
def profiles(ctx: Context, territorial: list[str]) -> dict[str, groomstats.Profile]:
    return {f: profile(force=f, ctx=ctx) for f in territorial}


def test_context_national_figures_match_published(ctx: Context) -> None:
    # DOMAIN.md: 4,444 including BTP (15), 4,429 for the 43 forces
    assert (ctx.national, ctx.national_with_btp, ctx.btp) == (4429, 4444, 15)
    assert ctx.year == "2017/18"
    assert ctx.quarter == 4


def test_every_force_count_comes_from_the_data(
    profiles: dict[str, groomstats.Profile], grooming_2017_18: pl.DataFrame
) -> None:
    assert len(profiles) == 43
    sums = dict(grooming_2017_18.group_by("force").agg(pl.col("offences").sum()).iter_rows())
    for force, p in profiles.items():
        assert p.frame.schema == pl.Schema(FACT_SCHEMA)
        assert p.value("offences_year") == sums[force]
        assert p.value("national_offences_year") == 4429
        q4 = grooming_2017_18.filter((pl.col("force") == force) & (pl.col("quarter") == 4))[
            "offences"
        ].sum()
        assert p.value("offences_latest_quarter") == q4
        assert p.value("share_of_national") == pytest.approx(100 * sums[force] / 4429)
        assert p.sentences()[0].startswith(
            ("Police in", "The Metropolitan", "City of London Police")
        )
        assert f"recorded {sums[force]:,} sexual grooming offences" in p.sentences()[0]


def test_same_period_last_year_is_a_caveat_not_a_number(
    profiles: dict[str, groomstats.Profile],
) -> None:
    for p in profiles.values():
        row = p.row("same_period_last_year")
        assert row is not None
        assert row["value"] is None
        assert row["text"] == "not available"
        assert "series break" in row["caveat"]
        assert any("No like-for-like comparison with 2016/17" in s for s in p.sentences())


def test_significant_only_when_the_test_says_so(profiles: dict[str, groomstats.Profile]) -> None:
    """Every 'statistically significant' claim is backed by p < 0.05 and vice versa."""
    seen = {"sig": 0, "not": 0}
    for p in profiles.values():
        for s in p.sentences():
            for m in re.finditer(r"(not )?statistically significant[^)]*?p ([<=]) ([0-9.]+)", s):
                negated, op, val = m.group(1), m.group(2), float(m.group(3))
                if negated:
                    seen["not"] += 1
                    assert op == "=" and val >= 0.05, s
                    assert "a statistically significant" not in s, s
                else:
                    seen["sig"] += 1
                    assert (op == "<" and val <= 0.001) or val < 0.05, s
            bare = s.replace("not statistically significant", "").replace(
                "statistically significant", ""
            )
            assert "significant" not in bare, s
    assert seen["sig"] > 0 and seen["not"] > 0


def test_thames_valley_published_comparison() -> None:
    p = groomstats.profile(force="Thames Valley")
    news = datasets.news_figures().filter(
        (pl.col("force") == "Thames Valley") & pl.col("comparison_offences").is_not_null()
    )
    n, b = news["offences"][0], news["comparison_offences"][0]
    assert (n, b) == (274, 114)
    assert p.value("reported_change") == pytest.approx(100 * (n - b) / b)
    nat = p.row("reported_national_change")
    assert nat is not None
    # DOMAIN.md: national +36% (4,373 against 3,217)
    assert nat["text"] == "4,373 against 3,217"
    assert nat["value"] == pytest.approx(100 * (4373 - 3217) / 3217)
    ratio = p.value("reported_change_ratio")
    assert ratio == pytest.approx((274 / 114 - 1) / (4373 / 3217 - 1))
    sentence = next(s for s in p.sentences() if "274" in s)
    assert (
        "up 140%, almost four times the national rate of increase (36%: 4,373 against 3,217)"
        in (sentence)
    )
    # the exact test of the change: scipy's binomial test on the split of 274 + 114 by days
    row = p.row("reported_change")
    assert row is not None
    t1 = (dt.date(2019, 3, 31) - dt.date(2018, 4, 1)).days + 1
    t2 = (dt.date(2018, 3, 31) - dt.date(2017, 4, 3)).days + 1
    ref = stats.binomtest(274, 388, t1 / (t1 + t2)).pvalue
    assert "p < 0.001" in row["text"] and ref < 0.001


def test_series_break_comparison_is_reported_but_not_computed() -> None:
    p = groomstats.profile(force="Northamptonshire")
    row = p.row("reported_comparison")
    assert row is not None
    assert (row["value"], row["baseline"]) == (33, 5)
    assert "series break" in row["caveat"]
    s = next(s for s in p.sentences() if "33 offences" in s)
    assert "not comparable" in s
    assert "%" not in s


def test_derbyshire_revision_is_shown() -> None:
    # DOMAIN.md: 46 in this 2019 vintage against 47 published in April 2018
    p = groomstats.profile(force="Derbyshire")
    row = p.row("revision")
    assert row is not None
    assert (row["value"], row["baseline"]) == (46, 47)
    assert any("revision between releases" in s for s in p.sentences())


def test_within_year_change_matches_scipy(ctx: Context, grooming_2017_18: pl.DataFrame) -> None:
    p = groomstats.profile(force="Thames Valley", ctx=ctx)
    tv = grooming_2017_18.filter(pl.col("force") == "Thames Valley")
    h2 = tv.filter(pl.col("quarter") >= 3)["offences"].sum()
    h1 = tv.filter(pl.col("quarter") <= 2)["offences"].sum()
    row = p.row("change_within_year")
    assert row is not None
    assert row["value"] == pytest.approx(100 * (h2 - h1) / h1)
    t2, t1 = 182, 183  # October-March, April-September
    ci = stats.binomtest(h2, h1 + h2).proportion_ci(0.95, method="exact")
    # rate ratio limits from Clopper-Pearson limits of the binomial proportion
    lo = ci.low * t1 / ((1 - ci.low) * t2)
    hi = ci.high * t1 / ((1 - ci.high) * t2)
    assert row["lower"] == pytest.approx(100 * (lo - 1), rel=1e-6)
    assert row["upper"] == pytest.approx(100 * (hi - 1), rel=1e-6)
    terr = grooming_2017_18.filter(pl.col("territorial"))
    n2 = terr.filter(pl.col("quarter") >= 3)["offences"].sum()
    n1 = terr.filter(pl.col("quarter") <= 2)["offences"].sum()
    assert p.value("national_change_within_year") == pytest.approx(100 * (n2 - n1) / n1)


def test_rates_and_rank(profiles: dict[str, groomstats.Profile]) -> None:
    # 2017/18 counts over children in mid-2017 (the mid-year inside the financial year)
    pop = datasets.population(2017, "0-17")
    kids = dict(pop.select("force", "population").iter_rows())
    nat = profiles["Kent"].value("national_rate")
    assert nat == pytest.approx(4429 / sum(kids.values()) * 1e5)
    ranked = {}
    for force, p in profiles.items():
        row = p.row("rate")
        assert row is not None
        assert row["value"] == pytest.approx(p.value("offences_year") / kids[force] * 1e5)
        assert row["lower"] < row["value"] < row["upper"]
        assert "mid-2017" in row["caveat"] and "first published" in row["caveat"]
        if p.value("rank") is not None:
            ranked[force] = (row["value"], p.value("rank"))
    assert len(ranked) == 42
    assert "City of London" not in ranked
    for force, (value, rank) in ranked.items():
        assert rank == 1 + sum(v > value for v, _ in ranked.values()), force
    col = profiles["City of London"]
    assert any("not a meaningful measure" in s for s in col.sentences())


def test_funnel_wording_follows_the_labels(profiles: dict[str, groomstats.Profile]) -> None:
    # independent labels: counts and children summed by hand from the shipped files, each
    # force's exact interval against the national rate (tests/report_oracles.py)
    forces = report_oracles.territorial_forces()
    counts = {k: v for k, v in report_oracles.grooming_counts().items() if k in forces}
    kids = ons_sums.children(2017)
    labels = report_oracles.funnel_labels(counts, {k: kids[forces[k]] for k in counts})
    assert len(labels) == len(profiles) == 43
    assert sum(v != "Not significant" for v in labels.values()) == 28
    for force, p in profiles.items():
        row = p.row("funnel_significance")
        if force == "City of London":  # too few children: no funnel claim
            assert row is None
            continue
        assert row is not None and row["text"] == labels[force]
        s = next(s for s in p.sentences() if s.startswith("On a funnel plot"))
        if labels[force] == "Not significant":
            assert "not statistically significantly different" in s
        elif labels[force].startswith("High"):
            assert "statistically significantly higher" in s
        else:
            assert "statistically significantly lower" in s


def test_welsh_forces_nspcc_series() -> None:
    p = groomstats.profile(force="Dyfed-Powys")
    wales = datasets.nspcc_wales().filter(pl.col("force") == "Dyfed-Powys").sort("financial_year")
    last, prev = wales["offences"][-1], wales["offences"][-2]
    row = p.row("nspcc_year_on_year")
    assert row is not None
    assert row["value"] == pytest.approx(100 * (last - prev) / prev)
    ref = stats.binomtest(last, last + prev, 0.5).pvalue
    assert ref < 0.001 and "p < 0.001" in row["text"]
    first = p.row("nspcc_first_year")
    assert first is not None and "six month" in first["caveat"]
    # independent answer: statsmodels' quasi-Poisson GLM on the force's shipped whole years
    # (2017/18 covers six months: complete=False, left out)
    whole = wales.filter(pl.col("complete"))
    assert whole["financial_year"][0] == "2018/19"
    ref_fit = report_oracles.quasipoisson_trend(
        whole["financial_year"].to_list(), whole["offences"].to_list()
    )
    apc = p.row("nspcc_trend_apc")
    assert apc is not None
    assert (apc["value"], apc["lower"], apc["upper"]) == pytest.approx(
        (ref_fit["apc"], ref_fit["lower_95"], ref_fit["upper_95"])
    )
    s = next(s for s in p.sentences() if s.startswith("Over 2018/19"))
    if ref_fit["pvalue"] < 0.05:
        assert "a statistically significant" in s
    else:
        assert "not statistically significant" in s
    sw = groomstats.profile(force="South Wales")
    row = sw.row("nspcc_year_on_year")
    assert row is not None and row["value"] is None
    assert "no figure was provided for 2022/23" in row["caveat"]


def test_reported_platform_and_age_shares() -> None:
    from statsmodels.stats.proportion import proportion_confint

    p = groomstats.profile(force="Nottinghamshire")
    plat, age = p.row("share_platform"), p.row("share_age")
    assert plat is not None and age is not None
    assert plat["text"] == "44 of 86" and age["text"] == "48 of 86"
    lo, hi = proportion_confint(44, 86, alpha=0.05, method="wilson")
    assert (plat["value"], plat["lower"], plat["upper"]) == pytest.approx(
        (100 * 44 / 86, 100 * lo, 100 * hi)
    )
    s = next(s for s in p.sentences() if "involved" in s)
    assert "44 (51%, 95% CI 41% to 61%) involved Facebook, Snapchat or Instagram" in s


def test_missing_from_national_caveat() -> None:
    p = groomstats.profile(force="Surrey")
    row = p.row("caveat_missing_from_national")
    assert row is not None
    assert "missing" in row["caveat"]


def test_profile_spellings_and_errors() -> None:
    assert groomstats.profile(force="Avon & Somerset").force == "Avon and Somerset"
    with pytest.raises(groomstats.UnknownAreaError, match="Thames Valley"):
        groomstats.profile(force="Thames Vally")
    with pytest.raises(groomstats.UnknownAreaError, match="territorial"):
        groomstats.profile(force="British Transport Police")


def test_profile_accepts_pandas_frame() -> None:
    prc = datasets.prc()
    small = prc.filter(pl.col("offence_code") == "88A").to_pandas()
    p = groomstats.profile(small, force="Kent")
    assert p.value("offences_year") == 45


def test_repr_and_html() -> None:
    p = groomstats.profile(force="Gwent")
    assert repr(p).startswith("Profile of Gwent:")
    html = p._repr_html_()
    assert "<h3>Gwent</h3>" in html and "<table" in html


@pytest.mark.parametrize(
    ("ratio", "words"),
    [(3.906, "almost four times"), (2.0, "about twice"), (1.0, "about the same as")],
)
def test_times_phrase(ratio: float, words: str) -> None:
    assert times_phrase(ratio) == words


def test_welsh_trend_caveat_says_why_a_year_was_left_out() -> None:
    """The trend row's caveat names each year left out and why, from trend()'s left_out: a part
    year (Dyfed-Powys 2017/18, six months) is not a year 'with no figure' (it has one: 19)."""
    dp = groomstats.profile(force="Dyfed-Powys").row("nspcc_trend_apc")
    assert dp is not None
    assert dp["caveat"] == (
        "log-linear quasi-Poisson fit; left out: 2017/18: incomplete (complete=False)"
    )
    gwent = groomstats.profile(force="Gwent").row("nspcc_trend_apc")
    assert gwent is not None
    assert gwent["caveat"] == "log-linear quasi-Poisson fit; left out: 2020/21: count missing"
    north = groomstats.profile(force="North Wales").row("nspcc_trend_apc")
    assert north is not None and north["caveat"] == "log-linear quasi-Poisson fit; no year left out"

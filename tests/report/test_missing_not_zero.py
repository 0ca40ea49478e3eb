"""Missing is never zero: N/a cells and quarters absent from the data stay visible through the
profile and the report (issue 11, item 3).

The files are the real 2017/18 table shipped in the package with cells set to ``N/a`` (a
real marker in these tables) or with quarters left out; expected figures are counted from the
raw cells here, independently of the package.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets
from groomstats.report.context import context
from groomstats.report.sections import write_report

RAW = pl.read_csv(datasets.path("prc"), infer_schema=False)
G88A = pl.col("Offence Code") == "88A"
TERRITORIAL = ~pl.col("Force Name").is_in(
    ["British Transport Police", "Action Fraud", "CIFAS", "UK Finance"]
)


def _count(frame: pl.DataFrame) -> int:
    return sum(int(v) for v in frame["Number of Offences"].str.strip_chars())


def _na(tmp: Path, force: str, quarters: tuple[str, ...], name: str) -> Path:
    hit = (pl.col("Force Name") == force) & G88A & pl.col("Financial Quarter").is_in(quarters)
    path = tmp / name
    RAW.with_columns(
        pl.when(hit)
        .then(pl.lit("N/a"))
        .otherwise(pl.col("Number of Offences"))
        .alias("Number of Offences")
    ).write_csv(path)
    return path


@pytest.fixture(scope="module")
def kent_all_na(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    path = _na(tmp_path_factory.mktemp("na"), "Kent", ("1", "2", "3", "4"), "kent.csv")
    return groomstats.read_prc(path)


@pytest.fixture(scope="module")
def kent_half_na(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    path = _na(tmp_path_factory.mktemp("na2"), "Kent", ("1", "2"), "kent2.csv")
    return groomstats.read_prc(path)


def test_kent_all_na_is_not_zero_nor_ranked(kent_all_na: pl.DataFrame) -> None:
    p = groomstats.profile(kent_all_na, force="Kent")
    text = " ".join(p.sentences())
    assert "Kent recorded 0" not in text and "recorded 0 " not in text
    assert "not available" in p.sentences()[0]
    assert p.value("offences_year") is None
    assert p.row("offences_year")["text"] == "not available"  # type: ignore[index]
    assert p.value("rate") is None and p.row("rank") is None
    assert p.row("funnel_significance") is None
    ctx = context(kent_all_na)
    kent = ctx.rates.filter(pl.col("force") == "Kent").row(0, named=True)  # type: ignore[union-attr]
    assert kent["value"] is None and kent["rank"] is None
    assert "not available" in kent["reason"] or "incomplete" in kent["reason"]
    assert ctx.funnel is not None
    assert ctx.funnel.filter(pl.col("force") == "Kent")["significance"][0] is None
    # ranked over the other 41 with a reliable rate (City of London flagged)
    assert ctx.rates["rank"].drop_nulls().len() == 41  # type: ignore[index]
    # the national figure is flagged, and the rate comparator says which forces it covers
    truth = _count(RAW.filter(G88A & TERRITORIAL & (pl.col("Force Name") != "Kent")))
    assert ctx.national == truth and not ctx.national_complete
    assert ctx.incomplete_forces == ["Kent"]
    essex = groomstats.profile(force="Essex", ctx=ctx).sentences()
    assert any("an incomplete total: figures for Kent are not available" in s for s in essex)
    # the comparator names the 42 forces it covers (wording: areas.comparator_label)
    assert any(re.search(r"for (the )?42 forces(:| with complete)", s) for s in essex)
    assert any(re.search(r"funnel plot.*around the rate of (the )?42 forces", s) for s in essex)
    assert not any(re.search(r"\d% of the 4,384", s) for s in essex)


def test_kent_half_na_says_two_of_four_quarters(kent_half_na: pl.DataFrame) -> None:
    ctx = context(kent_half_na)
    p = groomstats.profile(force="Kent", ctx=ctx)
    first = p.sentences()[0]
    known = _count(
        RAW.filter(
            (pl.col("Force Name") == "Kent") & G88A & pl.col("Financial Quarter").is_in(["3", "4"])
        )
    )
    assert f"Police in Kent recorded {known} sexual grooming offences" in first
    assert "two of the four quarters of 2017/18" in first
    assert "not available" in first and "no share, rate or rank" in first
    assert "incomplete" in (p.row("offences_year") or {}).get("caveat", "")
    assert p.value("rate") is None and p.row("rank") is None
    # the national rate is over the 42 complete forces only: checked by hand
    # (children aged 0-17 at mid-2017, the mid-year inside 2017/18)
    pop = datasets.population(year=2017, age_band="0-17")
    whole = ctx.by_force.filter(pl.col("territorial") & pl.col("complete"))
    kids = pop.filter(pl.col("force_code").is_in(whole["force_code"].to_list()))["population"]
    expect = 1e5 * int(whole["offences"].sum()) / int(kids.sum())
    assert ctx.national_rate["forces"] == 42
    assert ctx.national_rate["value"] == pytest.approx(expect, rel=1e-12)
    # the halves of the year leave Kent out of the national side too
    assert ctx.within is not None and "Kent" not in ctx.within["force"].to_list()
    h1 = _count(
        RAW.filter(
            G88A
            & TERRITORIAL
            & (pl.col("Force Name") != "Kent")
            & pl.col("Financial Quarter").is_in(["1", "2"])
        )
    )
    assert ctx.within["national_baseline"][0] == h1


def test_q1_only_is_not_presented_as_the_year(tmp_path: Path) -> None:
    path = tmp_path / "q1.csv"
    RAW.filter(pl.col("Financial Quarter") == "1").write_csv(path)
    ctx = context(groomstats.read_prc(path))
    assert ctx.period == "2017/18 Q1" and ctx.quarters_in_window == 1
    assert ctx.national == _count(
        RAW.filter(G88A & TERRITORIAL & (pl.col("Financial Quarter") == "1"))
    )
    p = groomstats.profile(force="Kent", ctx=ctx)
    text = " ".join(p.sentences())
    assert "April-June 2017 (one of the four quarters of 2017/18" in p.sentences()[0]
    assert "not annual rates" in text
    assert (p.row("national_rate") or {})["period"] == "2017/18 Q1"
    result = write_report(tmp_path / "rep", data=[path])
    md = result.path.read_text(encoding="utf-8")
    assert md.startswith("# Child grooming crimes in England and Wales, 2017/18 Q1")
    assert "Offences in 2017/18 per 100,000" not in md
    assert "These are rates for part of the year only, not annual rates." in md
    assert "In April-June 2017 (one of the four quarters of 2017/18" in md


def test_report_flags_the_incomplete_national_total(tmp_path: Path) -> None:
    path = _na(tmp_path, "Kent", ("1", "2", "3", "4"), "kent.csv")
    result = write_report(tmp_path / "rep", data=[path], force="Kent")
    assert result.incomplete == ["Kent"]
    assert (
        "incomplete: figures not available (N/a, blank or suppressed) for Kent" in result.summary()
    )
    md = result.path.read_text("utf-8")
    assert "These totals are incomplete: figures for Kent are not available" in md
    assert "2017/18 total (incomplete)" in md
    assert "Kent recorded 0" not in md
    # the opening sentence gives the incomplete sum as a floor, never as the forces' count
    terr = RAW.filter(G88A & TERRITORIAL & (pl.col("Force Name") != "Kent"))
    btp = RAW.filter(G88A & (pl.col("Force Name") == "British Transport Police"))
    known, with_btp = _count(terr), _count(terr) + _count(btp)
    assert f"police forces of England and Wales recorded at least {known:,} sexual" in md
    assert f"the total is at least {with_btp:,}." in md


def test_a_complete_national_total_is_not_a_floor(tmp_path: Path) -> None:
    result = write_report(tmp_path / "rep", force="Kent")
    md = result.path.read_text("utf-8")
    n = _count(RAW.filter(G88A & TERRITORIAL))
    assert f"police forces of England and Wales recorded {n:,} sexual grooming offences" in md
    assert "at least" not in md.split("## ", 2)[1]


def test_na_quarters_are_gaps_in_the_charts(kent_half_na: pl.DataFrame) -> None:
    from groomstats.report.sections import force_chart

    ctx = context(kent_half_na)
    kent = ctx.force_quarters.filter(pl.col("force") == "Kent").sort("period_start")
    assert kent["offences"].to_list()[:2] == [None, None]
    assert kent["lower"].to_list()[:2] == [None, None]
    fig = force_chart(ctx, "Kent")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("no figures" in t and "Q1" in t and "Q2" in t for t in labels)

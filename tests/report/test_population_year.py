"""The embedded 2017/18 report and profiles use children in mid-2017 (the mid-year inside
2017/18) and state the population year beside every rate. The expected national rate is
worked by hand from the shipped district files (tests/ons_sums.py)."""

from __future__ import annotations

import re
from pathlib import Path

import ons_sums
import polars as pl
import pytest

import groomstats
from groomstats import datasets
from groomstats.report import write_report
from groomstats.report.context import context


@pytest.fixture(scope="module")
def kent_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = write_report(tmp_path_factory.mktemp("pop"), force="Kent")
    return Path(out.path).read_text()


def test_context_uses_mid_2017_children() -> None:
    ctx = context()
    kids = sum(ons_sums.children(2017).values())
    assert ctx.national_rate["year"] == 2017
    assert ctx.national_rate["children"] == kids
    assert ctx.national_rate["value"] == pytest.approx(4_429 / kids * 1e5, rel=1e-14)
    assert ctx.national_rate["vintage"].startswith("first published")
    assert ctx.rates is not None and set(ctx.rates["population_year"]) == {2017}


def test_profile_states_the_population_year_with_every_rate() -> None:
    p = groomstats.profile(force="Kent")
    for fact in ("rate", "national_rate", "funnel_significance", "rank"):
        row = p.row(fact)
        assert row is not None, fact
        assert "mid-2017" in row["source"], fact
    assert "mid-2017" in str(p.row("rate")["caveat"])  # type: ignore[index]
    sentence = next(s for s in p.sentences() if "per 100,000" in s)
    assert "children counted in mid-2017" in sentence


def test_report_names_mid_2017_beside_rates_and_never_mid_2023(kent_report: str) -> None:
    assert "mid-2023" not in kent_report
    para = kent_report.split("### Rates per 100,000 children", 1)[1].split("\n\n")[1]
    assert "ONS mid-2017 estimates, first published" in para
    assert "Children 0-17, mid-2017" in kent_report
    sources = kent_report.split("Sources and methods", 1)[1]
    assert re.search(r"population estimates, mid-2017 \(first published", sources)


def test_a_year_without_population_says_which_mid_year_it_used() -> None:
    # the real 2017/18 rows relabelled 2024/25 (synthetic: not real 2024/25 figures), a year
    # whose mid-year (mid-2024) is not shipped
    prc = datasets.prc().with_columns(
        financial_year=pl.lit("2024/25"),
        period_start=pl.col("period_start").dt.offset_by("7y"),
        period_end=pl.col("period_end").dt.offset_by("7y"),
    )
    with pytest.warns(groomstats.PopulationYearWarning, match="mid-2024.*mid-2023 used"):
        ctx = context(prc)
    assert ctx.national_rate["year"] == 2023
    p = groomstats.profile(prc, force="Kent", ctx=ctx)
    caveat = str(p.row("rate")["caveat"])  # type: ignore[index]
    assert "mid-2023" in caveat and "mid-2024" in caveat and "not available" in caveat

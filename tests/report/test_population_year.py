"""The embedded 2017/18 report and profiles use children in mid-2017 (the mid-year inside
2017/18) and state the population year beside every rate. The expected national rate is
worked by hand from the shipped district files (tests/ons_sums.py)."""

from __future__ import annotations

import re
from pathlib import Path

import ons_sums
import pytest

import groomstats
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

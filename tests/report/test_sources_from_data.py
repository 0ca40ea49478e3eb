"""The report's chart source lines and its Sources section name the data actually used (the
shipped table or the files given), the years and the ONS mid-year population: never the
embedded 2017/18 table's description for other data (issue 11, item 6)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from groomstats import datasets
from groomstats.report import write_report


def _meta(png: Path) -> dict[str, str]:
    with Image.open(png) as im:
        return dict(im.text)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(tmp_path_factory.mktemp("embedded"), force="Kent").path.parent


@pytest.fixture(scope="module")
def given(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("given")
    f = d / "my-prc-export.csv.gz"  # the shipped table under another name: data "as given"
    shutil.copy(datasets.path("prc"), f)
    return write_report(d / "out", data=[f], force="Kent").path.parent


def test_embedded_sources_say_what_the_shipped_table_is(embedded: Path) -> None:
    src = _meta(embedded / "charts" / "funnel.png")["Source"]
    assert "2017/18 table shipped with groomstats" in src
    assert "ONS mid-2017 population estimates (first published" in src
    assert "Open Government Licence v3.0" in src
    assert "ONS mid-2017" not in _meta(embedded / "charts" / "forces-by-quarter.png")["Source"]


def test_given_files_are_named_in_every_source(given: Path) -> None:
    for chart in ("funnel", "rates-ranked", "forces-by-quarter", "england-and-wales-quarters"):
        src = _meta(given / "charts" / f"{chart}.png")["Source"]
        assert "my-prc-export.csv.gz" in src, chart
        assert "shipped with groomstats" not in src, chart
        assert "2017/18" in src, chart  # the years of the data given
    sources = (given / "report.md").read_text().split("## Sources and methods", 1)[1]
    assert "my-prc-export.csv.gz" in sources
    assert "2019 edition" not in sources
    assert "mid-2017" in sources


def test_facts_of_given_data_never_claim_the_shipped_vintage(given: Path) -> None:
    text = (given / "report.md").read_text()
    kent = text.split("## Kent", 1)[1].split("\n## ", 1)[0]
    assert "my-prc-export.csv.gz" in kent
    assert "2019 vintage" not in text and "2019 edition" not in text
    assert "embedded Home Office table covers" not in text

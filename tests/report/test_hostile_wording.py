"""Report honesty items found by hostile testing.

* the notebook view of a report (``ReportResult._repr_html_``) and the message for a body with
  no profile named the whole year where the data cover only part of it;
* a force absent from a quarter of the data (a year's sheet without it) was worded "N/a or
  blank": absent is not the same as published N/a, and the report now says "not in the data";
* wide tables made the whole HTML page scroll sideways: each table now scrolls in its own box.

The frames are the real 2017/18 table shipped in the package with rows left out or cells set
to ``N/a``; the 2018/19 rows of the two-year frame are SYNTHETIC (the 2017/18 rows relabelled,
never asserted as real figures).
"""

from __future__ import annotations

import base64
import re
import shutil
import sys
import tempfile
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import UnknownAreaError, datasets
from groomstats.report.context import context, not_profiled
from groomstats.report.document import Document
from groomstats.report.sections import ReportResult

RAW = pl.read_csv(datasets.path("prc"), infer_schema=False)
IS_88A = pl.col("Offence Code") == "88A"


def _read(tmp: Path, frame: pl.DataFrame, name: str) -> pl.DataFrame:
    path = tmp / name
    frame.write_csv(path)
    return groomstats.read_prc(path)


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """Kent's quarter 2 rows left out of the file; Dorset's 88A quarter 3 published N/a."""
    kent_q2 = (pl.col("Force Name") == "Kent") & (pl.col("Financial Quarter") == "2")
    dorset_q3 = (pl.col("Force Name") == "Dorset") & IS_88A & (pl.col("Financial Quarter") == "3")
    frame = RAW.filter(~kent_q2).with_columns(
        pl.when(dorset_q3)
        .then(pl.lit("N/a"))
        .otherwise(pl.col("Number of Offences"))
        .alias("Number of Offences")
    )
    return _read(tmp_path_factory.mktemp("gaps"), frame, "gaps.csv")


def test_absent_and_na_quarters_are_worded_apart(gaps: pl.DataFrame) -> None:
    ctx = context(gaps)
    notes = dict(ctx.quarters.select("period", "note").iter_rows())
    marks = dict(ctx.quarters.select("period", "mark").iter_rows())
    assert notes["2017/18 Q2"] == "excludes Kent: not in the data, not counted as 0"
    assert marks["2017/18 Q2"] == "excludes Kent (not in data)"
    assert notes["2017/18 Q3"] == "excludes Dorset: N/a, blank or suppressed, not counted as 0"
    assert marks["2017/18 Q3"] == "excludes Dorset (N/a)"
    assert notes["2017/18 Q1"] is None and notes["2017/18 Q4"] is None
    # the rows made for the absent quarter say so; the N/a row is the file's own
    g = ctx.grooming
    kent = g.filter((pl.col("force") == "Kent") & (pl.col("quarter") == 2))
    dorset = g.filter((pl.col("force") == "Dorset") & (pl.col("quarter") == 3))
    assert kent.select("offences", "in_data").rows() == [(None, False)]
    assert dorset.select("offences", "in_data").rows() == [(None, True)]
    assert ctx.missing_words("Kent") == "not in the data"
    assert ctx.missing_words("Dorset") == "N/a, blank or suppressed"


def test_profiles_say_which_kind_of_missing(gaps: pl.DataFrame) -> None:
    kent = " ".join(groomstats.profile(gaps, force="Kent").sentences())
    dorset = " ".join(groomstats.profile(gaps, force="Dorset").sentences())
    assert "are not available (not in the data), so its total for 2017/18 is not known" in kent
    assert "N/a" not in kent
    assert (
        "are not available (N/a, blank or suppressed), so its total for 2017/18 is not known"
        in dorset
    )
    assert "{period}" not in kent + dorset  # every placeholder filled


def test_report_summary_names_both_kinds(gaps: pl.DataFrame, tmp_path: Path) -> None:
    from groomstats.report.sections import _incomplete_note, _incomplete_words

    ctx = context(gaps)
    assert ctx.incomplete_forces == ["Dorset", "Kent"]
    assert _incomplete_words(ctx) == "N/a, blank or suppressed, or not in the data"
    assert (
        "(published as N/a or suppressed, or left blank, or not in the data)"
        in _incomplete_note(ctx)
    )


@pytest.fixture(scope="module")
def kent_gone_in_2018(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """Real 2017/18 rows and SYNTHETIC 2018/19 rows (the same, relabelled) without Kent."""
    synthetic = RAW.with_columns(pl.lit("2018/19").alias("Financial Year")).filter(
        pl.col("Force Name") != "Kent"
    )
    frame = pl.concat([RAW, synthetic])
    return _read(tmp_path_factory.mktemp("years"), frame, "two-years-synthetic.csv")


def test_a_force_absent_from_a_year_is_not_in_the_data(kent_gone_in_2018: pl.DataFrame) -> None:
    ctx = context(kent_gone_in_2018)
    assert ctx.years is not None
    nat = dict(ctx.years.national.select("financial_year", "note").iter_rows())
    assert nat["2018/19"] == "incomplete: excludes Kent Q1-Q4 (not in the data; not counted as 0)"
    kent = dict(ctx.years.force_series("Kent").select("financial_year", "note").iter_rows())
    assert kent["2018/19"] == "Q1-Q4 not in the data (not counted as 0)"
    assert kent["2017/18"] is None
    p = groomstats.profile(kent_gone_in_2018, force="Kent")
    row = p.row("offences_year")
    assert row is not None and row["value"] is None
    assert row["caveat"] == "not available: Kent is not in the data for 2018/19"
    first = p.sentences()[0]
    assert first.endswith(
        "in 2018/19 is not available: Kent is not in the data for 2018/19, so no count, rate "
        "or rank is given for it."
    )
    assert not any("N/a" in s for s in p.sentences())


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    frame = RAW.filter(pl.col("Financial Quarter").is_in(["1", "2"]))
    return _read(tmp_path_factory.mktemp("half"), frame, "half.csv")


def test_no_profile_message_names_the_part_year(half_year: pl.DataFrame) -> None:
    ctx = context(half_year)
    assert (ctx.year, ctx.period) == ("2017/18", "2017/18 Q1-Q2")
    # British Transport Police 88A in quarters 1 and 2, counted from the raw rows by hand
    btp = RAW.filter(
        (pl.col("Force Name") == "British Transport Police")
        & IS_88A
        & pl.col("Financial Quarter").is_in(["1", "2"])
    )
    n = sum(int(v) for v in btp["Number of Offences"].str.strip_chars())
    msg = not_profiled(ctx, "BTP", "British Transport Police")
    assert msg.startswith(
        f"British Transport Police recorded {n:,} sexual grooming offences (88A) in "
        "2017/18 Q1-Q2 in the data"
    )
    with pytest.raises(UnknownAreaError, match=r"in 2017/18 Q1-Q2 in the data"):
        groomstats.profile(half_year, force="British Transport Police")


def test_part_year_facts_name_the_part_year(half_year: pl.DataFrame) -> None:
    """Rate, rank and funnel of a part year are of its quarters: each fact says so (the rank
    and funnel facts said "2017/18")."""
    p = groomstats.profile(half_year, force="Kent")
    for fact in ("rate", "rank", "funnel_significance"):
        row = p.row(fact)
        assert row is not None, fact
        assert row["period"] == "2017/18 Q1-Q2", (fact, row["period"])
    # and the source line of the latest year's facts and charts names the part year too
    from groomstats.report.sourcing import chart_source, prc_source

    ctx = context(half_year)
    assert prc_source(ctx).endswith("sexual grooming (88A), 2017/18 Q1-Q2")
    assert "sexual grooming (88A), 2017/18 Q1-Q2." in chart_source(ctx)


def _result(**kw: object) -> ReportResult:
    base: dict[str, object] = {
        "path": Path("out/report.html"),
        "charts": [],
        "forces": ["Kent"],
        "year": "2024/25",
        "national": 2993,
        "national_with_btp": 3000,
        "period": "2024/25 Q1-Q2",
        "by_quarter": [("quarter 1", 1500), ("quarter 2", 1500)],
    }
    base.update(kw)
    return ReportResult(**base)  # type: ignore[arg-type]


def test_notebook_view_names_the_part_year() -> None:
    html = _result()._repr_html_()
    assert "Sexual grooming (88A) offences, 2024/25 Q1-Q2: 3,000 (2,993" in html
    assert "offences, 2024/25:" not in html
    assert "7 by British Transport Police" in html
    # and the whole year when the data hold it all
    assert "offences, 2023/24: " in _result(year="2023/24", period="2023/24")._repr_html_()


def test_notebook_view_without_btp_does_not_invent_its_count() -> None:
    html = _result(national_with_btp=2993, btp_in_data=False)._repr_html_()
    assert "British Transport Police not in the data" in html
    assert "0 by British Transport Police" not in html
    assert "Offences (no BTP in the data)" in html


def test_notebook_view_names_incomplete_forces() -> None:
    html = _result(incomplete=["Kent"], incomplete_words="not in the data")._repr_html_()
    assert "Incomplete: figures not available (not in the data) for Kent" in html
    text = _result(incomplete=["Kent"], incomplete_words="not in the data").summary()
    assert "incomplete: figures not available (not in the data) for Kent" in text


def _wide_document() -> Document:
    doc = Document("A wide table")
    doc.paragraph("Before the table.")
    doc.table(pl.DataFrame({f"column {i}": ["x" * 40] for i in range(12)}))
    doc.table(pl.DataFrame({"a": [1], "b": [2]}))
    return doc


def test_every_html_table_sits_in_a_scrolling_box() -> None:
    html = _wide_document().to_html()
    assert html.count("<table>") == 2
    assert html.count('<div class="table-wrap"><table>') == 2
    assert html.count("</table></div>") == 2
    css = re.search(r"<style>(.*?)</style>", html, flags=re.S)
    assert css is not None
    assert ".table-wrap{overflow-x:auto;max-width:100%" in css.group(1)


def test_a_wide_table_scrolls_in_its_box_not_the_page(tmp_path: Path) -> None:
    """In headless Chromium, 1280 px wide: the page is no wider than the window; the table's
    box is narrower than the table, so the table scrolls inside it."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium on PATH")
    pytest.importorskip("websocket")
    sys.path.insert(0, str(Path(__file__).parent))
    from test_browser import Page

    path = tmp_path / "wide.html"
    path.write_text(_wide_document().to_html(), encoding="utf-8")
    # chromium may still be writing its profile as it exits: a leftover file is no failure
    with tempfile.TemporaryDirectory(
        prefix="groomstats-chromium-", ignore_cleanup_errors=True
    ) as d:
        page = Page(browser, Path(d))
        try:
            page.send("Page.enable")
            page.send(
                "Emulation.setDeviceMetricsOverride",
                width=1280,
                height=900,
                deviceScaleFactor=1,
                mobile=False,
            )
            page.send("Page.navigate", url=path.resolve().as_uri())
            page.wait_for("Page.loadEventFired")
            doc_w = page.evaluate("document.documentElement.scrollWidth")
            box = page.evaluate(
                "(() => { const b = document.querySelector('.table-wrap');"
                " return [b.clientWidth, b.scrollWidth]; })()"
            )
            shot = page.send("Page.captureScreenshot", format="png")
        finally:
            page.close()
    assert doc_w <= 1280
    assert box[1] > box[0]  # the table is wider than its box: it scrolls there
    assert len(base64.b64decode(shot["data"])) > 1000

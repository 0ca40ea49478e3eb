"""The written report: its tables hold the figures computed from the data; charts are real PNGs."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import ons_sums
import polars as pl
import pytest
import report_oracles
from PIL import Image

import groomstats
from groomstats import datasets
from groomstats.report import ReportResult, write_report
from groomstats.report.document import Document, format_value


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    return write_report(tmp_path_factory.mktemp("full"))


@pytest.fixture(scope="module")
def text(full: ReportResult) -> str:
    return full.path.read_text(encoding="utf-8")


def _table_after(text: str, heading: str) -> list[list[str]]:
    """Rows (cells) of the first Markdown table after ``heading``."""
    part = text[text.index(heading) :]
    lines = part.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("|"))
    rows = []
    for ln in lines[start:]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in ln.strip("|").split("|")])
    return rows


def _section(text: str, force: str) -> str:
    start = text.index(f"\n## {force}\n")
    end = text.find("\n## ", start + 5)
    return text[start:end]


def test_national_quarter_table_matches_data(text: str, grooming_2017_18: pl.DataFrame) -> None:
    rows = _table_after(text, "### Offences by quarter")
    header, body = rows[0], rows[2:]
    assert header == [
        "Quarter",
        "From",
        "Offences (43 forces)",
        "95% CI lower",
        "95% CI upper",
        "Offences (with BTP)",
    ]
    terr = grooming_2017_18.filter(pl.col("territorial"))
    for q in (1, 2, 3, 4):
        row = body[q - 1]
        assert row[0] == f"2017/18 Q{q}"
        assert row[2] == f"{terr.filter(pl.col('quarter') == q)['offences'].sum():,}"
        assert row[5] == f"{grooming_2017_18.filter(pl.col('quarter') == q)['offences'].sum():,}"
    # published: 895, 942, 1,242, 1,365 with BTP; 4,429 / 4,444 in total
    assert [r[5] for r in body[:4]] == ["895", "942", "1,242", "1,365"]
    assert body[4][0] == "2017/18 total"
    assert (body[4][2], body[4][5]) == ("4,429", "4,444")
    # the exact (Garwood) Poisson interval, from scipy's chi-square quantiles
    for row in body[:4]:
        lo, hi = report_oracles.exact_poisson_ci(float(row[2].replace(",", "")), 0.95)
        assert (row[3], row[4]) == (f"{lo:,.0f}", f"{hi:,.0f}"), row


def test_force_and_region_tables(text: str, grooming_2017_18: pl.DataFrame) -> None:
    terr = grooming_2017_18.filter(pl.col("territorial"))
    rows = _table_after(text, "### Offences by force")[2:]
    assert len(rows) == 43
    sums = dict(terr.group_by("force").agg(pl.col("offences").sum()).iter_rows())
    for r in rows:
        assert r[5] == f"{sums[r[0]]:,}", r
    regions = _table_after(text, "### Offences by region")[2:]
    assert len(regions) == 10
    by_region = dict(terr.group_by("region").agg(pl.col("offences").sum()).iter_rows())
    for r in regions:
        assert r[2] == f"{by_region[r[0]]:,}"
    assert sum(int(r[2].replace(",", "")) for r in regions) == 4429


def test_rates_table(text: str) -> None:
    rows = _table_after(text, "### Rates per 100,000 children")
    assert rows[0][:4] == ["Force", "Offences", "Children 0-17, mid-2017", "Rate"]
    body = rows[2:]
    assert len(body) == 43
    assert body[0][8] == "1"
    last = body[-1]
    assert last[0] == "City of London" and last[8] == "" and "not ranked" in last[9]
    for r in body:
        n, kids, rate = (float(r[i].replace(",", "")) for i in (1, 2, 3))
        assert rate == pytest.approx(n / kids * 1e5, abs=0.05)
    # every figure against sums made by hand from the shipped files, and the limits from their
    # formulas: Byar's for counts of 10 or more, exact (chi-square) Poisson below
    forces = report_oracles.territorial_forces()
    counts = report_oracles.grooming_counts()
    children = ons_sums.children(2017)
    assert {r[0] for r in body} == set(forces)
    for r in body:
        x, kids = counts[r[0]], children[forces[r[0]]]
        assert (r[1], r[2]) == (f"{x:,}", f"{kids:,}"), r
        for c, cols in ((0.95, (4, 5)), (0.998, (6, 7))):
            if x >= 10:
                lo, hi = report_oracles.byar_ci(x, c)
            else:
                lo, hi = report_oracles.exact_poisson_ci(x, c)
            got = [float(r[i]) for i in cols]
            assert got == pytest.approx([lo / kids * 1e5, hi / kids * 1e5], abs=0.051), r


def test_nspcc_sections(text: str) -> None:
    from groomstats.trends import annual_series

    nat = datasets.nspcc_national()
    rows = _table_after(text, "### NSPCC figures")[2:]
    expected = pl.concat(
        [annual_series(nat, a) for a in ("England and Wales", "United Kingdom")]
    ).select("area", "financial_year", "offences")
    assert [(r[0], r[1], int(r[2].replace(",", ""))) for r in rows] == expected.rows()
    # published: 2017/18 revised to 3,217 (first 3,171); 2018/19 4,373
    assert ["England and Wales", "2017/18", "3,217"] == rows[0][:3]
    uk = annual_series(nat, "United Kingdom")
    fit = report_oracles.quasipoisson_trend(
        uk["financial_year"].to_list(), uk["offences"].to_list()
    )
    sig = "statistically significant" if fit["pvalue"] < 0.05 else "not statistically significant"
    assert (
        f"annual percent change {fit['apc']:+.1f}% (95% CI {fit['lower_95']:+.1f}% to "
        f"{fit['upper_95']:+.1f}%, log-linear quasi-Poisson fit; {sig})"
    ) in text
    ps = datasets.platform_shares()
    latest = ps.filter(pl.col("release") == ps["release"].max())
    prow = _table_after(text, "### Platforms")[2:]
    assert [r[0] for r in prow] == latest.sort("share_percent", descending=True)[
        "platform"
    ].to_list()
    assert [float(r[2]) for r in prow] == latest.sort("share_percent", descending=True)[
        "share_percent"
    ].to_list()
    for r in prow:
        assert float(r[3]) < float(r[2]) < float(r[4])


def test_funnel_section(text: str, full: ReportResult) -> None:
    header = _table_after(text, "### Funnel plot")[0]
    assert header == [
        "Significance",
        "Forces (exact Poisson limits)",
        "Forces (overdispersion-adjusted)",
    ]
    rows = _table_after(text, "### Funnel plot")[2:]
    # independent answer: the 88A counts summed by hand from the shipped table, children in
    # mid-2017 from the shipped ONS files, and each force's own exact interval against the
    # national rate (PHE convention); Spiegelhalter's adjustment written out with numpy
    forces = report_oracles.territorial_forces()
    counts = {k: v for k, v in report_oracles.grooming_counts().items() if k in forces}
    kids = ons_sums.children(2017)
    pop = {k: kids[forces[k]] for k in counts}
    exact = Counter(report_oracles.funnel_labels(counts, pop).values())
    od_labels, phi, tau2 = report_oracles.funnel_labels_overdispersed(counts, pop)
    od = Counter(od_labels.values())
    assert tau2 > 0  # the adjustment changes the picture: 38 not significant, not 14
    order = ["High (0.001)", "High (0.025)", "Not significant", "Low (0.025)", "Low (0.001)"]
    assert rows == [[k, str(exact[k]), str(od[k])] for k in order]
    assert sum(exact.values()) == sum(od.values()) == 43
    assert f"(dispersion ratio phi = {phi:.1f})" in text  # 28.0
    assert "Not shown: City of London" in text
    with Image.open(full.path.parent / "charts" / "funnel.png") as im:
        assert im.size == (1000, 600)
        assert "Funnel plot" in dict(im.text)["Description"]  # type: ignore[attr-defined]


def test_one_section_per_force_with_profile_and_chart(full: ReportResult, text: str) -> None:
    forces = datasets.forces().filter(pl.col("territorial"))["force"].sort().to_list()
    assert full.forces == forces
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == ["England and Wales", *forces, "Sources and methods"]
    for force in forces:
        sec = _section(text, force)
        p = groomstats.profile(force=force)
        assert f"- {p.sentences()[0]}" in sec
        # every force's quarters are on one chart, shown again in each section
        assert (
            "![Sexual grooming offences by quarter for each force, by region]"
            "(charts/forces-by-quarter.png)" in sec
        )
        funnel = "![Funnel plot of rates per 100,000 children by force](charts/funnel.png)"
        assert funnel in sec  # City of London's too: the funnel lists it as left out
        assert "Same period last year (2016/17)" in sec
    assert "Open Government Licence v3.0" in text
    assert "Contains public sector information" in text


def test_charts_are_valid_pngs_with_metadata(
    full: ReportResult, grooming_2017_18: pl.DataFrame
) -> None:
    out = full.path.parent
    pngs = sorted((out / "charts").glob("*.png"))
    assert sorted(full.charts) == pngs
    # national quarters, ranked rates, funnel, NSPCC UK series, platforms, Welsh forces and
    # every force's quarters on one chart: each drawn once
    assert [p.stem for p in pngs] == sorted(
        [
            "england-and-wales-quarters",
            "rates-ranked",
            "funnel",
            "nspcc-united-kingdom",
            "platforms",
            "nspcc-wales",
            "forces-by-quarter",
        ]
    )
    with Image.open(out / "charts" / "england-and-wales-quarters.png") as im:
        assert im.format == "PNG" and im.size == (1000, 600)
        meta = dict(im.text)  # type: ignore[attr-defined]
    assert meta["Title"] == (
        "Sexual grooming offences by quarter, England and Wales (43 forces), 2017/18"
    )
    assert "exact Poisson 95% limits" in meta["Description"]
    assert "Open Government Licence v3.0" in meta["Source"]
    with Image.open(out / "charts" / "forces-by-quarter.png") as im:
        im.verify()
    with Image.open(out / "charts" / "forces-by-quarter.png") as im:
        title = dict(im.text)["Title"]  # type: ignore[attr-defined]
    assert title == "Sexual grooming offences by quarter and force, 2017/18"


def test_force_chart_plots_the_force_quarters(grooming_2017_18: pl.DataFrame) -> None:
    from groomstats.report import force_chart
    from groomstats.report.context import context

    fig = force_chart(context(), "Greater Manchester")
    ax = fig.axes[0]
    series = next(ln for ln in ax.lines if ln.get_gid() == "series")
    gm = grooming_2017_18.filter(pl.col("force") == "Greater Manchester").sort("quarter")
    assert [float(v) for v in series.get_ydata()] == [float(v) for v in gm["offences"]]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"2017/18 Q{q}" for q in (1, 2, 3, 4)]
    assert ax.get_title() == "Sexual grooming offences by quarter, Greater Manchester, 2017/18"
    assert ax.get_xlabel() == "Financial quarter" and ax.get_ylabel() == "Offences recorded"
    band = next(c for c in ax.collections if c.get_gid() == "interval")
    top = float(band.get_paths()[0].vertices[:, 1].max())
    upper = max(report_oracles.exact_poisson_ci(float(x), 0.95)[1] for x in gm["offences"])
    assert top == pytest.approx(upper, rel=1e-9)
    # the data do not span 1 April 2017: no series-break marker
    assert all(ln.get_gid() != "series-break" for ln in ax.lines)


def test_force_funnel_rings_the_force() -> None:
    from groomstats.report import force_funnel
    from groomstats.report.context import context

    ctx = context()
    fig = force_funnel(ctx, "Durham")
    assert fig is not None
    ax = fig.axes[0]
    ring = next(c for c in ax.collections if c.get_gid() == "highlight")
    durham = ctx.funnel.filter(pl.col("force") == "Durham") if ctx.funnel is not None else None
    assert durham is not None
    x, y = ring.get_offsets()[0]
    assert (x, y) == pytest.approx((durham["denominator"][0], durham["value"][0]))
    pts = next(c for c in ax.collections if c.get_gid() == "areas")
    assert len(pts.get_offsets()) == 42  # City of London left off
    assert ax.get_title().startswith("Durham among the forces")


def test_html_report_for_one_force(tmp_path: Path) -> None:
    res = write_report(tmp_path, force="dyfed powys", fmt="html")
    html = res.path.read_text(encoding="utf-8")
    assert res.path.name == "report.html"
    assert res.forces == ["Dyfed-Powys"]
    assert html.startswith("<!DOCTYPE html>")
    assert '<h2 id="dyfed-powys">Dyfed-Powys <a class="top" href="#contents">' in html
    assert '<td class="n">4,444</td>' in html
    # one file: charts inline (national, ranked, funnel, NSPCC UK, platforms, the forces'
    # quarters, Welsh forces), no image files, no external references
    assert res.charts == [] and res.n_charts == 7
    assert not (tmp_path / "charts").exists()
    assert html.count("<svg") == 7 and "<img" not in html
    assert '<figure id="chart-nspcc-wales"' in html
    assert '<a href="#dyfed-powys">Dyfed-Powys</a>' in html  # table of contents
    assert not re.search(r'(src|href)="(?!#)', html)
    assert "@media print" in html


def test_report_errors(tmp_path: Path) -> None:
    with pytest.raises(groomstats.UnknownAreaError, match="did you mean 'Thames Valley'"):
        write_report(tmp_path, force="Thames Vally")
    with pytest.raises(groomstats.GroomstatsError, match="format"):
        write_report(tmp_path, fmt="pdf")  # type: ignore[arg-type]
    with pytest.raises(groomstats.DataFormatError, match="no such file"):
        write_report(tmp_path, data=[tmp_path / "missing.csv"])


def test_report_from_data_file(tmp_path: Path, grooming_2017_18: pl.DataFrame) -> None:
    """--data: a PRC CSV written by the test (two forces) gives a report of those forces."""
    csv = tmp_path / "prc.csv"
    lines = [
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Number of Offences"
    ]
    for force, counts in (("Gwent", (3, 4, 5, 6)), ("Kent", (10, 11, 12, 13))):
        for q, n in enumerate(counts, start=1):
            lines.append(
                f"2017/18,{q},{force},Sexual grooming,Sexual offences,Other sexual offences,"
                f"88A, {n} "
            )
    csv.write_text("\n".join(lines) + "\n")
    res = write_report(tmp_path / "out", data=[csv])
    assert res.forces == ["Gwent", "Kent"]
    assert res.national == 18 + 46
    text = res.path.read_text()
    assert "prc.csv" in text
    rows = _table_after(text, "### Offences by force")[2:]
    assert [r[0] for r in rows] == ["Kent", "Gwent"]
    assert [r[5] for r in rows] == ["46", "18"]


def test_two_years_of_data_give_a_year_on_year_change(tmp_path: Path) -> None:
    """With 2017/18 and 2018/19 in --data files, profiles compare like with like."""
    from scipy import stats
    from statsmodels.stats.proportion import proportion_confint  # noqa: F401

    csv = tmp_path / "two.csv"
    lines = [
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Number of Offences"
    ]
    counts = {"Gwent": (3, 4, 5, 6), "Kent": (10, 11, 12, 13)}
    for fy, mult in (("2017/18", 1), ("2018/19", 2)):
        for force, cs in counts.items():
            for q, n in enumerate(cs, start=1):
                lines.append(
                    f"{fy},{q},{force},Sexual grooming,Sexual offences,Other sexual offences,"
                    f"88A,{n * mult}"
                )
    csv.write_text("\n".join(lines) + "\n")
    res = write_report(tmp_path / "out", data=[csv])
    assert res.year == "2018/19" and res.national == 2 * (18 + 46) and res.n_forces == 2
    p = groomstats.profile(groomstats.read_prc(csv), force="Kent")
    assert p.value("same_period_last_year") == 46
    assert p.value("change_year_on_year") == pytest.approx(100.0)
    row = p.row("change_year_on_year")
    assert row is not None
    # exact test: 92 of 138 offences in 2018/19 (365 days each year)
    ref = stats.binomtest(92, 138, 0.5).pvalue
    assert f"p = {ref:.3f}" in row["text"] or "p < 0.001" in row["text"]
    s = next(s for s in p.sentences() if "against 46 in 2017/18" in s)
    # two forces are not the nation: the comparator names them
    assert (
        "up 100%, about the same as the rate of increase of 2 forces: Gwent, Kent "
        "(100%: 128 against 64)"
    ) in s
    assert "national" not in s
    assert "the first year of the new offence" not in " ".join(p.sentences())
    text = res.path.read_text()
    assert "the 2 forces in the data (England and Wales has 43)" in text


def test_document_rendering() -> None:
    doc = Document("T")
    doc.heading("A | B", 2)
    doc.bullets(["one", "two"])
    doc.table(pl.DataFrame({"x": ["a|b"], "n": [1234.5]}), decimals={"n": 1})
    doc.image("charts/x.png", "alt <text>")
    md = doc.to_markdown()
    assert "| a\\|b | 1,234.5 |" in md
    assert "- one\n- two\n\n" in md
    assert "![alt &lt;text&gt;](charts/x.png)" in md  # escaped: never raw HTML
    assert "## A \\| B" in md
    html = doc.to_html()
    assert "<li>one</li>" in html and 'alt="alt &lt;text&gt;"' in html
    assert format_value(None) == "" and format_value(True) == "yes"

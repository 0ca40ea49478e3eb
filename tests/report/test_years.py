"""A report and profiles on a multi-year edition (issue 11, item 6): each force's series by
financial year, the latest complete year against the year before, the trend since 2017/18.

The edition is written by ``tests/io/edition_gen.py``. ITS 2017/18 SHEET IS REAL (the Home
Office rows shipped in the package); EVERY OTHER YEAR HOLDS SYNTHETIC COUNTS drawn from a fixed
seed. The synthetic figures are only ever compared with sums of the cells the generator wrote
(counted here with the ``csv`` module and plain Python, not with the package), never asserted
as real. N/a cells written: Kent 2015/16 Q3, Dorset 2019/20 Q1 (88A); the last year, 2024/25,
holds two quarters.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

import groomstats
from groomstats import datasets
from groomstats.report import years as series
from groomstats.report.context import Context, context
from groomstats.report.sections import write_report

sys.path.insert(0, str(Path(__file__).parents[1] / "io"))
from edition_gen import Edition, write_edition

NON_TERRITORIAL = {
    "British Transport Police",
    "Action Fraud",
    "CIFAS",
    "UK Finance",
    "Financial Fraud Action UK",
}
# mid-2024 children are not shipped: the partial 2024/25 uses mid-2023, with this warning
pytestmark = pytest.mark.filterwarnings("ignore::groomstats.PopulationYearWarning")
SINCE_BREAK = [f"{y}/{(y + 1) % 100:02d}" for y in range(2017, 2025)]


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Edition:
    path = tmp_path_factory.mktemp("years") / "prc-pfa-mar2013-onwards-tables-230426.xlsx"
    return write_edition(path, offence_codes=["88A"])


@pytest.fixture(scope="module")
def ctx(edition: Edition) -> Context:
    return context(groomstats.read_prc(edition.path))


def _written(ed: Edition) -> dict[tuple[str, str], dict[int, int | None]]:
    """(financial year, force) -> quarter -> count as written (N/a -> None), by hand."""
    out: dict[tuple[str, str], dict[int, int | None]] = defaultdict(dict)
    for rows in ed.rows.values():
        for r in rows.iter_rows(named=True):
            v = r["Number of Offences"]
            n = None if v == "N/a" else (0 if v == "-00" else int(v))
            out[(r["Financial Year"], r["Force Name"])][int(r["Financial Quarter"])] = n
    return out


def _year_sum(cells: dict[int, int | None]) -> int:
    return sum(v for v in cells.values() if v is not None)


def _national(ed: Edition, fy: str, *, btp: bool = False) -> int:
    keep = NON_TERRITORIAL - {"British Transport Police"} if btp else NON_TERRITORIAL
    return sum(
        _year_sum(q) for (y, force), q in _written(ed).items() if y == fy and force not in keep
    )


def _real_2017_18() -> dict[str, int]:
    """The REAL 2017/18 88A figures from the shipped Home Office table (csv module)."""
    with gzip.open(datasets.path("prc"), "rt", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Offence Code"].strip() == "88A"]
    per: dict[str, int] = defaultdict(int)
    for r in rows:
        v = r["Number of Offences"].strip()
        per[r["Force Name"].strip()] += 0 if v == "-00" else int(v)
    return per


def test_real_2017_18_row_and_synthetic_rows_match_hand_sums(
    ctx: Context, edition: Edition
) -> None:
    y = ctx.years
    assert y is not None and y.multi_year
    assert y.years == [f"{a}/{(a + 1) % 100:02d}" for a in range(2012, 2025)]
    assert y.since_break == SINCE_BREAK
    assert y.partial == {"2024/25": "Q1-Q2"}
    assert y.complete == SINCE_BREAK[:-1] and y.latest_complete == "2023/24"
    nat = {r["financial_year"]: r for r in y.national.iter_rows(named=True)}
    real = _real_2017_18()
    # REAL: 4,429 by the 43 forces, 4,444 with British Transport Police (DOMAIN.md figures)
    terr = sum(v for f, v in real.items() if f not in NON_TERRITORIAL)
    assert terr == 4429 and terr + real["British Transport Police"] == 4444
    assert (nat["2017/18"]["offences"], nat["2017/18"]["all"]) == (4429, 4444)
    assert nat["2017/18"]["note"] is None and nat["2017/18"]["complete"]
    # SYNTHETIC years: equal to the sums of the cells written
    for fy in y.years:
        assert nat[fy]["offences"] == _national(edition, fy), fy
        assert nat[fy]["all"] == _national(edition, fy, btp=True), fy
    for fy in ("2012/13", "2016/17"):
        assert nat[fy]["before_break"] and "before the 1 April 2017 series break" in str(
            nat[fy]["note"]
        )
    assert not any(nat[fy]["before_break"] for fy in SINCE_BREAK)
    assert nat["2024/25"]["quarters"] == 2 and "Q1-Q2 only" in str(nat["2024/25"]["note"])
    assert "excludes Dorset Q1" in str(nat["2019/20"]["note"]) and not nat["2019/20"]["complete"]
    assert "excludes Kent Q3" in str(nat["2015/16"]["note"])


def test_profile_gives_each_year_since_the_break_and_none_before(
    ctx: Context, edition: Edition
) -> None:
    p = groomstats.profile(force="Kent", ctx=ctx)
    rows = p.frame.filter(pl.col("fact") == "offences_financial_year")
    assert rows["period"].to_list() == SINCE_BREAK  # 2012/13-2016/17 absent, never 0
    written = _written(edition)
    got = dict(zip(rows["period"], rows["value"], strict=True))
    assert got["2017/18"] == 45 == _real_2017_18()["Kent"]  # REAL
    for fy in SINCE_BREAK:  # synthetic apart from 2017/18
        assert got[fy] == _year_sum(written[(fy, "Kent")]), fy
    caveat = dict(zip(rows["period"], rows["caveat"], strict=True))
    assert "Q1-Q2 only" in str(caveat["2024/25"]) and caveat["2023/24"] is None
    text = " ".join(p.sentences())
    assert "Years before 2017/18 in the data (2012/13 to 2016/17) are not compared" in text
    assert f"{int(got['2024/25'])} in April-September 2024 (two of the four quarters" in text
    # Dorset's 2019/20 misses Q1 (N/a): shown as incomplete, never as a whole year
    d = groomstats.profile(force="Dorset", ctx=ctx)
    row = d.frame.filter(
        (pl.col("fact") == "offences_financial_year") & (pl.col("period") == "2019/20")
    ).row(0, named=True)
    assert row["value"] == _year_sum(written[("2019/20", "Dorset")])
    assert written[("2019/20", "Dorset")][1] is None
    assert "Q1 not available (N/a, blank or suppressed; not counted as 0)" in row["caveat"]


def _statsmodels_apc(counts: list[int], t: list[float]) -> tuple[float, float, float, float]:
    """APC with its 95% CI from a quasi-Poisson GLM (statsmodels, Pearson scale)."""
    x = sm.add_constant(np.asarray(t, dtype=float))
    fit = sm.GLM(np.asarray(counts, dtype=float), x, family=sm.families.Poisson()).fit(scale="X2")
    b, se = float(fit.params[1]), float(fit.bse[1])
    z = 1.959963984540054
    return (
        100 * math.expm1(b),
        100 * math.expm1(b - z * se),
        100 * math.expm1(b + z * se),
        float(fit.pvalues[1]),
    )


@pytest.mark.parametrize(
    ("force", "left_out"),
    [("Kent", ["2024/25"]), ("Dorset", ["2019/20", "2024/25"])],
)
def test_trend_since_2017_matches_statsmodels_and_leaves_out_incomplete_years(
    ctx: Context, edition: Edition, force: str, left_out: list[str]
) -> None:
    written = _written(edition)
    used = [fy for fy in SINCE_BREAK if fy not in left_out]
    counts = [_year_sum(written[(fy, force)]) for fy in used]
    t = [float(int(fy[:4]) - 2017) for fy in used]
    apc, lo, hi, _ = _statsmodels_apc(counts, t)
    p = groomstats.profile(force=force, ctx=ctx)
    row = p.row("trend_since_break")
    assert row is not None
    assert row["value"] == pytest.approx(apc, rel=1e-6)
    assert row["lower"] == pytest.approx(lo, rel=1e-5)
    assert row["upper"] == pytest.approx(hi, rel=1e-5)
    assert row["period"] == "2017/18 to 2023/24"
    assert f"{len(used)} complete financial years" in row["text"]
    for fy in left_out:  # named, with what is wrong with them
        assert fy in row["caveat"]
    text = " ".join(p.sentences())
    assert f"Over the {len(used)} complete financial years from 2017/18 to 2023/24" in text
    assert "Left out of the trend: " in text and "2024/25 (Q1-Q2 only" in text
    # the partial year never enters the trend: the fit is the same without its rows
    assert row["value"] != pytest.approx(
        _statsmodels_apc([*counts, _year_sum(written[("2024/25", force)])], [*t, 7.0])[0],
        rel=1e-3,
    )


def test_national_trend_leaves_out_the_year_dorset_is_missing(
    ctx: Context, edition: Edition
) -> None:
    y = ctx.years
    assert y is not None and y.national_trend is not None
    used = [fy for fy in SINCE_BREAK if fy not in ("2019/20", "2024/25")]
    apc, lo, hi, _ = _statsmodels_apc(
        [_national(edition, fy) for fy in used], [float(int(fy[:4]) - 2017) for fy in used]
    )
    t = y.national_trend
    assert t["n"] == 6 and t["apc"] == pytest.approx(apc, rel=1e-6)
    assert t["lower_95"] == pytest.approx(lo, rel=1e-5)
    assert t["upper_95"] == pytest.approx(hi, rel=1e-5)
    left = series.left_out_years(y.national)
    assert left.startswith("2019/20 (incomplete: excludes Dorset Q1") and "2024/25 (Q1-Q2" in left


def test_latest_complete_year_against_the_year_before(ctx: Context, edition: Edition) -> None:
    """The latest year (2024/25) is partial: 2023/24, the latest complete year, is compared
    with 2022/23 as well, with the national change beside it."""
    written = _written(edition)
    x2, x1 = (_year_sum(written[(fy, "Kent")]) for fy in ("2023/24", "2022/23"))
    n2, n1 = _national(edition, "2023/24"), _national(edition, "2022/23")
    p = groomstats.profile(force="Kent", ctx=ctx)
    assert p.value("offences_previous_complete_year") == x1
    assert p.value("change_latest_complete_year") == pytest.approx(100 * (x2 / x1 - 1))
    nat = p.row("national_change_latest_complete_year")
    assert nat is not None and nat["value"] == pytest.approx(100 * (n2 / n1 - 1))
    assert nat["text"] == f"{n2:,} against {n1:,}"
    sentence = next(s for s in p.sentences() if "the latest complete financial year" in s)
    assert sentence.startswith(f"Police in Kent recorded {x2} offences in 2023/24, the latest")
    assert f"against {x1} in 2022/23" in sentence and "exact test, p = " in sentence
    # the same-quarters comparison of the partial year is still given, and is another fact
    assert p.row("change_year_on_year")["period"] == "April-September 2024"  # type: ignore[index]


def test_national_chart_draws_complete_years_joined_and_incomplete_ones_apart(
    ctx: Context, edition: Edition
) -> None:
    fig = series.national_chart(ctx)
    ax = fig.axes[0]
    line = next(ln for ln in ax.lines if ln.get_gid() == "series")
    ys = [float(v) for v in line.get_ydata()]
    xs = [float(v) for v in line.get_xdata()]
    assert min(x for x in xs if not math.isnan(x)) > 2017.25  # nothing before the break
    complete = [fy for fy in SINCE_BREAK if fy not in ("2019/20", "2024/25")]
    assert [v for v in ys if not math.isnan(v)] == [_national(edition, fy) for fy in complete]
    # 2019/20 (Dorset Q1 N/a) and 2024/25 (two quarters) are open markers with their notes
    open_ = next(ln for ln in ax.lines if ln.get_gid() == "incomplete")
    assert [float(v) for v in open_.get_ydata()] == [
        _national(edition, "2019/20"),
        _national(edition, "2024/25"),
    ]
    assert open_.get_markerfacecolor() == "white"
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "incomplete-note"]
    assert notes == ["excludes Dorset Q1 (N/a)", "Q1-Q2 only"]
    assert ax.get_title() == (
        "Sexual grooming offences by financial year, England and Wales (43 forces), "
        "2017/18 to 2024/25"
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"fitted trend: {ctx.years.national_trend['apc']:+.1f}% a year" in " ".join(legend)  # type: ignore[union-attr]


def test_force_chart_title_and_points(ctx: Context, edition: Edition) -> None:
    fig = series.force_chart(ctx, "Dorset")
    ax = fig.axes[0]
    assert ax.get_title() == (
        "Sexual grooming offences by financial year, Dorset, 2017/18 to 2024/25"
    )
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "incomplete-note"]
    assert notes == ["Q1 N/a", "Q1-Q2 only"]
    src = [t.get_text() for t in fig.texts if "Source" in t.get_text()]
    assert src and "2012/13 to 2024/25" in src[0] and "23 April 2026" in src[0]


def test_report_on_the_edition(tmp_path: Path, edition: Edition) -> None:
    res = write_report(tmp_path / "out", data=[edition.path], force="Kent")
    text = res.path.read_text()
    assert "### Offences by financial year" in text
    # REAL 2017/18; beside it the like-for-like sum: every force but Dorset (N/a in 2019/20)
    lfl = _national(edition, "2017/18") - _year_sum(_written(edition)[("2017/18", "Dorset")])
    assert f"| 2017/18 | 4 | 4,429 | 4,444 | {lfl:,} |  |" in text
    n = _national(edition, "2024/25")  # a part year: not in the like-for-like sum
    assert re.search(rf"\| 2024/25 \| 2 \| {n:,} \| [\d,]+ \|  \| Q1-Q2 only", text)
    assert re.search(r"\| 2012/13 \| 4 \| [\d,]+ \| [\d,]+ \|  \| before the 1 April 2017", text)
    assert "Like for like (the 42 forces with figures for every year 2017/18 to 2023/24; " in text
    # Kent's table: one row per financial year, quarters and total
    written = _written(edition)
    k = written[("2023/24", "Kent")]
    row = f"| 2023/24 | {k[1]} | {k[2]} | {k[3]} | {k[4]} | {_year_sum(k)} |  |"
    assert row in text
    assert (
        "| 2015/16 | " in text
        and "Q3 not available (N/a, blank or suppressed; not counted as 0)" in text
    )
    # the quarters table says where the 1 April 2017 break falls, between 2016/17 Q4 and 2017/18 Q1
    lines = text.splitlines()
    cut = next(i for i, ln in enumerate(lines) if ln.startswith("| 1 April 2017: series break |"))
    assert lines[cut - 1].startswith("| 2016/17 Q4 ") and lines[cut + 1].startswith("| 2017/18 Q1 ")
    # the by-force table of the partial year says which part of the year its totals cover
    assert "| Force | Q1 | Q2 | Q3 | Q4 | Offences 2024/25 Q1-Q2 | Share (%) |" in text
    summary = res.summary()
    assert "(Home Office police recorded crime, 2012/13 to 2024/25)" in summary
    assert "figures below: 2024/25 Q1-Q2 (the latest year in the data)" in summary
    charts = {p.name for p in res.charts}
    assert {"england-and-wales-years.png", "kent-years.png"} <= charts


def test_one_year_of_data_adds_nothing(tmp_path: Path) -> None:
    """The embedded 2017/18 table: no series, no trend, no extra chart."""
    p = groomstats.profile(force="Kent")
    assert p.row("trend_since_break") is None and p.row("offences_financial_year") is None
    res = write_report(tmp_path / "one", force="Kent")
    text = res.path.read_text()
    assert "Offences by financial year" not in text
    assert not any(c.name.endswith("-years.png") for c in res.charts)


def test_two_complete_years_give_the_change_but_no_trend(tmp_path: Path) -> None:
    """2017/18 (REAL) and 2018/19 (SYNTHETIC), both whole: the year-on-year change is the
    latest complete year against the one before; two years are too few for a trend."""
    ed = write_edition(
        tmp_path / "prc-pfa-mar2013-onwards-tables-180719.xlsx",
        first=2017,
        last=2018,
        partial_quarters=4,
        offence_codes=["88A"],
        na=(),
    )
    c = context(groomstats.read_prc(ed.path))
    assert c.years is not None and c.years.complete == ["2017/18", "2018/19"]
    p = groomstats.profile(force="Kent", ctx=c)
    written = _written(ed)
    x2, x1 = _year_sum(written[("2018/19", "Kent")]), _year_sum(written[("2017/18", "Kent")])
    assert x1 == 45  # REAL
    assert p.value("change_year_on_year") == pytest.approx(100 * (x2 / x1 - 1))
    assert p.row("change_latest_complete_year") is None  # the same comparison: not repeated
    row = p.row("trend_since_break")
    assert row is not None and row["value"] is None and row["text"] == "not available"
    assert "at least 3 complete financial years" in row["caveat"]
    assert (
        "No trend is given for Kent: a trend needs at least 3 complete financial years since "
        "the 1 April 2017 break; the data hold 2 (2017/18, 2018/19)." in p.sentences()
    )


def test_a_force_missing_a_quarter_of_the_latest_complete_year(tmp_path: Path) -> None:
    """Kent's 2023/24 Q2 written N/a (2023/24 SYNTHETIC): Kent gets no change for 2023/24,
    with the reason; every other force is compared with the 42 forces with complete figures
    in both years, whose sums are worked here by hand."""
    ed = write_edition(
        tmp_path / "prc-pfa-mar2013-onwards-tables-230426.xlsx",
        first=2016,
        offence_codes=["88A"],
        na=((2023, 2, "Kent", "88A"),),
    )
    c = context(groomstats.read_prc(ed.path))
    assert c.years is not None and c.years.complete_change_left_out == ["Kent"]
    kent = groomstats.profile(force="Kent", ctx=c)
    row = kent.row("change_latest_complete_year")
    assert row is not None and row["value"] is None
    assert row["caveat"] == (
        "not available: some of Kent's quarterly figures in 2022/23 or 2023/24 are not "
        "available (N/a, blank or suppressed)"
    )
    written = _written(ed)
    assert written[("2023/24", "Kent")][2] is None

    def without_kent(fy: str) -> int:
        return _national(ed, fy) - _year_sum(written[(fy, "Kent")])

    n2, n1 = without_kent("2023/24"), without_kent("2022/23")
    d = groomstats.profile(force="Dorset", ctx=c)
    nat = d.row("national_change_latest_complete_year")
    assert nat is not None and nat["text"] == f"{n2:,} against {n1:,}"
    assert nat["value"] == pytest.approx(100 * (n2 / n1 - 1))
    sentence = next(s for s in d.sentences() if "the latest complete financial year" in s)
    assert "the 42 forces with complete figures" in sentence
    # Kent's trend leaves 2023/24 out and says why
    t = kent.row("trend_since_break")
    assert t is not None and "2023/24 (Q2 not available" in t["caveat"]
    assert "Years before 2017/18 in the data (2016/17) are not compared" in " ".join(
        kent.sentences()
    )

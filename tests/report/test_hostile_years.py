"""Hostile multi-year editions for the report: a force absent from a whole year's sheet, and a
national trend with too few complete years once a force's N/a is counted.

Editions are written by ``tests/io/edition_gen.py``. ITS 2017/18 SHEET IS REAL (the Home
Office rows shipped in the package); EVERY OTHER YEAR HOLDS SYNTHETIC COUNTS drawn from a fixed
seed, compared here only with sums of the cells written (plain Python), never as real figures.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats.report.context import context
from groomstats.report.sections import write_report

sys.path.insert(0, str(Path(__file__).parents[1] / "io"))
import edition_gen as gen

NON_TERRITORIAL = {
    "British Transport Police",
    "Action Fraud",
    "CIFAS",
    "UK Finance",
    "Financial Fraud Action UK",
}
pytestmark = pytest.mark.filterwarnings("ignore::groomstats.PopulationYearWarning")


def _hand_sums(sheets: dict[str, pl.DataFrame]) -> dict[str, dict[int, int]]:
    """financial year -> quarter -> the territorial forces' 88A cells as written (N/a left
    out), summed by hand."""
    out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for rows in sheets.values():
        for r in rows.iter_rows(named=True):
            if r["Offence Code"] != "88A" or r["Force Name"] in NON_TERRITORIAL:
                continue
            v = r["Number of Offences"]
            if v == "N/a":  # not available: left out of the sum, never read as 0
                continue
            out[r["Financial Year"]][int(r["Financial Quarter"])] += 0 if v == "-00" else int(v)
    return out


@pytest.fixture(scope="module")
def kent_absent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pl.DataFrame]]:
    """2017/18 (REAL) to 2021/22 Q1-Q2 (SYNTHETIC); the 2018/19 sheet has no Kent row at all."""
    names, sheets, _ = gen.build(first=2017, last=2021, offence_codes=["88A"], na=())
    sheets["2018_19"] = sheets["2018_19"].filter(pl.col("Force Name") != "Kent")
    path = tmp_path_factory.mktemp("absent") / "kent-absent.ods"
    grids = {"Notes": gen._notes_grid()} | {n: gen._grid(n, sheets[n]) for n in names}
    gen.write_ods(path, grids)
    return path, sheets


def test_a_force_absent_from_a_year_makes_that_year_incomplete_not_43_forces(
    kent_absent: tuple[Path, dict[str, pl.DataFrame]],
) -> None:
    path, sheets = kent_absent
    hand = _hand_sums(sheets)
    c = context(groomstats.read_prc(path))
    assert c.years is not None
    nat = {r["financial_year"]: r for r in c.years.national.iter_rows(named=True)}
    # the REAL 2017/18 total, summed by hand from the shipped rows, is complete
    assert nat["2017/18"]["offences"] == sum(hand["2017/18"].values()) == 4429
    assert nat["2017/18"]["complete"] is True
    # 2018/19: the 42 forces written, and said to exclude Kent - not a 43-force total
    y = nat["2018/19"]
    assert y["offences"] == sum(hand["2018/19"].values())
    assert y["complete"] is False
    assert "excludes Kent Q1-Q4" in y["note"]
    # every 2018/19 quarter of the national series says Kent is missing from it
    q1819 = c.quarters.filter(
        pl.col("period_start").is_between(pl.date(2018, 4, 1), pl.date(2019, 1, 1))
    ).sort("period_start")
    assert q1819.height == 4
    assert q1819["offences"].to_list() == [hand["2018/19"][k] for k in (1, 2, 3, 4)]
    assert all("excludes Kent" in n for n in q1819["note"].to_list())
    # Kent's own year is not available (never 0), and the national trend leaves 2018/19 out
    kent = c.years.by_force.filter(
        (pl.col("force") == "Kent") & (pl.col("financial_year") == "2018/19")
    )
    assert kent["offences"].to_list() == [None]
    t = c.years.national_trend
    assert t is not None and t["n"] == 3
    assert "2018/19" in t["left_out"]


def test_national_trend_with_too_few_complete_years_says_why(tmp_path: Path) -> None:
    """2016/17 to 2020/21 Q1-Q2 with Dorset 2019/20 Q1 N/a: three force-complete years since the
    break but only two complete national ones, so the national section says there is no
    trend and why, instead of saying nothing."""
    ed = gen.write_edition(
        tmp_path / "older.ods",
        first=2016,
        last=2020,
        offence_codes=["88A"],
        style="older",
        na=((2019, 1, "Dorset", "88A"),),
    )
    res = write_report(tmp_path / "out", data=[ed.path], force="Kent")
    text = res.path.read_text()
    hand = _hand_sums(ed.rows)
    assert f"| 2018/19 | 4 | {sum(hand['2018/19'].values()):,} |" in text
    assert (
        "No trend is fitted for the 43 forces: too few points: 2 (at least 3 needed to "
        "estimate 2 coefficients and leave residual degrees of freedom). Left out: 2019/20 "
        "(incomplete: excludes Dorset Q1 (N/a, blank or suppressed; not counted as 0)); "
        "2020/21 (Q1-Q2 only: the rest of the year is not in the data)."
    ) in text


def _write(path: Path, names: list[str], sheets: dict[str, pl.DataFrame]) -> Path:
    grids = {"Notes": gen._notes_grid()} | {n: gen._grid(n, sheets[n]) for n in names}
    gen.write_ods(path, grids)
    return path


def test_a_latest_year_whose_every_figure_is_na_is_named_and_left_out(tmp_path: Path) -> None:
    """2017/18 (REAL) to 2020/21 Q1-Q2 (SYNTHETIC), every 2020/21 cell written N/a: the report
    covers 2019/20, the latest year with figures, and says 2020/21 Q1-Q2 is all N/a (it
    stopped with 'no row of the data falls inside 2020/21')."""
    names, sheets, _ = gen.build(first=2017, last=2020, offence_codes=["88A"], na=())
    sheets["2020_21"] = sheets["2020_21"].with_columns(pl.lit("N/a").alias("Number of Offences"))
    path = _write(tmp_path / "last-na.ods", names, sheets)
    c = context(groomstats.read_prc(path))
    hand = _hand_sums(sheets)
    assert "2020/21" not in hand  # nothing known in it
    assert (c.year, c.unreported) == ("2019/20", "2020/21 Q1-Q2")
    assert c.national == sum(hand["2019/20"].values())
    assert c.years is not None and c.years.years == ["2017/18", "2018/19", "2019/20"]
    res = write_report(tmp_path / "out", data=[path], force="Kent")
    text = res.path.read_text()
    assert (
        "The data also hold 2020/21 Q1-Q2, but every figure for it is not available (published "
        "as N/a or suppressed, or left blank): it is left out of this report, which covers the "
        "data up to 2019/20, never counted as 0."
    ) in text
    assert "every figure for 2020/21 Q1-Q2 is N/a" in res.summary()


def test_data_whose_every_grooming_figure_is_na_is_refused(tmp_path: Path) -> None:
    names, sheets, _ = gen.build(first=2018, last=2019, offence_codes=["88A"], na=())
    for n in names:
        sheets[n] = sheets[n].with_columns(pl.lit("N/a").alias("Number of Offences"))
    path = _write(tmp_path / "all-na.ods", names, sheets)
    with pytest.raises(groomstats.DataFormatError, match=r"every sexual grooming \(88A\) figure"):
        context(groomstats.read_prc(path))


def test_overlapping_editions_say_which_release_each_year_comes_from(tmp_path: Path) -> None:
    """Two releases (SYNTHETIC apart from the REAL 2017/18 sheet): 2017/18-2020/21 dated
    20 July 2021 and 2019/20-2022/23 Q1-Q2 dated 20 October 2022 with other draws (revisions).
    The overlapping years are the later release's, and the table says so year by year."""
    early = gen.write_edition(
        tmp_path / "prc-pfa-mar2013-onwards-tables-200721.ods",
        first=2017,
        last=2020,
        partial_quarters=4,
        offence_codes=["88A"],
        na=(),
    )
    late = gen.write_edition(
        tmp_path / "prc-pfa-mar2013-onwards-tables-201022.ods",
        first=2019,
        last=2022,
        offence_codes=["88A"],
        na=(),
        seed=99,
    )
    h_early, h_late = _hand_sums(early.rows), _hand_sums(late.rows)
    n1920 = sum(h_late["2019/20"].values())
    assert n1920 != sum(h_early["2019/20"].values())  # a revision: the choice matters
    res = write_report(tmp_path / "out", data=[early.path, late.path], force="Kent")
    text = res.path.read_text()
    assert (
        "| Year | Quarters in the data | Offences (43 forces) | Offences (with BTP) | Note | "
        in text
    )
    assert f"| 2018/19 | 4 | {sum(h_early['2018/19'].values()):,} | " in text
    all_lines = text.splitlines()
    top = next(i for i, ln in enumerate(all_lines) if ln.startswith("| Year | Quarters in"))
    table = all_lines[top + 2 : all_lines.index("", top)]
    lines = {ln.split(" | ")[0]: ln for ln in table}
    assert len(lines) == 6  # 2017/18 to 2022/23
    assert lines["| 2017/18"].endswith("|  | 20 July 2021 |")
    assert lines["| 2018/19"].endswith("|  | 20 July 2021 |")
    assert lines["| 2019/20"].startswith(f"| 2019/20 | 4 | {n1920:,} | ")
    assert lines["| 2019/20"].endswith("|  | 20 October 2022 |")
    assert "each year's figures are those of the release named beside it" in text


def test_one_edition_adds_no_edition_column(tmp_path: Path) -> None:
    ed = gen.write_edition(
        tmp_path / "prc-pfa-mar2013-onwards-tables-200721.ods",
        first=2017,
        last=2019,
        offence_codes=["88A"],
        na=(),
    )
    text = write_report(tmp_path / "out", data=[ed.path], force="Kent").path.read_text()
    assert (
        "| Year | Quarters in the data | Offences (43 forces) | Offences (with BTP) | Note |\n"
        in text
    )


def test_a_year_with_every_cell_na_says_no_figure_not_no_quarters(tmp_path: Path) -> None:
    """2017/18 (REAL) to 2021/22 Q1-Q2 (SYNTHETIC), every 2019/20 cell N/a: the year's row
    keeps its four quarters in the data, has no figure (not 0), says so in a few words rather
    than listing all 43 forces, and is left out of the trend."""
    names, sheets, _ = gen.build(first=2017, last=2021, offence_codes=["88A"], na=())
    sheets["2019_20"] = sheets["2019_20"].with_columns(pl.lit("N/a").alias("Number of Offences"))
    path = _write(tmp_path / "year-na.ods", names, sheets)
    c = context(groomstats.read_prc(path))
    assert c.years is not None
    row = c.years.national.filter(pl.col("financial_year") == "2019/20").row(0, named=True)
    assert (row["quarters"], row["offences"], row["all"], row["complete"]) == (4, None, None, False)
    assert (
        row["note"]
        == "no figure: every force's cells are N/a, blank or suppressed (not counted as 0)"
    )
    hand = _hand_sums(sheets)
    other = c.years.national.filter(pl.col("financial_year") == "2020/21").row(0, named=True)
    assert (other["quarters"], other["offences"]) == (4, sum(hand["2020/21"].values()))
    t = c.years.national_trend
    assert t is not None and t["n"] == 3 and "2019/20" in t["left_out"]


def test_british_transport_police_absent_from_the_data_is_not_shown_as_0(tmp_path: Path) -> None:
    """A file of Kent's rows only, 2016/17 to 2020/21 Q1-Q2 (2017/18 REAL, others SYNTHETIC):
    there is no British Transport Police row, so no 'with BTP (0)' total or column."""
    names, sheets, _ = gen.build(first=2016, last=2020, offence_codes=["88A"], na=())
    for n in names:
        sheets[n] = sheets[n].filter(pl.col("Force Name") == "Kent")
    path = _write(tmp_path / "kent-only.ods", names, sheets)
    hand = _hand_sums(sheets)
    n = sum(hand["2020/21"].values())
    res = write_report(tmp_path / "out", data=[path])
    text = res.path.read_text()
    assert (
        f"recorded {n} sexual grooming offences; British Transport Police is not in the data, "
        "so there is no total with it (its figure is not known, not 0)."
    ) in text
    assert "with BTP" not in text and "with British Transport Police (0)" not in text
    assert "| Year | Quarters in the data | Offences (1 force) | Note |" in text
    assert f"{n} by the 1 territorial force, British Transport Police not in the data)" in (
        res.summary()
    )
    # with the REAL 2017/18 Kent figure, summed by hand from the shipped rows: 45
    assert sum(hand["2017/18"].values()) == 45

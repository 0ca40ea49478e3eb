"""read_prc on a whole Home Office edition: a multi-year ODS / XLSX written by edition_gen.py.

The 2017/18 sheet holds the REAL rows of the Home Office table shipped in the package; every
other year holds SYNTHETIC counts generated from a fixed seed (edition_gen.py): they test the
reading (sheets, row accounting, editions), and no figure of theirs is asserted as real.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import fastexcel
import polars as pl
import pytest

import groomstats
from groomstats.report.context import context

sys.path.insert(0, str(Path(__file__).parent))
from edition_gen import (
    REAL_NOTE,
    SYNTHETIC_NOTE,
    Edition,
    real_rows,
    write_edition,
)

#: Offences written (a subset keeps the files small): grooming, harassment, homicide (a combined
#: code the Home Office repeats within a sheet) and the codes of the fraud bodies.
CODES = ["88A", "8L", "1/4.1/4.10/4.2", "AF", "CIFAS", "FFA UK", "UK Finance"]
NEWER = "prc-pfa-mar2013-onwards-tables-230426"
OLDER = "prc-pfa-mar2013-onwards-tables-180719"


@pytest.fixture(scope="module", params=["ods", "xlsx"])
def newer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Edition:
    path = tmp_path_factory.mktemp("ed") / f"{NEWER}.{request.param}"
    return write_edition(path, style="newer", offence_codes=CODES)


def _written(ed: Edition) -> pl.DataFrame:
    """Every data row written, with the count as the test reads it (N/a -> null)."""
    return pl.concat(list(ed.rows.values())).select(
        pl.col("Financial Year").alias("financial_year"),
        pl.col("Financial Quarter").cast(pl.Int8).alias("quarter"),
        pl.col("Force Name").alias("raw_force"),
        pl.col("Offence Code").alias("offence_code"),
        pl.col("Number of Offences")
        .replace({"-00": "0", "N/a": None})
        .cast(pl.Int64)
        .alias("written"),
    )


def test_every_sheet_and_row_accounted_for(newer: Edition) -> None:
    df, rep = groomstats.read_prc(newer.path, report=True)
    assert newer.sheets[0] == "2012_13" and newer.sheets[-1] == "2024_25"
    assert len(newer.sheets) == 13
    written = _written(newer)
    assert rep.rows_read == written.height == rep.rows_kept == df.height
    assert rep.excluded == {}
    # row for row, in file order: the same figures (N/a stays null)
    assert df["offences"].to_list() == written["written"].to_list()
    assert df["financial_year"].to_list() == written["financial_year"].to_list()
    assert df["edition"].unique().to_list() == [date(2026, 4, 23)]
    assert any("sheet '2013_14'" in n and "duplicated" in n for n in rep.notes)
    assert f"{len(newer.na_cells)} count(s) not available (N/a or empty) kept as null" in rep.notes


def test_na_cells_are_null_and_only_those(newer: Edition) -> None:
    df = groomstats.read_prc(newer.path)
    nulls = df.filter(pl.col("offences").is_null())
    got = sorted(
        (fy, q, f, c)
        for fy, q, f, c in nulls.select("financial_year", "quarter", "force", "offence_code").rows()
    )
    want = sorted((f"{s[:4]}/{s[5:]}", q, f, c) for s, q, f, c in newer.na_cells)
    assert got == want and len(want) == 3


def test_entries_partial_year_and_the_real_sheet(newer: Edition) -> None:
    df = groomstats.read_prc(newer.path)
    entries = df.group_by("financial_year").agg(pl.col("force").n_unique()).sort("financial_year")
    per_year = dict(entries.rows())
    assert per_year["2017/18"] == 48  # the real sheet: 43 forces, BTP, four fraud bodies
    assert all(per_year[y] == 47 for y in per_year if y > "2017/18")
    last = df.filter(pl.col("financial_year") == "2024/25")
    assert sorted(last["quarter"].unique().to_list()) == [1, 2]
    # the 2017/18 sheet is the real table: its 88A figures are the published ones
    real = groomstats.grooming(df.filter(pl.col("financial_year") == "2017/18"))
    assert real["offences"].sum() == 4_444
    assert real.filter(pl.col("territorial"))["offences"].sum() == 4_429
    raw = real_rows(["88A"])
    assert real.height == raw.height == 176


def test_sheets_say_which_counts_are_synthetic(newer: Edition) -> None:
    reader = fastexcel.read_excel(str(newer.path))
    assert reader.sheet_names[0] == "Notes"
    for s in newer.sheets:
        title = reader.load_sheet(s, header_row=None, n_rows=1).to_polars().row(0)[0]
        assert title == (REAL_NOTE if s == "2017_18" else SYNTHETIC_NOTE)
    notes = reader.load_sheet("Notes", header_row=None).to_polars()
    assert "NOT Home Office figures" in " ".join(str(v) for v in notes.to_series(0).to_list())


def test_two_editions_older_style_latest_wins(tmp_path: Path, newer: Edition) -> None:
    """An older edition (sheets 2012-13 ... 2018-19, half of 2018/19) with a newer one: every
    figure once, the newer edition's where both give it; the older one's rows reported."""
    old = write_edition(
        tmp_path / f"{OLDER}{newer.path.suffix}",
        style="older",
        last=2018,
        offence_codes=CODES,
        seed=7,
        na=(),
    )
    assert old.sheets[0] == "2012-13" and old.sheets[-1] == "2018-19"
    df, rep = groomstats.read_prc([old.path, newer.path], report=True)
    new_only = groomstats.read_prc(newer.path)
    assert df.height == new_only.height  # the older edition holds nothing the newer lacks
    assert df["edition"].unique().to_list() == [date(2026, 4, 23)]
    assert df["offences"].to_list() == new_only["offences"].to_list()
    old_rows = sum(r.height for r in old.rows.values())
    assert rep.excluded == {
        "superseded by the edition of 23 April 2026 (the edition of 18 July 2019 replaced)": (
            old_rows
        )
    }
    assert rep.rows_read == old_rows + new_only.height
    rev = groomstats.revisions(old.path, newer.path)
    # the 2017/18 sheet is the same real table in both: never listed as revised
    assert rev.filter(pl.col("financial_year") == "2017/18").height == 0
    assert rev.height > 0 and (rev["new"] - rev["old"] == rev["difference"]).all()


def test_sheets_argument_and_both_styles(newer: Edition) -> None:
    df = groomstats.read_prc(newer.path, sheets=["2017_18", "2024_25"])
    assert sorted(df["financial_year"].unique().to_list()) == ["2017/18", "2024/25"]


def test_context_on_a_partial_latest_year(newer: Edition) -> None:
    """The latest year holds two quarters: it is labelled as such, and compared only with the
    same two quarters of the year before (synthetic figures: only the labels are checked)."""
    # no population of mid-2024 is shipped: the nearest is used, and said so
    with pytest.warns(groomstats.PopulationYearWarning, match="mid-2024"):
        ctx = context(groomstats.read_prc(newer.path))
    assert ctx.year == "2024/25" and ctx.quarters_in_window == 2
    assert ctx.period_phrase.startswith("April-September 2024 (two of the four quarters")
    assert ctx.year_on_year is not None
    assert ctx.year_on_year["current_period"][0] == "2024-04-01..2024-09-30"
    assert ctx.year_on_year["baseline_period"][0] == "2023-04-01..2023-09-30"
    p = groomstats.profile(force="Kent", ctx=ctx)
    yoy = next(s for s in p.sentences() if "against" in s and "2023" in s)
    assert "in April-September 2024 against" in yoy and "in April-September 2023" in yoy
    assert "in 2024/25 against" not in " ".join(p.sentences())


def test_report_with_two_editions(
    tmp_path: Path, newer: Edition, capsys: pytest.CaptureFixture[str]
) -> None:
    """``groomstats report --data OLD NEW``: the overlap counted once, the latest edition's."""
    from groomstats.cli import main

    old = write_edition(
        tmp_path / f"{OLDER}{newer.path.suffix}", style="older", last=2018, offence_codes=CODES
    )
    out = tmp_path / "rep"
    args = ["report", "--data", str(old.path), str(newer.path), "--force", "Kent"]
    # the population-year warning reaches the terminal as one line (not a Python warning)
    assert main([*args, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    summary = captured.out
    warned = [ln for ln in captured.err.splitlines() if ln.startswith("groomstats: warning:")]
    assert any("mid-2024" in ln for ln in warned), captured.err
    old_rows = sum(r.height for r in old.rows.values())
    assert f"not counted {old_rows:,}: superseded by the edition of 23 April 2026" in summary
    alone = groomstats.read_prc(newer.path)
    kent = alone.filter(
        (pl.col("force") == "Kent")
        & (pl.col("offence_code") == "88A")
        & (pl.col("financial_year") == "2024/25")
    )["offences"].sum()
    text = (out / "report.md").read_text(encoding="utf-8")
    assert f"Police in Kent recorded {kent} sexual grooming offences" in text

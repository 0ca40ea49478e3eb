"""Nothing counted twice, no year guessed: periods of one table that overlap (noted), a local
authority listed twice in a population sheet, a population whose mid-year disagrees with
``year=`` or with its file name, and one force spelled two ways across two editions.

Population files are derived from the ONS copy shipped in ``groomstats/data``; the others are
SYNTHETIC, written by the test.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets


def _sheet_lines() -> list[str]:
    with gzip.open(datasets.path("population_sheet"), "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


LINES = _sheet_lines()
LOOKUP = datasets.path("lad_pfa_lookup")


def _write(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_financial_and_calendar_year_for_one_force_are_noted() -> None:
    # SYNTHETIC: '2023/24' and '2023' share April-December 2023. Both are kept (a share per
    # period is sound; shares() refuses to pool them), and the report now says they overlap
    table = pl.DataFrame(
        {
            "Force": ["Kent", "Kent", "Essex"],
            "Period": ["2023/24", "2023", "2023/24"],
            "Platform": ["Snapchat"] * 3,
            "Offences": ["4", "5", "6"],
        }
    )
    df, rep = groomstats.read_breakdown(table, report=True)
    assert df.select("force", "period", "offences").rows() == [
        ("Kent", "2023/24", 4),
        ("Kent", "2023", 5),
        ("Essex", "2023/24", 6),
    ]
    note = next(n for n in rep.notes if n.startswith("overlapping periods"))
    assert note.startswith("overlapping periods for Kent: '2023' (1 January 2023 to 31 December")
    assert "'2023/24' (1 April 2023 to 31 March 2024; file '<DataFrame>', row 1" in note
    assert "never add them up" in note
    with pytest.raises(groomstats.DataFormatError, match="periods that overlap"):
        groomstats.shares(df)


def test_periods_that_do_not_overlap_are_not_noted() -> None:
    table = pl.DataFrame(
        {
            "Force": ["Kent", "Kent"],
            "Period": ["2022/23", "2023/24"],
            "Platform": ["Snapchat"] * 2,
            "Offences": ["4", "5"],
        }
    )
    df, rep = groomstats.read_breakdown(table, report=True)
    assert df["offences"].to_list() == [4, 5]
    assert not any("overlapping" in n for n in rep.notes)


def test_a_local_authority_listed_twice_is_refused(tmp_path: Path) -> None:
    # County Durham's row repeated was summed twice into Durham's population
    i = next(k for k, ln in enumerate(LINES) if ln.startswith("E06000047,"))
    sheet = _write(tmp_path, "mid2023.csv", [*LINES[: i + 1], LINES[i], *LINES[i + 1 :]])
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(sheet, LOOKUP)
    assert str(e.value).startswith(
        f"local authority 'E06000047' (County Durham) appears twice, at file 'mid2023.csv' "
        f"rows {i + 1} and {i + 2}"
    )


def test_year_given_that_contradicts_the_sheet_title(tmp_path: Path) -> None:
    # year=2022 on the mid-2023 sheet was taken silently: every rate would name mid-2022
    sheet = _write(tmp_path, "pop.csv", LINES)
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(sheet, LOOKUP, year=2022)
    assert "year=2022 but the sheet title says mid-2023" in str(e.value)
    assert "pass year=2023" in str(e.value)
    assert groomstats.read_population(sheet, LOOKUP, year=2023)["year"].unique().to_list() == [2023]


def test_title_and_file_name_naming_different_years(tmp_path: Path) -> None:
    # the title (mid-2023) won silently over the file name (mid-2022)
    sheet = _write(tmp_path, "population_mid2022.csv", LINES)
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(sheet, LOOKUP)
    msg = str(e.value)
    assert "the sheet title says mid-2023 and the file name says mid-2022" in msg
    assert "pass year= (one of 2023, 2022)" in msg


def test_note_row_under_the_population_sheet(tmp_path: Path) -> None:
    sheet = _write(tmp_path, "pop.csv", [*LINES, "Source: Office for National Statistics"])
    pop, rep = groomstats.read_population(sheet, LOOKUP, bands="0-17", report=True)
    assert rep.excluded["blank or note row"] == 1
    assert pop.filter(pop["force"] == "City of London")["population"].item() == 642


#: A Home Office table's header, and the end of an 88A row after its year, quarter and force.
PRC_HEAD = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
PRC_88A = "Sexual grooming,Sexual offences,Other sexual offences,88A"


def test_force_spelled_two_ways_across_editions_is_one_figure(tmp_path: Path) -> None:
    # SYNTHETIC: 'Devon & Cornwall' in one edition, 'Devon and Cornwall' in the next: one
    # figure, the later edition's, never both summed
    old = _write(
        tmp_path,
        "prc-pfa-mar2013-onwards-tables-190418.csv",
        [PRC_HEAD, f"2017/18,1,Devon & Cornwall,{PRC_88A},5"],
    )
    new = _write(
        tmp_path,
        "prc-pfa-mar2013-onwards-tables-180719.csv",
        [PRC_HEAD, f"2017/18,1,Devon and Cornwall,{PRC_88A},6"],
    )
    df, rep = groomstats.read_prc([old, new], report=True)
    assert df.select("force", "offences").rows() == [("Devon and Cornwall", 6)]
    assert rep.rows_read == 2 and rep.rows_kept == 1
    assert groomstats.revisions(old, new).select("old", "new").rows() == [(5, 6)]


def test_an_edition_missing_a_quarter_is_filled_and_said(tmp_path: Path) -> None:
    # SYNTHETIC: the later file lacks quarter 3; the older edition's quarter 3 is kept (a
    # published figure, counted once) and the report now says the year blends two editions
    old = _write(
        tmp_path,
        "prc-pfa-mar2013-onwards-tables-190418.csv",
        [PRC_HEAD, *(f"2017/18,{q},Kent,{PRC_88A},{n}" for q, n in ((1, 5), (2, 6), (3, 8)))],
    )
    new = _write(
        tmp_path,
        "prc-pfa-mar2013-onwards-tables-180719.csv",
        [PRC_HEAD, *(f"2017/18,{q},Kent,{PRC_88A},{n}" for q, n in ((1, 5), (2, 7)))],
    )
    df, rep = groomstats.read_prc([old, new], report=True)
    assert sorted(df.select("quarter", "offences").rows()) == [(1, 5), (2, 7), (3, 8)]
    assert (
        "2017/18 mixes editions (1 row(s) from the edition of 19 April 2018, 2 row(s) from the "
        "edition of 18 July 2019): a total over the year blends them"
    ) in rep.notes[-1]

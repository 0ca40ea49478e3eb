"""Labels as published tables write them: footnote marks (``[note 2]``, ``*``, ``(p)``) after a
force, period, header or category; an offence code written ``88 A``; an en dash in a
financial year; thousands separated by spaces. Every file is SYNTHETIC, written by the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)


def _prc(
    tmp: Path, rows: list[tuple[str, str, str, str]], header: str = HEADER, name: str = "l.csv"
) -> Path:
    lines = [header] + [
        f"{fy},1,{force},Sexual grooming,Sexual offences,Other sexual offences,{code},{n}"
        for fy, force, code, n in rows
    ]
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_force_footnote_marks_are_removed_and_named(tmp_path: Path) -> None:
    # 'Kent [note 2]' was an unknown force; 'Essex*' was matched to Essex with no word of
    # the footnote that may qualify its figure
    p = _prc(
        tmp_path,
        [("2017/18", "Kent [note 2]", "88A", "5"), ("2017/18", "Essex*", "88A", "3")],
    )
    df, rep = groomstats.read_prc(p, report=True)
    assert df.select("force", "force_code", "offences").rows() == [
        ("Kent", "E23000032", 5),
        ("Essex", "E23000028", 3),
    ]
    assert (
        "2 force label(s) carried a footnote mark, removed: 'Kent [note 2]', 'Essex*'" in rep.notes
    )


def test_pfa_suffix_is_not_a_mark(tmp_path: Path) -> None:
    p = _prc(tmp_path, [("2017/18", "West Midlands (pfa)", "88A", "5")])
    df, rep = groomstats.read_prc(p, report=True)
    assert df["force"].to_list() == ["West Midlands"]
    assert not any("footnote" in n for n in rep.notes)


def test_header_and_year_with_marks_and_an_en_dash(tmp_path: Path) -> None:
    # 'Number of Offences [note 2]' was a missing column; '2017/18 (p)' and '2017\u201318'
    # were refused as financial years
    header = HEADER.replace("Number of Offences", "Number of Offences [note 2]")
    rows = [("2017/18 (p)", "Kent", "88A", "5"), ("2018\u201319", "Kent", "88A", "6")]
    df, rep = groomstats.read_prc(_prc(tmp_path, rows, header), report=True)
    assert df.select("financial_year", "offences").rows() == [("2017/18", 5), ("2018/19", 6)]
    assert "1 financial year label(s) carried a footnote mark, removed: '2017/18 (p)'" in rep.notes


def test_offence_code_with_a_space_is_88a(tmp_path: Path) -> None:
    # '88 A' was kept as written, so every filter on 88A (grooming()) dropped the row silently
    p = _prc(tmp_path, [("2017/18", "Kent", "88 A", "5"), ("2017/18", "Essex", "88A", "3")])
    df = groomstats.read_prc(p)
    assert df["offence_code"].to_list() == ["88A", "88A"]
    assert groomstats.grooming(df)["offences"].sum() == 8


def test_space_thousands_get_a_specific_fix(tmp_path: Path) -> None:
    p = _prc(tmp_path, [("2017/18", "Kent", "88A", "1\u00a0234")])
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    assert "it looks like thousands separated by spaces; write 1234" in str(e.value)


def test_breakdown_marks_on_force_period_and_category_headers(tmp_path: Path) -> None:
    p = tmp_path / "foi.csv"
    p.write_text(
        "Force,Period,Snapchat [note 3],Instagram\nKent [note 1],2023/24 [note 2],4,5\n",
        encoding="utf-8",
    )
    df, rep = groomstats.read_breakdown(p, category="platform", report=True)
    assert df.select("force", "period", "value", "offences").rows() == [
        ("Kent", "2023/24", "Snapchat", 4),
        ("Kent", "2023/24", "Instagram", 5),
    ]
    assert "1 force label(s) carried a footnote mark, removed: 'Kent [note 1]'" in rep.notes
    assert "1 period label(s) carried a footnote mark, removed: '2023/24 [note 2]'" in rep.notes
    assert "1 column label(s) carried a footnote mark, removed: 'Snapchat [note 3]'" in rep.notes


def test_breakdown_total_row_with_a_mark_is_still_a_total() -> None:
    import polars as pl

    table = pl.DataFrame(
        {
            "Force": ["Kent", "Kent", "Kent"],
            "Period": ["2023/24"] * 3,
            "Platform": ["Snapchat", "Instagram", "Total [note 4]"],
            "Offences": ["4", "5", "9"],
        }
    )
    df, rep = groomstats.read_breakdown(table, report=True)
    assert df["value"].to_list() == ["Snapchat", "Instagram"]
    assert df["total"].to_list() == [9, 9]
    assert "1 platform label(s) carried a footnote mark, removed: 'Total [note 4]'" in rep.notes

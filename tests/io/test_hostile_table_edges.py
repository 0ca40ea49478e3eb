"""The edges of a published table: a ``Total`` or ``England and Wales`` row among the force
rows, note and source lines under the table, the table on a later sheet, ``Q1`` quarters and a
calendar year in a financial-year column. Every file is SYNTHETIC, written by the test.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import groomstats

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
HEAD = HEADER.split(",")


def _row(force: str, n: object, quarter: object = 1, year: str = "2017/18") -> str:
    return f"{year},{quarter},{force},Sexual grooming,Sexual offences,Other sexual offences,88A,{n}"


def _csv(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_england_and_wales_row_is_checked_and_left_out(tmp_path: Path) -> None:
    # an 'England and Wales' row was refused as an unknown force; kept, it would double
    # every national total
    lines = [
        HEADER,
        _row("Kent", 5),
        _row("Essex", 7),
        _row("British Transport Police", 1),
        _row("England and Wales", 12),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error", groomstats.TotalMismatchWarning)
        df, rep = groomstats.read_prc(_csv(tmp_path, "ew.csv", lines), report=True)
    assert df["force"].to_list() == ["Kent", "Essex", "British Transport Police"]
    assert df["offences"].sum() == 13
    assert rep.rows_read == 4 and rep.rows_kept == 3
    assert rep.excluded == {"total row (not a force)": 1}
    assert (
        "1 total row(s) ('England and Wales') left out, never counted as a force: "
        "1 checked against the force rows"
    ) in rep.notes


def test_total_row_that_does_not_add_up_warns_with_both_figures(tmp_path: Path) -> None:
    lines = [HEADER, _row("Kent", 5), _row("Essex", 7), _row("Total", 20)]
    with pytest.warns(groomstats.TotalMismatchWarning) as w:
        df = groomstats.read_prc(_csv(tmp_path, "tot.csv", lines))
    assert df["offences"].to_list() == [5, 7]
    msg = str(w[0].message)
    assert "'Total' 20 for 2017/18 quarter 1 offence 88A" in msg
    assert "file 'tot.csv', row 4, column 'Force Name'" in msg
    assert "12 (the territorial forces), 12 (every row)" in msg


def test_note_rows_under_a_csv_table(tmp_path: Path) -> None:
    # 'Source: Home Office' under the table was refused as "missing value None"
    lines = [HEADER, _row("Kent", 5), "", "Source: Home Office,,,,,,,", "Figures are as recorded"]
    df, rep = groomstats.read_prc(_csv(tmp_path, "notes.csv", lines), report=True)
    assert df["offences"].to_list() == [5]
    assert rep.rows_read == 4
    assert rep.excluded == {"blank row": 1, "note row below the table": 2}
    assert (
        "note row(s) below the table left out: 'Source: Home Office'; 'Figures are as recorded'"
        in rep.notes
    )


def test_a_lone_cell_inside_the_table_is_still_refused(tmp_path: Path) -> None:
    # only rows *below* the table are notes: a row in the middle missing its cells is an error
    lines = [HEADER, "Source: Home Office,,,,,,,", _row("Kent", 5)]
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(_csv(tmp_path, "mid.csv", lines))
    assert str(e.value).startswith(
        "missing value (an empty cell) at file 'mid.csv', row 2, column 'Financial Quarter'"
    )


def test_xlsx_title_blank_and_note_rows(tmp_path: Path) -> None:
    import xlsxwriter

    p = tmp_path / "titled.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("2017-18")
    rows = [
        ["Police recorded crime, 2017/18"],
        [],
        HEAD,
        ["2017/18", 1, "Kent", "Sexual grooming", "Sexual offences", "Other", "88A", 5],
        [],
        ["Source: Home Office"],
    ]
    for i, r in enumerate(rows):
        ws.write_row(i, 0, r)
    wb.close()
    df, rep = groomstats.read_prc(p, report=True)
    assert df["offences"].to_list() == [5]
    assert rep.excluded == {"blank row": 1, "note row below the table": 1}


def test_breakdown_note_row_and_table_on_a_later_sheet(tmp_path: Path) -> None:
    import xlsxwriter

    # the table sits on the second sheet, after a cover sheet: it was refused ("sheet
    # 'Cover': no header row"); a note under it was refused as "missing period None"
    p = tmp_path / "foi.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Cover").write_row(0, 0, ["Freedom of Information response"])
    ws = wb.add_worksheet("Table 1")
    rows = [
        ["Force", "Period", "Platform", "Offences"],
        ["Kent", "2023/24", "Snapchat", 9],
        ["Kent", "2023/24", "Instagram", "*"],
        ["Note: * suppressed to protect victims"],
    ]
    for i, r in enumerate(rows):
        ws.write_row(i, 0, r)
    wb.close()
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("value", "offences", "suppressed").rows() == [
        ("Snapchat", 9, False),
        ("Instagram", None, True),
    ]
    assert rep.excluded == {"note row below the table": 1}
    assert any("read sheet 'Table 1', the first with a table" in n for n in rep.notes)


def test_quarter_written_q1(tmp_path: Path) -> None:
    lines = [HEADER, _row("Kent", 5, quarter="Q1"), _row("Kent", 6, quarter="q4")]
    df = groomstats.read_prc(_csv(tmp_path, "q.csv", lines))
    assert df["quarter"].to_list() == [1, 4]
    assert [str(d) for d in df["period_start"]] == ["2017-04-01", "2018-01-01"]


def test_calendar_year_in_a_financial_year_column(tmp_path: Path) -> None:
    lines = [HEADER, _row("Kent", 5), _row("Kent", 6, year="2018")]
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(_csv(tmp_path, "cal.csv", lines))
    msg = str(e.value)
    assert "financial year '2018' at file 'cal.csv', row 3, column 'Financial Year'" in msg
    assert "'2018' is a calendar year, not a financial year" in msg
    assert "it overlaps 2017/18 and 2018/19" in msg


def test_a_sheet_holding_rows_of_another_year_is_said(tmp_path: Path) -> None:
    import xlsxwriter

    # SYNTHETIC: the sheet '2017-18' holds a 2018/19 row; it was read without a word
    p = tmp_path / "misnamed.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("2017-18")
    ws.write_row(0, 0, HEAD)
    row = ["Kent", "Sexual grooming", "Sexual offences", "Other", "88A"]
    ws.write_row(1, 0, ["2017/18", 1, *row, 5])
    ws.write_row(2, 0, ["2018/19", 1, *row, 6])
    wb.close()
    df, rep = groomstats.read_prc(p, report=True)
    assert df.select("financial_year", "offences").rows() == [("2017/18", 5), ("2018/19", 6)]
    assert (
        "sheet '2017-18' holds 1 row(s) of another financial year (2018/19; first at file "
        "'misnamed.xlsx', sheet '2017-18', row 3): each row's own Financial Year is used"
    ) in rep.notes[0]


def test_a_long_category_with_a_blank_count_is_not_a_note(tmp_path: Path) -> None:
    # a one-force return: its last category has no count (not provided); with a looser
    # rule it would be taken for a note under the table and left out
    p = tmp_path / "one.csv"
    p.write_text(
        "Platform,Offences\nSnapchat,4\nFacebook Messenger and Instagram Direct,\n"
        "Counts of fewer than five offences are suppressed.\n",
        encoding="utf-8",
    )
    df, rep = groomstats.read_breakdown(p, force="Kent", period="2023/24", report=True)
    assert df.select("value", "offences").rows() == [
        ("Snapchat", 4),
        ("Facebook Messenger and Instagram Direct", None),
    ]
    assert rep.excluded == {"note row below the table": 1}

"""A workbook whose financial-year sheets are read by name ('2017-18') and which holds the
table on another sheet too: 'Sheet1' with a 2018/19 row, or a copy made in a spreadsheet
('2017-18 (2)'). Those rows were left out without a word; the row report now names each such
sheet (not read, as before: a copy would count its figures twice). Workbooks are SYNTHETIC.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import groomstats

sys.path.insert(0, str(Path(__file__).parent))
from edition_gen import HEADER

TAIL = ["Sexual grooming", "Sexual offences", "Other sexual offences", "88A"]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, HEADER)
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, row)
    wb.add_worksheet("Notes").write(0, 0, "Police recorded crime: notes")
    wb.close()
    return path


@pytest.mark.parametrize("other", ["Sheet1", "2017-18 (2)"])
def test_a_table_on_a_sheet_not_named_like_a_year_is_said(tmp_path: Path, other: str) -> None:
    p = _workbook(
        tmp_path / "prc.xlsx",
        {
            "2017-18": [["2017/18", 1, "Kent", *TAIL, 5]],
            other: [["2018/19", 1, "Kent", *TAIL, 9]],
        },
    )
    df, rep = groomstats.read_prc(p, report=True)
    assert df.select("financial_year", "offences").rows() == [("2017/18", 5)]
    assert rep.notes == (
        f"sheet '{other}' also holds the table's header but is not named like a financial year: "
        "not read, its rows are not in the result (read sheets '2017-18'; pass sheets=[...] to "
        "choose)",
    )
    both = groomstats.read_prc(p, sheets=["2017-18", other])
    assert both.select("financial_year", "offences").rows() == [("2017/18", 5), ("2018/19", 9)]

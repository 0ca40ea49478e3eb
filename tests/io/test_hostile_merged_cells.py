"""FOI spreadsheets often merge the force (or period) cell over a group of rows: the value is
in the first row and the others are blank. read_breakdown refused such a file with "missing
force name ... every row needs a force", which does not say why a cell the user can see
filled is "missing". The refusal now names the likely cause and the fix; groomstats still
never fills the value down itself. Workbooks are SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats


def _merged_workbook(path: Path, merge_column: int) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("FOI")
    ws.write_row(0, 0, ["Force", "Year", "Platform", "Offences"])
    rows = [["Kent", "2023/24", "Snapchat", 5], ["Kent", "2023/24", "Instagram", 3]]
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if c != merge_column:
                ws.write(r, c, v)
    ws.merge_range(1, merge_column, 2, merge_column, rows[0][merge_column])
    wb.close()
    return path


@pytest.mark.parametrize(
    ("column", "said"),
    [
        (
            0,
            "missing force name at file 'foi.xlsx', sheet 'FOI', row 3, column 'Force'; every "
            "row needs a force (the row above says 'Kent': merged cells, written once for a "
            "group of rows? write the force on every row; groomstats does not fill it down)",
        ),
        (
            1,
            "(the row above says '2023/24': merged cells, written once for a group of rows? "
            "write the value on every row; groomstats does not fill it down)",
        ),
    ],
)
def test_a_merged_cell_is_named_as_the_likely_cause(tmp_path: Path, column: int, said: str) -> None:
    p = _merged_workbook(tmp_path / "foi.xlsx", column)
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(p)
    assert said in str(e.value)


def test_a_blank_first_row_has_no_such_hint(tmp_path: Path) -> None:
    p = tmp_path / "blank.csv"
    p.write_text("Force,Year,Platform,Offences\n,2023/24,Snapchat,5\n", encoding="utf-8")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(p)
    assert str(e.value).endswith("column 'Force'; every row needs a force")

"""FOI breakdowns whose headers and labels fight the reader: a repeated column, a column with
no header, a category spelled two ways, period headers with footnote marks, and force= or
period= given for a table that has its own column. Every table is SYNTHETIC, written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats


def _csv(tmp: Path, text: str, name: str = "foi.csv") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("second", ["Snapchat", "snapchat "])
def test_a_repeated_category_column_is_refused(tmp_path: Path, second: str) -> None:
    # 'Snapchat' twice became the categories 'Snapchat' and 'Snapchat_duplicated_0';
    # 'snapchat ' a second category: either way one platform's share was split
    p = _csv(tmp_path, f"Force,Period,Snapchat,{second},Kik\nKent,2023/24,4,5,1\n")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(p, category="platform")
    msg = str(e.value)
    assert msg.startswith("file 'foi.csv': the header '")
    assert "appears twice (as 'Snapchat' and " in msg


def test_a_category_spelled_two_ways_is_one_category(tmp_path: Path) -> None:
    p = _csv(
        tmp_path,
        "Force,Period,Platform,Offences\nKent,2023/24,Snapchat,4\nEssex,2023/24,snapchat,5\n",
    )
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("force", "value", "offences").rows() == [
        ("Kent", "Snapchat", 4),
        ("Essex", "Snapchat", 5),
    ]
    assert "platform labels spelled several ways read as one: 'snapchat' as 'Snapchat'" in (
        rep.notes
    )
    # one force and period with both spellings: the same cell twice, refused
    q = _csv(
        tmp_path,
        "Force,Period,Platform,Offences\nKent,2023/24,Snapchat,4\nKent,2023/24,SNAPCHAT,5\n",
        "twice.csv",
    )
    with pytest.raises(groomstats.DataFormatError, match=r"duplicate row: Kent 2023/24"):
        groomstats.read_breakdown(q)


def test_columns_without_a_header(tmp_path: Path) -> None:
    # a trailing comma made an empty column named '', read as a second category column
    # ("every row needs a "); with values in it, '7' became a category label
    p = _csv(tmp_path, "Force,Period,Platform,Offences,\nKent,2023/24,Snapchat,4,\n")
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("value", "offences").rows() == [("Snapchat", 4)]
    assert "1 empty column(s) without a header ignored" in rep.notes
    q = _csv(tmp_path, "Force,Period,Platform,Offences,\nKent,2023/24,Snapchat,4,7\n", "v.csv")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(q)
    assert str(e.value).startswith(
        "file 'v.csv': column 5 has no header but holds values ('7' at row 2)"
    )


def test_period_headers_with_marks(tmp_path: Path) -> None:
    # '2022/23 [note 1]' and '2023/24 (p)' were not seen as periods, and the table was refused
    p = _csv(tmp_path, "Force,Platform,2022/23 [note 1],2023/24 (p)\nKent,Snapchat,4,5\n")
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("period", "offences").rows() == [("2022/23", 4), ("2023/24", 5)]
    assert any("carried a footnote mark, removed: '2022/23 [note 1]'" in n for n in rep.notes)


@pytest.mark.parametrize(("arg", "value"), [("force", "Essex"), ("period", "2022/23")])
def test_force_or_period_given_for_a_table_with_its_own_column(
    tmp_path: Path, arg: str, value: str
) -> None:
    # force='Essex' was ignored silently and the rows read as Kent's
    p = _csv(tmp_path, "Force,Period,Platform,Offences\nKent,2023/24,Snapchat,4\n")
    with pytest.raises(groomstats.GroomstatsError) as e:
        groomstats.read_breakdown(p, **{arg: value})
    assert f"{arg}={value!r} was given but the table has its own {arg} column" in str(e.value)


def test_an_age_band_turned_into_a_date_is_refused(tmp_path: Path) -> None:
    import datetime

    import xlsxwriter

    # SYNTHETIC: the age band '12-15' typed into a spreadsheet became the date 15 December;
    # it was read as the age band '2024-12-15 00:00:00'
    p = tmp_path / "ages.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Table 2")
    ws.write_row(0, 0, ["Force", "Period", "Age band", "Offences"])
    ws.write_row(1, 0, ["Kent", "2023/24", "11 and under", 3])
    ws.write_row(2, 0, ["Kent", "2023/24"])
    ws.write_datetime(2, 2, datetime.datetime(2024, 12, 15), wb.add_format({"num_format": "d-mmm"}))
    ws.write(2, 3, 4)
    wb.close()
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(p)
    assert str(e.value).startswith(
        "age_band '2024-12-15 00:00:00' at file 'ages.xlsx', sheet 'Table 2', row 3, "
        "column 'Age band' is a date cell"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Force,Period,Platform,Offences,Notes\nKent,2023/24,Snapchat,4,Provisional\n"
        "Kent,2023/24,Kik,2,\n",
        "Force,Period,Snapchat,Kik,Notes\nKent,2023/24,4,2,Provisional\n",
    ],
    ids=["long", "wide"],
)
def test_a_notes_column_is_left_out_and_its_text_reported(tmp_path: Path, text: str) -> None:
    # a 'Notes' column beside the counts was read as a second category ("every row needs a
    # notes") or as counts ("non-numeric count 'Provisional'")
    df, rep = groomstats.read_breakdown(_csv(tmp_path, text), category="platform", report=True)
    assert df.select("value", "offences").rows() == [("Snapchat", 4), ("Kik", 2)]
    assert (
        "column 'Notes' holds notes, not counts or categories: left out (1 row(s) with a "
        "note: 'Provisional')"
    ) in rep.notes


def test_an_age_band_header_turned_into_a_date_is_refused(tmp_path: Path) -> None:
    import datetime

    import xlsxwriter

    # SYNTHETIC: the header '12-15' of a wide table became 15 December: it was read as the
    # age band '2024-12-15 00:00:00'
    p = tmp_path / "wide.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("T")
    ws.write_row(0, 0, ["Force", "Period", "11 and under"])
    ws.write_datetime(0, 3, datetime.datetime(2024, 12, 15), wb.add_format({"num_format": "d-mmm"}))
    ws.write_row(1, 0, ["Kent", "2023/24", 3, 4])
    wb.close()
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(p, category="age_band")
    assert str(e.value).startswith(
        "age_band '2024-12-15 00:00:00' at file 'wide.xlsx', sheet 'T', column "
        "'2024-12-15 00:00:00' (its header) is a date cell"
    )

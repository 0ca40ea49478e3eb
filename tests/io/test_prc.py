"""read_prc on the real Home Office file and on fixtures written from its rows."""

from __future__ import annotations

import gzip
import warnings
from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import groomstats
from groomstats import io

PRC_NAME = "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz"


def _prc_path() -> Path:
    return Path(str(resources.files("groomstats") / "data" / PRC_NAME))


def _lines() -> list[str]:
    with gzip.open(_prc_path(), "rt", encoding="utf-8") as f:
        return f.read().splitlines()


LINES = _lines()
HEADER = LINES[0]


def _rows(pred: str, n: int | None = None) -> list[str]:
    out = [ln for ln in LINES[1:] if pred in ln]
    return out if n is None else out[:n]


def _write(tmp: Path, lines: list[str], name: str = "prc.csv") -> Path:
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_real_file_row_accounting_and_schema() -> None:
    df, rep = groomstats.read_prc(_prc_path(), report=True)
    assert rep.rows_read == 23_068 == len(LINES) - 1
    assert rep.rows_kept == df.height == 23_068
    assert rep.excluded == {}
    assert "36 negative count(s) (adjustments) kept" in rep.notes
    assert df.schema == pl.Schema(io.PRC_SCHEMA)
    assert (df["offences"] < 0).sum() == 36
    assert df["offences"].null_count() == 0
    # '-00' is zero: count the raw cells
    zeros = sum(1 for ln in LINES[1:] if ln.endswith(",-00 ") or ln.endswith(",-00"))
    assert zeros > 5_000
    assert (df["offences"] == 0).sum() >= zeros


def test_real_file_territorial_only() -> None:
    df, rep = groomstats.read_prc(_prc_path(), territorial_only=True, report=True)
    assert rep.rows_read == rep.rows_kept + sum(rep.excluded.values())
    assert rep.excluded == {"non-territorial body": 524 + 4 + 4 + 3 + 1}
    assert df["force"].n_unique() == 43
    assert df["force_code"].null_count() == 0
    assert groomstats.grooming(df)["offences"].sum() == 4_429


def test_periods_and_names() -> None:
    df = groomstats.read_prc(_prc_path())
    q = df.select("quarter", "period_start", "period_end").unique().sort("quarter")
    assert q.rows() == [
        (1, date(2017, 4, 1), date(2017, 6, 30)),
        (2, date(2017, 7, 1), date(2017, 9, 30)),
        (3, date(2017, 10, 1), date(2017, 12, 31)),
        (4, date(2018, 1, 1), date(2018, 3, 31)),
    ]
    forces = set(df["force"].unique())
    assert "City of London" in forces  # written "London, City of" (quoted) in the file
    assert "London, City of" not in forces
    quoted = df.filter(pl.col("offence").str.contains("obstruction, false"))
    assert quoted.height > 0
    assert df.filter(pl.col("offence_code") == "UK Finance").height == 3


def test_quirks_padding_na_minus_zero_quotes(tmp_path: Path) -> None:
    base = _rows(",88A,", 3)
    assert base[0].endswith(" 59 ")  # real padded cell
    lines = [HEADER, *base]
    lines.append(base[0].replace("Avon and Somerset", "Kent").rsplit(",", 1)[0] + ",N/a")
    city = _rows('"London, City of"', 1)[0]
    lines.append(city.rsplit(",", 1)[0] + ",-00")
    df, rep = groomstats.read_prc(_write(tmp_path, lines), report=True)
    assert df["offences"].to_list()[:1] == [59]
    assert df["offences"][3] is None
    assert df["offences"][4] == 0
    assert df["force"][4] == "City of London"
    assert df["force_code"][4] == "E23000034"
    assert any("N/a" in n for n in rep.notes)
    assert rep.rows_read == rep.rows_kept == 5


def test_stray_extra_column_and_blank_rows(tmp_path: Path) -> None:
    rows = _rows(",88A,", 4)
    lines = [HEADER + ",Number of Offences", *[r + ",x" for r in rows], ",,,,,,,,"]
    df, rep = groomstats.read_prc(_write(tmp_path, lines), report=True)
    assert df.height == 4
    assert rep.excluded == {"blank row": 1}
    assert rep.rows_read == 5
    assert any("Number of Offences_duplicated_0" in n for n in rep.notes)


def _raw_frame(pred: str, n: int) -> pd.DataFrame:
    df = pl.read_csv("\n".join([HEADER, *_rows(pred, n)]).encode(), infer_schema=False).to_pandas()
    return df


def test_ods_every_financial_year_sheet(tmp_path: Path) -> None:
    p = tmp_path / "prc-pfa-mar2013-onwards-tables.ods"
    q12 = _raw_frame("2017/18,1,", 300)
    q4 = _raw_frame("2017/18,4,", 200)
    # a real edition's layout: a notes sheet, title rows above the header, numbers as numbers
    q4["Number of Offences"] = q4["Number of Offences"].str.strip().replace("-00", "0").astype(int)
    with pd.ExcelWriter(p, engine="odf") as xl:
        pd.DataFrame({"Notes": ["Police recorded crime open data tables", "OGL v3.0"]}).to_excel(
            xl, sheet_name="Notes", index=False
        )
        q12.to_excel(xl, sheet_name="2017-18", index=False)
        q4.to_excel(xl, sheet_name="2024_25", index=False, startrow=2)
    df, rep = groomstats.read_prc(p, report=True)
    assert rep.rows_read == 500 == df.height
    ref = groomstats.read_prc(
        _write(tmp_path, [HEADER, *_rows("2017/18,1,", 300), *_rows("2017/18,4,", 200)])
    )
    assert df.equals(ref)
    only = groomstats.read_prc(p, sheets=["2024_25"])
    assert only.height == 200
    with pytest.raises(groomstats.DataFormatError, match=r"no sheet '2017_18' — did you mean"):
        groomstats.read_prc(p, sheets="2017_18")


def test_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "prc.xlsx"
    raw = pl.from_pandas(_raw_frame(",88A,", 176))
    raw.write_excel(p, worksheet="2017-18")
    df = groomstats.read_prc(p)
    assert df["offences"].sum() == 4_444


def test_no_financial_year_sheet(tmp_path: Path) -> None:
    # the only sheet holding the table is read (and said so), not refused: its rows carry
    # their financial year, and `groomstats report --data` has no sheets= to pass
    p = tmp_path / "x.xlsx"
    pl.from_pandas(_raw_frame(",88A,", 5)).write_excel(p, worksheet="Data")
    df, rep = groomstats.read_prc(p, report=True)
    assert df.equals(groomstats.read_prc(p, sheets="Data"))
    assert df.height == 5
    assert "no sheet named like a financial year: read 'Data'" in rep.notes[0]
    # a workbook with no financial-year sheet and no table is still refused, naming its sheets
    q = tmp_path / "y.xlsx"
    pl.DataFrame({"About": ["Cover page"]}).write_excel(q, worksheet="Data")
    with pytest.raises(groomstats.DataFormatError, match=r"no financial-year sheet.*'Data'") as e:
        groomstats.read_prc(q)
    assert "No sheet holds the table's header either: rename the sheet" in str(e.value)


# ---- bad inputs: typed errors naming file, row, column and value -----------------------------


def test_missing_column(tmp_path: Path) -> None:
    hdr = HEADER.rsplit(",", 1)[0]
    rows = [r.rsplit(",", 1)[0] for r in _rows(",88A,", 2)]
    with pytest.raises(groomstats.DataFormatError, match=r"missing column 'Number of Offences'"):
        groomstats.read_prc(_write(tmp_path, [hdr, *rows], "cut.csv"))


def test_renamed_header(tmp_path: Path) -> None:
    hdr = HEADER.replace("Force Name", "Force")
    with pytest.raises(
        groomstats.DataFormatError,
        match=r"file 'renamed.csv': missing column 'Force Name' \(found 'Force': rename it\?\)",
    ):
        groomstats.read_prc(_write(tmp_path, [hdr, *_rows(",88A,", 2)], "renamed.csv"))


def test_non_numeric_count(tmp_path: Path) -> None:
    rows = _rows(",88A,", 3)
    rows[1] = rows[1].rsplit(",", 1)[0] + ", 5O "
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(_write(tmp_path, [HEADER, *rows]))
    msg = str(e.value)
    assert "non-numeric count '5O'" in msg
    assert "file 'prc.csv', row 3, column 'Number of Offences'" in msg


def test_unknown_force(tmp_path: Path) -> None:
    rows = _rows("Thames Valley,Sexual grooming", 1)
    rows = [*_rows(",88A,", 2), rows[0].replace("Thames Valley", "Thames Vally")]
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.read_prc(_write(tmp_path, [HEADER, *rows]))
    assert str(e.value).startswith(
        "Unknown force 'Thames Vally' — did you mean 'Thames Valley'? "
        "(file 'prc.csv', row 4, column 'Force Name')"
    )


def test_duplicate_rows(tmp_path: Path) -> None:
    rows = _rows(",88A,", 3)
    with pytest.raises(
        groomstats.DataFormatError,
        match=r"duplicate row: 2017/18 quarter 1 "
        r"Avon and Somerset offence 88A appears at file 'prc.csv', row 2 and at "
        r"file 'prc.csv', row 5",
    ):
        groomstats.read_prc(_write(tmp_path, [HEADER, *rows, rows[0]]))


def test_homicide_combined_code_repeats_are_real() -> None:
    df = groomstats.read_prc(_prc_path())
    hom = df.filter(pl.col("offence_code") == "1/4.1/4.10/4.2")
    assert hom.height == 704  # four rows per force and quarter, as published
    assert hom.group_by("force", "quarter").len()["len"].unique().to_list() == [4]


def test_empty_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(groomstats.DataFormatError, match=r"file 'empty\.csv' is empty"):
        groomstats.read_prc(empty)
    with pytest.raises(groomstats.DataFormatError, match=r"file 'head\.csv' has no data rows"):
        groomstats.read_prc(_write(tmp_path, [HEADER], "head.csv"))


def test_bad_quarter_and_year(tmp_path: Path) -> None:
    row = _rows(",88A,", 1)[0]
    with pytest.raises(groomstats.DataFormatError, match=r"quarter '5' at file 'prc.csv', row 2"):
        groomstats.read_prc(_write(tmp_path, [HEADER, row.replace("2017/18,1,", "2017/18,5,")]))
    with pytest.raises(groomstats.DataFormatError, match=r"financial year '2017/19'"):
        groomstats.read_prc(_write(tmp_path, [HEADER, row.replace("2017/18", "2017/19")]))
    df = groomstats.read_prc(_write(tmp_path, [HEADER, row.replace("2017/18", "2017-18")]))
    assert df["financial_year"].to_list() == ["2017/18"]


def test_not_a_file_or_frame() -> None:
    with pytest.raises(groomstats.DataFormatError, match=r"got int"):
        groomstats.read_prc(42)
    with pytest.raises(FileNotFoundError):
        groomstats.read_prc("no-such-file.csv")


def test_frame_input() -> None:
    raw = _raw_frame(",88A,", 176)
    df = groomstats.read_prc(raw)
    assert df["offences"].sum() == 4_444


# ---- grooming() and the series break ---------------------------------------------------------


def test_grooming_series_break_warning(tmp_path: Path) -> None:
    rows = _rows(",88A,", 4)
    before = [r.replace("2017/18", "2016/17") for r in rows]
    df = groomstats.read_prc(_write(tmp_path, [HEADER, *before, *rows]))
    with pytest.warns(groomstats.SeriesBreakWarning, match=r"1 April 2017"):
        g = groomstats.grooming(df)
    assert g.height == 8
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        groomstats.grooming(df, allow_series_break=True)
        groomstats.grooming(df.filter(pl.col("period_start") >= groomstats.SERIES_BREAK))
    assert groomstats.SERIES_BREAK == date(2017, 4, 1)


def test_grooming_needs_offence_code() -> None:
    with pytest.raises(groomstats.DataFormatError, match=r"missing column 'offence_code'"):
        groomstats.grooming(pl.DataFrame({"code": ["88A"]}))


def test_ods_locations_and_duplicate_header_columns(tmp_path: Path) -> None:
    """The 2013/14 sheet has stray duplicate header columns; rows are counted from the top."""
    p = tmp_path / "prc.ods"
    raw = _raw_frame(",88A,", 20)
    # a stray duplicate header column, empty below as in the real 2013/14 sheet (a stray copy
    # that disagrees with the counts is refused: tests/io/test_hostile_duplicate_columns.py)
    raw.insert(8, "Number of Offences ", "")
    raw.loc[5, "Number of Offences"] = "fifty"
    with pd.ExcelWriter(p, engine="odf") as xl:
        raw.to_excel(xl, sheet_name="2013-14", index=False, startrow=2)
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    # header on row 3, first data row 4, sixth data row 9
    assert "'fifty' at file 'prc.ods', sheet '2013-14', row 9, column 'Number of Offences'" in (
        str(e.value)
    )
    raw.loc[5, "Number of Offences"] = " 7 "
    with pd.ExcelWriter(p, engine="odf") as xl:
        raw.to_excel(xl, sheet_name="2013-14", index=False, startrow=2)
    df, rep = groomstats.read_prc(p, report=True)
    assert df.height == rep.rows_read == 20
    assert any("ignored extra column" in n for n in rep.notes)

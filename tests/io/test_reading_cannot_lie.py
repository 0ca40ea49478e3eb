"""Reading that cannot lie (issue 12, item 8): thousands separators only in valid positions,
offence codes whatever their case, no directory, glob, FIFO or device read, and spreadsheets
whose cells would expand past the limits refused with a typed error before the spreadsheet
reader (calamine, which aborts the whole process when an allocation fails) sees them."""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import (
    DataFormatError,
    FileAccessError,
    MissingFileError,
    WorkbookTooLargeError,
)
from groomstats.io import _limits
from groomstats.io._sheets import whole_numbers

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences\n"
)


def _prc_row(count: str, *, force: str = "Kent", code: str = "88A", quarter: int = 1) -> str:
    return (
        f'2017/18,{quarter},{force},Sexual grooming,Sexual offences,Other sexual offences,{code},"'
        f'{count}"\n'
    )


# --- thousands separators --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1,234,567", 1_234_567), ("1,234", 1234), (" 59 ", 59), ("-00", 0), ("-1", -1),
     ("12.0", 12), ("999", 999), ("1,000,000.0", 1_000_000)],
)  # fmt: skip
def test_valid_counts_are_read(tmp_path: Path, cell: str, value: int) -> None:
    p = tmp_path / "prc.csv"
    p.write_text(HEADER + _prc_row(cell))
    assert groomstats.read_prc(p)["offences"].to_list() == [value]


@pytest.mark.parametrize("cell", ["12,34", ",5", "1 2 3 4", "1234,", "1,2345", "12,345,67",
                                  "1,,234", "1.5", "1e3", "0x10"])  # fmt: skip
def test_misplaced_separators_are_refused_with_the_place(tmp_path: Path, cell: str) -> None:
    """The issue: "12,34" was read as 1234 and ",5" as 5; "1 2 3 4" as 1234 in breakdowns."""
    p = tmp_path / "prc.csv"
    p.write_text(HEADER + _prc_row("7", force="Essex") + _prc_row(cell))
    with pytest.raises(DataFormatError) as info:
        groomstats.read_prc(p)
    msg = str(info.value)
    assert f"{cell!r} at file 'prc.csv', row 3, column 'Number of Offences'" in msg
    assert "groups of three" in msg


@pytest.mark.parametrize("cell", ["12,34", ",5", "1 2 3 4"])
def test_breakdown_refuses_misplaced_separators(tmp_path: Path, cell: str) -> None:
    p = tmp_path / "foi.csv"
    p.write_text(f'Force,Year,Snapchat,Instagram\nKent,2023/24,"1,234","{cell}"\n')
    with pytest.raises(DataFormatError) as info:
        groomstats.read_breakdown(p, category="platform")
    assert f"{cell!r} at file 'foi.csv', row 2, column 'Instagram'" in str(info.value)
    p.write_text('Force,Year,Snapchat,Instagram\nKent,2023/24,"1,234","12"\n')
    df = groomstats.read_breakdown(p, category="platform")
    assert df["offences"].to_list() == [1234, 12]


def test_whole_numbers_helper() -> None:
    cells = pl.Series(["1,234,567", "+12", "007", "12,34", ",5", "1 2 3 4", None, "", "N/a"])
    assert whole_numbers(cells).to_list() == [1_234_567, 12, 7, None, None, None, None, None, None]


# --- offence codes ---------------------------------------------------------------------------


def test_lower_case_88a_is_grooming(tmp_path: Path) -> None:
    """The issue: grooming() dropped rows coded "88a"."""
    p = tmp_path / "prc.csv"
    p.write_text(
        HEADER + _prc_row("5", code="88a") + _prc_row("7", force="Essex", code=" 88A ")
        + _prc_row("3", force="Surrey", code="88E")
    )  # fmt: skip
    df = groomstats.read_prc(p)
    assert df["offence_code"].to_list() == ["88A", "88A", "88E"]
    g = groomstats.grooming(df)
    assert sorted(zip(g["force"], g["offences"], strict=True)) == [("Essex", 7), ("Kent", 5)]
    # a frame from elsewhere, codes as typed: the same two rows
    raw = pl.DataFrame({"offence_code": ["88a", " 88A", "88e", "88AA"], "offences": [5, 7, 3, 1]})
    assert groomstats.grooming(raw)["offences"].to_list() == [5, 7]
    assert groomstats.grooming(raw.lazy()).collect()["offences"].to_list() == [5, 7]


def test_88a_in_two_cases_for_one_cell_is_a_duplicate(tmp_path: Path) -> None:
    p = tmp_path / "prc.csv"
    p.write_text(HEADER + _prc_row("5", code="88a") + _prc_row("5", code="88A"))
    with pytest.raises(DataFormatError, match=r"duplicate row.*Kent offence 88A"):
        groomstats.read_prc(p)


# --- paths -----------------------------------------------------------------------------------


def test_a_glob_only_when_asked_and_hidden_files_are_never_read(tmp_path: Path) -> None:
    (tmp_path / ".hidden.csv").write_text(HEADER + _prc_row("5"))
    (tmp_path / "a.csv").write_text(HEADER + _prc_row("6"))
    (tmp_path / "b.csv").write_text(HEADER + _prc_row("7", force="Essex"))
    (tmp_path / "c.csv").mkdir()  # a directory matching the pattern is never read
    df, rep = groomstats.read_prc(str(tmp_path / "*.csv"), report=True)
    assert sorted(zip(df["force"], df["offences"], strict=True)) == [("Essex", 7), ("Kent", 6)]
    assert rep.rows_read == 2  # a.csv and b.csv: not the hidden file, not the directory
    with pytest.raises(MissingFileError, match="no file matches the pattern"):
        groomstats.read_prc(tmp_path / "*.ods")
    with pytest.raises(MissingFileError, match="expanded by read_prc only"):
        groomstats.read_breakdown(tmp_path / "*.csv", category="platform")
    for call in (
        lambda s: groomstats.read_prc(s),
        lambda s: groomstats.read_breakdown(s, category="platform"),
        lambda s: groomstats.read_population(s, tmp_path / "a.csv"),
    ):
        with pytest.raises(FileAccessError, match="it is a directory"):
            call(tmp_path)
        with pytest.raises(FileAccessError, match="the path is empty"):
            call("")


def _refused_quickly(call: object, path: Path) -> BaseException:
    """Run ``call(path)`` in a thread; fail (instead of hanging) if it has not ended in 20 s."""
    out: list[BaseException] = []

    def run() -> None:
        try:
            call(path)  # type: ignore[operator]
        except BaseException as e:  # handed to the test
            out.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(20)
    if t.is_alive():
        # unblock the reader by opening the FIFO's other end, then fail
        with open(path, "wb"):
            pass
        pytest.fail(f"reading {path} blocked")
    assert out, "no error raised"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("suffix", [".csv", ".ods", ".xlsx"])
def test_fifo_is_refused_before_opening_by_every_reader(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    for call in (
        groomstats.read_prc,
        lambda s: groomstats.read_breakdown(s, category="platform"),
        lambda s: groomstats.read_population(s, s),
    ):
        e = _refused_quickly(call, fifo)
        assert isinstance(e, FileAccessError), e
        assert "not a regular file" in str(e) and str(fifo) in str(e)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_device_is_refused() -> None:
    with pytest.raises(FileAccessError, match="not a regular file"):
        groomstats.read_prc("/dev/null")


# --- spreadsheets that expand past the limits ------------------------------------------------

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
    'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
    'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
    '"text/xml"/></manifest:manifest>'
)


def _ods(path: Path, rows: str, name: str = "2017-18") -> Path:
    """A minimal ODS (synthetic): one sheet whose rows are the given XML."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}>'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{rows}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        mime = zipfile.ZipInfo("mimetype")
        z.writestr(mime, "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", _MANIFEST)
        z.writestr("content.xml", content)
    return path


def _cell(v: str, rep: int = 1) -> str:
    r = f' table:number-columns-repeated="{rep}"' if rep > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{r}><text:p>{v}</text:p></table:table-cell>'
    )


def _row(cells: str, rep: int = 1) -> str:
    r = f' table:number-rows-repeated="{rep}"' if rep > 1 else ""
    return f"<table:table-row{r}>{cells}</table:table-row>"


@pytest.fixture
def no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if fastexcel is reached: the file must be refused before it."""
    import fastexcel

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("fastexcel.read_excel was called on a file that should have been refused")

    monkeypatch.setattr(fastexcel, "read_excel", refuse)


def test_the_issue_ods_bomb_is_refused_before_the_reader(tmp_path: Path, no_calamine: None) -> None:
    """The issue: a ~1 KB ODS (rows of number-columns-repeated="16000", repeated) expanded to
    gigabytes and the reader aborted the process. 16,000 columns x 1,000 rows x 10 = 160
    million cells: refused with the figures, fastexcel never called."""
    p = _ods(tmp_path / "bomb.ods", _row(_cell("1", 16_000), 1_000) * 10)
    assert p.stat().st_size < 1_500
    for call in (
        groomstats.read_prc,
        lambda s: groomstats.read_breakdown(s, category="platform"),
        lambda s: groomstats.read_population(s, s),
    ):
        with pytest.raises(WorkbookTooLargeError) as info:
            call(p)
        msg = str(info.value)
        assert "file 'bomb.ods'" in msg and "sheet '2017-18'" in msg
        assert "10,000 rows x 16,000 columns" in msg or "1,000 rows x 16,000 columns" in msg
        assert f"{_limits.MAX_CELLS:,}" in msg
        assert isinstance(info.value, DataFormatError)


def test_expanded_bytes_are_capped(
    tmp_path: Path, no_calamine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 400 rows x 100 repeats of a 1,000-character cell: 40,000 cells (under the cell limit)
    # but about 40 MB of text once expanded
    monkeypatch.setattr(_limits, "MAX_EXPANDED_BYTES", 10_000_000)
    p = _ods(tmp_path / "long.ods", _row(_cell("x" * 1_000, 100), 400))
    with pytest.raises(WorkbookTooLargeError, match=r"expand to [\d,]+ bytes, over the limit"):
        groomstats.read_prc(p)


def test_decompressed_xml_is_capped(
    tmp_path: Path, no_calamine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_limits, "MAX_XML_BYTES", 100_000)
    p = _ods(tmp_path / "big.ods", _row(_cell("1")) * 5_000)  # about 500 KB of XML
    with pytest.raises(WorkbookTooLargeError, match=r"part 'content\.xml' decompresses to over"):
        groomstats.read_prc(p)


def test_value_past_the_last_column_is_refused_not_dropped(
    tmp_path: Path, no_calamine: None
) -> None:
    # calamine keeps 16,384 columns and drops the rest without a word
    p = _ods(tmp_path / "wide.ods", _row(_cell("a") + '<table:table-cell table:number-columns'
             '-repeated="20000"/>' + _cell("lost")))  # fmt: skip
    with pytest.raises(WorkbookTooLargeError, match="value in column 20,002"):
        groomstats.read_breakdown(p, category="platform")


def test_a_quoted_angle_bracket_cannot_hide_a_repeat(tmp_path: Path, no_calamine: None) -> None:
    cell = (
        '<table:table-cell table:style-name="a>b" table:number-columns-repeated="16000" '
        'office:value-type="string"><text:p>1</text:p></table:table-cell>'
    )
    p = _ods(tmp_path / "sneaky.ods", _row(cell, 1_000))
    with pytest.raises(WorkbookTooLargeError, match="1,000 rows x 16,000 columns"):
        groomstats.read_prc(p)


def test_xlsx_cell_at_the_far_corner_is_refused(tmp_path: Path, no_calamine: None) -> None:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x'
        '</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        "</worksheet>"
    )
    p = tmp_path / "corner.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(WorkbookTooLargeError, match="1,048,576 rows x 16,384 columns"):
        groomstats.read_prc(p)


def test_not_a_zip_is_a_typed_error(tmp_path: Path) -> None:
    p = tmp_path / "fake.ods"
    p.write_bytes(b"not a zip at all")
    with pytest.raises(DataFormatError, match="not a zip archive"):
        groomstats.read_prc(p)


def test_ordinary_spreadsheets_pass_and_read(tmp_path: Path) -> None:
    """LibreOffice pads rows with an empty repeated cell and ends sheets with a million empty
    rows: neither counts, and the file reads as before."""
    pad = '<table:table-cell table:number-columns-repeated="1016"/>'
    head = "".join(_cell(h) for h in HEADER.strip().split(","))
    body = "".join(_cell(v) for v in _prc_row("59").strip().replace('"', "").split(","))
    rows = _row(head + pad) + _row(body + pad) + _row(pad, 1_048_000)
    p = _ods(tmp_path / "prc.ods", rows)
    df = groomstats.read_prc(p)
    assert df.select("force", "offences").rows() == [("Kent", 59)]
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2017-18"
    ws.append(HEADER.strip().split(","))
    ws.append(_prc_row("59").strip().replace('"', "").split(","))
    wb.save(tmp_path / "prc.xlsx")
    assert groomstats.read_prc(tmp_path / "prc.xlsx")["offences"].to_list() == [59]


def test_a_quoted_angle_bracket_cannot_hide_a_row_repeat(tmp_path: Path, no_calamine: None) -> None:
    row = (
        '<table:table-row table:style-name="r>1" table:number-rows-repeated="1000">'
        + _cell("1", 16_000)
        + "</table:table-row>"
    )
    p = _ods(tmp_path / "sneaky_rows.ods", row)
    with pytest.raises(WorkbookTooLargeError, match="1,000 rows x 16,000 columns"):
        groomstats.read_prc(p)

"""Limits checked on an ODS/XLSX workbook before it is handed to fastexcel (calamine).

A spreadsheet is a zip of XML. A few hundred bytes can describe billions of cells: an ODS row
may say ``table:number-columns-repeated="16000"`` and be repeated thousands of times, and an
XLSX cell may sit at ``XFD1048576``. calamine expands a sheet into a dense grid, so such a file
makes it allocate gigabytes and abort the whole process (a Rust allocation failure is not an
exception). :func:`check_workbook` reads the zip's XML as a stream with a byte cap and measures
the grid every sheet will expand to (rows up to the last non-empty one, times columns up to the
widest non-empty cell), and the bytes the repeated cells expand to, and raises
:class:`WorkbookTooLargeError` naming the file, the sheet and the figures before any of that
happens. Columns past calamine's 16,384 are refused too: calamine would drop them silently.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from groomstats._util import _where
from groomstats.exceptions import DataFormatError, WorkbookTooLargeError

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_EXPANDED_BYTES",
    "MAX_XML_BYTES",
    "check_workbook",
]

#: Cells of all sheets' dense grids together (about 1 GB of memory in calamine and polars).
#: A full Home Office PRC edition (every offence, 2013/14 onwards) is about 3 million.
MAX_CELLS = 10_000_000
#: Bytes of one XML part of the zip once decompressed.
MAX_XML_BYTES = 1 << 30
#: Bytes of cell XML once every repeated cell and row is written out.
MAX_EXPANDED_BYTES = 1 << 30
#: Columns calamine reads (``XFD``); cells further right would be dropped silently.
MAX_COLUMNS = 16_384

_SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$")


@dataclass
class _Extent:
    """The dense grid one sheet expands to, and the bytes its repeated cells write out."""

    name: str
    rows: int = 0  # rows read so far (with repeats)
    used_rows: int = 0  # rows up to the last one holding a value
    width: int = 0  # columns up to the rightmost value (at most MAX_COLUMNS)
    expanded: int = 0  # bytes of cell XML with repeats written out
    too_wide: int = 0  # the first column past MAX_COLUMNS holding a value, 0 if none

    @property
    def cells(self) -> int:
        return self.used_rows * self.width


def _check(extents: list[_Extent], label: str) -> None:
    for e in extents:
        if e.too_wide:
            raise WorkbookTooLargeError(
                f"{_where(label, sheet=e.name)} has a value in column {e.too_wide:,}: the "
                f"reader keeps only {MAX_COLUMNS:,} columns and would drop it silently; move "
                "the data left or save the sheet as CSV"
            )
    total = sum(e.cells for e in extents)
    if total > MAX_CELLS:
        worst = max(extents, key=lambda e: e.cells)
        raise WorkbookTooLargeError(
            f"{_where(label)} would expand to {total:,} cells (sheet '{worst.name}': "
            f"{worst.used_rows:,} rows x {worst.width:,} columns), over the limit of "
            f"{MAX_CELLS:,}: refused before opening (a repeated-cell 'zip bomb' or cells at the "
            "far corner of a sheet); save the sheet you need as CSV and read that"
        )
    expanded = sum(e.expanded for e in extents)
    if expanded > MAX_EXPANDED_BYTES:
        raise WorkbookTooLargeError(
            f"{_where(label)}: its repeated cells expand to {expanded:,} bytes, over the limit "
            f"of {MAX_EXPANDED_BYTES:,}: refused before opening; save the sheet you need as CSV"
        )


def _too_big(label: str, part: str, limit: int) -> WorkbookTooLargeError:
    return WorkbookTooLargeError(
        f"{_where(label)}: part '{part}' decompresses to over {limit:,} bytes: refused before "
        "opening; save the sheet you need as CSV"
    )


def _chunks(stream: IO[bytes], part: str, label: str) -> Iterator[bytes]:
    """The decompressed bytes of a zip part in chunks, never past :data:`MAX_XML_BYTES`."""
    seen = 0
    while chunk := stream.read(1 << 22):
        seen += len(chunk)
        if seen > MAX_XML_BYTES:
            raise _too_big(label, part, MAX_XML_BYTES)
        yield chunk


# ODS (calamine matches these qualified names literally, as written by LibreOffice and Excel)
_ATTRS = rb"""((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>"""
_MARK = re.compile(rb"<table:table-row(?=[\s/>])|<table:table(?=[\s/>])|</table:table>")
_TAG_ATTRS = re.compile(_ATTRS)
_ROWS_REP = re.compile(rb"""table:number-rows-repeated\s*=\s*["']([^"']*)["']""")
_COLS_REP = re.compile(rb"""table:number-columns-repeated\s*=\s*["']([^"']*)["']""")
_NAME = re.compile(rb"""table:name\s*=\s*["']([^"']*)["']""")
_MAX_ROW_XML = 64 << 20


def _count(m: re.Match[bytes] | None, what: str, label: str) -> int:
    if m is None:
        return 1
    text = m[1].decode("ascii", "replace").strip()
    if not text.isdigit() or int(text) < 1:
        raise DataFormatError(f"{_where(label)}: {what} repeat count {text!r} is not a count")
    return int(text)


def _ods_row_fast(seg: bytes, head_end: int) -> tuple[int, int] | None:
    """(width bound, bytes) of a row with no repeated cell, or whose only repeated cell is an
    empty one at its end (how LibreOffice pads rows); None for any other row."""
    n = seg.count(b"<table:table-cell") + seg.count(b"<table:covered-table-cell")
    reps = seg.count(b"repeated", head_end)
    if reps == 0:
        return n, len(seg)  # every cell counted as holding a value: an upper bound
    if reps > 1 or b"'" in seg:
        return None
    last = max(seg.rfind(b"<table:table-cell"), seg.rfind(b"<table:covered-table-cell"))
    tag = seg[last : seg.find(b">", last) + 1]
    if last < 0 or b"repeated" not in tag or not tag.endswith(b"/>") or b"value-type" in tag:
        return None
    if tag.count(b'"') % 2:
        return None
    return n - 1, last


def _ods_row(e: _Extent, seg: bytes, label: str) -> None:
    """Measure one ``<table:table-row ...>...`` segment (up to the next row or table)."""
    rows = 1
    head = _TAG_ATTRS.match(seg, len(b"<table:table-row"))  # quotes respected: '>' in a value
    head_end = head.end() if head else seg.find(b">") + 1
    attrs = head[1] if head else seg[:head_end]
    if b"repeated" in attrs:
        rows = _count(_ROWS_REP.search(attrs), "row", label)
    fast = _ods_row_fast(seg, head_end)
    if fast is not None:
        width, row_bytes = fast
        e.rows += rows
        if width:
            e.used_rows = e.rows
            e.width = max(e.width, min(width, MAX_COLUMNS))
            e.expanded += rows * row_bytes
            if width > MAX_COLUMNS and not e.too_wide:
                e.too_wide = MAX_COLUMNS + 1
        return
    col = width = 0
    row_bytes = 0
    pieces = seg.replace(b"<table:covered-table-cell", b"<table:table-cell").split(
        b"<table:table-cell"
    )
    for piece in pieces[1:]:
        if piece[:1] not in (b" ", b"/", b">", b"\t", b"\n", b"\r"):
            continue  # another element whose name starts the same way
        end = piece.find(b">")
        attrs = piece[:end] if end >= 0 else piece
        if attrs.count(b'"') % 2 or b"'" in attrs:  # a quoted '>': read the attributes exactly
            m = _TAG_ATTRS.match(piece)
            attrs = m[1] + m[2] if m else attrs
        reps = _count(_COLS_REP.search(attrs), "column", label) if b"repeated" in attrs else 1
        first = col + 1
        col += reps
        if not attrs.endswith(b"/") or b"value-type" in attrs:  # text or a value: not empty
            width = col
            row_bytes += reps * (len(piece) + 17)
            if col > MAX_COLUMNS and not e.too_wide:
                e.too_wide = max(first, MAX_COLUMNS + 1)
    e.rows += rows
    if width:
        e.used_rows = e.rows
        e.width = max(e.width, min(width, MAX_COLUMNS))
        e.expanded += rows * row_bytes


def _ods_extents(stream: IO[bytes], label: str) -> list[_Extent]:
    sheets: list[_Extent] = []
    cur: _Extent | None = None
    carry = b""

    def segment(seg: bytes) -> None:
        nonlocal cur
        if seg.startswith(b"</table:table>"):
            if cur is not None:
                sheets.append(cur)
            cur = None
        elif seg.startswith(b"<table:table-row"):
            if cur is not None:
                before = cur.cells
                _ods_row(cur, seg, label)
                if cur.cells - before > 1_000 or cur.too_wide or cur.rows % 4096 == 0:
                    _check([*sheets, cur], label)  # stop soon after a limit is passed
        elif cur is None:  # a sheet (a table nested in a cell is measured with its sheet)
            head = seg[: seg.find(b">") + 1]
            m = _NAME.search(head)
            cur = _Extent(m[1].decode("utf-8", "replace") if m else f"table {len(sheets) + 1}")

    for chunk in _chunks(stream, "content.xml", label):
        buf = carry + chunk
        marks = [m.start() for m in _MARK.finditer(buf)]
        if not marks:
            carry = buf
        else:
            for a, b in itertools.pairwise(marks):
                segment(buf[a:b])
            carry = buf[marks[-1] :]
        if len(carry) > _MAX_ROW_XML:
            raise WorkbookTooLargeError(
                f"{_where(label)}: one row of content.xml is over {_MAX_ROW_XML:,} bytes: "
                "refused before opening; save the sheet you need as CSV"
            )
    if carry:
        segment(carry)
    if cur is not None:
        sheets.append(cur)
    return sheets


# XLSX
_XROW = re.compile(rb"""<row\b[^>]*?\br\s*=\s*["'](\d{1,9})["']""")
_XCELL = re.compile(rb"""<c\b[^>]*?\br\s*=\s*["']([A-Za-z]{1,4})(\d{1,9})["']""")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _xlsx_extent(stream: IO[bytes], part: str, label: str) -> _Extent:
    e = _Extent(part.rsplit("/", 1)[-1].removesuffix(".xml"))
    carry = b""
    for chunk in _chunks(stream, part, label):
        buf = carry + chunk
        cut = buf.rfind(b"<")
        buf, carry = (buf[:cut], buf[cut:]) if cut >= 0 else (buf, b"")
        rows = _XROW.findall(buf)
        if rows:
            e.used_rows = max(e.used_rows, max(map(int, rows)))
        cells = _XCELL.findall(buf)
        if cells:
            letters = max((c[0].upper() for c in cells), key=lambda x: (len(x), x))
            e.used_rows = max(e.used_rows, max(int(c[1]) for c in cells))
            col = _column_number(letters)
            if col > MAX_COLUMNS and not e.too_wide:
                e.too_wide = col
            e.width = max(e.width, min(col, MAX_COLUMNS))
        _check([e], label)
    return e


def _count_bytes(stream: IO[bytes], part: str, label: str) -> None:
    """Decompress a part the reader also loads (shared strings, styles), never past the cap."""
    for _ in _chunks(stream, part, label):
        pass


def check_workbook(path: Path, label: str) -> None:
    """Refuse an ODS/XLSX/XLSM file that would expand past :data:`MAX_CELLS` cells,
    :data:`MAX_EXPANDED_BYTES` bytes of cells or :data:`MAX_XML_BYTES` bytes of XML, or that
    holds values past column :data:`MAX_COLUMNS`, before the spreadsheet reader sees it.
    Other spreadsheet formats (``.xls``, ``.xlsb``: binary) are passed through unmeasured.

    Raises
    ------
    WorkbookTooLargeError
        Naming the file, the sheet, and the measured and allowed figures.
    DataFormatError
        Not a zip archive, or its XML is not well formed.
    """
    suffix = path.suffix.lower()
    if suffix not in (".ods", ".xlsx", ".xlsm"):
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise DataFormatError(
            f"{_where(label)} is not a valid {suffix} file (not a zip archive: {e})"
        ) from e
    with zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        if suffix == ".ods":
            parts = [n for n in names if n == "content.xml"]
        else:
            parts = [n for n in names if _SHEET_XML.match(n)]
        for other in names:
            if other not in parts:
                with zf.open(other) as stream:
                    _count_bytes(stream, other, label)
        extents: list[_Extent] = []
        for part in parts:
            try:
                with zf.open(part) as stream:
                    if suffix == ".ods":
                        extents += _ods_extents(stream, label)
                    else:
                        extents.append(_xlsx_extent(stream, part, label))
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as e:
                raise DataFormatError(
                    f"{_where(label)}: part '{part}' could not be decompressed: {e}"
                ) from e
        _check(extents, label)

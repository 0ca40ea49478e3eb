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

import re
import zipfile
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

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


def _ahead(chunks: Iterator[bytes]) -> Generator[bytes, None, None]:
    """``chunks``, the next one decompressed in a thread while the caller measures the one it
    has (zlib lets go of the GIL while it inflates): one chunk ahead at most, errors raised
    where the chunk is asked for, the thread done before this generator is."""
    with ThreadPoolExecutor(1, thread_name_prefix="groomstats-unzip") as pool:
        ahead = pool.submit(next, chunks, b"")
        while chunk := ahead.result():
            ahead = pool.submit(next, chunks, b"")
            yield chunk


# ODS (calamine matches these qualified names literally, as written by LibreOffice and Excel)
_ATTRS = rb"""((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>"""
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


# The rows of a sheet are measured a buffer at a time with numpy: the marks, cells and the
# word "repeated" are located once per buffer, the tag of each row and of its last cell are
# read through a window of _WINDOW bytes, and every ordinary row (no quote trick, no repeated
# row, at most a trailing empty repeated cell, as LibreOffice writes) is measured from those
# exactly as :func:`_ods_row_fast` measures it. Every other row (a tag longer than the window
# among them) goes through :func:`_ods_row` itself.
_FOLLOW = np.zeros(256, dtype=bool)  # what may follow a mark's name: [\s/>]
_FOLLOW[list(b" \t\n\r\f\v/>")] = True
_WINDOW = 128
#: zeros after a buffer's bytes: a window or an 8-byte word can be read at any position in it
_PAD = bytes(_WINDOW + 8)
_OFFSETS = np.arange(_WINDOW)
_BATCH = 16_384  # rows measured at once: windows of about 2 MB


def _word(text: bytes) -> np.uint64:
    """The 8 bytes of ``text`` as the little-endian word :func:`_words` reads."""
    word: np.uint64 = np.frombuffer(text, dtype="<u8")[0]
    return word


def _words(a: np.ndarray) -> np.ndarray:
    """The 8-byte word starting at every byte of ``a`` (a strided view, not a copy)."""
    words: np.ndarray = np.ndarray((len(a) - 7,), dtype="<u8", buffer=a, strides=(1,))
    return words


def _within(pos: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """How many of the sorted positions ``pos`` lie in each ``[lo, hi)``."""
    return np.searchsorted(pos, hi) - np.searchsorted(pos, lo)


@dataclass
class _Tags:
    """Where the marks and the things a row is measured by sit in one buffer."""

    a: np.ndarray  # the buffer's bytes, then _PAD
    w: np.ndarray  # the 8-byte word at every byte
    windows: np.ndarray  # the _WINDOW bytes from every byte (a view)
    marks: np.ndarray  # positions of row, sheet and end-of-sheet marks, in order
    kinds: np.ndarray  # 0 row, 1 sheet (``<table:table``), 2 end of sheet
    cells: np.ndarray  # ``<table:table-cell`` or ``<table:covered-table-cell`` (any name after)
    repeated: np.ndarray
    apostrophes: np.ndarray


def _tags(buf: bytes) -> _Tags:
    """Locate the marks in ``buf`` (its bytes, then :data:`_PAD`)."""
    a = np.frombuffer(buf, dtype=np.uint8)
    w = _words(a)
    d = np.flatnonzero(a == ord("d")) - 7  # repeate-d
    d = d[d >= 0]
    repeated = d[w[d] == _word(b"repeated")]
    # the tags, by the word at each '<' (the zeros after the bytes match no name nor what
    # follows one, so a tag cut off at the end is not seen: it is carried to the next buffer)
    lt = np.flatnonzero(a == ord("<"))
    w0 = w[lt]
    t = np.flatnonzero(w0 == _word(b"<table:t"))
    t = t[w[lt[t] + 4] == _word(b"le:table")]  # <table:table...
    p = lt[t]
    after = a[p + 12]
    kind = np.full(len(lt), -1, dtype=np.int8)
    kind[t[_FOLLOW[after]]] = 1  # <table:table followed by [\s/>]: a sheet
    dash = after == ord("-")
    td, pd = t[dash], p[dash]
    kind[td[(w[pd + 8] == _word(b"able-row")) & _FOLLOW[a[pd + 16]]]] = 0
    cells = pd[w[pd + 9] == _word(b"ble-cell")]  # <table:table-cell (any name after)
    c = lt[w0 == _word(b"<table:c")]
    c = c[(w[c + 8] == _word(b"overed-t")) & (w[c + 16] == _word(b"able-cel"))]
    c = c[a[c + 24] == ord("l")]  # <table:covered-table-cell
    if len(c):
        cells = np.sort(np.concatenate([cells, c]))
    e = np.flatnonzero(w0 == _word(b"</table:"))
    kind[e[w[lt[e] + 6] == _word(b"e:table>")]] = 2
    marked = kind >= 0
    return _Tags(
        a=a,
        w=w,
        windows=np.lib.stride_tricks.sliding_window_view(a, _WINDOW),
        marks=lt[marked],
        kinds=kind[marked],
        cells=cells,
        repeated=repeated,
        apostrophes=np.flatnonzero(a == ord("'")) if b"'" in buf else lt[:0],
    )


def _tag_end(t: _Tags, at: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For tags starting at ``at``: the window of bytes, the offset of the first '>' in it and
    whether there is one and no odd number of '"' before it (the '>' then ends the tag)."""
    win = t.windows[at]
    gt = win == ord(">")
    j = gt.argmax(axis=1)
    quotes = np.count_nonzero((win == ord('"')) & (_OFFSETS < j[:, None]), axis=1)
    return win, j, gt.any(axis=1) & (quotes % 2 == 0)


def _measure_rows(
    t: _Tags, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ordinary, width, bytes) of the rows ``[start, end)``: which rows are measured here and
    their width bound and cell bytes, as :func:`_ods_row_fast` gives them."""
    n = _within(t.cells, start, end)
    _, j, ok = _tag_end(t, start)
    head_end = start + j + 1
    ok &= head_end <= end
    ok &= _within(t.apostrophes, start, end) == 0
    ok &= _within(t.repeated, start, head_end) == 0  # no number-rows-repeated
    reps = _within(t.repeated, head_end, end)
    # one repeated cell: ordinary only if it is an empty cell closing the row (the padding)
    one = ok & (reps == 1) & (n > 0)
    last = t.cells[np.maximum(np.searchsorted(t.cells, end) - 1, 0)] if len(t.cells) else start
    win, k, pad = _tag_end(t, last)
    tag_end = last + k
    pad &= one & (tag_end < end)
    if len(t.repeated):
        ri = np.minimum(np.searchsorted(t.repeated, head_end), len(t.repeated) - 1)
        rep_at = t.repeated[ri]
        pad &= (rep_at >= last) & (rep_at < tag_end)  # the repeat is in the last cell's tag
    pad &= win[np.arange(len(k)), np.maximum(k - 1, 0)] == ord("/")  # '/>': an empty cell
    # no office:value-type in the tag: looked for only in the tags holding a 'y' at all
    y = np.flatnonzero(pad & np.any((win == ord("y")) & (_OFFSETS < k[:, None]), axis=1))
    if len(y):
        at = last[y, None] + _OFFSETS[: _WINDOW - 9]
        typed = (t.w[at] == _word(b"value-ty")) & (t.a[at + 8] == ord("p"))
        typed &= (t.a[at + 9] == ord("e")) & (_OFFSETS[: _WINDOW - 9] < k[y, None])
        pad[y[typed.any(axis=1)]] = False
    width = np.where(pad, n - 1, n)
    nbytes = np.where(pad, last - start, end - start)
    ok &= (reps == 0) | pad
    return ok, width, nbytes


def _ods_extents(stream: IO[bytes], label: str) -> list[_Extent]:
    sheets: list[_Extent] = []
    cur: _Extent | None = None
    carry = b""

    def other(seg: bytes) -> None:
        """A sheet's start or end (a row outside a sheet, or a table nested in a cell, counts
        for nothing, as in the row-by-row reading)."""
        nonlocal cur
        if seg.startswith(b"</table:table>"):
            if cur is not None:
                sheets.append(cur)
            cur = None
        elif cur is None and not seg.startswith(b"<table:table-row"):
            head = seg[: seg.find(b">") + 1]
            m = _NAME.search(head)
            cur = _Extent(m[1].decode("utf-8", "replace") if m else f"table {len(sheets) + 1}")

    def row(e: _Extent, seg: bytes) -> None:
        before = e.cells
        _ods_row(e, seg, label)
        if e.cells - before > 1_000 or e.too_wide or e.rows % 4096 == 0:
            _check([*sheets, e], label)  # stop soon after a limit is passed

    def ordinary(e: _Extent, width: np.ndarray, nbytes: np.ndarray) -> None:
        if not len(width):
            return
        used = np.flatnonzero(width)
        if len(used):
            widest = int(width.max())
            e.used_rows = e.rows + int(used[-1]) + 1
            e.width = max(e.width, min(widest, MAX_COLUMNS))
            e.expanded += int(nbytes[used].sum())
            if widest > MAX_COLUMNS and not e.too_wide:
                e.too_wide = MAX_COLUMNS + 1
        e.rows += len(width)
        _check([*sheets, e], label)

    def rows(buf: bytes, t: _Tags, start: np.ndarray, end: np.ndarray) -> None:
        """Consecutive rows of the current sheet: ordinary runs at once, the others one by one
        (at most _BATCH rows at a time, so that a buffer of tiny rows stays small in memory)."""
        assert cur is not None
        for b in range(0, len(start), _BATCH):
            first, stop = start[b : b + _BATCH], end[b : b + _BATCH]
            ok, width, nbytes = _measure_rows(t, first, stop)
            i = 0
            for j in [*np.flatnonzero(~ok).tolist(), len(ok)]:
                ordinary(cur, width[i:j], nbytes[i:j])
                if j < len(ok):
                    row(cur, buf[first[j] : stop[j]])
                i = j + 1

    # the thread reading ahead is done before the stream is closed, whatever happens here
    with closing(_ahead(_chunks(stream, "content.xml", label))) as chunks:
        for chunk in chunks:
            buf = b"".join((carry, chunk, _PAD))
            size = len(buf) - len(_PAD)
            t = _tags(buf)
            marks, kinds = t.marks, t.kinds
            if not len(marks):
                carry = buf[:size]
            else:
                # runs of rows between sheet marks; the last mark's segment waits for more bytes
                breaks = np.flatnonzero(kinds[:-1] != 0).tolist()
                i = 0
                for j in [*breaks, len(marks) - 1]:
                    if j > i and cur is not None:
                        rows(buf, t, marks[i:j], marks[i + 1 : j + 1])
                    if j < len(marks) - 1:
                        other(buf[marks[j] : marks[j + 1]])
                    i = j + 1
                carry = buf[marks[-1] : size]
            if len(carry) > _MAX_ROW_XML:
                raise WorkbookTooLargeError(
                    f"{_where(label)}: one row of content.xml is over {_MAX_ROW_XML:,} bytes: "
                    "refused before opening; save the sheet you need as CSV"
                )
    if carry:
        if carry.startswith(b"<table:table-row"):
            if cur is not None:
                row(cur, carry)
        else:
            other(carry)
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
                    # the CRC is the reader's business: measuring needs only the bytes
                    if hasattr(stream, "_expected_crc"):
                        stream._expected_crc = None  # skips zipfile's CRC of every byte
                    if suffix == ".ods":
                        extents += _ods_extents(stream, label)
                    else:
                        extents.append(_xlsx_extent(stream, part, label))
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as e:
                raise DataFormatError(
                    f"{_where(label)}: part '{part}' could not be decompressed: {e}"
                ) from e
        _check(extents, label)

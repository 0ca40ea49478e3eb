"""The spreadsheet-grid toolkit shared by the readers: row accounting (:class:`RowReport`),
CSV and ODS/XLSX grids of strings, header finding and mapping, and located error messages.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from groomstats._util import _where, suggest
from groomstats.exceptions import (
    DataFormatError,
    FileAccessError,
    GroomstatsError,
    MissingFileError,
)
from groomstats.io._limits import check_workbook

__all__ = ["RowReport", "Source"]

Source = str | os.PathLike[str]


@dataclass(frozen=True)
class RowReport:
    """What a reader did with the rows of its input.

    ``rows_read == rows_kept + sum(excluded.values())`` always holds (checked on creation).

    Attributes
    ----------
    source : str
        The file (or ``"<DataFrame>"``) read.
    rows_read : int
        Data rows found (header and title rows not counted).
    rows_kept : int
        Rows in the returned frame (for wide breakdowns: input rows that were kept, each giving
        one output row per category column).
    excluded : dict[str, int]
        Rows left out, by reason.
    notes : tuple[str, ...]
        Anything else worth knowing (ignored columns, ``N/a`` counts kept as null, ...).

    Examples
    --------
    >>> r = RowReport("x.csv", 10, 8, {"blank row": 2})
    >>> r.rows_read == r.rows_kept + sum(r.excluded.values())
    True
    """

    source: str
    rows_read: int
    rows_kept: int
    excluded: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        total = self.rows_kept + sum(self.excluded.values())
        if total != self.rows_read:  # pragma: no cover - a reader bug, never user input
            raise GroomstatsError(
                f"row accounting for {self.source} does not balance: read {self.rows_read}, "
                f"kept {self.rows_kept}, excluded {self.excluded}"
            )

    def __str__(self) -> str:
        lines = [f"{self.source}: read {self.rows_read:,} rows, kept {self.rows_kept:,}"]
        lines += [f"  excluded {n:,}: {why}" for why, n in self.excluded.items()]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


#: A footnote mark or status flag after a label or header: ``[note 2]``, ``[r]``, ``(p)``,
#: a trailing ``*``, ``†`` or ``‡`` (never ``(pfa)`` or a marker such as ``[c]``).
LABEL_MARK = (
    r"(?i)(?:\s*\[note\s*\d+\]|\s*\[[rpeufb]\]|\s+\([rpeufb]\)|\s*[*" + "\u2020\u2021" + r"]+)+\s*$"
)


def _norm_header(h: object) -> str:
    if h is None:
        return ""
    text = " ".join(str(h).replace("\ufeff", "").split())
    return re.sub(LABEL_MARK.removeprefix("(?i)"), "", text, flags=re.IGNORECASE).lower()


def tidy_header(h: object) -> str:
    """A header compared without case, a byte order mark, footnote marks or the underscores
    of a tidy file: ``financial_year`` is ``Financial Year``, ``Force Code [note 1]`` is
    ``force code``. The one spelling every reader compares headers in.

    Examples
    --------
    >>> tidy_header("Force_Code [note 1]"), tidy_header("\ufeffall_ages")
    ('force code', 'all ages')
    """
    return " ".join(_norm_header(h).replace("_", " ").split())


def strip_marks(labels: pl.Series, what: str, notes: list[str]) -> pl.Series:
    """Labels without a footnote mark or status flag (:data:`LABEL_MARK`): ``Kent [note 2]``
    and ``Kent*`` are Kent. The labels that carried one are named in ``notes`` (a footnote
    may qualify the figures: check the table's notes).

    Examples
    --------
    >>> notes = []
    >>> strip_marks(pl.Series(["Kent [note 2]", "Essex*", "West Midlands (pfa)"]), "force",
    ...             notes).to_list()
    ['Kent', 'Essex', 'West Midlands (pfa)']
    >>> notes
    ["2 force label(s) carried a footnote mark, removed: 'Kent [note 2]', 'Essex*'"]
    """
    text = labels.cast(pl.String)
    uniq = text.unique()
    if not uniq.str.contains(LABEL_MARK).fill_null(False).any():
        return labels  # the usual case, decided on the distinct labels
    clean = text.str.replace(LABEL_MARK, "")
    changed = (clean != text).fill_null(False)
    if changed.any():
        shown = text.filter(changed).unique(maintain_order=True)
        listed = ", ".join(repr(t) for t in shown.head(4).to_list())
        more = f" and {shown.len() - 4} more" if shown.len() > 4 else ""
        notes.append(
            f"{int(changed.sum()):,} {what} label(s) carried a footnote mark, removed: "
            f"{listed}{more}"
        )
    out: pl.Series = clean.alias(labels.name)
    return out


_SHEET_SUFFIXES = {".ods", ".xlsx", ".xlsm", ".xls", ".xlsb"}
#: What read_prc and read_breakdown accept, for their error messages.
_PATH_OR_FRAME = "a path to a CSV/ODS/XLSX file or a DataFrame"

_FY_SHEET = re.compile(r"^\s*(\d{4})\s*[-_/]\s*(\d{2})\s*$")


def _is_sheet_file(path: Path) -> bool:
    return path.suffix.lower() in _SHEET_SUFFIXES


def check_source(source: Source) -> Path:
    """Refuse, before opening, a path that is not a readable regular file: empty, missing,
    a directory (no globbing), a FIFO or device (which would block or never end), too long or
    unreadable. Every refusal names the path."""
    text = os.fspath(source)
    if not text.strip():
        raise FileAccessError("cannot read '': the path is empty; pass a file name")
    path = Path(text)
    try:
        st = os.stat(path)
    except FileNotFoundError as e:
        glob = any(ch in text for ch in "*?[")
        hint = " (patterns such as '*.csv' are expanded by read_prc only)" * glob
        raise MissingFileError(f"cannot read '{path}': no such file{hint}") from e
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise FileAccessError(f"cannot read '{path}': {reason}") from e
    if stat.S_ISDIR(st.st_mode):
        raise FileAccessError(
            f"cannot read '{path}': it is a directory; pass the data file(s) in it by name"
        )
    if not stat.S_ISREG(st.st_mode):
        raise FileAccessError(
            f"cannot read '{path}': not a regular file (a FIFO, socket or device); "
            "save the data to a file first"
        )
    if not os.access(path, os.R_OK):
        raise FileAccessError(f"cannot read '{path}': permission denied")
    return path


def _is_frame(source: Any) -> bool:
    """A polars or pandas frame given to a reader instead of a path."""
    return isinstance(source, pl.DataFrame | pl.LazyFrame) or type(source).__module__.startswith(
        "pandas"
    )


def _source_path(source: Any, reader: str, expected: str) -> Path:
    """The checked path (:func:`check_source`) of a reader's ``source``; anything but a path
    raises :class:`DataFormatError` naming the reader and what it ``expected``."""
    if not isinstance(source, str | os.PathLike):
        raise DataFormatError(f"{reader}: expected {expected}, got {type(source).__name__}")
    return check_source(source)


def expand_pattern(source: Any) -> list[Path] | None:
    """The files a pattern such as ``editions/prc-*.ods`` names (sorted; hidden files and
    directories never), or None when ``source`` is not a pattern or is itself a file name.
    A pattern matching nothing raises :class:`MissingFileError` naming it."""
    import glob

    if not isinstance(source, str | os.PathLike):
        return None
    text = os.fspath(source)
    if not any(ch in text for ch in "*?[") or os.path.lexists(text):
        return None
    found = [
        Path(p)
        for p in sorted(glob.glob(text))
        if not Path(p).name.startswith(".") and not os.path.isdir(p)
    ]
    if not found:
        raise MissingFileError(f"cannot read '{text}': no file matches the pattern")
    return found


#: Bytes looked at to tell a CSV's separator.
_SNIFF_BYTES = 1 << 16
#: Separators a CSV may use: ',' (the default), ';' (spreadsheets set to a European locale)
#: and a tab (Excel's "Unicode text").
_SEPARATORS = (",", ";", "\t")


def _open_bytes(path: Path, label: str, size: int = -1) -> bytes:
    """The (first ``size``) bytes of a file, a ``.gz`` decompressed."""
    import gzip

    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                return fh.read(size)
        with open(path, "rb") as fh:
            return fh.read(size)
    except (OSError, EOFError) as e:  # corrupt gzip
        raise CsvParseError(f"{_where(label)} could not be parsed as CSV: {e}") from e


def _sniff_separator(head: str) -> str:
    """The separator of a CSV from its first lines: the one of ``,`` ``;`` and tab that splits
    the widest of them into the most fields (quoted text ignored); ``,`` on a tie."""
    best, best_n = ",", 0
    lines = [ln for ln in head.splitlines()[:10] if ln.strip()]
    for sep in _SEPARATORS:
        n = max((len(re.sub(r'"[^"]*"', "", ln).split(sep)) - 1 for ln in lines), default=0)
        if n > best_n:
            best, best_n = sep, n
    return best


def _decode(data: bytes, label: str) -> tuple[str, str | None]:
    """Text of a CSV that is not UTF-8: UTF-16 with its byte order mark (Excel's "Unicode
    text"), else Windows-1252 (what Excel on Windows saves as "CSV"). Returns the text and
    the encoding used; a file that is neither is refused, naming the first bad byte."""
    import codecs

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as e:
            raise DataFormatError(f"{_where(label)} is not valid UTF-16 text: {e}") from e
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        bad = data[e.start : e.start + 1]
        where = data[: e.start].count(b"\n") + 1
    lossy = data.decode("utf-8", errors="replace")
    if re.search("[^\x00-\x7f\ufffd]", lossy):
        # UTF-8 characters and a byte that is not UTF-8: read as Windows-1252, the UTF-8
        # ones would turn into 'â€“'-like garbage; read as UTF-8, the other would be lost
        raise DataFormatError(
            f"{_where(label)} mixes text encodings: it holds UTF-8 characters but byte "
            f"{bad!r} at line {where} is not UTF-8 (a Windows-1252 character pasted in?); "
            "open it in a text editor and save it again as UTF-8"
        )
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise DataFormatError(
            f"{_where(label)} is not text in UTF-8 or Windows-1252 (byte {bad!r} is not UTF-8 "
            f"and byte {data[e.start : e.start + 1]!r} at line {line} is not Windows-1252): is "
            "it a spreadsheet or a binary file? Save it as CSV (UTF-8)"
        ) from e


def _encoding_note(label: str, encoding: str | None, sep: str) -> list[str]:
    notes = []
    if encoding is not None:
        notes.append(f"'{label}' is not UTF-8: read as {encoding} text")
    if sep != ",":
        notes.append(f"'{label}' is separated by {'a tab' if sep == chr(9) else repr(sep)}")
    return notes


def _refuse_decimal_commas(df: pl.DataFrame, label: str, sep: str, first_row: int) -> None:
    """In a CSV separated by ';' or tabs (a European locale) a comma inside a number is as
    likely a decimal comma as a thousands separator: ``1,234`` is 1234 or 1.234. Refused,
    listing both readings, never guessed."""
    if sep == ",":
        return
    pattern = r"^\s*[+-]?\d+,\d+\s*$"
    for j, c in enumerate(df.columns):
        hit = df.get_column(c).str.contains(pattern).fill_null(False)
        if hit.any():
            i = int(hit.arg_true()[0])
            v = str(df.get_column(c)[i]).strip()
            whole = v.replace(",", "")
            column = c if first_row > 1 else f"column {j + 1}"
            raise DataFormatError(
                f"ambiguous number {v!r} at {_where(label, row=first_row + i, column=column)}: "
                f"the file is separated by {'tabs' if sep == chr(9) else repr(sep)}, so the "
                f"comma may separate thousands ({whole}) or decimals "
                f"({v.replace(',', '.')}); write the number without separators ({whole}) "
                "or save the file with ',' as the separator"
            )


def _read_csv_strings(
    path: Path, label: str, *, has_header: bool = True, notes: list[str] | None = None
) -> pl.DataFrame:
    """A CSV as strings (a UTF-8 byte order mark dropped). Its separator (``,``, ``;`` or
    tab) is told from its first lines; a file that is not UTF-8 is read as UTF-16 (with its
    byte order mark) or Windows-1252, never with replacement characters; both are noted."""
    import io

    check_source(path)
    head = _open_bytes(path, label, _SNIFF_BYTES)
    sep = _sniff_separator(head.decode("utf-8", errors="replace").lstrip("\ufeff"))
    encoding: str | None = None
    source: Any = path
    cr_only = False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _decode(_open_bytes(path, label), label)
        cr_only = "\r" in text[:_SNIFF_BYTES] and "\n" not in text[:_SNIFF_BYTES]
        text = text.replace("\r", "\n") if cr_only else text
        sep = _sniff_separator(text[:_SNIFF_BYTES])
        source = io.BytesIO(text.encode("utf-8"))
    elif b"\r" in head and b"\n" not in head:
        # lines ended by CR alone (Excel for Mac's "CSV (Macintosh)"): read as one line,
        # the header would swallow the whole file
        cr_only = True
        text, encoding = _decode(_open_bytes(path, label), label)
        text = text.replace("\r", "\n")
        sep = _sniff_separator(text[:_SNIFF_BYTES].lstrip("\ufeff"))
        source = io.BytesIO(text.encode("utf-8"))
    for attempt in (0, 1):
        try:
            df = pl.read_csv(
                source, infer_schema=False, has_header=has_header, encoding="utf8", separator=sep
            )
            break
        except pl.exceptions.NoDataError as e:
            raise DataFormatError(
                f"{_where(label)} is empty: expected a header and data rows"
            ) from e
        except pl.exceptions.ComputeError as e:
            if attempt or "utf-8" not in str(e).lower():
                raise CsvParseError(f"{_where(label)} could not be parsed as CSV: {e}") from e
            text, encoding = _decode(_open_bytes(path, label), label)
            source = io.BytesIO(text.encode("utf-8"))
        except (pl.exceptions.PolarsError, OSError) as e:  # OSError: corrupt gzip
            raise CsvParseError(f"{_where(label)} could not be parsed as CSV: {e}") from e
    if has_header:
        df.columns = [c.replace("\ufeff", "") for c in df.columns]
    _refuse_decimal_commas(df, label, sep, 2 if has_header else 1)
    if notes is not None:
        notes.extend(_encoding_note(label, encoding, sep))
        if cr_only:
            notes.append(
                f"'{label}' ends its lines with CR alone (the old Mac format): read as lines"
            )
    return df


class CsvParseError(DataFormatError):
    """A CSV polars could not parse as one table (title rows above the header, ragged rows)."""


def csv_grid(path: Path, label: str, notes: list[str] | None = None) -> pl.DataFrame:
    """A CSV as a grid of strings with no header assumed (rows padded to the widest), so that
    title rows above the real header can be skipped as in a spreadsheet. The separator and
    encoding are found as by :func:`_read_csv_strings`."""
    import csv
    import io

    text, encoding = _decode(_open_bytes(path, label), label)
    text = text.lstrip("\ufeff")
    sep = _sniff_separator(text[:_SNIFF_BYTES])
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as e:
        raise DataFormatError(f"{_where(label)} could not be parsed as CSV: {e}") from e
    width = max((len(r) for r in rows), default=0)
    cols = {
        f"column_{j + 1}": [(r[j] if j < len(r) and r[j] != "" else None) for r in rows]
        for j in range(width)
    }
    grid = pl.DataFrame(cols, schema={k: pl.String for k in cols})
    _refuse_decimal_commas(grid, label, sep, 1)
    if notes is not None:
        notes.extend(_encoding_note(label, encoding, sep))
    return grid


def csv_table(
    path: Path,
    label: str,
    header_test: Callable[[list[str]], bool],
    what: str,
    notes: list[str],
    no_header: Callable[[pl.DataFrame, pl.DataFrame], None] | None = None,
) -> tuple[pl.DataFrame, int]:
    """A CSV's table of strings and the file row of its first data row: the header on the
    first row, or below title rows (a spreadsheet saved as CSV, padded with commas or not),
    found by ``header_test`` as in a spreadsheet (:func:`_grid_to_table`; ``what`` names the
    table when none is found). When no row passes, the CSV as read (its first row taken as
    the header) comes back, so that the reader's column check names the columns found;
    ``no_header(table, grid)`` may raise first (another kind of table below title rows?)."""
    df: pl.DataFrame | None
    try:
        df = _read_csv_strings(path, label, notes=notes)
    except CsvParseError:
        df = None
    if df is not None and header_test([_norm_header(c) for c in df.columns]):
        return df, 2
    own: list[str] = []
    grid = csv_grid(path, label, own)
    try:
        body, header_row = _grid_to_table(grid, header_test, label, None, what)
    except DataFormatError:
        if df is None:
            raise
        if no_header is not None:
            no_header(df, grid)
        return df, 2
    if df is None:
        notes.extend(own)
    return body, header_row + 1


def _sheet_reader(path: Path, label: str) -> Any:
    import fastexcel

    check_source(path)
    check_workbook(path, label)  # refuse a zip bomb before calamine expands it
    try:
        return fastexcel.read_excel(str(path))
    except Exception as e:
        raise DataFormatError(f"{_where(label)} could not be opened as a spreadsheet: {e}") from e


def _sheet_grid(reader: Any, sheet: str, label: str) -> pl.DataFrame:
    try:
        grid = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string").to_polars()
    except Exception as e:
        raise DataFormatError(f"{_where(label, sheet=sheet)} could not be read: {e}") from e
    if not isinstance(grid, pl.DataFrame):  # pragma: no cover - fastexcel always gives one
        grid = pl.DataFrame(grid)
    return grid


def _choose_sheets(
    available: list[str], sheets: str | Sequence[str] | None, label: str, pattern: re.Pattern[str]
) -> list[str]:
    if sheets is None:
        chosen = [s for s in available if pattern.match(s)]
        if not chosen:
            raise DataFormatError(
                f"{_where(label)} has no financial-year sheet (named like '2017-18' or "
                f"'2024_25'); sheets found: {', '.join(repr(s) for s in available)}. "
                "No sheet holds the table's header either: rename the sheet holding the table "
                "like '2017-18', or pass sheets=[...] to read_prc."
            )
        return chosen
    wanted = [sheets] if isinstance(sheets, str) else list(sheets)
    for s in wanted:
        if s not in available:
            hint = suggest(s, available)
            extra = f" — did you mean '{hint}'?" if hint else ""
            raise DataFormatError(
                f"{_where(label)} has no sheet '{s}'{extra}; sheets found: "
                f"{', '.join(repr(a) for a in available)}"
            )
    return wanted


def _grid_to_table(
    grid: pl.DataFrame, header_test: Any, label: str, sheet: str | None, what: str
) -> tuple[pl.DataFrame, int]:
    """Find the header row in a grid of strings; return (table with headers, header row 1-based)."""
    header_at = None
    for i in range(min(40, grid.height)):
        if header_test([_norm_header(v) for v in grid.row(i)]):
            header_at = i
            break
    if header_at is None:
        if grid.height == 0:
            raise DataFormatError(f"{_where(label, sheet=sheet)} is empty: expected {what}")
        raise DataFormatError(
            f"{_where(label, sheet=sheet)}: no header row of {what} found in the first "
            f"{min(40, grid.height)} rows"
        )
    raw_headers = grid.row(header_at)
    headers: list[str] = []
    for j, h in enumerate(raw_headers):
        name = str(h).replace("\ufeff", "").strip() if h is not None else ""
        name = name or f"column {j + 1}"
        base, k = name, 1
        while name in headers:
            name = f"{base}_duplicated_{k - 1}"
            k += 1
        headers.append(name)
    body = grid.slice(header_at + 1)
    body.columns = headers
    return body, header_at + 1


#: What a file given to the wrong reader looks like, told from its header cells.
_KINDS: tuple[tuple[str, Any], ...] = (
    (
        "a frame groomstats.read_prc has already read (use it as it is)",
        lambda h: {"financial_year", "quarter", "offence_code", "offences"} <= h,
    ),
    (
        "a frame groomstats.read_breakdown has already read (use it as it is)",
        lambda h: {"force", "period", "offences", "suppressed"} <= h,
    ),
    (
        "a Home Office police recorded crime table (read it with groomstats.read_prc, or "
        "give it to groomstats report --data)",
        lambda h: "force name" in h and "offence code" in h,
    ),
    (
        "ONS mid-year population estimates (read them with groomstats.read_population)",
        lambda h: (
            "all ages" in h and any(re.fullmatch(r"code|lad\d{2} ?(?:code|cd)", c) for c in h)
        ),
    ),
    (
        "a long table of population totals by year and local authority in the Department for "
        "Education's Explore Education Statistics layout (time_period, geographic_level, ...); "
        "groomstats.read_population needs the ONS single-year-of-age table by district (Code, "
        "Name, All ages, 0, 1, ...), and rates need the figures by police force area",
        lambda h: {"time period", "geographic level"} <= h,
    ),
    (
        "an ONS local authority to police force area lookup (the lookup of "
        "groomstats.read_population)",
        lambda h: any(re.fullmatch(r"lad\d{2}cd", c) for c in h),
    ),
    (
        "an FOI breakdown by force and period (read it with groomstats.read_breakdown)",
        lambda h: (
            bool(h & {"force", "police force", "force area", "police force area"})
            and "offence code" not in h
        ),
    ),
)


def looks_like(rows: Sequence[Sequence[object]], unlike: str = "") -> str | None:
    """What kind of table rows (the first rows of a grid, or a header) look like, or None;
    kinds containing ``unlike`` are skipped (the kind the caller expected)."""
    for row in rows:
        cells = {_norm_header(v) for v in row if v is not None}
        cells |= {tidy_header(c) for c in cells}  # 'all_ages' too
        for kind, test in _KINDS:
            if (not unlike or unlike not in kind) and test(cells):
                return kind
    return None


def say_kind(
    error: DataFormatError, rows: Sequence[Sequence[object]], unlike: str
) -> DataFormatError:
    """``error`` with what the file looks like added, when it is another table groomstats
    reads (a Home Office table given to read_breakdown, ...)."""
    kind = looks_like(rows, unlike)
    if kind is None:
        return error
    return DataFormatError(f"{str(error).rstrip('.')}; the file looks like {kind}")


def _shown(columns: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(repr(c) for c in columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")


def not_this_kind(
    label: str, sheet: str | None, what: str, expected: Sequence[str], columns: Sequence[str]
) -> DataFormatError:
    """The error for a file that is not the table a reader expects at all: what it expected,
    what the file looks like (when it is another table groomstats reads), its columns."""
    kind = looks_like([columns])
    seems = f"; it looks like {kind}" if kind else ""
    return DataFormatError(
        f"{_where(label, sheet=sheet)} is not {what}: expected the columns "
        f"{_shown(list(expected), 8)}{seems}. Columns found: {_shown(list(columns))}"
    )


def _map_headers(
    columns: list[str],
    wanted: dict[str, str],
    label: str,
    sheet: str | None,
    what: str | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Map tidy name -> actual column; return (mapping, extra columns). With ``what`` (the
    kind of table expected), a file missing most of the columns is named as not that kind
    of table (and what it looks like instead)."""
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(_norm_header(c), c)
    mapping: dict[str, str] = {}
    missing = []
    for tidy, header in wanted.items():
        actual = by_norm.get(_norm_header(header))
        if actual is None:
            missing.append(header)
        else:
            mapping[tidy] = actual
    if missing and what is not None and len(missing) * 2 > len(wanted):
        raise not_this_kind(label, sheet, what, list(wanted.values()), columns)
    if missing:
        parts = []
        used: set[str] = set()
        for m in missing:
            hint = suggest(m, [c for c in columns if c not in used and c not in mapping.values()])
            if hint:
                used.add(hint)
            parts.append(f"'{m}'" + (f" (found '{hint}': rename it?)" if hint else ""))
        label_c = "column" if len(missing) == 1 else "columns"
        raise DataFormatError(
            f"{_where(label, sheet=sheet)}: missing {label_c} {', '.join(parts)}; "
            f"columns found: {_shown(columns, 20)}"
        )
    used_cols = set(mapping.values())
    extra = [c for c in columns if c not in used_cols]
    return mapping, extra


#: A whole number as written in published tables: digits, or thousands separated by commas in
#: groups of three (``1,234,567``), optionally with a sign and a ``.0`` spreadsheets add.
#: ``12,34``, ``,5``, ``1234,`` and ``1 2 3 4`` are not numbers: they are refused, never
#: read as 1234, 5 or 1234.
WHOLE_NUMBER = r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.0*)?$"


def whole_numbers(cells: pl.Series) -> pl.Series:
    """Int64 values of text cells (padding stripped); null where a cell is not a whole number
    in :data:`WHOLE_NUMBER`'s form (the caller reports the first such cell with its place).

    Examples
    --------
    >>> whole_numbers(pl.Series(["1,234,567", " 59 ", "-00", "12,34", ",5", "1 2 3 4"])).to_list()
    [1234567, 59, 0, None, None, None]
    >>> whole_numbers(pl.Series(["59.0", "1.000", "1234.000"])).to_list()  # 1.000: 1 or 1,000?
    [59, None, 1234]
    """
    text = cells.cast(pl.String).str.strip_chars()
    # '1.000' is 1 or 1,000 (a '.' separating thousands): refused, never guessed
    ambiguous = text.str.contains(r"^[+-]?\d{1,3}\.000$").fill_null(False)
    ok = text.str.contains(WHOLE_NUMBER).fill_null(False) & ~ambiguous
    digits = text.str.replace(r"\.0*$", "").str.replace_all(",", "", literal=True)
    return (
        pl.DataFrame({"d": digits, "ok": ok})
        .select(pl.when(pl.col("ok")).then(pl.col("d")).cast(pl.Int64, strict=False))
        .to_series()
        .alias(cells.name)
    )


def _first_bad(
    df: pl.DataFrame, cells: str, mask: pl.Series, label: str, column: str, what: str, fix: str
) -> DataFormatError:
    """The error for the first row of ``df`` where ``mask`` holds: ``what``, the value of its
    ``cells`` column (as text), where it is (file, sheet and row from ``_sheet`` and ``_row``;
    ``column``, the header as the file writes it), then ``fix``."""
    i = int(mask.arg_true()[0])
    row = df.row(i, named=True)
    where = _where(label, row=row["_row"], column=column, sheet=row["_sheet"])
    cell = row[cells]
    value = "(an empty cell)" if cell is None else repr(str(cell))
    return DataFormatError(f"{what} {value} at {where}; {fix}")


# --- cells that are not plain numbers ---------------------------------------------------------

#: Cells standing for a count that is not given, by what they mean: the Government Analysis
#: Function's shorthand in square brackets (``[c]`` confidential, ``[x]`` not available,
#: ``[z]`` not applicable, ``[low]`` a low figure that rounds to zero but is not zero,
#: ``[w]`` no data), and the older symbols (``..``, ``:``, ``x``, ``N/a``; ``*`` suppressed).
#: Each is kept as null (never 0) and counted by meaning in the report's notes.
MISSING_MARKERS: dict[str, str] = {
    "n/a": "not available",
    "na": "not available",
    "..": "not available",
    ":": "not available",
    "x": "not available",
    "[x]": "not available",
    "[w]": "not available",
    "[z]": "not applicable",
    "*": "suppressed",
    "[c]": "suppressed",
    "[low]": "suppressed",
}


def missing_said(cells: pl.Series) -> str:
    """How the cells of counts not given were written, for a reader's note: ``N/a or empty``
    for ``N/a``, ``NA`` and empty cells, then each other marker seen (``'[x]'``, ``'..'``).

    Examples
    --------
    >>> missing_said(pl.Series(["N/a", None])), missing_said(pl.Series(["[x]", "..", "[x]"]))
    ('N/a or empty', "'[x]', '..'")
    >>> missing_said(pl.Series([" ", "n/a", ":"]))
    "N/a or empty, ':'"
    """
    text = cells.cast(pl.String).str.strip_chars()
    plain = text.is_null() | text.str.to_lowercase().is_in(["", "n/a", "na"])
    others = text.filter(~plain.fill_null(True)).unique(maintain_order=True)
    said = ["N/a or empty"] if plain.any() else []
    return ", ".join(said + [repr(t) for t in others.to_list()])


#: What a null count of a frame read from a table may have been, in words: the frame keeps
#: no marker, so a null is any of ``N/a`` (not available or not applicable: ``N/a``, ``..``,
#: ``[x]``, ``[z]``, ...), an empty cell, or suppressed (``[c]``, ``*``, ``[low]``).
NULL_WORDS = "N/a, blank or suppressed"
#: The same, said of how the cells were published.
NULL_PUBLISHED = "published as N/a or suppressed, or left blank"

#: Markers of a figure's status after a number (``123 [r]``, ``45 (p)``): the number stands,
#: and the report says how many were marked and how.
VALUE_FLAGS: dict[str, str] = {
    "r": "revised",
    "p": "provisional",
    "e": "estimated",
    "u": "of low reliability",
    "f": "forecast",
    "b": "after a break in the series",
}

_FLAGGED = (
    r"(?i)^\s*(?P<num>[+-]?[\d,]+(?:\.0*)?)\s*"
    r"(?:\[(?P<sq>[a-z]|note\s*\d+)\]|\((?P<rd>[a-z])\))\s*$"
)


def split_flags(cells: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Cells with the number stripped of a status flag or footnote (``123 [r]`` -> ``123``),
    and the flag's meaning (null where none; ``footnote`` for ``[note 1]``). A cell such as
    ``123 [x]`` (a number marked not available) keeps its flag and is refused by the reader.

    Examples
    --------
    >>> text, flag = split_flags(pl.Series(["123 [r]", "45(p)", "6 [note 2]", "7", "8 [x]"]))
    >>> text.to_list(), flag.to_list()
    (['123', '45', '6', '7', '8 [x]'], ['revised', 'provisional', 'footnote', None, None])
    """
    parts = cells.str.extract_groups(_FLAGGED)
    letter = (
        parts.struct.field("sq")
        .fill_null(parts.struct.field("rd"))
        .str.to_lowercase()
        .str.replace(r"^note\s*\d+$", "note")
    )
    meaning = letter.replace_strict({**VALUE_FLAGS, "note": "footnote"}, default=None)
    text = pl.select(
        pl.when(meaning.is_not_null()).then(parts.struct.field("num")).otherwise(cells)
    ).to_series()
    return text.alias(cells.name), meaning.cast(pl.String).alias("flag")


def flag_notes(flags: pl.Series, what: str = "count") -> list[str]:
    """Report notes for the status flags found: how many counts of each kind."""
    out = []
    for meaning, n in flags.drop_nulls().value_counts(sort=True).iter_rows():
        how = "with a footnote mark" if meaning == "footnote" else f"marked {meaning}"
        out.append(f"{n:,} {what}(s) {how}: read as the number given")
    return out


def count_fix(value: object, default: str) -> str:
    """The likely fix for a count cell that cannot be read, specific where it can be: a
    number with ``.000`` (ambiguous: a decimal or thousands), a number marked not available,
    a fraction, a lone ``-``."""
    v = str(value).strip() if value is not None else ""
    m = re.fullmatch(r"([+-]?\d{1,3})\.(000)", v)
    if m:
        return (
            f"it is ambiguous: {int(m.group(1))} (a decimal point) or "
            f"{int(m.group(1) + m.group(2)):,} (a '.' separating thousands); write "
            f"{int(m.group(1))} or {int(m.group(1) + m.group(2))}"
        )
    m2 = re.fullmatch(r"([+-]?[\d,]+)\s*(\[[a-z]+\]|\([a-z]+\))", v, re.IGNORECASE)
    if m2:
        return (
            f"it is ambiguous: the number {m2.group(1)} or the marker {m2.group(2)}; give the "
            f"number alone or the marker alone ({default})"
        )
    if re.fullmatch(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+", v):
        digits = re.sub(r"\D", "", v)
        return (
            f"it looks like thousands separated by spaces; write {digits} or separate "
            "thousands with commas in groups of three ('1,234')"
        )
    if re.fullmatch(r"[+-]?\d*\.\d+", v):
        return f"a count cannot be a fraction ({default})"
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?\s*%", v):
        return (
            f"{v} is a percentage, not a count: give the number of offences (shares and "
            "their intervals are computed from the counts by groomstats.shares)"
        )
    if v.lower() in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity"):
        return (
            f"{v} is not a count: a missing count is an empty cell (or N/a), never NaN or infinity"
        )
    if v.lower() in ("null", "none", "nil"):
        return f"write a missing count as an empty cell or N/a, not {v!r}"
    if v in ("-", "\u2013", "\u2014"):
        return (
            "a lone dash is ambiguous: zero, or not available; write 0, or N/a for a count "
            "not available"
        )
    return default


#: Text starting a note or source line under a table.
_NOTE_TEXT = (
    r"(?i)^(source|sources|note|notes|footnote|\*|\[|\(|figures|data |these |this |please|"
    r"contains|copyright|\x{a9}|end of|see )|: |\.$|(?:\S+\s+){7}\S+"
)


def trailing_notes(df: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """True for the rows below a table that are notes: after the last row with two or more
    cells, a row whose one non-empty cell (the first) reads like a note or source line
    (``Source: Home Office``, ``Figures are provisional ...``). Blank rows among them are
    not marked (they are counted as blank)."""
    cells = [pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in columns]
    # notes sit at the bottom: look at the last rows only, unless all of them are short
    tail = 64
    while True:
        start = max(df.height - tail, 0)
        filled = df.slice(start).select(pl.sum_horizontal([c.is_not_null() for c in cells]))
        counts = filled.to_series()
        table_rows = (counts >= 2).arg_true()
        if table_rows.len() or start == 0:
            break
        tail *= 4
    last = start + int(table_rows[-1]) if table_rows.len() else -1
    first = df.get_column(columns[0]).slice(start).cast(pl.String).str.strip_chars()
    note_like = first.str.contains(_NOTE_TEXT).fill_null(False)
    after = pl.Series(range(start, df.height)) > last
    head = pl.select(pl.repeat(False, start, dtype=pl.Boolean)).to_series()
    out: pl.Series = head.append(after & (counts == 1) & note_like).alias("note")
    return out


def repeated_headers(df: pl.DataFrame, headers: dict[str, str]) -> pl.Series:
    """True for rows that repeat the header (two CSV files joined with ``cat``, a table copied
    twice into one sheet): most of their cells equal their column's header text.

    ``headers`` maps a column of ``df`` to the header text it came from."""
    cols = list(headers)
    # fast path, on the distinct values of two columns: does any cell repeat its header?
    for c in cols[:2]:
        uniq = df.get_column(c).cast(pl.String).unique()
        if uniq.str.strip_chars().str.to_lowercase().is_in([_norm_header(headers[c])]).any():
            break
    else:
        return pl.select(pl.repeat(False, df.height, dtype=pl.Boolean)).to_series().alias("header")
    same = [
        (
            pl.col(c).cast(pl.String).str.strip_chars().str.to_lowercase() == _norm_header(h)
        ).fill_null(False)
        for c, h in headers.items()
    ]
    need = max(2, (len(same) + 1) // 2)
    return df.select(pl.sum_horizontal(same) >= need).to_series().alias("header")

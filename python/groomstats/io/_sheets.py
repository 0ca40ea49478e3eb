"""The spreadsheet-grid toolkit shared by the readers: row accounting (:class:`RowReport`),
CSV and ODS/XLSX grids of strings, header finding and mapping, and located error messages.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
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


def _norm_header(h: object) -> str:
    return " ".join(str(h).replace("\ufeff", "").split()).lower() if h is not None else ""


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


def _read_csv_strings(path: Path, label: str, *, has_header: bool = True) -> pl.DataFrame:
    check_source(path)
    try:
        return pl.read_csv(path, infer_schema=False, has_header=has_header, encoding="utf8-lossy")
    except pl.exceptions.NoDataError as e:
        raise DataFormatError(f"{_where(label)} is empty: expected a header and data rows") from e
    except (pl.exceptions.PolarsError, OSError) as e:  # OSError: corrupt gzip
        raise CsvParseError(f"{_where(label)} could not be parsed as CSV: {e}") from e


class CsvParseError(DataFormatError):
    """A CSV polars could not parse as one table (title rows above the header, ragged rows)."""


def csv_grid(path: Path, label: str) -> pl.DataFrame:
    """A CSV as a grid of strings with no header assumed (rows padded to the widest), so that
    title rows above the real header can be skipped as in a spreadsheet."""
    import csv
    import gzip

    opener: Any = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rt", newline="", encoding="utf-8", errors="replace") as fh:
            rows = list(csv.reader(fh))
    except (OSError, csv.Error) as e:
        raise DataFormatError(f"{_where(label)} could not be parsed as CSV: {e}") from e
    width = max((len(r) for r in rows), default=0)
    cols = {
        f"column_{j + 1}": [(r[j] if j < len(r) and r[j] != "" else None) for r in rows]
        for j in range(width)
    }
    return pl.DataFrame(cols, schema={k: pl.String for k in cols})


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
                "Pass sheets=[...] to choose."
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


def _map_headers(
    columns: list[str], wanted: dict[str, str], label: str, sheet: str | None
) -> tuple[dict[str, str], list[str]]:
    """Map tidy name -> actual column; return (mapping, extra columns)."""
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
    if missing:
        parts = []
        for m in missing:
            hint = suggest(m, columns)
            parts.append(f"'{m}'" + (f" (found '{hint}': rename it?)" if hint else ""))
        label_c = "column" if len(missing) == 1 else "columns"
        raise DataFormatError(
            f"{_where(label, sheet=sheet)}: missing {label_c} {', '.join(parts)}; "
            f"columns found: {', '.join(repr(c) for c in columns)}"
        )
    used = set(mapping.values())
    extra = [c for c in columns if c not in used]
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
    """
    text = cells.cast(pl.String).str.strip_chars()
    ok = text.str.contains(WHOLE_NUMBER).fill_null(False)
    digits = text.str.replace(r"\.0*$", "").str.replace_all(",", "", literal=True)
    return (
        pl.DataFrame({"d": digits, "ok": ok})
        .select(pl.when(pl.col("ok")).then(pl.col("d")).cast(pl.Int64, strict=False))
        .to_series()
        .alias(cells.name)
    )


def _first_bad(
    df: pl.DataFrame, mask: pl.Series, label: str, column: str, what: str, fix: str
) -> DataFormatError:
    i = int(mask.arg_true()[0])
    row = df.row(i, named=True)
    where = _where(label, row=row["_row"], column=column, sheet=row["_sheet"])
    return DataFormatError(f"{what} {row['_value']!r} at {where}; {fix}")

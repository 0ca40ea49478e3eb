"""The spreadsheet-grid toolkit shared by the readers: row accounting (:class:`RowReport`),
CSV and ODS/XLSX grids of strings, header finding and mapping, and located error messages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from groomstats._util import _where, suggest
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
)

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
_FY_SHEET = re.compile(r"^\s*(\d{4})\s*[-_/]\s*(\d{2})\s*$")


def _is_sheet_file(path: Path) -> bool:
    return path.suffix.lower() in _SHEET_SUFFIXES


def _read_csv_strings(path: Path, label: str, *, has_header: bool = True) -> pl.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        return pl.read_csv(path, infer_schema=False, has_header=has_header, encoding="utf8-lossy")
    except pl.exceptions.NoDataError as e:
        raise DataFormatError(f"{_where(label)} is empty: expected a header and data rows") from e
    except (pl.exceptions.PolarsError, OSError) as e:  # OSError: corrupt gzip
        raise DataFormatError(f"{_where(label)} could not be parsed as CSV: {e}") from e


def _sheet_reader(path: Path, label: str) -> Any:
    import fastexcel

    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
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


def _first_bad(
    df: pl.DataFrame, mask: pl.Series, label: str, column: str, what: str, fix: str
) -> DataFormatError:
    i = int(mask.arg_true()[0])
    row = df.row(i, named=True)
    where = _where(label, row=row["_row"], column=column, sheet=row["_sheet"])
    return DataFormatError(f"{what} {row['_value']!r} at {where}; {fix}")

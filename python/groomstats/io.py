"""Readers for the files the Home Office, ONS and police forces publish, as they really are.

Every reader returns a tidy polars DataFrame (the contracts in ``docs/DEVELOPING.md``) and keeps
a :class:`RowReport` of what it read: rows read, kept and excluded with the reason, so nothing
is ever lost silently. Get it with ``report=True`` (the reader then returns ``(frame, report)``)
or afterwards with :func:`last_report`.

Examples
--------
>>> import groomstats
>>> groomstats.match_force("Devon & Cornwall Police")
'Devon and Cornwall'
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, overload

import polars as pl

from groomstats import _core
from groomstats._constants import GROOMING_CODE, SERIES_BREAK
from groomstats._util import as_polars, require_columns, suggest
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    SeriesBreakWarning,
    UnknownAreaError,
)

__all__ = [
    "RowReport",
    "grooming",
    "last_report",
    "match_force",
    "match_forces",
    "read_breakdown",
    "read_population",
    "read_prc",
]

Source = str | os.PathLike[str]

# ---------------------------------------------------------------------------------------------
# Row accounting


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


_LAST: list[RowReport] = []


def last_report() -> RowReport:
    """Return the :class:`RowReport` of the most recent ``read_*`` call.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import io
    >>> table = pl.DataFrame({"Force": ["Nottinghamshire", "Total"], "Year": ["2017/18"] * 2,
    ...                       "Facebook, Snapchat or Instagram": [44, 44]})
    >>> _ = io.read_breakdown(table, category="platform")
    >>> print(io.last_report())
    <DataFrame>: read 2 rows, kept 1
      excluded 1: total row
      note: wide layout: 1 platform column(s) per row
    """
    if not _LAST:
        raise GroomstatsError("no reader has run yet: call read_prc(), read_population(), ...")
    return _LAST[-1]


def _remember(report: RowReport) -> RowReport:
    _LAST[:] = [report]
    return report


# ---------------------------------------------------------------------------------------------
# Locations in messages


def _label(source: Any) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return "<DataFrame>"


def _where(
    label: str,
    *,
    row: int | None = None,
    column: str | None = None,
    sheet: str | None = None,
) -> str:
    parts = [f"file '{label}'"]
    if sheet is not None:
        parts.append(f"sheet '{sheet}'")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def _norm_header(h: object) -> str:
    return " ".join(str(h).replace("\ufeff", "").split()).lower() if h is not None else ""


# ---------------------------------------------------------------------------------------------
# Forces


@lru_cache(maxsize=1)
def _force_frame() -> pl.DataFrame:
    ref = _core.force_reference()
    code, force, region = ref.force_code, ref.force, ref.region
    nation, territorial = ref.nation, ref.territorial
    return pl.DataFrame(
        {
            "force": force,
            "force_code": code,
            "region": region,
            "territorial": territorial,
            "nation": nation,
        },
        schema={
            "force": pl.String,
            "force_code": pl.String,
            "region": pl.String,
            "territorial": pl.Boolean,
            "nation": pl.String,
        },
    )


def match_force(name: str) -> str:
    """Return the canonical name of a police force from any of its spellings.

    Matching ignores case and punctuation, ``&``/``and``, ``(pfa)`` and a trailing
    ``Police``/``Constabulary``. Non-territorial bodies (British Transport Police, Action
    Fraud, CIFAS, UK Finance, Financial Fraud Action UK) are known too.

    Parameters
    ----------
    name : str
        A force name as written in any Home Office, ONS or FOI product.

    Returns
    -------
    str
        The canonical name (the Home Office PRC spelling; ``City of London``).

    Raises
    ------
    UnknownAreaError
        The name matches nothing; the message suggests the closest name.

    Examples
    --------
    >>> match_force("London, City of")
    'City of London'
    >>> match_force("Dyfed Powys")
    'Dyfed-Powys'
    >>> match_force("Thames Vally")
    Traceback (most recent call last):
    ...
    groomstats.UnknownAreaError: Unknown force 'Thames Vally' — did you mean 'Thames Valley'?
    """
    if not isinstance(name, str):
        raise UnknownAreaError(f"Unknown force {name!r}: expected a string")
    idx = _core.match_force_index(name)
    return str(_force_frame()["force"][idx])


def match_forces(names: Sequence[str] | pl.Series) -> pl.DataFrame:
    """Match many force names at once and return their reference rows.

    Parameters
    ----------
    names : sequence of str or polars Series
        Force names in any spelling.

    Returns
    -------
    polars.DataFrame
        One row per input name, in order: ``name`` (as given), ``force``, ``force_code``,
        ``region``, ``territorial``, ``nation``.

    Raises
    ------
    UnknownAreaError
        For the first name that matches nothing, naming its position.

    Examples
    --------
    >>> match_forces(["Avon & Somerset", "BTP"]).select("force", "force_code", "territorial")
    shape: (2, 3)
    ┌──────────────────────────┬────────────┬─────────────┐
    │ force                    ┆ force_code ┆ territorial │
    │ ---                      ┆ ---        ┆ ---         │
    │ str                      ┆ str        ┆ bool        │
    ╞══════════════════════════╪════════════╪═════════════╡
    │ Avon and Somerset        ┆ E23000036  ┆ true        │
    │ British Transport Police ┆ null       ┆ false       │
    └──────────────────────────┴────────────┴─────────────┘
    """
    s = (
        names
        if isinstance(names, pl.Series)
        else pl.Series("name", list(names), pl.String, strict=False)
    )
    s = s.rename("name")
    rows = pl.Series("_row", range(1, s.len() + 1), pl.Int64)
    idx = _match_column(s, rows, None, "<names>", "name", row_word="position")
    ref = _force_frame().with_row_index("_idx")
    out = pl.DataFrame({"name": s, "_idx": idx}).join(ref, on="_idx", how="left")
    return out.drop("_idx")


def _match_column(
    names: pl.Series,
    rows: pl.Series,
    sheets: pl.Series | None,
    label: str,
    column: str,
    *,
    row_word: str = "row",
) -> pl.Series:
    """Indices into the force reference for a column of names (one Rust call on the uniques)."""
    if names.null_count():
        i = int(names.is_null().arg_true()[0])
        sheet = sheets[i] if sheets is not None else None
        raise DataFormatError(
            f"missing force name at {_where(label, row=int(rows[i]), column=column, sheet=sheet)}"
            "; every row needs a force"
        )
    uniq = names.unique(maintain_order=True)
    matches = _core.match_forces(uniq.to_list())
    idx, failure = matches.indices, matches.failure
    if failure is not None:
        bad, hint = failure.name, failure.suggestion
        i = int((names == bad).arg_true()[0])
        sheet = sheets[i] if sheets is not None else None
        where = _where(label, row=int(rows[i]), column=column, sheet=sheet)
        if row_word != "row":
            where = where.replace("row ", f"{row_word} ")
        extra = f" — did you mean '{hint}'?" if hint else ""
        raise UnknownAreaError(
            f"Unknown force '{bad}'{extra} ({where}); "
            "see groomstats.datasets.forces() for the names known"
        )
    mapping = pl.DataFrame({"_name": uniq, "_idx": pl.Series(idx, dtype=pl.UInt32)})
    return (
        pl.DataFrame({"_name": names})
        .join(mapping, on="_name", how="left", maintain_order="left")
        .get_column("_idx")
    )


# ---------------------------------------------------------------------------------------------
# Raw grids (CSV and spreadsheets)

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


# ---------------------------------------------------------------------------------------------
# Home Office police recorded crime open data

PRC_HEADERS: dict[str, str] = {
    "financial_year": "Financial Year",
    "quarter": "Financial Quarter",
    "force": "Force Name",
    "offence": "Offence Description",
    "offence_group": "Offence Group",
    "offence_subgroup": "Offence Subgroup",
    "offence_code": "Offence Code",
    "offences": "Number of Offences",
}

PRC_SCHEMA: dict[str, Any] = {
    "financial_year": pl.String,
    "quarter": pl.Int8,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "force": pl.String,
    "force_code": pl.String,
    "region": pl.String,
    "territorial": pl.Boolean,
    "offence_code": pl.String,
    "offence": pl.String,
    "offence_group": pl.String,
    "offence_subgroup": pl.String,
    "offences": pl.Int64,
}

#: Cells meaning "not available": kept as null and counted in the report's notes.
NA_TOKENS = ("n/a", "na", "..", ":", "x")


def _prc_table(
    df: pl.DataFrame, label: str, sheet: str | None, first_row: int, notes: list[str]
) -> pl.DataFrame:
    mapping, extra = _map_headers(df.columns, PRC_HEADERS, label, sheet)
    if extra:
        where = f"sheet '{sheet}'" if sheet else f"'{label}'"
        notes.append(f"ignored extra column(s) in {where}: {', '.join(repr(c) for c in extra)}")
    return df.select(
        [pl.col(mapping[t]).cast(pl.String).alias(t) for t in PRC_HEADERS],
    ).with_columns(
        pl.int_range(first_row, first_row + df.height, dtype=pl.Int64).alias("_row"),
        pl.lit(sheet, dtype=pl.String).alias("_sheet"),
    )


def _load_prc_raw(
    source: Any, sheets: str | Sequence[str] | None, label: str, notes: list[str]
) -> pl.DataFrame:
    if isinstance(source, pl.DataFrame | pl.LazyFrame) or type(source).__module__.startswith(
        "pandas"
    ):
        df = as_polars(source, label).select(pl.all().cast(pl.String))
        return _prc_table(df, label, None, 1, notes)
    if not isinstance(source, str | os.PathLike):
        raise DataFormatError(
            f"read_prc: expected a path to a CSV/ODS/XLSX file or a DataFrame, "
            f"got {type(source).__name__}"
        )
    path = Path(source)
    if _is_sheet_file(path):
        reader = _sheet_reader(path, label)
        chosen = _choose_sheets(list(reader.sheet_names), sheets, label, _FY_SHEET)
        tables = []
        for s in chosen:
            grid = _sheet_grid(reader, s, label)
            body, header_row = _grid_to_table(
                grid,
                lambda cells: "force name" in cells and "offence code" in cells,
                label,
                s,
                "police recorded crime (Financial Year, Force Name, ...)",
            )
            tables.append(_prc_table(body, label, s, header_row + 1, notes))
        return pl.concat(tables, how="vertical")
    if sheets is not None:
        raise GroomstatsError(f"sheets={sheets!r} only applies to ODS/XLSX files, not {label}")
    df = _read_csv_strings(path, label)
    return _prc_table(df, label, None, 2, notes)


@overload
def read_prc(
    source: Any,
    *,
    sheets: str | Sequence[str] | None = ...,
    territorial_only: bool = ...,
    report: Literal[False] = ...,
) -> pl.DataFrame: ...
@overload
def read_prc(
    source: Any,
    *,
    sheets: str | Sequence[str] | None = ...,
    territorial_only: bool = ...,
    report: Literal[True],
) -> tuple[pl.DataFrame, RowReport]: ...
def read_prc(
    source: Any,
    *,
    sheets: str | Sequence[str] | None = None,
    territorial_only: bool = False,
    report: bool = False,
) -> pl.DataFrame | tuple[pl.DataFrame, RowReport]:
    """Read Home Office police recorded crime open data tables into the tidy PRC frame.

    Reads ``prc-pfa-mar2013-onwards-tables-*.ods`` (every financial-year sheet, named like
    ``2017-18`` or ``2024_25``; title rows above the header are skipped), the same tables
    saved as XLSX, or one sheet exported to CSV (gzip allowed). Real quirks are handled:
    numbers padded with spaces, zero written ``-00``, ``N/a`` (kept as null, counted in the
    report), negative adjustments (kept), quoted names with commas, stray extra columns
    (ignored, noted in the report).

    Parameters
    ----------
    source : path or DataFrame
        A ``.csv``/``.csv.gz``, ``.ods`` or ``.xlsx`` file, or a frame with the original headers.
    sheets : str or list of str, optional
        Spreadsheet sheets to read; default every sheet named like a financial year.
    territorial_only : bool, default False
        Drop the non-territorial bodies (British Transport Police, Action Fraud, CIFAS,
        UK Finance, Financial Fraud Action UK); the dropped rows are counted in the report.
    report : bool, default False
        Also return the :class:`RowReport`.

    Returns
    -------
    polars.DataFrame or (polars.DataFrame, RowReport)
        Columns ``financial_year``, ``quarter``, ``period_start``, ``period_end``, ``force``,
        ``force_code``, ``region``, ``territorial``, ``offence_code``, ``offence``,
        ``offence_group``, ``offence_subgroup``, ``offences``, in file order.

    Raises
    ------
    DataFormatError
        Missing or renamed column, non-numeric count, bad year or quarter, duplicate row,
        empty file, unknown sheet — the message names file, sheet, row, column and value.
    UnknownAreaError
        A force name matching nothing known (with the closest suggestion).

    Notes
    -----
    Rows are duplicates when year, quarter, force, offence code and description repeat. The
    Home Office publishes homicide as several rows under the combined code
    ``1/4.1/4.10/4.2``; combined codes (containing ``/``) may therefore repeat.

    Examples
    --------
    >>> import groomstats, tempfile, pathlib
    >>> csv = ("Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    ...        "Offence Subgroup,Offence Code,Number of Offences\\n"
    ...        "2017/18,1,Avon and Somerset,Sexual grooming,Sexual offences,"
    ...        "Other sexual offences,88A, 59 \\n"
    ...        "2017/18,1,British Transport Police,Sexual grooming,Sexual offences,"
    ...        "Other sexual offences,88A,-00\\n")
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "prc.csv"
    >>> _ = p.write_text(csv)
    >>> df, rep = groomstats.read_prc(p, territorial_only=True, report=True)
    >>> df.select("period_start", "force", "force_code", "offences").rows()
    [(datetime.date(2017, 4, 1), 'Avon and Somerset', 'E23000036', 59)]
    >>> rep.rows_read, rep.rows_kept, rep.excluded
    (2, 1, {'non-territorial body': 1})
    """
    label = _label(source)
    notes: list[str] = []
    raw = _load_prc_raw(source, sheets, label, notes)
    df, excluded = _clean_prc(raw, label, notes, territorial_only=territorial_only)
    rep = _remember(
        RowReport(
            source=str(source) if isinstance(source, str | os.PathLike) else label,
            rows_read=raw.height,
            rows_kept=df.height,
            excluded=excluded,
            notes=tuple(notes),
        )
    )
    return (df, rep) if report else df


def _clean_prc(
    raw: pl.DataFrame, label: str, notes: list[str], *, territorial_only: bool
) -> tuple[pl.DataFrame, dict[str, int]]:
    text = [c for c in PRC_HEADERS]
    df = raw.with_columns(
        [
            pl.col(c).str.strip_chars().replace("", None).alias(c)  # padded cells, empties
            for c in text
        ]
    )
    excluded: dict[str, int] = {}
    blank = df.select(pl.all_horizontal(pl.col(text).is_null())).to_series()
    if blank.any():
        excluded["blank row"] = int(blank.sum())
        df = df.filter(~blank)
    if df.height == 0:
        raise DataFormatError(f"{_where(label)} has no data rows")

    for c in ("financial_year", "quarter", "offence_code"):
        miss = df.get_column(c).is_null()
        if miss.any():
            raise _first_bad(
                df.with_columns(pl.col(c).alias("_value")),
                miss,
                label,
                PRC_HEADERS[c],
                "missing value",
                "every row needs a financial year, quarter, force and offence code",
            )

    # financial year: 2017/18 (also 2017-18, 2017_18)
    fy = df.get_column("financial_year").str.replace_all(r"\s*[-_/]\s*", "/")
    parts = fy.str.extract_groups(r"^(\d{4})/(\d{2})$")
    y1 = parts.struct.field("1").cast(pl.Int32, strict=False)
    y2 = parts.struct.field("2").cast(pl.Int32, strict=False)
    bad = (y1.is_null() | ((y1 + 1) % 100 != y2)).fill_null(True)
    if bad.any():
        raise _first_bad(
            df.with_columns(pl.col("financial_year").alias("_value")),
            bad,
            label,
            PRC_HEADERS["financial_year"],
            "financial year",
            "write it like '2017/18'",
        )
    df = df.with_columns(fy.alias("financial_year"), y1.alias("_y1"))

    q = df.get_column("quarter").str.replace(r"\.0+$", "").cast(pl.Int8, strict=False)
    bad = (q.is_null() | (q < 1) | (q > 4)).fill_null(True)
    if bad.any():
        raise _first_bad(
            df.with_columns(pl.col("quarter").alias("_value")),
            bad,
            label,
            PRC_HEADERS["quarter"],
            "quarter",
            "financial quarters are 1-4 (1 = April-June)",
        )
    df = df.with_columns(q.alias("quarter"))

    # counts: '-00' is zero, N/a is null (noted), integers may be padded or written '59.0'
    v = df.get_column("offences")
    is_na = v.str.to_lowercase().is_in(list(NA_TOKENS)) | v.is_null()
    num = v.str.replace(r"^([+-]?\d+)\.0*$", "$1").str.replace(",", "", literal=True)
    counts = num.cast(pl.Int64, strict=False)
    bad = (counts.is_null() & ~is_na).fill_null(False)
    if bad.any():
        raise _first_bad(
            df.with_columns(pl.col("offences").alias("_value")),
            bad,
            label,
            PRC_HEADERS["offences"],
            "non-numeric count",
            "counts must be whole numbers ('-00' = 0, 'N/a' = not available)",
        )
    n_na = int(is_na.sum())
    if n_na:
        notes.append(f"{n_na:,} count(s) not available (N/a or empty) kept as null")
    n_neg = int((counts < 0).fill_null(False).sum())
    if n_neg:
        notes.append(f"{n_neg:,} negative count(s) (adjustments) kept")
    df = df.with_columns(counts.alias("offences"))

    idx = _match_column(
        df.get_column("force"),
        df.get_column("_row"),
        df.get_column("_sheet"),
        label,
        PRC_HEADERS["force"],
    )
    ref = _force_frame().drop("nation").rename({"force": "_canonical"}).with_row_index("_idx")
    df = (
        df.with_columns(idx.alias("_idx"))
        .join(ref, on="_idx", how="left", maintain_order="left")
        .with_columns(pl.col("_canonical").alias("force"))
    )

    key = ["financial_year", "quarter", "force", "offence_code", "offence"]
    dup = df.select(
        pl.struct(key).is_duplicated() & ~pl.col("offence_code").str.contains("/")
    ).to_series()
    if dup.any():
        rows = df.filter(dup)
        first = rows.row(0, named=True)
        same = rows.filter(pl.all_horizontal([pl.col(k).eq_missing(pl.lit(first[k])) for k in key]))
        locs = [
            _where(label, row=r["_row"], sheet=r["_sheet"])
            for r in same.head(2).iter_rows(named=True)
        ]
        raise DataFormatError(
            f"duplicate row: {first['financial_year']} quarter {first['quarter']} "
            f"{first['force']} offence {first['offence_code']} appears at {locs[0]} and at "
            f"{locs[1]} ({rows.height} duplicated rows in all); remove the repeats "
            "(was a sheet or file read twice?)"
        )

    if territorial_only:
        keep = df.get_column("territorial")
        n_out = int((~keep).sum())
        if n_out:
            excluded["non-territorial body"] = n_out
            bodies = df.filter(~keep).get_column("force").unique(maintain_order=True)
            notes.append(f"non-territorial bodies dropped: {', '.join(bodies.to_list())}")
            df = df.filter(keep)

    month = pl.col("quarter").replace_strict({1: 4, 2: 7, 3: 10, 4: 1}, return_dtype=pl.Int8)
    year = pl.col("_y1") + (pl.col("quarter") == 4).cast(pl.Int32)
    start = pl.date(year, month, 1)
    df = df.with_columns(
        start.alias("period_start"),
        start.dt.offset_by("3mo").dt.offset_by("-1d").alias("period_end"),
    )
    return df.select([pl.col(c).cast(t) for c, t in PRC_SCHEMA.items()]), excluded


def grooming(df: Any, *, allow_series_break: bool = False) -> pl.DataFrame:
    """Select the sexual grooming offences (Home Office classification 88A).

    Warns with :class:`~groomstats.SeriesBreakWarning` when the rows span the 1 April 2017
    break (:data:`groomstats._constants.SERIES_BREAK`), after which 88A also holds sexual
    communication with a child (s.15A) and is not comparable with earlier figures.

    Parameters
    ----------
    df : polars or pandas DataFrame
        A tidy PRC frame (:func:`read_prc`).
    allow_series_break : bool, default False
        Silence the warning when you know the series break is crossed.

    Returns
    -------
    polars.DataFrame
        The 88A rows.

    Examples
    --------
    >>> import groomstats
    >>> g = groomstats.grooming(groomstats.datasets.prc())
    >>> g.height, g["offences"].sum()
    (176, 4444)
    """
    frame = as_polars(df, "grooming()")
    require_columns(frame, ["offence_code"], "grooming()")
    if frame.schema["offence_code"] != pl.String:
        raise DataFormatError(
            f"grooming(): column 'offence_code' holds {frame.schema['offence_code']}, not text "
            "codes such as '88A'"
        )
    out = frame.filter(pl.col("offence_code").str.strip_chars() == GROOMING_CODE)
    if not allow_series_break and "period_start" in out.columns and out.height:
        starts = out.get_column("period_start")
        before = (starts < SERIES_BREAK).any()
        after = (starts >= SERIES_BREAK).any()
        if before and after:
            warnings.warn(
                f"88A rows span the series break of {SERIES_BREAK:%d %B %Y}: figures before "
                "it count only meeting a child following grooming (s.15) and are not "
                "comparable with later ones; pass allow_series_break=True if you mean it",
                SeriesBreakWarning,
                stacklevel=2,
            )
    return out


# ---------------------------------------------------------------------------------------------
# ONS mid-year population estimates

POPULATION_SCHEMA: dict[str, Any] = {
    "force_code": pl.String,
    "force": pl.String,
    "region": pl.String,
    "age_band": pl.String,
    "population": pl.Int64,
    "year": pl.Int16,
}

#: Geographies in the MYE2 sheet that aggregate local authorities (excluded, counted).
_AGGREGATE_GEOGRAPHIES = ("country", "region", "county", "metropolitan county")

_BAND = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|(\+))?\s*$")


def _parse_bands(
    bands: str | Sequence[str], ages: dict[int, str], top: int | None
) -> list[tuple[str, list[str]]]:
    """Map each band label to the age columns it sums."""
    wanted = [bands] if isinstance(bands, str) else list(bands)
    if not wanted:
        raise GroomstatsError("bands=() asks for no age band; pass e.g. ('all ages', '0-17')")
    max_single = max(a for a in ages if a != top) if ages else -1
    out: list[tuple[str, list[str]]] = []
    for b in wanted:
        if not isinstance(b, str):
            raise GroomstatsError(f"age band {b!r} is not a string like '0-17' or '90+'")
        label = " ".join(b.split()).lower()
        if label == "all ages":
            if any(o == "all ages" for o, _ in out):
                raise GroomstatsError(f"age band {b!r} is asked for twice")
            out.append(("all ages", [ages[a] for a in sorted(ages)]))
            continue
        m = _BAND.match(label)
        if not m:
            raise GroomstatsError(
                f"age band {b!r} is not 'all ages', 'a-b' (e.g. '0-17'), 'a+' or a single age"
            )
        lo = int(m.group(1))
        if m.group(3):
            hi = None
        else:
            hi = int(m.group(2)) if m.group(2) is not None else lo
        if hi is not None and hi < lo:
            raise GroomstatsError(f"age band {b!r} ends before it starts")
        if hi is None:
            if top is not None and lo > top:
                raise GroomstatsError(
                    f"age band {b!r} starts above the open top age '{top}+' of the workbook"
                )
            cols = [ages[a] for a in sorted(ages) if a >= lo]
        else:
            if top is not None and hi >= top:
                raise GroomstatsError(
                    f"age band {b!r} splits the open top age '{top}+' of the workbook; "
                    f"ask for '{lo}+' or end below {top}"
                )
            if hi > max_single:
                raise GroomstatsError(f"age band {b!r} goes beyond the oldest age {max_single}")
            cols = [ages[a] for a in range(lo, hi + 1)]
        if hi is None:
            name = f"{lo}+"
        elif m.group(2) is None:
            name = str(lo)
        else:
            name = f"{lo}-{hi}"
        if any(name == o for o, _ in out):
            raise GroomstatsError(f"age band {b!r} is asked for twice")
        out.append((name, cols))
    return out


def _population_grid(workbook: Any, sheet: str, label: str) -> pl.DataFrame:
    if not isinstance(workbook, str | os.PathLike):
        raise DataFormatError(
            f"read_population: expected a path to the ONS workbook (.xlsx) or a CSV of its "
            f"sheet, got {type(workbook).__name__}"
        )
    path = Path(workbook)
    if _is_sheet_file(path):
        reader = _sheet_reader(path, label)
        _choose_sheets(list(reader.sheet_names), sheet, label, _FY_SHEET)
        return _sheet_grid(reader, sheet, label)
    return _read_csv_strings(path, label, has_header=False)


@overload
def read_population(
    workbook: Source,
    lookup: Source,
    *,
    bands: str | Sequence[str] = ...,
    sheet: str = ...,
    year: int | None = ...,
    report: Literal[False] = ...,
) -> pl.DataFrame: ...
@overload
def read_population(
    workbook: Source,
    lookup: Source,
    *,
    bands: str | Sequence[str] = ...,
    sheet: str = ...,
    year: int | None = ...,
    report: Literal[True],
) -> tuple[pl.DataFrame, RowReport]: ...
def read_population(
    workbook: Source,
    lookup: Source,
    *,
    bands: str | Sequence[str] = ("all ages", "0-17", "0-15"),
    sheet: str = "MYE2 - Persons",
    year: int | None = None,
    report: bool = False,
) -> pl.DataFrame | tuple[pl.DataFrame, RowReport]:
    """Read ONS mid-year population estimates and sum them per police force area.

    Reads the single-year-of-age table by local authority (sheet ``MYE2 - Persons`` of the
    ONS workbook: title rows, then ``Code, Name, Geography, All ages, 0, 1, ..., 89, 90+``)
    from the ``.xlsx`` or from a CSV export of that sheet (gzip allowed), and the ONS
    local authority -> police force area lookup (``LADxxCD`` and ``PFAxxCD`` columns; a byte
    order mark is handled; local authorities split over several community safety
    partnerships are counted once).

    Parameters
    ----------
    workbook : path
        The ONS workbook or a CSV of its MYE2 sheet.
    lookup : path
        The ONS LAD -> (CSP ->) PFA lookup CSV.
    bands : str or sequence of str, default ("all ages", "0-17", "0-15")
        Age bands: ``"all ages"``, ``"a-b"`` (inclusive), ``"a+"`` (to the open top age,
        ``"90+"``), or a single age ``"a"``.
    sheet : str, default "MYE2 - Persons"
        Sheet of the workbook (use ``"MYE2 - Females"`` / ``"MYE2 - Males"`` for one sex).
    year : int, optional
        Year of the estimates; default read from the sheet title ("..., mid-2023") or the
        file name.
    report : bool, default False
        Also return the :class:`RowReport` (rows of the sheet read, local authorities kept,
        aggregate geographies excluded).

    Returns
    -------
    polars.DataFrame or (polars.DataFrame, RowReport)
        Long frame ``force_code``, ``force``, ``region``, ``age_band``, ``population``,
        ``year``, one row per force and band, by force code then band as asked.

    Raises
    ------
    DataFormatError
        Missing columns, non-numeric cells, an "All ages" total that is not the sum of the
        single years, a local authority missing from the lookup (or the reverse).
    UnknownAreaError
        A police force area in the lookup that is not in the force reference.

    Examples
    --------
    >>> import groomstats
    >>> pop = groomstats.datasets.population()
    >>> pop.filter(pop["force"] == "City of London").select("age_band", "population").rows()
    [('all ages', 13462), ('0-17', 642), ('0-15', 575)]
    """
    label = _label(workbook)
    lookup_label = _label(lookup)
    grid = _population_grid(workbook, sheet, label)
    title = " ".join(str(v) for v in grid.row(0) if v is not None) if grid.height else ""
    body, header_row = _grid_to_table(
        grid,
        lambda cells: bool(cells) and cells[0] == "code" and "all ages" in cells,
        label,
        sheet if _is_sheet_file(Path(workbook)) else None,
        "the ONS mid-year estimates (Code, Name, Geography, All ages, 0, 1, ...)",
    )
    sheet_ref = sheet if _is_sheet_file(Path(workbook)) else None
    if year is None:
        m = re.search(r"mid[-_ ]?(\d{4})", title, re.I) or re.search(
            r"(?:mid|june)[-_ ]?(\d{4})", label, re.I
        )
        if m is None:
            raise DataFormatError(
                f"{_where(label, sheet=sheet_ref)}: cannot tell the year of the estimates "
                "from the title or the file name; pass year=2023 (for example)"
            )
        year = int(m.group(1))

    mapping, _extra = _map_headers(
        body.columns, {"code": "Code", "name": "Name", "geography": "Geography"}, label, sheet_ref
    )
    ages: dict[int, str] = {}
    top: int | None = None
    for c in body.columns:
        m2 = re.fullmatch(r"\s*(\d+)\s*(\+?)\s*", c)
        if m2:
            ages[int(m2.group(1))] = c
            if m2.group(2):
                top = int(m2.group(1))
    if not ages or min(ages) != 0 or sorted(ages) != list(range(max(ages) + 1)):
        raise DataFormatError(
            f"{_where(label, sheet=sheet_ref)}: expected single-year age columns 0, 1, 2, ... "
            f"(found {len(ages)} age columns)"
        )
    all_col = next(c for c in body.columns if _norm_header(c) == "all ages")
    bands_cols = _parse_bands(bands, ages, top)

    df = body.with_columns(
        pl.int_range(header_row + 1, header_row + 1 + body.height, dtype=pl.Int64).alias("_row"),
        pl.lit(sheet_ref, dtype=pl.String).alias("_sheet"),
        pl.col(mapping["code"]).str.strip_chars().alias("_code"),
        pl.col(mapping["geography"]).str.strip_chars().alias("_geo"),
    )
    rows_read = df.height
    excluded: dict[str, int] = {}
    blank = df.get_column("_code").is_null() | (df.get_column("_code") == "")
    if blank.any():
        excluded["blank or note row"] = int(blank.sum())
        df = df.filter(~blank)

    num_cols = [all_col, *[ages[a] for a in sorted(ages)]]
    for c in num_cols:
        v = df.get_column(c).str.strip_chars().str.replace(r"\.0+$", "").str.replace_all(",", "")
        n = v.cast(pl.Int64, strict=False)
        bad = n.is_null() | (n < 0).fill_null(True)
        if bad.any():
            raise _first_bad(
                df.with_columns(pl.col(c).alias("_value")),
                bad,
                label,
                c,
                "non-numeric or negative population",
                "population cells must be whole numbers",
            )
        df = df.with_columns(n.alias(c))
    total = df.select(pl.sum_horizontal([ages[a] for a in sorted(ages)])).to_series()
    off = total != df.get_column(all_col)
    if off.any():
        raise _first_bad(
            df.with_columns(pl.col(all_col).cast(pl.String).alias("_value")),
            off,
            label,
            all_col,
            "'All ages' total that is not the sum of the single years:",
            "check the sheet was not edited",
        )

    lk = _read_lookup(lookup, lookup_label)
    in_lookup = df.get_column("_code").is_in(lk.get_column("lad").implode())
    out_rows = df.filter(~in_lookup)
    geo_norm = out_rows.get_column("_geo").str.to_lowercase()
    is_agg = geo_norm.is_in(list(_AGGREGATE_GEOGRAPHIES))
    if (~is_agg.fill_null(False)).any():
        bad = out_rows.filter(~is_agg.fill_null(False)).row(0, named=True)
        raise DataFormatError(
            f"local authority {bad['_code']!r} ({bad[mapping['name']]}) at "
            f"{_where(label, row=bad['_row'], sheet=sheet_ref)} is not in the lookup "
            f"'{lookup_label}': use a lookup of the same vintage as the estimates"
        )
    for geo, n in out_rows.group_by("_geo", maintain_order=True).len().iter_rows():
        excluded[f"aggregate geography ({geo})"] = int(n)
    df = df.filter(in_lookup)
    missing = lk.filter(~pl.col("lad").is_in(df.get_column("_code").implode()))
    if missing.height:
        r = missing.row(0, named=True)
        raise DataFormatError(
            f"local authority {r['lad']!r} of the lookup '{lookup_label}' (row {r['_row']}) is "
            f"not in {_where(label, sheet=sheet_ref)}: use a lookup of the same vintage"
        )

    pfa = lk.select("pfa", "pfa_name", "_row").unique("pfa", keep="first", maintain_order=True)
    idx = _match_column(
        pfa.get_column("pfa_name"), pfa.get_column("_row"), None, lookup_label, "PFA name"
    )
    ref = _force_frame().with_row_index("_idx")
    pfa = pfa.with_columns(idx.alias("_idx")).join(ref, on="_idx", how="left")
    wrong = pfa.filter(pl.col("force_code").ne_missing(pl.col("pfa")))
    if wrong.height:
        r = wrong.row(0, named=True)
        raise DataFormatError(
            f"police force area {r['pfa']!r} is named '{r['pfa_name']}' in '{lookup_label}' "
            f"(row {r['_row']}), which is {r['force']} ({r['force_code']}) in the force "
            "reference: check the lookup"
        )

    sums = (
        df.join(lk.select("lad", "pfa"), left_on="_code", right_on="lad", how="left")
        .group_by("pfa")
        .agg([pl.sum_horizontal(cols).sum().alias(name) for name, cols in bands_cols])
    )
    order = {name: i for i, (name, _) in enumerate(bands_cols)}
    out = (
        sums.unpivot(index="pfa", variable_name="age_band", value_name="population")
        .join(pfa.select("pfa", "force", "region"), on="pfa", how="left")
        .rename({"pfa": "force_code"})
        .with_columns(pl.lit(year).alias("year"))
        .sort(pl.col("force_code"), pl.col("age_band").replace_strict(order))
        .select([pl.col(c).cast(t) for c, t in POPULATION_SCHEMA.items()])
    )
    rep = _remember(
        RowReport(
            source=str(workbook),
            rows_read=rows_read,
            rows_kept=df.height,
            excluded=excluded,
            notes=(
                f"{df.height} local authorities summed into {pfa.height} police force areas "
                f"using '{lookup_label}'",
            ),
        )
    )
    return (out, rep) if report else out


def _read_lookup(lookup: Source, label: str) -> pl.DataFrame:
    if not isinstance(lookup, str | os.PathLike):
        raise DataFormatError(
            f"read_population: expected a path to the LAD -> PFA lookup CSV, "
            f"got {type(lookup).__name__}"
        )
    lk = _read_csv_strings(Path(lookup), label)
    lk.columns = [c.replace("\ufeff", "").strip() for c in lk.columns]

    def find(pattern: str, what: str) -> str:
        for c in lk.columns:
            if re.fullmatch(pattern, c, re.I):
                return c
        raise DataFormatError(
            f"{_where(label)}: missing column {what}; columns found: "
            f"{', '.join(repr(c) for c in lk.columns)}"
        )

    lad = find(r"LAD\d{2}CD", "'LADxxCD' (local authority code)")
    pfa = find(r"PFA\d{2}CD", "'PFAxxCD' (police force area code)")
    pfa_name = find(r"PFA\d{2}NM", "'PFAxxNM' (police force area name)")
    lk = lk.select(
        pl.col(lad).str.strip_chars().alias("lad"),
        pl.col(pfa).str.strip_chars().alias("pfa"),
        pl.col(pfa_name).str.strip_chars().alias("pfa_name"),
        pl.int_range(2, 2 + lk.height, dtype=pl.Int64).alias("_row"),
    )
    if lk.height == 0:
        raise DataFormatError(f"{_where(label)} has no data rows")
    pairs = lk.unique(["lad", "pfa"], keep="first", maintain_order=True)
    split = pairs.filter(pl.col("lad").is_duplicated())
    if split.height:
        r = split.row(0, named=True)
        raise DataFormatError(
            f"local authority {r['lad']!r} is assigned to more than one police force area in "
            f"'{label}' (row {r['_row']}): the lookup must map each authority to one force"
        )
    return pairs


# ---------------------------------------------------------------------------------------------
# FOI breakdowns

BREAKDOWN_SCHEMA: dict[str, Any] = {
    "force": pl.String,
    "force_code": pl.String,
    "period": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "category": pl.String,
    "value": pl.String,
    "offences": pl.Int64,
    "suppressed": pl.Boolean,
}

_FORCE_HEADERS = ("force", "force name", "police force", "force area", "police force area")
_PERIOD_HEADERS = ("period", "financial year", "year", "fy", "time period", "date range")
_COUNT_HEADERS = ("offences", "number of offences", "count", "crimes", "number", "total offences")
_TOTAL_COLUMNS = ("total", "grand total", "all", "all platforms", "total offences")
_TOTAL_ROWS = ("total", "grand total", "all forces", "england and wales", "united kingdom", "uk")
#: Cells meaning "not provided" (null, not suppressed).
_NOT_PROVIDED = ("n/a", "na", "not provided", "not recorded", "..")


def _find_column(columns: list[str], choices: Sequence[str]) -> str | None:
    for c in columns:
        if _norm_header(c) in choices:
            return c
    return None


def _category_name(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", _norm_header(header)).strip("_")


def _load_grid_table(
    source: Any, sheet: str | None, label: str
) -> tuple[pl.DataFrame, int, str | None]:
    """Return (table of strings with headers, first data row number, sheet)."""
    if isinstance(source, pl.DataFrame | pl.LazyFrame) or type(source).__module__.startswith(
        "pandas"
    ):
        return as_polars(source, label).select(pl.all().cast(pl.String)), 1, None
    if not isinstance(source, str | os.PathLike):
        raise DataFormatError(
            f"read_breakdown: expected a path to a CSV/ODS/XLSX file or a DataFrame, "
            f"got {type(source).__name__}"
        )
    path = Path(source)
    if _is_sheet_file(path):
        reader = _sheet_reader(path, label)
        names = list(reader.sheet_names)
        chosen = _choose_sheets(names, sheet if sheet is not None else names[0], label, _FY_SHEET)
        grid = _sheet_grid(reader, chosen[0], label)
        body, header_row = _grid_to_table(
            grid,
            lambda cells: any(c in _FORCE_HEADERS or c in _PERIOD_HEADERS for c in cells),
            label,
            chosen[0],
            "an FOI breakdown (a Force or Period column)",
        )
        return body, header_row + 1, chosen[0]
    if sheet is not None:
        raise GroomstatsError(f"sheet={sheet!r} only applies to ODS/XLSX files, not {label}")
    return _read_csv_strings(path, label), 2, None


@overload
def read_breakdown(
    source: Any,
    *,
    category: str | None = ...,
    force: str | None = ...,
    period: str | None = ...,
    sheet: str | None = ...,
    report: Literal[False] = ...,
) -> pl.DataFrame: ...
@overload
def read_breakdown(
    source: Any,
    *,
    category: str | None = ...,
    force: str | None = ...,
    period: str | None = ...,
    sheet: str | None = ...,
    report: Literal[True],
) -> tuple[pl.DataFrame, RowReport]: ...
def read_breakdown(
    source: Any,
    *,
    category: str | None = None,
    force: str | None = None,
    period: str | None = None,
    sheet: str | None = None,
    report: bool = False,
) -> pl.DataFrame | tuple[pl.DataFrame, RowReport]:
    """Read an FOI-style breakdown (by platform, victim age band, gender, ...) into a tidy frame.

    Two layouts are understood:

    * **long**: columns force, period, one category column (its header names the category,
      e.g. ``Platform``) and a count column (``Offences``/``Count``/``Number``);
    * **wide**: columns force, period, then one column per category value (``Snapchat``,
      ``Instagram``, ...); pass ``category="platform"`` to name the category.

    Cells: ``*`` is suppressed (``offences`` null and ``suppressed`` true, never 0), ``-``
    is zero, ``N/a``/empty is not provided (null, not suppressed), numbers may be padded or
    have thousands separators. Rows that are totals (``Total``, ``England and Wales``) and
    ``Total`` columns are left out and reported.

    Parameters
    ----------
    source : path or DataFrame
        A CSV, ODS or XLSX file (first sheet unless ``sheet``), or a frame.
    category : str, optional
        Name of the category. Required for wide tables; for long ones it overrides the
        category column's header.
    force : str, optional
        The force, for a single force's return without a force column.
    period : str, optional
        The period (e.g. ``"2023/24"``), for a table without a period column.
    sheet : str, optional
        Sheet of a spreadsheet.
    report : bool, default False
        Also return the :class:`RowReport` (rows read = rows kept + totals + blank rows).

    Returns
    -------
    polars.DataFrame or (polars.DataFrame, RowReport)
        ``force``, ``force_code``, ``period``, ``period_start``, ``period_end``, ``category``,
        ``value``, ``offences`` (Int64, null when suppressed or not provided), ``suppressed``.

    Raises
    ------
    DataFormatError
        No force/period column (and none given), a non-numeric cell, duplicate rows — naming
        file, row, column and value.
    UnknownAreaError
        An unknown force name, with the closest suggestion.
    PeriodError
        A period that cannot be parsed.

    Examples
    --------
    >>> import polars as pl, groomstats

    Published counts of offences involving Facebook, Snapchat or Instagram in 2017/18
    (news_force_figures); the ``*`` and ``-`` cells only show how those markers are read:

    >>> wide = pl.DataFrame({"Force": ["Nottinghamshire", "Cambridgeshire"],
    ...                      "Year": ["2017/18"] * 2,
    ...                      "Facebook, Snapchat or Instagram": ["44", "27"],
    ...                      "Other": ["*", "-"]})
    >>> df = groomstats.read_breakdown(wide, category="platform")
    >>> for row in df.select("force", "value", "offences", "suppressed").rows():
    ...     print(row)
    ('Nottinghamshire', 'Facebook, Snapchat or Instagram', 44, False)
    ('Nottinghamshire', 'Other', None, True)
    ('Cambridgeshire', 'Facebook, Snapchat or Instagram', 27, False)
    ('Cambridgeshire', 'Other', 0, False)
    """
    label = _label(source)
    table, first_row, sheet_name = _load_grid_table(source, sheet, label)
    columns = table.columns
    notes: list[str] = []
    force_col = _find_column(columns, _FORCE_HEADERS)
    period_col = _find_column(columns, _PERIOD_HEADERS)
    if force_col is None and force is None:
        raise DataFormatError(
            f"{_where(label, sheet=sheet_name)}: no force column (one of "
            f"{', '.join(repr(h.title()) for h in _FORCE_HEADERS)}); columns found: "
            f"{', '.join(repr(c) for c in columns)}. For one force's return pass force='...'"
        )
    if period_col is None and period is None:
        raise DataFormatError(
            f"{_where(label, sheet=sheet_name)}: no period column (one of "
            f"{', '.join(repr(h.title()) for h in _PERIOD_HEADERS)}); columns found: "
            f"{', '.join(repr(c) for c in columns)}. Pass period='2023/24' (for example)"
        )
    df = table.with_columns(
        pl.int_range(first_row, first_row + table.height, dtype=pl.Int64).alias("_row"),
        pl.lit(sheet_name, dtype=pl.String).alias("_sheet"),
        (pl.col(force_col).cast(pl.String) if force_col else pl.lit(force, pl.String))
        .str.strip_chars()
        .alias("_force"),
        (pl.col(period_col).cast(pl.String) if period_col else pl.lit(period, pl.String))
        .str.strip_chars()
        .alias("_period"),
    )
    rest = [c for c in columns if c not in (force_col, period_col)]
    count_col = _find_column(rest, _COUNT_HEADERS)
    if count_col is not None:  # long layout
        cats = [c for c in rest if c != count_col]
        if len(cats) != 1:
            raise DataFormatError(
                f"{_where(label, sheet=sheet_name)}: a long breakdown needs exactly one "
                f"category column beside force, period and '{count_col}'; found "
                f"{', '.join(repr(c) for c in cats) or 'none'}"
            )
        cat_name = category or _category_name(cats[0])
        value_cols = [count_col]
        long_value = cats[0]
    else:  # wide layout
        totals = [c for c in rest if _norm_header(c) in _TOTAL_COLUMNS]
        if totals:
            notes.append(f"total column(s) left out: {', '.join(repr(c) for c in totals)}")
        value_cols = [c for c in rest if c not in totals]
        if not value_cols:
            raise DataFormatError(
                f"{_where(label, sheet=sheet_name)}: no category columns beside force and period"
            )
        if category is None:
            raise GroomstatsError(
                f"{label}: a wide breakdown (one column per value: "
                f"{', '.join(repr(c) for c in value_cols[:4])}...) needs category='platform' "
                "(or 'age_band', 'gender', ...) to name what the columns are"
            )
        cat_name = category
        long_value = None

    rows_read = df.height
    excluded: dict[str, int] = {}
    cells = [*value_cols, *([long_value] if long_value else [])]
    blank = df.select(
        pl.all_horizontal(
            [pl.col(c).cast(pl.String).str.strip_chars().replace("", None).is_null() for c in cells]
        )
        & (pl.col("_force").is_null() | (pl.col("_force") == ""))
    ).to_series()
    if blank.any():
        excluded["blank row"] = int(blank.sum())
        df = df.filter(~blank)
    is_total = df.get_column("_force").str.to_lowercase().is_in(list(_TOTAL_ROWS))
    if is_total.any():
        excluded["total row"] = int(is_total.sum())
        df = df.filter(~is_total)
    if df.height == 0:
        raise DataFormatError(f"{_where(label, sheet=sheet_name)} has no data rows")
    if df.get_column("_period").is_null().any():
        i = df.get_column("_period").is_null()
        raise _first_bad(
            df.with_columns(pl.col("_period").alias("_value")),
            i,
            label,
            period_col or "period",
            "missing period",
            "every row needs a period such as '2023/24'",
        )

    # forces
    idx = _match_column(
        df.get_column("_force"),
        df.get_column("_row"),
        df.get_column("_sheet"),
        label,
        force_col or "force",
    )
    ref = _force_frame().select("force", "force_code").with_row_index("_idx")
    df = df.with_columns(idx.alias("_idx")).join(ref, on="_idx", how="left", maintain_order="left")

    # periods (parsed once per distinct spelling)
    from groomstats.exceptions import PeriodError
    from groomstats.periods import Period

    bounds: dict[str, tuple[str, date, date]] = {}
    for text in df.get_column("_period").unique(maintain_order=True).to_list():
        try:
            p = Period.parse(text)
        except PeriodError as e:
            at = int((df.get_column("_period") == text).arg_true()[0])
            r = df.row(at, named=True)
            raise PeriodError(
                f"{e} ({_where(label, row=r['_row'], column=period_col, sheet=r['_sheet'])})"
            ) from e
        bounds[text] = (p.label, p.start, p.end)
    per = pl.DataFrame(
        {
            "_period": list(bounds),
            "period": [b[0] for b in bounds.values()],
            "period_start": [b[1] for b in bounds.values()],
            "period_end": [b[2] for b in bounds.values()],
        },
        schema={
            "_period": pl.String,
            "period": pl.String,
            "period_start": pl.Date,
            "period_end": pl.Date,
        },
    )
    df = df.join(per, on="_period", how="left", maintain_order="left")

    keep = ["force", "force_code", "period", "period_start", "period_end", "_row", "_sheet"]
    if long_value is not None:
        long = df.select(
            *keep,
            pl.col(long_value).cast(pl.String).str.strip_chars().alias("value"),
            pl.col(value_cols[0]).cast(pl.String).alias("_cell"),
            pl.lit(value_cols[0]).alias("_column"),
        )
        missing_value = long.get_column("value").is_null() | (long.get_column("value") == "")
        if missing_value.any():
            raise _first_bad(
                long.with_columns(pl.col("value").alias("_value")),
                missing_value,
                label,
                long_value,
                "missing category value",
                f"every row needs a {cat_name}",
            )
    else:
        long = (
            df.select(*keep, *[pl.col(c).cast(pl.String) for c in value_cols])
            .with_row_index("_order")
            .unpivot(
                index=["_order", *keep], on=value_cols, variable_name="value", value_name="_cell"
            )
            .with_columns(pl.col("value").alias("_column"))
            .sort("_order", maintain_order=True)
            .drop("_order")
        )

    cell = long.get_column("_cell").str.strip_chars()
    suppressed = (cell == "*").fill_null(False)
    zero = cell.is_in(["-", "–", "—"]).fill_null(False)
    not_provided = (
        cell.is_null() | (cell == "") | cell.str.to_lowercase().is_in(list(_NOT_PROVIDED))
    ).fill_null(True)
    num = cell.str.replace_all(r"[,\s]", "").str.replace(r"^(\d+)\.0*$", "$1")
    counts = num.cast(pl.Int64, strict=False)
    bad = (counts.is_null() & ~suppressed & ~zero & ~not_provided) | (counts < 0).fill_null(False)
    if bad.any():
        at = int(bad.arg_true()[0])
        r = long.row(at, named=True)
        raise DataFormatError(
            f"non-numeric count {r['_cell']!r} at "
            f"{_where(label, row=r['_row'], column=r['_column'], sheet=r['_sheet'])}; counts "
            "must be whole numbers, '*' (suppressed), '-' (zero) or 'N/a' (not provided)"
        )
    offences = pl.when(zero).then(0).otherwise(counts)
    out = long.with_columns(
        pl.lit(cat_name).alias("category"),
        pl.Series("offences", long.select(offences).to_series(), pl.Int64),
        suppressed.alias("suppressed"),
    )
    n_sup, n_np = int(suppressed.sum()), int((not_provided & ~suppressed).sum())
    if n_sup:
        notes.append(f"{n_sup:,} suppressed cell(s) ('*') kept as null with suppressed=True")
    if n_np:
        notes.append(f"{n_np:,} cell(s) not provided (N/a or empty) kept as null")

    dup = out.select(pl.struct("force", "period", "value").is_duplicated()).to_series()
    if dup.any():
        rows = out.filter(dup)
        first = rows.row(0, named=True)
        same = rows.filter(
            (pl.col("force") == first["force"])
            & (pl.col("period") == first["period"])
            & (pl.col("value") == first["value"])
        )
        locs = [
            _where(label, row=r["_row"], sheet=r["_sheet"])
            for r in same.head(2).iter_rows(named=True)
        ]
        raise DataFormatError(
            f"duplicate row: {first['force']} {first['period']} {cat_name} "
            f"'{first['value']}' appears at {locs[0]} and at {locs[1]}; remove the repeat"
        )
    if long_value is None:
        notes.append(f"wide layout: {len(value_cols)} {cat_name} column(s) per row")
    rep = _remember(
        RowReport(
            source=str(source) if isinstance(source, str | os.PathLike) else label,
            rows_read=rows_read,
            rows_kept=df.height,
            excluded=excluded,
            notes=tuple(notes),
        )
    )
    result = out.select([pl.col(c).cast(t) for c, t in BREAKDOWN_SCHEMA.items()])
    return (result, rep) if report else result

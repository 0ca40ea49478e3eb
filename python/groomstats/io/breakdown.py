"""Reader for FOI-style breakdowns by platform, victim age band, gender, ...
(:func:`read_breakdown`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal, overload

import polars as pl

from groomstats._util import _label, _where, as_polars
from groomstats.areas import _force_frame, _match_column
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
)
from groomstats.io._sheets import (
    _FY_SHEET,
    RowReport,
    _choose_sheets,
    _first_bad,
    _grid_to_table,
    _is_sheet_file,
    _norm_header,
    _read_csv_strings,
    _sheet_grid,
    _sheet_reader,
    check_source,
    whole_numbers,
)
from groomstats.periods import Period

__all__ = ["BREAKDOWN_SCHEMA", "read_breakdown"]

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
    path = check_source(source)
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
    where = _where(label, sheet=sheet_name)
    force_col, period_col = _key_columns(table.columns, force, period, where)
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
    notes: list[str] = []
    rest = [c for c in table.columns if c not in (force_col, period_col)]
    cat_name, value_cols, long_value = _layout(rest, category, label, where, notes)

    rows_read = df.height
    excluded: dict[str, int] = {}
    df = _drop_blank_and_total_rows(
        df, [*value_cols, *([long_value] if long_value else [])], excluded, where
    )
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
    df = _attach_forces(df, label, force_col or "force")
    df = _attach_periods(df, label, period_col)
    long = _to_long(df, value_cols, long_value, cat_name, label)
    out = _parse_cells(long, cat_name, label, notes)
    _refuse_duplicates(out, cat_name, label)
    if long_value is None:
        notes.append(f"wide layout: {len(value_cols)} {cat_name} column(s) per row")
    rep = RowReport(
        source=str(source) if isinstance(source, str | os.PathLike) else label,
        rows_read=rows_read,
        rows_kept=df.height,
        excluded=excluded,
        notes=tuple(notes),
    )
    result = out.select([pl.col(c).cast(t) for c, t in BREAKDOWN_SCHEMA.items()])
    return (result, rep) if report else result


def _key_columns(
    columns: list[str], force: str | None, period: str | None, where: str
) -> tuple[str | None, str | None]:
    """The force and period columns (None when the value is given for the whole table)."""
    force_col = _find_column(columns, _FORCE_HEADERS)
    period_col = _find_column(columns, _PERIOD_HEADERS)
    if force_col is None and force is None:
        raise DataFormatError(
            f"{where}: no force column (one of "
            f"{', '.join(repr(h.title()) for h in _FORCE_HEADERS)}); columns found: "
            f"{', '.join(repr(c) for c in columns)}. For one force's return pass force='...'"
        )
    if period_col is None and period is None:
        raise DataFormatError(
            f"{where}: no period column (one of "
            f"{', '.join(repr(h.title()) for h in _PERIOD_HEADERS)}); columns found: "
            f"{', '.join(repr(c) for c in columns)}. Pass period='2023/24' (for example)"
        )
    return force_col, period_col


def _layout(
    rest: list[str], category: str | None, label: str, where: str, notes: list[str]
) -> tuple[str, list[str], str | None]:
    """Long or wide: (category name, count or value columns, the long layout's category column)."""
    count_col = _find_column(rest, _COUNT_HEADERS)
    if count_col is not None:  # long layout
        cats = [c for c in rest if c != count_col]
        if len(cats) != 1:
            raise DataFormatError(
                f"{where}: a long breakdown needs exactly one "
                f"category column beside force, period and '{count_col}'; found "
                f"{', '.join(repr(c) for c in cats) or 'none'}"
            )
        return category or _category_name(cats[0]), [count_col], cats[0]
    totals = [c for c in rest if _norm_header(c) in _TOTAL_COLUMNS]  # wide layout
    if totals:
        notes.append(f"total column(s) left out: {', '.join(repr(c) for c in totals)}")
    value_cols = [c for c in rest if c not in totals]
    if not value_cols:
        raise DataFormatError(f"{where}: no category columns beside force and period")
    if category is None:
        raise GroomstatsError(
            f"{label}: a wide breakdown (one column per value: "
            f"{', '.join(repr(c) for c in value_cols[:4])}...) needs category='platform' "
            "(or 'age_band', 'gender', ...) to name what the columns are"
        )
    return category, value_cols, None


def _drop_blank_and_total_rows(
    df: pl.DataFrame, cells: list[str], excluded: dict[str, int], where: str
) -> pl.DataFrame:
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
        raise DataFormatError(f"{where} has no data rows")
    return df


def _attach_forces(df: pl.DataFrame, label: str, column: str) -> pl.DataFrame:
    idx = _match_column(
        df.get_column("_force"), df.get_column("_row"), df.get_column("_sheet"), label, column
    )
    ref = _force_frame().select("force", "force_code").with_row_index("_idx")
    return df.with_columns(idx.alias("_idx")).join(
        ref, on="_idx", how="left", maintain_order="left"
    )


def _attach_periods(df: pl.DataFrame, label: str, period_col: str | None) -> pl.DataFrame:
    """Canonical period label and dates (each distinct spelling parsed once)."""
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
    return df.join(per, on="_period", how="left", maintain_order="left")


def _to_long(
    df: pl.DataFrame, value_cols: list[str], long_value: str | None, cat_name: str, label: str
) -> pl.DataFrame:
    """One row per force, period and category value, with the raw cell in ``_cell``."""
    keep = ["force", "force_code", "period", "period_start", "period_end", "_row", "_sheet"]
    if long_value is None:
        return (
            df.select(*keep, *[pl.col(c).cast(pl.String) for c in value_cols])
            .with_row_index("_order")
            .unpivot(
                index=["_order", *keep], on=value_cols, variable_name="value", value_name="_cell"
            )
            .with_columns(pl.col("value").alias("_column"))
            .sort("_order", maintain_order=True)
            .drop("_order")
        )
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
    return long


def _parse_cells(long: pl.DataFrame, cat_name: str, label: str, notes: list[str]) -> pl.DataFrame:
    """``*`` suppressed (null, flagged), ``-`` zero, N/a or empty not provided (null)."""
    cell = long.get_column("_cell").str.strip_chars()
    suppressed = (cell == "*").fill_null(False)
    zero = cell.is_in(["-", "–", "—"]).fill_null(False)
    not_provided = (
        cell.is_null() | (cell == "") | cell.str.to_lowercase().is_in(list(_NOT_PROVIDED))
    ).fill_null(True)
    counts = whole_numbers(cell)
    bad = (counts.is_null() & ~suppressed & ~zero & ~not_provided) | (counts < 0).fill_null(False)
    if bad.any():
        at = int(bad.arg_true()[0])
        r = long.row(at, named=True)
        raise DataFormatError(
            f"non-numeric count {r['_cell']!r} at "
            f"{_where(label, row=r['_row'], column=r['_column'], sheet=r['_sheet'])}; counts "
            "must be whole numbers (thousands separated in groups of three: '1,234'), '*' "
            "(suppressed), '-' (zero) or 'N/a' (not provided)"
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
    return out


def _refuse_duplicates(out: pl.DataFrame, cat_name: str, label: str) -> None:
    dup = out.select(pl.struct("force", "period", "value").is_duplicated()).to_series()
    if not dup.any():
        return
    rows = out.filter(dup)
    first = rows.row(0, named=True)
    same = rows.filter(
        (pl.col("force") == first["force"])
        & (pl.col("period") == first["period"])
        & (pl.col("value") == first["value"])
    )
    locs = [
        _where(label, row=r["_row"], sheet=r["_sheet"]) for r in same.head(2).iter_rows(named=True)
    ]
    raise DataFormatError(
        f"duplicate row: {first['force']} {first['period']} {cat_name} "
        f"'{first['value']}' appears at {locs[0]} and at {locs[1]}; remove the repeat"
    )

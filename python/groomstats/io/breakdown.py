"""Reader for FOI-style breakdowns by platform, victim age band, gender, ...
(:func:`read_breakdown`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, overload

import polars as pl

from groomstats._util import _label, _where, as_polars
from groomstats.areas import (
    _force_frame,
    _match_column,
    all_force_names,
    check_force_codes,
    force_code_column,
)
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
)
from groomstats.io._sheets import (
    _FY_SHEET,
    _PATH_OR_FRAME,
    LABEL_MARK,
    MISSING_MARKERS,
    RowReport,
    _choose_sheets,
    _first_bad,
    _grid_to_table,
    _is_frame,
    _is_sheet_file,
    _norm_header,
    _sheet_grid,
    _sheet_reader,
    _source_path,
    count_fix,
    csv_table,
    flag_notes,
    missing_said,
    repeated_headers,
    say_kind,
    split_flags,
    strip_marks,
    tidy_header,
    trailing_notes,
    whole_numbers,
)
from groomstats.io._totals import (
    TOTAL_LABELS,
    area_of_forces,
    area_total_labels,
    check_totals,
    is_total_label,
    warn_mismatches,
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
    "total": pl.Int64,
}

_FORCE_HEADERS = ("force", "force name", "police force", "force area", "police force area")
_PERIOD_HEADERS = ("period", "financial year", "year", "fy", "time period", "date range")
_COUNT_HEADERS = (
    "offences",
    "number of offences",
    "count",
    "crimes",
    "number",
    "total offences",
    "total crimes",
    "offence count",
    "crime count",
    "frequency",
)
#: Headers of a column of category labels in a wide two-way table (age band x gender).
_CATEGORY_HEADERS = (
    "age band",
    "age group",
    "age",
    "victim age",
    "age of victim",
    "gender",
    "sex",
    "victim gender",
    "gender of victim",
    "platform",
    "method",
    "communication method",
    "method of communication",
    "app",
    "site",
    "category",
)
#: "Count of Crimes", "Number of offences", "No. of crimes", "Num of offences", ...
_COUNT_PHRASE = r"(?:count|number|no\.?|num\.?|sum)\s*of\s*(?:recorded\s+)?(?:crimes?|offen[cs]es?)"
_TOTAL_COLUMNS = (*TOTAL_LABELS, "all platforms", "total offences", "total crimes")
_TOTAL_ROWS = ("total", "grand total", "all forces", "england and wales", "united kingdom", "uk")
#: Headers of a column of remarks beside the counts (left out, its text in the report).
_NOTE_COLUMNS = (
    "notes",
    "note",
    "comments",
    "comment",
    "remarks",
    "footnotes",
    "footnote",
    "source url",
    "source link",
    "url",
    "link",
)
#: Cells meaning "not provided" (null, not suppressed).
_NOT_PROVIDED = ("n/a", "na", "not provided", "not recorded", "..")


#: A header compared without case, footnote marks, or the underscores of a tidy file
#: (``financial_year`` is ``Financial Year``): the one helper every reader uses.
_header = tidy_header


def _find_column(columns: list[str], choices: Sequence[str]) -> str | None:
    for c in columns:
        if _header(c) in choices:
            return c
    return None


def _category_name(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", _norm_header(header)).strip("_")


def _is_prc_table(columns: list[str]) -> bool:
    """The Home Office open data table's own layout (Offence Code and Number of Offences)."""
    cells = {_header(c) for c in columns}
    return {"offence code", "number of offences", "financial quarter"} <= cells


def _is_breakdown_header(cells: list[str]) -> bool:
    return any(c in _FORCE_HEADERS or c in _PERIOD_HEADERS for c in cells)


_BREAKDOWN_WHAT = "an FOI breakdown (a Force or Period column)"


def _load_grid_table(
    source: Any, sheet: str | None, label: str, notes: list[str]
) -> tuple[pl.DataFrame, int, str | None]:
    """Return (table of strings with headers, first data row number, sheet)."""
    if _is_frame(source):
        return as_polars(source, label).select(pl.all().cast(pl.String)), 1, None
    path = _source_path(source, "read_breakdown", _PATH_OR_FRAME)
    if _is_sheet_file(path):
        reader = _sheet_reader(path, label)
        names = list(reader.sheet_names)
        grid: pl.DataFrame | None = None
        if sheet is not None:
            chosen = _choose_sheets(names, sheet, label, _FY_SHEET)[0]
            grid = _sheet_grid(reader, chosen, label)
        else:  # the first sheet holding a table (cover and notes sheets come first)
            chosen = names[0]
            for name in names:
                g = _sheet_grid(reader, name, label)
                rows = range(min(40, g.height))
                if any(_is_breakdown_header([_header(v) for v in g.row(i)]) for i in rows):
                    chosen, grid = name, g
                    break
            if grid is not None and chosen != names[0]:
                notes.append(
                    f"read sheet '{chosen}', the first with a table (sheets: "
                    f"{', '.join(repr(n) for n in names)}); pass sheet= to choose another"
                )
        if grid is None:
            grid = _sheet_grid(reader, chosen, label)
        body, header_row = _grid_to_table(
            grid, _is_breakdown_header, label, chosen, _BREAKDOWN_WHAT
        )
        return body, header_row + 1, chosen
    if sheet is not None:
        raise GroomstatsError(f"sheet={sheet!r} only applies to ODS/XLSX files, not {label}")
    # title rows above the header (a spreadsheet saved as CSV) skipped; without a header row
    # found, the table as read (the error then names the columns found)
    body, first_row = csv_table(path, label, _is_breakdown_header, _BREAKDOWN_WHAT, notes)
    return body, first_row, None


@overload
def read_breakdown(
    source: Any,
    *,
    category: str | Sequence[str] | None = ...,
    force: str | None = ...,
    period: str | None = ...,
    sheet: str | None = ...,
    report: Literal[False] = ...,
) -> pl.DataFrame: ...
@overload
def read_breakdown(
    source: Any,
    *,
    category: str | Sequence[str] | None = ...,
    force: str | None = ...,
    period: str | None = ...,
    sheet: str | None = ...,
    report: Literal[True],
) -> tuple[pl.DataFrame, RowReport]: ...
def read_breakdown(
    source: Any,
    *,
    category: str | Sequence[str] | None = None,
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

    * **two-way** (age band x gender): long with two category columns beside the count, or
      wide with one column of labels (``Age band``) and one column per value of the other
      category (``Female``, ``Male``; ``category="gender"`` names them). The frame then has
      one column per category (``age_band``, ``gender``) instead of ``category``/``value``;
    * **by period** (platform x year): a column of labels and one column per period
      (``2019/20``, ``2020/21``); the periods are read from the headers.

    Count columns are recognised under the headers forces use (``Offences``, ``Count``,
    ``Number of offences``, ``Count of Crimes``, ``No. of crimes``, ``Crimes``, ...); tidy
    headers (``financial_year``, ``age_band``) are the headers they spell. A table of one count
    per force and period (``Force, Year, Offences``) needs ``category=`` to name what it counts.
    A column of force codes (``Force Code``, ``PFA23CD``) is checked against the force names.

    Cells: ``*`` is suppressed (``offences`` null and ``suppressed`` true, never 0; so are
    ``[c]``, ``[low]`` and ``<5``), ``-`` is zero, ``N/a``/empty is not provided (null, not
    suppressed; so are ``..``, ``:``, ``x``, ``[x]``, ``[z]``), numbers may be padded or
    have thousands separators (in groups of three) or a status flag (``12 [r]``: 12, noted);
    ``1.000`` (1 or 1,000?) is refused. Labels lose footnote marks (``Snapchat [note 3]``),
    one category spelled two ways (``Snapchat``, ``snapchat``) is one category, a ``Notes``
    column (and a ``source_url``/``URL``/``Link`` column) is left out with its text in the
    report, a repeated or unnamed column of values
    is refused. Totals (rows, columns or category values
    ``Total``, ``Totals``, ``All``, ``Grand total``; force rows such as ``England and Wales``)
    are checked against the cells they total (:class:`TotalMismatchWarning` with both figures
    when they differ; with suppressed cells the remainder they hold is noted), left out as
    categories and counted in the report; a one-way table's ``total`` column keeps each force
    and period's published total, from which :func:`shares` bounds the suppressed cells.
    Region and nation rows (``Wales``, ``South East``) are totals of their forces, checked
    the same way; a table of such rows only is refused.

    Parameters
    ----------
    source : path or DataFrame
        A CSV, ODS or XLSX file (first sheet unless ``sheet``), or a frame.
    category : str or (str, str), optional
        Name of the category. Required for wide tables; for long ones it overrides the
        category column's header. Two names for a two-way table (rows, then columns).
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
        ``value`` (two-way: one column per category instead), ``offences`` (Int64, null when
        suppressed or not provided), ``suppressed``, ``total`` (the published total of the
        force and period, null without one or for two-way tables).

    Raises
    ------
    DataFormatError
        No force/period column (and none given), a non-numeric cell, duplicate rows — naming
        file, row, column and value.
    UnknownAreaError
        An unknown force name, with the closest suggestion.
    PeriodError
        A period that cannot be parsed.

    Notes
    -----
    Spreadsheet formula cells are read by their cached value (what the program that saved
    the file last computed).

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
    notes: list[str] = []
    table, first_row, sheet_name = _load_grid_table(source, sheet, label, notes)
    where = _where(label, sheet=sheet_name)
    names = _category_names(category)
    try:
        table = _check_headers(table, where, notes, first_row)
        _refuse_a_column_of_forces(table, force, where)
        force_col, period_col, period_headers = _key_columns(table.columns, force, period, where)
        if force_col and period_col and _is_prc_table(table.columns):
            raise DataFormatError(f"{where} is not an FOI breakdown")
    except DataFormatError as e:  # another kind of table? say which
        raise say_kind(e, [table.columns, *table.head(40).rows()], "FOI breakdown") from e
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
    df = df.with_columns(  # 'Kent [note 2]', '2023/24 (p)': the label, the mark noted
        strip_marks(df.get_column("_force"), "force", notes),
        strip_marks(df.get_column("_period"), "period", notes),
    )
    rows_read = df.height
    repeated = 0
    again = repeated_headers(df, {c: c for c in table.columns}) if table.width >= 2 else None
    if again is not None and again.any():  # 'cat a.csv b.csv': the second file's header
        rows = df.filter(again).get_column("_row").head(3).to_list()
        repeated = int(again.sum())
        notes.append(
            f"the header row is repeated at row(s) {', '.join(map(str, rows))}: files or "
            "tables joined together? left out (a cell given twice is refused as a duplicate)"
        )
        df = df.filter(~again)
    rest = [c for c in table.columns if c not in (force_col, period_col)]
    code_col = force_code_column(df, rest) if force_col else None
    if code_col is not None:
        rest.remove(code_col)
        df = df.with_columns(pl.col(code_col).cast(pl.String).str.strip_chars().alias("_fcode"))
    lay = _layout(df, rest, names, period_headers, label, where, notes)

    excluded: dict[str, int] = {}
    if repeated:
        excluded["header row repeated inside the table"] = repeated
    note = trailing_notes(df, table.columns) if table.width and df.height else None
    if note is not None and note.any():  # 'Source: FOI requests' under the table
        excluded["note row below the table"] = int(note.sum())
        shown = df.filter(note).get_column(table.columns[0]).head(3).to_list()
        notes.append("note row(s) below the table left out: " + "; ".join(map(repr, shown)))
        df = df.filter(~note)
    df = _drop_blank_rows(df, [*lay.value_cols, *lay.total_cols, *lay.row_dims], excluded, where)
    # a region or nation row ('Wales', 'South East') totals its forces, never a force itself
    area = pl.col("_force").str.to_lowercase().is_in(list(area_total_labels())).fill_null(False)
    df = df.with_columns(pl.when(area).then(pl.col("_force").str.to_lowercase()).alias("_area"))
    total_row = (
        pl.col("_force").str.to_lowercase().is_in(list(_TOTAL_ROWS))
        | is_total_label(pl.col("_force"))
        | area
    )
    for c in lay.row_dims:
        total_row = total_row | is_total_label(pl.col(c)).fill_null(False)
    df = df.with_columns(total_row.fill_null(False).alias("_total_row"))
    all_totals = (
        pl.col("_force").str.to_lowercase().is_in(list(_TOTAL_ROWS))
        | is_total_label(pl.col("_force"))
        | area
    ).fill_null(False)
    if df.height and df.select(all_totals.all()).item():
        listed = ", ".join(
            repr(f) for f in df.get_column("_force").unique(maintain_order=True).head(4)
        )
        raise DataFormatError(
            f"{where} holds no force rows: every row is a national, regional or total row "
            f"({listed}); read_breakdown reads breakdowns by police force and leaves such rows "
            "out as totals, so nothing would be left. Give the force-level table; published "
            "national shares are in groomstats.datasets.platform_shares()"
        )
    if not lay.period_in_header and df.get_column("_period").is_null().any():
        i = df.get_column("_period").is_null()
        raise _first_bad(
            df,
            "_period",
            i,
            label,
            period_col or "period",
            "missing period",
            "every row needs a period such as '2023/24'" + _merged_hint(df.get_column("_period")),
        )
    df = _attach_forces(df, label, force_col or "force")
    if code_col is not None:
        check_force_codes(
            df.filter(~pl.col("_tot_fkey")), code_col, force_col or "force", label, given="_force"
        )
        notes.append(f"force codes in column '{code_col}' checked against the force names")
    long = _to_long(df, lay, label, notes)
    long = _attach_periods(long, label, period_col)
    overlap = _overlapping_periods(long, label, period_col)
    if overlap:
        notes.append(overlap)
    long = _parse_cells(long, label, notes)
    area_cells = long.filter(pl.col("_area").is_not_null())
    long = long.filter(pl.col("_area").is_null())
    dims = [("_fkey", "force"), *[(f"_d{i}", n) for i, n in enumerate(lay.names)]]
    if lay.period_in_header:
        dims.append(("period", "period"))
    parts = check_totals(long, dims, label, notes, one_way=len(lay.names) == 1)
    if area_cells.height:
        _check_area_rows(area_cells, parts, len(lay.names), label, notes)
    _cell_notes(parts, notes)
    _refuse_duplicates(parts, lay.names, label)
    n_total = int(df.get_column("_total_row").sum())
    if n_total:
        excluded["total row"] = n_total
    rep = RowReport(
        source=str(source) if isinstance(source, str | os.PathLike) else label,
        rows_read=rows_read,
        rows_kept=df.height - n_total,
        excluded=excluded,
        notes=tuple(notes),
    )
    if len(lay.names) == 1:
        out = parts.with_columns(
            pl.lit(lay.names[0]).alias("category"), pl.col("_d0").alias("value")
        )
        schema = BREAKDOWN_SCHEMA
    else:
        out = parts.rename({"_d0": lay.names[0], "_d1": lay.names[1]})
        schema = two_way_schema(lay.names[0], lay.names[1])
    result = out.select([pl.col(c).cast(t) for c, t in schema.items()])
    return (result, rep) if report else result


def two_way_schema(first: str, second: str) -> dict[str, Any]:
    """Columns of a two-way breakdown (e.g. ``age_band`` x ``gender``).

    Examples
    --------
    >>> list(two_way_schema("age_band", "gender"))[5:8]
    ['age_band', 'gender', 'offences']
    """
    keys = ("force", "force_code", "period", "period_start", "period_end")
    schema = {k: BREAKDOWN_SCHEMA[k] for k in keys}
    schema.update({first: pl.String, second: pl.String})
    schema.update({k: BREAKDOWN_SCHEMA[k] for k in ("offences", "suppressed", "total")})
    return schema


def _category_names(category: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if category is None:
        return None
    if isinstance(category, str):
        return (category,)
    names = tuple(category)
    if len(names) not in (1, 2) or not all(isinstance(n, str) and n for n in names):
        raise GroomstatsError(
            f"category={category!r}: expected a name ('platform') or two for a two-way table "
            "(('age_band', 'gender'))"
        )
    return names


def _refuse_a_column_of_forces(table: pl.DataFrame, force: str | None, where: str) -> None:
    """A table without a force column of the usual headers, one of whose columns holds force
    names all the same ('Area': Kent, Essex): read with force= it would become a category of
    the force given (Kent's figures as Essex's); read without, the force column is missing."""
    if _find_column(table.columns, _FORCE_HEADERS) is not None or table.height == 0:
        return
    for c in table.columns:
        cells = table.get_column(c).cast(pl.String).str.strip_chars().replace("", None)
        head = cells.drop_nulls().head(50)
        head = head.filter(~is_total_label(head) & ~head.str.to_lowercase().is_in(_TOTAL_ROWS))
        if head.len() and not all_force_names(head.head(1).to_list()):
            continue  # its first cell is no force (counts, case numbers): no step per value
        names = cells.drop_nulls().unique(maintain_order=True)
        names = names.filter(~is_total_label(names) & ~names.str.to_lowercase().is_in(_TOTAL_ROWS))
        if names.len() == 0 or not all_force_names(names.to_list()):
            continue
        shown = ", ".join(repr(n) for n in names.head(3).to_list())
        if force is None:
            raise DataFormatError(
                f"{where}: no force column of the usual headers, but column '{c}' holds force "
                f"names ({shown}): name it 'Force' to read it as the force"
            )
        raise DataFormatError(
            f"{where}: force={force!r} was given, but column '{c}' holds force names ({shown}): "
            f"which holds? Read as a category of the force given, their figures would be "
            f"counted as {force}'s. Name the column 'Force' and leave out force=, or drop it"
        )


def _key_columns(
    columns: list[str], force: str | None, period: str | None, where: str
) -> tuple[str | None, str | None, list[str]]:
    """The force and period columns (None when given for the whole table), and the headers
    that are periods (a table with one column per year, e.g. platform x year)."""
    force_col = _find_column(columns, _FORCE_HEADERS)
    period_col = _find_column(columns, _PERIOD_HEADERS)
    for arg, value, col in (("force", force, force_col), ("period", period, period_col)):
        if value is not None and col is not None:
            raise GroomstatsError(
                f"{where}: {arg}={value!r} was given but the table has its own {arg} column "
                f"'{col}': which one holds? Leave out {arg}= to read the column, or drop "
                "the column"
            )
    if force_col is None and force is None:
        raise DataFormatError(
            f"{where}: no force column (one of "
            f"{', '.join(repr(h.title()) for h in _FORCE_HEADERS)}); columns found: "
            f"{', '.join(repr(c) for c in columns)}. For one force's return pass force='...'"
        )
    period_headers: list[str] = []
    if period_col is None and period is None:
        period_headers = [c for c in columns if c != force_col and _is_period(c)]
        if not period_headers:
            raise DataFormatError(
                f"{where}: no period column (one of "
                f"{', '.join(repr(h.title()) for h in _PERIOD_HEADERS)}) and no column headed "
                f"by a period; columns found: {', '.join(repr(c) for c in columns)}. Pass "
                "period='2023/24' (for example)"
            )
    return force_col, period_col, period_headers


def _is_period(header: str) -> bool:
    # a four-digit year, or a two-digit one after 'YE' or an apostrophe ('YE Mar 24',
    # "Apr '23"); never a bare '12-15' or '12/13', which may be age bands
    if not re.search(r"\d{4}|^\s*y/?e\s|['\u2019]\d{2}\b", header, re.IGNORECASE):
        return False
    try:
        Period.parse(re.sub(LABEL_MARK, "", header.strip()))  # '2023/24 [note 1]'
    except PeriodError:
        return False
    return True


def _refuse_date_labels(
    long: pl.DataFrame, col: str, name: str, column: str | None, label: str
) -> None:
    """A category label that is a spreadsheet date cell (``2024-12-15 00:00:00``): a label such
    as the age band ``12-15`` that the spreadsheet turned into a date. Refused: the label it
    was cannot be told back for sure."""
    is_date = long.get_column(col).str.contains(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
    hit = is_date.fill_null(False)
    if not hit.any():
        return
    r = long.filter(hit).row(0, named=True)
    if column is None:  # a header: say where the header is
        where = _where(label, column=r["_column"], sheet=r["_sheet"]) + " (its header)"
    else:
        where = _where(label, row=r["_row"], column=column, sheet=r["_sheet"])
    raise DataFormatError(
        f"{name} {r[col]!r} at {where} is a date cell: a spreadsheet turns labels such as "
        "the age band '12-15' into dates; format the column as text, type the labels again "
        "and save"
    )


def _one_spelling(labels: pl.Series, name: str, notes: list[str]) -> pl.Series:
    """Category labels that differ only in case or spacing (``Snapchat``, ``snapchat``) are
    one category, written as first seen (named in ``notes``): kept apart they would split
    its share; two rows of one force and period then meet as duplicates and are refused."""
    key = labels.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    firsts = (
        pl.DataFrame({"k": key, "v": labels})
        .drop_nulls()
        .unique("k", keep="first", maintain_order=True)
    )
    canon = pl.DataFrame({"k": key}).join(firsts, on="k", how="left", maintain_order="left")
    out = canon.get_column("v").alias(labels.name)
    changed = (out != labels).fill_null(False)
    if changed.any():
        pairs = (
            pl.DataFrame({"a": labels.filter(changed), "b": out.filter(changed)})
            .unique(maintain_order=True)
            .head(4)
            .rows()
        )
        shown = ", ".join(f"{a!r} as {b!r}" for a, b in pairs)
        notes.append(f"{name} labels spelled several ways read as one: {shown}")
    return out


def _check_area_rows(
    area_cells: pl.DataFrame, parts: pl.DataFrame, n_dims: int, label: str, notes: list[str]
) -> None:
    """Region and nation rows (``Wales``): each cell checked against the sum of the same
    cells of the forces of that area in the table (a TotalMismatchWarning with both figures
    when it differs and no cell of those forces is unknown), then left out."""
    dims = ["period", *[f"_d{i}" for i in range(n_dims)]]
    flags = [c for c in area_cells.columns if c.startswith("_tot_d") or c == "_totperiod"]
    cells = area_cells.filter(~pl.any_horizontal(flags)) if flags else area_cells
    scoped = area_of_forces(parts)
    sums = pl.concat(
        [
            scoped.filter(pl.col(c).is_not_null())
            .group_by(c, *dims)
            .agg(
                pl.col("offences").sum().alias("_sum"),
                pl.col("offences").null_count().alias("_unknown"),
                pl.len().alias("_n"),
            )
            .rename({c: "_area"})
            for c in ("_reg", "_nat")
        ]
    ).unique(["_area", *dims], keep="first")
    joined = cells.join(sums, on=["_area", *dims], how="left", nulls_equal=True)
    mismatches, checked = [], 0
    for r in joined.iter_rows(named=True):
        if r["offences"] is None or r["_n"] is None or r["_unknown"]:
            continue
        checked += 1
        if r["offences"] != r["_sum"]:
            where = _where(label, row=r["_row"], column=r["_column"], sheet=r["_sheet"])
            what = " ".join(str(r[d]) for d in dims)
            mismatches.append(
                f"the {r['_fkey']} row's {r['offences']:,} for {what} ({where}) is not the sum "
                f"of its {r['_n']} force(s) in the table, {r['_sum']:,}"
            )
    names = ", ".join(repr(n) for n in area_cells.get_column("_fkey").unique(maintain_order=True))
    notes.append(
        f"region or nation row(s) ({names}) left out, never counted as a force: {checked:,} "
        "cell(s) checked against the sum of their forces"
    )
    warn_mismatches(
        mismatches,
        "region or nation total(s)",
        "The force cells are kept as published",
        notes,
        stacklevel=3,
    )


def _check_headers(
    table: pl.DataFrame, where: str, notes: list[str], first_row: int
) -> pl.DataFrame:
    """Columns without a header are dropped when empty (a trailing comma) and refused when
    they hold values (what would they count?); a header repeated (``Snapchat`` twice, or
    ``Snapchat`` and ``snapchat``) is refused: its values would split one category or count
    it twice."""
    names = list(table.columns)
    unnamed = [
        (j, c)
        for j, c in enumerate(names)
        if not c.strip() or re.fullmatch(r"column \d+|_duplicated_\d+", c)
    ]
    drop = []
    for j, c in unnamed:
        cells = table.get_column(c).cast(pl.String).str.strip_chars().replace("", None)
        if cells.null_count() == table.height:
            drop.append(c)
            continue
        i = int(cells.is_not_null().arg_true()[0])
        raise DataFormatError(
            f"{where}: column {j + 1} has no header but holds values ({cells[i]!r} at row "
            f"{first_row + i}): name it (e.g. the category it counts) or delete it"
        )
    if drop:
        notes.append(f"{len(drop)} empty column(s) without a header ignored")
        table = table.drop(drop)
    for c in [c for c in table.columns if _header(c) in _NOTE_COLUMNS]:
        said = table.get_column(c).cast(pl.String).str.strip_chars().replace("", None)
        said = said.drop_nulls()
        if said.len() and whole_numbers(said).is_not_null().any():
            continue  # numbers under 'Notes': a category (an app called Notes?), not remarks
        shown = "; ".join(repr(t) for t in said.unique(maintain_order=True).head(3).to_list())
        notes.append(
            f"column '{c}' holds notes, not counts or categories: left out"
            + (f" ({said.len():,} row(s) with a note: {shown})" if said.len() else "")
        )
        table = table.drop(c)
    seen: dict[str, str] = {}
    for c in table.columns:
        base = re.sub(r"_duplicated_\d+$", "", c)
        key = _header(base)
        if key in seen:
            raise DataFormatError(
                f"{where}: the header '{base.strip()}' appears twice (as {seen[key].strip()!r} "
                f"and {base.strip()!r}): its values would split one category or count it "
                "twice; merge or rename the columns"
            )
        seen[key] = base
    return table


@dataclass(frozen=True)
class _Layout:
    """How a table's cells map to categories."""

    names: tuple[str, ...]  # one category name, or two for a two-way table
    row_dims: list[str]  # columns holding category values (long tables; a wide table's rows)
    value_cols: list[str]  # the count column (long) or the columns of counts (wide)
    total_cols: list[str]  # wide: columns that total the others
    period_in_header: bool  # wide by period: the headers are the periods


def _is_text_column(df: pl.DataFrame, c: str) -> bool:
    """A column of labels (not counts or the markers '*', '-', 'N/a')."""
    cells = df.get_column(c).cast(pl.String).str.strip_chars().drop_nulls()
    cells = cells.filter(cells != "")
    if cells.len() == 0:
        return False
    marker = cells.str.to_lowercase().is_in(
        ["*", "-", "\u2013", "\u2014", *_NOT_PROVIDED, *MISSING_MARKERS]
    )
    numeric = whole_numbers(cells).is_not_null()
    return not numeric.any() and bool((~marker).any())  # labels only: no count among them


def _layout(
    df: pl.DataFrame,
    rest: list[str],
    names: tuple[str, ...] | None,
    period_headers: list[str],
    label: str,
    where: str,
    notes: list[str],
) -> _Layout:
    """Long or wide, one- or two-way: which columns hold categories, counts and totals."""
    count_col = next((c for c in rest if _is_count_header(c)), None)
    if count_col is not None and not period_headers:
        cats = [c for c in rest if c != count_col]
        if (
            len(cats) > 1
            and _header(count_col) in _TOTAL_COLUMNS
            and not all(_is_text_column(df, c) for c in cats)
        ):
            count_col = None  # 'Total offences' beside columns of counts: a wide table's total
        if not cats and names is not None and len(names) == 1:
            count_col = None  # force, period, count only: one value of the category named
    if count_col is not None and not period_headers:  # long layout
        cats = [c for c in rest if c != count_col]
        if len(cats) not in (1, 2):
            raise DataFormatError(
                f"{where}: a long breakdown needs one category column (or two, for a two-way "
                f"table such as age band x gender) beside force, period and '{count_col}'; "
                f"found {', '.join(repr(c) for c in cats) or 'none'}"
                + (
                    ""
                    if cats
                    else f"; for one count per force and period, name what '{count_col}' "
                    "counts: category='offence' (for example)"
                )
            )
        got = names if names is not None and len(names) == len(cats) else None
        if names is not None and got is None and len(cats) == 2:
            raise GroomstatsError(
                f"{where}: two category columns ({', '.join(repr(c) for c in cats)}): pass "
                "two names, category=('age_band', 'gender'), or none"
            )
        final = got or tuple(_category_name(c) for c in cats)
        if names is not None and len(names) == 1 and len(cats) == 1:
            final = names
        return _Layout(final, cats, [count_col], [], False)
    if period_headers:  # wide by period: one column per period, categories in a column
        others = [c for c in rest if c not in period_headers]
        totals = [c for c in others if _header(c) in _TOTAL_COLUMNS]
        row_dims = [c for c in others if c not in totals]
        if len(row_dims) != 1:
            raise DataFormatError(
                f"{where}: a table with one column per period ({', '.join(period_headers[:3])}"
                f"...) needs exactly one category column beside them; found "
                f"{', '.join(repr(c) for c in row_dims) or 'none'}"
            )
        name = names[0] if names else _category_name(row_dims[0])
        notes.append(f"periods read from the column headers: {', '.join(period_headers)}")
        return _Layout((name,), row_dims, period_headers, totals, True)
    totals = [c for c in rest if _header(c) in _TOTAL_COLUMNS]  # wide layout
    if totals:
        notes.append(f"total column(s) checked and left out: {', '.join(repr(c) for c in totals)}")
    # a column of labels is a category only when named so: by category=(two names) or by a
    # header such as 'Age band'; otherwise its cells are counts, and bad ones are refused
    two = names is not None and len(names) == 2
    text = [
        c
        for c in rest
        if c not in totals and (two or _header(c) in _CATEGORY_HEADERS) and _is_text_column(df, c)
    ]
    value_cols = [c for c in rest if c not in totals and c not in text]
    if not value_cols:
        raise DataFormatError(f"{where}: no category columns beside force and period")
    if len(text) > 1:
        raise DataFormatError(
            f"{where}: columns {', '.join(repr(c) for c in text)} hold text, not counts: a "
            "wide table may have one column of category labels (a two-way table) at most"
        )
    wanted = 1 + len(text)
    if names is None:
        raise GroomstatsError(
            f"{label}: a wide breakdown (one column per value: "
            f"{', '.join(repr(c) for c in value_cols[:4])}...) needs category='platform' "
            "(or 'age_band', 'gender', ...) to name what the columns are"
        )
    if wanted == 1:
        if len(names) != 1:
            raise GroomstatsError(
                f"{where}: a one-way table: pass one category name, not {names!r}"
            )
        return _Layout(names, [], value_cols, totals, False)
    final = names if len(names) == 2 else (_category_name(text[0]), names[0])
    notes.append(f"two-way table: {final[0]} in column '{text[0]}' x {final[1]} across the columns")
    return _Layout(final, text, value_cols, totals, False)


def _is_count_header(header: str) -> bool:
    h = _header(header)
    return h in _COUNT_HEADERS or re.fullmatch(_COUNT_PHRASE, h) is not None


def _drop_blank_rows(
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
    if df.height == 0:
        raise DataFormatError(f"{where} has no data rows")
    return df


def _attach_forces(df: pl.DataFrame, label: str, column: str) -> pl.DataFrame:
    """Canonical force and code; total rows (``Total``, ``England and Wales``) get none and are
    keyed ``_fkey`` by their label, the others by the canonical name."""
    is_force_total = (
        pl.col("_force").str.to_lowercase().is_in(list(_TOTAL_ROWS))
        | is_total_label(pl.col("_force"))
        | pl.col("_area").is_not_null()
    )
    df = df.with_columns(is_force_total.fill_null(False).alias("_tot_fkey"))
    named = df.filter(~pl.col("_tot_fkey"))
    idx = _match_column(
        named.get_column("_force"),
        named.get_column("_row"),
        named.get_column("_sheet"),
        label,
        column,
    )
    ref = (
        _force_frame()
        .select(pl.col("force").alias("_canon"), pl.col("force_code").alias("_canon_code"))
        .with_row_index("_idx")
    )
    named = (
        named.with_columns(idx.alias("_idx"))
        .join(ref, on="_idx", how="left", maintain_order="left")
        .with_columns(pl.col("_canon").alias("force"), pl.col("_canon_code").alias("force_code"))
        .drop("_canon", "_canon_code")
    )
    totals = df.filter(pl.col("_tot_fkey")).with_columns(
        pl.lit(None, pl.UInt32).alias("_idx"),
        pl.lit(None, pl.String).alias("force"),
        pl.lit(None, pl.String).alias("force_code"),
    )
    out = pl.concat([named, totals.select(named.columns)], how="vertical").sort(
        "_row", maintain_order=True
    )
    return out.with_columns(
        pl.when(pl.col("_tot_fkey"))
        .then(pl.col("_force"))
        .otherwise(pl.col("force"))
        .alias("_fkey")
    )


def _attach_periods(df: pl.DataFrame, label: str, period_col: str | None) -> pl.DataFrame:
    """Canonical period label and dates (each distinct spelling parsed once); a total column
    of a table by period (``Total`` beside ``2019/20``, ``2020/21``) is flagged, not parsed."""
    is_total = is_total_label(pl.col("_period")).fill_null(False)
    df = df.with_columns(is_total.alias("_totperiod"))
    bounds: dict[str, tuple[str, date, date]] = {}
    texts = df.filter(~pl.col("_totperiod")).get_column("_period").unique(maintain_order=True)
    for text in texts.to_list():
        try:
            p = Period.parse(text)
        except PeriodError as e:
            at = int((df.get_column("_period") == text).arg_true()[0])
            r = df.row(at, named=True)
            column = period_col or r["_column"]
            raise PeriodError(
                f"{e} ({_where(label, row=r['_row'], column=column, sheet=r['_sheet'])})"
            ) from e
        if period_col is not None and _header(period_col) in ("financial year", "fy"):
            _refuse_across_financial_years(df, text, p, period_col, label)
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
    out = df.join(per, on="_period", how="left", maintain_order="left")
    return out.with_columns(
        pl.when(pl.col("_totperiod"))
        .then(pl.col("_period"))
        .otherwise(pl.col("period"))
        .alias("period")
    )


def _merged_hint(cells: pl.Series) -> str:
    """When the first blank cell sits under a filled one: the likely cause, a spreadsheet's
    merged cells (the label written once for a group of rows), and the fix."""
    i = int(cells.is_null().arg_true()[0])
    if i == 0 or cells[i - 1] is None:
        return ""
    return (
        f" (the row above says {cells[i - 1]!r}: merged cells, written once for a group of "
        "rows? write the value on every row; groomstats does not fill it down)"
    )


def _refuse_across_financial_years(
    df: pl.DataFrame, text: str, p: Period, column: str, label: str
) -> None:
    """A period in a column headed 'Financial Year' must be financial years or lie inside one
    (a quarter, a month): '2023' there is a calendar year, which the header contradicts."""

    def fy(d: date) -> int:
        return d.year if d.month >= 4 else d.year - 1

    whole = p.start.month == 4 and p.start.day == 1 and p.end.month == 3 and p.end.day == 31
    if whole or fy(p.start) == fy(p.end):
        return
    r = df.row(int((df.get_column("_period") == text).arg_true()[0]), named=True)
    where = _where(label, row=r["_row"], column=column, sheet=r["_sheet"])
    a, b = fy(p.start), fy(p.end)
    spans = " and ".join(f"{y}/{(y + 1) % 100:02d}" for y in range(a, b + 1))
    what = "a calendar year" if p.kind == "calendar_year" else f"the period {p.label}"
    raise PeriodError(
        f"period {text!r} at {where} is {what} ({p.start.isoformat()}..{p.end.isoformat()}), "
        f"not a financial year (April to March), though the column is headed {column!r}: it "
        f"overlaps {spans}; write the financial year, like '{b}/{(b + 1) % 100:02d}', or head "
        "the column 'Period' if the table is by calendar year"
    )


def _overlapping_periods(long: pl.DataFrame, label: str, period_col: str | None) -> str | None:
    """A note when two periods of one table share months (``2023/24`` and calendar ``2023``)
    for the same force: kept (a share per period is sound), but a total over both would count
    the shared months twice, so the report names them (and :func:`groomstats.shares` refuses
    to pool them)."""
    keyed = long.filter(~pl.col("_totperiod") & pl.col("period_start").is_not_null())
    per = keyed.select("period", "period_start", "period_end").unique().sort("period_start")
    spans = per.rows()
    for i, a in enumerate(spans):
        for b in spans[i + 1 :]:
            if not (a[1] <= b[2] and b[1] <= a[2]):
                continue
            fa = keyed.filter(pl.col("period") == a[0]).select("_fkey").unique()
            fb = keyed.filter(pl.col("period") == b[0]).select("_fkey").unique()
            common = fa.join(fb, on="_fkey", how="inner", nulls_equal=True)
            if common.height == 0:
                continue
            who = common.item(0, 0)
            at = []
            for p in (a, b):
                r = keyed.filter(
                    (pl.col("period") == p[0]) & pl.col("_fkey").eq_missing(pl.lit(who))
                ).row(0, named=True)
                column = period_col or r["_column"]
                at.append(
                    f"'{r['_period']}' ({p[1]:%-d %B %Y} to {p[2]:%-d %B %Y}; "
                    f"{_where(label, row=r['_row'], column=column, sheet=r['_sheet'])})"
                )
            return (
                f"overlapping periods for {who}: {at[0]} and {at[1]} share months; both are "
                "kept, but never add them up (shares() refuses to pool them; use "
                "by='period')"
            )
    return None


def _to_long(df: pl.DataFrame, lay: _Layout, label: str, notes: list[str]) -> pl.DataFrame:
    """One entry per cell: force, period text, category values ``_d0`` (``_d1``), the raw cell
    in ``_cell``, where it was (``_row``, ``_column``, ``_sheet``) and which dimensions are
    totals (``_tot_fkey``, ``_tot_d0``, ``_tot_d1``; ``_totperiod`` later)."""
    keep = ["force", "force_code", "_fkey", "_tot_fkey", "_area", "_period", "_row", "_sheet"]
    row_dims = [
        pl.col(c).cast(pl.String).str.strip_chars().alias(f"_d{i}")
        for i, c in enumerate(lay.row_dims)
    ]
    one_cell = len(lay.value_cols) == 1 and len(lay.row_dims) == len(lay.names)
    if one_cell and not lay.total_cols and not lay.period_in_header:
        long = df.select(  # long layout: one cell per row
            *keep,
            *row_dims,
            pl.col(lay.value_cols[0]).cast(pl.String).alias("_cell"),
            pl.lit(lay.value_cols[0]).alias("_column"),
        )
        header_dim = None
    else:
        cols = [*lay.value_cols, *lay.total_cols]
        header_dim = "_period" if lay.period_in_header else f"_d{len(lay.row_dims)}"
        index = [c for c in keep if not (lay.period_in_header and c == "_period")]
        long = (
            df.select(*index, *row_dims, *[pl.col(c).cast(pl.String) for c in cols])
            .with_row_index("_order")
            .unpivot(
                index=["_order", *index, *[f"_d{i}" for i in range(len(row_dims))]],
                on=cols,
                variable_name="_column",
                value_name="_cell",
            )
            .sort("_order", maintain_order=True)
            .drop("_order")
            .with_columns(pl.col("_column").str.replace(LABEL_MARK, "").alias(header_dim))
        )
    headers = [*lay.value_cols, *lay.total_cols]
    strip_marks(pl.Series("h", headers, pl.String), "column", notes)  # noted only
    for i in range(len(lay.row_dims)):
        long = long.with_columns(strip_marks(long.get_column(f"_d{i}"), lay.names[i], notes))
        long = long.with_columns(_one_spelling(long.get_column(f"_d{i}"), lay.names[i], notes))
        _refuse_date_labels(long, f"_d{i}", lay.names[i], lay.row_dims[i], label)
    if header_dim is not None and header_dim != "_period":  # categories across the columns
        _refuse_date_labels(long, header_dim, lay.names[-1], None, label)
    for i, c in enumerate(lay.row_dims):
        missing = long.get_column(f"_d{i}").is_null() | (long.get_column(f"_d{i}") == "")
        if missing.any():
            raise _first_bad(
                long,
                f"_d{i}",
                missing,
                label,
                c,
                "missing category value",
                f"every row needs a {lay.names[i]}",
            )
    flags = []
    for i in range(len(lay.names)):
        col = f"_d{i}"
        if col == header_dim:
            flags.append(pl.col("_column").is_in(lay.total_cols).alias(f"_tot{col}"))
        else:
            flags.append(is_total_label(pl.col(col)).fill_null(False).alias(f"_tot{col}"))
    long = long.with_columns(flags)
    if lay.period_in_header:
        long = long.with_columns(
            pl.when(pl.col("_column").is_in(lay.total_cols))
            .then(pl.lit("Total"))
            .otherwise(pl.col("_period"))
            .alias("_period")
        )
    return long


def _parse_cells(long: pl.DataFrame, label: str, notes: list[str]) -> pl.DataFrame:
    """``*`` (and ``[c]``, ``[low]``, ``<5``) suppressed (null, flagged), ``-`` zero, N/a or empty
    and the other markers of a figure not given (``..``, ``:``, ``x``, ``[x]``, ``[z]``) not
    provided (null); a number with a status flag (``12 [r]``) is the number, noted."""
    cell, flags = split_flags(long.get_column("_cell").str.strip_chars())
    meaning = cell.str.to_lowercase().replace_strict(
        MISSING_MARKERS, default=None, return_dtype=pl.String
    )
    below = cell.str.contains(r"^<\s*\d+$").fill_null(False)  # '<5': fewer than 5, not given
    suppressed = (meaning == "suppressed").fill_null(False) | below
    zero = cell.is_in(["-", "\u2013", "\u2014"]).fill_null(False)
    not_provided = (
        cell.is_null() | (cell == "") | cell.str.to_lowercase().is_in(list(_NOT_PROVIDED))
    ).fill_null(True) | meaning.is_in(["not available", "not applicable"]).fill_null(False)
    counts = whole_numbers(cell)
    negative = (counts < 0).fill_null(False)
    bad = (counts.is_null() & ~suppressed & ~zero & ~not_provided) | negative
    if bad.any():
        at = int(bad.arg_true()[0])
        r = long.row(at, named=True)
        what = "negative count" if negative[at] else "non-numeric count"
        fix = (
            "a breakdown counts offences, so a count cannot be below 0"
            if negative[at]
            else count_fix(r["_cell"], _CELL_FIX)
        )
        raise DataFormatError(
            f"{what} {r['_cell']!r} at "
            f"{_where(label, row=r['_row'], column=r['_column'], sheet=r['_sheet'])}; {fix}"
        )
    notes.extend(flag_notes(flags, "cell"))
    if below.any():
        shown = ", ".join(repr(t) for t in cell.filter(below).unique(maintain_order=True).head(3))
        notes.append(f"{int(below.sum()):,} cell(s) given as a bound ({shown}) kept as suppressed")
    for what in ("not applicable",):
        hit = (meaning == what).fill_null(False)
        if hit.any():
            notes.append(f"{int(hit.sum()):,} cell(s) {what} ('[z]') kept as null, not 0")
    offences = pl.when(zero).then(0).otherwise(counts)
    return long.with_columns(
        pl.Series("offences", long.select(offences).to_series(), pl.Int64),
        suppressed.alias("suppressed"),
    )


_CELL_FIX = (
    "counts must be whole numbers (thousands separated in groups of three: '1,234'), '*' "
    "(suppressed), '-' (zero) or 'N/a' (not provided)"
)


def _cell_notes(parts: pl.DataFrame, notes: list[str]) -> None:
    n_sup = int(parts.get_column("suppressed").sum())
    not_given = parts.filter(pl.col("offences").is_null() & ~pl.col("suppressed"))["_cell"]
    if n_sup:
        marks = parts.filter(pl.col("suppressed")).get_column("_cell").str.strip_chars()
        shown = ", ".join(repr(m) for m in marks.unique(maintain_order=True).head(4).to_list())
        notes.append(f"{n_sup:,} suppressed cell(s) ({shown}) kept as null with suppressed=True")
    if not_given.len():
        notes.append(
            f"{not_given.len():,} cell(s) not provided ({missing_said(not_given)}) kept as null"
        )


def _refuse_duplicates(out: pl.DataFrame, names: tuple[str, ...], label: str) -> None:
    key = ["force", "period", *[f"_d{i}" for i in range(len(names))]]
    dup = out.select(pl.struct(key).is_duplicated()).to_series()
    if not dup.any():
        return
    rows = out.filter(dup)
    first = rows.row(0, named=True)
    same = rows.filter(pl.all_horizontal([pl.col(k).eq_missing(pl.lit(first[k])) for k in key]))
    locs = [
        _where(label, row=r["_row"], sheet=r["_sheet"]) for r in same.head(2).iter_rows(named=True)
    ]
    what = " x ".join(f"{n} '{first[f'_d{i}']}'" for i, n in enumerate(names))
    raise DataFormatError(
        f"duplicate row: {first['force']} {first['period']} {what} appears at {locs[0]} and at "
        f"{locs[1]}; remove the repeat"
    )

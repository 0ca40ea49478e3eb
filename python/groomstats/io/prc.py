"""Reader for the Home Office police recorded crime open data tables (:func:`read_prc`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal, overload

import polars as pl

from groomstats._util import _label, _where, as_polars
from groomstats.areas import _force_frame, _match_column, check_force_codes, force_code_column
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
)
from groomstats.io import editions
from groomstats.io._codes import read_numeric_codes
from groomstats.io._sheets import (
    _FY_SHEET,
    _PATH_OR_FRAME,
    MISSING_MARKERS,
    RowReport,
    _choose_sheets,
    _first_bad,
    _grid_to_table,
    _is_frame,
    _is_sheet_file,
    _map_headers,
    _norm_header,
    _sheet_grid,
    _sheet_reader,
    _source_path,
    count_fix,
    csv_table,
    expand_pattern,
    flag_notes,
    looks_like,
    missing_said,
    not_this_kind,
    repeated_headers,
    say_kind,
    split_flags,
    strip_marks,
    trailing_notes,
    whole_numbers,
)
from groomstats.io._totals import (
    TOTAL_LABELS,
    area_of_forces,
    area_total_labels,
    warn_mismatches,
)

__all__ = ["NA_TOKENS", "PRC_HEADERS", "PRC_SCHEMA", "read_prc"]

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
    "edition": pl.Date,
}

#: Cells meaning "not available": kept as null and counted in the report's notes (the other
#: markers of a count not given, suppressed or not applicable: ``MISSING_MARKERS``).
NA_TOKENS = tuple(k for k, v in MISSING_MARKERS.items() if v == "not available")


def _prc_table(
    df: pl.DataFrame,
    label: str,
    sheet: str | None,
    first_row: int,
    notes: list[str],
    numbers: Callable[[int], pl.Series] | None = None,
) -> pl.DataFrame:
    """The table's columns under their tidy names, as text, with ``_row`` and ``_sheet``;
    offence codes stored as numbers read by :func:`~groomstats.io._codes.read_numeric_codes`
    (``numbers(j)``: True where the cells of column ``j`` of ``df`` were numbers)."""
    mapping, extra = _map_headers(df.columns, PRC_HEADERS, label, sheet, _PRC_KIND)
    _refuse_disagreeing_copies(df, mapping, extra, label, sheet, first_row)
    where = f"sheet '{sheet}'" if sheet else f"'{label}'"
    code_col = force_code_column(df, extra)
    if code_col is not None:  # checked against the force names after matching
        extra = [c for c in extra if c != code_col]
        notes.append(f"force codes in column '{code_col}' of {where} checked against the names")
    if extra:
        notes.append(f"ignored extra column(s) in {where}: {', '.join(repr(c) for c in extra)}")
    table = df.select(
        *[pl.col(mapping[t]).cast(pl.String).alias(t) for t in PRC_HEADERS],
        (
            pl.col(code_col).cast(pl.String).str.strip_chars()
            if code_col is not None
            else pl.lit(None, pl.String)
        ).alias("_fcode"),
        pl.lit(code_col, pl.String).alias("_fcode_col"),
    ).with_columns(
        pl.int_range(first_row, first_row + df.height, dtype=pl.Int64).alias("_row"),
        pl.lit(sheet, dtype=pl.String).alias("_sheet"),
    )
    j = df.columns.index(mapping["offence_code"])
    stored = None if numbers is None else (lambda: numbers(j))
    return read_numeric_codes(table, label, PRC_HEADERS["offence_code"], notes, stored)


def _refuse_disagreeing_copies(
    df: pl.DataFrame,
    mapping: dict[str, str],
    extra: list[str],
    label: str,
    sheet: str | None,
    first_row: int,
) -> None:
    """A stray second column under one of the table's headers (the real 2013/14 sheet repeats
    three, empty) is ignored; one holding whole numbers that differ from the first column's is
    two readings of the same figures, refused: which is the count?"""
    for c in extra:
        base = re.sub(r"_duplicated_\d+$", "", c)
        tidy = next(
            (t for t, h in PRC_HEADERS.items() if _norm_header(h) == _norm_header(base)), None
        )
        if tidy is None:
            continue
        main = df.get_column(mapping[tidy]).cast(pl.String)
        copy = df.get_column(c).cast(pl.String)
        stray = whole_numbers(copy)
        differ = stray.is_not_null() & stray.ne_missing(whole_numbers(main))
        if not differ.any():
            continue
        i = int(differ.arg_true()[0])
        cols = [df.columns.index(mapping[tidy]) + 1, df.columns.index(c) + 1]
        raise DataFormatError(
            f"the header '{PRC_HEADERS[tidy]}' appears twice in "
            f"{_where(label, row=first_row + i, sheet=sheet)} (columns {cols[0]} and {cols[1]}) "
            f"and the two disagree there: {main[i]!r} in the first, {copy[i]!r} in the second "
            f"({int(differ.sum()):,} row(s) in all). Two readings of the same figures: delete "
            "the stray column, or correct it"
        )


def _float_columns(df: pl.DataFrame) -> Callable[[int], pl.Series]:
    """``numbers`` of :func:`_prc_table` for a frame: every cell of a float column."""
    return lambda j: pl.Series([df.dtypes[j].is_float()] * df.height, dtype=pl.Boolean)


def _number_cells(reader: Any, sheet: str, label: str, skip: int) -> Callable[[int], pl.Series]:
    """``numbers`` of :func:`_prc_table` for a sheet whose table starts ``skip`` rows down:
    the sheet read again with every cell as a whole number (a text cell, even ``4.1``, reads
    as null; a number cell, ``4.1`` too, does not), only when a code needs it."""

    def numbers(j: int) -> pl.Series:
        try:
            grid = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="int")
            col = grid.to_polars().to_series(j)
        except Exception as e:
            raise DataFormatError(f"{_where(label, sheet=sheet)} could not be read: {e}") from e
        out: pl.Series = col.slice(skip).is_not_null()
        return out

    return numbers


def _load_prc_raw(
    source: Any, sheets: str | Sequence[str] | None, label: str, notes: list[str]
) -> pl.DataFrame:
    if _is_frame(source):
        frame = as_polars(source, label)
        df = frame.select(pl.all().cast(pl.String))
        return _prc_table(df, label, None, 1, notes, _float_columns(frame))
    path = _source_path(source, "read_prc", _PATH_OR_FRAME)
    if _is_sheet_file(path):
        reader = _sheet_reader(path, label)
        available = list(reader.sheet_names)
        grids: dict[str, pl.DataFrame] = {}
        seen: list[Any] = []  # the first rows of every sheet, to say what the file is
        if sheets is None and not any(_FY_SHEET.match(n) for n in available):
            # no sheet named like a financial year: the sheets holding the PRC table
            for name in available:
                g = _sheet_grid(reader, name, label)
                rows = [g.row(i) for i in range(min(40, g.height))]
                seen.extend(rows)
                if any(_is_prc_header([_norm_header(v) for v in r]) for r in rows):
                    grids[name] = g
            if grids:
                notes.append(
                    f"no sheet named like a financial year: read {', '.join(map(repr, grids))}, "
                    f"the sheet(s) holding the table (sheets: {', '.join(map(repr, available))})"
                )
        try:
            chosen = list(grids) or _choose_sheets(available, sheets, label, _FY_SHEET)
        except DataFormatError as e:  # another kind of workbook? say which
            raise say_kind(e, seen, "recorded crime") from e
        if sheets is None and not grids:
            notes.extend(_tables_left_unread(reader, available, chosen, label))
        tables = []
        for s in chosen:
            grid = grids[s] if s in grids else _sheet_grid(reader, s, label)
            body, header_row = _grid_to_table(grid, _is_prc_header, label, s, _PRC_WHAT)
            numbers = _number_cells(reader, s, label, header_row)
            tables.append(_prc_table(body, label, s, header_row + 1, notes, numbers))
        return pl.concat(tables, how="vertical")
    if sheets is not None:
        raise GroomstatsError(f"sheets={sheets!r} only applies to ODS/XLSX files, not {label}")
    return _load_prc_csv(path, label, notes)


def _tables_left_unread(
    reader: Any, available: list[str], chosen: list[str], label: str
) -> list[str]:
    """Notes naming the sheets not named like a financial year that hold the table's header
    too ('Sheet1', a copied '2017-18 (2)'): read by name only, their rows would otherwise be
    left out without a word."""
    out = []
    for name in available:
        if name in chosen:
            continue
        try:
            head = reader.load_sheet(name, header_row=None, skip_rows=0, n_rows=40, dtypes="string")
            grid = head.to_polars()
        except Exception:  # a sheet that will not open in part: read it whole
            grid = _sheet_grid(reader, name, label)
        if any(
            _is_prc_header([_norm_header(v) for v in grid.row(i)])
            for i in range(min(40, grid.height))
        ):
            out.append(
                f"sheet '{name}' also holds the table's header but is not named like a financial "
                f"year: not read, its rows are not in the result (read sheets "
                f"{', '.join(map(repr, chosen))}; pass sheets=[...] to choose)"
            )
    return out


def _load_prc_csv(path: Any, label: str, notes: list[str]) -> pl.DataFrame:
    """A CSV: the header on its first row, or below title rows."""

    def other_kind(df: pl.DataFrame, grid: pl.DataFrame) -> None:
        if not looks_like([df.columns]):  # another kind of table below title rows?
            kind = looks_like([grid.row(i) for i in range(min(40, grid.height))])
            if kind is not None and "recorded crime" not in kind:
                header = [str(c) for c in grid.row(_header_at(grid)) if c is not None]
                raise not_this_kind(
                    label, None, _PRC_KIND, list(PRC_HEADERS.values()), header
                ) from None  # raised while the header search fails: not its consequence

    # without a header row found, the table as read: the column check names what is missing
    body, first_row = csv_table(path, label, _is_prc_header, _PRC_WHAT, notes, other_kind)
    return _prc_table(body, label, None, first_row, notes)


_PRC_WHAT = "police recorded crime (Financial Year, Force Name, ...)"
#: What read_prc expects, for the error naming a file of another kind.
_PRC_KIND = "a Home Office police recorded crime table"


def _header_at(grid: pl.DataFrame) -> int:
    """The first grid row that looks like the header of some table groomstats reads."""
    for i in range(min(40, grid.height)):
        if looks_like([grid.row(i)]):
            return i
    return 0


def _is_prc_header(cells: list[str]) -> bool:
    return "force name" in cells and "offence code" in cells


@overload
def read_prc(
    source: Any,
    *,
    sheets: str | Sequence[str] | None = ...,
    territorial_only: bool = ...,
    edition: Any = ...,
    report: Literal[False] = ...,
) -> pl.DataFrame: ...
@overload
def read_prc(
    source: Any,
    *,
    sheets: str | Sequence[str] | None = ...,
    territorial_only: bool = ...,
    edition: Any = ...,
    report: Literal[True],
) -> tuple[pl.DataFrame, RowReport]: ...
def read_prc(
    source: Any,
    *,
    sheets: str | Sequence[str] | None = None,
    territorial_only: bool = False,
    edition: Any = None,
    report: bool = False,
) -> pl.DataFrame | tuple[pl.DataFrame, RowReport]:
    """Read Home Office police recorded crime open data tables into the tidy PRC frame.

    Reads ``prc-pfa-mar2013-onwards-tables-*.ods`` (every financial-year sheet, named like
    ``2017-18`` or ``2024_25``; title rows above the header are skipped), the same tables
    saved as XLSX, or one sheet exported to CSV (gzip allowed); or a list of such files, or a
    pattern naming them (``"editions/prc-*.ods"``: sorted, hidden files never; a directory
    is refused, nothing is globbed unless a pattern is given)
    (several editions, or parts of one), every published figure counted once (see
    :mod:`groomstats.io.editions`). Real quirks are handled:
    numbers padded with spaces, zero written ``-00``, ``N/a`` (kept as null, counted in the
    report), negative adjustments (kept), quoted names with commas, stray extra columns
    (ignored, noted in the report). So are the files users make of them, each said in the
    report: CSVs in Windows-1252 or UTF-16 or separated by ``;`` or tabs, title rows above
    the header and note rows under the table, a header repeated inside the table, the
    official markers of a count not given (``[c]``, ``[x]``, ``[z]``, ``[low]``, ``*``, ``..``:
    null, never 0) and status flags (``45 [r]``: the number), footnote marks on labels
    (``Kent [note 2]``), ``Total``, ``England and Wales``, region and nation rows (checked
    against their forces and left out: never counted as a force). Ambiguous cells are
    refused listing their readings (``1.000``: 1 or 1,000; ``123 [x]``; a lone ``-``; a
    calendar year in the Financial Year column). Offence codes stored as numbers (a number
    cell, a float column, a CSV written from one: ``88.0``) are read as codes: ``88.0`` is
    ``88``; a number such as ``4.1`` may be the code ``4.1`` or ``4.10`` (a number drops the
    zero) and is read by its description against the shipped Home Office table (the code it
    gives that description to, alone), or refused listing both readings (store the column as
    text).

    Parameters
    ----------
    source : path, DataFrame, or list of them
        A ``.csv``/``.csv.gz``, ``.ods`` or ``.xlsx`` file, or a frame with the original
        headers; or a list of these. Rows of several files giving the same figure (financial
        year, quarter, force, offence code) are counted once: identical rows or the same
        edition read twice are kept once; of different editions the latest wins and the rows
        it replaced are counted in the report (``superseded by the edition of ...``). Different
        figures of the same (or an unknown) edition raise :class:`DataFormatError`.
    sheets : str or list of str, optional
        Spreadsheet sheets to read; default every sheet named like a financial year.
    territorial_only : bool, default False
        Drop the non-territorial bodies (British Transport Police, Action Fraud, CIFAS,
        UK Finance, Financial Fraud Action UK); the dropped rows are counted in the report.
    edition : date or str, or list of them, optional
        The edition (publication date) of the file: a date, ``"DDMMYY"`` or ``"YYYY-MM-DD"``;
        for a list of files one per file (None: from the file name) or one for all. Default:
        the ``DDMMYY`` of the file name (``...-tables-180719.ods`` is 18 July 2019), else null.
    report : bool, default False
        Also return the :class:`RowReport`.

    Returns
    -------
    polars.DataFrame or (polars.DataFrame, RowReport)
        Columns ``financial_year``, ``quarter``, ``period_start``, ``period_end``, ``force``,
        ``force_code``, ``region``, ``territorial``, ``offence_code``, ``offence``,
        ``offence_group``, ``offence_subgroup``, ``offences`` (null where not available),
        ``edition`` (Date, null when unknown), in file order.

    Raises
    ------
    DataFormatError
        Missing or renamed column, non-numeric count, bad year or quarter, duplicate row,
        empty file, unknown sheet, an offence code stored as a number that reads two ways
        — the message names file, sheet, row, column and value.
    UnknownAreaError
        A force name matching nothing known (with the closest suggestion).

    Notes
    -----
    Rows are duplicates when year, quarter, force, offence code and description repeat. The
    Home Office publishes homicide as several rows under the combined code
    ``1/4.1/4.10/4.2``; combined codes (containing ``/``) may therefore repeat. A stray
    second column under one of the table's headers is ignored when empty or equal to the
    first, refused when its numbers differ. Spreadsheet formula cells are read by their
    cached value (what the program that saved the file last computed).

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
    matched = expand_pattern(source)  # 'editions/prc-*.ods': the files it names, sorted
    if matched is not None:
        source = matched
    if isinstance(source, list | tuple):
        return _read_many(
            list(source), sheets, territorial_only=territorial_only, edition=edition, report=report
        )
    label = _label(source)
    notes: list[str] = []
    ed = _edition_of(source, edition)
    raw = _load_prc_raw(source, sheets, label, notes)
    df, excluded = _clean_prc(raw, label, notes, territorial_only=territorial_only, edition=ed)
    rep = RowReport(
        source=str(source) if isinstance(source, str | os.PathLike) else label,
        rows_read=raw.height,
        rows_kept=df.height,
        excluded=excluded,
        notes=tuple(notes),
    )
    return (df, rep) if report else df


def _edition_of(source: Any, edition: Any) -> Any:
    """The edition of one source: ``edition=`` if given, else the file name's ``DDMMYY``."""
    if edition is not None:
        return editions.parse_edition(edition)
    if isinstance(source, str | os.PathLike):
        return editions.edition_from_name(source)
    return None


def _read_many(
    sources: list[Any],
    sheets: str | Sequence[str] | None,
    *,
    territorial_only: bool,
    edition: Any,
    report: bool,
) -> pl.DataFrame | tuple[pl.DataFrame, RowReport]:
    """Several files (or editions) read into one frame, every published figure counted once
    (:func:`groomstats.io.editions.combine`)."""
    if not sources:
        raise GroomstatsError("read_prc: the list of files is empty; pass at least one file")
    if isinstance(edition, list | tuple):
        if len(edition) != len(sources):
            raise GroomstatsError(
                f"read_prc: edition= gives {len(edition)} edition(s) for {len(sources)} files; "
                "give one per file (None for 'from the file name') or a single one for all"
            )
        eds = list(edition)
    else:
        eds = [edition] * len(sources)
    frames, labels, notes = [], [], []
    excluded: dict[str, int] = {}
    rows_read = 0
    for src, ed in zip(sources, eds, strict=True):
        label = _label(src)
        own: list[str] = []
        raw = _load_prc_raw(src, sheets, label, own)
        df, exc = _clean_prc(
            raw,
            label,
            own,
            territorial_only=territorial_only,
            edition=_edition_of(src, ed),
            keep_rows=True,
        )
        rows_read += raw.height
        for why, n in exc.items():
            excluded[why] = excluded.get(why, 0) + n
        notes += [f"{label}: {n}" for n in own]
        frames.append(df)
        labels.append(label)
    combined = editions.combine(frames, labels, excluded, notes)
    out = combined.select(list(PRC_SCHEMA))
    notes.extend(_mixed_editions(out))
    rep = RowReport(
        source=", ".join(
            str(s) if isinstance(s, str | os.PathLike) else lb
            for s, lb in zip(sources, labels, strict=True)
        ),
        rows_read=rows_read,
        rows_kept=out.height,
        excluded=excluded,
        notes=tuple(notes),
    )
    return (out, rep) if report else out


def _mixed_editions(df: pl.DataFrame) -> list[str]:
    """Notes for the financial years whose kept rows come from more than one edition (an
    older edition filling quarters or forces a newer file lacks): a total over such a year
    blends editions, so the report says which rows come from which."""
    mixed = (
        df.group_by("financial_year", "edition")
        .len()
        .filter(
            pl.col("financial_year").is_in(
                df.group_by("financial_year")
                .agg(pl.col("edition").n_unique().alias("_n"))
                .filter(pl.col("_n") > 1)
                .get_column("financial_year")
                .implode()
            )
        )
        .sort("financial_year", "edition", nulls_last=True)
    )
    out = []
    for (year,), part in mixed.group_by("financial_year", maintain_order=True):
        parts = ", ".join(
            f"{n:,} row(s) from {editions.fmt_edition(ed)}"
            for ed, n in part.select("edition", "len").rows()
        )
        out.append(
            f"{year} mixes editions ({parts}): a total over the year blends them; the "
            "edition column says which row comes from which"
        )
    return out


def _clean_prc(
    raw: pl.DataFrame,
    label: str,
    notes: list[str],
    *,
    territorial_only: bool,
    edition: Any = None,
    keep_rows: bool = False,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The cleaning steps, in order; each raises on what it cannot read."""
    excluded: dict[str, int] = {}
    df = _drop_blank_rows(raw, label, excluded, notes)
    _require_keys(df, label)
    df = df.with_columns(  # 'Kent [note 2]', 'Kent*', '2017/18 (p)': the label, noted
        strip_marks(df.get_column("force"), "force", notes),
        strip_marks(df.get_column("financial_year"), "financial year", notes),
        strip_marks(df.get_column("offence_code"), "offence code", notes),
    )
    # '88a' and '88 A' are 88A (a code with a space would miss every filter on 88A);
    # names such as 'UK Finance' kept as written
    code = pl.col("offence_code")
    df = df.with_columns(
        pl.when(code.str.contains(r"^\d[0-9A-Za-z./ ]*$"))
        .then(code.str.replace_all(" ", "", literal=True).str.to_uppercase())
        .otherwise(code)
    )
    # '88A.' or '88A/' (a stray mark after the code) would be an offence of its own, missed by
    # every filter on 88A: refused, the code without the mark offered
    stray = df.get_column("offence_code").str.contains(r"^\d[0-9A-Z./]*[./]$")
    if stray.fill_null(False).any():
        cell = df.filter(stray.fill_null(False)).row(0, named=True)
        bare = re.sub(r"[./]+$", "", cell["offence_code"])
        where = _where(
            label, row=cell["_row"], column=PRC_HEADERS["offence_code"], sheet=cell["_sheet"]
        )
        raise DataFormatError(
            f"offence code {cell['offence_code']!r} at {where} ends in a stray mark: as written "
            f"it is no Home Office code and every filter on {bare!r} would miss the row; write "
            f"{bare!r}"
        )
    df = _parse_financial_year(df, label)
    _check_sheet_years(df, label, notes)
    df = _parse_quarter(df, label)
    df = _parse_counts(df, label, notes)
    labels = [*_TOTAL_FORCES, *area_total_labels()]
    is_total = pl.col("force").str.to_lowercase().is_in(labels).fill_null(False)
    totals, df = df.filter(is_total), df.filter(~is_total)
    if df.height == 0:
        listed = ", ".join(repr(f) for f in totals.get_column("force").unique().head(4))
        raise DataFormatError(
            f"{_where(label)} holds no force rows: every row is a national, regional or total "
            f"row ({listed}), left out as totals, so nothing would be left; give the table by "
            "police force area"
        )
    df = _attach_forces(df, label)
    if totals.height:
        _check_total_rows(df, totals, label, excluded, notes)
    _refuse_duplicates(df, label)
    if territorial_only:
        df = _drop_non_territorial(df, excluded, notes)
    df = _add_period_dates(df).with_columns(pl.lit(edition, dtype=pl.Date).alias("edition"))
    if edition is not None:
        _refuse_figures_after_the_edition(df, edition, label)
    cols = [pl.col(c).cast(t) for c, t in PRC_SCHEMA.items()]
    return df.select(*cols, "_row", "_sheet") if keep_rows else df.select(cols), excluded


def _refuse_figures_after_the_edition(df: pl.DataFrame, edition: Any, label: str) -> None:
    """An edition cannot give figures for a quarter that ended after it was published: such
    a date (a name read as DDMMYY that is not, an ``edition=`` mistyped) would also decide
    which edition's figure wins when files are combined."""
    late = df.filter(pl.col("period_end") >= edition)
    if late.height == 0:
        return
    r = late.sort("period_end", descending=True).row(0, named=True)
    where = _where(label, row=r["_row"], sheet=r["_sheet"])
    q = f"{r['financial_year']} quarter {r['quarter']}"
    raise DataFormatError(
        f"edition {edition:%d %B %Y} of {label!r} is not after the end of {q} "
        f"({r['period_end']:%d %B %Y}), whose figures it gives ({where}): an edition is "
        "published after the quarters it counts. The file name or edition= is not this "
        "edition's release date: pass edition='DDMMYY' (the date on the Home Office page)"
    )


def _drop_blank_rows(
    raw: pl.DataFrame, label: str, excluded: dict[str, int], notes: list[str]
) -> pl.DataFrame:
    """Strip padded cells (empty ones become null); drop rows with nothing in them and the
    note or source lines below the table (both counted in the report)."""
    text = list(PRC_HEADERS)
    df = raw.with_columns([pl.col(c).str.strip_chars().replace("", None).alias(c) for c in text])
    blank = df.select(pl.all_horizontal(pl.col(text).is_null())).to_series()
    if blank.any():
        excluded["blank row"] = int(blank.sum())
        df = df.filter(~blank)
    again = repeated_headers(df, PRC_HEADERS) if df.height else None
    if again is not None and again.any():  # 'cat a.csv b.csv': the second file's header
        rows = df.filter(again).get_column("_row").head(3).to_list()
        excluded["header row repeated inside the table"] = int(again.sum())
        notes.append(
            f"the header row is repeated at row(s) {', '.join(map(str, rows))}: files or "
            "tables joined together? left out (a figure given twice is refused as a duplicate)"
        )
        df = df.filter(~again)
    if df.height:
        note = trailing_notes(df, text)
        if note.any():  # 'Source: Home Office' under the table
            excluded["note row below the table"] = int(note.sum())
            shown = df.filter(note).get_column("financial_year").head(3).to_list()
            notes.append(
                "note row(s) below the table left out: " + "; ".join(repr(t) for t in shown)
            )
            df = df.filter(~note)
    if df.height == 0:
        raise DataFormatError(f"{_where(label)} has no data rows")
    return df


def _require_keys(df: pl.DataFrame, label: str) -> None:
    for c in ("financial_year", "quarter", "offence_code"):
        miss = df.get_column(c).is_null()
        if miss.any():
            raise _first_bad(
                df,
                c,
                miss,
                label,
                PRC_HEADERS[c],
                "missing value",
                "every row needs a financial year, quarter, force and offence code",
            )


def _on_uniques(values: pl.Series, fn: Any) -> pl.Series:
    """``fn`` (a Series -> Series of the same length) run on the distinct values only, mapped
    back: a year or quarter column holds a handful of values over thousands of rows."""
    uniq = values.unique(maintain_order=True)
    table = pl.DataFrame({"_k": uniq, "_v": fn(uniq)})
    return (
        values.to_frame("_k")
        .join(table, on="_k", how="left", maintain_order="left", nulls_equal=True)
        .get_column("_v")
    )


def _parse_financial_year(df: pl.DataFrame, label: str) -> pl.DataFrame:
    """``2017/18`` (also ``2017-18``, ``2017_18``); adds ``_y1``, the first calendar year.
    A calendar year (``2017``) is refused: it is not a financial year, and which one it
    would be is ambiguous."""

    def parse(col: pl.Series) -> pl.Series:
        fy = col.str.replace_all(r"\s*[-_/\u2013\u2014]\s*", "/")
        parts = fy.str.extract_groups(r"^(\d{4})/(\d{2})$")
        y1 = parts.struct.field("1").cast(pl.Int32, strict=False)
        y2 = parts.struct.field("2").cast(pl.Int32, strict=False)
        ok = ~(y1.is_null() | ((y1 + 1) % 100 != y2)).fill_null(True)
        return pl.select(pl.struct(fy=fy, y1=pl.when(ok).then(y1))).to_series()

    parsed = _on_uniques(df.get_column("financial_year"), parse)
    fy, y1 = parsed.struct.field("fy"), parsed.struct.field("y1")
    bad = y1.is_null()
    if bad.any():
        raise _first_bad(
            df,
            "financial_year",
            bad,
            label,
            PRC_HEADERS["financial_year"],
            "financial year",
            _fy_fix(df.get_column("financial_year").filter(bad)[0]),
        )
    return df.with_columns(fy.alias("financial_year"), y1.alias("_y1"))


def _check_sheet_years(df: pl.DataFrame, label: str, notes: list[str]) -> None:
    """A sheet named for a financial year (``2017-18``) holding rows of another year: the
    rows' own year is used, and the report says so (a sheet pasted under the wrong name, or
    rows in the wrong sheet?), naming the first such row."""
    sheet = pl.col("_sheet")
    pattern = r"^\s*(\d{4})\s*[-_/]\s*(\d{2})\s*$"
    sheet_fy = pl.concat_str(
        [sheet.str.extract(pattern, 1), pl.lit("/"), sheet.str.extract(pattern, 2)]
    )
    pairs = df.select("_sheet", "financial_year").unique()  # a few pairs, not every row
    odd = pairs.filter(sheet_fy.is_not_null() & (sheet_fy != pl.col("financial_year")))
    if odd.height == 0:
        return
    bad = df.select(
        pl.struct("_sheet", "financial_year").is_in(
            odd.select(pl.struct(pl.all())).to_series().implode()
        )
    ).to_series()
    for (name,), part in df.filter(bad).group_by("_sheet", maintain_order=True):
        r = part.row(0, named=True)
        years = ", ".join(part.get_column("financial_year").unique(maintain_order=True))
        where = _where(label, row=r["_row"], sheet=r["_sheet"])
        notes.append(
            f"sheet '{name}' holds {part.height:,} row(s) of another financial year ({years}; "
            f"first at {where}): each row's own Financial Year is used; check the sheet is "
            "not misnamed"
        )


def _fy_fix(value: object) -> str:
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        y = int(text)
        return (
            f"'{text}' is a calendar year, not a financial year (April to March): it overlaps "
            f"{y - 1}/{str(y)[2:]} and {y}/{str(y + 1)[2:]}; write the financial year, "
            "like '2017/18'"
        )
    return "write it like '2017/18'"


def _parse_quarter(df: pl.DataFrame, label: str) -> pl.DataFrame:
    q = _on_uniques(
        df.get_column("quarter"),
        lambda u: (
            u.str.replace(r"^[Qq]\s*", "").str.replace(r"\.0+$", "").cast(pl.Int8, strict=False)
        ),
    )
    bad = (q.is_null() | (q < 1) | (q > 4)).fill_null(True)
    if bad.any():
        raise _first_bad(
            df,
            "quarter",
            bad,
            label,
            PRC_HEADERS["quarter"],
            "quarter",
            "financial quarters are 1-4 (1 = April-June)",
        )
    return df.with_columns(q.alias("quarter"))


def _parse_counts(df: pl.DataFrame, label: str, notes: list[str]) -> pl.DataFrame:
    """'-00' is zero; N/a and the other markers of a count not given (``..``, ``[x]``,
    ``[c]``, ``*``, ...: :data:`~groomstats.io._sheets.MISSING_MARKERS`) are null, counted by
    meaning in the notes; a number with a status flag (``45 [r]``) is the number, noted;
    integers may be padded or written '59.0'."""
    v = df.get_column("offences")
    counts = whole_numbers(v)
    not_given = v.filter(v.is_null())  # the cells of counts not available, as written
    marked: list[str] = []
    odd = (counts.is_null() & v.is_not_null()).arg_true()  # markers, flags or bad cells
    if odd.len():
        text, flags = split_flags(v.gather(odd))
        meaning = text.str.to_lowercase().replace_strict(
            MISSING_MARKERS, default=None, return_dtype=pl.String
        )
        sub = whole_numbers(text)
        bad_sub = (sub.is_null() & meaning.is_null()).fill_null(False)
        if bad_sub.any():
            first = int(odd[int(bad_sub.arg_true()[0])])
            bad = pl.Series(range(df.height)) == first
            raise _first_bad(
                df,
                "offences",
                bad,
                label,
                PRC_HEADERS["offences"],
                "non-numeric count",
                count_fix(v[first], _COUNT_FIX),
            )
        counts = counts.scatter(odd, sub)
        not_given = not_given.append(text.filter((meaning == "not available").fill_null(False)))
        for what in ("suppressed", "not applicable"):
            hit = (meaning == what).fill_null(False)
            if hit.any():
                shown = ", ".join(repr(t) for t in text.filter(hit).unique(maintain_order=True))
                marked.append(f"{int(hit.sum()):,} count(s) {what} ({shown}) kept as null, not 0")
        marked.extend(flag_notes(flags))
    if not_given.len():
        notes.append(
            f"{not_given.len():,} count(s) not available ({missing_said(not_given)}) kept as null"
        )
    notes.extend(marked)
    n_neg = int((counts < 0).fill_null(False).sum())
    if n_neg:
        notes.append(f"{n_neg:,} negative count(s) (adjustments) kept")
    return df.with_columns(counts.alias("offences"))


_COUNT_FIX = (
    "counts must be whole numbers, thousands separated in groups of three "
    "('1,234'; '-00' = 0, 'N/a' = not available)"
)


def _attach_forces(df: pl.DataFrame, label: str) -> pl.DataFrame:
    """Canonical force name, code, region and territorial flag from the force reference; a
    column of force codes beside the names is checked against them."""
    idx = _match_column(
        df.get_column("force"),
        df.get_column("_row"),
        df.get_column("_sheet"),
        label,
        PRC_HEADERS["force"],
    )
    ref = _force_frame().drop("nation").rename({"force": "_canonical"}).with_row_index("_idx")
    out = (
        df.with_columns(idx.alias("_idx"), pl.col("force").alias("_given"))
        .join(ref, on="_idx", how="left", maintain_order="left")
        .with_columns(pl.col("_canonical").alias("force"))
    )
    if "_fcode" in out.columns and out.get_column("_fcode").is_not_null().any():
        col = out.filter(pl.col("_fcode").is_not_null()).get_column("_fcode_col")[0]
        check_force_codes(out, str(col), PRC_HEADERS["force"], label, given="_given")
    return out


#: Force-column labels of a row totalling the forces (checked, then left out).
_TOTAL_FORCES = (
    *TOTAL_LABELS,
    "england and wales",
    "england & wales",
    "all forces",
    "all police forces",
)


def _check_total_rows(
    df: pl.DataFrame,
    totals: pl.DataFrame,
    label: str,
    excluded: dict[str, int],
    notes: list[str],
) -> None:
    """A ``Total``, ``England and Wales``, region (``South East``) or nation (``Wales``) row
    among the force rows is never kept as a force (it would count offences twice): it is
    checked against the sum of the force rows it totals for its year, quarter and offence
    (England and Wales: the 43 territorial forces, or every row when the total includes the
    other bodies; a region or nation: its forces), left out and counted in the report; a
    total that is not that sum warns with the figures."""
    key = ["financial_year", "quarter", "offence_code", "offence"]
    sums = df.group_by(key).agg(
        pl.col("offences").filter(pl.col("territorial")).sum().alias("_terr"),
        pl.col("offences").sum().alias("_all"),
        pl.col("offences").null_count().alias("_na"),
    )
    scoped = area_of_forces(df.drop("_reg", "_nat", strict=False))
    parts = [
        scoped.filter(pl.col(c).is_not_null())
        .group_by(*key, c)
        .agg(pl.col("offences").sum().alias("_area"), pl.col("offences").null_count().alias("_ana"))
        .rename({c: "_scope"})
        for c in ("_reg", "_nat")
    ]
    area = pl.concat(parts).unique([*key, "_scope"], keep="first")
    joined = (
        totals.with_columns(pl.col("force").str.to_lowercase().alias("_scope"))
        .join(sums, on=key, how="left", nulls_equal=True, maintain_order="left")
        .join(area, on=[*key, "_scope"], how="left", nulls_equal=True, maintain_order="left")
    )
    checked, unchecked, mismatches = 0, 0, []
    for r in joined.iter_rows(named=True):
        total = r["offences"]
        is_area = r["_scope"] in area_total_labels()
        na = r["_ana"] if is_area else r["_na"]
        if total is None or na is None or na:
            unchecked += 1  # a count not available, or no force row of its year and offence
            continue
        checked += 1
        expected = (r["_area"],) if is_area else (r["_terr"], r["_all"])
        if total in expected:
            continue
        where = _where(label, row=r["_row"], column=PRC_HEADERS["force"], sheet=r["_sheet"])
        sums_said = (
            f"{r['_area']:,} (its forces)"
            if is_area
            else f"{r['_terr']:,} (the territorial forces), {r['_all']:,} (every row)"
        )
        mismatches.append(
            f"'{r['force']}' {total:,} for {r['financial_year']} quarter {r['quarter']} "
            f"offence {r['offence_code']} ({where}) is not the sum of the force rows: {sums_said}"
        )
    excluded["total row (not a force)"] = totals.height
    names = ", ".join(repr(n) for n in totals.get_column("force").unique(maintain_order=True))
    notes.append(
        f"{totals.height:,} total row(s) ({names}) left out, never counted as a force: "
        f"{checked:,} checked against the force rows"
        + (
            f", {unchecked:,} not checkable (a count not available, or no force row to add up)"
            if unchecked
            else ""
        )
    )
    warn_mismatches(
        mismatches,
        "total row(s)",
        "The force rows are kept as published; the total rows are left out",
        notes,
        stacklevel=4,
    )


def _refuse_duplicates(df: pl.DataFrame, label: str) -> None:
    """Year, quarter, force, offence code and description repeated (combined codes may)."""
    key = ["financial_year", "quarter", "force", "offence_code", "offence"]
    dup = df.select(
        pl.struct(key).is_duplicated() & ~pl.col("offence_code").str.contains("/")
    ).to_series()
    if not dup.any():
        return
    rows = df.filter(dup)
    first = rows.row(0, named=True)
    same = rows.filter(pl.all_horizontal([pl.col(k).eq_missing(pl.lit(first[k])) for k in key]))
    locs = [
        _where(label, row=r["_row"], sheet=r["_sheet"]) for r in same.head(2).iter_rows(named=True)
    ]
    raise DataFormatError(
        f"duplicate row: {first['financial_year']} quarter {first['quarter']} "
        f"{first['force']} offence {first['offence_code']} appears at {locs[0]} and at "
        f"{locs[1]} ({rows.height} duplicated rows in all); remove the repeats "
        "(was a sheet or file read twice?)"
    )


def _drop_non_territorial(
    df: pl.DataFrame, excluded: dict[str, int], notes: list[str]
) -> pl.DataFrame:
    keep = df.get_column("territorial")
    n_out = int((~keep).sum())
    if not n_out:
        return df
    excluded["non-territorial body"] = n_out
    bodies = df.filter(~keep).get_column("force").unique(maintain_order=True)
    notes.append(f"non-territorial bodies dropped: {', '.join(bodies.to_list())}")
    return df.filter(keep)


def _add_period_dates(df: pl.DataFrame) -> pl.DataFrame:
    """First and last day of each financial quarter (Q1 = April-June, Q4 = January-March)."""
    month = pl.col("quarter").replace_strict({1: 4, 2: 7, 3: 10, 4: 1}, return_dtype=pl.Int8)
    year = pl.col("_y1") + (pl.col("quarter") == 4).cast(pl.Int32)
    start = pl.date(year, month, 1)
    return df.with_columns(
        start.alias("period_start"),
        start.dt.offset_by("3mo").dt.offset_by("-1d").alias("period_end"),
    )

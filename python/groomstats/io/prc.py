"""Reader for the Home Office police recorded crime open data tables (:func:`read_prc`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Literal, overload

import polars as pl

from groomstats._util import _label, _where, as_polars
from groomstats.areas import _force_frame, _match_column
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
)
from groomstats.io import editions
from groomstats.io._sheets import (
    _FY_SHEET,
    _PATH_OR_FRAME,
    CsvParseError,
    RowReport,
    _choose_sheets,
    _first_bad,
    _grid_to_table,
    _is_frame,
    _is_sheet_file,
    _map_headers,
    _read_csv_strings,
    _sheet_grid,
    _sheet_reader,
    _source_path,
    csv_grid,
    expand_pattern,
    whole_numbers,
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
    if _is_frame(source):
        df = as_polars(source, label).select(pl.all().cast(pl.String))
        return _prc_table(df, label, None, 1, notes)
    path = _source_path(source, "read_prc", _PATH_OR_FRAME)
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
    try:
        df = _read_csv_strings(path, label)
    except CsvParseError:
        # title rows above the header (as in spreadsheets saved to CSV): find the header
        grid = csv_grid(path, label)
        body, header_row = _grid_to_table(
            grid,
            lambda cells: "force name" in cells and "offence code" in cells,
            label,
            None,
            "police recorded crime (Financial Year, Force Name, ...)",
        )
        return _prc_table(body, label, None, header_row + 1, notes)
    return _prc_table(df, label, None, 2, notes)


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
    (ignored, noted in the report).

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
    df = _drop_blank_rows(raw, label, excluded)
    _require_keys(df, label)
    code = pl.col("offence_code")  # '88a' is 88A; names such as 'UK Finance' kept as written
    df = df.with_columns(
        pl.when(code.str.contains(r"^\d[0-9A-Za-z./]*$"))
        .then(code.str.to_uppercase())
        .otherwise(code)
    )
    df = _parse_financial_year(df, label)
    df = _parse_quarter(df, label)
    df = _parse_counts(df, label, notes)
    df = _attach_forces(df, label)
    _refuse_duplicates(df, label)
    if territorial_only:
        df = _drop_non_territorial(df, excluded, notes)
    df = _add_period_dates(df).with_columns(pl.lit(edition, dtype=pl.Date).alias("edition"))
    cols = [pl.col(c).cast(t) for c, t in PRC_SCHEMA.items()]
    return df.select(*cols, "_row", "_sheet") if keep_rows else df.select(cols), excluded


def _drop_blank_rows(raw: pl.DataFrame, label: str, excluded: dict[str, int]) -> pl.DataFrame:
    """Strip padded cells (empty ones become null) and drop rows with nothing in them."""
    text = list(PRC_HEADERS)
    df = raw.with_columns([pl.col(c).str.strip_chars().replace("", None).alias(c) for c in text])
    blank = df.select(pl.all_horizontal(pl.col(text).is_null())).to_series()
    if blank.any():
        excluded["blank row"] = int(blank.sum())
        df = df.filter(~blank)
    if df.height == 0:
        raise DataFormatError(f"{_where(label)} has no data rows")
    return df


def _require_keys(df: pl.DataFrame, label: str) -> None:
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


def _parse_financial_year(df: pl.DataFrame, label: str) -> pl.DataFrame:
    """``2017/18`` (also ``2017-18``, ``2017_18``); adds ``_y1``, the first calendar year."""
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
    return df.with_columns(fy.alias("financial_year"), y1.alias("_y1"))


def _parse_quarter(df: pl.DataFrame, label: str) -> pl.DataFrame:
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
    return df.with_columns(q.alias("quarter"))


def _parse_counts(df: pl.DataFrame, label: str, notes: list[str]) -> pl.DataFrame:
    """'-00' is zero, N/a is null (noted), integers may be padded or written '59.0'."""
    v = df.get_column("offences")
    is_na = v.str.to_lowercase().is_in(list(NA_TOKENS)) | v.is_null()
    counts = whole_numbers(v)
    bad = (counts.is_null() & ~is_na).fill_null(False)
    if bad.any():
        raise _first_bad(
            df.with_columns(pl.col("offences").alias("_value")),
            bad,
            label,
            PRC_HEADERS["offences"],
            "non-numeric count",
            "counts must be whole numbers, thousands separated in groups of three "
            "('1,234'; '-00' = 0, 'N/a' = not available)",
        )
    n_na = int(is_na.sum())
    if n_na:
        notes.append(f"{n_na:,} count(s) not available (N/a or empty) kept as null")
    n_neg = int((counts < 0).fill_null(False).sum())
    if n_neg:
        notes.append(f"{n_neg:,} negative count(s) (adjustments) kept")
    return df.with_columns(counts.alias("offences"))


def _attach_forces(df: pl.DataFrame, label: str) -> pl.DataFrame:
    """Canonical force name, code, region and territorial flag from the force reference."""
    idx = _match_column(
        df.get_column("force"),
        df.get_column("_row"),
        df.get_column("_sheet"),
        label,
        PRC_HEADERS["force"],
    )
    ref = _force_frame().drop("nation").rename({"force": "_canonical"}).with_row_index("_idx")
    return (
        df.with_columns(idx.alias("_idx"))
        .join(ref, on="_idx", how="left", maintain_order="left")
        .with_columns(pl.col("_canonical").alias("force"))
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

"""Reader for the ONS mid-year population estimates, summed per police force area
(:func:`read_population`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, overload

import polars as pl

from groomstats._util import _label, _where
from groomstats.areas import _force_frame, _match_column
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
)
from groomstats.io._sheets import (
    _FY_SHEET,
    RowReport,
    Source,
    _choose_sheets,
    _first_bad,
    _grid_to_table,
    _is_sheet_file,
    _map_headers,
    _read_csv_strings,
    _sheet_grid,
    _sheet_reader,
    _source_path,
    say_kind,
    tidy_header,
    trailing_notes,
    whole_numbers,
)

__all__ = ["POPULATION_SCHEMA", "read_population"]

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

_DEFAULT_BANDS = ("all ages", "0-17", "0-15")
_BAND = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|(\+))?\s*$")
#: Headers of the local authority code and name columns: the ONS sheet's ``Code`` and
#: ``Name``, or a district file's ``lad21_code`` / ``LAD23CD`` and ``lad21_name`` / ``LAD23NM``.
_CODE_HEADER = re.compile(r"code|lad\s?\d{2}\s?(?:code|cd)")
_NAME_HEADER = re.compile(r"name|lad\s?\d{2}\s?(?:name|nm)")
#: A column giving the mid-year of every row (``mid_year``: 2017).
_YEAR_HEADER = re.compile(r"mid\s?year|year")


#: A header compared without case, footnote marks or the underscores of a tidy file
#: (``all_ages`` is ``All ages``): the one helper every reader uses.
_header_key = tidy_header


#: A column of one mid-year's all-ages estimates in the ONS summary sheet MYE4 (``Mid-2019``).
_MID_YEAR_COLUMN = re.compile(r"mid[- ]?(\d{4})")


def _is_estimates_header(cells: list[str]) -> bool:
    keys = [tidy_header(c) for c in cells]
    has_code = any(_CODE_HEADER.fullmatch(k) for k in keys)
    by_year = any(_MID_YEAR_COLUMN.fullmatch(k) for k in keys)
    return bool(keys) and has_code and ("all ages" in keys or by_year)


def _mid_year_columns(columns: list[str]) -> dict[int, str]:
    """The ``Mid-YYYY`` columns of a summary sheet (MYE4: all ages, one column a year)."""
    out: dict[int, str] = {}
    for c in columns:
        m = _MID_YEAR_COLUMN.fullmatch(_header_key(c))
        if m:
            out[int(m.group(1))] = c
    return out


def _one_mid_year(
    table: pl.DataFrame,
    by_year: dict[int, str],
    bands: str | Sequence[str],
    year: int | None,
    label: str,
    sheet_ref: str | None,
) -> tuple[pl.DataFrame, str, int]:
    """A sheet of all-ages estimates, one column a mid-year (ONS MYE4): the column of ``year=``
    (required: the sheet holds many years) serves as the 'All ages' column; only ``all ages``
    can be asked for (the sheet has no ages; the default bands give it alone, noted)."""
    years = sorted(by_year)
    listed = ", ".join(str(y) for y in years)
    if year is None or year not in by_year:
        said = "" if year is None else f"year={year} is not among them; "
        raise DataFormatError(
            f"{_where(label, sheet=sheet_ref)} gives all-ages estimates for mid-{years[0]} to "
            f"mid-{years[-1]}, one column a year: {said}pass year= (one of {listed})"
        )
    wanted = [bands] if isinstance(bands, str) else list(bands)
    if tuple(wanted) != _DEFAULT_BANDS and [" ".join(b.split()).lower() for b in wanted] != [
        "all ages"
    ]:
        raise GroomstatsError(
            f"{_where(label, sheet=sheet_ref)} gives all ages only, no single years of age: "
            f"bands={tuple(wanted)!r} cannot be formed; ask for bands=('all ages',), or read the "
            "single-year-of-age sheet (MYE2)"
        )
    return table, by_year[year], year


def _parse_bands(
    bands: str | Sequence[str], ages: dict[int, str], top: int | None, all_col: str
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
            out.append(("all ages", [all_col]))  # the sum of the single years when they cover all
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
        if hi is None and top is None:
            raise GroomstatsError(
                f"age band {b!r} needs every age from {lo} up, but the file holds single years "
                f"0-{max_single} only (no open top age such as '90+'); ask for a band within "
                f"0-{max_single}, or 'all ages'"
            )
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


def _population_grid(workbook: Any, sheet: str, label: str, notes: list[str]) -> pl.DataFrame:
    path = _source_path(
        workbook, "read_population", "a path to the ONS workbook (.xlsx) or a CSV of its sheet"
    )
    if _is_sheet_file(path):
        reader = _sheet_reader(path, label)
        _choose_sheets(list(reader.sheet_names), sheet, label, _FY_SHEET)
        return _sheet_grid(reader, sheet, label)
    return _read_csv_strings(path, label, has_header=False, notes=notes)


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
    bands: str | Sequence[str] = _DEFAULT_BANDS,
    sheet: str = "MYE2 - Persons",
    year: int | None = None,
    report: bool = False,
) -> pl.DataFrame | tuple[pl.DataFrame, RowReport]:
    """Read ONS mid-year population estimates and sum them per police force area.

    Reads the single-year-of-age table by local authority (sheet ``MYE2 - Persons`` of the
    ONS workbook: title rows, then ``Code, Name, Geography, All ages, 0, 1, ..., 89, 90+``)
    from the ``.xlsx`` or from a CSV export of that sheet (gzip allowed), or a district file
    of the same figures in tidy form (``mid_year, lad23_code, lad23_name, all_ages, 0, ...,
    17``: no Geography column, single years 0-17 only, ``all ages`` then read from its
    column and bands above 17 refused; a ``mid_year`` column must agree with the year).
    The ONS summary sheet ``MYE4`` (all ages, one ``Mid-YYYY`` column a year) is read too:
    ``year=`` picks the column (required) and only ``"all ages"`` can be asked for.
    Districts abolished since the estimates were made (mergers inside one force area, 2020-2023:
    Buckinghamshire, Northamptonshire, Cumbria, North Yorkshire, Somerset) are summed into
    their successor's force area when the lookup is of the later vintage (said in the report;
    a file holding a successor and its predecessors, or only some of them, is refused). And
    the ONS
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
        file name. A title and file name naming different years are refused as ambiguous
        (pass ``year=``); a ``year=`` other than the year of the sheet title is refused.
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
    >>> from groomstats import datasets
    >>> pop = groomstats.read_population(datasets.path("population_sheet"),
    ...                                  datasets.path("lad_pfa_lookup"))
    >>> pop.filter(pop["force"] == "City of London").select("age_band", "population").rows()
    [('all ages', 13462), ('0-17', 642), ('0-15', 575)]
    """
    label = _label(workbook)
    lookup_label = _label(lookup)
    read_notes: list[str] = []
    grid = _population_grid(workbook, sheet, label, read_notes)
    sheet_ref = sheet if _is_sheet_file(Path(workbook)) else None
    title = " ".join(str(v) for v in grid.row(0) if v is not None) if grid.height else ""
    try:
        table, header_row = _grid_to_table(
            grid,
            _is_estimates_header,
            label,
            sheet_ref,
            "the ONS mid-year estimates (Code, Name, Geography, All ages, 0, 1, ...)",
        )
    except DataFormatError as e:  # another kind of table? say which
        rows = [grid.row(i) for i in range(min(40, grid.height))]
        raise say_kind(e, rows, "population estimates") from e
    mapping = _key_headers(table.columns, label, sheet_ref)
    by_year = _mid_year_columns(table.columns)
    if by_year and not any(_header_key(c) == "all ages" for c in table.columns):
        table, all_col, year = _one_mid_year(table, by_year, bands, year, label, sheet_ref)
        ages: dict[int, str] = {}
        top: int | None = None
        bands_cols = [("all ages", [all_col])]
        read_notes.append(
            f"all ages for mid-{year} read from the column '{by_year[year]}' of a sheet of "
            f"mid-{min(by_year)} to mid-{max(by_year)} (no single years of age)"
        )
    else:
        year = _estimates_year(title, label, sheet_ref, year, _year_column(table, mapping, label))
        ages, top, all_col = _age_columns(table, label, sheet_ref)
        bands_cols = _parse_bands(bands, ages, top, all_col)
    if top is None and ages:
        read_notes.append(
            f"single years of age 0-{max(ages)} only (no open top age): 'all ages' read from "
            f"the column '{all_col}'"
        )

    df = table.with_columns(
        pl.int_range(header_row + 1, header_row + 1 + table.height, dtype=pl.Int64).alias("_row"),
        pl.lit(sheet_ref, dtype=pl.String).alias("_sheet"),
        pl.col(mapping["code"]).str.strip_chars().alias("_code"),
        (
            pl.col(mapping["geography"]).str.strip_chars()
            if "geography" in mapping
            else pl.lit(None, pl.String)
        ).alias("_geo"),
    )
    rows_read = df.height
    excluded: dict[str, int] = {}
    blank = df.get_column("_code").is_null() | (df.get_column("_code") == "")
    blank = blank | trailing_notes(df, table.columns)  # 'Source: ONS' under the table
    if blank.any():
        excluded["blank or note row"] = int(blank.sum())
        df = df.filter(~blank)
    if df.height == 0:
        raise DataFormatError(f"{_where(label, sheet=sheet_ref)} has no data rows")
    df = _parse_estimates(df, ages, all_col, label, top)
    _refuse_repeated_areas(df, mapping["name"], label, sheet_ref)

    lk = _read_lookup(lookup, lookup_label, read_notes)
    lk = _with_abolished_districts(df, lk, mapping["name"], label, lookup_label, read_notes)
    df = _keep_local_authorities(df, lk, mapping["name"], excluded, label, lookup_label, sheet_ref)
    pfa = _force_areas(lk, lookup_label)
    out = _sum_bands(df, lk, pfa, bands_cols, year)
    rep = RowReport(
        source=str(workbook),
        rows_read=rows_read,
        rows_kept=df.height,
        excluded=excluded,
        notes=(
            *read_notes,
            f"{df.height} local authorities summed into {pfa.height} police force areas "
            f"using '{lookup_label}'",
        ),
    )
    return (out, rep) if report else out


def _key_headers(columns: list[str], label: str, sheet_ref: str | None) -> dict[str, str]:
    """The code, name and (optional) geography columns: ``Code, Name, Geography`` of the ONS
    sheet, or ``lad21_code, lad21_name`` of a district file (no geography column)."""
    keys = {c: _header_key(c) for c in columns}
    code = next((c for c, k in keys.items() if k == "code"), None) or next(
        (c for c, k in keys.items() if _CODE_HEADER.fullmatch(k)), None
    )
    name = next((c for c, k in keys.items() if k == "name"), None) or next(
        (c for c, k in keys.items() if _NAME_HEADER.fullmatch(k)), None
    )
    if code is not None and name is not None:
        mapping = {"code": code, "name": name}
        geo = next((c for c, k in keys.items() if k == "geography"), None)
        return mapping if geo is None else {**mapping, "geography": geo}
    mapping, _extra = _map_headers(
        columns, {"code": "Code", "name": "Name", "geography": "Geography"}, label, sheet_ref
    )
    return mapping  # pragma: no cover - _map_headers raises, naming what is missing


def _year_column(table: pl.DataFrame, mapping: dict[str, str], label: str) -> int | None:
    """The mid-year a ``mid_year`` column gives every row (a district file), or None; a column
    naming several years is refused (one table, one year of estimates)."""
    col = next((c for c in table.columns if _YEAR_HEADER.fullmatch(_header_key(c))), None)
    if col is None:
        return None
    years = (
        table.filter(pl.col(mapping["code"]).str.strip_chars().ne(""))
        .get_column(col)
        .str.strip_chars()
        .str.replace(r"\.0+$", "")
        .drop_nulls()
        .unique()
        .sort()
    )
    if years.len() == 0:
        return None
    if years.len() > 1 or not re.fullmatch(r"\d{4}", years[0]):
        listed = ", ".join(repr(y) for y in years.head(5).to_list())
        raise DataFormatError(
            f"{_where(label, column=col)} gives the year(s) {listed}: one table of estimates "
            "holds one mid-year; give each year's estimates as its own file"
        )
    return int(years[0])


def _estimates_year(
    title: str,
    label: str,
    sheet_ref: str | None,
    given: int | None,
    in_column: int | None = None,
) -> int:
    """The year of the estimates, from the sheet title ("..., mid-2023") or the file name,
    checked against ``year=`` when given.

    A title or file name naming several years ("mid-2011 to mid-2023"), or a title and a
    file name naming different years, is ambiguous: the error lists the years and asks for
    ``year=``. A ``year=`` that contradicts the title is refused: the rates would name the
    wrong population year."""
    found: list[tuple[int, str]] = []
    for text, pattern, where in (
        (title, r"mid[-_ ]?(\d{4})", "sheet title"),
        (label, r"(?:mid|june)[-_ ]?(\d{4})", "file name"),
    ):
        years = sorted({int(y) for y in re.findall(pattern, text, re.I)})
        if len(years) > 1 and given not in years:
            listed = ", ".join(f"mid-{y}" for y in years)
            raise DataFormatError(
                f"{_where(label, sheet=sheet_ref)}: the {where} names several years "
                f"({listed}), so the year of these estimates is ambiguous; pass year= "
                f"(one of {', '.join(str(y) for y in years)})"
            )
        if len(years) == 1:
            found.append((years[0], where))
    if in_column is not None:
        found.append((in_column, "mid-year column"))
    if given is not None:
        for y, where in found:
            if where != "file name" and y != given:
                raise DataFormatError(
                    f"{_where(label, sheet=sheet_ref)}: year={given} but the {where} says "
                    f"mid-{y}; a rate must name the year of its population: pass "
                    f"year={y}, or the workbook of mid-{given}"
                )
        return given
    if len({y for y, _ in found}) > 1:
        readings = " and ".join(f"the {w} says mid-{y}" for y, w in found)
        raise DataFormatError(
            f"{_where(label, sheet=sheet_ref)}: {readings}, so the year of these estimates "
            f"is ambiguous; pass year= (one of {', '.join(str(y) for y, _ in found)})"
        )
    if found:
        return found[0][0]
    raise DataFormatError(
        f"{_where(label, sheet=sheet_ref)}: cannot tell the year of the estimates "
        "from the title or the file name; pass year=2023 (for example)"
    )


def _refuse_repeated_areas(
    df: pl.DataFrame, name_col: str, label: str, sheet_ref: str | None
) -> None:
    """A local authority listed twice would be summed twice into its force area."""
    dup = df.get_column("_code").is_duplicated()
    if not dup.any():
        return
    rows = df.filter(dup)
    code = rows.get_column("_code")[0]
    same = rows.filter(pl.col("_code") == code)
    at = " and ".join(str(r) for r in same.get_column("_row").head(2).to_list())
    raise DataFormatError(
        f"local authority {code!r} ({same.get_column(name_col)[0]}) appears twice, at "
        f"{_where(label, sheet=sheet_ref)} rows {at}: summing both would count its people "
        "twice; remove the repeated row"
    )


def _age_columns(
    table: pl.DataFrame, label: str, sheet_ref: str | None
) -> tuple[dict[int, str], int | None, str]:
    """Single-year age columns (age -> header), the open top age ('90+') and 'All ages'."""
    ages: dict[int, str] = {}
    top: int | None = None
    for c in table.columns:  # '0', '1', ..., '90+' (also '90 and over', 'Age 90 plus')
        m = re.fullmatch(r"\s*(?:aged?\s*)?(\d+)\s*(\+|(?:and|&)\s*over|plus)?\s*", c, re.I)
        if m:
            ages[int(m.group(1))] = c
            if m.group(2):
                top = int(m.group(1))
    if not ages or min(ages) != 0 or sorted(ages) != list(range(max(ages) + 1)):
        raise DataFormatError(
            f"{_where(label, sheet=sheet_ref)}: expected single-year age columns 0, 1, 2, ... "
            f"(found {len(ages)} age columns)"
        )
    all_col = next(c for c in table.columns if _header_key(c) == "all ages")
    return ages, top, all_col


def _parse_estimates(
    df: pl.DataFrame, ages: dict[int, str], all_col: str, label: str, top: int | None = 90
) -> pl.DataFrame:
    """Whole non-negative numbers, and 'All ages' equal to the sum of the single years (with
    an open top age such as '90+'), or at least that sum (single years 0-17 only)."""
    num_cols = [all_col, *[ages[a] for a in sorted(ages)]]
    for c in num_cols:
        n = whole_numbers(df.get_column(c))
        bad = n.is_null() | (n < 0).fill_null(True)
        if bad.any():
            raise _first_bad(
                df,
                c,
                bad,
                label,
                c,
                "non-numeric or negative population",
                "population cells must be whole numbers (thousands in groups of three: '1,234')",
            )
        df = df.with_columns(n.alias(c))
    if not ages:  # a sheet of all ages only (MYE4): nothing to add up
        return df
    total = df.select(pl.sum_horizontal([ages[a] for a in sorted(ages)])).to_series()
    if top is None:  # single years 0-17 only: the rest of the people are in 'All ages' alone
        off = total > df.get_column(all_col)
        what = f"'All ages' total below the sum of the single years 0-{max(ages)}:"
    else:
        off = total != df.get_column(all_col)
        what = "'All ages' total that is not the sum of the single years:"
    if off.any():
        raise _first_bad(df, all_col, off, label, all_col, what, "check the sheet was not edited")
    return df


def _keep_local_authorities(
    df: pl.DataFrame,
    lk: pl.DataFrame,
    name_col: str,
    excluded: dict[str, int],
    label: str,
    lookup_label: str,
    sheet_ref: str | None,
) -> pl.DataFrame:
    """Keep the local authorities of the lookup; aggregate geographies are excluded (counted),
    anything else missing on either side raises."""
    in_lookup = df.get_column("_code").is_in(lk.get_column("lad").implode())
    out_rows = df.filter(~in_lookup)
    geo_norm = out_rows.get_column("_geo").str.to_lowercase()
    is_agg = geo_norm.is_in(list(_AGGREGATE_GEOGRAPHIES))
    if (~is_agg.fill_null(False)).any():
        bad = out_rows.filter(~is_agg.fill_null(False)).row(0, named=True)
        raise DataFormatError(
            f"local authority {bad['_code']!r} ({bad[name_col]}) at "
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
    return df


#: The districts abolished by mergers inside one police force area since 2019, with their 2023
#: successor and force area (shipped; see data/SOURCES.md).
CROSSWALK = "predecessor_lad_to_pfa23.csv.gz"


@lru_cache(maxsize=1)
def _abolished_districts() -> pl.DataFrame:
    ref = resources.files("groomstats").joinpath("data").joinpath(CROSSWALK)
    with resources.as_file(ref) as path:
        cw = pl.read_csv(path, infer_schema=False)
    return cw.select(
        pl.col("lad_code").alias("lad"),
        pl.col("lad_name").alias("name"),
        pl.col("successor_lad23_code").alias("successor"),
        pl.col("successor_lad23_name").alias("successor_name"),
        pl.col("pfa23_code").alias("pfa"),
    )


def _with_abolished_districts(
    df: pl.DataFrame,
    lk: pl.DataFrame,
    name_col: str,
    label: str,
    lookup_label: str,
    notes: list[str],
) -> pl.DataFrame:
    """The lookup, extended to the abolished districts of estimates older than it.

    Estimates of mid-2017 to mid-2022 are on the district codes of their year; a 2023 lookup
    has the merged districts instead (Buckinghamshire, the two Northamptonshires, Cumberland,
    Westmorland and Furness, North Yorkshire, Somerset). Every such merger stayed inside one
    police force area, so each abolished district is summed into its successor's force area
    (checked against the lookup), and said in the notes. A file holding a successor and one
    of its predecessors (the same people twice), or only some of a successor's predecessors
    (people missing), is refused."""
    cw = _abolished_districts()
    codes = df.get_column("_code")
    used = cw.filter(
        pl.col("lad").is_in(codes.implode())
        & ~pl.col("lad").is_in(lk.get_column("lad").implode())
        & pl.col("successor").is_in(lk.get_column("lad").implode())
    )
    if used.height == 0:
        return lk
    for r in used.iter_rows(named=True):
        if r["successor"] in set(codes.to_list()):
            at = df.filter(pl.col("_code") == r["lad"]).get_column("_row")[0]
            raise DataFormatError(
                f"local authority {r['lad']!r} ({r['name']}, at {_where(label, row=at)}) was "
                f"merged into {r['successor']!r} ({r['successor_name']}), which the file also "
                "holds: summing both would count the same people twice; give the estimates "
                "of one year, on the district codes of that year"
            )
    successors = used.get_column("successor").unique()
    needed = cw.filter(pl.col("successor").is_in(successors.implode()))
    absent = needed.filter(~pl.col("lad").is_in(codes.implode()))
    if absent.height:
        r = absent.row(0, named=True)
        raise DataFormatError(
            f"{_where(label)} holds some of the districts merged into {r['successor']!r} "
            f"({r['successor_name']}) but not {r['lad']!r} ({r['name']}): its people would be "
            f"missing from the force area; give the complete table of the estimates"
        )
    succ = lk.filter(pl.col("lad").is_in(successors.implode()))
    added = used.join(
        succ.select(
            pl.col("lad").alias("successor"), pl.col("pfa").alias("_lk_pfa"), "pfa_name", "_row"
        ),
        on="successor",
        how="left",
    )
    wrong = added.filter(pl.col("pfa") != pl.col("_lk_pfa"))
    if wrong.height:  # pragma: no cover - every merger stayed inside one force area
        r = wrong.row(0, named=True)
        raise DataFormatError(
            f"district {r['lad']!r} ({r['name']}) belongs to {r['pfa']} by groomstats' "
            f"crosswalk, but its successor {r['successor']!r} is in {r['_lk_pfa']} in "
            f"'{lookup_label}': check the lookup"
        )
    shown = "; ".join(
        f"{r['lad']} {r['name']} -> {r['successor_name']}"
        for r in added.head(4).iter_rows(named=True)
    )
    more = f" and {added.height - 4} more" if added.height > 4 else ""
    notes.append(
        f"{added.height} district(s) abolished since the estimates were made summed into "
        f"the force area of their successor in '{lookup_label}' ({shown}{more}; crosswalk "
        f"groomstats/data/{CROSSWALK})"
    )
    return pl.concat(
        [
            lk.filter(~pl.col("lad").is_in(successors.implode())),
            added.select("lad", "pfa", "pfa_name", pl.col("_row").cast(lk.schema["_row"])),
        ]
    )


def _force_areas(lk: pl.DataFrame, lookup_label: str) -> pl.DataFrame:
    """The police force areas of the lookup, matched to the force reference (codes agree)."""
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
    return pfa


def _sum_bands(
    df: pl.DataFrame,
    lk: pl.DataFrame,
    pfa: pl.DataFrame,
    bands_cols: list[tuple[str, list[str]]],
    year: int,
) -> pl.DataFrame:
    """Sum each age band over the local authorities of each force area (the long frame)."""
    sums = (
        df.join(lk.select("lad", "pfa"), left_on="_code", right_on="lad", how="left")
        .group_by("pfa")
        .agg([pl.sum_horizontal(cols).sum().alias(name) for name, cols in bands_cols])
    )
    order = {name: i for i, (name, _) in enumerate(bands_cols)}
    return (
        sums.unpivot(index="pfa", variable_name="age_band", value_name="population")
        .join(pfa.select("pfa", "force", "region"), on="pfa", how="left")
        .rename({"pfa": "force_code"})
        .with_columns(pl.lit(year).alias("year"))
        .sort(pl.col("force_code"), pl.col("age_band").replace_strict(order))
        .select([pl.col(c).cast(t) for c, t in POPULATION_SCHEMA.items()])
    )


def _read_lookup(lookup: Source, label: str, notes: list[str] | None = None) -> pl.DataFrame:
    if not isinstance(lookup, str | os.PathLike):
        raise DataFormatError(
            f"read_population: expected a path to the LAD -> PFA lookup CSV, "
            f"got {type(lookup).__name__}"
        )
    lk = _read_csv_strings(Path(lookup), label, notes=notes)
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

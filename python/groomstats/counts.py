"""Counting: the 88A filter, totals over windows with their coverage (so an incomplete window
shows as such), and record-level rows turned into counts.

Cheap work (filters, group sums, joins) is done in polars; period logic and coverage in the
Rust core.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, overload

import narwhals.stable.v2 as nw
import numpy as np
import polars as pl

from groomstats import _cells, _core
from groomstats._args import by_columns, renamed
from groomstats._constants import GROOMING_CODE
from groomstats._util import check_option
from groomstats.areas import (
    BTP,
    comparator_label,
    forces_summed,
    non_territorial_names,
    other_nation_expr,
    other_nations_in,
    refuse_total_and_repeated_names,
    rollup_labels,
)
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
)
from groomstats.io._sheets import NULL_WORDS
from groomstats.periods import (
    GRANULARITIES,
    SERIES_BREAK,
    SERIES_COLUMNS,
    Granularity,
    Period,
    check_series_break,
    crosses_series_break,
    may_hold_88a,
    parse_period,
    to_days,
)

__all__ = ["grooming", "totals"]

#: Label of the national roll-up (``by="national"``) over all 43 territorial forces; over fewer,
#: the label names what was summed (:func:`groomstats.areas.comparator_label`).
NATIONAL = "England and Wales"
#: Label of a national roll-up of a frame that names no force.
UNNAMED_TERRITORIAL = "territorial rows of the data (forces not named)"
#: Label of the rows a national or regional roll-up keeps apart.
NON_TERRITORIAL = "Non-territorial bodies"
_PSEUDO = ("national", "nation", "region")
_AREA_KEYS = ("force", "force_code", "area", "region", "nation", "national")
_T = TypeVar("_T")


@overload
def grooming(data: pl.DataFrame, *, allow_series_break: bool = ...) -> pl.DataFrame: ...
@overload
def grooming(data: pl.LazyFrame, *, allow_series_break: bool = ...) -> pl.LazyFrame: ...
@overload
def grooming(data: Any, *, allow_series_break: bool = ...) -> Any: ...


@renamed(df="data")
def grooming(data: Any, *, allow_series_break: bool = False) -> Any:
    """Select the sexual grooming offences (Home Office classification 88A).

    Warns with :class:`~groomstats.SeriesBreakWarning` when the rows span the 1 April 2017
    break (:data:`groomstats._constants.SERIES_BREAK`), after which 88A also holds sexual
    communication with a child (s.15A) and is not comparable with earlier figures.

    Parameters
    ----------
    data : polars DataFrame or LazyFrame, pandas DataFrame, or any frame narwhals supports
        A tidy PRC frame (:func:`read_prc`), or record-level rows with an ``offence_code``.
    allow_series_break : bool, default False
        Silence the warning when you know the series break is crossed.

    Returns
    -------
    polars.DataFrame, or the input's own lazy kind
        The 88A rows: a polars DataFrame for eager input (polars, pandas); for a LazyFrame a
        LazyFrame (nothing collected but the first and last ``period_start`` for the
        series-break check), for a DuckDB relation, Dask or PySpark frame the same kind of
        frame, filtered inside its engine.

    Examples
    --------
    >>> import groomstats
    >>> g = groomstats.grooming(groomstats.datasets.prc())
    >>> g.height, g["offences"].sum()
    (176, 4444)
    """
    what = "grooming()"
    frame = _cells.native(data, what)
    frame.require(["offence_code"])
    if frame.schema["offence_code"] != nw.String:
        raise DataFormatError(
            f"{what}: column 'offence_code' holds {frame.schema['offence_code']}, not text "
            "codes such as '88A'"
        )
    rows = frame.query.filter(_is_grooming_code(nw.col("offence_code")))
    if "period_start" in frame.columns:
        span = _cells.collect(
            frame,
            rows.select(
                nw.col("period_start").min().alias("first"),
                nw.col("period_start").max().alias("last"),
            ),
        )
        if isinstance(span.schema["first"], pl.Datetime):  # pandas frames hold datetimes
            span = span.select(pl.all().dt.date())
        first, last = span.row(0)
        if isinstance(first, date):  # min and max of one column: both dates, or both null
            check_series_break(
                first,
                last,
                allow=allow_series_break,
                refuse=False,
                message=f"88A rows span the series break of {SERIES_BREAK:%d %B %Y}: figures "
                "before it count only meeting a child following grooming (s.15) and are not "
                "comparable with later ones; pass allow_series_break=True if you mean it",
                stacklevel=3,
            )
    if isinstance(data, pl.LazyFrame) or not frame.polars:
        return rows.to_native()  # still lazy: a LazyFrame, a DuckDB relation, ...
    out: pl.DataFrame = rows.to_native().collect()  # in memory already: keep the row order
    _refuse_repeated_figures(out, what)
    return out


def _is_grooming_code(code: nw.Expr) -> nw.Expr:
    """Offence code 88A, whatever its case or padding (``" 88a "`` is 88A)."""
    return code.str.strip_chars().str.to_uppercase() == GROOMING_CODE


def _refuse_repeated_figures(rows: pl.DataFrame, what: str) -> None:
    """Frames read by :func:`groomstats.read_prc` (an ``edition`` column) hold each 88A figure
    once; the same figure twice (frames of two reads stacked) would be counted twice."""
    key = ["financial_year", "quarter", "force"]
    if "edition" not in rows.columns or not all(k in rows.columns for k in key):
        return
    dup = rows.select(pl.struct(key).is_duplicated()).to_series()
    if not dup.any():
        return
    first = rows.filter(dup).row(0, named=True)
    # (filters on expressions only: a Series & Expr mix fails on the polars floor, 1.28)
    eds = (
        rows.filter(dup)
        .filter(
            (pl.col("force") == first["force"])
            & (pl.col("quarter") == first["quarter"])
            & (pl.col("financial_year") == first["financial_year"])
        )
        .get_column("edition")
    )
    # any edition column: Date (read_prc) or the user's own text or numbers
    editions = ", ".join(
        "unknown" if e is None else e.isoformat() if hasattr(e, "isoformat") else str(e)
        for e in eds.to_list()
    )
    raise DataFormatError(
        f"{what}: the 88A figure for {first['force']} {first['financial_year']} quarter "
        f"{first['quarter']} appears {eds.len()} times (editions: {editions}); summing would "
        "count it more than once. Read the files together, read_prc([file1, file2]), which "
        "keeps each figure once (the latest edition), instead of stacking separate reads"
    )


def _territorial_expr(df: pl.DataFrame) -> pl.Expr:
    """True for the 43 territorial forces (from the column, else from the force name)."""
    if "territorial" in df.columns:
        return pl.col("territorial").fill_null(False)
    if "force" in df.columns:
        # cast: a Categorical force column raised polars SchemaError (tests/test_hostile.py)
        force = pl.col("force").cast(pl.String)
        outside = list(other_nations_in(df))  # Police Scotland, the PSNI, in any spelling
        lowered = force.str.strip_chars().str.to_lowercase()
        return ~lowered.is_in(non_territorial_names()) & ~force.is_in(outside)
    if "force_code" in df.columns:
        return pl.col("force_code").is_not_null()
    return pl.lit(True)


def _btp_expr(df: pl.DataFrame) -> pl.Expr:
    if "force" in df.columns:
        return pl.col("force").cast(pl.String).str.strip_chars().str.to_lowercase() == BTP.lower()
    return pl.lit(False)


def _check_series_break(
    prep: _Prepared, windows: Sequence[Period], allow: bool, what: str, refuse: bool
) -> None:
    first, last = min(w.start for w in windows), max(w.end for w in windows)
    if not crosses_series_break(first, last) or (allow and not refuse):
        return
    if not prep.may_hold_88a():
        return
    names = " and ".join(f"'{w.label}'" for w in windows)
    msg = (
        f"{what}: {names} cross(es) the {SERIES_BREAK.isoformat()} break in offence 88A: "
        "from that date it also counts sexual communication with a child (s.15A) and ONS says "
        "figures before and after are not comparable"
    )
    check_series_break(
        min(w.start for w in windows),
        max(w.end for w in windows),
        allow=allow,
        refuse=refuse,
        message=msg
        + (
            ". Pass allow_series_break=True to compare anyway."
            if refuse
            else ". Pass allow_series_break=True to silence this warning."
        ),
        allowed_message=msg + " (allow_series_break=True)" if refuse else None,
        # user -> renamed wrapper -> totals/change -> _with_row_numbers -> run -> here
        stacklevel=6,
    )


#: Columns the roll-ups national / nation / region are derived from (kept as cell keys).
_SOURCES = ("territorial", "force", "force_code", "region")


@dataclass(frozen=True)
class _Prepared:
    """A frame reduced to its cells: one row per ``by`` key and distinct period."""

    cells: pl.DataFrame  # *by, period_start, period_end, __sum, __rows, __known [, __rel_*, __row]
    fine: pl.DataFrame  # the cells before the roll-up columns were derived (source columns)
    by: list[str]
    frame: _cells.Native
    group_keys: pl.DataFrame | None = None  # every by key, when the cells were filtered
    summed: pl.DataFrame | None = None  # region / nation roll-ups: *by, forces_summed
    # when each by group sums several areas (no by column names one): the cells per by key,
    # area and period, and every (by key, area) seen in the data; None otherwise
    area_cells: pl.DataFrame | None = None
    area_keys: pl.DataFrame | None = None
    # the by and source columns (territorial, force, ...) of every row, when the cells were
    # filtered to the windows; else None (fine holds every row)
    all_keys: pl.DataFrame | None = None

    @property
    def areas(self) -> pl.DataFrame:
        """The source columns of every row of the frame, in or out of the windows."""
        return self.fine if self.all_keys is None else self.all_keys

    def may_hold_88a(self) -> bool:
        """Whether the frame may hold England and Wales 88A figures (unknown series are
        assumed to; Police Scotland / PSNI series and other offence codes are not:
        :func:`groomstats.periods.may_hold_88a`). A second query (early-stopping for offence
        codes), run only when a window crosses the series break."""
        if "offence_code" not in self.frame.columns:
            cols = [
                c
                for c in SERIES_COLUMNS
                if c in self.frame.columns and self.frame.schema[c] == nw.String
            ]
            if not cols:
                return True
            values = {
                c: _cells.collect(self.frame, self.frame.query.select(c).unique())
                .get_column(c)
                .to_list()
                for c in cols
            }
            return may_hold_88a(values)
        code = nw.col("offence_code").cast(nw.String)
        hit = (
            self.frame.query.filter(code.str.contains("88"))
            .filter(_is_grooming_code(code))
            .select("offence_code")
            .head(1)
        )
        return _cells.collect(self.frame, hit, streaming=True).height > 0  # stops at the first


def _date_cells(df: pl.DataFrame, name: str, what: str) -> pl.DataFrame:
    """Turn the (distinct) values of a date column of the cells into dates."""
    dtype = df.schema[name]
    if dtype == pl.Date:
        return df
    if isinstance(dtype, pl.Datetime):
        return df.with_columns(pl.col(name).dt.date())
    if dtype == pl.String:
        parsed = df.get_column(name).str.to_date("%Y-%m-%d", strict=False)
        bad = df.get_column(name).is_not_null() & parsed.is_null()
        if bad.any():
            rows = df.filter(bad)
            if "__row" in rows.columns:
                rows = rows.sort("__row")
            first = rows.row(0, named=True)
            where = f"row {first['__row']}" if "__row" in rows.columns else "a row"
            raise DataFormatError(
                f"{what}: column '{name}' {where}: {first[name]!r} is not a date (YYYY-MM-DD)"
            )
        return df.with_columns(parsed.alias(name))
    raise DataFormatError(f"{what}: column '{name}' should hold dates, got {dtype}")


def _labels_to_periods(df: pl.DataFrame, label: str, what: str) -> pl.DataFrame:
    """period_start / period_end of the cells from their period spellings (``2017/18``)."""
    values = df.get_column(label).drop_nulls().unique()
    starts: list[date] = []
    ends: list[date] = []
    for v in values:
        try:
            p = parse_period(v)
        except PeriodError as e:
            raise PeriodError(f"{what}: column '{label}': {e}") from None
        starts.append(p.start)
        ends.append(p.end)
    lookup = pl.DataFrame(
        {label: values, "period_start": starts, "period_end": ends},
        schema={label: pl.String, "period_start": pl.Date, "period_end": pl.Date},
    )
    # a blank label gets no period (and is refused later, naming its row)
    return df.join(lookup, on=label, how="left")


def _overlapping(windows: Sequence[Period], lib: Any) -> Any:
    """Rows overlapping any of ``windows``, or without a period start or end (left for the
    checks that name them): an expression of ``lib`` (polars, or narwhals for the pushdown)."""
    hits = [
        (lib.col("period_end") >= w.start) & (lib.col("period_start") <= w.end) for w in windows
    ]
    # narwhals asks how nulls count; polars' any_horizontal is Kleene's (null or False is null)
    hit = lib.any_horizontal(*hits, ignore_nulls=False) if lib is nw else lib.any_horizontal(*hits)
    return hit | lib.col("period_start").is_null() | lib.col("period_end").is_null()


def _prepare(
    data: Any,
    by: list[str],
    what: str,
    include_btp: bool,
    count: str = "offences",
    *,
    row_numbers: bool = False,
    windows: Sequence[Period] = (),
    sums_forces: bool | None = None,
) -> _Prepared:
    """Reduce the frame to cells in its own engine; add the roll-ups national / nation / region.

    One ``group_by`` over the rows (polars streaming engine, or the frame's engine through
    narwhals), keyed by the ``by`` columns, the columns the roll-ups come from and the period
    columns; everything after works on its small result. For a polars ``LazyFrame`` with
    ``windows`` (and Date period columns), the rows are first filtered to those overlapping a
    window (a filter the scan can push down, e.g. into Parquet row groups) and the groups are
    found by a second query reading only the key columns; rows outside every window are then
    not checked.
    """
    frame = _cells.native(data, what)
    cols = frame.columns
    real = [b for b in by if b not in _PSEUDO or b in cols]
    label = None
    if "period_start" not in cols and "period_end" not in cols:
        label = next((c for c in ("financial_year", "period") if c in cols), None)
        if label is not None and frame.schema[label] != nw.String:
            label = None  # require() then names what is missing
    period_keys = [label] if label is not None else ["period_start", "period_end"]
    if not isinstance(count, str):
        raise GroomstatsError(f"{what}: count={count!r} must name a column, e.g. 'offences'")
    if count in by:
        raise GroomstatsError(f"{what}: count='{count}' is also a by column")
    frame.require([*period_keys, count, *real])
    if not frame.schema[count].is_numeric():
        raise DataFormatError(
            f"{what}: column '{count}' should hold numbers, got {frame.schema[count]}"
        )
    if label is None:
        for name in period_keys:
            dtype = frame.schema[name]
            if not (dtype in (nw.Date, nw.String) or isinstance(dtype, nw.Datetime)):
                raise DataFormatError(f"{what}: column '{name}' should hold dates, got {dtype}")
    sources = [c for c in _SOURCES if c in cols and c not in real]
    extra: list[Any] = []
    if "release" in cols:
        extra += [
            nw.col("release").min().alias("__rel_min"),
            nw.col("release").max().alias("__rel_max"),
        ]
    keys = list(dict.fromkeys([*real, *sources, *period_keys]))
    where = None
    group_keys: pl.DataFrame | None = None
    dated = label is None and all(frame.schema[c] == nw.Date for c in period_keys)
    if windows and frame.streaming and dated:
        where = _overlapping(windows, nw)
        group_cols = list(dict.fromkeys([*real, *sources]))
        if group_cols:
            group_keys = _cells.collect(frame, frame.query.select(group_cols).unique())
    flagged: list[Any] = []
    if "complete" in cols and "complete" not in keys and frame.schema["complete"] == nw.Boolean:
        # rows their provider marks incomplete (a part-year figure, a total of totals() missing
        # a quarter): summed, but the cell is not complete
        flagged.append((~nw.col("complete").fill_null(True)).cast(nw.Int64).alias("__flag"))
        extra.append(nw.col("__flag").sum().alias("__partial"))
    fine = _cells.cells(
        frame, keys, count, extra=extra, columns=flagged, row_numbers=row_numbers, where=where
    )
    _refuse_repeated_rows(frame, fine, keys, count, windows if dated else (), what)
    if label is not None:
        fine = _labels_to_periods(fine, label, what)
    else:
        for name in period_keys:
            fine = _date_cells(fine, name, what)

    # one force in two spellings, or a total row among the forces summed: counted twice
    # (``sums_forces``: the caller sums the forces itself, as change()'s comparator does)
    adds_forces = "force" not in by if sums_forces is None else sums_forces
    refuse_total_and_repeated_names(fine, summed=adds_forces, what=what)
    territorial = _territorial_expr(fine)
    elsewhere = other_nation_expr(fine)  # Scotland / Northern Ireland rows: their nation
    # the roll-up labels name the forces with rows in the windows asked for (those of a polars
    # LazyFrame were filtered to them above; any other frame is filtered here, the same way)
    in_windows = pl.lit(True) if not windows else _overlapping(windows, pl)
    derived: list[pl.Expr] = []
    if "national" in by and "national" not in cols:
        keep = territorial | _btp_expr(fine) if include_btp else territorial
        summed = forces_summed(fine.filter(in_windows), territorial)
        national_label = UNNAMED_TERRITORIAL if summed is None else comparator_label(summed)
        derived.append(
            pl.when(keep)
            .then(pl.lit(national_label))
            .otherwise(pl.coalesce(elsewhere, pl.lit(NON_TERRITORIAL)))
            .alias("national")
        )
    if "nation" in by and "nation" not in cols:
        if "region" in fine.columns:
            wales = pl.col("region") == "Wales"
        elif "force_code" in fine.columns:
            wales = pl.col("force_code").str.starts_with("W")
        else:
            raise DataFormatError(
                f"{what}: by='nation' needs a 'region' or 'force_code' column to tell England "
                "from Wales"
            )
        derived.append(
            pl.when(~territorial)
            .then(pl.coalesce(elsewhere, pl.lit(NON_TERRITORIAL)))
            .when(wales)
            .then(pl.lit("Wales"))
            .otherwise(pl.lit("England"))
            .alias("nation")
        )
    if "region" in by:
        if "region" not in fine.columns:
            raise DataFormatError(
                f"{what}: by='region' needs a 'region' column (read_prc() provides one)"
            )
        derived.append(
            pl.when(territorial)
            .then(pl.col("region"))
            .otherwise(pl.coalesce(elsewhere, pl.lit(NON_TERRITORIAL)))
            .alias("region")
        )
    rolled = fine.with_columns(derived) if derived else fine
    extra_keys = None
    if group_keys is not None and by:
        extra_keys = (group_keys.with_columns(derived) if derived else group_keys).select(by)
    aggs = [pl.col("__sum").sum(), pl.col("__rows").sum(), pl.col("__known").sum()]
    for c, f in (
        ("__rel_min", "min"),
        ("__rel_max", "max"),
        ("__row", "min"),
        ("__fsum", "sum"),
        ("__partial", "sum"),
    ):
        if c in rolled.columns:
            aggs.append(getattr(pl.col(c), f)())
    cells = rolled.group_by([*by, "period_start", "period_end"]).agg(aggs)
    _cells.check_sums(cells, what, count)
    # a group summing several areas is complete only when each area's figures are: one force
    # without a quarter would otherwise pass unseen beside a force that has it
    area = [] if {"force", "force_code"} & set(by) else AREA_COLUMNS
    area = [c for c in area if c in rolled.columns]
    area_cells = area_keys = None
    if area:
        area_cells = rolled.group_by([*by, *area, "period_start", "period_end"]).agg(
            pl.col("__sum").sum(),
            pl.col("__rows").sum(),
            pl.col("__known").sum(),
            *([pl.col("__partial").sum()] if "__partial" in rolled.columns else []),
        )
        if group_keys is not None and set(area) <= set(group_keys.columns):
            area_keys = (group_keys.with_columns(derived) if derived else group_keys).select(
                *by, *area
            )
    rollups = (
        rollup_labels(rolled.filter(in_windows), by, territorial)
        if {"region", "nation"} & set(by)
        else None
    )
    return _Prepared(
        cells=cells,
        fine=fine,
        by=by,
        frame=frame,
        group_keys=extra_keys,
        summed=rollups,
        all_keys=group_keys,
        area_cells=area_cells,
        area_keys=area_keys,
    )


def _refuse_repeated_rows(
    frame: _cells.Native,
    fine: pl.DataFrame,
    keys: Sequence[str],
    count: str,
    windows: Sequence[Period],
    what: str,
) -> None:
    """Refuse rows equal in every column but the count: a frame of counts holds each figure
    once, so two such rows are one figure twice (a file stacked twice, two editions without
    the column that says so) or different figures whose telling column was dropped, and
    summing them could count a figure twice. Rows of a combined offence code (containing
    ``/``: the Home Office writes homicide, ``1/4.1/4.10/4.2``, as several rows of one code
    and description) may repeat, as :func:`groomstats.read_prc` allows.

    ``fine`` holds the cells of the ``keys`` (some of the columns) with ``__rows``; only a
    cell of several rows can hold repeats. With Date period columns and ``windows`` only the
    rows overlapping a window are checked (the rows summed, and the only ones a polars
    ``LazyFrame`` reads); else every row. Without columns beyond the keys, a cell of several
    rows is a repeat; with more, one query in the frame's engine decides (polars: one hash
    per row; other engines: a ``group_by`` of every column); a second names the rows.
    """
    if fine.height == 0:
        return
    several = pl.col("__rows") > 1
    if windows:
        several = several & _overlapping(windows, pl).fill_null(True)
    if "offence_code" in fine.columns and fine.schema["offence_code"] == pl.String:
        several = several & ~_combined_code(pl)
    if not fine.select(several.any()).item():
        return  # the fast path: no cell of several rows, so no row repeats another
    others = [c for c in frame.columns if c != count]
    if len(others) > len(keys):  # columns beyond the keys may tell a cell's rows apart
        if frame.polars:
            engine = "streaming" if frame.streaming else "auto"
            # every row first (no test of the offence code on each row: the common case has
            # no combined code), then, if some hashes are equal, without combined codes
            for combined in (True, False):
                rows = _checked_rows(frame, windows, combined=combined).to_native()
                hashes = rows.select(_row_hash(others)).collect(engine=engine).to_series()
                # the collected column checked in the core (in parallel, GIL released): about
                # 3x faster than Series.n_unique, and for a LazyFrame less memory than a check
                # inside the query (bench_memory: 205 MB against 355 MB);
                # the Series' chunks as they are (a streaming collect gives many: joining them
                # would copy every hash)
                chunks = [
                    np.ascontiguousarray(c.to_numpy(), np.uint64) for c in hashes.get_chunks()
                ]
                if _core.all_distinct(chunks):
                    return  # distinct hashes: distinct rows (equal ones are looked at below)
        else:
            query = _checked_rows(frame, windows)
            n = query.group_by(*others, drop_null_keys=False).agg(nw.len().alias("__n"))
            if _cells.collect(frame, n.filter(nw.col("__n") > 1).head(1)).height == 0:
                return
    _name_repeated_rows(frame, windows, others, count, what)


def _row_hash(columns: list[str]) -> pl.Expr:
    """One 64-bit hash per row of ``columns``: the columns' own hashes (a seed each) XORed,
    about twice as fast as hashing a struct of them. Equal rows hash equal; rows hashing
    equal are compared value by value before anything is refused."""
    hashes = [pl.col(c).hash(seed=i) for i, c in enumerate(columns)]
    return functools.reduce(operator.xor, hashes).alias("__hash")


def _combined_code(lib: Any) -> Any:
    """A combined offence code such as homicide's ``1/4.1/4.10/4.2`` (polars or narwhals)."""
    return lib.col("offence_code").str.contains("/", literal=True).fill_null(False)


def _checked_rows(frame: _cells.Native, windows: Sequence[Period], combined: bool = False) -> Any:
    """The rows :func:`_refuse_repeated_rows` looks at, as a narwhals query of the frame
    (``combined``: with the rows of combined offence codes too)."""
    query = frame.query
    if windows:
        query = query.filter(_overlapping(windows, nw))
    if combined:
        return query
    if "offence_code" in frame.columns and frame.schema["offence_code"] == nw.String:
        query = query.filter(~_combined_code(nw))
    return query


def _name_repeated_rows(
    frame: _cells.Native, windows: Sequence[Period], others: list[str], count: str, what: str
) -> None:
    """Raise :class:`DataFormatError` naming the first rows equal in every column but the
    count (by row number for polars frames), their values and counts, and the fixes."""
    if frame.polars:
        numbered = frame.query.to_native().with_row_index("__row")
        checked = _checked_rows(_cells.native(numbered, what), windows).to_native()
        first = checked.filter(pl.struct(others).is_duplicated()).head(1).collect()
        if first.height == 0:  # equal hashes of different rows: no repeat after all
            return
        values = first.row(0, named=True)
        same = pl.all_horizontal(
            pl.col(c).eq_missing(pl.lit(values[c], dtype=first.schema[c])) for c in others
        )
        hits = checked.filter(same).select("__row", count).collect()
        where = "rows " + _and([str(r) for r in hits.get_column("__row").to_list()])
        counts = hits.get_column(count).to_list()
        if None not in counts and len(set(counts)) == 1:
            kind = f"copies of one figure ({count} {_show(counts[0])} each)"
        else:
            kind = f"one cell with {count} " + _and([_show(v) for v in counts])
    else:
        agg = (
            _checked_rows(frame, windows)
            .group_by(*others, drop_null_keys=False)
            .agg(
                nw.len().alias("__n"),
                nw.col(count).count().alias("__known"),
                nw.col(count).min().alias("__min"),
                nw.col(count).max().alias("__max"),
            )
        )
        found = _cells.collect(frame, agg.filter(nw.col("__n") > 1).head(1))
        if found.height == 0:  # pragma: no cover - the check found repeats
            return
        values = found.row(0, named=True)
        where = f"{values['__n']} rows"
        low, high = values["__min"], values["__max"]
        if values["__known"] == values["__n"] and low == high:
            kind = f"copies of one figure ({count} {_show(low)} each)"
        else:
            kind = f"one cell with {count} from {_show(low)} to {_show(high)}"
    shown = [c for c in others if values[c] is not None][:6]
    described = ", ".join(f"{c}={_show(values[c])}" for c in shown)
    if len(others) > len(shown):
        described += ", ..."
    raise DataFormatError(
        f"{what}: {where} of the frame are equal in every column but '{count}' "
        f"({described}): {kind}. Summed, one figure would be counted more than once, or "
        "figures told apart by a column no longer in the frame would be added blindly. If the "
        "rows are copies, drop them first (data.unique()); if they are different figures "
        "(offence codes, age bands, editions, ...), keep the column that tells them apart; "
        "record-level rows, one per offence, are counted with count_records()"
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _show(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else repr(value)


def _with_row_numbers(data: Any, run: Callable[[bool], _T]) -> _T:
    """Run ``run(False)``; if it raises on bad input and the frame is a polars one, run it again
    with row numbers so the message names the first offending row."""
    try:
        return run(False)
    except (DataFormatError, PeriodError):
        if not _cells.native(data).polars:
            raise
        return run(True)


def _totals(
    prep: _Prepared,
    windows: Sequence[Period],
    granularity: str | None,
    what: str,
) -> list[pl.DataFrame]:
    """Totals of a prepared frame over each window (coverage of all windows in one Rust call).

    When each group sums several areas, a group is complete only when every area in it is:
    the areas short of figures are named in ``incomplete_areas`` (null when none)."""
    out = _coverage(prep.cells, prep.group_keys, prep.by, windows, granularity, what)
    if prep.area_cells is None:
        return out
    area = [c for c in AREA_COLUMNS if c in prep.area_cells.columns]
    areas = _coverage(
        prep.area_cells, prep.area_keys, [*prep.by, *area], windows, granularity, what
    )
    merged = []
    for total, per_area in zip(out, areas, strict=True):
        # (a group of one area has that area's coverage already)
        several = pl.len().over([*prep.by, "period"]) > 1
        short = (
            per_area.filter(~pl.col("complete") & several)
            .with_columns(_shortfall(area[-1], per_area))
            .sort(area[-1], nulls_last=True)
            .group_by([*prep.by, "period"], maintain_order=True)
            .agg(pl.col("__short").str.join(", ").alias("incomplete_areas"))
            if per_area.height
            else None
        )
        if short is None or short.height == 0:
            total = total.with_columns(pl.lit(None, pl.String).alias("incomplete_areas"))
        else:
            total = total.join(
                short, on=[*prep.by, "period"], how="left", nulls_equal=True, maintain_order="left"
            )
        merged.append(total.with_columns(pl.col("complete") & pl.col("incomplete_areas").is_null()))
    return merged


#: the columns naming the area of a row, code then name (the name is the one shown)
AREA_COLUMNS = ("force_code", "force")


def _shortfall(name: str, per_area: pl.DataFrame) -> pl.Expr:
    """``"Surrey (3 of 4 quarters with figures)"``: what an area's figures lack in a window."""
    unit = str(per_area["coverage_unit"][0]).replace("_", " ") if per_area.height else "period"
    gap = pl.concat_str(
        [
            pl.when(pl.col("rows") == 0)
            .then(pl.lit("no figures"))
            .when(pl.col("periods_present") < pl.col("periods_expected"))
            .then(
                pl.format(
                    "{} of {} " + unit + "s with figures",
                    pl.col("periods_present"),
                    pl.col("periods_expected"),
                )
            )
            .when(pl.col("days_missing") > 0)
            .then(pl.format("{} day(s) without figures", pl.col("days_missing"))),
            pl.when(pl.col("null_rows") > 0).then(
                pl.format(f"{{}} cell(s) {NULL_WORDS}", pl.col("null_rows"))
            ),
            *(
                [
                    pl.when(pl.col("partial_rows") > 0).then(
                        pl.format("{} row(s) marked complete=False", pl.col("partial_rows"))
                    )
                ]
                if "partial_rows" in per_area.columns
                else []
            ),
        ],
        separator=", ",
        ignore_nulls=True,
    )
    who = pl.col(name).cast(pl.String).fill_null("(no " + name + ")")
    return pl.format("{} ({})", who, gap).alias("__short")


def _coverage(
    cells: pl.DataFrame,
    group_keys: pl.DataFrame | None,
    by: list[str],
    windows: Sequence[Period],
    granularity: str | None,
    what: str,
) -> list[pl.DataFrame]:
    """Sums and coverage of ``cells`` per ``by`` key over each window."""
    if by:
        found = cells.select(by)
        if group_keys is not None:
            found = pl.concat([found, group_keys.cast(found.schema)])
        keys = found.unique().sort(by, nulls_last=True).with_row_index("__g")
        cells = cells.join(keys, on=by, how="left", nulls_equal=True)
    else:
        keys = pl.DataFrame({"__g": [0]}, schema={"__g": pl.UInt32})
        cells = cells.with_columns(pl.lit(0, dtype=pl.UInt32).alias("__g"))
    cells = cells.sort("__g", "period_start", "period_end")  # a null period is refused below
    n_groups = keys.height
    nulls = cells.filter(pl.col("period_start").is_null() | pl.col("period_end").is_null())
    if nulls.height:
        where = (
            f"row {nulls['__row'].cast(pl.Int64).min()!s}" if "__row" in nulls.columns else "a row"
        )
        raise DataFormatError(f"{what}: {where} has no period_start or period_end")
    group = cells.get_column("__g").cast(pl.UInt32).to_numpy()
    starts = cells.get_column("period_start").cast(pl.Int32).to_numpy()
    ends = cells.get_column("period_end").cast(pl.Int32).to_numpy()
    valid = (cells.get_column("__known") > 0).to_numpy()
    row_ids = (
        cells.get_column("__row").cast(pl.Int64).to_numpy()
        if "__row" in cells.columns
        else np.full(cells.height, -1, dtype=np.int64)
    )
    covs = _core.coverage_windows(
        np.ascontiguousarray(group),
        np.ascontiguousarray(starts),
        np.ascontiguousarray(ends),
        np.ascontiguousarray(valid),
        np.ascontiguousarray(row_ids),
        n_groups,
        [(to_days(w.start), to_days(w.end)) for w in windows],
        granularity,
    )
    return [_window_frame(cells, keys, by, cov, what) for cov in covs]


def _window_frame(
    cells: pl.DataFrame, keys: pl.DataFrame, by: list[str], cov: Any, what: str
) -> pl.DataFrame:
    labels = cov.period_label
    n_p = len(labels)
    n_groups = keys.height
    inside = cells.with_columns(pl.Series("__p", cov.row_period)).filter(pl.col("__p") >= 0)
    aggs = [
        pl.col("__sum").sum(),
        pl.col("__rows").sum().cast(pl.Int32).alias("rows"),
        (pl.col("__rows") - pl.col("__known")).sum().cast(pl.Int32).alias("null_rows"),
    ]
    if "__rel_min" in cells.columns:
        aggs.append((pl.col("__rel_min").min() != pl.col("__rel_max").max()).alias("__multi"))
    if "__fsum" in cells.columns:
        aggs.append(pl.col("__fsum").sum())
    partial = "__partial" in cells.columns
    if partial:
        aggs.append(pl.col("__partial").sum().cast(pl.Int32).alias("partial_rows"))
    sums = inside.group_by(["__g", "__p"]).agg(aggs)
    _cells.check_sums(sums, what, "")
    if "__multi" in sums.columns:
        multi = sums.filter(pl.col("__multi").fill_null(False)).sort("__g", "__p")
        if multi.height:
            gi, pi = int(multi["__g"][0]), int(multi["__p"][0])
            who = keys.filter(pl.col("__g") == gi).drop("__g").row(0) if by else ()
            raise DataFormatError(
                f"{what}: the rows for {who or 'the whole frame'} in {labels[pi]} come from "
                "several releases (column 'release'): figures are revised between releases, so "
                "summing them double counts. Filter the frame to one release first."
            )
        sums = sums.drop("__multi")
    periods = pl.DataFrame(
        {
            "__p": np.arange(n_p, dtype=np.int32),
            "period": labels,
            "period_start": pl.Series(cov.period_start).cast(pl.Date),  # days since 1970
            "period_end": pl.Series(cov.period_end).cast(pl.Date),
            "periods_expected": cov.expected,
        }
    )
    grid = keys.join(periods, how="cross").with_columns(
        (pl.col("__g").cast(pl.Int64) * n_p + pl.col("__p")).alias("__cell")
    )
    coverage = pl.DataFrame(
        {
            "__cell": np.arange(n_groups * n_p, dtype=np.int64),
            "periods_present": cov.present,
            "days_missing": cov.days_missing,
        }
    )
    out = (
        grid.join(coverage, on="__cell", how="left")
        .join(sums, on=["__g", "__p"], how="left")
        .with_columns(
            pl.col("rows", "null_rows", *(["partial_rows"] if partial else [])).fill_null(0)
        )
        .with_columns(
            pl.when(pl.col("rows") > pl.col("null_rows"))
            .then(pl.col("__sum"))
            .otherwise(None)
            .alias("offences"),
            pl.lit(cov.unit).alias("coverage_unit"),
            (
                (pl.col("periods_present") == pl.col("periods_expected"))
                & (pl.col("days_missing") == 0)
                & (pl.col("null_rows") == 0)
                & ((pl.col("partial_rows") == 0) if partial else pl.lit(True))
            ).alias("complete"),
        )
        .sort(["__g", "__p"])
    )
    return out.select(
        *by,
        "period",
        "period_start",
        "period_end",
        "offences",
        "rows",
        "null_rows",
        "coverage_unit",
        "periods_expected",
        "periods_present",
        "days_missing",
        "complete",
        *(["partial_rows"] if partial else []),
    )


@renamed(was_positional=("by", "window", "granularity"), df="data")
def totals(
    data: Any,
    *,
    by: str | Sequence[str] | None = None,
    window: str | Period | tuple[date, date] | None = None,
    granularity: Granularity | None = None,
    count: str = "offences",
    include_btp: bool = False,
    allow_series_break: bool = False,
) -> pl.DataFrame:
    """Counts over a window, per group, with coverage so an incomplete window shows as such.

    Rows wholly inside the window are summed; a row the window cuts through (e.g. a window
    ending mid-quarter on quarterly data) raises :class:`PeriodError`: counts are never
    pro-rated.

    Parameters
    ----------
    data
        A frame with ``period_start``, ``period_end`` (dates) and a count column, plus the ``by``
        columns: the tidy PRC frame (quarters), or the NSPCC / news series (annual or custom
        periods). Without date columns, a ``financial_year`` (or ``period``) column of period
        spellings (``"2017/18"``) is parsed instead. Any frame kind: polars (a ``LazyFrame``
        is counted on the streaming engine and never collected whole), pandas, pyarrow, or a
        DuckDB / Dask / PySpark frame (through narwhals: the group-by runs in that engine and
        only the per-group, per-period sums come back). A frame of counts holds each figure
        once: rows equal in every column but the count (copies, or figures whose telling
        column was dropped) raise :class:`DataFormatError` naming them (for Date period
        columns and a window, among the rows the window overlaps); only a combined offence
        code (``1/4.1/4.10/4.2``: homicide, several rows per force and quarter in the Home
        Office tables) may repeat. Record-level rows go through :func:`count_records`.
    by
        Column(s) to group by. Three roll-ups may be named even when not columns:
        ``"national"`` (the territorial forces, plus British Transport Police when
        ``include_btp``; other rows are kept apart under ``"Non-territorial bodies"``; the
        sum is labelled ``"England and Wales"`` only when the data hold all 43 territorial
        forces, else it names what was summed: a region's name, or ``"4 forces: Hampshire,
        Kent, ..."``), ``"nation"`` (England / Wales) and ``"region"``.
        ``None`` (default) or ``[]`` for one total over every row.
    window
        A period spelling (``"2017/18"``, ``"2017/18 Q1-Q3"``, ``"April to December 2017"``,
        ...; see :meth:`Period.parse <groomstats.Period.parse>`), a
        :class:`~groomstats.Period`, a ``(start, end)`` pair of dates, or ``None`` for the
        whole span of the data.
    granularity
        ``None`` for one row per group over the whole window, or ``"month"``, ``"quarter"``,
        ``"financial_year"``, ``"calendar_year"`` for one row per group and sub-period (the
        window must be made of whole sub-periods, and the data no coarser).
    count
        The count column (default ``"offences"``); the output's count column keeps its name.
    include_btp
        Count British Transport Police in the ``"national"`` roll-up (stated in the
        ``includes_btp`` column).
    allow_series_break
        Silence the :class:`~groomstats.SeriesBreakWarning` raised when the window crosses
        1 April 2017 on data that may hold offence 88A.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, then ``period`` (label), ``period_start``, ``period_end``,
        ``offences`` (null when no row with a known count), ``rows``, ``null_rows``,
        ``coverage_unit`` (the data's own period length: ``quarter``, ``financial_year``...),
        ``periods_expected`` (sub-periods of that length in the period), ``periods_present``
        (those with data), ``days_missing`` (days covered by no row) and ``complete``
        (all present, no day missing, no null count); when no ``by`` column names the area
        (``force_code`` / ``force``) and the data have one, each group sums several areas and
        is complete only when each area is: ``incomplete_areas`` names those short of figures
        (``"Surrey (3 of 4 quarters with figures)"``, ``"Surrey (no figures)"`` for an area
        seen elsewhere in the data but not in the window; null when none); when ``data`` has
        a boolean ``complete`` column (a provider's part-period figure, or a :func:`totals`
        result summed again), its rows marked False are summed but counted in
        ``partial_rows`` and make the row incomplete; with ``by`` naming ``"region"`` or
        ``"nation"``, ``forces_summed`` says what each roll-up summed: the region's (nation's)
        name only when the data hold all its forces, else ``"4 forces: Hampshire, ..."``
        (null for non-territorial rows). Every group seen anywhere in ``data`` gets
        a row, with null ``offences`` if it has no data in the window; rows are sorted by the
        ``by`` columns (nulls last), then by period.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import groomstats
    >>> df = pl.DataFrame({
    ...     "force": ["Kent", "Kent", "Kent", "Essex", "Essex"],
    ...     "period_start": [date(2017, 4, 1), date(2017, 7, 1), date(2017, 10, 1)]
    ...     + [date(2017, 4, 1), date(2017, 7, 1)],
    ...     "period_end": [date(2017, 6, 30), date(2017, 9, 30), date(2017, 12, 31)]
    ...     + [date(2017, 6, 30), date(2017, 9, 30)],
    ...     "offences": [10, 12, 15, 7, 9],
    ... })
    >>> t = groomstats.totals(df, by="force", window="April to December 2017")
    >>> t.select("force", "offences", "periods_expected", "periods_present", "complete")
    shape: (2, 5)
    ┌───────┬──────────┬──────────────────┬─────────────────┬──────────┐
    │ force ┆ offences ┆ periods_expected ┆ periods_present ┆ complete │
    │ ---   ┆ ---      ┆ ---              ┆ ---             ┆ ---      │
    │ str   ┆ i64      ┆ i32              ┆ i32             ┆ bool     │
    ╞═══════╪══════════╪══════════════════╪═════════════════╪══════════╡
    │ Essex ┆ 16       ┆ 3                ┆ 2               ┆ false    │
    │ Kent  ┆ 37       ┆ 3                ┆ 3               ┆ true     │
    └───────┴──────────┴──────────────────┴─────────────────┴──────────┘
    """
    what = "totals()"
    by_l = by_columns(by)
    if granularity is not None:
        check_option(granularity, GRANULARITIES, "granularity")
    w = None if window is None else parse_period(window)

    summed_of: list[pl.DataFrame | None] = [None]

    def run(row_numbers: bool) -> pl.DataFrame:
        prep = _prepare(
            data, by_l, what, include_btp, count, row_numbers=row_numbers, windows=[w] if w else []
        )
        summed_of[0] = prep.summed
        span = w if w is not None else _span(prep, what)
        _check_series_break(prep, [span], allow_series_break, what, refuse=False)
        return _totals(prep, [span], granularity, what)[0]

    out = _with_row_numbers(data, run)
    if w is not None:
        refuse_empty_window(out, w, what)
    if summed_of[0] is not None and by_l:
        out = out.join(summed_of[0], on=by_l, how="left", nulls_equal=True, maintain_order="left")
    if "national" in by_l:
        out = out.with_columns(pl.lit(include_btp).alias("includes_btp"))
    return out.rename({"offences": count}) if count != "offences" else out


def refuse_empty_window(out: pl.DataFrame, window: Period, what: str) -> None:
    """Empty is not zero: a window holding no row of the data at all is an error, not a
    table of null (or zero) counts."""
    if out.height == 0 or int(out.get_column("periods_present").sum()) == 0:
        raise PeriodError(
            f"{what}: no row of the data falls inside {window.label} "
            f"({window.start} to {window.end}); the data hold no figures for that window "
            "(check the window, or read the edition that covers it)"
        )


def _span(prep: _Prepared, what: str) -> Period:
    """The whole span of the data (window=None)."""
    if prep.cells.height == 0:
        raise PeriodError(f"{what}: the frame is empty, so it has no span: pass a window")
    first = prep.cells.get_column("period_start").min()
    last = prep.cells.get_column("period_end").max()
    if not isinstance(first, date) or not isinstance(last, date):
        raise DataFormatError(f"{what}: period_start / period_end hold no dates")
    return Period.from_bounds(first, last)

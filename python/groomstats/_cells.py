"""Counting where the data live: one aggregation query in the frame's own engine, the rest on
its small result.

Every counting entry point (``count_records``, ``totals``, the counting step of ``change``)
reduces the rows to *cells* with one ``group_by`` run by the engine that holds the frame:

* polars ``LazyFrame``: a lazy polars query collected with the streaming engine
  (``collect(engine="streaming")``), so a ``LazyFrame`` scanning files never has to fit in
  memory; polars ``DataFrame`` (and pandas or pyarrow frames, converted to polars), already in
  memory: the same lazy query on polars' in-memory engine, which is faster there;
* DuckDB relations, Dask and PySpark DataFrames, and any other lazy frame `narwhals
  <https://narwhals-dev.github.io/narwhals/>`_ supports: the same query written once in
  narwhals, run inside that engine; only the aggregated cells come back (as polars).

A cell is one distinct combination of key columns (the ``by`` columns, the columns the roll-ups
``national`` / ``nation`` / ``region`` are derived from, and the period columns), with the sum
of the count column, the number of rows and of rows with a known count (and, for an integer
count, ``__fsum``, the same sum in floating point: an integer sum beyond the 64-bit range
wraps around silently, so :func:`check_sums` refuses it; a float count that is NaN or infinite
is refused with its row). Coverage, labels and
checks then work on the cells, which number a few thousand where the frame has millions of
rows.

Examples
--------
>>> import polars as pl
>>> from datetime import date
>>> rows = pl.LazyFrame({
...     "force": ["Kent", "Kent", "Essex"],
...     "period_start": [date(2017, 4, 1)] * 3,
...     "period_end": [date(2017, 6, 30)] * 3,
...     "offences": [3, None, 4],
... })
>>> frame = native(rows, "example")
>>> cells(frame, ["force", "period_start", "period_end"], "offences").sort("force")
shape: (2, 7)
┌───────┬──────────────┬────────────┬───────┬────────┬─────────┬────────┐
│ force ┆ period_start ┆ period_end ┆ __sum ┆ __rows ┆ __known ┆ __fsum │
│ ---   ┆ ---          ┆ ---        ┆ ---   ┆ ---    ┆ ---     ┆ ---    │
│ str   ┆ date         ┆ date       ┆ i64   ┆ i64    ┆ i64     ┆ f64    │
╞═══════╪══════════════╪════════════╪═══════╪════════╪═════════╪════════╡
│ Essex ┆ 2017-04-01   ┆ 2017-06-30 ┆ 4     ┆ 1      ┆ 1       ┆ 4.0    │
│ Kent  ┆ 2017-04-01   ┆ 2017-06-30 ┆ 3     ┆ 2      ┆ 1       ┆ 3.0    │
└───────┴──────────────┴────────────┴───────┴────────┴─────────┴────────┘
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from groomstats._util import as_days, from_pandas, suggest
from groomstats.exceptions import CountOverflowError, DataFormatError

__all__ = ["Native", "cells", "check_sums", "collect", "native", "records_by_month"]

#: A float sum at or beyond this magnitude is outside the 64-bit integer range.
_INT64_LIMIT = 2.0**63


@dataclass(frozen=True)
class Native:
    """A frame as a lazy query of its own engine (``polars`` true for polars-backed frames)."""

    query: Any  # narwhals LazyFrame
    polars: bool
    streaming: bool  # a polars LazyFrame: collect with the streaming engine
    schema: dict[str, Any]  # column name -> narwhals dtype
    what: str

    @property
    def columns(self) -> list[str]:
        return list(self.schema)

    def require(self, columns: Sequence[str]) -> None:
        """Raise :class:`DataFormatError` naming every missing column, with the closest."""
        missing = [c for c in columns if c not in self.schema]
        if not missing:
            return
        parts = []
        for c in missing:
            hint = suggest(c, self.columns)
            parts.append(f"'{c}'" + (f" — did you mean '{hint}'?" if hint else ""))
        label = "column" if len(missing) == 1 else "columns"
        raise DataFormatError(f"{self.what}: missing {label} {', '.join(parts)}")


def native(data: Any, what: str = "data") -> Native:
    """Wrap a frame of any supported engine as a lazy query (nothing is computed).

    polars frames stay polars (eager frames become lazy); pandas and pyarrow frames are
    converted to polars (as before); any other frame narwhals knows (DuckDB, Dask, PySpark,
    ...) is kept in its engine.

    Examples
    --------
    >>> import polars as pl
    >>> native(pl.DataFrame({"a": [1]})).polars
    True
    """
    if isinstance(data, pl.DataFrame):
        lf = data.lazy()
    elif isinstance(data, pl.LazyFrame):
        lf = data
    elif type(data).__module__.startswith("pandas"):
        lf = from_pandas(data, what).lazy()
    elif type(data).__module__.startswith("pyarrow"):
        try:
            conv = pl.DataFrame(pl.from_arrow(data))
        except Exception as e:  # pragma: no cover - depends on pyarrow internals
            raise DataFormatError(
                f"{what}: could not convert the {type(data).__name__}: {e}"
            ) from e
        lf = conv.lazy()
    else:
        try:
            frame = nw.from_native(data)
        except TypeError:
            raise DataFormatError(
                f"{what}: expected a polars, pandas, pyarrow, DuckDB, Dask or PySpark frame "
                f"(anything narwhals supports), got {type(data).__name__}"
            ) from None
        query = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
        return Native(query, False, False, dict(query.collect_schema()), what)
    query = nw.from_native(lf)
    lazy = isinstance(data, pl.LazyFrame)
    return Native(query, True, lazy, dict(query.collect_schema()), what)


def collect(frame: Native, query: Any, *, streaming: bool = False) -> pl.DataFrame:
    """Run a narwhals query of ``frame``'s engine (polars: the streaming engine for a
    LazyFrame, or when asked, e.g. for a query that can stop early)."""
    if frame.polars:
        engine = "streaming" if frame.streaming or streaming else "auto"
        out = query.collect(backend="polars", engine=engine)
    else:
        out = query.collect(backend="polars")
    result: pl.DataFrame = out.to_native()
    # engines such as DuckDB sum integers as DECIMAL(38, 0): back to integers (and any other
    # decimal to float), or polars < 2 carries rounded decimals through every ratio after it
    decimals = [c for c, t in result.schema.items() if isinstance(t, pl.Decimal)]
    if decimals:
        result = result.with_columns(
            pl.col(c).cast(pl.Int64 if result.schema[c].scale == 0 else pl.Float64)  # type: ignore[attr-defined]
            for c in decimals
        )
    return result


def cells(
    frame: Native,
    keys: Sequence[str],
    count: str | None,
    *,
    extra: Sequence[Any] = (),
    columns: Sequence[Any] = (),
    row_numbers: bool = False,
    where: Any = None,
) -> pl.DataFrame:
    """One row per distinct ``keys``: ``__sum`` of ``count``, ``__rows``, ``__known`` (rows
    whose count is not null), ``__fsum`` (integer counts: the float shadow of the sum), plus
    ``extra`` aggregations (narwhals expressions, elementary: per-row work goes in
    ``columns``, added before grouping); with ``row_numbers`` (polars frames only) ``__row``,
    the first frame row of the cell.
    """
    columns = list(columns)
    aggs: list[Any] = [nw.len().alias("__rows")]
    dtype = frame.schema.get(count) if count is not None else None
    if count is not None:
        aggs = [
            nw.col(count).sum().alias("__sum"),
            *aggs,
            nw.col(count).count().alias("__known"),
        ]
        # per-row work before grouping (engines such as Dask take only elementary aggregations)
        if dtype is not None and dtype.is_integer():
            # a float shadow of the sum: an integer sum wraps around silently
            columns.append(nw.col(count).cast(nw.Float64).alias("__fcount"))
            aggs.append(nw.col("__fcount").sum().alias("__fsum"))
        elif dtype is not None and dtype.is_float():
            # pandas-backed engines (Dask) store a missing value as NaN: is_null() says so
            columns.append(_not_finite(nw, count).cast(nw.Int64).alias("__nonfinite"))
            aggs.append(nw.col("__nonfinite").sum().alias("__bad"))
            # a count of offences is whole: 10.5 is a rate, a mean or an estimate
            part = _fractional(nw, count).fill_null(False)
            columns.append(part.cast(nw.Int64).alias("__fractional"))
            aggs.append(nw.col("__fractional").sum().alias("__part"))
    query = frame.query.with_columns(*columns) if columns else frame.query
    aggs.extend(extra)
    if row_numbers and frame.polars:
        query = nw.from_native(query.to_native().with_row_index("__row"))
        aggs.append(nw.col("__row").min())
    if where is not None:  # after the row numbers: they stay the frame's
        query = query.filter(where)
    q = query.group_by(*keys, drop_null_keys=False).agg(*aggs) if keys else query.select(*aggs)
    out = collect(frame, q)
    if "__bad" in out.columns:
        if out.get_column("__bad").fill_null(0).sum() > 0:
            _refuse_not_finite(frame, str(count), keys)
        out = out.drop("__bad")
    if "__part" in out.columns:
        if out.get_column("__part").fill_null(0).sum() > 0:
            _refuse_fractional(frame, str(count), keys)
        out = out.drop("__part")
    check_sums(out, frame.what, str(count))
    casts = [pl.col(c).cast(pl.Int64) for c in ("__rows", "__known", "__row") if c in out.columns]
    return out.with_columns(casts)


def check_sums(cells: pl.DataFrame, what: str, count: str) -> None:
    """Raise :class:`CountOverflowError` if a sum (its float shadow ``__fsum``) is beyond the
    64-bit integer range: an integer sum would have wrapped around."""
    if "__fsum" not in cells.columns or cells.height == 0:
        return
    big = cells.get_column("__fsum").abs().max()
    if isinstance(big, float) and big >= _INT64_LIMIT:
        raise CountOverflowError(
            f"{what}: the sum of {f'column {count!r}' if count else 'the counts'} is beyond the "
            "64-bit integer range "
            f"(about {big:.3g}); these are not counts of offences: check the column (a "
            "sentinel value such as 9223372036854775807, or a unit mix-up)"
        )


def _not_finite(lib: Any, count: str) -> Any:
    """NaN or infinity in ``count`` (null, a missing count, is allowed): polars or narwhals."""
    return ~lib.col(count).is_finite() & ~lib.col(count).is_null()


def _fractional(lib: Any, count: str) -> Any:
    """A finite ``count`` that is not a whole number: polars or narwhals."""
    c = lib.col(count)
    return c.is_finite() & (c != c.round(0))


def _first_bad(frame: Native, count: str, keys: Sequence[str], bad: Any) -> tuple[str, Any]:
    """Where the first row matching ``bad(lib, count)`` is (its row number for polars frames,
    its cell for other engines) and its count."""
    if frame.polars:
        rows = frame.query.to_native().with_row_index("__row").filter(bad(pl, count))
        first = rows.head(1).collect()
        where = f"row {int(first['__row'][0])}" if first.height else "a row"
        return where, first[count][0] if first.height else float("nan")
    got = collect(frame, frame.query.filter(bad(nw, count)).select(count, *keys).head(1))
    where = "the row " + ", ".join(f"{k}={got[k][0]!r}" for k in keys) if got.height else "a row"
    return where, got[count][0] if got.height else float("nan")


def _refuse_not_finite(frame: Native, count: str, keys: Sequence[str]) -> None:
    """NaN or infinite counts: name the first row (polars frames) or the cell."""
    where, value = _first_bad(frame, count, keys, _not_finite)
    raise DataFormatError(
        f"{frame.what}: column '{count}' {where}: {value!r} is not a count; a missing count "
        "must be null (a blank cell), never NaN or infinity, so it is shown as missing, not "
        "summed"
    )


def _refuse_fractional(frame: Native, count: str, keys: Sequence[str]) -> None:
    """A count that is not a whole number: name the first row (polars frames) or the cell."""
    where, value = _first_bad(frame, count, keys, _fractional)
    raise DataFormatError(
        f"{frame.what}: column '{count}' {where}: {value!r} is not a whole number, so not a "
        "count of offences (a rate, a mean or an estimate?): summed, it would be shown as "
        "offences. Give the counts the source publishes, or round them only if the source "
        "says they are whole"
    )


def records_by_month(frame: Native, by: Sequence[str], date: str) -> pl.DataFrame:
    """Count rows per ``by`` and calendar month of ``date`` inside the engine: the ``by``
    columns, ``__year``, ``__month`` (null for a null date), ``__n`` and the group's first
    and last ``date`` (``__first``, ``__last``, as dates)."""
    day = nw.col(date)
    query = frame.query.with_columns(day.dt.year().alias("__year"), day.dt.month().alias("__month"))
    q = query.group_by(*by, "__year", "__month", drop_null_keys=False).agg(
        nw.len().alias("__n"), day.min().alias("__first"), day.max().alias("__last")
    )
    out = collect(frame, q)
    return out.with_columns(
        pl.col("__year").cast(pl.Int32),
        pl.col("__month").cast(pl.Int8),
        pl.col("__n").cast(pl.Int64),
        as_days(out.get_column("__first")),
        as_days(out.get_column("__last")),
    )

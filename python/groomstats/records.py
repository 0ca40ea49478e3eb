"""Counting record-level data (one row per offence) into periods: :func:`count_records`.

The group-by runs in the engine that holds the rows (polars eager or lazy, pandas, DuckDB, Dask,
PySpark, through narwhals); only the aggregated counts come back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from groomstats import _cells
from groomstats._args import by_columns, renamed
from groomstats._util import check_option
from groomstats.areas import refuse_total_and_repeated_names
from groomstats.exceptions import (
    DataFormatError,
)
from groomstats.periods import (
    GRANULARITIES,
    STEP,
    Granularity,
    Period,
    end_of,
    period_start_expr,
)

__all__ = ["count_records"]


@renamed(was_positional=("by",), df="data")
def count_records(
    data: Any,
    *,
    by: str | Sequence[str] | None = None,
    date: str | None = None,
    granularity: Granularity = "quarter",
) -> pl.DataFrame:
    """Count record-level rows (one row per offence) per group and period.

    One ``group_by`` over the rows, run where the rows live; the result is a counts frame
    (``offences``, and with ``date`` the ``period``, ``period_start``, ``period_end`` columns of
    the tidy PRC frame) that :func:`groomstats.rates` and the other frame functions accept.
    Nothing is dropped: rows with a null ``by`` value or a null date are counted in a group
    whose key is null.

    Parameters
    ----------
    data
        One row per record: a polars DataFrame or LazyFrame (counted on the streaming engine,
        never collected whole), a pandas or pyarrow frame, or any lazy frame narwhals
        supports (DuckDB relation, Dask or PySpark DataFrame), counted inside its engine so
        only the counts come back.
    by
        Column(s) to group by; ``None`` or ``[]`` for one count over every row (per period).
    date
        Name of a ``Date`` or ``Datetime`` column giving each record's date; the records are
        then counted per ``granularity`` period as well. ``None`` to count by ``by`` only.
    granularity
        ``"month"``, ``"quarter"`` (financial quarters: Q1 = April-June), ``"financial_year"``
        or ``"calendar_year"``.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, then ``period`` (label, e.g. ``2017/18 Q1``), ``period_start``,
        ``period_end`` (when ``date`` is given), then ``offences`` (Int64, rows counted);
        sorted by the keys.

    Raises
    ------
    DataFormatError
        A missing column, or a ``date`` column that is not a date.
    GroomstatsError
        An unknown ``granularity``.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import groomstats
    >>> rec = pl.DataFrame({
    ...     "force": ["Kent", "Kent", "Kent", "Essex"],
    ...     "date": [date(2017, 4, 3), date(2017, 6, 30), date(2017, 7, 1), date(2017, 5, 9)],
    ... })
    >>> groomstats.count_records(rec, by="force", date="date").select("force", "period", "offences")
    shape: (3, 3)
    ┌───────┬────────────┬──────────┐
    │ force ┆ period     ┆ offences │
    │ ---   ┆ ---        ┆ ---      │
    │ str   ┆ str        ┆ i64      │
    ╞═══════╪════════════╪══════════╡
    │ Essex ┆ 2017/18 Q1 ┆ 1        │
    │ Kent  ┆ 2017/18 Q1 ┆ 2        │
    │ Kent  ┆ 2017/18 Q2 ┆ 1        │
    └───────┴────────────┴──────────┘
    """
    what = "count_records()"
    frame = _cells.native(data, what)
    keys = by_columns(by)
    frame.require([*keys, *([date] if date is not None else [])])
    if date is None:
        n = _cells.cells(frame, keys, None).rename({"__rows": "offences"})
        if "force" in keys:  # one force in two spellings would be counted as two
            refuse_total_and_repeated_names(n, summed=False, what=what)
        return n.sort(keys, nulls_last=True) if keys else n
    check_option(granularity, GRANULARITIES, "granularity")
    dtype = frame.schema[date]
    if not (dtype in (nw.Date, nw.Unknown) or isinstance(dtype, nw.Datetime)):
        raise DataFormatError(
            f"{what}: column '{date}' holds {dtype}, not dates — convert it first, e.g. "
            f"pl.col('{date}').str.to_date('%Y-%m-%d')"
        )
    if frame.polars:  # one lazy polars query on the streaming engine
        start = period_start_expr(pl.col(date).cast(pl.Date), granularity)
        counts = _cells.collect(
            frame,
            nw.from_native(
                frame.query.to_native()
                .group_by([*keys, start.alias("period_start")])
                .agg(pl.len().cast(pl.Int64).alias("offences"))
            ),
        )
    else:  # counted per calendar month inside the frame's engine, months rolled up here
        months = _cells.records_by_month(frame, keys, date)
        day = pl.date(pl.col("__year"), pl.col("__month"), 1)
        counts = months.group_by(
            [*keys, period_start_expr(day, granularity).alias("period_start")]
        ).agg(pl.col("__n").sum().alias("offences"))
    if "force" in keys:  # one force in two spellings would be counted as two
        refuse_total_and_repeated_names(counts, summed=False, what=what)
    starts = counts.get_column("period_start").unique().drop_nulls().to_list()
    step = STEP[granularity]
    labels = pl.DataFrame(
        {
            "period_start": starts,
            "period": [
                Period.from_bounds(s, end_of(s, step)).label  # canonical spelling
                for s in starts
            ],
        },
        schema={"period_start": pl.Date, "period": pl.String},
    )
    return (
        counts.join(labels, on="period_start", how="left")
        .with_columns(
            pl.col("period_start").dt.offset_by(step).dt.offset_by("-1d").alias("period_end")
        )
        .select(*keys, "period", "period_start", "period_end", "offences")
        .sort([*keys, "period_start"], nulls_last=True)
    )

"""Counting record-level data (one row per offence) into periods: :func:`count_records`.

The group-by runs in the engine that holds the rows (polars eager or lazy, pandas, DuckDB, Dask,
PySpark, through narwhals); only the aggregated counts come back.
"""

from __future__ import annotations

import datetime as dt
import warnings
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
    GroomstatsError,
    PeriodCoverageWarning,
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
    covers: tuple[dt.date, dt.date] | None = None,
) -> pl.DataFrame:
    """Count record-level rows (one row per offence) per group and period.

    One ``group_by`` over the rows, run where the rows live; the result is a counts frame
    (``offences``, and with ``date`` the ``period``, ``period_start``, ``period_end`` columns of
    the tidy PRC frame) that :func:`groomstats.rates` and the other frame functions accept.
    Nothing is dropped: rows with a null ``by`` value or a null date are counted in a group
    whose key is null.

    Which days the records cover is ``covers``. Given, the records list every offence of
    those days, so a group with no record in a period had none: it gets a row with 0, and a
    period covered only in part (an extract taken mid-quarter) is given as the days covered.
    Without it, a group with no record in a period has no row there (absent, which
    :func:`groomstats.totals` reports as missing, never as 0), and each period is counted
    whole; when the records begin after their first period's first day or end before their
    last period's last day, those periods may be covered only in part, and a
    :class:`~groomstats.PeriodCoverageWarning` names them and the two readings.

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
    covers
        The first and last day the records cover, both included (with ``date``), e.g.
        ``(date(2017, 4, 1), date(2017, 11, 15))`` for an extract taken on 15 November 2017.
        A period the records cover only in part is given as the days covered
        (``period`` ``2017-10-01..2017-11-15``, not ``2017/18 Q3``, with ``period_start`` and
        ``period_end`` to match), so :func:`groomstats.totals` and :func:`groomstats.change`
        see its quarter or year as incomplete; a group with no record in a period gets 0
        there. ``None`` (default): each period with a record is counted whole, with no 0 rows.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, then ``period`` (label, e.g. ``2017/18 Q1``), ``period_start``,
        ``period_end`` (when ``date`` is given), then ``offences`` (Int64, rows counted;
        with ``covers``, 0 for a group with no record in a period); sorted by the keys.

    Raises
    ------
    DataFormatError
        A missing column, a ``date`` column that is not a date, or records dated outside
        ``covers``.
    GroomstatsError
        An unknown ``granularity``; ``covers`` not two dates in order, or given without
        ``date``.

    Warns
    -----
    PeriodCoverageWarning
        Without ``covers``, the records begin after their first period's first day or end
        before their last period's last day: those periods may be covered only in part.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import groomstats
    >>> rec = pl.DataFrame({
    ...     "force": ["Kent", "Kent", "Kent", "Essex"],
    ...     "date": [date(2017, 4, 3), date(2017, 6, 30), date(2017, 7, 1), date(2017, 5, 9)],
    ... })
    >>> covered = (date(2017, 4, 1), date(2017, 8, 31))  # the records were taken on 31 August
    >>> n = groomstats.count_records(rec, by="force", date="date", covers=covered)
    >>> n.select("force", "period", "offences")
    shape: (4, 3)
    ┌───────┬────────────────────────┬──────────┐
    │ force ┆ period                 ┆ offences │
    │ ---   ┆ ---                    ┆ ---      │
    │ str   ┆ str                    ┆ i64      │
    ╞═══════╪════════════════════════╪══════════╡
    │ Essex ┆ 2017/18 Q1             ┆ 1        │
    │ Essex ┆ 2017-07-01..2017-08-31 ┆ 0        │
    │ Kent  ┆ 2017/18 Q1             ┆ 2        │
    │ Kent  ┆ 2017-07-01..2017-08-31 ┆ 1        │
    └───────┴────────────────────────┴──────────┘
    """
    what = "count_records()"
    frame = _cells.native(data, what)
    keys = by_columns(by)
    frame.require([*keys, *([date] if date is not None else [])])
    if covers is not None and date is None:
        raise GroomstatsError(
            f"{what}: covers= gives the days the records cover, which needs date= (the column "
            "of each record's date), e.g. count_records(df, by='force', date='date', "
            "covers=(date(2017, 4, 1), date(2018, 3, 31)))"
        )
    span = None if covers is None else _covers(covers, what)
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
        # a time-zone-aware datetime's own day (cast(pl.Date) would give its day in UTC)
        stamped = isinstance(dtype, nw.Datetime)
        day = pl.col(date).dt.date() if stamped else pl.col(date).cast(pl.Date)
        counts = _cells.collect(
            frame,
            nw.from_native(
                frame.query.to_native()
                .group_by([*keys, period_start_expr(day, granularity).alias("period_start")])
                .agg(
                    pl.len().cast(pl.Int64).alias("offences"),
                    day.min().alias("__first"),
                    day.max().alias("__last"),
                )
            ),
        )
    else:  # counted per calendar month inside the frame's engine, months rolled up here
        months = _cells.records_by_month(frame, keys, date)
        day = pl.date(pl.col("__year"), pl.col("__month"), 1)
        counts = months.group_by(
            [*keys, period_start_expr(day, granularity).alias("period_start")]
        ).agg(
            pl.col("__n").sum().alias("offences"), pl.col("__first").min(), pl.col("__last").max()
        )
    first, last = counts.select(pl.col("__first").min(), pl.col("__last").max()).row(0)
    counts = counts.drop("__first", "__last")
    if "force" in keys:  # one force in two spellings would be counted as two
        refuse_total_and_repeated_names(counts, summed=False, what=what)
    if first is None and span is None:  # no record has a date: no period to speak of
        return counts.with_columns(
            period=pl.lit(None, pl.String), period_end=pl.lit(None, pl.Date)
        ).select(*keys, "period", "period_start", "period_end", "offences")
    if span is None:  # from the first record to the last, each period whole
        _warn_part_periods(first, last, granularity, what)
        periods = _periods((first, last), granularity, clip=False)
    elif first is not None and (first < span[0] or last > span[1]):
        raise DataFormatError(
            f"{what}: records dated from {first} to {last}, outside covers=({span[0]}, "
            f"{span[1]}): the records cover more days than covers says. Widen covers to the "
            "days the records were taken from, or filter the records to those days first"
        )
    else:
        periods = _periods(span, granularity, clip=True)
    dated = counts.filter(pl.col("period_start").is_not_null())
    if span is not None:
        # covers= says the records list every offence of those days: a group with a dated
        # record, in a period without one, had none (0)
        groups = dated.select(keys).unique() if keys else pl.DataFrame({"__all": [0]})
        grid = groups.join(periods.select("period_start"), how="cross").drop("__all", strict=False)
        dated = grid.join(dated, on=[*keys, "period_start"], how="left", nulls_equal=True)
        dated = dated.with_columns(pl.col("offences").fill_null(0))
    return (
        pl.concat([dated, counts.filter(pl.col("period_start").is_null())])
        .join(periods, on="period_start", how="left")
        .with_columns(pl.col("__start").alias("period_start"))
        .select(*keys, "period", "period_start", "period_end", "offences")
        .sort([*keys, "period_start"], nulls_last=True)
    )


def _covers(covers: Any, what: str) -> tuple[dt.date, dt.date]:
    """``covers`` checked: two dates (a datetime is taken as its date), the first not after
    the second."""
    if not (isinstance(covers, Sequence) and not isinstance(covers, str) and len(covers) == 2):
        raise GroomstatsError(
            f"{what}: covers={covers!r} must be the first and last day the records cover, "
            "e.g. covers=(date(2017, 4, 1), date(2018, 3, 31))"
        )
    days = []
    for d in covers:
        if not isinstance(d, dt.date):
            raise GroomstatsError(
                f"{what}: covers={covers!r} holds {d!r}, not a date: give datetime.date "
                "values, e.g. covers=(date(2017, 4, 1), date(2018, 3, 31))"
            )
        days.append(d.date() if isinstance(d, dt.datetime) else d)
    if days[0] > days[1]:
        raise GroomstatsError(
            f"{what}: covers=({days[0]}, {days[1]}) ends before it starts: give the first day, "
            "then the last"
        )
    return days[0], days[1]


def _period_of(day: dt.date, granularity: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of ``granularity`` holding ``day``."""
    start: dt.date = pl.select(period_start_expr(pl.lit(day), granularity)).item()
    return start, end_of(start, STEP[granularity])


def _periods(span: tuple[dt.date, dt.date], granularity: str, *, clip: bool) -> pl.DataFrame:
    """Every period of ``granularity`` that meets ``span``: ``__start`` and ``period_end``
    (the period's days, within the span when ``clip``), ``period`` (the label of those days:
    ``2017/18 Q3`` whole, ``2017-10-01..2017-11-15`` in part) and ``period_start`` (the whole
    period's first day, the key of the counts)."""
    step = STEP[granularity]
    starts, ends = [], []
    s = _period_of(span[0], granularity)[0]
    while s <= span[1]:
        starts.append(s)
        ends.append(end_of(s, step))
        s = ends[-1] + dt.timedelta(days=1)
    first = [max(a, span[0]) if clip else a for a in starts]
    last = [min(b, span[1]) if clip else b for b in ends]
    return pl.DataFrame(
        {
            "period_start": starts,
            "period": [Period.from_bounds(a, b).label for a, b in zip(first, last, strict=True)],
            "__start": first,
            "period_end": last,
        },
        schema={
            "period_start": pl.Date,
            "period": pl.String,
            "__start": pl.Date,
            "period_end": pl.Date,
        },
    )


def _warn_part_periods(first: dt.date, last: dt.date, granularity: str, what: str) -> None:
    """Warn when the records begin after their first period's first day or end before their
    last period's last day: those periods may be covered only in part."""
    (a, _), (_, b) = _period_of(first, granularity), _period_of(last, granularity)
    said = []
    if first > a:
        label = Period.from_bounds(a, end_of(a, STEP[granularity])).label
        said.append(f"{label} begins {a}, the records on {first}")
    if last < b:
        label = Period.from_bounds(_period_of(last, granularity)[0], b).label
        said.append(f"{label} ends {b}, the records on {last}")
    if not said:
        return
    warnings.warn(
        f"{what}: {'; '.join(said)}. Counted as whole periods, as if no offence fell on "
        "the days without a record; if the records were taken from fewer days (an extract "
        "taken mid-period), those periods are covered only in part and their counts are not "
        f"whole periods' counts. Say which: covers=({first!r}, {last!r}) gives them as the "
        "days covered (totals and change then see their periods as incomplete); "
        f"covers=({a!r}, {b!r}) counts them whole",
        PeriodCoverageWarning,
        stacklevel=4,  # the caller of count_records (through its argument-renaming wrapper)
    )

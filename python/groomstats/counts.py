"""Counting: the 88A filter, totals over windows with their coverage (so an incomplete window
shows as such), and record-level rows turned into counts.

Cheap work (filters, group sums, joins) is done in polars; period logic and coverage in the
Rust core.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._args import by_columns
from groomstats._constants import GROOMING_CODE
from groomstats._util import as_polars, check_option, require_columns
from groomstats.areas import BTP, non_territorial_names
from groomstats.exceptions import (
    DataFormatError,
    PeriodError,
)
from groomstats.periods import (
    GRANULARITIES,
    SERIES_BREAK,
    STEP,
    Granularity,
    Period,
    check_series_break,
    end_of,
    parse_period,
    period_start_expr,
    to_days,
)

__all__ = ["count_records", "grooming", "totals"]

#: Label of the national roll-up (``by="national"``).
NATIONAL = "England and Wales"
#: Label of the rows a national or regional roll-up keeps apart.
NON_TERRITORIAL = "Non-territorial bodies"
_PSEUDO = ("national", "nation", "region")
_AREA_KEYS = ("force", "force_code", "area", "region", "nation", "national")


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
    starts = out.get_column("period_start") if "period_start" in out.columns else None
    if starts is not None and isinstance(starts.dtype, pl.Datetime):
        starts = starts.dt.date()  # pandas frames hold datetimes
    first, last = (starts.min(), starts.max()) if starts is not None else (None, None)
    if isinstance(first, date) and isinstance(last, date):
        check_series_break(
            first,
            last,
            allow=allow_series_break,
            refuse=False,
            message=f"88A rows span the series break of {SERIES_BREAK:%d %B %Y}: figures before "
            "it count only meeting a child following grooming (s.15) and are not "
            "comparable with later ones; pass allow_series_break=True if you mean it",
            stacklevel=3,
        )
    return out


def _date_column(df: pl.DataFrame, name: str, what: str) -> pl.DataFrame:
    dtype = df.schema[name]
    if dtype == pl.Date:
        return df
    if isinstance(dtype, pl.Datetime):
        return df.with_columns(pl.col(name).dt.date())
    if dtype == pl.String:
        parsed = df.get_column(name).str.to_date("%Y-%m-%d", strict=False)
        bad = df.get_column(name).is_not_null() & parsed.is_null()
        if bad.any():
            i = int(bad.arg_true()[0])
            raise DataFormatError(
                f"{what}: column '{name}' row {i}: {df[name][i]!r} is not a date (YYYY-MM-DD)"
            )
        return df.with_columns(parsed.alias(name))
    raise DataFormatError(f"{what}: column '{name}' should hold dates, got {dtype}")


def _territorial_expr(df: pl.DataFrame) -> pl.Expr:
    """True for the 43 territorial forces (from the column, else from the force name)."""
    if "territorial" in df.columns:
        return pl.col("territorial").fill_null(False)
    if "force" in df.columns:
        # cast: a Categorical force column raised polars SchemaError (tests/test_hostile.py)
        force = pl.col("force").cast(pl.String)
        return ~force.str.strip_chars().str.to_lowercase().is_in(non_territorial_names())
    if "force_code" in df.columns:
        return pl.col("force_code").is_not_null()
    return pl.lit(True)


def _btp_expr(df: pl.DataFrame) -> pl.Expr:
    if "force" in df.columns:
        return pl.col("force").cast(pl.String).str.strip_chars().str.to_lowercase() == BTP.lower()
    return pl.lit(False)


def _may_hold_88a(df: pl.DataFrame) -> bool:
    """Whether the frame may hold 88A figures (unknown series are assumed to)."""
    if "offence_code" in df.columns:
        return bool(
            (df.get_column("offence_code").cast(pl.String).str.strip_chars() == "88A").any()
        )
    return True


def _check_series_break(
    df: pl.DataFrame, windows: Sequence[Period], allow: bool, what: str, refuse: bool
) -> None:
    if not _may_hold_88a(df):
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
        stacklevel=4,
    )


def _periods_from_labels(df: pl.DataFrame, what: str) -> pl.DataFrame:
    """Add period_start / period_end parsed from a ``financial_year`` or ``period`` column."""
    label = next((c for c in ("financial_year", "period") if c in df.columns), None)
    if label is None or df.schema[label] != pl.String:
        return df  # require_columns then names what is missing
    starts: list[date | None] = []
    ends: list[date | None] = []
    values = df.get_column(label).unique(maintain_order=True)
    for v in values:
        if v is None:
            starts.append(None)
            ends.append(None)
            continue
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
    return df.join(lookup, on=label, how="left", nulls_equal=True, maintain_order="left")


def _prepare(
    data: Any, by: list[str], what: str, include_btp: bool
) -> tuple[pl.DataFrame, list[str]]:
    """Check and normalise the frame; add the pseudo-columns national / nation / region."""
    df = as_polars(data, what)
    real = [b for b in by if b not in _PSEUDO or b in df.columns]
    if "period_start" not in df.columns and "period_end" not in df.columns:
        df = _periods_from_labels(df, what)
    require_columns(df, ["period_start", "period_end", "offences", *real], what)
    for name in ("period_start", "period_end"):
        df = _date_column(df, name, what)
    if not df.schema["offences"].is_numeric():
        raise DataFormatError(
            f"{what}: column 'offences' should hold numbers, got {df.schema['offences']}"
        )
    territorial = _territorial_expr(df)
    extra: list[pl.Expr] = []
    if "national" in by and "national" not in df.columns:
        keep = territorial | _btp_expr(df) if include_btp else territorial
        extra.append(
            pl.when(keep)
            .then(pl.lit(NATIONAL))
            .otherwise(pl.lit(NON_TERRITORIAL))
            .alias("national")
        )
    if "nation" in by and "nation" not in df.columns:
        if "region" in df.columns:
            wales = pl.col("region") == "Wales"
        elif "force_code" in df.columns:
            wales = pl.col("force_code").str.starts_with("W")
        else:
            raise DataFormatError(
                f"{what}: by='nation' needs a 'region' or 'force_code' column to tell England "
                "from Wales"
            )
        extra.append(
            pl.when(~territorial)
            .then(pl.lit(NON_TERRITORIAL))
            .when(wales)
            .then(pl.lit("Wales"))
            .otherwise(pl.lit("England"))
            .alias("nation")
        )
    if "region" in by:
        if "region" not in df.columns:
            raise DataFormatError(
                f"{what}: by='region' needs a 'region' column (read_prc() provides one)"
            )
        extra.append(
            pl.when(territorial)
            .then(pl.col("region"))
            .otherwise(pl.lit(NON_TERRITORIAL))
            .alias("region")
        )
    if extra:
        df = df.with_columns(extra)
    return df, by


def _group_ids(df: pl.DataFrame, by: list[str]) -> tuple[pl.DataFrame, np.ndarray]:
    """The distinct ``by`` keys (in order of appearance, with ``__g``) and each row's ``__g``."""
    if by:
        keys = df.select(by).unique(maintain_order=True).with_row_index("__g")
        g = df.select(by).join(keys, on=by, how="left", nulls_equal=True, maintain_order="left")
        group = g.get_column("__g").to_numpy().astype(np.uint32)
    else:
        keys = pl.DataFrame({"__g": [0]}, schema={"__g": pl.UInt32})
        group = np.zeros(df.height, dtype=np.uint32)
    return keys, group


def _totals(
    df: pl.DataFrame,
    by: list[str],
    window: Period,
    granularity: str | None,
    what: str,
    groups: tuple[pl.DataFrame, np.ndarray] | None = None,
) -> pl.DataFrame:
    """Totals of a prepared frame (no checks of options, no series-break check)."""
    keys, group = groups if groups is not None else _group_ids(df, by)
    n_groups = keys.height
    starts = df.get_column("period_start").cast(pl.Int32).to_numpy()
    ends = df.get_column("period_end").cast(pl.Int32).to_numpy()
    offences = df.get_column("offences")
    if starts.dtype != np.int32 or ends.dtype != np.int32:  # nulls give float arrays
        i = int((df["period_start"].is_null() | df["period_end"].is_null()).arg_true()[0])
        raise DataFormatError(f"{what}: row {i} has no period_start or period_end")
    valid = offences.is_not_null().to_numpy()
    wc = _core.window_coverage(
        np.ascontiguousarray(group),
        np.ascontiguousarray(starts),
        np.ascontiguousarray(ends),
        np.ascontiguousarray(valid, dtype=np.bool_),
        n_groups,
        to_days(window.start),
        to_days(window.end),
        granularity,
    )
    row_p, p_s, p_e, labels = wc.row_period, wc.period_start, wc.period_end, wc.period_label
    unit, expected, present, missing = wc.unit, wc.expected, wc.present, wc.days_missing
    n_p = len(labels)
    inside = pl.DataFrame(
        {
            "__g": group,
            "__p": row_p,
            "offences": offences,
        }
    ).filter(pl.col("__p") >= 0)
    aggs = [
        pl.col("offences").sum().alias("__sum"),
        pl.len().cast(pl.Int32).alias("rows"),
        pl.col("offences").null_count().cast(pl.Int32).alias("null_rows"),
    ]
    if "release" in df.columns:
        inside = inside.with_columns(df.get_column("release").filter(pl.Series(row_p) >= 0))
        aggs.append(pl.col("release").drop_nulls().n_unique().alias("__releases"))
    sums = inside.group_by(["__g", "__p"]).agg(aggs)
    if "__releases" in sums.columns:
        multi = sums.filter(pl.col("__releases") > 1)
        if multi.height:
            gi, pi = int(multi["__g"][0]), int(multi["__p"][0])
            who = keys.filter(pl.col("__g") == gi).drop("__g").row(0) if by else ()
            raise DataFormatError(
                f"{what}: the rows for {who or 'the whole frame'} in {labels[pi]} come from "
                "several releases (column 'release'): figures are revised between releases, so "
                "summing them double counts. Filter the frame to one release first."
            )
        sums = sums.drop("__releases")
    periods = pl.DataFrame(
        {
            "__p": np.arange(n_p, dtype=np.int32),
            "period": labels,
            "period_start": pl.Series(p_s, dtype=pl.Int32).cast(pl.Date),
            "period_end": pl.Series(p_e, dtype=pl.Int32).cast(pl.Date),
            "periods_expected": expected,
        }
    )
    cells = keys.join(periods, how="cross").with_columns(
        (pl.col("__g").cast(pl.Int64) * n_p + pl.col("__p")).alias("__cell")
    )
    cov = pl.DataFrame(
        {
            "__cell": np.arange(n_groups * n_p, dtype=np.int64),
            "periods_present": present,
            "days_missing": missing,
        }
    )
    out = (
        cells.join(cov, on="__cell", how="left")
        .join(sums, on=["__g", "__p"], how="left")
        .with_columns(
            pl.col("rows", "null_rows").fill_null(0),
        )
        .with_columns(
            pl.when(pl.col("rows") > pl.col("null_rows"))
            .then(pl.col("__sum"))
            .otherwise(None)
            .alias("offences"),
            pl.lit(unit).alias("coverage_unit"),
            (
                (pl.col("periods_present") == pl.col("periods_expected"))
                & (pl.col("days_missing") == 0)
                & (pl.col("null_rows") == 0)
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
    )


def totals(
    df: Any,
    by: str | Sequence[str] | None = "force",
    window: str | Period | tuple[date, date] | None = None,
    granularity: Granularity | None = None,
    *,
    include_btp: bool = False,
    allow_series_break: bool = False,
) -> pl.DataFrame:
    """Counts over a window, per group, with coverage so an incomplete window shows as such.

    Rows wholly inside the window are summed; a row the window cuts through (e.g. a window
    ending mid-quarter on quarterly data) raises :class:`PeriodError`: counts are never
    pro-rated.

    Parameters
    ----------
    df
        A frame with ``period_start``, ``period_end`` (dates) and ``offences``, plus the ``by``
        columns: the tidy PRC frame (quarters), or the NSPCC / news series (annual or custom
        periods). Without date columns, a ``financial_year`` (or ``period``) column of period
        spellings (``"2017/18"``) is parsed instead.
    by
        Column(s) to group by. Three roll-ups may be named even when not columns:
        ``"national"`` (England and Wales: the 43 territorial forces, plus British Transport
        Police when ``include_btp``; other rows are kept apart under
        ``"Non-territorial bodies"``), ``"nation"`` (England / Wales) and ``"region"``.
        ``None`` or ``[]`` for one total over every row.
    window
        A period spelling (``"2017/18"``, ``"2017/18 Q1-Q3"``, ``"April to December 2017"``,
        ...; see :meth:`Period.parse <groomstats.Period.parse>`), a
        :class:`~groomstats.Period`, a ``(start, end)`` pair of dates, or ``None`` for the
        whole span of the data.
    granularity
        ``None`` for one row per group over the whole window, or ``"month"``, ``"quarter"``,
        ``"financial_year"``, ``"calendar_year"`` for one row per group and sub-period (the
        window must be made of whole sub-periods, and the data no coarser).
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
        (all present, no day missing, no null count). Every group seen anywhere in ``df`` gets
        a row, with null ``offences`` if it has no data in the window.

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
    │ Kent  ┆ 37       ┆ 3                ┆ 3               ┆ true     │
    │ Essex ┆ 16       ┆ 3                ┆ 2               ┆ false    │
    └───────┴──────────┴──────────────────┴─────────────────┴──────────┘
    """
    what = "totals()"
    by_l = by_columns(by)
    if granularity is not None:
        check_option(granularity, GRANULARITIES, "granularity")
    frame, by_l = _prepare(df, by_l, what, include_btp)
    if window is None:
        if frame.height == 0:
            raise PeriodError(f"{what}: the frame is empty, so it has no span: pass a window")
        first = frame.get_column("period_start").min()
        last = frame.get_column("period_end").max()
        if not isinstance(first, date) or not isinstance(last, date):
            raise DataFormatError(f"{what}: period_start / period_end hold no dates")
        w = Period.from_bounds(first, last)
    else:
        w = parse_period(window)
    _check_series_break(frame, [w], allow_series_break, what, refuse=False)
    out = _totals(frame, by_l, w, granularity, what)
    if "national" in by_l:
        out = out.with_columns(pl.lit(include_btp).alias("includes_btp"))
    return out


# count_records: record-level rows -> counts (the polars group_by, with period columns)
# ---------------------------------------------------------------------------------------------


def count_records(
    df: Any,
    by: str | Sequence[str] | None = None,
    *,
    date: str | None = None,
    granularity: Granularity = "quarter",
) -> pl.DataFrame:
    """Count record-level rows (one row per offence) per group and period.

    One polars ``group_by`` over the rows; the result is a counts frame (``offences``, and with
    ``date`` the ``period``, ``period_start``, ``period_end`` columns of the tidy PRC frame) that
    :func:`groomstats.rates` and the other frame functions accept. Nothing is dropped: rows with
    a null ``by`` value or a null date are counted in a group whose key is null.

    Parameters
    ----------
    df
        A polars or pandas DataFrame (or polars LazyFrame), one row per record.
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
    frame = as_polars(df, what)
    by_l = by_columns(by)
    require_columns(frame, [*by_l, *([date] if date is not None else [])], what)
    keys = list(by_l)
    if date is None:
        out = frame.group_by(keys).agg(pl.len().cast(pl.Int64).alias("offences"))
        return out.sort(keys, nulls_last=True) if keys else out
    check_option(granularity, GRANULARITIES, "granularity")
    dtype = frame.schema[date]
    if not (dtype in (pl.Date, pl.Null) or isinstance(dtype, pl.Datetime)):
        raise DataFormatError(
            f"{what}: column '{date}' holds {dtype}, not dates — convert it first, e.g. "
            f"pl.col('{date}').str.to_date('%Y-%m-%d')"
        )
    day = pl.col(date).cast(pl.Date)
    counts = (
        frame.lazy()
        .group_by([*keys, period_start_expr(day, granularity).alias("period_start")])
        .agg(pl.len().cast(pl.Int64).alias("offences"))
        .collect()
    )
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

"""The DataFrame-level API for the figures local reports are made of: totals over windows and
changes between windows, with an exact test for the ratio of two Poisson rates.

Cheap work (filters, group sums, joins) is done in polars; period logic, coverage and the
statistics in the Rust core.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
    SeriesBreakWarning,
)
from groomstats.periods import (
    GRANULARITIES,
    SERIES_BREAK,
    Granularity,
    Period,
    parse_period,
    to_days,
)

__all__ = ["Alternative", "change", "count_records", "rate_ratio_test", "totals"]

#: Label of the national roll-up (``by="national"``).
NATIONAL = "England and Wales"
#: Label of the rows a national or regional roll-up keeps apart.
NON_TERRITORIAL = "Non-territorial bodies"
_NON_TERRITORIAL_NAMES = (
    "british transport police",
    "action fraud",
    "cifas",
    "uk finance",
    "financial fraud action uk",
)
_BTP = "british transport police"
_PSEUDO = ("national", "nation", "region")
_AREA_KEYS = ("force", "force_code", "area", "region", "nation", "national")

Alternative = Literal["two-sided", "less", "greater"]
_ALTERNATIVES = ("two-sided", "less", "greater")


def _f64(x: Sequence[float] | np.ndarray | float, n: int | None = None) -> np.ndarray:
    try:  # text raised a bare ValueError (found by tests/test_hostile.py)
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise GroomstatsError(f"rate_ratio_test: counts and exposures must be numbers: {e}") from e
    if arr.ndim == 0 and n is not None:
        arr = np.full(n, float(arr))
    return np.ascontiguousarray(arr.ravel())


def rate_ratio_test(
    x1: Sequence[float] | np.ndarray,
    x2: Sequence[float] | np.ndarray,
    t1: Sequence[float] | np.ndarray | float = 1.0,
    t2: Sequence[float] | np.ndarray | float = 1.0,
    *,
    ratio: float = 1.0,
    alternative: Alternative = "two-sided",
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Exact conditional test and confidence interval for the ratio of two Poisson rates.

    With ``x1 ~ Poisson(l1 t1)`` and ``x2 ~ Poisson(l2 t2)``, ``x1`` given ``n = x1 + x2`` is
    ``Binomial(n, p)`` with ``p = R t1 / (R t1 + t2)`` and ``R = l1 / l2``. The p-value is that
    of ``scipy.stats.binomtest(x1, n, p0, alternative)`` (two-sided: the sum of probabilities
    no larger than the observed one); the interval is Clopper-Pearson for ``p`` mapped to ``R``.

    Parameters
    ----------
    x1, x2
        Counts in the current and baseline period (whole and non-negative; anything else gives
        null results, as does a total ``x1 + x2`` above 10^10, beyond the exact method's
        numerical range). With no events in either (``x1 + x2 = 0``) there is nothing to test:
        ``pvalue`` is 1 and the interval 0 to infinity.
    t1, t2
        Exposures (e.g. days in each window, or person-years); scalars or arrays.
    ratio
        Rate ratio under the null hypothesis.
    alternative
        ``"two-sided"``, ``"less"`` or ``"greater"`` (of ``R`` against ``ratio``).
    confidence
        Confidence level of the interval.

    Returns
    -------
    polars.DataFrame
        ``x1``, ``x2``, ``statistic`` (estimated rate ratio), ``pvalue``, ``lower``, ``upper``,
        ``alternative``.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import rate_ratio_test
    >>> rate_ratio_test([274], [114]).select(pl.col("statistic", "lower", "upper").round(4))
    shape: (1, 3)
    ┌───────────┬───────┬────────┐
    │ statistic ┆ lower ┆ upper  │
    │ ---       ┆ ---   ┆ ---    │
    │ f64       ┆ f64   ┆ f64    │
    ╞═══════════╪═══════╪════════╡
    │ 2.4035    ┆ 1.925 ┆ 3.0173 │
    └───────────┴───────┴────────┘
    """
    alt = check_option(alternative, _ALTERNATIVES, "alternative")
    a1 = _f64(x1)
    a2 = _f64(x2)
    n = a1.shape[0]
    rr = _core.rate_ratio_test(
        a1, a2, _f64(t1, n), _f64(t2, n), float(ratio), alt, float(confidence)
    )
    stat, pv, lo, hi = rr.statistic, rr.pvalue, rr.lower, rr.upper
    return pl.DataFrame(
        {
            "x1": a1,
            "x2": a2,
            "statistic": stat,
            "pvalue": pv,
            "lower": lo,
            "upper": hi,
        }
    ).with_columns(
        pl.col("statistic", "pvalue", "lower", "upper").fill_nan(None),
        pl.lit(alt).alias("alternative"),
    )


# ---------------------------------------------------------------------------------------------
# totals
# ---------------------------------------------------------------------------------------------


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    out = list(by)
    if not all(isinstance(b, str) for b in out):
        raise GroomstatsError(f"by={by!r}: expected a column name or a list of column names")
    if len(set(out)) != len(out):
        raise GroomstatsError(f"by={by!r}: a column is named twice")
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
        return ~force.str.strip_chars().str.to_lowercase().is_in(_NON_TERRITORIAL_NAMES)
    if "force_code" in df.columns:
        return pl.col("force_code").is_not_null()
    return pl.lit(True)


def _btp_expr(df: pl.DataFrame) -> pl.Expr:
    if "force" in df.columns:
        return pl.col("force").cast(pl.String).str.strip_chars().str.to_lowercase() == _BTP
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
    start = min(w.start for w in windows)
    end = max(w.end for w in windows)
    if not (start < SERIES_BREAK <= end) or not _may_hold_88a(df):
        return
    if allow and not refuse:  # totals(): the caller said they know
        return
    names = " and ".join(f"'{w.label}'" for w in windows)
    msg = (
        f"{what}: {names} cross(es) the {SERIES_BREAK.isoformat()} break in offence 88A: "
        "from that date it also counts sexual communication with a child (s.15A) and ONS says "
        "figures before and after are not comparable"
    )
    if allow:
        warnings.warn(msg + " (allow_series_break=True)", SeriesBreakWarning, stacklevel=3)
    elif refuse:
        raise PeriodError(msg + ". Pass allow_series_break=True to compare anyway.")
    else:
        warnings.warn(
            msg + ". Pass allow_series_break=True to silence this warning.",
            SeriesBreakWarning,
            stacklevel=3,
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
    by_l = _by_list(by)
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


# ---------------------------------------------------------------------------------------------
# change
# ---------------------------------------------------------------------------------------------


def _pct(cur: pl.Expr, base: pl.Expr) -> pl.Expr:
    return pl.when(base > 0).then(100.0 * (cur - base) / base).otherwise(None)


def _national_from_frame(national: Any, windows: tuple[Period, Period]) -> tuple[pl.DataFrame, str]:
    what = "change(national=...)"
    nat = as_polars(national, what)
    if "area" in nat.columns and nat.get_column("area").n_unique() > 1:
        areas = ", ".join(repr(a) for a in nat.get_column("area").unique(maintain_order=True))
        raise DataFormatError(
            f"{what}: the national frame holds several areas ({areas}); filter it to one "
            "(e.g. area == 'England and Wales')"
        )
    nat, _ = _prepare(nat, [], what, include_btp=False)
    cur = _totals(nat, [], windows[0], None, what)
    base = _totals(nat, [], windows[1], None, what)
    label = "national frame"
    if "area" in nat.columns and nat.height:
        label = f"national frame ({nat.get_column('area')[0]})"
    row = pl.DataFrame(
        {
            "national_current": cur.get_column("offences"),
            "national_baseline": base.get_column("offences"),
            "national_current_complete": cur.get_column("complete"),
            "national_baseline_complete": base.get_column("complete"),
        }
    )
    return row, label


def change(
    df: Any,
    current: str | Period | tuple[date, date],
    baseline: str | Period | tuple[date, date] = "previous_year",
    by: str | Sequence[str] | None = "force",
    *,
    national: Any = None,
    comparable_only: bool = False,
    include_btp: bool = False,
    allow_series_break: bool = False,
    alternative: Alternative = "two-sided",
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Change between two windows per area, against the national change, with an exact test.

    For each group: the counts in the current and baseline windows, the absolute and percent
    change, the national percent change over the same windows, the ratio of the two ("almost
    four times the national rate of increase"), and the exact conditional-binomial test and
    interval for the ratio of the two Poisson rates (exposure = days in each window; see
    :func:`rate_ratio_test`).

    Parameters
    ----------
    df
        A frame with ``period_start``, ``period_end``, ``offences`` and the ``by`` columns (see
        :func:`totals`).
    current
        The current window: a spelling (``"2018/19"``, ``"April to December 2017"``), a
        :class:`~groomstats.Period` or a ``(start, end)`` pair of dates.
    baseline
        ``"previous_year"`` (the current window a year earlier) or another window.
    by
        Group column(s), as for :func:`totals`.
    national
        ``None`` to sum the national figure from ``df`` (over the territorial areas of the
        first area-like ``by`` column, per remaining ``by`` columns), or a frame holding one
        national series (``period_start``, ``period_end``, ``offences``; e.g. the NSPCC
        national figures of one release).
    comparable_only
        Sum the national figure only over areas with a count (non-null) in both windows
        ("where forces could be directly compared"). Needs ``national=None``.
    include_btp
        Count British Transport Police in the national sum.
    allow_series_break
        Windows crossing the 1 April 2017 break in 88A raise :class:`PeriodError` unless this
        is True (then a :class:`~groomstats.SeriesBreakWarning` is issued).
    alternative, confidence
        Of the rate-ratio test, in scipy's vocabulary.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``current_period``, ``baseline_period`` (labels), ``current``,
        ``baseline``, ``change``, ``pct_change``, ``current_complete``,
        ``baseline_complete``, ``national_current``, ``national_baseline``,
        ``national_pct_change``, ``ratio_to_national`` (``pct_change / national_pct_change``),
        ``national_areas`` (areas summed, or null for a national frame), ``national_source``,
        ``statistic`` (rate ratio), ``pvalue``, ``lower``, ``upper``, ``alternative``, and
        ``note`` saying why a figure is missing or needs care (no data, negative total, zero
        baseline, incomplete window), null otherwise.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import groomstats
    >>> df = pl.DataFrame({
    ...     "force": ["A", "A", "B", "B"],
    ...     "period_start": [date(2017, 4, 1), date(2018, 4, 1)] * 2,
    ...     "period_end": [date(2018, 3, 31), date(2019, 3, 31)] * 2,
    ...     "offences": [100, 150, 200, 210],
    ... })
    >>> c = groomstats.change(df, current="2018/19", by="force")
    >>> c.select("force", "current", "baseline", "pct_change", "ratio_to_national",
    ...          pl.col("pvalue").round(3))
    shape: (2, 6)
    ┌───────┬─────────┬──────────┬────────────┬───────────────────┬────────┐
    │ force ┆ current ┆ baseline ┆ pct_change ┆ ratio_to_national ┆ pvalue │
    │ ---   ┆ ---     ┆ ---      ┆ ---        ┆ ---               ┆ ---    │
    │ str   ┆ i64     ┆ i64      ┆ f64        ┆ f64               ┆ f64    │
    ╞═══════╪═════════╪══════════╪════════════╪═══════════════════╪════════╡
    │ A     ┆ 150     ┆ 100      ┆ 50.0       ┆ 2.5               ┆ 0.002  │
    │ B     ┆ 210     ┆ 200      ┆ 5.0        ┆ 0.25              ┆ 0.657  │
    └───────┴─────────┴──────────┴────────────┴───────────────────┴────────┘
    >>> c["national_pct_change"].to_list()
    [20.0, 20.0]
    """
    what = "change()"
    alt = check_option(alternative, _ALTERNATIVES, "alternative")
    by_l = _by_list(by)
    cur = parse_period(current)
    if isinstance(baseline, str) and baseline.strip().lower().replace(" ", "_") in (
        "previous_year",
        "same_period_last_year",
    ):
        base = cur.shift_years(-1)
    else:
        base = parse_period(baseline)
    if cur.start <= base.end and base.start <= cur.end:
        raise PeriodError(
            f"{what}: the current window '{cur.label}' and the baseline '{base.label}' overlap: "
            "the comparison needs two separate windows"
        )
    if comparable_only and national is not None:
        raise GroomstatsError(
            f"{what}: comparable_only=True restricts a national sum to the areas of df present "
            "in both windows; it cannot be applied to a separate national frame (pass "
            "national=None, or filter the national frame yourself)"
        )
    frame, by_l = _prepare(df, by_l, what, include_btp)
    _check_series_break(frame, [cur, base], allow_series_break, what, refuse=True)
    groups = _group_ids(frame, by_l)
    tc = _totals(frame, by_l, cur, None, what, groups)
    tb = _totals(frame, by_l, base, None, what, groups)
    keep = [*by_l, "offences", "complete"]
    both = tc.select(keep).rename({"offences": "current", "complete": "current_complete"})
    tb2 = tb.select(keep).rename({"offences": "baseline", "complete": "baseline_complete"})
    # Both come from the same group keys in the same order: a horizontal stack is exact.
    out = pl.concat([both, tb2.drop(by_l)], how="horizontal").with_columns(
        pl.lit(cur.label).alias("current_period"),
        pl.lit(base.label).alias("baseline_period"),
        (pl.col("current") - pl.col("baseline")).alias("change"),
        _pct(pl.col("current"), pl.col("baseline")).alias("pct_change"),
    )

    # The national comparison.
    if national is not None:
        nat_row, source = _national_from_frame(national, (cur, base))
        out = out.join(nat_row.select("national_current", "national_baseline"), how="cross")
        out = out.with_columns(pl.lit(None, dtype=pl.Int32).alias("national_areas"))
    else:
        # the finest area column is summed over; the national figure is per the non-area
        # columns (e.g. per offence code)
        area = next((a for a in _AREA_KEYS if a in by_l), None)
        others = [b for b in by_l if b not in _AREA_KEYS]
        if area is None:
            contrib = pl.lit(True)
        elif area in ("force", "force_code"):
            terr = frame.select(
                area, (_territorial_expr(frame) | (_btp_expr(frame) & include_btp)).alias("__t")
            ).unique(subset=[area], keep="first")
            out = out.join(terr, on=area, how="left", nulls_equal=True)
            contrib = pl.col("__t").fill_null(False)
        else:
            contrib = pl.col(area) != NON_TERRITORIAL
        if comparable_only:
            contrib = contrib & pl.col("current").is_not_null() & pl.col("baseline").is_not_null()
        nat = (
            out.filter(contrib)
            .group_by(others)
            .agg(
                pl.col("current").sum().alias("national_current"),
                pl.col("baseline").sum().alias("national_baseline"),
                pl.len().cast(pl.Int32).alias("national_areas"),
            )
        )
        if others:
            out = out.join(nat, on=others, how="left", nulls_equal=True)
        else:
            out = (
                out.join(nat, how="cross")
                if nat.height
                else out.with_columns(
                    pl.lit(None, dtype=pl.Int64).alias("national_current"),
                    pl.lit(None, dtype=pl.Int64).alias("national_baseline"),
                    pl.lit(None, dtype=pl.Int32).alias("national_areas"),
                )
            )
        parts = [f"sum over {area or 'all rows'} in df"]
        if area in ("force", "force_code"):
            parts.append("territorial forces" + (" + BTP" if include_btp else ", excluding BTP"))
        if comparable_only:
            parts.append("areas with counts in both windows only")
        source = "; ".join(parts)
        if "__t" in out.columns:
            out = out.drop("__t")
    out = out.with_columns(
        _pct(pl.col("national_current"), pl.col("national_baseline")).alias("national_pct_change"),
        pl.lit(source).alias("national_source"),
    ).with_columns(
        pl.when(pl.col("national_pct_change") != 0)
        .then(pl.col("pct_change") / pl.col("national_pct_change"))
        .otherwise(None)
        .alias("ratio_to_national")
    )

    # The exact test for the ratio of the two rates.
    x1 = out.get_column("current").cast(pl.Float64).fill_null(float("nan")).to_numpy()
    x2 = out.get_column("baseline").cast(pl.Float64).fill_null(float("nan")).to_numpy()
    rr = _core.rate_ratio_test(
        np.ascontiguousarray(x1),
        np.ascontiguousarray(x2),
        np.full(x1.shape[0], float(cur.days)),
        np.full(x1.shape[0], float(base.days)),
        1.0,
        alt,
        float(confidence),
    )
    stat, pv, lo, hi = rr.statistic, rr.pvalue, rr.lower, rr.upper
    out = out.with_columns(
        pl.Series("statistic", stat).fill_nan(None),
        pl.Series("pvalue", pv).fill_nan(None),
        pl.Series("lower", lo).fill_nan(None),
        pl.Series("upper", hi).fill_nan(None),
        pl.lit(alt).alias("alternative"),
    )
    cur_v, base_v = pl.col("current"), pl.col("baseline")
    out = out.with_columns(
        pl.when(cur_v.is_null())
        .then(pl.lit("no data in the current window"))
        .when(base_v.is_null())
        .then(pl.lit("no data in the baseline window"))
        .when((cur_v < 0) | (base_v < 0))
        .then(pl.lit("negative total (reclassification adjustments): no test"))
        .when((cur_v == 0) & (base_v == 0))
        .then(pl.lit("no offences in either window"))
        .when(base_v == 0)
        .then(pl.lit("baseline is 0: percent change undefined"))
        .when(~pl.col("current_complete") | ~pl.col("baseline_complete"))
        .then(pl.lit("incomplete window: see totals() coverage"))
        .otherwise(None)
        .alias("note")
    )
    return out.select(
        *by_l,
        "current_period",
        "baseline_period",
        "current",
        "baseline",
        "change",
        "pct_change",
        "current_complete",
        "baseline_complete",
        "national_current",
        "national_baseline",
        "national_pct_change",
        "ratio_to_national",
        "national_areas",
        "national_source",
        "statistic",
        "pvalue",
        "lower",
        "upper",
        "alternative",
        "note",
    )


# ---------------------------------------------------------------------------------------------
# count_records: record-level rows -> counts (the polars group_by, with period columns)
# ---------------------------------------------------------------------------------------------

_TRUNCATE = {"month": "1mo", "quarter": "1q", "calendar_year": "1y"}
_STEP = {"month": "1mo", "quarter": "3mo", "financial_year": "1y", "calendar_year": "1y"}


def _period_start(day: pl.Expr, granularity: str) -> pl.Expr:
    if granularity == "financial_year":  # April-March: shift to calendar years and back
        return day.dt.offset_by("-3mo").dt.truncate("1y").dt.offset_by("3mo")
    return day.dt.truncate(_TRUNCATE[granularity])


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
    if by is None:
        by_l: list[str] = []
    elif isinstance(by, str):
        by_l = [by]
    else:
        by_l = list(by)
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
        .group_by([*keys, _period_start(day, granularity).alias("period_start")])
        .agg(pl.len().cast(pl.Int64).alias("offences"))
        .collect()
    )
    starts = counts.get_column("period_start").unique().drop_nulls().to_list()
    step = _STEP[granularity]
    labels = pl.DataFrame(
        {
            "period_start": starts,
            "period": [
                Period.from_bounds(s, _end_of(s, step)).label  # canonical spelling
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


def _end_of(start: _dt.date, step: str) -> _dt.date:
    months = {"1mo": 1, "3mo": 3, "1y": 12}[step]
    m = start.month - 1 + months
    first_after = _dt.date(start.year + m // 12, m % 12 + 1, 1)
    return first_after - _dt.timedelta(days=1)

"""The DataFrame-level API for the figures local reports are made of: totals over windows and
changes between windows, with an exact test for the ratio of two Poisson rates.

Cheap work (filters, group sums, joins) is done in polars; period logic, coverage and the
statistics in the Rust core.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import DataFormatError
from groomstats.periods import GRANULARITIES, Granularity, Period

__all__ = ["Alternative", "count_records", "rate_ratio_test"]

Alternative = Literal["two-sided", "less", "greater"]
_ALTERNATIVES = ("two-sided", "less", "greater")


def _f64(x: Sequence[float] | np.ndarray | float, n: int | None = None) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
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
        numerical range).
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
    stat, pv, lo, hi = _core.rate_ratio_test(
        a1, a2, _f64(t1, n), _f64(t2, n), float(ratio), alt, float(confidence)
    )
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

"""Interrupted time series by segmented regression (:func:`interrupted`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from groomstats import _core
from groomstats._args import Confidence, by_columns, confidence_levels, renamed
from groomstats._util import as_days, as_polars, check_option
from groomstats.exceptions import DataFormatError, PeriodError
from groomstats.periods import (
    is_series_break_date,
    may_hold_88a,
    parse_period,
    series_values,
)
from groomstats.trends._series import (
    _MODELS,
    _TREND_POSITIONAL,
    Incomplete,
    Model,
    _intervals,
    _null_unconverged,
    _prepare,
    _Prepared,
    _quarter_dummies,
    _time_to_date,
)

__all__ = ["interrupted"]


def _period_starts(prep: _Prepared) -> npt.NDArray[np.int64]:
    """First day of each used row's period, as days since 1970-01-01.

    Financial years and integer years (with or without a quarter column) start where the
    series-break check places them, :func:`groomstats.trends._series._time_to_date`, the one
    rule for what a year means: ``2020`` is the financial year starting 1 April 2020, as
    ``"2020/21"`` is, so ``at=`` and the 1 April 2017 break are placed on one calendar.
    """
    epoch = dt.date(1970, 1, 1)
    if prep.kind == "date":
        days = [(d - epoch).days for d in as_days(prep.labels).to_list()]
        return np.array(days, dtype=np.int64)
    starts = {v: (_time_to_date(v, prep.kind) - epoch).days for v in set(prep.t.tolist())}
    return np.array([starts[v] for v in prep.t.tolist()], dtype=np.int64)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def _straddling(
    prep: _Prepared, starts_days: npt.NDArray[np.int64], post: npt.NDArray[np.float64], at: dt.date
) -> list[str | None]:
    """Per group, a note when ``at`` falls inside a period (after its first day): that period
    mixes days before and after the interruption and is counted before it."""
    notes: list[str | None] = [None] * prep.groups.height
    if prep.kind == "date":  # periods given by one date each: their length is not known
        return notes
    months = 3 if prep.quarter is not None else 12
    epoch = dt.date(1970, 1, 1)
    at_days = (at - epoch).days
    for g in range(prep.groups.height):
        lo, hi = int(prep.starts[g]), int(prep.starts[g + 1])
        pre = np.flatnonzero(post[lo:hi] == 0)
        if not pre.size:
            continue
        i = lo + int(pre[np.argmax(starts_days[lo:hi][pre])])
        first = epoch + dt.timedelta(days=int(starts_days[i]))
        nxt = _add_months(first, months)
        if first < at < nxt:
            label = str(prep.labels[i])
            last = nxt - dt.timedelta(days=1)
            notes[g] = (
                f"at={at.isoformat()} falls inside {label} ({first.isoformat()} to "
                f"{last.isoformat()}): that period mixes {(at_days - int(starts_days[i]))} "
                f"day(s) before the interruption with {(nxt - at).days} after it and is counted "
                f"before it; put at= on a period's first day ({first.isoformat()} or "
                f"{nxt.isoformat()}) to have no mixed period"
            )
    return notes


def _parse_at(at: str | dt.date) -> dt.date:
    if isinstance(at, dt.datetime):
        return at.date()
    if isinstance(at, dt.date):
        return at
    if not isinstance(at, str):
        raise PeriodError(f"at={at!r}: give a date such as '2020-04-01' or a period '2020/21'")
    try:
        return dt.date.fromisoformat(at.strip())
    except ValueError:
        return parse_period(at).start


@renamed(was_positional=_TREND_POSITIONAL, df="data", exposure="denominator")
def interrupted(
    data: Any,
    at: str | dt.date,
    *,
    by: Sequence[str] | str | None = None,
    time: str = "financial_year",
    count: str = "offences",
    model: Model = "poisson",
    denominator: str | None = None,
    quarter: str | None = None,
    seasonality: bool = False,
    confidence: Confidence = 0.95,
    allow_series_break: bool = False,
    incomplete: Incomplete = "drop",
) -> pl.DataFrame:
    """Interrupted time series by segmented regression (Bernal, Cummins & Gasparrini 2017).

    Fits log E[count] = b0 + b1·t + b2·post + b3·(t - t_at)·post (+ quarter effects)
    (+ log denominator) per group, where ``post`` marks periods starting on or after ``at`` and
    t_at is the time of the first such period. exp(b2) is the level change (rate ratio at the
    interruption), exp(b3) the slope change (ratio of the yearly rate ratios after and before).

    Parameters
    ----------
    data
        polars or pandas DataFrame, one row per group and period.
    at
        The interruption: a date (``"2020-04-01"``) or a period spelling (``"2020/21"``).
        1 April 2017 (the 88A series break) is refused unless ``allow_series_break=True``.
        A period is after it when it starts on or after it; an integer year ``y`` starts on
        1 April ``y``, as the financial year ``"y/y+1"`` does (and as the series-break check
        places it), so ``2020`` is after ``at="2020-04-01"`` and before ``"2020-04-02"``.
    by, time, count, model, denominator, quarter, seasonality, confidence
        As :func:`trend`.
    allow_series_break
        Treat the 1 April 2017 change in classification 88A as the interruption, or fit
        a series crossing it.
    incomplete
        What to do with incomplete periods: rows whose coverage columns (from
        :func:`totals`: ``complete=False``, ``null_rows``, ``days_missing``,
        ``periods_present`` below ``periods_expected``) say a group's count is partial (e.g.
        one force of a region blank that year). ``"drop"`` (default) leaves them out and lists
        them in ``left_out``; ``"keep"`` fits them; ``"raise"`` raises
        :class:`DataFormatError` naming them. Rows with no count are always left out and
        listed (as in :func:`trend`).

    Returns
    -------
    polars.DataFrame
        One row per group: ``n``, ``n_pre``, ``n_post``, ``n_excluded``, ``level_change``
        (rate ratio) with ``level_lower_95``, ``level_upper_95``, ``level_pvalue``;
        ``slope_change`` (ratio per year) with ``slope_lower_95``, ``slope_upper_95``,
        ``slope_pvalue``; ``apc_before`` and ``apc_after`` (annual percent change either side,
        with ``apc_before_lower_95``, ...); ``dispersion``, ``alpha``, ``converged``,
        ``reason`` and ``note`` (null unless ``at`` falls inside a period, after its first
        day: that period mixes days either side, is counted before the interruption, and the
        note names it). Interval columns come in one pair per confidence level.

    Raises
    ------
    PeriodError
        ``at`` is the 1 April 2017 series break (or the series crosses it) without
        ``allow_series_break=True``, or ``at`` cannot be read.

    Examples
    --------
    >>> import polars as pl
    >>> import groomstats
    >>> df = pl.DataFrame({
    ...     "financial_year": [f"{y}/{(y + 1) % 100:02d}" for y in range(2017, 2025)],
    ...     "offences": [100, 110, 121, 133, 200, 220, 242, 266],
    ... })
    >>> out = groomstats.interrupted(df, at="2021-04-01")
    >>> out.select("n_pre", "n_post", pl.col("level_change", "slope_change").round(3))
    shape: (1, 4)
    ┌───────┬────────┬──────────────┬──────────────┐
    │ n_pre ┆ n_post ┆ level_change ┆ slope_change │
    │ ---   ┆ ---    ┆ ---          ┆ ---          │
    │ i64   ┆ i64    ┆ f64          ┆ f64          │
    ╞═══════╪════════╪══════════════╪══════════════╡
    │ 4     ┆ 4      ┆ 1.367        ┆ 1.0          │
    └───────┴────────┴──────────────┴──────────────┘
    """
    model = check_option(model, _MODELS, "model")  # type: ignore[assignment]
    levels = confidence_levels(confidence)
    at_date = _parse_at(at)
    if (
        is_series_break_date(at_date)
        and not allow_series_break
        and may_hold_88a(series_values(as_polars(data, "interrupted")))
    ):
        raise PeriodError(
            f"interrupted: at={at!r} is the 1 April 2017 series break in classification 88A "
            "(sexual communication with a child added, s.15A in force 3 April 2017), not an "
            "event in the data: ONS says figures either side are not comparable. Pass "
            "allow_series_break=True to model it as an interruption anyway."
        )
    prep = _prepare(
        data, by, time, count, denominator, quarter, allow_series_break, "interrupted", incomplete
    )
    if prep.kind == "number":
        raise DataFormatError(
            f"interrupted: column '{time}' holds plain numbers; give financial years, "
            "integer years or dates so that at= can be placed"
        )
    starts_days = _period_starts(prep)
    at_days = (at_date - dt.date(1970, 1, 1)).days
    post = (starts_days >= at_days).astype(np.float64)
    n_groups = prep.groups.height
    t0 = float(prep.t.min()) if prep.t.size else 0.0
    since = np.zeros_like(prep.t)
    n_pre = np.zeros(n_groups, dtype=np.int64)
    n_post = np.zeros(n_groups, dtype=np.int64)
    for g in range(n_groups):
        lo, hi = int(prep.starts[g]), int(prep.starts[g + 1])
        pg = post[lo:hi] > 0
        n_post[g] = int(pg.sum())
        n_pre[g] = hi - lo - n_post[g]
        if n_post[g]:
            t_at = prep.t[lo:hi][pg].min()
            since[lo:hi] = np.where(pg, prep.t[lo:hi] - t_at, 0.0)
    cols = [np.ones_like(prep.t), prep.t - t0, post, since]
    if seasonality:
        cols.extend(_quarter_dummies(prep.quarter, "interrupted").T)
    p = len(cols)
    x = np.ascontiguousarray(np.column_stack(cols)) if prep.t.size else np.zeros((0, p))
    res = _core.glm_fit(prep.y, x, prep.offset, prep.starts, model)
    coef = res["coef"].reshape(-1, p)
    se = res["se"].reshape(-1, p)
    pv = res["pvalue"].reshape(-1, p)
    cov = res["cov"].reshape(-1, p, p)
    after = coef[:, 1] + coef[:, 3]
    after_se = np.sqrt(np.maximum(cov[:, 1, 1] + cov[:, 3, 3] + 2 * cov[:, 1, 3], 0.0))
    reasons: list[str | None] = list(res["reason"])
    for g in range(n_groups):
        if n_pre[g] < 2 or n_post[g] < 2:
            reasons[g] = (
                f"needs at least 2 periods before {at_date.isoformat()} and 2 from it "
                f"(to estimate both trends), got {n_pre[g]} and {n_post[g]}"
            )
            coef[g] = np.nan
            se[g] = np.nan
            pv[g] = np.nan
            after[g] = np.nan
            after_se[g] = np.nan

    notes = _straddling(prep, starts_days, post, at_date)

    def rr(j: int, sign: float) -> Callable[[float], npt.NDArray[np.float64]]:
        return lambda z: np.asarray(np.exp(coef[:, j] + sign * z * se[:, j]), dtype=np.float64)

    with np.errstate(over="ignore", invalid="ignore"):  # unconverged fits are nulled below
        out = _its_frame(prep.groups, model, at_date, levels, coef, se, pv, after, after_se, rr)
    out = out.with_columns(
        pl.Series("n_pre", n_pre),
        pl.Series("n_post", n_post),
        pl.Series("dispersion", res["dispersion"]),
        pl.Series("alpha", res["alpha"]),
        pl.Series("converged", res["converged"]),
        pl.Series("reason", reasons, dtype=pl.String),
        pl.Series("note", notes, dtype=pl.String),
    )
    lead = [*by_columns(by), "model", "at", "n", "n_pre", "n_post", "n_excluded", "first", "last"]
    out = out.select(lead + [c for c in out.columns if c not in lead])
    return _null_unconverged(out.with_columns(pl.col(pl.Float64).fill_nan(None)))


def _its_frame(
    groups: pl.DataFrame,
    model: str,
    at_date: Any,
    levels: list[float],
    coef: Any,
    se: Any,
    pv: Any,
    after: Any,
    after_se: Any,
    rr: Callable[[int, float], Callable[[float], npt.NDArray[np.float64]]],
) -> pl.DataFrame:
    return groups.drop("_gid").with_columns(
        pl.lit(model).alias("model"),
        pl.lit(at_date).alias("at"),
        pl.Series("level_change", np.exp(coef[:, 2])),
        *_intervals(levels, "level", rr(2, -1.0), rr(2, 1.0)),
        pl.Series("level_pvalue", pv[:, 2]),
        pl.Series("slope_change", np.exp(coef[:, 3])),
        *_intervals(levels, "slope", rr(3, -1.0), rr(3, 1.0)),
        pl.Series("slope_pvalue", pv[:, 3]),
        pl.Series("apc_before", 100.0 * np.expm1(coef[:, 1])),
        *_intervals(
            levels,
            "apc_before",
            lambda z: 100.0 * np.expm1(coef[:, 1] - z * se[:, 1]),
            lambda z: 100.0 * np.expm1(coef[:, 1] + z * se[:, 1]),
        ),
        pl.Series("apc_after", 100.0 * np.expm1(after)),
        *_intervals(
            levels,
            "apc_after",
            lambda z: 100.0 * np.expm1(after - z * after_se),
            lambda z: 100.0 * np.expm1(after + z * after_se),
        ),
    )

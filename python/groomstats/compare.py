"""Comparing windows: the change between two windows per area against the national change,
with the exact test for the ratio of two Poisson rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._args import Confidence, by_columns, confidence_levels, interval_names, renamed
from groomstats._util import as_polars, check_option
from groomstats.counts import (
    _AREA_KEYS,
    NON_TERRITORIAL,
    _btp_expr,
    _check_series_break,
    _prepare,
    _Prepared,
    _territorial_expr,
    _totals,
    _with_row_numbers,
)
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
)
from groomstats.periods import (
    Period,
    parse_period,
)

__all__ = ["Alternative", "change", "rate_ratio_test"]

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
    confidence: Confidence = 0.95,
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
        Confidence level(s) of the interval: a float or a tuple such as ``(0.95, 0.998)``.

    Returns
    -------
    polars.DataFrame
        ``x1``, ``x2``, ``statistic`` (estimated rate ratio), ``pvalue``, ``lower_95``,
        ``upper_95`` (one pair per level: ``lower_99_8``, ...), ``alternative``.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import rate_ratio_test
    >>> rate_ratio_test([274], [114]).select(pl.col("statistic", "lower_95", "upper_95").round(4))
    shape: (1, 3)
    ┌───────────┬──────────┬──────────┐
    │ statistic ┆ lower_95 ┆ upper_95 │
    │ ---       ┆ ---      ┆ ---      │
    │ f64       ┆ f64      ┆ f64      │
    ╞═══════════╪══════════╪══════════╡
    │ 2.4035    ┆ 1.925    ┆ 3.0173   │
    └───────────┴──────────┴──────────┘
    """
    alt = check_option(alternative, _ALTERNATIVES, "alternative")
    a1 = _f64(x1)
    a2 = _f64(x2)
    n = a1.shape[0]
    cols = _rate_ratio_columns(a1, a2, _f64(t1, n), _f64(t2, n), float(ratio), alt, confidence)
    return pl.DataFrame({"x1": a1, "x2": a2, **cols}).with_columns(
        pl.col(*cols).fill_nan(None),
        pl.lit(alt).alias("alternative"),
    )


def _rate_ratio_columns(
    x1: np.ndarray,
    x2: np.ndarray,
    t1: np.ndarray,
    t2: np.ndarray,
    ratio: float,
    alt: str,
    confidence: Confidence,
) -> dict[str, np.ndarray]:
    """``statistic``, ``pvalue`` and ``lower_<c>``/``upper_<c>`` per confidence level."""
    out: dict[str, np.ndarray] = {}
    for c in confidence_levels(confidence):
        stat, pv, lo, hi = _core.rate_ratio_test(x1, x2, t1, t2, ratio, alt, c)
        out.setdefault("statistic", stat)
        out.setdefault("pvalue", pv)
        lower, upper = interval_names(c)
        out[lower], out[upper] = lo, hi
    return out


def _pct(cur: pl.Expr, base: pl.Expr) -> pl.Expr:
    return pl.when(base > 0).then(100.0 * (cur - base) / base).otherwise(None)


def _national_from_frame(
    national: Any, windows: tuple[Period, Period], count: str
) -> tuple[pl.DataFrame, str]:
    what = "change(national=...)"
    nat = as_polars(national, what)
    if "area" in nat.columns and nat.get_column("area").n_unique() > 1:
        areas = ", ".join(repr(a) for a in nat.get_column("area").unique(maintain_order=True))
        raise DataFormatError(
            f"{what}: the national frame holds several areas ({areas}); filter it to one "
            "(e.g. area == 'England and Wales')"
        )
    cur, base = _totals(
        _prepare(nat, [], what, include_btp=False, count=count), list(windows), None, what
    )
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


@renamed(was_positional=("by",), df="data")
def change(
    data: Any,
    current: str | Period | tuple[date, date],
    baseline: str | Period | tuple[date, date] = "previous_year",
    *,
    by: str | Sequence[str] | None = None,
    count: str = "offences",
    national: Any = None,
    comparable_only: bool = False,
    include_btp: bool = False,
    allow_series_break: bool = False,
    alternative: Alternative = "two-sided",
    confidence: Confidence = 0.95,
) -> pl.DataFrame:
    """Change between two windows per area, against the national change, with an exact test.

    For each group: the counts in the current and baseline windows, the absolute and percent
    change, the national percent change over the same windows, the ratio of the two ("almost
    four times the national rate of increase"), and the exact conditional-binomial test and
    interval for the ratio of the two Poisson rates (exposure = days in each window; see
    :func:`rate_ratio_test`).

    Parameters
    ----------
    data
        A frame with ``period_start``, ``period_end``, the count column and the ``by`` columns
        (see :func:`totals`).
    current
        The current window: a spelling (``"2018/19"``, ``"April to December 2017"``), a
        :class:`~groomstats.Period` or a ``(start, end)`` pair of dates.
    baseline
        ``"previous_year"`` (the current window a year earlier) or another window.
    by
        Group column(s), as for :func:`totals` (default ``None``: one row over every row).
    count
        The count column (default ``"offences"``), in ``data`` and in a ``national`` frame.
    national
        ``None`` to sum the national figure from ``data`` (over the territorial areas of the
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
        Of the rate-ratio test, in scipy's vocabulary; ``confidence`` a float or a tuple.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``current_period``, ``baseline_period`` (labels), ``current``,
        ``baseline``, ``change``, ``pct_change``, ``current_complete``,
        ``baseline_complete``, ``national_current``, ``national_baseline``,
        ``national_pct_change``, ``ratio_to_national`` (``pct_change / national_pct_change``),
        ``national_areas`` (areas summed, or null for a national frame), ``national_source``,
        ``statistic`` (rate ratio), ``pvalue``, ``lower_95``, ``upper_95`` (per level),
        ``alternative``, and
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
    by_l = by_columns(by)
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
            f"{what}: comparable_only=True restricts a national sum to the areas of data present "
            "in both windows; it cannot be applied to a separate national frame (pass "
            "national=None, or filter the national frame yourself)"
        )

    def run(row_numbers: bool) -> tuple[_Prepared, pl.DataFrame, pl.DataFrame]:
        prep = _prepare(
            data, by_l, what, include_btp, count, row_numbers=row_numbers, windows=[cur, base]
        )
        _check_series_break(prep, [cur, base], allow_series_break, what, refuse=True)
        # one aggregation of the frame, both windows' coverage in one Rust call
        tc, tb = _totals(prep, [cur, base], None, what)
        return prep, tc, tb

    prep, tc, tb = _with_row_numbers(data, run)
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
        nat_row, source = _national_from_frame(national, (cur, base), count)
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
            fine = prep.fine
            terr = fine.select(
                area, (_territorial_expr(fine) | (_btp_expr(fine) & include_btp)).alias("__t")
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
        parts = [f"sum over {area or 'all rows'} in data"]
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
    test = _rate_ratio_columns(
        np.ascontiguousarray(x1),
        np.ascontiguousarray(x2),
        np.full(x1.shape[0], float(cur.days)),
        np.full(x1.shape[0], float(base.days)),
        1.0,
        alt,
        confidence,
    )
    out = out.with_columns(
        *[pl.Series(name, v).fill_nan(None) for name, v in test.items()],
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
        *test,
        "alternative",
        "note",
    )

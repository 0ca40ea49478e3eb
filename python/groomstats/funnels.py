"""Funnel plots: is an area significantly above or below the national value?

* :func:`funnel` — one row per area: its value, the national value (``target``), the 95% and
  99.8% control limits at its denominator and a PHE significance label (``"High (0.001)"``,
  ``"High (0.025)"``, ``"Not significant"``, ``"Low (0.025)"``, ``"Low (0.001)"``).
* :func:`funnel_limits` — the limits as smooth curves over a grid of denominators, for plotting
  (``groomstats.plot.funnel(areas, limits=curves)``).

Rates use exact Poisson limits, proportions Wilson score limits, both around the national value
(PHE Fingertips / PHStatsMethods conventions). ``overdispersion=True`` widens them by the
between-area variance estimated as Spiegelhalter (2005) and FunnelPlotR do: z-scores on a
square-root (rates) or arcsine-square-root (proportions) scale, winsorised at 10% each end,
dispersion ratio ``phi``, DerSimonian-Laird ``tau2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._args import Confidence, check_per, confidence_levels, confidence_suffix, renamed
from groomstats._util import as_polars, check_option, incomplete_rows, require_columns
from groomstats.areas import refuse_repeated_areas
from groomstats.exceptions import GroomstatsError
from groomstats.intervals import _numeric

__all__ = ["funnel", "funnel_limits"]

Statistic = Literal["rate", "proportion"]
STATISTICS: tuple[str, ...] = ("rate", "proportion")


@dataclass(frozen=True)
class _Fit:
    statistic: str
    per: float
    levels: list[float]
    national: float  # per unit of denominator
    tau2: float | None  # used for the limits; None: exact / Wilson limits
    tau2_estimate: float | None  # None unless overdispersion was asked for
    phi: float | None
    z: np.ndarray | None
    method: str


def _prepare(
    df: pl.DataFrame,
    count: str,
    denominator: str,
    statistic: str,
    per: float | None,
    confidence: Confidence,
    overdispersion: bool,
    trim: float,
    target: float | None,
) -> tuple[_Fit, np.ndarray, np.ndarray]:
    check_option(statistic, STATISTICS, "statistic")
    require_columns(df, [count, denominator], "funnel", numeric=[count, denominator])
    levels = confidence_levels(confidence)
    per_f = check_per(per if per is not None else (100_000 if statistic == "rate" else 100))
    x = _numeric(df, count, "funnel")
    n = _numeric(df, denominator, "funnel")
    with np.errstate(invalid="ignore"):
        ok = (x >= 0) & (n > 0) & np.isfinite(x) & np.isfinite(n)
        if statistic == "proportion":
            ok &= x <= n
    if not ok.any():
        raise GroomstatsError(
            f"funnel: no row has a usable {count!r} and {denominator!r} (counts >= 0, "
            "denominators > 0)"
        )
    if target is None:
        national = float(x[ok].sum() / n[ok].sum())
    else:
        if not isinstance(target, (int, float)) or isinstance(target, bool) or target < 0:
            raise GroomstatsError(f"target={target!r} must be a non-negative number")
        national = float(target) / per_f
    if statistic == "proportion" and not 0 <= national <= 1:
        raise GroomstatsError(f"target={target!r} is not a proportion of per={per_f:g}")
    method = "exact Poisson" if statistic == "rate" else "Wilson"
    tau2 = phi = tau2_est = None
    z = None
    if overdispersion:
        od = _core.funnel_overdispersion(statistic, x, n, national, float(trim))
        z, phi, tau2_est = od.z, od.phi, od.tau2
        scale = "square root" if statistic == "rate" else "arcsine square root"
        if tau2_est > 0:
            tau2 = tau2_est
            method = f"overdispersion-adjusted (Spiegelhalter, {scale} scale)"
        else:
            method += f" (no overdispersion: phi = {phi:.3g})"
    fit = _Fit(statistic, per_f, levels, national, tau2, tau2_est, phi, z, method)
    return fit, x, n


def _limits(fit: _Fit, denominators: np.ndarray) -> dict[str, np.ndarray]:
    lim = _core.funnel_limits(
        fit.statistic,
        fit.national,
        np.ascontiguousarray(denominators, dtype=np.float64),
        fit.levels,
        fit.per,
        fit.tau2,
    )
    lows, ups = lim.lower, lim.upper
    out: dict[str, np.ndarray] = {}
    for c, lo, hi in zip(fit.levels, lows, ups, strict=True):
        s = confidence_suffix(c)
        out[f"lower_{s}"] = lo
        out[f"upper_{s}"] = hi
    return out


def _unusable(df: pl.DataFrame, count: str, denominator: str, statistic: str) -> pl.Expr:
    """Why a row has no value: the column and the value (``"negative offences (-1)"``)."""
    x, n = pl.col(count).cast(pl.Float64), pl.col(denominator).cast(pl.Float64)
    chain = (
        pl.when(x.is_null() | x.is_nan())
        .then(pl.lit(f"missing {count}"))
        .when(x < 0)
        .then(pl.format(f"negative {count} ({{}})", pl.col(count)))
        .when(x.is_infinite())
        .then(pl.lit(f"{count} is not finite"))
        .when(n.is_null() | n.is_nan())
        .then(pl.lit(f"missing {denominator}"))
        .when(n.is_infinite() | (n <= 0))
        .then(pl.format(f"{denominator} {{}} is not a positive number", pl.col(denominator)))
    )
    if statistic == "proportion":
        chain = chain.when(x > n).then(
            pl.format(
                f"{count} {{}} above {denominator} {{}}: not a proportion",
                pl.col(count),
                pl.col(denominator),
            )
        )
    return chain.otherwise(pl.lit(f"unusable {count} or {denominator}"))


def _label(c: float, side: str) -> str:
    return f"{side} ({(1 - c) / 2:.4g})"


@renamed(df="data")
def funnel(
    data: Any,
    *,
    count: str = "offences",
    denominator: str = "population",
    statistic: Statistic = "rate",
    per: float | None = None,
    confidence: Confidence = (0.95, 0.998),
    overdispersion: bool = False,
    trim: float = 0.1,
    target: float | None = None,
) -> pl.DataFrame:
    """Control limits and a significance label for each area, around the national value.

    Parameters
    ----------
    data
        One row per area with a count and a denominator, e.g. the output of
        :func:`groomstats.rates` (``offences``, ``population``) or a frame of shares. Rows
        whose ``complete`` column (from :func:`groomstats.totals`) is False are left out of
        the national value and get no label, with the reason in ``funnel_reason``.
    count, denominator
        Column names.
    statistic
        ``"rate"`` (exact Poisson limits) or ``"proportion"`` (Wilson limits).
    per
        Multiplier of the values: default 100,000 for rates, 100 (percent) for proportions.
    confidence
        Levels of the limits (default 95% and 99.8%, the PHE convention).
    overdispersion
        Widen the limits for between-area variation (Spiegelhalter 2005, as FunnelPlotR);
        when none is detected (``tau2 = 0``) the exact limits are kept.
    trim
        Winsorisation of the z-scores at each end for the overdispersion estimate (10%).
    target
        The central value in units of ``per``; default the national value
        ``sum(count) / sum(denominator)`` over the usable rows.

    Returns
    -------
    polars.DataFrame
        ``df`` plus ``denominator`` (a float copy of the denominator column, for plotting),
        ``value`` (recomputed per ``per``), ``target``, ``funnel_lower_<c>`` /
        ``funnel_upper_<c>`` (limits at the area's denominator, named so as not to overwrite
        the area's own confidence interval columns), ``significance``, ``method``, ``phi`` and
        ``tau2`` (null unless ``overdispersion``) and ``funnel_reason`` (why an area has no
        label: the column and value that made it unusable, e.g. ``"negative offences (-1)"``,
        an incomplete count, or, with no ``target``, being the only usable area: the national
        value is then its own and it is not labelled against itself).

    Examples
    --------
    >>> import groomstats
    >>> import polars as pl
    >>> areas = pl.DataFrame({"force": ["A", "B", "C", "D"], "offences": [60, 35, 110, 2],
    ...                       "population": [100_000, 100_000, 300_000, 20_000]})
    >>> f = groomstats.funnel(areas)
    >>> round(f["target"][0], 2)
    39.81
    >>> f.select("force", pl.col("value", "funnel_upper_95").round(1), "significance")
    shape: (4, 4)
    ┌───────┬───────┬─────────────────┬─────────────────┐
    │ force ┆ value ┆ funnel_upper_95 ┆ significance    │
    │ ---   ┆ ---   ┆ ---             ┆ ---             │
    │ str   ┆ f64   ┆ f64             ┆ str             │
    ╞═══════╪═══════╪═════════════════╪═════════════════╡
    │ A     ┆ 60.0  ┆ 53.1            ┆ High (0.025)    │
    │ B     ┆ 35.0  ┆ 53.1            ┆ Not significant │
    │ C     ┆ 36.7  ┆ 47.3            ┆ Not significant │
    │ D     ┆ 10.0  ┆ 72.1            ┆ Low (0.025)     │
    └───────┴───────┴─────────────────┴─────────────────┘
    """
    frame = as_polars(data, "funnel")
    refuse_repeated_areas(frame, "funnel")  # an area twice would count twice in the target
    partial = incomplete_rows(frame)
    fitted = frame
    if partial is not None and count in frame.columns:
        # a total missing a quarter or cell: out of the national value, no label
        keep = pl.Series(np.ones(frame.height, dtype=bool)).scatter(partial, False)
        fitted = frame.with_columns(pl.when(keep).then(pl.col(count)).otherwise(None))
    fit, x, n = _prepare(
        fitted, count, denominator, statistic, per, confidence, overdispersion, trim, target
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = (x >= 0) & (n > 0) & np.isfinite(x) & np.isfinite(n)
        if statistic == "proportion":
            ok &= x <= n
        value = np.where(ok, x / n * fit.per, np.nan)
    limits = _limits(fit, np.where(ok, n, np.nan))

    # label: the widest set of limits the value is outside of
    label = np.full(frame.height, "Not significant", dtype=object)
    for c in sorted(fit.levels):  # narrowest first, widest overwrites
        s = confidence_suffix(c)
        with np.errstate(invalid="ignore"):
            label[value > limits[f"upper_{s}"]] = _label(c, "High")
            label[value < limits[f"lower_{s}"]] = _label(c, "Low")
    label[~ok] = None
    alone = target is None and int(ok.sum()) == 1
    if alone:  # the national value is this area's own: compared with itself
        label[ok] = None

    reason: pl.Expr = (
        pl.when(pl.lit(pl.Series(ok)))
        .then(
            pl.lit(
                "the only usable area: the national value is its own, so it is compared with "
                "itself; pass target= to compare it with a value of your own"
                if alone
                else None,
                pl.String,
            )
        )
        .otherwise(_unusable(fitted, count, denominator, statistic))
    )
    if partial is not None:
        why = np.full(frame.height, None)
        why[partial] = "incomplete count (complete=False): left out of the national value"
        reason = pl.coalesce(pl.lit(pl.Series(why.tolist(), dtype=pl.String)), reason)
    cols: list[pl.Series | pl.Expr] = [
        pl.Series("denominator", n, nan_to_null=True),
        pl.Series("value", value, nan_to_null=True),
        pl.lit(fit.national * fit.per).alias("target"),
    ]
    cols += [pl.Series(f"funnel_{k}", v, nan_to_null=True) for k, v in limits.items()]
    cols += [
        pl.Series("significance", label.tolist(), dtype=pl.String),
        pl.lit(fit.method).alias("method"),
        pl.lit(fit.phi, pl.Float64).alias("phi"),
        pl.lit(fit.tau2_estimate, pl.Float64).alias("tau2"),
        reason.alias("funnel_reason"),
    ]
    out: pl.DataFrame = frame.with_columns(cols)
    return out


@renamed(df="data")
def funnel_limits(
    data: Any,
    *,
    count: str = "offences",
    denominator: str = "population",
    statistic: Statistic = "rate",
    per: float | None = None,
    confidence: Confidence = (0.95, 0.998),
    overdispersion: bool = False,
    trim: float = 0.1,
    target: float | None = None,
    points: int = 200,
    range: tuple[float, float] | None = None,
) -> pl.DataFrame:
    """Funnel-plot limits as smooth curves over a grid of denominators.

    Same arguments as :func:`funnel`; the national value (and ``tau2``) come from ``df``.

    Parameters
    ----------
    data, count, denominator, statistic, per, confidence, overdispersion, trim, target
        As in :func:`funnel`.
    points
        Number of grid points, spaced evenly on a log scale.
    range
        ``(smallest, largest)`` denominator; default from half the smallest to 1.1 times the
        largest usable denominator in ``df``.

    Returns
    -------
    polars.DataFrame
        ``denominator``, ``target``, ``lower_<c>``, ``upper_<c>`` per level, ``method``.

    Examples
    --------
    >>> import groomstats
    >>> import polars as pl
    >>> areas = pl.DataFrame({"offences": [60, 35, 110, 2],
    ...                       "population": [100_000, 100_000, 300_000, 20_000]})
    >>> c = groomstats.funnel_limits(areas, points=3, range=(10_000, 1_000_000))
    >>> c.select("denominator", pl.col("lower_99_8", "upper_99_8").round(1))
    shape: (3, 3)
    ┌─────────────┬────────────┬────────────┐
    │ denominator ┆ lower_99_8 ┆ upper_99_8 │
    │ ---         ┆ ---        ┆ ---        │
    │ f64         ┆ f64        ┆ f64        │
    ╞═════════════╪════════════╪════════════╡
    │ 10000.0     ┆ 0.0        ┆ 118.9      │
    │ 100000.0    ┆ 21.3       ┆ 61.2       │
    │ 1e6         ┆ 33.7       ┆ 46.2       │
    └─────────────┴────────────┴────────────┘
    """
    frame = as_polars(data, "funnel_limits")
    refuse_repeated_areas(frame, "funnel_limits")
    fit, _, n = _prepare(
        frame, count, denominator, statistic, per, confidence, overdispersion, trim, target
    )
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise GroomstatsError(f"points={points!r} must be an integer >= 2")
    if range is None:
        with np.errstate(invalid="ignore"):
            usable = n[(n > 0) & np.isfinite(n)]
        lo, hi = float(usable.min()) / 2, float(usable.max()) * 1.1
    else:
        lo, hi = (float(v) for v in range)
        if not 0 < lo < hi:
            raise GroomstatsError(f"range={range!r} must be (smallest, largest) with 0 < smallest")
    grid = np.geomspace(lo, hi, points)
    limits = _limits(fit, grid)
    out = pl.DataFrame(
        {
            "denominator": grid,
            "target": np.full(points, fit.national * fit.per),
            **limits,
            "method": [fit.method] * points,
        }
    )
    return out

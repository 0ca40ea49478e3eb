"""Log-linear trends (:func:`trend`) and consistent annual series (:func:`annual_series`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._args import (
    Confidence,
    by_columns,
    confidence_levels,
    interval_names,
    renamed,
)
from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import DataFormatError, GroomstatsError
from groomstats.trends._series import (
    _MODELS,
    _TREND_POSITIONAL,
    Incomplete,
    Model,
    _intervals,
    _null_unconverged,
    _prepare,
    _quarter_dummies,
)

__all__ = ["annual_series", "trend"]


@renamed(was_positional=_TREND_POSITIONAL, df="data", exposure="denominator")
def trend(
    data: Any,
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
    """Log-linear trend per group: annual percent change (APC) with confidence interval.

    Fits log E[count] = a + b·time (+ quarter effects) (+ log denominator) by IRLS for each
    group, in parallel in the Rust core. APC = 100 (e^b - 1).

    Parameters
    ----------
    data
        polars or pandas DataFrame, one row per group and period.
    by
        Grouping column(s); None fits the whole frame as one series.
    time
        Time column: financial years (``"2017/18"``), integer years or dates.
    count
        Count column. Missing counts are excluded and counted in ``n_excluded``.
    model
        ``"poisson"``, ``"quasipoisson"`` (standard errors scaled by Pearson χ²/df) or
        ``"negbin"`` (NB2, α by maximum likelihood).
    denominator
        Optional population (exposure) column; its log is the offset, so the trend is in the
        rate.
    quarter
        Optional quarter column (1-4, Q1 = April-June) for quarterly data.
    seasonality
        Add quarter effects (Q2-Q4 against Q1); needs ``quarter`` or a date time column.
    confidence
        Level(s) of the confidence interval: a float or a tuple such as ``(0.95, 0.998)``.
    allow_series_break
        Fit across the 1 April 2017 change in classification 88A (refused by default).
    incomplete
        What to do with incomplete periods: rows whose coverage columns (from
        :func:`totals`: ``complete=False``, ``null_rows``, ``days_missing``,
        ``periods_present`` below ``periods_expected``) say a group's count is partial (e.g.
        one force of a region blank that year). ``"drop"`` (default) leaves them out and lists
        them in ``left_out``; ``"keep"`` fits them; ``"raise"`` raises
        :class:`DataFormatError` naming them. Rows with no count are always left out and
        listed.

    Returns
    -------
    polars.DataFrame
        One row per group: the ``by`` columns, ``model``, ``n``, ``n_excluded``, ``first``,
        ``last``, ``apc``, ``lower_95``, ``upper_95`` (of the APC; one pair per level),
        ``coef`` (b, per year), ``se``, ``statistic`` (z), ``pvalue``, ``dispersion`` (Pearson
        χ²/(n - p), α not counted in p, as statsmodels and R's ``glm.nb``), ``alpha``,
        ``alpha_se`` (negbin), ``converged``, ``reason`` (why a group was not fitted or needs
        care; null when fine), ``left_out`` (the periods left out of the fit and why, e.g.
        ``"2019/20: incomplete (1 of its rows had no count ...)"``; null when none).

    Raises
    ------
    PeriodError
        The time column cannot be parsed, or the series crosses 1 April 2017.
    DataFormatError
        Missing columns, a period repeated within a group, non-positive denominator.

    Examples
    --------
    >>> import polars as pl
    >>> import groomstats
    >>> df = pl.DataFrame({
    ...     "force": ["A"] * 3 + ["B"] * 2,
    ...     "financial_year": ["2017/18", "2018/19", "2019/20", "2017/18", "2018/19"],
    ...     "offences": [100, 200, 400, 50, 75],
    ... })
    >>> out = groomstats.trend(df, by="force")
    >>> out.select("force", "n", "apc", "reason").with_columns(pl.col("apc").round(2))
    shape: (2, 4)
    ┌───────┬─────┬───────┬────────┐
    │ force ┆ n   ┆ apc   ┆ reason │
    │ ---   ┆ --- ┆ ---   ┆ ---    │
    │ str   ┆ i64 ┆ f64   ┆ str    │
    ╞═══════╪═════╪═══════╪════════╡
    │ A     ┆ 3   ┆ 100.0 ┆ null   │
    │ B     ┆ 2   ┆ 50.0  ┆ null   │
    └───────┴─────┴───────┴────────┘
    """
    model = check_option(model, _MODELS, "model")  # type: ignore[assignment]
    levels = confidence_levels(confidence)
    _check_by_names(by_columns(by), levels)
    prep = _prepare(
        data, by, time, count, denominator, quarter, allow_series_break, "trend", incomplete
    )
    t0 = float(prep.t.min()) if prep.t.size else 0.0
    cols = [np.ones_like(prep.t), prep.t - t0]
    if seasonality:
        cols.extend(_quarter_dummies(prep.quarter, "trend").T)
    x = np.ascontiguousarray(np.column_stack(cols)) if prep.t.size else np.zeros((0, 2))
    res = _core.glm_fit(prep.y, x, prep.offset, prep.starts, model)
    p = x.shape[1]
    coef = res["coef"].reshape(-1, p)[:, 1]
    se = res["se"].reshape(-1, p)[:, 1]
    with np.errstate(over="ignore", invalid="ignore"):  # unconverged fits are nulled below
        out = _trend_frame(prep.groups, model, levels, coef, se, res, p)
    lead = [*by_columns(by), "model", "n", "n_excluded", "first", "last"]
    out = out.select(lead + [c for c in out.columns if c not in lead])
    return _null_unconverged(out.with_columns(pl.col(pl.Float64).fill_nan(None)))


#: Columns trend() adds to the ``by`` columns (``left_out`` aside: a ``by`` column of that
#: name keeps it, the periods left out go to ``left_out_right``).
_OUTPUT = (
    "model",
    "n",
    "n_excluded",
    "first",
    "last",
    "apc",
    "coef",
    "se",
    "statistic",
    "pvalue",
    "dispersion",
    "alpha",
    "alpha_se",
    "converged",
    "reason",
)


def _check_by_names(by_cols: list[str], levels: list[float]) -> None:
    """Refuse a ``by`` column named like a column trend() returns: its group labels would be
    lost in the table (overwritten by the figures, or a name clash)."""
    taken = set(_OUTPUT).union(*(interval_names(c) for c in levels))
    clash = [c for c in by_cols if c in taken]
    if clash:
        raise DataFormatError(
            f"trend: by column {clash[0]!r} has the name of a column trend() returns "
            f"({', '.join(repr(c) for c in _OUTPUT)} and the interval columns); rename it "
            f"first, e.g. data.rename({{{clash[0]!r}: {clash[0] + '_group'!r}}})"
        )


def _trend_frame(
    groups: pl.DataFrame,
    model: str,
    levels: list[float],
    coef: np.ndarray,
    se: np.ndarray,
    res: Any,
    p: int,
) -> pl.DataFrame:
    return groups.drop("_gid").with_columns(
        pl.lit(model).alias("model"),
        pl.Series("apc", 100.0 * np.expm1(coef)),
        *_intervals(
            levels,
            "",
            lambda z: 100.0 * np.expm1(coef - z * se),
            lambda z: 100.0 * np.expm1(coef + z * se),
        ),
        pl.Series("coef", coef),
        pl.Series("se", se),
        pl.Series("statistic", res["z"].reshape(-1, p)[:, 1]),
        pl.Series("pvalue", res["pvalue"].reshape(-1, p)[:, 1]),
        pl.Series("dispersion", res["dispersion"]),
        pl.Series("alpha", res["alpha"]),
        pl.Series("alpha_se", res["alpha_se"]),
        pl.Series("converged", res["converged"]),
        pl.Series("reason", res["reason"], dtype=pl.String),
    )


def annual_series(
    data: Any,
    area: str,
    prefer: Literal["latest", "first"] = "latest",
) -> pl.DataFrame:
    """A consistent annual series from figures published in several releases.

    Keeps rows for one ``area`` that cover a whole financial year (``period_start`` in April,
    ``period_end`` 31 March next year), and for a year given in several releases keeps the
    latest (or first) release. The frame returned says which rows were used: ``release`` and
    ``source_url`` stay, and ``replaced`` lists the other releases of the same year.

    Parameters
    ----------
    data
        Frame with columns ``area``, ``period_start``, ``period_end``, ``offences``,
        ``release`` (as ``groomstats.datasets.nspcc_national()``).
    area
        ``"England and Wales"`` or ``"United Kingdom"``: never mixed in one series.
    prefer
        Which release of a revised year to keep.

    Returns
    -------
    polars.DataFrame
        ``area``, ``financial_year``, ``offences``, ``release``, ``source_url`` (when
        present), ``replaced`` (list of other releases), sorted by year.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> from groomstats.trends import annual_series
    >>> df = pl.DataFrame({
    ...     "area": ["E&W", "E&W", "E&W"],
    ...     "period_start": [dt.date(2017, 4, 3), dt.date(2017, 4, 3), dt.date(2017, 4, 3)],
    ...     "period_end": [dt.date(2017, 12, 31), dt.date(2018, 3, 31), dt.date(2018, 3, 31)],
    ...     "offences": [1628, 3171, 3217],
    ...     "release": ["2018-06", "2018-06", "2019-09"],
    ... })
    >>> annual_series(df, "E&W").select("financial_year", "offences", "release", "replaced")
    shape: (1, 4)
    ┌────────────────┬──────────┬─────────┬─────────────┐
    │ financial_year ┆ offences ┆ release ┆ replaced    │
    │ ---            ┆ ---      ┆ ---     ┆ ---         │
    │ str            ┆ i64      ┆ str     ┆ list[str]   │
    ╞════════════════╪══════════╪═════════╪═════════════╡
    │ 2017/18        ┆ 3217     ┆ 2019-09 ┆ ["2018-06"] │
    └────────────────┴──────────┴─────────┴─────────────┘
    """
    check_option(prefer, ("latest", "first"), "prefer")
    df = as_polars(data, "annual_series")
    require_columns(
        df, ["area", "period_start", "period_end", "offences", "release"], "annual_series"
    )
    areas = df.get_column("area").unique().to_list()
    if area not in areas:
        raise GroomstatsError(
            f"annual_series: area {area!r} is not in the data; areas present: "
            + ", ".join(repr(a) for a in sorted(str(a) for a in areas))
        )
    start = pl.col("period_start").cast(pl.Date)
    end = pl.col("period_end").cast(pl.Date)
    full = df.filter(
        (pl.col("area") == area)
        & (start.dt.month() == 4)
        & (start.dt.day() <= 7)
        & (end.dt.month() == 3)
        & (end.dt.day() == 31)
        & (end.dt.year() == start.dt.year() + 1)
        & pl.col("offences").is_not_null()
    ).with_columns(
        (
            start.dt.year().cast(pl.String)
            + "/"
            + ((start.dt.year() + 1) % 100).cast(pl.String).str.zfill(2)
        ).alias("financial_year")
    )
    desc = prefer == "latest"
    full = full.sort(["financial_year", "release"], descending=[False, desc])
    replaced = full.group_by("financial_year").agg(pl.col("release").slice(1).alias("replaced"))
    keep = full.unique("financial_year", keep="first", maintain_order=True)
    keep = keep.join(replaced, on="financial_year", how="left")
    cols = ["area", "financial_year", "offences", "release"]
    if "source_url" in keep.columns:
        cols.append("source_url")
    return keep.select([*cols, "replaced"]).sort("financial_year")

"""Trends in counts: annual percent change, joinpoint and interrupted time series.

The fits run in the Rust core, one group per task in parallel; this module prepares the
design (time, quarter effects, exposure offset) with polars and lays the results out as
polars DataFrames.

Conventions
-----------
* Time is measured in years. ``"2017/18"`` is 2017.0 (the year the financial year starts),
  an integer year is itself, a date is its decimal calendar year. With a ``quarter`` column
  (PRC Q1 = April-June) quarter q of financial year s is ``s + (q - 1) / 4``. The slope ``b``
  is therefore per year and APC = 100 (e^b - 1) is an annual percent change.
* Poisson and quasi-Poisson fits match ``statsmodels`` ``GLM(..., family=Poisson())``
  (``fit()`` and ``fit(scale="X2")``); negative binomial matches
  ``statsmodels.discrete.discrete_model.NegativeBinomial`` (NB2, α by maximum likelihood).
  Confidence intervals and p-values are Wald (normal), as statsmodels.
* Every input row is counted: ``n`` rows fitted, ``n_excluded`` rows left out (missing count,
  time or exposure); a group that cannot be fitted keeps its row with a ``reason``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from groomstats import _core
from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import DataFormatError, GroomstatsError, PeriodError
from groomstats.periods import (
    check_series_break,
    financial_year_start,
    is_series_break_date,
    parse_period,
)

__all__ = ["JoinpointResult", "annual_series", "interrupted", "joinpoint", "trend"]

Model = Literal["poisson", "quasipoisson", "negbin"]
_MODELS: tuple[str, ...] = ("poisson", "quasipoisson", "negbin")


@dataclass
class _Prepared:
    """Rows ready for a fit: sorted by group then time, with group boundaries."""

    groups: pl.DataFrame  # one row per group: by columns + n, n_excluded, first, last
    t: npt.NDArray[np.float64]  # time in years
    y: npt.NDArray[np.float64]
    offset: npt.NDArray[np.float64]
    quarter: npt.NDArray[np.int64] | None  # 1-4 when known
    starts: npt.NDArray[np.int64]
    kind: str  # financial_year, year, number, date
    labels: pl.Series  # the original time values of the rows used, in the same order


def _parse_financial_years(values: pl.Series, column: str) -> npt.NDArray[np.float64]:
    """Start year of each financial-year spelling; each distinct spelling is parsed once."""
    s = values.cast(pl.String)
    distinct = s.drop_nulls().unique(maintain_order=True)  # first bad value = first bad row
    starts: list[float] = []
    for v in distinct.to_list():
        m = financial_year_start(v)
        bad = None
        if m is None:
            bad = f"{v!r} is not a financial year such as '2017/18'"
        else:
            start, end = int(m.group(1)), m.group(2)
            if int(end) % 100 != (start + 1) % 100:
                bad = (
                    f"{v!r} does not name consecutive years "
                    f"(did you mean '{start}/{(start + 1) % 100:02d}'?)"
                )
        if bad is not None:
            i = int((s == v).arg_true()[0])
            raise PeriodError(f"column '{column}', row {i}: {bad}")
        starts.append(float(m.group(1)))  # type: ignore[union-attr]
    lookup = dict(zip(distinct.to_list(), starts, strict=True))
    out = s.replace_strict(lookup, default=None, return_dtype=pl.Float64)
    years: npt.NDArray[np.float64] = out.fill_null(np.nan).to_numpy().astype(np.float64)
    return years


def _date_times(s: pl.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Decimal calendar year (1 January = .0) and financial quarter (0 when null) of dates."""
    d = s.cast(pl.Date)
    frame = pl.DataFrame({"d": d}).select(
        (
            pl.col("d").dt.year().cast(pl.Float64)
            + (pl.col("d").dt.ordinal_day() - 1).cast(pl.Float64)
            / pl.when(pl.col("d").dt.is_leap_year()).then(366.0).otherwise(365.0)
        ).alias("t"),
        ((pl.col("d").dt.month().cast(pl.Int64) - 4) % 12 // 3 + 1).fill_null(0).alias("q"),
    )
    t = frame.get_column("t").fill_null(np.nan).to_numpy().astype(np.float64)
    q = frame.get_column("q").to_numpy().astype(np.int64)
    return t, q


def _time_values(
    df: pl.DataFrame, time: str, quarter: str | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64] | None, str]:
    """Time in years, financial quarter (1-4) where known, and the kind of time column."""
    s = df.get_column(time)
    q: npt.NDArray[np.int64] | None = None
    if s.dtype == pl.String:
        t = _parse_financial_years(s, time)
        kind = "financial_year"
    elif s.dtype.is_integer():
        t = s.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
        kind = "year"
    elif s.dtype.is_float():
        t = s.fill_null(np.nan).to_numpy().astype(np.float64)
        kind = "number"
    elif s.dtype in (pl.Date, pl.Datetime) or isinstance(s.dtype, pl.Datetime):
        t, q = _date_times(s)
        kind = "date"
    else:
        raise DataFormatError(
            f"column '{time}' has dtype {s.dtype}: expected financial years ('2017/18'), "
            "integer years or dates"
        )
    if quarter is not None:
        if kind not in ("financial_year", "year"):
            raise DataFormatError(
                f"quarter='{quarter}' needs a financial-year or integer-year time column; "
                f"'{time}' holds {s.dtype}"
            )
        qs = df.get_column(quarter)
        if not qs.dtype.is_integer():
            raise DataFormatError(f"column '{quarter}' must hold integers 1-4, not {qs.dtype}")
        qv = qs.fill_null(0).to_numpy().astype(np.int64)
        bad = np.flatnonzero(((qv < 1) | (qv > 4)) & qs.is_not_null().to_numpy())
        if bad.size:
            raise DataFormatError(
                f"column '{quarter}', row {int(bad[0])}: {int(qv[bad[0]])} is not a quarter 1-4"
            )
        t = t + (qv - 1) / 4.0
        t[qv == 0] = np.nan
        q = qv
    return t, q, kind


def _labels(df: pl.DataFrame, time: str, quarter: str | None) -> pl.Series:
    """The time values shown in outputs: the time column, with " Q<n>" for quarterly data."""
    if quarter is None:
        return df.get_column(time).alias("_time")
    return df.select(pl.format("{} Q{}", pl.col(time), pl.col(quarter)).alias("_time")).to_series()


def _check_series_break(t: npt.NDArray[np.float64], kind: str, allow: bool, what: str) -> None:
    if kind == "number":
        return
    ok = t[np.isfinite(t)]
    if ok.size == 0:
        return
    check_series_break(
        _time_to_date(float(ok.min()), kind),
        _time_to_date(float(ok.max()), kind),
        allow=allow,
        refuse=True,
        message=f"{what}: the series crosses 1 April 2017, when classification 88A started to "
        "include sexual communication with a child (s.15A); ONS says figures either side "
        "are not comparable. Fit each side separately, or pass allow_series_break=True "
        "if your series is not affected.",
    )


def _time_to_date(v: float, kind: str) -> dt.date:
    """The first day of the period at time ``v`` (years; financial years start in April)."""
    if kind == "date":
        year = int(np.floor(v))
        start = dt.date(year, 1, 1)
        days = (dt.date(year + 1, 1, 1) - start).days
        return start + dt.timedelta(days=round((v - year) * days))
    year = int(np.floor(v + 1e-9))
    month = 4 + round(float(v - year) * 4) * 3
    if month > 12:
        month, year = month - 12, year + 1
    return dt.date(year, month, 1)


def _prepare(
    data: Any,
    by: Sequence[str] | str | None,
    time: str,
    count: str,
    exposure: str | None,
    quarter: str | None,
    allow_series_break: bool,
    what: str,
) -> _Prepared:
    df = as_polars(data, what)
    by_cols = [by] if isinstance(by, str) else list(by or [])
    cols = [*by_cols, time, count]
    if exposure is not None:
        cols.append(exposure)
    if quarter is not None:
        cols.append(quarter)
    require_columns(df, cols, what)
    if not df.get_column(count).dtype.is_numeric():
        raise DataFormatError(
            f"{what}: column '{count}' holds {df.get_column(count).dtype}, not numbers"
        )
    t, q, kind = _time_values(df, time, quarter)
    y = df.get_column(count).cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
    if exposure is not None:
        e = df.get_column(exposure).cast(pl.Float64).fill_null(np.nan).to_numpy()
        bad = np.flatnonzero(np.isfinite(e) & (e <= 0))
        if bad.size:
            raise DataFormatError(
                f"{what}: column '{exposure}', row {int(bad[0])}: exposure {e[bad[0]]} must be "
                "positive (it enters the model as log exposure)"
            )
        off = np.log(np.where(np.isfinite(e), e, np.nan))
    else:
        off = np.zeros(len(df))
    keep = np.isfinite(t) & np.isfinite(y) & np.isfinite(off)
    _check_series_break(t[keep], kind, allow_series_break, what)
    work = pl.DataFrame(
        [
            pl.Series("_t", t),
            pl.Series("_y", y),
            pl.Series("_off", off),
            pl.Series("_q", q if q is not None else np.zeros(len(df), dtype=np.int64)),
            pl.Series("_keep", keep),
            _labels(df, time, quarter),
        ]
    )
    if by_cols:
        work = pl.concat([df.select(by_cols), work], how="horizontal")
    if by_cols:
        # group ids in sorted key order (nulls form a group, last), without a join on keys
        grouped = (
            work.select(by_cols)
            .with_row_index("_row")
            .group_by(by_cols, maintain_order=True)
            .agg(pl.col("_row"))
            .sort(by_cols, nulls_last=True)
            .with_row_index("_gid")
        )
        rows = grouped.select("_gid", "_row").explode("_row").sort("_row")
        keys = grouped.drop("_row")
        work = work.with_columns(rows.get_column("_gid"))
    else:
        keys = pl.DataFrame({"_gid": [0]}, schema={"_gid": pl.UInt32})
        work = work.with_columns(pl.lit(0, dtype=pl.UInt32).alias("_gid"))
    summary = (
        work.group_by("_gid")
        .agg(
            pl.col("_keep").sum().cast(pl.Int64).alias("n"),
            (~pl.col("_keep")).sum().cast(pl.Int64).alias("n_excluded"),
            pl.col("_time").filter(pl.col("_keep")).min().alias("first"),
            pl.col("_time").filter(pl.col("_keep")).max().alias("last"),
        )
        .sort("_gid")
    )
    groups = keys.join(summary, on="_gid", how="left").sort("_gid")
    used = work.filter(pl.col("_keep")).sort(["_gid", "_t"])
    # duplicated times inside a group: refuse, naming them
    dup = used.filter(pl.struct("_gid", "_t").is_duplicated())
    if dup.height:
        row = dup.row(0, named=True)
        where = ", ".join(f"{c}={row[c]!r}" for c in by_cols)
        raise DataFormatError(
            f"{what}: {time}={row['_time']!r} appears more than once"
            + (f" in group {where}" if where else "")
            + ": a trend needs one value per period. Keep one release or area per period "
            "(for NSPCC figures see groomstats.trends.annual_series) or add the column that "
            "tells the rows apart to by="
            + (
                " (quarterly data? pass quarter='quarter')."
                if quarter is None and "quarter" in df.columns
                else "."
            )
        )
    gid = used.get_column("_gid").to_numpy()
    counts = np.bincount(gid, minlength=groups.height)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return _Prepared(
        groups=groups,
        t=used.get_column("_t").to_numpy().astype(np.float64),
        y=used.get_column("_y").to_numpy().astype(np.float64),
        offset=used.get_column("_off").to_numpy().astype(np.float64),
        quarter=used.get_column("_q").to_numpy().astype(np.int64) if q is not None else None,
        starts=starts,
        kind=kind,
        labels=used.get_column("_time"),
    )


def _z(confidence: float) -> float:
    if not (isinstance(confidence, float | int) and 0.0 < confidence < 1.0):
        raise GroomstatsError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def _quarter_dummies(quarter: npt.NDArray[np.int64] | None, what: str) -> npt.NDArray[np.float64]:
    if quarter is None or (quarter == 0).any():
        raise DataFormatError(
            f"{what}: seasonality=True needs quarters: pass quarter='quarter' (PRC frames) or "
            "a date time column"
        )
    return np.column_stack([(quarter == k).astype(np.float64) for k in (2, 3, 4)])


def trend(
    data: Any,
    by: Sequence[str] | str | None = None,
    time: str = "financial_year",
    count: str = "offences",
    model: Model = "poisson",
    exposure: str | None = None,
    quarter: str | None = None,
    seasonality: bool = False,
    confidence: float = 0.95,
    allow_series_break: bool = False,
) -> pl.DataFrame:
    """Log-linear trend per group: annual percent change (APC) with confidence interval.

    Fits log E[count] = a + b·time (+ quarter effects) (+ log exposure) by IRLS for each
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
    exposure
        Optional population column; its log is the offset, so the trend is in the rate.
    quarter
        Optional quarter column (1-4, Q1 = April-June) for quarterly data.
    seasonality
        Add quarter effects (Q2-Q4 against Q1); needs ``quarter`` or a date time column.
    confidence
        Level of the confidence interval.
    allow_series_break
        Fit across the 1 April 2017 change in classification 88A (refused by default).

    Returns
    -------
    polars.DataFrame
        One row per group: the ``by`` columns, ``model``, ``n``, ``n_excluded``, ``first``,
        ``last``, ``apc``, ``apc_lower``, ``apc_upper``, ``coef`` (b, per year), ``se``,
        ``statistic`` (z), ``pvalue``, ``dispersion`` (Pearson χ²/df), ``alpha``,
        ``alpha_se`` (negbin), ``converged``, ``reason`` (why a group was not fitted or needs
        care; null when fine).

    Raises
    ------
    PeriodError
        The time column cannot be parsed, or the series crosses 1 April 2017.
    DataFormatError
        Missing columns, a period repeated within a group, non-positive exposure.

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
    z = _z(confidence)
    prep = _prepare(data, by, time, count, exposure, quarter, allow_series_break, "trend")
    t0 = float(prep.t.min()) if prep.t.size else 0.0
    cols = [np.ones_like(prep.t), prep.t - t0]
    if seasonality:
        cols.extend(_quarter_dummies(prep.quarter, "trend").T)
    x = np.ascontiguousarray(np.column_stack(cols)) if prep.t.size else np.zeros((0, 2))
    res = _core.glm_fit(prep.y, x, prep.offset, prep.starts, model)
    p = x.shape[1]
    coef = res["coef"].reshape(-1, p)[:, 1]
    se = res["se"].reshape(-1, p)[:, 1]
    out = prep.groups.drop("_gid").with_columns(
        pl.lit(model).alias("model"),
        pl.Series("apc", 100.0 * np.expm1(coef)),
        pl.Series("apc_lower", 100.0 * np.expm1(coef - z * se)),
        pl.Series("apc_upper", 100.0 * np.expm1(coef + z * se)),
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
    by_cols = [by] if isinstance(by, str) else list(by or [])
    lead = [*by_cols, "model", "n", "n_excluded", "first", "last"]
    out = out.select(lead + [c for c in out.columns if c not in lead])
    return out.with_columns(pl.col(pl.Float64).fill_nan(None))


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


def _range_values(
    values: tuple[Any, Any] | None, like: pl.Series, time: str
) -> tuple[float, float]:
    if values is None:
        return (float("nan"), float("nan"))
    s = pl.Series(time, list(values)).cast(like.dtype)
    t, _, _ = _time_values(pl.DataFrame([s]), time, None)
    return (float(t[0]), float(t[1]))


def _period_starts(prep: _Prepared) -> npt.NDArray[np.int64]:
    """First day of each used row's period, as days since 1970-01-01."""
    epoch = dt.date(1970, 1, 1)
    if prep.kind == "date":
        days = [(d - epoch).days for d in prep.labels.cast(pl.Date).to_list()]
        return np.array(days, dtype=np.int64)
    out = np.empty(prep.t.size, dtype=np.int64)
    for i, v in enumerate(prep.t):
        year = int(np.floor(v + 1e-9))
        if prep.kind == "financial_year":
            month = 4 + round(float(v - year) * 4) * 3
            if month > 12:
                month, year = month - 12, year + 1
            start = dt.date(year, month, 1)
        else:
            start = dt.date(year, 1, 1)
        out[i] = (start - epoch).days
    return out


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


def interrupted(
    data: Any,
    at: str | dt.date,
    by: Sequence[str] | str | None = None,
    time: str = "financial_year",
    count: str = "offences",
    model: Model = "poisson",
    exposure: str | None = None,
    quarter: str | None = None,
    seasonality: bool = False,
    confidence: float = 0.95,
    allow_series_break: bool = False,
) -> pl.DataFrame:
    """Interrupted time series by segmented regression (Bernal, Cummins & Gasparrini 2017).

    Fits log E[count] = b0 + b1·t + b2·post + b3·(t - t_at)·post (+ quarter effects)
    (+ log exposure) per group, where ``post`` marks periods starting on or after ``at`` and
    t_at is the time of the first such period. exp(b2) is the level change (rate ratio at the
    interruption), exp(b3) the slope change (ratio of the yearly rate ratios after and before).

    Parameters
    ----------
    data
        polars or pandas DataFrame, one row per group and period.
    at
        The interruption: a date (``"2020-04-01"``) or a period spelling (``"2020/21"``).
        1 April 2017 (the 88A series break) is refused unless ``allow_series_break=True``.
    by, time, count, model, exposure, quarter, seasonality, confidence
        As :func:`trend`.
    allow_series_break
        Treat the 1 April 2017 change in classification 88A as the interruption, or fit
        a series crossing it.

    Returns
    -------
    polars.DataFrame
        One row per group: ``n``, ``n_pre``, ``n_post``, ``n_excluded``, ``level_change``
        (rate ratio) with ``level_lower``, ``level_upper``, ``level_pvalue``;
        ``slope_change`` (ratio per year) with ``slope_lower``, ``slope_upper``,
        ``slope_pvalue``; ``apc_before`` and ``apc_after`` (annual percent change either side,
        with ``_lower``/``_upper``); ``dispersion``, ``alpha``, ``converged``, ``reason``.

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
    z = _z(confidence)
    at_date = _parse_at(at)
    if is_series_break_date(at_date) and not allow_series_break:
        raise PeriodError(
            f"interrupted: at={at!r} is the 1 April 2017 series break in classification 88A "
            "(sexual communication with a child added, s.15A in force 3 April 2017), not an "
            "event in the data: ONS says figures either side are not comparable. Pass "
            "allow_series_break=True to model it as an interruption anyway."
        )
    prep = _prepare(data, by, time, count, exposure, quarter, allow_series_break, "interrupted")
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

    def rr(j: int, sign: float) -> npt.NDArray[np.float64]:
        return np.asarray(np.exp(coef[:, j] + sign * z * se[:, j]), dtype=np.float64)

    out = prep.groups.drop("_gid").with_columns(
        pl.lit(model).alias("model"),
        pl.lit(at_date).alias("at"),
        pl.Series("n_pre", n_pre),
        pl.Series("n_post", n_post),
        pl.Series("level_change", np.exp(coef[:, 2])),
        pl.Series("level_lower", rr(2, -1.0)),
        pl.Series("level_upper", rr(2, 1.0)),
        pl.Series("level_pvalue", pv[:, 2]),
        pl.Series("slope_change", np.exp(coef[:, 3])),
        pl.Series("slope_lower", rr(3, -1.0)),
        pl.Series("slope_upper", rr(3, 1.0)),
        pl.Series("slope_pvalue", pv[:, 3]),
        pl.Series("apc_before", 100.0 * np.expm1(coef[:, 1])),
        pl.Series("apc_before_lower", 100.0 * np.expm1(coef[:, 1] - z * se[:, 1])),
        pl.Series("apc_before_upper", 100.0 * np.expm1(coef[:, 1] + z * se[:, 1])),
        pl.Series("apc_after", 100.0 * np.expm1(after)),
        pl.Series("apc_after_lower", 100.0 * np.expm1(after - z * after_se)),
        pl.Series("apc_after_upper", 100.0 * np.expm1(after + z * after_se)),
        pl.Series("dispersion", res["dispersion"]),
        pl.Series("alpha", res["alpha"]),
        pl.Series("converged", res["converged"]),
        pl.Series("reason", reasons, dtype=pl.String),
    )
    by_cols = [by] if isinstance(by, str) else list(by or [])
    lead = [*by_cols, "model", "at", "n", "n_pre", "n_post", "n_excluded", "first", "last"]
    out = out.select(lead + [c for c in out.columns if c not in lead])
    return out.with_columns(pl.col(pl.Float64).fill_nan(None))


# joinpoint lives in its own module (it needs _prepare above); public here
from groomstats._joinpoint import JoinpointResult, joinpoint  # noqa: E402

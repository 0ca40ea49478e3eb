"""Preparing a series for a fit: time values, quarters, the denominator offset, groups, the
series-break rule, and the interval columns the fits share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from groomstats._args import by_columns, interval_names
from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import DataFormatError, PeriodError
from groomstats.periods import (
    check_series_break,
    financial_year_start,
    may_hold_88a,
    series_values,
)

Model = Literal["poisson", "quasipoisson", "negbin"]
_MODELS: tuple[str, ...] = ("poisson", "quasipoisson", "negbin")
Incomplete = Literal["drop", "keep", "raise"]
_INCOMPLETE: tuple[str, ...] = ("drop", "keep", "raise")


@dataclass
class _Prepared:
    """Rows ready for a fit: sorted by group then time, with group boundaries."""

    groups: pl.DataFrame  # one row per group: by columns + n, n_excluded, first, last,
    # left_out (the periods left out and why, null when none)
    t: npt.NDArray[np.float64]  # time in years
    y: npt.NDArray[np.float64]
    offset: npt.NDArray[np.float64]
    quarter: npt.NDArray[np.int64] | None  # 1-4 when known
    starts: npt.NDArray[np.int64]
    kind: str  # financial_year, year, number, date
    labels: pl.Series  # the original time values of the rows used, in the same order
    rows: npt.NDArray[np.int64]  # the frame's row numbers of the rows used, in the same order


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
    denominator: str | None,
    quarter: str | None,
    allow_series_break: bool,
    what: str,
    incomplete: str = "drop",
) -> _Prepared:
    incomplete = check_option(incomplete, _INCOMPLETE, "incomplete")
    df = as_polars(data, what)
    by_cols = by_columns(by)
    cols = [*by_cols, time, count]
    if denominator is not None:
        cols.append(denominator)
    if quarter is not None:
        cols.append(quarter)
    require_columns(df, cols, what)
    if not df.get_column(count).dtype.is_numeric():
        raise DataFormatError(
            f"{what}: column '{count}' holds {df.get_column(count).dtype}, not numbers"
        )
    t, q, kind = _time_values(df, time, quarter)
    y = df.get_column(count).cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
    if denominator is not None:
        e = df.get_column(denominator).cast(pl.Float64).fill_null(np.nan).to_numpy()
        bad = np.flatnonzero(np.isfinite(e) & (e <= 0))
        if bad.size:
            raise DataFormatError(
                f"{what}: column '{denominator}', row {int(bad[0])}: denominator {e[bad[0]]} "
                "must be positive (it enters the model as log offset)"
            )
        off = np.log(np.where(np.isfinite(e), e, np.nan))
    else:
        off = np.zeros(len(df))
    inf = np.flatnonzero(np.isinf(y))
    if inf.size:  # NaN is a missing count (pandas' null); infinity is no count at all
        raise DataFormatError(
            f"{what}: column '{count}', row {int(inf[0])}: {y[inf[0]]} is not a count; a "
            "missing count must be null (a blank cell)"
        )
    usable = np.isfinite(t) & np.isfinite(y) & np.isfinite(off)
    partial = _incomplete_rows(df)
    labels = _labels(df, time, quarter)
    if incomplete == "raise" and partial is not None:
        bad = np.flatnonzero(usable & (partial.is_not_null().to_numpy()))
        if bad.size:
            shown = "; ".join(
                _row_text(df, by_cols, labels, int(i)) + f": {partial[int(i)]}" for i in bad[:5]
            )
            more = f" (and {bad.size - 5} more)" if bad.size > 5 else ""
            raise DataFormatError(
                f"{what}: {bad.size} incomplete period{'s' * (bad.size != 1)}: {shown}{more}. "
                "A model fitted through them would treat a partial count as a fall; pass "
                "incomplete='drop' (the default) to leave them out, or 'keep' to fit them "
                "knowingly"
            )
    why = _why_left_out(t, y, off, denominator, partial if incomplete == "drop" else None)
    keep = why.is_null().to_numpy()
    if may_hold_88a(series_values(df.filter(pl.Series(keep)))):  # E&W 88A only
        _check_series_break(t[keep], kind, allow_series_break, what)
    work = pl.DataFrame(
        [
            pl.Series("_t", t),
            pl.Series("_y", y),
            pl.Series("_off", off),
            pl.Series("_q", q if q is not None else np.zeros(len(df), dtype=np.int64)),
            pl.Series("_keep", keep),
            labels,
            why.alias("_why"),
            pl.Series("_orig", np.arange(len(df), dtype=np.int64)),
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
    listed = work.with_columns(pl.lit(False).alias("_gap"))
    gaps = _gaps(work, kind) if quarter is None else None
    if gaps is not None and gaps.height:
        listed = pl.concat([listed, gaps], how="diagonal_relaxed")
    summary = (
        listed.group_by("_gid")
        .agg(
            pl.col("_keep").sum().cast(pl.Int64).alias("n"),
            (~pl.col("_keep") & ~pl.col("_gap")).sum().cast(pl.Int64).alias("n_excluded"),
            pl.col("_time").filter(pl.col("_keep")).min().alias("first"),
            pl.col("_time").filter(pl.col("_keep")).max().alias("last"),
            pl.when(~pl.col("_keep"))
            .then(pl.format("{}: {}", pl.col("_time").cast(pl.String), pl.col("_why")))
            .sort_by(pl.col("_t"))
            .drop_nulls()
            .str.join("; ")
            .alias("left_out"),
        )
        .with_columns(
            pl.when(pl.col("left_out") == "")
            .then(None)
            .otherwise(pl.col("left_out"))
            .alias("left_out")
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
        rows=used.get_column("_orig").to_numpy().astype(np.int64),
    )


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


#: Arguments of trend / joinpoint / interrupted that were positional before 0.1.
_TREND_POSITIONAL = ("by", "time", "count")


def _intervals(
    levels: list[float],
    prefix: str,
    lower: Callable[[float], npt.NDArray[np.float64]],
    upper: Callable[[float], npt.NDArray[np.float64]],
) -> list[pl.Series]:
    """``lower_95``/``upper_95`` (``<prefix>_lower_95``...) per level, from normal quantiles."""
    out = []
    for c in levels:
        lo, hi = interval_names(c, prefix)
        z = _z(c)
        out += [pl.Series(lo, lower(z)), pl.Series(hi, upper(z))]
    return out


def _quarter_dummies(quarter: npt.NDArray[np.int64] | None, what: str) -> npt.NDArray[np.float64]:
    if quarter is None or (quarter == 0).any():
        raise DataFormatError(
            f"{what}: seasonality=True needs quarters: pass quarter='quarter' (PRC frames) or "
            "a date time column"
        )
    return np.column_stack([(quarter == k).astype(np.float64) for k in (2, 3, 4)])


def _range_values(
    values: tuple[Any, Any] | None, like: pl.Series, time: str
) -> tuple[float, float]:
    if values is None:
        return (float("nan"), float("nan"))
    s = pl.Series(time, list(values)).cast(like.dtype)
    t, _, _ = _time_values(pl.DataFrame([s]), time, None)
    return (float(t[0]), float(t[1]))


def _null_unconverged(out: pl.DataFrame) -> pl.DataFrame:
    """A fit that did not converge gives no figures: every estimate (the Float64 columns) of
    such a group is null, and ``reason`` says why (issue 12: quasi-Poisson on [0,0,0,0,7]
    printed an APC of 5.7e13% with p = 0 beside ``converged=False``)."""
    ok = pl.col("converged").fill_null(False)
    return out.with_columns(
        *[
            pl.when(ok).then(pl.col(c)).otherwise(None).alias(c)
            for c, t in out.schema.items()
            if t == pl.Float64
        ],
        pl.when(ok | pl.col("reason").is_not_null())
        .then(pl.col("reason"))
        .otherwise(pl.lit("the fit did not converge: no estimates"))
        .alias("reason"),
    )


def _incomplete_rows(df: pl.DataFrame) -> pl.Series | None:
    """Why each row's period is incomplete (null when it is not), from the coverage columns
    :func:`groomstats.totals` writes (``complete``, ``null_rows``, ``days_missing``,
    ``periods_present`` / ``periods_expected``); None when the frame has none of them."""
    parts: list[pl.Expr] = []
    cols = df.columns
    if "null_rows" in cols:
        n = pl.col("null_rows")
        parts.append(pl.when(n > 0).then(pl.format("{} row(s) summed with no count", n)))
    if "periods_present" in cols and "periods_expected" in cols:
        a, b = pl.col("periods_present"), pl.col("periods_expected")
        parts.append(pl.when(a < b).then(pl.format("{} of {} sub-periods present", a, b)))
    if "days_missing" in cols:
        d = pl.col("days_missing")
        parts.append(pl.when(d > 0).then(pl.format("{} days not covered", d)))
    if "complete" in cols:
        parts.append(
            pl.when(~pl.col("complete").cast(pl.Boolean).fill_null(True)).then(
                pl.lit("complete=False")
            )
        )
    if (
        "period_start" in cols
        and "period_end" in cols
        and df.schema["period_start"] == pl.Date
        and df.schema["period_end"] == pl.Date
        and df.height
    ):
        # a raw frame's row covering less of its period than the others (a part year)
        days = (pl.col("period_end") - pl.col("period_start")).dt.total_days() + 1
        usual = df.select(days.median()).item()
        if usual is not None:
            parts.append(
                pl.when(days < 0.9 * usual).then(
                    pl.format(
                        "covers {} days where the other rows cover about {}", days, int(usual)
                    )
                )
            )
    if not parts:
        return None
    text = pl.concat_str(parts, separator=", ", ignore_nulls=True)
    out = df.select(pl.when(text == "").then(None).otherwise("incomplete (" + text + ")"))
    return out.to_series().alias("_partial")


def _why_left_out(
    t: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    off: npt.NDArray[np.float64],
    denominator: str | None,
    partial: pl.Series | None,
) -> pl.Series:
    """Why each row is left out of the fit (null for rows used)."""
    n = len(t)
    part = partial if partial is not None else pl.Series([None] * n, dtype=pl.String)
    flags = pl.DataFrame(
        {
            "t": np.isfinite(t),
            "y": np.isfinite(y),
            "o": np.isfinite(off),
            "p": part.cast(pl.String),
        }
    )
    why = flags.select(
        pl.when(~pl.col("t"))
        .then(pl.lit("time missing"))
        .when(~pl.col("y"))
        .then(pl.lit("count missing"))
        .when(~pl.col("o"))
        .then(pl.lit(f"{denominator or 'denominator'} missing"))
        .otherwise(pl.col("p"))
    )
    return why.to_series().alias("_why")


def _row_text(df: pl.DataFrame, by_cols: list[str], labels: pl.Series, i: int) -> str:
    who = ", ".join(f"{c}={df[c][i]!r}" for c in by_cols)
    return f"{labels[i]}" + (f" ({who})" if who else "")


def _gaps(work: pl.DataFrame, kind: str) -> pl.DataFrame | None:
    """Years absent from an annual series (no row at all) between a group's first and last
    row: listed in ``left_out`` as such, so an absent period stays visible."""
    if kind not in ("financial_year", "year"):
        return None
    dtype = work.schema["_time"]
    t = work.filter(pl.col("_t").is_not_nan()).select("_gid", "_t")
    if t.height == 0 or bool((t.get_column("_t") != t.get_column("_t").floor()).any()):
        return None  # not a whole-year series
    t = t.with_columns(pl.col("_t").cast(pl.Int64).alias("_y"))
    span = t.group_by("_gid").agg(pl.col("_y").min().alias("lo"), pl.col("_y").max().alias("hi"))
    every = (
        span.select("_gid", pl.int_ranges(pl.col("lo") + 1, pl.col("hi")).alias("_y"))
        .explode("_y")
        .drop_nulls("_y")
    )
    absent = every.join(t.select("_gid", "_y").unique(), on=["_gid", "_y"], how="anti").sort(
        "_gid", "_y"
    )
    if absent.height == 0:
        return None
    y = pl.col("_y")
    if kind == "financial_year":
        label = pl.format("{}/{}", y, ((y + 1) % 100).cast(pl.String).str.zfill(2))
    else:
        label = y
    return absent.select(
        pl.col("_gid").cast(work.schema["_gid"]),
        y.cast(pl.Float64).alias("_t"),
        label.cast(dtype, strict=False).alias("_time"),
        pl.lit(False).alias("_keep"),
        pl.lit("no row (absent from the data)").alias("_why"),
        pl.lit(True).alias("_gap"),
    )

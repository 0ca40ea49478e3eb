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
from groomstats._util import as_days, as_polars, check_option, require_columns, text_numbers_fix
from groomstats.exceptions import DataFormatError, PeriodError
from groomstats.periods import (
    SERIES_COLUMNS,
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
    rows: npt.NDArray[np.int64]  # the frame's row numbers of the rows used, in the same order
    time_values: pl.Series  # the time values shown in outputs, of every row of the frame

    @property
    def labels(self) -> pl.Series:
        """The original time values of the rows used, in the same order."""
        return self.time_values.gather(self.rows)


def _parse_financial_years(values: pl.Series, column: str) -> npt.NDArray[np.float64]:
    """Start year of each financial-year spelling; each distinct spelling is parsed once."""
    return _financial_years(values, column)[0]


def _codes(values: pl.Series) -> tuple[npt.NDArray[np.int64], pl.Series]:
    """Each value's position among the distinct values sorted (0 for null), and those values:
    the smallest code is the value that sorts first, as ``min()`` of the column would give."""
    distinct = values.drop_nulls().unique().sort()
    codes = values.cast(pl.Enum(distinct)).to_physical()
    return (codes.fill_null(0) if codes.null_count() else codes).to_numpy().astype(
        np.int64
    ), distinct


def _financial_years(
    values: pl.Series, column: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], pl.Series]:
    """Start year of each financial-year spelling (NaN when null), with the spellings' codes
    (:func:`_codes`); each distinct spelling is parsed once, the rows mapped to it by code."""
    s = values.cast(pl.String)
    codes, distinct = _codes(s)
    starts = np.empty(distinct.len() + 1, dtype=np.float64)  # the last for nulls
    bad: dict[str, str] = {}
    for k, v in enumerate(distinct.to_list()):
        m = financial_year_start(v)
        if m is None:
            bad[v] = f"{v!r} is not a financial year such as '2017/18'"
        elif int(m.group(2)) % 100 != (int(m.group(1)) + 1) % 100:
            start = int(m.group(1))
            bad[v] = (
                f"{v!r} does not name consecutive years "
                f"(did you mean '{start}/{(start + 1) % 100:02d}'?)"
            )
        else:
            starts[k] = float(m.group(1))
    if bad:  # name the first bad row
        i = int(s.is_in(list(bad)).arg_true()[0])
        raise PeriodError(f"column '{column}', row {i}: {bad[s[i]]}")
    starts[-1] = np.nan
    years = starts[
        np.where(s.is_null().to_numpy(), distinct.len(), codes) if s.null_count() else codes
    ]
    return years, codes, distinct


def _date_times(s: pl.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Decimal calendar year (1 January = .0) and financial quarter (0 when null) of dates.

    Worked out once per day of the span the dates cover (:func:`_day_times`) and looked up,
    unless the span is longer than the column (then per row)."""
    days = as_days(s).to_physical()  # a zoned datetime's own day, not its day in UTC
    null = days.is_null().to_numpy() if days.null_count() else None
    lo, hi = days.min(), days.max()  # None when every value is null
    lo = int(lo) if isinstance(lo, int) else 0
    d = days.fill_null(lo).to_numpy().astype(np.int64)
    if isinstance(hi, int) and hi - lo < d.size:
        t_day, q_day = _day_times(np.arange(lo, hi + 1, dtype=np.int64))
        t, q = t_day[d - lo], q_day[d - lo]
    else:
        t, q = _day_times(d)
    if null is not None:
        t[null] = np.nan
        q[null] = 0
    return t, q


def _day_times(
    days: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Decimal year, year + (day of the year - 1) / (days in the year), and financial quarter
    of days since 1970-01-01, by integer arithmetic on the proleptic Gregorian calendar
    (H. Hinnant, "chrono-compatible low-level date algorithms", ``civil_from_days``)."""
    z = days + 719468  # days since 0000-03-01
    era = z // 146097
    doe = z - era * 146097  # day of the 400-year era, 0-146096
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # day of the year from 1 March
    mp = (5 * doy + 2) // 153  # month from March, 0-11
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    before = year - 1  # 1 January of ``year`` as days since 0000-03-01: 306 days after
    y400 = before % 400  # 1 March of the year before, in its era
    jan1 = (before // 400) * 146097 + y400 * 365 + y400 // 4 - y400 // 100 + 306
    t = year.astype(np.float64) + (z - jan1).astype(np.float64) / np.where(leap, 366.0, 365.0)
    q = ((month - 4) % 12 // 3 + 1).astype(np.int64)
    return t, q


def _time_values(
    df: pl.DataFrame, time: str, quarter: str | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64] | None, str]:
    """Time in years, financial quarter (1-4) where known, and the kind of time column."""
    t, q, kind, _ = _coded_time_values(df, time, quarter)
    return t, q, kind


def _coded_time_values(
    df: pl.DataFrame, time: str, quarter: str | None
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.int64] | None,
    str,
    tuple[npt.NDArray[np.int64], pl.Series] | None,
]:
    """:func:`_time_values`, and for financial-year strings their codes (:func:`_codes`)."""
    s = df.get_column(time)
    q: npt.NDArray[np.int64] | None = None
    coded: tuple[npt.NDArray[np.int64], pl.Series] | None = None
    if s.dtype == pl.String:
        t, codes, distinct = _financial_years(s, time)
        coded = (codes, distinct)
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
        coded = None  # the labels are "<time> Q<n>", not the time values
    return t, q, kind, coded


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
            f"{what}: column '{count}' holds {df.get_column(count).dtype}, not numbers; "
            + text_numbers_fix(df, count)
        )
    t, q, kind, coded = _coded_time_values(df, time, quarter)
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
    drop = partial if incomplete == "drop" else None
    keep = usable if drop is None else usable & drop.is_null().to_numpy()
    present = [c for c in SERIES_COLUMNS if c in df.columns]
    values = series_values(df.select(present).filter(pl.Series(keep))) if present else {}
    check_break = may_hold_88a(values)  # E&W 88A only; checked on the rows fitted below
    if coded is None and labels.dtype == pl.String:
        coded = _codes(labels)
    # every row in group then time order (groups in sorted key order, nulls last; time NaN
    # last in its group; ties in the frame's order): one sort gives the groups, the rows
    # fitted and the order of the rows left out
    perm, gid, keys = _group_order(df, by_cols, t)
    n_groups = keys.height
    t_sorted = t[perm]
    every = bool(keep.all())  # the usual case: no row left out, nothing to pick
    keep_sorted = keep[perm]
    used = perm if every else perm[keep_sorted]  # the frame's rows fitted, by group then time
    used_gid = gid if every else gid[keep_sorted]
    t_used = t_sorted if every else t_sorted[keep_sorted]
    if check_break:
        _check_series_break(t_used, kind, allow_series_break, what)
    # duplicated times inside a group (adjacent once sorted): refuse, naming them
    same = (used_gid[1:] == used_gid[:-1]) & (t_used[1:] == t_used[:-1])
    if same.any():
        i = int(used[int(np.argmax(same))])
        where = ", ".join(f"{c}={df[c][i]!r}" for c in by_cols)
        raise DataFormatError(
            f"{what}: {time}={labels[i]!r} appears more than once"
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
    counts = np.bincount(used_gid, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    fitted = counts > 0
    if coded is not None:  # text labels: first and last as text sorts (min / max)
        codes, distinct = coded
        lo = np.zeros(n_groups, dtype=np.int64)
        hi = np.zeros(n_groups, dtype=np.int64)
        if used.size:
            c = codes[used]
            lo[fitted] = np.minimum.reduceat(c, starts[:-1][fitted])
            hi[fitted] = np.maximum.reduceat(c, starts[:-1][fitted])
        first, last = _pick(distinct, lo, fitted), _pick(distinct, hi, fitted)
    else:  # numbers and dates: first and last in time
        head = tail = np.zeros(n_groups, dtype=np.int64)  # groups with no row fitted: unused
        if used.size:
            head = used[np.minimum(starts[:-1], used.size - 1)]
            tail = used[np.maximum(starts[1:] - 1, 0)]
        first, last = _pick(labels, head, fitted), _pick(labels, tail, fitted)
    out_sorted = ~keep_sorted
    left = perm[out_sorted]  # the frame's rows left out, by group then time
    finite = every or bool(np.isfinite(t_sorted).all())  # rows fitted have a time
    if quarter is not None:
        gaps = None
    elif finite:
        gaps = _gaps(gid, t_sorted, kind)
    else:
        has_time = np.isfinite(t_sorted)
        gaps = _gaps(gid[has_time], t_sorted[has_time], kind)
    if left.size or gaps is not None:
        why = _why_left_out(
            t[left],
            y[left],
            off[left],
            denominator,
            drop.gather(left) if drop is not None else None,
        )
        left_out = _left_out(
            gid[out_sorted], t[left], labels.gather(left), why, gaps, kind, n_groups
        )
    else:
        left_out = pl.repeat(None, n_groups, dtype=pl.String, eager=True).alias("left_out")
    rows_per_group = np.bincount(gid, minlength=n_groups)
    summary = [
        pl.Series("n", counts, dtype=pl.Int64),
        pl.Series("n_excluded", np.bincount(gid[out_sorted], minlength=n_groups), pl.Int64),
        first.alias("first"),
        last.alias("last"),
        left_out,
    ]
    if not (rows_per_group > 0).all():  # a group with no row at all (an empty frame)
        summary = [s.scatter(np.flatnonzero(rows_per_group == 0), None) for s in summary]
    return _Prepared(
        # a by column named like a summary column keeps its name; the summary's gets
        # "_right" (as a join on the group would name it)
        groups=keys.hstack(
            [c.alias(f"{c.name}_right") if c.name in keys.columns else c for c in summary]
        ),
        t=t_used,
        y=y[used],
        offset=off[used],
        quarter=q[used] if q is not None else None,
        starts=starts,
        kind=kind,
        rows=used,
        time_values=labels,
    )


def _group_order(
    df: pl.DataFrame, by_cols: list[str], t: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], pl.DataFrame]:
    """The frame's rows in group then time order, each row's group number (in that order) and
    one row per group: ``_gid`` then the ``by`` columns, groups in sorted key order (nulls
    last; a frame with no ``by`` is one group)."""
    if not by_cols:
        perm = np.argsort(t, kind="stable").astype(np.int64)  # NaN last
        keys = pl.DataFrame({"_gid": [0]}, schema={"_gid": pl.UInt32})
        return perm, np.zeros(len(t), dtype=np.int64), keys
    t_name, row_name = "_t", "_row"
    while t_name in by_cols or row_name in by_cols:  # names of the frame's own columns
        t_name, row_name = t_name + "_", row_name + "_"
    order = (
        df.select(by_cols)
        .hstack([pl.Series(t_name, t), pl.Series(row_name, np.arange(len(t), dtype=np.int64))])
        .sort([*by_cols, t_name], nulls_last=True, maintain_order=True)
    )
    perm = order.get_column(row_name).to_numpy()
    gid = order.select(pl.struct(by_cols).rle_id()).to_series().to_numpy().astype(np.int64)
    heads = np.flatnonzero(np.concatenate([[True], gid[1:] != gid[:-1]]))
    keys = order.select(by_cols)[heads].with_row_index("_gid")
    return perm, gid, keys


def _pick(values: pl.Series, at: npt.NDArray[np.int64], ok: npt.NDArray[np.bool_]) -> pl.Series:
    """``values[at[g]]`` for each group g where ``ok[g]``, null for the others."""
    if not ok.any():
        return pl.repeat(None, len(at), dtype=values.dtype, eager=True)
    out = values.gather(np.where(ok, at, 0))
    return out if ok.all() else out.scatter(np.flatnonzero(~ok), None)


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
    flags = pl.DataFrame(
        {
            "t": np.isfinite(t),
            "y": np.isfinite(y),
            "o": np.isfinite(off),
            "p": partial
            if partial is not None
            else pl.repeat(None, len(t), dtype=pl.String, eager=True),
        }
    )
    why = flags.select(
        pl.when(~pl.col("t"))
        .then(pl.lit("time missing"))
        .when(~pl.col("y"))
        .then(pl.lit("count missing"))
        .when(~pl.col("o"))
        .then(pl.lit(f"{denominator or 'denominator'} missing"))
        .otherwise(pl.col("p").cast(pl.String))
    )
    return why.to_series().alias("_why")


def _row_text(df: pl.DataFrame, by_cols: list[str], labels: pl.Series, i: int) -> str:
    who = ", ".join(f"{c}={df[c][i]!r}" for c in by_cols)
    return f"{labels[i]}" + (f" ({who})" if who else "")


def _gaps(
    gid: npt.NDArray[np.int64], t: npt.NDArray[np.float64], kind: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Years absent from an annual series (no row at all) between a group's first and last
    row, as (group, year) pairs, from every row's group and time (NaN left out) in group then
    time order; listed in ``left_out`` as such, so an absent period stays visible."""
    if kind not in ("financial_year", "year") or t.size == 0 or (t != np.floor(t)).any():
        return None  # not a whole-year series
    step = np.diff(t)
    at = np.flatnonzero((gid[1:] == gid[:-1]) & (step > 1))  # a jump over absent years
    if at.size == 0:
        return None
    k = (step[at] - 1).astype(np.int64)  # years absent in each jump
    into = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)  # 0..k-1 in each jump
    return np.repeat(gid[at], k), np.repeat(t[at].astype(np.int64), k) + into + 1


def _left_out(
    gid: npt.NDArray[np.int64],
    t: npt.NDArray[np.float64],
    labels: pl.Series,
    why: pl.Series,
    gaps: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None,
    kind: str,
    n_groups: int,
) -> pl.Series:
    """Per group, the periods left out of the fit and why, in time order (``"2019/20: count
    missing; 2020/21: no row (absent from the data)"``); null when none. ``gid``, ``t``,
    ``labels`` and ``why`` describe the rows left out, by group then time."""
    out = pl.repeat(None, n_groups, dtype=pl.String, eager=True).alias("left_out")
    part = pl.DataFrame([pl.Series("_gid", gid), pl.Series("_t", t), labels.alias("_time"), why])
    if gaps is not None:
        y = pl.col("_y")
        if kind == "financial_year":
            label = pl.format("{}/{}", y, ((y + 1) % 100).cast(pl.String).str.zfill(2))
        else:
            label = y
        absent = pl.DataFrame({"_gid": gaps[0], "_y": gaps[1]}).select(
            "_gid",
            y.cast(pl.Float64).alias("_t"),
            label.cast(labels.dtype, strict=False).alias("_time"),
            pl.lit("no row (absent from the data)").alias("_why"),
        )
        part = pl.concat([part, absent]).sort("_gid", "_t", maintain_order=True)
    if part.height == 0:
        return out
    text = (
        part.select(
            "_gid",
            # a row whose time is missing is named as such (its period is not known)
            pl.when(pl.col("_time").is_null())
            .then(pl.lit("a row whose time is missing"))
            .otherwise(pl.format("{}: {}", pl.col("_time").cast(pl.String), pl.col("_why")))
            .alias("x"),
        )
        .drop_nulls("x")
        .group_by("_gid", maintain_order=True)
        .agg(pl.col("x").str.join("; "))
    )
    return out.scatter(text.get_column("_gid"), text.get_column("x")) if text.height else out

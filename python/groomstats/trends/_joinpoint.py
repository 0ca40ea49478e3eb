"""Joinpoint regression after NCI's Joinpoint Regression Program (public in
:mod:`groomstats.trends`; the fits run in the Rust core, one group per task, permutations in
parallel too).

What is checked against the program (Joinpoint 4.5.0.1 exports of three published analyses in
``tests/fixtures/joinpoint/``, 19 series) and what is not is listed in :func:`joinpoint`'s
docstring and in the README.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from groomstats import _core
from groomstats._args import by_columns, interval_names, renamed
from groomstats._util import as_polars, check_option, require_columns, text_numbers_fix
from groomstats.exceptions import DataFormatError, GroomstatsError
from groomstats.trends._series import (
    _TREND_POSITIONAL,
    Incomplete,
    _prepare,
    _Prepared,
    _range_values,
    _time_values,
    _z,
)

Selection = Literal["permutation", "bic", "wbic"]
Variance = Literal["constant", "heteroscedastic", "poisson"]
CiMethod = Literal["parametric", "empirical"]


@dataclass
class JoinpointResult:
    """Joinpoint fits as DataFrames (interval columns ``lower_95``/``upper_95`` at the
    default confidence, ``lower_<pct>``/``upper_<pct>`` otherwise).

    Attributes
    ----------
    segments
        One row per group and segment: ``segment`` (1, 2, ...), ``start``, ``end`` (data points,
        in the time column's values; a joinpoint ends one segment and starts the next), ``apc``
        with its interval, ``statistic`` (t), ``pvalue``, ``slope``/``se`` (of ln value per
        year).
    aapc
        One row per group: ``n``, ``n_excluded``, ``joinpoints`` (number selected),
        ``max_joins_used``, ``aapc_start``, ``aapc_end`` (null if the range is outside the series),
        ``aapc`` with its interval, ``statistic``, ``pvalue``, ``method`` (``"t"`` in a segment,
        ``"normal"`` across, ``"empirical"``), ``reason`` (why a group was not fitted, or a note).
    joinpoints
        One row per group and joinpoint: ``joinpoint`` (1, 2, ...), ``location`` and its
        interval, all in the time column's values. The parametric interval is the program's
        (all 63 limits of the reference exports): Lerman's (1980) joint confidence region for
        the k joinpoints, (SSE(x) - SSE) / (SSE / (n - 2k - 2)) <= k F(k, n - 2k - 2), projected
        on each joinpoint (x runs over the data points, SSE(x) is the best fit with this
        joinpoint at x), widened to the data points just outside that projection and kept
        within the joinpoint's grid range.
    tests
        The sequence of permutation tests, in the program's model-selection layout:
        ``k_null``, ``k_alt``, ``df_num``, ``df_den``, ``n_permutations``, ``statistic``,
        ``pvalue``, ``level`` (α / (K - k_null)), ``reject``.
    models
        Every number of joinpoints tried: ``joinpoints``, ``sse`` (weighted, of ln values),
        ``bic``, ``bic3``, ``wbic``, ``wbic_weight`` (the partial R² weighting BIC3), ``selected``.
    jump
        With ``jump_before``: one row per group with the jump (ln scale) and its comparability
        ratio ``ratio`` = exp(jump), each with interval, ``statistic`` and ``pvalue``.
    fitted
        One row per group and point used: the time value, ``observed``, ``fitted`` (the joined
        model on the value's scale).
    """

    segments: pl.DataFrame
    aapc: pl.DataFrame
    joinpoints: pl.DataFrame
    tests: pl.DataFrame
    models: pl.DataFrame
    jump: pl.DataFrame
    fitted: pl.DataFrame


def _as_float(df: pl.DataFrame, col: str, what: str) -> npt.NDArray[np.float64]:
    s = df.get_column(col)
    if not s.dtype.is_numeric():
        raise DataFormatError(
            f"{what}: column '{col}' holds {s.dtype}, not numbers; " + text_numbers_fix(df, col)
        )
    out: npt.NDArray[np.float64] = (
        s.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
    )
    return out


@renamed(was_positional=_TREND_POSITIONAL, df="data")
def joinpoint(
    data: Any,
    *,
    by: Sequence[str] | str | None = None,
    time: str = "financial_year",
    count: str = "offences",
    denominator: str | None = None,
    se: str | None = None,
    variance: Variance | None = None,
    selection: Selection = "permutation",
    min_joins: int = 0,
    max_joins: int = 3,
    n_permutations: int = 4499,
    alpha: float = 0.05,
    seed: int = 2000,
    min_end: int = 2,
    min_between: int = 2,
    ci: CiMethod = "parametric",
    n_resamples: int = 1000,
    jump_before: Any = None,
    aapc_range: tuple[Any, Any] | None = None,
    quarter: str | None = None,
    confidence: float = 0.95,
    allow_series_break: bool = False,
    incomplete: Incomplete = "drop",
) -> JoinpointResult:
    """Joinpoint regression per group, after NCI's Joinpoint Regression Program.

    Log-linear model ln(value) = b0 + b1·t + Σ d_i (t - τ_i)+, value = ``count`` (or
    ``count / denominator``), joinpoints τ on data points by exhaustive grid search, fitted by
    weighted least squares; segment APC = 100 (e^slope - 1).

    **Matched to the program's printed precision** (tests reproduce Joinpoint 4.5.0.1 exports of
    three published analyses, 19 series, in ``tests/fixtures/joinpoint/``): the joinpoints and
    SSE; segment APCs with their 95% limits, t statistics and p-values; AAPCs with limits, test
    statistics and p-values; slope standard errors; for a jump model the jump and comparability
    ratio with limits and tests; the joinpoint location limits (all 63, e.g. 1993 (1989-1996);
    the rule, found on the exports, under ``joinpoints`` below); the model-selection tests'
    hypotheses, degrees of freedom and levels, their permutation p-values within Monte Carlo
    error and the number of joinpoints selected (all 19 series; in a jump model the permuted
    data are built from the null fit less its jump, as the program's p-values show:
    ``tests/trends/test_joinpoint_nci.py``). The program's documentation describes neither of
    those two rules; they were found by trying alternatives against its exports.
    Options in play there, and so the only ones checked against the program:
    ``variance="heteroscedastic"`` with ``se=``, ``selection="permutation"`` with ``alpha`` =
    0.05, ``max_joins`` up to 5 and 10,000 permutations, ``min_end`` = ``min_between`` = 2,
    ``jump_before``, ``ci="parametric"`` at ``confidence`` = 0.95, the AAPC over the whole
    series.

    **Offered but not checked against program output**: ``variance="constant"`` (the same code
    with unit weights); ``variance="poisson"`` and ``denominator`` (weighted least squares
    with the counts as weights, the delta-method variance of a log Poisson rate; the program
    fits Poisson maximum likelihood); ``selection="wbic"`` and ``"bic"`` (the help pages'
    formulas); ``min_joins`` above 0; other ``min_end`` / ``min_between``; ``aapc_range``;
    other ``confidence`` levels; ``ci="empirical"`` (Joinpoint 5's idea, resampled residuals
    with the joinpoints refitted, percentile limits; no Joinpoint 5 export to compare). Where
    two joinpoint sets fit equally well (a joinpoint either side of a jump spans the same
    model) the first in time order is taken, the program's pick follows its rounding.
    Not offered: continuous (Hudson) fitting, grid points between data points, autocorrelated
    errors, linear (non-log) models.

    Parameters
    ----------
    data
        polars or pandas DataFrame, one row per group and period; values must be positive.
    by
        Grouping column(s); None fits one series.
    time, quarter
        Time column (financial years ``"2017/18"``, years, dates) and optional quarter column,
        as :func:`groomstats.trend`.
    count
        Column of the modelled values (counts, or rates when ``se`` is given).
    denominator
        Optional population/exposure column: the model is then for ``count / denominator``.
    se
        Column of standard errors of the values (e.g. of published rates); implies
        ``variance="heteroscedastic"`` with weights value² / se², as the program.
    variance
        ``"constant"`` (default without ``se``), ``"heteroscedastic"`` (default with ``se``)
        or ``"poisson"`` (weights = counts; see above).
    selection
        ``"permutation"`` (the program's sequential tests, Kim et al. 2000), ``"bic"`` or
        ``"wbic"`` (weighted BIC, the program's default since 5.0). A series lying exactly
        on one log-linear line (every model's SSE 0, so every BIC -inf) gets no joinpoint,
        with a ``reason`` saying so, whatever the selection (with ``min_joins`` 0).
    min_joins, max_joins
        Range of the number of joinpoints (``min_joins = max_joins`` fixes it). ``max_joins``
        is reduced, with a note, for short series.
    n_permutations, alpha, seed
        Permutation test settings (program defaults 4,499 and 0.05). Seeded, one stream per
        group, test and permutation, each group's keyed by a stable hash of its ``by`` values:
        results depend neither on threads nor on the other groups in the frame (adding,
        removing, renaming or reordering them never changes a group's result).
    min_end, min_between
        Minimum number of observations between a joinpoint and either end, and between two
        joinpoints, the joinpoints excluded (program defaults 2 and 2).
    ci
        ``"parametric"`` (the program's version 4 method) or ``"empirical"`` (quantiles of
        ``n_resamples`` residual resamples, seeded by ``seed``).
    n_resamples
        Resamples for ``ci="empirical"``.
    jump_before
        A value of ``time``: fit the program's jump model, a level shift (comparability
        ratio) between the previous period and this one (e.g. ``1999``, or ``"2017/18"`` for
        the 1 April 2017 change in 88A, with ``allow_series_break=True``).
    aapc_range
        (start, end) in the time column's values for the AAPC; None = whole series.
    confidence
        Level of every interval.
    allow_series_break
        Fit across 1 April 2017 (refused by default).
    incomplete
        What to do with incomplete periods: rows whose coverage columns (from
        :func:`totals`: ``complete=False``, ``null_rows``, ``days_missing``,
        ``periods_present`` below ``periods_expected``) say a group's count is partial (e.g.
        one force of a region blank that year). ``"drop"`` (default) leaves them out and lists
        them in ``left_out`` (of ``aapc``); ``"keep"`` fits them; ``"raise"`` raises
        :class:`DataFormatError` naming them. Rows with no count are always left out and
        listed.

    Returns
    -------
    JoinpointResult
        ``segments``, ``aapc``, ``joinpoints``, ``tests``, ``models``, ``jump`` and
        ``fitted`` DataFrames.

    Examples
    --------
    >>> import polars as pl
    >>> import groomstats
    >>> df = pl.DataFrame({
    ...     "year": list(range(2017, 2029)),
    ...     "offences": [100, 121, 146, 177, 214, 259, 246, 234, 223, 211, 201, 191],
    ... })
    >>> res = groomstats.joinpoint(df, time="year", max_joins=1, selection="bic")
    >>> res.segments.select("segment", "start", "end", pl.col("apc").round(1))
    shape: (2, 4)
    ┌─────────┬───────┬──────┬──────┐
    │ segment ┆ start ┆ end  ┆ apc  │
    │ ---     ┆ ---   ┆ ---  ┆ ---  │
    │ i64     ┆ i64   ┆ i64  ┆ f64  │
    ╞═════════╪═══════╪══════╪══════╡
    │ 1       ┆ 2017  ┆ 2022 ┆ 21.0 │
    │ 2       ┆ 2022  ┆ 2028 ┆ -4.9 │
    └─────────┴───────┴──────┴──────┘
    """

    what = "joinpoint"
    selection = check_option(selection, ("permutation", "bic", "wbic"), "selection")  # type: ignore[assignment]
    ci = check_option(ci, ("parametric", "empirical"), "ci")  # type: ignore[assignment]
    if variance is None:
        variance = "heteroscedastic" if se is not None else "constant"
    variance = check_option(variance, ("constant", "heteroscedastic", "poisson"), "variance")  # type: ignore[assignment]
    if se is not None and variance != "heteroscedastic":
        raise GroomstatsError(
            f"{what}: se='{se}' is given but variance='{variance}' would ignore it; "
            "pass variance='heteroscedastic' (or drop se=)"
        )
    if variance == "heteroscedastic" and se is None:
        raise GroomstatsError(
            f"{what}: variance='heteroscedastic' needs the standard errors: pass se='<column>'"
        )
    for name, v in (
        ("min_joins", min_joins),
        ("max_joins", max_joins),
        ("min_end", min_end),
        ("min_between", min_between),
    ):
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise GroomstatsError(f"{name} must be a non-negative integer, got {v!r}")
    if min_joins > max_joins:
        raise GroomstatsError(f"min_joins={min_joins} is above max_joins={max_joins}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise GroomstatsError(f"seed must be an integer, got {seed!r}")
    if not isinstance(n_permutations, int) or n_permutations < 1:
        raise GroomstatsError(f"n_permutations must be a positive integer, got {n_permutations!r}")
    if not isinstance(n_resamples, int) or n_resamples < 10:
        raise GroomstatsError(f"n_resamples must be an integer >= 10, got {n_resamples!r}")
    if not 0.0 < alpha < 1.0:
        raise GroomstatsError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    _z(confidence)
    df = as_polars(data, what)
    by_cols = by_columns(by)
    extra = [c for c in (denominator, se) if c is not None]
    require_columns(df, [time, count, *extra], what)
    # the modelled value, its standard error and the counts (Poisson weights), aligned with
    # the rows _prepare keeps: carry them as extra columns through its sort
    cnt = _as_float(df, count, what)
    inf = np.flatnonzero(np.isinf(cnt))
    if inf.size:
        raise DataFormatError(
            f"{what}: column '{count}', row {int(inf[0])}: {cnt[inf[0]]} is not a count; a "
            "missing count must be null (a blank cell)"
        )
    value = cnt.copy()
    if denominator is not None:
        den = _as_float(df, denominator, what)
        bad = np.flatnonzero(np.isfinite(den) & (den <= 0))
        if bad.size:
            raise DataFormatError(
                f"{what}: column '{denominator}', row {int(bad[0])}: denominator "
                f"{den[bad[0]]} must be positive"
            )
        value = cnt / den
    sev = _as_float(df, se, what) if se is not None else np.ones(len(df))
    if se is not None:
        bad = np.flatnonzero(np.isfinite(sev) & (sev <= 0))
        if bad.size:
            raise DataFormatError(
                f"{what}: column '{se}', row {int(bad[0])}: standard error {sev[bad[0]]} must "
                "be positive"
            )
    tmp = df.with_columns(
        pl.Series("__value", np.where(np.isfinite(sev), value, np.nan)),
        pl.Series("__row", np.arange(len(df), dtype=np.int64)),
    )
    prep = _prepare(tmp, by, time, "__value", None, quarter, allow_series_break, what, incomplete)
    # rows used, in the order of prep (group, time)
    used_rows = prep.rows
    y = prep.y
    se_arr = sev[used_rows] if se is not None else None
    counts = cnt[used_rows] if variance == "poisson" else None
    a0, a1 = _range_values(aapc_range, df.get_column(time), time)
    if quarter is not None and aapc_range is not None:
        raise GroomstatsError("aapc_range is supported for annual series only")
    jump_at = float("nan")
    if jump_before is not None:
        if quarter is not None:
            raise GroomstatsError("jump_before is supported for annual series only")
        s = pl.Series(time, [jump_before]).cast(df.get_column(time).dtype, strict=False)
        if s.null_count():
            raise GroomstatsError(
                f"jump_before={jump_before!r} is not a value of the column '{time}'"
            )
        tj, _, _ = _time_values(pl.DataFrame([s]), time, None)
        steps = np.diff(np.unique(prep.t))
        gap = float(steps.min()) if steps.size else 1.0
        jump_at = float(tj[0]) - gap / 2.0

    def fit(max_joins: int) -> JoinpointResult:
        return _layout(_fit(max_joins), prep, by_cols, a0, a1, confidence, ci, selection)

    def _fit(max_joins: int) -> Any:
        return _core.joinpoint_fit(
            prep.t,
            y,
            prep.starts,
            max_joins,
            min_end,
            min_between,
            selection,
            n_permutations,
            float(alpha),
            int(seed) & 0xFFFF_FFFF_FFFF_FFFF,
            float(confidence),
            a0,
            a1,
            se=se_arr,
            counts=counts,
            variance=variance,
            min_joins=min_joins,
            jump_at=jump_at,
            ci=ci,
            n_resamples=n_resamples,
            group_keys=group_keys(prep.groups.sort("_gid").select(by_cols)),
        )

    result = fit(max_joins)
    if min_joins == 0 and max_joins > 0:
        result = _one_line_needs_no_joinpoint(result, by_cols, fit)
    return result


#: a weighted SSE (on ln values) this small, per point, is a series lying on one line
_EXACT_SSE = 1e-18


def _one_line_needs_no_joinpoint(
    result: JoinpointResult, by_cols: list[str], fit: Any
) -> JoinpointResult:
    """A series lying exactly on one log-linear line (all values equal, or growing by one
    factor a year) fits every model with SSE 0: BIC / WBIC, all -inf, then picked the most
    joinpoints and the permutation tests compared 0 with 0. Such a group gets the model
    without joinpoints, and its ``reason`` says why."""
    # the groups whose model without joinpoints fits exactly but that were given joinpoints
    key = by_cols or ["__one"]
    one = pl.lit(0).alias("__one")
    line_fits = result.models.with_columns(one).filter(pl.col("joinpoints") == 0)
    given = result.aapc.with_columns(one).filter(pl.col("joinpoints").fill_null(0) > 0)
    keys = (
        line_fits.join(given.select(*key, "n"), on=key, how="inner", nulls_equal=True)
        .filter(pl.col("sse") <= _EXACT_SSE * pl.col("n").cast(pl.Float64))
        .select(key)
    )
    if keys.height == 0:
        return result
    line = fit(0)
    note = (
        "the series lies on one log-linear line (the model without joinpoints fits it "
        "exactly, SSE 0): no joinpoint"
    )
    line_aapc = line.aapc.with_columns(
        pl.concat_str([pl.col("reason"), pl.lit(note)], separator="; ", ignore_nulls=True)
    )
    line = JoinpointResult(**{**vars(line), "aapc": line_aapc})
    if not by_cols:
        return line
    parts = {}
    for name, frame in vars(result).items():
        new = getattr(line, name)
        if not isinstance(frame, pl.DataFrame) or not set(by_cols) <= set(frame.columns):
            parts[name] = frame
            continue
        order = result.aapc.select(by_cols).with_row_index("__order")
        kept = frame.join(keys, on=by_cols, how="anti", nulls_equal=True)
        swapped = new.join(keys, on=by_cols, how="semi", nulls_equal=True)
        both = pl.concat([kept, swapped], how="diagonal_relaxed")
        parts[name] = (
            both.join(order, on=by_cols, how="left", nulls_equal=True)
            .sort("__order", maintain_order=True)
            .drop("__order")
            .select(frame.columns)
        )
    return JoinpointResult(**parts)


def group_keys(groups: pl.DataFrame) -> npt.NDArray[np.uint64]:
    """One key per group for its random streams: a stable hash (BLAKE2b, not Python's
    per-process ``hash``) of the text of the group's ``by`` values, so a group's permutations
    and resamples depend only on ``seed`` and its own key, never on which other groups are
    in the frame or in what order.

    Examples
    --------
    >>> import polars as pl
    >>> a = group_keys(pl.DataFrame({"force": ["Kent", "Essex"]}))
    >>> b = group_keys(pl.DataFrame({"force": ["Essex"]}))
    >>> bool(a[1] == b[0]), bool(a[0] != a[1])
    (True, True)
    """
    if groups.width == 0:  # no by columns: one group, the whole frame
        groups = pl.DataFrame({"__all": [None]})
    keys = [
        int.from_bytes(
            hashlib.blake2b("\x1f".join(repr(v) for v in row).encode(), digest_size=8).digest(),
            "little",
        )
        for row in groups.iter_rows()
    ]
    return np.asarray(keys, dtype=np.uint64)


def _layout(
    res: _core._JoinpointFitResult,
    prep: _Prepared,
    by_cols: list[str],
    a0: float,
    a1: float,
    confidence: float,
    ci: str,
    selection: str,
) -> JoinpointResult:
    lo_name, hi_name = interval_names(confidence)
    keys = prep.groups.select(["_gid", *by_cols])
    labels = prep.labels

    def attach(frame: pl.DataFrame, gcol: str) -> pl.DataFrame:
        frame = frame.with_columns(pl.col(gcol).cast(pl.UInt32).alias("_gid")).drop(gcol)
        out = keys.join(frame, on="_gid", how="inner").drop("_gid")
        return out.with_columns(pl.col(pl.Float64).fill_nan(None))

    def pct(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(100.0 * np.expm1(v), dtype=np.float64)

    seg_g = res["seg_group"]
    base = prep.starts[seg_g]
    segs = pl.DataFrame(
        {
            "_g": seg_g,
            "segment": res["seg_index"] + 1,
            "start": labels.gather(base + res["seg_start"]),
            "end": labels.gather(base + res["seg_end"]),
            "apc": pct(res["seg_slope"]),
            lo_name: pct(res["seg_lower"]),
            hi_name: pct(res["seg_upper"]),
            "statistic": res["seg_statistic"],
            "pvalue": res["seg_pvalue"],
            "slope": res["seg_slope"],
            "se": res["seg_se"],
        }
    )
    method = "empirical" if ci == "empirical" else None
    aapc = prep.groups.drop("first", "last").with_columns(
        pl.Series("joinpoints", res["k"]).replace(-1, None),
        pl.Series("max_joins_used", res["max_joins_used"]).replace(-1, None),
        pl.Series("aapc", pct(res["aapc_slope"])),
        pl.Series(lo_name, pct(res["aapc_lower"])),
        pl.Series(hi_name, pct(res["aapc_upper"])),
        pl.Series("statistic", res["aapc_statistic"]),
        pl.Series("pvalue", res["aapc_pvalue"]),
        pl.Series(
            "method",
            [
                None if not np.isfinite(s) else ("t" if one else (method or "normal"))
                for s, one in zip(res["aapc_slope"], res["aapc_one_segment"], strict=True)
            ],
            dtype=pl.String,
        ),
        pl.Series(
            "reason",
            [
                "; ".join(r for r in (a, b) if r) or None
                for a, b in zip(res["reason"], res["aapc_reason"], strict=True)
            ],
            dtype=pl.String,
        ),
    )
    first_last = []
    for g in range(prep.groups.height):
        lo, hi = int(prep.starts[g]), int(prep.starts[g + 1])
        if hi == lo:
            first_last.append((None, None))
            continue
        ts = prep.t[lo:hi]
        s0 = ts[0] if np.isnan(a0) else a0
        s1 = ts[-1] if np.isnan(a1) else a1
        if not ts[0] <= s0 < s1 <= ts[-1]:  # no AAPC over it (the core's rule; reason says)
            first_last.append((None, None))
            continue
        i0, i1 = int(np.searchsorted(ts, s0)), int(np.searchsorted(ts, s1))
        first_last.append((labels[lo + i0], labels[lo + i1]))
    aapc = aapc.with_columns(
        pl.Series("aapc_start", [f for f, _ in first_last], dtype=labels.dtype),
        pl.Series("aapc_end", [e for _, e in first_last], dtype=labels.dtype),
    )
    aapc = (
        aapc.drop("_gid")
        .select(
            [
                *by_cols,
                "n",
                "n_excluded",
                "joinpoints",
                "max_joins_used",
                "aapc_start",
                "aapc_end",
                "aapc",
                lo_name,
                hi_name,
                "statistic",
                "pvalue",
                "method",
                "reason",
                "left_out",
            ]
        )
        .with_columns(pl.col(pl.Float64).fill_nan(None))
    )
    # joinpoint locations and limits as time values: the limits are data points (parametric)
    # or quantiles widened outward to the nearest data points (empirical)
    jg = res["join_group"]
    loc, lo_l, hi_l = [], [], []
    for g, obs, lo, hi in zip(
        jg, res["join_obs"], res["join_lower"], res["join_upper"], strict=True
    ):
        s0, s1 = int(prep.starts[g]), int(prep.starts[g + 1])
        ts = prep.t[s0:s1]
        loc.append(labels[s0 + int(obs)])
        if np.isfinite(lo) and np.isfinite(hi):
            i0 = int(np.searchsorted(ts, lo + 1e-9, side="right")) - 1
            i1 = int(np.searchsorted(ts, hi - 1e-9, side="left"))
            lo_l.append(labels[s0 + max(i0, 0)])
            hi_l.append(labels[s0 + min(i1, len(ts) - 1)])
        else:
            lo_l.append(None)
            hi_l.append(None)
    joins = pl.DataFrame(
        {
            "_g": jg,
            "joinpoint": res["join_index"] + 1,
            "location": pl.Series(loc, dtype=labels.dtype),
            lo_name: pl.Series(lo_l, dtype=labels.dtype),
            hi_name: pl.Series(hi_l, dtype=labels.dtype),
        }
    )
    tests = pl.DataFrame(
        {
            "_g": res["test_group"],
            "k_null": res["test_k_null"],
            "k_alt": res["test_k_alt"],
            "df_num": res["test_df_num"],
            "df_den": res["test_df_den"],
            "n_permutations": res["test_n_permutations"],
            "statistic": res["test_statistic"],
            "pvalue": res["test_pvalue"],
            "level": res["test_level"],
            "reject": res["test_reject"],
        }
    )
    models = pl.DataFrame(
        {
            "_g": res["byk_group"],
            "joinpoints": res["byk_k"],
            "sse": res["byk_sse"],
            "bic": res["byk_bic"],
            "bic3": res["byk_bic3"],
            "wbic": res["byk_wbic"],
            "wbic_weight": res["byk_wbic_weight"],
            # each group's model with the number of joinpoints chosen for it (numpy booleans:
            # a list of numpy scalars would be read element by element)
            "selected": np.asarray(res["k"])[np.asarray(res["byk_group"], dtype=np.int64)]
            == np.asarray(res["byk_k"]),
        }
    )
    has_jump = np.isfinite(res["jump_value"])
    rlo, rhi = interval_names(confidence, "ratio")
    jump = pl.DataFrame(
        {
            "_g": np.flatnonzero(has_jump),
            "location": res["jump_location"][has_jump],
            "jump": res["jump_value"][has_jump],
            "se": res["jump_se"][has_jump],
            lo_name: res["jump_lower"][has_jump],
            hi_name: res["jump_upper"][has_jump],
            "statistic": res["jump_statistic"][has_jump],
            "pvalue": res["jump_pvalue"][has_jump],
            "ratio": res["jump_ratio"][has_jump],
            "ratio_se": res["jump_ratio_se"][has_jump],
            rlo: res["jump_ratio_lower"][has_jump],
            rhi: res["jump_ratio_upper"][has_jump],
            "ratio_statistic": res["jump_ratio_statistic"][has_jump],
            "ratio_pvalue": res["jump_ratio_pvalue"][has_jump],
        }
    )
    gid = np.repeat(np.arange(len(prep.starts) - 1), np.diff(prep.starts))
    fitted = pl.DataFrame(
        {
            "_g": gid,
            "time": labels,
            "observed": prep.y,
            "fitted": np.exp(res["fitted"]),
        }
    )
    del selection
    return JoinpointResult(
        segments=attach(segs, "_g"),
        aapc=aapc,
        joinpoints=attach(joins, "_g"),
        tests=attach(tests, "_g"),
        models=attach(models, "_g"),
        jump=attach(jump, "_g"),
        fitted=attach(fitted, "_g"),
    )

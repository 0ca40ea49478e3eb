"""Joinpoint regression as NCI's Joinpoint program (:func:`joinpoint`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._args import Confidence, by_columns, confidence_levels, interval_names, renamed
from groomstats._util import as_polars, check_option
from groomstats.exceptions import GroomstatsError
from groomstats.trends._series import (
    _TREND_POSITIONAL,
    _prepare,
    _time_values,
)

__all__ = ["JoinpointResult", "joinpoint"]


Selection = Literal["permutation", "bic"]


@dataclass
class JoinpointResult:
    """Joinpoint fits as DataFrames.

    Attributes
    ----------
    segments
        One row per group and segment: ``segment`` (1, 2, ...), ``start``, ``end`` (data
        points, in the time column's own values), ``apc``, ``lower_95``, ``upper_95`` (of the
        APC; one pair per confidence level), ``pvalue`` (t test of zero slope), ``coef``/``se``
        (slope of ln count per year).
    aapc
        One row per group: ``n``, ``n_excluded``, ``joinpoints`` (number selected),
        ``max_joins_used``, ``aapc`` with ``lower_95``/``upper_95`` and ``aapc_pvalue`` over
        ``aapc_start``..``aapc_end``, ``aapc_method`` (``"t"`` within one segment, else
        ``"normal"``), ``reason`` (why a group was not fitted, or a note).
    tests
        The sequence of permutation tests: ``k_null``, ``k_alt``, ``statistic``, ``pvalue``,
        ``level`` (α split as NCI: α / (K - k_null)), ``reject``.
    models
        Every number of joinpoints tried: ``joinpoints``, ``sse`` (of ln counts), ``bic``.
    """

    segments: pl.DataFrame
    aapc: pl.DataFrame
    tests: pl.DataFrame
    models: pl.DataFrame


def _range_values(
    values: tuple[Any, Any] | None, like: pl.Series, time: str
) -> tuple[float, float]:
    if values is None:
        return (float("nan"), float("nan"))
    s = pl.Series(time, list(values)).cast(like.dtype)
    t, _, _ = _time_values(pl.DataFrame([s]), time, None)
    return (float(t[0]), float(t[1]))


@renamed(was_positional=_TREND_POSITIONAL, df="data")
def joinpoint(
    data: Any,
    *,
    by: Sequence[str] | str | None = None,
    time: str = "financial_year",
    count: str = "offences",
    max_joins: int = 3,
    selection: Selection = "permutation",
    n_permutations: int = 4499,
    alpha: float = 0.05,
    seed: int = 2000,
    min_end: int = 2,
    min_between: int = 2,
    aapc_range: tuple[Any, Any] | None = None,
    quarter: str | None = None,
    confidence: Confidence = 0.95,
    allow_series_break: bool = False,
) -> JoinpointResult:
    """Joinpoint regression per group, following NCI's Joinpoint program.

    Model ln(count) = b0 + b1·t + Σ d_i (t - τ_i)+ fitted by ordinary least squares (NCI's
    log-linear model with its "constant variance" option; no Poisson or standard-error
    weights), joinpoints τ on data points by exhaustive grid search (NCI's default), the number of
    joinpoints by the sequential permutation tests of Kim et al. (2000) with NCI's α split
    (α / (K - k_null)) and 4,499 permutations, or by BIC. Reproducible: the permutations come
    from a seeded SplitMix64 stream per group, test and permutation, whatever the threads.

    Parameters
    ----------
    data
        polars or pandas DataFrame, one row per group and period; counts must be positive.
    by
        Grouping column(s); None fits one series.
    time, count, quarter
        As :func:`trend`.
    max_joins
        Largest number of joinpoints tried (reduced, with a note, for short series).
    selection
        ``"permutation"`` (NCI default) or ``"bic"``.
    n_permutations, alpha, seed
        Permutation test settings (NCI: 4,499 permutations, α = 0.05).
    min_end, min_between
        Minimum number of observations between a joinpoint and either end, and between two
        joinpoints, the joinpoints excluded (NCI defaults: 2 and 2).
    aapc_range
        (start, end) in the time column's values for the AAPC; None = whole series.
    confidence
        Level(s) of the confidence intervals (t with n - 2k - 2 df for segments, as NCI): a
        float or a tuple; interval columns ``lower_95``/``upper_95`` per level.
    allow_series_break
        Fit across 1 April 2017 (refused by default).

    Returns
    -------
    JoinpointResult
        ``segments``, ``aapc``, ``tests`` and ``models`` DataFrames.

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
    selection = check_option(selection, ("permutation", "bic"), "selection")  # type: ignore[assignment]
    for name, v in (("max_joins", max_joins), ("min_end", min_end), ("min_between", min_between)):
        if not isinstance(v, int) or v < 0:
            raise GroomstatsError(f"{name} must be a non-negative integer, got {v!r}")
    if not isinstance(n_permutations, int) or n_permutations < 1:
        raise GroomstatsError(f"n_permutations must be a positive integer, got {n_permutations!r}")
    if not 0.0 < alpha < 1.0:
        raise GroomstatsError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    levels = confidence_levels(confidence)
    prep = _prepare(data, by, time, count, None, quarter, allow_series_break, "joinpoint")
    df = as_polars(data, "joinpoint")
    a0, a1 = _range_values(aapc_range, df.get_column(time), time)
    if quarter is not None and aapc_range is not None:
        raise GroomstatsError("aapc_range is supported for annual series only")
    fits = {
        c: _core.joinpoint_fit(
            prep.t,
            prep.y,
            prep.starts,
            max_joins,
            min_end,
            min_between,
            selection,
            n_permutations,
            float(alpha),
            int(seed) & 0xFFFF_FFFF_FFFF_FFFF,
            c,
            a0,
            a1,
        )
        for c in levels  # the seeded fit is the same at every level: only the intervals differ
    }
    res = fits[levels[0]]
    seg_intervals: dict[str, Any] = {}
    aapc_intervals: list[pl.Series] = []
    for c, r in fits.items():
        lower, upper = interval_names(c)
        seg_intervals[lower] = 100.0 * np.expm1(r["seg_lower"])
        seg_intervals[upper] = 100.0 * np.expm1(r["seg_upper"])
        aapc_intervals += [
            pl.Series(lower, 100.0 * np.expm1(r["aapc_lower"])),
            pl.Series(upper, 100.0 * np.expm1(r["aapc_upper"])),
        ]
    by_cols = by_columns(by)
    keys = prep.groups.select(["_gid", *by_cols])

    def attach(frame: pl.DataFrame, gcol: str) -> pl.DataFrame:
        frame = frame.with_columns(pl.col(gcol).cast(pl.UInt32).alias("_gid")).drop(gcol)
        return keys.join(frame, on="_gid", how="inner").drop("_gid")

    seg_g = res["seg_group"]
    base = prep.starts[seg_g]
    labels = prep.labels
    segs = pl.DataFrame(
        {
            "_g": seg_g,
            "segment": res["seg_index"] + 1,
            "start": labels.gather(base + res["seg_start"]),
            "end": labels.gather(base + res["seg_end"]),
            "apc": 100.0 * np.expm1(res["seg_slope"]),
            **seg_intervals,
            "pvalue": res["seg_pvalue"],
            "coef": res["seg_slope"],
            "se": res["seg_se"],
        }
    )
    aapc = prep.groups.drop("first", "last").with_columns(
        pl.Series("joinpoints", res["k"]).replace(-1, None),
        pl.Series("max_joins_used", res["max_joins_used"]).replace(-1, None),
        pl.Series("aapc", 100.0 * np.expm1(res["aapc_slope"])),
        *aapc_intervals,
        pl.Series("aapc_pvalue", res["aapc_pvalue"]),
        pl.Series(
            "aapc_method",
            np.where(res["aapc_one_segment"], "t", "normal"),
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
    # the AAPC range actually used, in the time column's values
    first_last = []
    for g in range(prep.groups.height):
        lo, hi = int(prep.starts[g]), int(prep.starts[g + 1])
        if hi == lo:
            first_last.append((None, None))
            continue
        ts = prep.t[lo:hi]
        i0 = 0 if np.isnan(a0) else int(np.searchsorted(ts, a0))
        i1 = hi - lo - 1 if np.isnan(a1) else int(np.searchsorted(ts, a1))
        i0, i1 = min(i0, hi - lo - 1), min(i1, hi - lo - 1)
        first_last.append((labels[lo + i0], labels[lo + i1]))
    aapc = aapc.with_columns(
        pl.Series("aapc_start", [f for f, _ in first_last], dtype=labels.dtype),
        pl.Series("aapc_end", [e for _, e in first_last], dtype=labels.dtype),
    )
    aapc = aapc.with_columns(
        pl.when(pl.col("aapc").is_null() | pl.col("aapc").is_nan())
        .then(None)
        .otherwise(pl.col("aapc_method"))
        .alias("aapc_method")
    )
    aapc = aapc.drop("_gid").select(
        [
            *by_cols,
            "n",
            "n_excluded",
            "joinpoints",
            "max_joins_used",
            "aapc_start",
            "aapc_end",
            "aapc",
            *[s.name for s in aapc_intervals],
            "aapc_pvalue",
            "aapc_method",
            "reason",
        ]
    )
    tests = pl.DataFrame(
        {
            "_g": res["test_group"],
            "k_null": res["test_k_null"],
            "k_alt": res["test_k_alt"],
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
        }
    )
    return JoinpointResult(
        segments=attach(segs, "_g").with_columns(pl.col(pl.Float64).fill_nan(None)),
        aapc=aapc.with_columns(pl.col(pl.Float64).fill_nan(None)),
        tests=attach(tests, "_g"),
        models=attach(models, "_g"),
    )

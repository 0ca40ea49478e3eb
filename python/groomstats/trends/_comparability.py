"""Comparability of two joinpoint series: the tests of coincidence and parallelism.

After the NCI Joinpoint program's "pairwise comparison" (Kim, Fay, Yu, Barrett & Feuer 2004,
Biometrics 60: 1005-1014); the fits and permutations run in the Rust core
(``src/trend/jp_compare.rs``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import GroomstatsError
from groomstats.trends._joinpoint import Variance, _as_float, joinpoint
from groomstats.trends._series import _prepare

__all__ = ["comparability"]

_SERIES = "__series"
#: the columns :func:`groomstats.totals` writes that say a period's count is incomplete
_COVERAGE = ("complete", "null_rows", "days_missing", "periods_present", "periods_expected")


def comparability(
    a: Any,
    b: Any,
    *,
    time: str = "financial_year",
    count: str = "offences",
    denominator: str | None = None,
    se: str | None = None,
    variance: Variance | None = None,
    joins: int | None = None,
    max_joins: int = 3,
    n_permutations: int = 4499,
    seed: int = 2000,
    min_end: int = 2,
    min_between: int = 2,
    allow_series_break: bool = False,
) -> pl.DataFrame:
    """Are two joinpoint series the same (coincidence) or parallel? Permutation tests.

    The two series (e.g. two areas, or girls and boys) are fitted with the same number of
    joinpoints K. The alternative fits each series on its own; the null fits them pooled:
    one joinpoint regression for both (**coincidence**: same joinpoints, intercept and
    slopes) or common joinpoints and slopes with an intercept per series (**parallelism**).
    The statistic is (SSE_null - SSE_alt) / SSE_alt on ln(value) with each series' weights;
    its p-value comes from ``n_permutations`` permutations of the null fit's residuals over
    the pooled observations (both models refitted, joinpoints searched again, on every
    permuted data set), as the program does for its model-selection tests.

    **Not checked against the program's output** (no pairwise-comparison export, nor a
    published example with its input, was available): the hypotheses, the statistic and the
    choice of K follow Kim et al. (2004) and the program's help pages. The tests check the fits
    against an independent brute-force search, the p-values on series built to be coincident,
    parallel or neither, and both tests on real published rates against statsmodels (with no
    joinpoints the F statistics and p-values equal ``compare_f_test`` on the nested weighted
    least-squares models, and the permutation p-values agree within Monte Carlo error with an
    independent recomputation; with one joinpoint the SSEs and joinpoints equal a statsmodels
    search). The F approximation is this package's, not the program's. K
    defaults to the larger of the two series' own selected numbers of joinpoints (what
    ``joinpoint(a, ...)`` and ``joinpoint(b, ...)`` select with the same options); the
    program also takes the pooled fit's number into account: pass ``joins=`` to set K
    yourself. Both series must be observed at the same times.

    Parameters
    ----------
    a, b
        One series each (polars or pandas frames) with the ``time`` and ``count`` columns (and
        ``denominator`` / ``se`` when given); the same times in both.
    time, count, denominator, se, variance, max_joins, n_permutations, seed, min_end, \
min_between, allow_series_break
        As in :func:`joinpoint` (``max_joins`` bounds each series' own selection when
        ``joins`` is not given).
    joins
        K, the number of joinpoints of every fit; default: the larger of the two series'
        selected numbers.

    Returns
    -------
    polars.DataFrame
        Two rows, ``test`` = ``"coincidence"`` and ``"parallelism"``: ``joins`` (K),
        ``statistic``, ``pvalue`` (permutation), ``n_permutations``, ``f_statistic``,
        ``df_num``, ``df_den``, ``f_pvalue`` (an F approximation counting joinpoints as
        parameters, 2K + 2 per series fitted alone), ``sse_null``, ``sse_alternative``,
        ``joinpoints_null``, ``joinpoints_a``, ``joinpoints_b`` (as time values in years,
        e.g. 2017.0 for ``"2017/18"``), ``k_a``, ``k_b`` (each series' own selection).

    Examples
    --------
    >>> import numpy as np
    >>> import polars as pl
    >>> import groomstats
    >>> years = list(range(1995, 2011))  # synthetic series
    >>> wiggle = [0.01 * ((i * 7) % 11 - 5) for i in range(16)]
    >>> up = [np.exp(3 + 0.04 * i - 0.1 * max(i - 8, 0) + w) for i, w in enumerate(wiggle)]
    >>> a = pl.DataFrame({"year": years, "rate": up})
    >>> b = a.with_columns(pl.col("rate") * 0.6)  # the same shape, 40% lower
    >>> res = groomstats.comparability(a, b, time="year", count="rate", joins=1,
    ...                                n_permutations=199)
    >>> res.select("test", "joins", pl.col("pvalue") < 0.05)
    shape: (2, 3)
    ┌─────────────┬───────┬────────┐
    │ test        ┆ joins ┆ pvalue │
    │ ---         ┆ ---   ┆ ---    │
    │ str         ┆ i64   ┆ bool   │
    ╞═════════════╪═══════╪════════╡
    │ coincidence ┆ 1     ┆ true   │
    │ parallelism ┆ 1     ┆ false  │
    └─────────────┴───────┴────────┘
    """
    what = "comparability"
    if variance is None:
        variance = "heteroscedastic" if se is not None else "constant"
    variance = check_option(variance, ("constant", "heteroscedastic", "poisson"), "variance")  # type: ignore[assignment]
    if joins is not None and (not isinstance(joins, int) or isinstance(joins, bool) or joins < 0):
        raise GroomstatsError(f"joins must be a non-negative integer, got {joins!r}")
    cols = [c for c in (time, count, denominator, se) if c is not None]
    frames = []
    for name, frame in (("a", a), ("b", b)):
        df = as_polars(frame, f"{what}: {name}")
        require_columns(df, cols, f"{what}: {name}")
        if _SERIES in df.columns:
            raise GroomstatsError(f"{what}: {name} has a column '{_SERIES}'; rename it")
        # the coverage columns too: a period totals() marked incomplete is left out of the
        # fits, as joinpoint() leaves it out (it was fitted as a whole period)
        keep = [*cols, *(c for c in _COVERAGE if c in df.columns and c not in cols)]
        frames.append(df.select(keep).with_columns(pl.lit(name).alias(_SERIES)))
    both = pl.concat(frames, how="diagonal_relaxed")
    options: dict[str, Any] = {
        "time": time,
        "count": count,
        "denominator": denominator,
        "se": se,
        "variance": variance,
        "max_joins": max_joins,
        "n_permutations": n_permutations,
        "seed": seed,
        "min_end": min_end,
        "min_between": min_between,
        "allow_series_break": allow_series_break,
    }
    # each series' own fit, as joinpoint(a, ...) and joinpoint(b, ...) give it: checks every
    # input as joinpoint() does, and gives the default K
    k_of: dict[str, int] = {}
    for name, frame in zip(("a", "b"), frames, strict=True):
        own = joinpoint(frame.drop(_SERIES), **options).aapc.row(0, named=True)
        if own["joinpoints"] is None or own["joinpoints"] < 0:
            raise GroomstatsError(f"{what}: series {name} cannot be fitted: {own['reason']}")
        k_of[name] = int(own["joinpoints"])
    k = max(k_of["a"], k_of["b"]) if joins is None else joins

    # the modelled values (count, or count / denominator) and their weights, in time order
    value = _as_float(both, count, what)
    if denominator is not None:
        value = value / _as_float(both, denominator, what)
    sev = _as_float(both, se, what) if se is not None else np.ones(both.height)
    tmp = both.with_columns(
        pl.Series("__value", np.where(np.isfinite(sev), value, np.nan)),
        pl.Series("__row", np.arange(both.height, dtype=np.int64)),
    )
    prep = _prepare(tmp, _SERIES, time, "__value", None, None, allow_series_break, what)
    rows = prep.rows
    gid = dict(zip(prep.groups.get_column(_SERIES), prep.groups.get_column("_gid"), strict=True))
    part = {s: slice(int(prep.starts[gid[s]]), int(prep.starts[gid[s] + 1])) for s in ("a", "b")}
    ta, tb = prep.t[part["a"]], prep.t[part["b"]]
    if not np.array_equal(ta, tb):
        only_a = sorted(set(ta.tolist()) - set(tb.tolist()))
        only_b = sorted(set(tb.tolist()) - set(ta.tolist()))
        raise GroomstatsError(
            f"{what}: the two series must be observed at the same times; only in a: "
            f"{only_a or 'none'}, only in b: {only_b or 'none'} (times in years; a missing "
            "or non-positive value, or a period marked incomplete, leaves its time out: "
            "leave that time out of the other series too)"
        )
    extra: dict[str, Any] = {"variance": variance}
    if se is not None:
        extra["se_a"] = sev[rows][part["a"]]
        extra["se_b"] = sev[rows][part["b"]]
    if variance == "poisson":
        cnt = _as_float(both, count, what)[rows]
        extra["counts_a"], extra["counts_b"] = cnt[part["a"]], cnt[part["b"]]
    out = []
    for test in ("coincidence", "parallelism"):
        r = _core.joinpoint_compare(
            ta,
            prep.y[part["a"]],
            prep.y[part["b"]],
            k,
            min_end,
            min_between,
            test,
            n_permutations,
            int(seed) & 0xFFFF_FFFF_FFFF_FFFF,
            **extra,
        )
        out.append(
            {
                "test": r["test"],
                "joins": r["joins"],
                "statistic": r["statistic"],
                "pvalue": r["pvalue"],
                "n_permutations": r["n_permutations"],
                "f_statistic": r["f_statistic"],
                "df_num": r["df_num"],
                "df_den": r["df_den"],
                "f_pvalue": r["f_pvalue"],
                "sse_null": r["sse_null"],
                "sse_alternative": r["sse_alt"],
                "joinpoints_null": r["joins_null"],
                "joinpoints_a": r["joins_a"],
                "joinpoints_b": r["joins_b"],
                "k_a": k_of["a"],
                "k_b": k_of["b"],
            }
        )
    return pl.DataFrame(
        out,
        schema_overrides={
            "joinpoints_null": pl.List(pl.Float64),
            "joinpoints_a": pl.List(pl.Float64),
            "joinpoints_b": pl.List(pl.Float64),
        },
    )

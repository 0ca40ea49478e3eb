"""The DataFrame-level API for the figures local reports are made of: totals over windows and
changes between windows, with an exact test for the ratio of two Poisson rates.

Cheap work (filters, group sums, joins) is done in polars; period logic, coverage and the
statistics in the Rust core.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._util import check_option

__all__ = ["Alternative", "rate_ratio_test"]

Alternative = Literal["two-sided", "less", "greater"]
_ALTERNATIVES = ("two-sided", "less", "greater")


def _f64(x: Sequence[float] | np.ndarray | float, n: int | None = None) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
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
    confidence: float = 0.95,
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
        null results).
    t1, t2
        Exposures (e.g. days in each window, or person-years); scalars or arrays.
    ratio
        Rate ratio under the null hypothesis.
    alternative
        ``"two-sided"``, ``"less"`` or ``"greater"`` (of ``R`` against ``ratio``).
    confidence
        Confidence level of the interval.

    Returns
    -------
    polars.DataFrame
        ``x1``, ``x2``, ``statistic`` (estimated rate ratio), ``pvalue``, ``lower``, ``upper``,
        ``alternative``.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import rate_ratio_test
    >>> rate_ratio_test([274], [114]).select(pl.col("statistic", "lower", "upper").round(4))
    shape: (1, 3)
    ┌───────────┬───────┬────────┐
    │ statistic ┆ lower ┆ upper  │
    │ ---       ┆ ---   ┆ ---    │
    │ f64       ┆ f64   ┆ f64    │
    ╞═══════════╪═══════╪════════╡
    │ 2.4035    ┆ 1.925 ┆ 3.0173 │
    └───────────┴───────┴────────┘
    """
    alt = check_option(alternative, _ALTERNATIVES, "alternative")
    a1 = _f64(x1)
    a2 = _f64(x2)
    n = a1.shape[0]
    stat, pv, lo, hi = _core.rate_ratio_test(
        a1, a2, _f64(t1, n), _f64(t2, n), float(ratio), alt, float(confidence)
    )
    return pl.DataFrame(
        {
            "x1": a1,
            "x2": a2,
            "statistic": stat,
            "pvalue": pv,
            "lower": lo,
            "upper": hi,
        }
    ).with_columns(
        pl.col("statistic", "pvalue", "lower", "upper").fill_nan(None),
        pl.lit(alt).alias("alternative"),
    )

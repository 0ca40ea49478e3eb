"""Rates, shares and confidence intervals (PHEindicatormethods conventions)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from groomstats import _core

__all__ = ["poisson_ci"]


def poisson_ci(counts: Sequence[float] | np.ndarray, confidence: float = 0.95) -> pl.DataFrame:
    """Exact (Garwood) Poisson confidence limits for counts.

    Parameters
    ----------
    counts
        Non-negative counts. Negative or missing counts give null limits.
    confidence
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    polars.DataFrame
        Columns ``count``, ``lower``, ``upper``.

    Examples
    --------
    >>> import groomstats
    >>> import polars as pl
    >>> groomstats.poisson_ci([0, 10], confidence=0.95).select(pl.all().round(4))
    shape: (2, 3)
    ┌───────┬────────┬─────────┐
    │ count ┆ lower  ┆ upper   │
    │ ---   ┆ ---    ┆ ---     │
    │ f64   ┆ f64    ┆ f64     │
    ╞═══════╪════════╪═════════╡
    │ 0.0   ┆ 0.0    ┆ 3.6889  │
    │ 10.0  ┆ 4.7954 ┆ 18.3904 │
    └───────┴────────┴─────────┘
    """
    arr = np.ascontiguousarray(np.asarray(counts, dtype=np.float64))
    lower, upper = _core.exact_poisson_ci(arr, float(confidence))
    return pl.DataFrame({"count": arr, "lower": lower, "upper": upper}).with_columns(
        pl.col("lower", "upper").fill_nan(None)
    )

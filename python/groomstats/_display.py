"""Rich display in Jupyter for result objects (``_repr_html_``), attached where they are defined.

Kept apart from the classes so that moving a class between modules does not move its display.

Examples
--------
>>> import groomstats
>>> from groomstats import datasets
>>> from groomstats.trends import annual_series
>>> uk = annual_series(datasets.nspcc_national(), "United Kingdom")  # shipped NSPCC figures
>>> html = groomstats.joinpoint(uk, max_joins=1, selection="bic")._repr_html_()
>>> html.startswith("<div>") and "Average annual percent change" in html
True
"""

from __future__ import annotations

import html
from typing import Any

import polars as pl

__all__ = ["joinpoint_html"]


def _table(df: pl.DataFrame, caption: str) -> str:
    shown = df.with_columns(pl.col(pl.Float64).round(2))
    return f"<h4>{html.escape(caption)}</h4>" + shown._repr_html_()


def joinpoint_html(result: Any) -> str:
    """A joinpoint result as HTML: the AAPC per group, then every segment with its APC."""
    segments: pl.DataFrame = result.segments
    aapc: pl.DataFrame = result.aapc
    n = segments.height
    return (
        f"<div><strong>Joinpoint regression</strong>: {aapc.height} series, "
        f"{n} segment{'s' * (n != 1)}"
        + _table(aapc, "Average annual percent change (AAPC)")
        + _table(segments, "Segments: annual percent change (APC) per segment")
        + "</div>"
    )

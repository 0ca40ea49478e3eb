"""plot.trend(incomplete=...): an incomplete figure is an open marker with its note, is never
joined to its neighbours and never enters the fitted trend; the line is cut at the 1 April 2017
series break (issue 11).

Counts: the NSPCC United Kingdom series shipped in the package (latest release of each year),
with one year flagged incomplete by hand.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

import groomstats
from groomstats import datasets, plot
from groomstats.exceptions import GroomstatsError
from groomstats.trends import annual_series


@pytest.fixture(scope="module")
def uk() -> pl.DataFrame:
    return annual_series(datasets.nspcc_national(), "United Kingdom").select(
        "financial_year", "offences"
    )


def _line(ax: object, gid: str) -> object:
    return next(ln for ln in ax.lines if ln.get_gid() == gid)  # type: ignore[attr-defined]


def test_incomplete_point_is_open_annotated_and_not_joined(uk: pl.DataFrame) -> None:
    last = uk["financial_year"][-1]
    df = uk.with_columns(
        note=pl.when(pl.col("financial_year") == last).then(pl.lit("partial year")).otherwise(None)
    )
    ax = plot.trend(df, x="financial_year", incomplete="note", series_break=None).axes[0]
    ys = [float(v) for v in _line(ax, "series").get_ydata()]  # type: ignore[attr-defined]
    assert math.isnan(ys[-1])  # not on the line
    assert [v for v in ys if not math.isnan(v)] == [float(v) for v in uk["offences"][:-1]]
    open_ = _line(ax, "incomplete")
    assert [float(v) for v in open_.get_ydata()] == [float(uk["offences"][-1])]  # type: ignore[attr-defined]
    assert open_.get_markerfacecolor() == "white"  # type: ignore[attr-defined]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "incomplete-note"] == ["partial year"]


def test_incomplete_point_is_left_out_of_the_fit(uk: pl.DataFrame) -> None:
    """The fitted line drawn with a flagged year equals the line drawn without that year."""
    last = uk["financial_year"][-1]
    flagged = uk.with_columns(incomplete=pl.col("financial_year") == last)  # a boolean works
    kept = uk.filter(pl.col("financial_year") != last)
    fit = groomstats.trend(kept, model="quasipoisson")
    a = plot.trend(flagged, x="financial_year", fit=fit, incomplete="incomplete").axes[0]
    b = plot.trend(kept, x="financial_year", fit=fit).axes[0]
    ya = [float(v) for v in _line(a, "fit").get_ydata()]  # type: ignore[attr-defined]
    yb = [float(v) for v in _line(b, "fit").get_ydata()]  # type: ignore[attr-defined]
    assert ya == pytest.approx(yb)


def test_unknown_incomplete_column_is_refused(uk: pl.DataFrame) -> None:
    with pytest.raises(GroomstatsError, match="no_such"):
        plot.trend(uk, x="financial_year", incomplete="no_such")

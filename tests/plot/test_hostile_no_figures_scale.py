"""A trend chart of a series with no figure at all (SYNTHETIC frame).

Every period blank drew hatched gaps under a y axis labelled 0 to 0.06 (matplotlib's default
for an empty axis): a scale for counts that were never there. The axis now has no ticks; the
hatched periods and their legend entry still say which periods have no figures.
"""

from __future__ import annotations

import polars as pl
import pytest

pytest.importorskip("matplotlib")

from groomstats import plot


def test_a_series_without_figures_has_no_scale() -> None:
    df = pl.DataFrame(
        {"financial_year": ["2018/19", "2019/20"], "offences": [None, None]},
        schema={"financial_year": pl.String, "offences": pl.Int64},
    )
    fig = plot.trend(df, x="financial_year", y="offences", title="none")
    ax = fig.axes[0]
    assert list(ax.get_yticks()) == []
    labels = ax.get_legend_handles_labels()[1]
    assert "no figures: 2018/19; 2019/20" in labels


def test_a_series_with_a_figure_keeps_its_scale() -> None:
    df = pl.DataFrame({"financial_year": ["2018/19", "2019/20"], "offences": [None, 12]})
    fig = plot.trend(df, x="financial_year", y="offences", title="one")
    ticks = list(fig.axes[0].get_yticks())
    assert ticks and ticks[0] == 0 and max(ticks) >= 12

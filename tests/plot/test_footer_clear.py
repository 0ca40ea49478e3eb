"""The source line never overlaps the axis label, even under rotated tick labels such as the
52 quarters of a multi-year edition (issue 11: seen on the report's quarters chart)."""

from __future__ import annotations

import polars as pl
import pytest

from groomstats import plot

SOURCE = (
    "Source: Home Office police recorded crime open data (edition.xlsx): sexual grooming "
    "(88A), 2012/13 to 2024/25. Contains public sector information licensed under the Open "
    "Government Licence v3.0."
)


@pytest.mark.parametrize("n_years", [1, 13])
def test_source_line_sits_below_the_tick_labels_and_axis_label(n_years: int) -> None:
    periods = [
        f"{y}/{(y + 1) % 100:02d} Q{q}" for y in range(2012, 2012 + n_years) for q in (1, 2, 3, 4)
    ]
    df = pl.DataFrame({"period": periods, "offences": list(range(1, len(periods) + 1))})
    fig = plot.trend(df, xlabel="Financial quarter", source=SOURCE, series_break=None)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = fig.axes[0].xaxis.get_tightbbox(renderer)
    source = next(t for t in fig.texts if t.get_gid() == "source").get_window_extent(renderer)
    assert source.y1 < labels.y0  # the footer is wholly below the tick labels and x label

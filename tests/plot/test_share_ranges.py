"""plot.shares draws a share that is a range (suppressed cells: ``value`` null,
``value_min``..``value_max``) as a hatched bar over the range, never as nothing or as 0."""

from __future__ import annotations

import warnings

import polars as pl
import pytest

import groomstats
from groomstats import plot


def test_ranges_are_drawn_over_their_bounds() -> None:
    b = pl.DataFrame(
        {
            "force": ["Gwent", "Gwent", "Dyfed-Powys", "Dyfed-Powys"],
            "period": "2023/24",
            "category": "gender",
            "value": ["Female", "Male", "Female", "Male"],
            "offences": [12, None, 11, None],
            "suppressed": [False, True, False, True],
        },
        schema_overrides={"offences": pl.Int64},
    )
    s = groomstats.shares(b, "gender")
    fig = plot.shares(s, category="gender", share="value", lower="lower_95", upper="upper_95")
    ax = fig.axes[0]
    ranges = [p for p in ax.patches if p.get_gid() == "share-range"]
    # by hand: Female 23/31 .. 23/25, Male 2/25 .. 8/31 (percent)
    got = sorted((round(p.get_x(), 6), round(p.get_x() + p.get_width(), 6)) for p in ranges)
    assert got == [
        (pytest.approx(8.0), pytest.approx(100 * 8 / 31)),
        (pytest.approx(100 * 23 / 31), pytest.approx(92.0)),
    ]
    texts = [t.get_text().strip() for t in ax.texts if t.get_gid() == "value"]
    assert "74-92% (suppressed cells)" in texts and "8-26% (suppressed cells)" in texts
    assert all(p.get_width() > 0 for p in ranges)


def test_a_plot_of_ranges_only_raises_no_warning() -> None:
    """Every share a range (value null): the ranges are drawn, and no NaN bar reaches
    matplotlib (older versions warned 'All-NaN axis encountered' of it)."""
    b = pl.DataFrame(
        {
            "force": ["Gwent", "Gwent"],
            "period": "2023/24",
            "category": "gender",
            "value": ["Female", "Male"],
            "offences": [None, None],
            "suppressed": [True, True],
        },
        schema_overrides={"offences": pl.Int64},
    )
    s = groomstats.shares(b, "gender")
    assert s["value"].is_null().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot.shares(s, category="gender", share="value", lower="lower_95", upper="upper_95")
    ax = fig.axes[0]
    assert not [p for p in ax.patches if p.get_gid() == "shares"]

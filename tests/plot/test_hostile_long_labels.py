"""Long area and category names on bar charts (SYNTHETIC frames built here).

The left margin of ``plot.ranked`` and ``plot.shares`` is capped at 45% of the figure's
width; a name longer than about 57 characters ran past the figure's left edge and was cut
("he Isles of Scilly and ..."). Names are now wrapped to fit the margin, and every tick label
is drawn wholly inside the figure.
"""

from __future__ import annotations

import polars as pl
import pytest

pytest.importorskip("matplotlib")

from groomstats import plot

LONG = (
    "Devon and Cornwall Police and the Isles of Scilly and Somewhere Else Entirely With A "
    "Very Long Name Indeed"
)


def _labels_inside(fig: object) -> list[tuple[str, float, float]]:
    """(text, left, right) of each y tick label in pixels; the figure spans 0..width."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]  # type: ignore[attr-defined]
    out = []
    for t in ax.get_yticklabels():
        box = t.get_window_extent(renderer)
        out.append((t.get_text(), float(box.x0), float(box.x1)))
    return out


def test_ranked_long_names_are_wrapped_inside_the_figure() -> None:
    df = pl.DataFrame(
        {
            "force": [LONG, "Kent"],
            "value": [10.0, 5.0],
            "lower_95": [8.0, 3.0],
            "upper_95": [12.0, 7.0],
        }
    )
    fig = plot.ranked(df, title="long")
    width = fig.bbox.width
    labels = _labels_inside(fig)
    assert [t for t, _, _ in labels] == [
        "Devon and Cornwall Police and the Isles of Scilly and\n"
        "Somewhere Else Entirely With A Very Long Name Indeed",
        "Kent",
    ]
    for text, left, right in labels:
        assert 0 <= left and right <= width, (text, left, right, width)
    assert fig.groomstats_order == [LONG, "Kent"]  # the names themselves are kept whole


def test_shares_long_categories_are_wrapped_inside_the_figure() -> None:
    df = pl.DataFrame(
        {
            "category": [LONG, "Snapchat", "x" * 130],
            "share": [52.0, 30.0, 10.0],
            "lower_95": [48.0, 26.0, 8.0],
            "upper_95": [56.0, 34.0, 12.0],
        }
    )
    fig = plot.shares(df, title="long")
    width = fig.bbox.width
    labels = _labels_inside(fig)
    assert labels[1][0] == "Snapchat"
    assert labels[0][0].replace("\n", " ") == LONG
    assert labels[2][0].replace("\n", "") == "x" * 130  # one word, broken across lines
    for text, left, right in labels:
        assert 0 <= left and right <= width, (text, left, right, width)


def test_short_names_are_left_alone() -> None:
    df = pl.DataFrame({"force": ["A", "B"], "value": [2.0, 1.0]})
    fig = plot.ranked(df, lower=None, upper=None)
    assert [t for t, _, _ in _labels_inside(fig)] == ["A", "B"]

"""``plot.panels`` totals for series with missing periods, and long names (SYNTHETIC counts;
force names from the shipped force table).

Each panel's top-right number is "the total": a series with no figures read "0" and one
missing a period read the sum of the others as its total, with nothing to say so; long names
ran over the total and the next panel's name. A series without figures now reads "no
figures", one with some reads "27 (3/4)" (explained in the chart's note), and a name is cut
with an ellipsis where it would reach the total.
"""

from __future__ import annotations

import polars as pl
import pytest

pytest.importorskip("matplotlib")

import groomstats
from groomstats import plot

PERIODS = ["2018/19", "2019/20", "2020/21", "2021/22"]


def _frame(series: dict[str, list[int | None]]) -> pl.DataFrame:
    rows = [(f, p, v) for f, vals in series.items() for p, v in zip(PERIODS, vals, strict=True)]
    return pl.DataFrame(
        rows, schema={"force": pl.String, "period": pl.String, "offences": pl.Int64}, orient="row"
    )


def _texts(fig: object, gid: str) -> list[str]:
    ax = fig.axes[0]  # type: ignore[attr-defined]
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


def test_totals_say_when_periods_have_no_figures() -> None:
    fig = plot.panels(
        _frame({"Kent": [1, 2, 3, 4], "Essex": [10, None, 14, 3], "Surrey": [None] * 4})
    )
    assert _texts(fig, "total") == ["10", "27 (3/4)", "no figures"]
    note = next(t.get_text() for t in fig.texts if t.get_gid() == "scale-note")
    assert "top right: the total, '(3/4)' when 3 of 4 periods have figures." in note.replace(
        "\n", " "
    )


def test_names_and_totals_do_not_overlap() -> None:
    names = [str(n) for n in groomstats.forces()["force"].to_list()]
    longest = sorted(names, key=len)[-6:]  # the longest names of the shipped force table
    series = {n: [1000, 2000, None, 3000] for n in longest}
    fig = plot.panels(_frame(series))
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    shown = {t.get_gid(): [] for t in ax.texts}
    for t in ax.texts:
        shown[t.get_gid()].append(t.get_window_extent(renderer))
    for name_box, total_box in zip(shown["name"], shown["total"], strict=True):
        assert name_box.x1 <= total_box.x0, (name_box, total_box)
    # a name that fits is kept whole
    fig2 = plot.panels(_frame({"Metropolitan Police": [1000, 2000, 1500, 3000]}))
    assert _texts(fig2, "name") == ["Metropolitan Police"]

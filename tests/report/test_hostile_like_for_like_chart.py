"""The report's national chart draws the like-for-like sums beside the national ones (found by
hostile testing: the like-for-like series was in the text and the table but not on the chart).

ALL COUNTS ARE SYNTHETIC (the seeded generator of ``test_like_for_like_trend.py``, five real
force names, never compared with a published figure); the expected sums are made with plain
Python from the generated cells and read back from the chart's own line data.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest

from groomstats.report.context import context
from groomstats.report.document import Document
from groomstats.report.years import national_chart, national_section

pytestmark = pytest.mark.filterwarnings("ignore::groomstats.PopulationYearWarning")


def _synthetic() -> Any:
    """The generator and hand sums of the like-for-like tests, loaded beside this file."""
    path = Path(__file__).with_name("test_like_for_like_trend.py")
    spec = importlib.util.spec_from_file_location("_lfl_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_lfl_synthetic"] = module
    spec.loader.exec_module(module)
    return module


S = _synthetic()
LABEL = (
    "like for like: the 3 forces with figures for every\n"
    "year 2017/18 to 2022/23 (excludes Dorset, Surrey)"
)


def _line(ax: Any, gid: str) -> Any:
    (line,) = [ln for ln in ax.lines if ln.get_gid() == gid]
    return line


def test_the_chart_draws_the_like_for_like_sums_with_their_forces_named() -> None:
    cells = S._cells()  # Dorset misses 2018/19 Q2, Surrey 2020/21 Q4 (N/a)
    fig = national_chart(context(S._frame(cells)))
    try:
        ax = fig.axes[0]
        like = _line(ax, "comparator")
        hand = [S._sum(cells, ["Essex", "Kent", "Sussex"], yr) for yr in S.YEARS]
        assert [float(v) for v in like.get_ydata()] == [float(v) for v in hand]
        assert like.get_label() == LABEL
        assert like.get_marker() == "s"  # squares, not the national line's circles
        national = _line(ax, "series")
        assert national.get_marker() == "o" and like.get_color() != national.get_color()
        # one point per financial year, where the national line places the same years
        nx = np.asarray(national.get_xdata(), dtype=float)
        assert np.allclose(np.asarray(like.get_xdata(), dtype=float), nx, equal_nan=True)
        # the national line is unchanged: complete years only (2018/19, 2020/21 left out)
        whole = {yr: S._sum(cells, S.FORCES, yr) for yr in (2017, 2019, 2021, 2022)}
        got = [float(v) for v in national.get_ydata()]
        assert [got[i] for i in (0, 2, 4, 5)] == [float(whole[y]) for y in (2017, 2019, 2021, 2022)]
        legend = ax.get_legend()
        assert legend is not None and LABEL in [t.get_text() for t in legend.get_texts()]
    finally:
        plt.close(fig)


def test_no_like_for_like_line_when_the_national_sum_is_like_for_like() -> None:
    fig = national_chart(context(S._frame(S._cells(na=set()))))
    try:
        assert "comparator" not in [ln.get_gid() for ln in fig.axes[0].lines]
    finally:
        plt.close(fig)


def test_the_chart_description_names_the_like_for_like_line() -> None:
    doc = Document("like for like")
    national_section(doc, context(S._frame(S._cells())))
    ((_, alt, description),) = doc.charts().values()
    assert "like for like" not in alt  # the short alt text stays as it was
    assert (
        "grey squares: like for like, the 3 forces with figures for every year 2017/18 to "
        "2022/23; excludes Dorset, Surrey"
    ) in description

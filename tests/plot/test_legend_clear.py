"""The legend of a series chart never hides a point: on a rising national series (the
points of the first years near the top of the axes), it sat over them in the upper left.

The edition is written by ``tests/io/edition_gen.py``: ITS 2017/18 SHEET IS REAL, EVERY OTHER
YEAR IS SYNTHETIC (fixed seed); only where the drawn points fall is checked here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest
from matplotlib.lines import Line2D

import groomstats
from groomstats.report import years as series
from groomstats.report.context import context

sys.path.insert(0, str(Path(__file__).parents[1] / "io"))
import edition_gen as gen

pytestmark = pytest.mark.filterwarnings("ignore::groomstats.PopulationYearWarning")


@pytest.mark.parametrize("force", [None, "Kent"])
def test_no_point_of_a_years_chart_lies_under_its_legend(tmp_path: Path, force: str | None) -> None:
    ed = gen.write_edition(tmp_path / "e.ods", first=2017, last=2021, offence_codes=["88A"])
    c = context(groomstats.read_prc(ed.path))
    fig = series.national_chart(c) if force is None else series.force_chart(c, force)
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend is not None
    box = legend.get_window_extent()
    points = 0
    for line in ax.get_lines():
        if not isinstance(line, Line2D) or line.get_marker() in (None, "", "None"):
            continue
        xy = np.column_stack([np.asarray(v, dtype=float) for v in line.get_data()])
        xy = xy[np.isfinite(xy).all(axis=1)]
        for px, py in ax.transData.transform(xy):
            points += 1
            assert not box.contains(px, py), f"a point at ({px:.0f}, {py:.0f}) is under the legend"
    assert points >= 5  # 2017/18 to 2021/22 drawn

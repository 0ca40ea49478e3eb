"""No chart joins a line across the 1 April 2017 series break of offence 88A (issue 11):
trend (with its comparator), small_multiples and panels cut their lines there.

Counts: Gwent's and South Wales's 2017/18 quarters from the embedded Home Office table, and
the quarter before the break written by hand as SYNTHETIC (the shipped table starts in
2017/18).
"""

from __future__ import annotations

import math

import polars as pl

from groomstats import plot

QUARTERS = ["2016/17 Q4", "2017/18 Q1", "2017/18 Q2"]
DF = pl.DataFrame(
    {
        "force": ["Gwent"] * 3 + ["South Wales"] * 3,
        "period": QUARTERS * 2,
        "offences": [2, 12, 16, 5, 46, 26],  # 2016/17 Q4 synthetic; 2017/18 real
    }
)


def _ys(line: object) -> list[float]:
    return [float(v) for v in line.get_ydata()]  # type: ignore[attr-defined]


def test_panels_cut_each_cell_at_the_break() -> None:
    ax = plot.panels(DF, x="period").axes[0]
    for name in ("Gwent", "South Wales"):
        line = next(ln for ln in ax.lines if ln.get_gid() == f"series:{name}")
        ys = _ys(line)
        assert len(ys) == 4 and math.isnan(ys[1]), name  # Q4 | break | Q1, Q2


def test_small_multiples_cut_each_panel_at_the_break() -> None:
    fig = plot.small_multiples(DF, x="period", ncols=2)
    for ax in fig.axes:
        line = next(ln for ln in ax.lines if ln.get_gid() == "series")
        assert math.isnan(_ys(line)[1])


def test_trend_comparator_cut_at_the_break() -> None:
    gwent = DF.filter(pl.col("force") == "Gwent")
    wales = DF.filter(pl.col("force") == "South Wales")
    ax = plot.trend(gwent, comparator=wales, comparator_label="South Wales").axes[0]
    comp = next(ln for ln in ax.lines if ln.get_gid() == "comparator")
    assert math.isnan(_ys(comp)[1])


def test_no_cut_when_asked_for_none() -> None:
    ax = plot.panels(DF, x="period", series_break=None).axes[0]
    line = next(ln for ln in ax.lines if ln.get_gid() == "series:Gwent")
    ys = _ys(line)  # in cell coordinates: three points, joined
    assert len(ys) == 3 and not any(math.isnan(v) for v in ys)

"""plot.panels marks a figure that covers part of its period only (``complete=False``).

The shipped NSPCC Wales series holds Dyfed-Powys 2017/18 = 19, which its source says covers six
months: drawn as a plain point and summed into the total with no mark, it reads as a whole year.
It is now an open marker, the total carries a dagger and the scale note names the figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import polars as pl

from groomstats import datasets, plot


def _texts(fig: object, gid: str) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: a.get_gid() == gid)]  # type: ignore[attr-defined]


def test_a_six_month_year_is_an_open_marker_with_a_dagger_on_the_total() -> None:
    wales = datasets.nspcc_wales()
    fig = plot.panels(wales, facet="force", x="financial_year", series_break=None)
    try:
        parts = fig.findobj(lambda a: a.get_gid() == "part")
        assert len(parts) == 1  # Dyfed-Powys 2017/18 only
        # drawn on Dyfed-Powys' first point (2017/18), where its line starts
        (line,) = fig.findobj(lambda a: a.get_gid() == "series:Dyfed-Powys")
        at = (parts[0].get_xdata()[0], parts[0].get_ydata()[0])
        assert at == (line.get_xdata()[0], line.get_ydata()[0])
        totals = _texts(fig, "total")
        dyfed = wales.filter(pl.col("force") == "Dyfed-Powys")["offences"].sum()
        assert f"{dyfed:,}\u2020" in totals  # 266, with its six-month 2017/18 in it
        assert sum(t.endswith("\u2020") for t in totals) == 1
        note = " ".join(_texts(fig, "scale-note")).replace("\n", " ")
        assert "a figure for part of its period only (Dyfed-Powys: 2017/18)" in note
    finally:
        plt.close(fig)


def test_no_complete_column_no_mark() -> None:
    wales = datasets.nspcc_wales().drop("complete")
    fig = plot.panels(wales, facet="force", x="financial_year", series_break=None)
    try:
        assert fig.findobj(lambda a: a.get_gid() == "part") == []
        assert not any(t.endswith("\u2020") for t in _texts(fig, "total"))
    finally:
        plt.close(fig)

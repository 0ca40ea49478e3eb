"""Charts: content of the Figure objects (labels, titles, data) and of the PNG files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from matplotlib.colors import to_hex
from PIL import Image

import groomstats
from groomstats import plot


def _line(ax, gid):  # type: ignore[no-untyped-def]
    hits = [ln for ln in ax.lines if ln.get_gid() == gid]
    assert len(hits) == 1, [ln.get_gid() for ln in ax.lines]
    return hits[0]


def _texts(fig):  # type: ignore[no-untyped-def]
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
    return [" ".join(t.split()) for t in out]


def test_import_groomstats_does_not_import_matplotlib() -> None:
    code = (
        "import sys, groomstats; import groomstats.plot; "
        "print('matplotlib' in sys.modules, hasattr(groomstats, 'plot'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_trend_plots_values_band_and_break() -> None:
    years = ["2014/15", "2015/16", "2016/17", "2017/18"]
    df = pl.DataFrame(
        {
            "year": years,
            "offences": [100, 150, 180, 4429],
            "lo": [80.0, 130.0, 160.0, 4300.0],
            "hi": [120.0, 170.0, 200.0, 4560.0],
        }
    )
    fig = plot.trend(df, x="year", lower="lo", upper="hi", title="Grooming", ylabel="Offences")
    ax = fig.axes[0]
    assert ax.get_title() == "Grooming"
    assert ax.get_ylabel() == "Offences"
    assert ax.get_xlabel() == "Period"
    # the line is cut at the break (NaN): 2016/17 is never joined to 2017/18
    np.testing.assert_array_equal(_line(ax, "series").get_ydata(), [100, 150, 180, np.nan, 4429])
    # x is time in years (mid-points of the financial years); the break sits on 1 April 2017
    np.testing.assert_allclose(
        _line(ax, "series").get_xdata(), [2014.75, 2015.75, 2016.75, np.nan, 2017.75], atol=0.01
    )
    assert list(_line(ax, "series-break").get_xdata()) == [2017.25] * 2
    band = next(c for c in ax.collections if c.get_gid() == "interval")
    # the band is cut at the break too: one piece either side of it
    assert len(band.get_paths()) == 2
    assert max(p.vertices[:, 1].max() for p in band.get_paths()) == pytest.approx(4560.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == years
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["95% confidence interval", "offences", "series break (1 April 2017)"]
    # made-up numbers: no source line is claimed unless the caller gives one
    assert not any("Home Office" in t or "Licence" in t for t in _texts(fig))
    given = plot.trend(df, x="year", source=plot.SOURCE_PRC)
    assert any("Open Government Licence v3.0" in t for t in _texts(given))
    assert to_hex(_line(ax, "series").get_color()) == plot.OKABE_ITO["blue"].lower()


def test_trend_no_break_marker_when_series_does_not_span_it() -> None:
    df = pl.DataFrame(
        {
            "start": [dt.date(2017, 4, 1), dt.date(2017, 7, 1), dt.date(2017, 10, 1)],
            "offences": [895, 942, 1242],
        }
    )
    ax = plot.trend(df, x="start").axes[0]
    assert [ln.get_gid() for ln in ax.lines] == ["series"]
    # with dates spanning the break, the marker sits on the break date
    df2 = df.with_columns(pl.Series("start", [dt.date(2016, 10, 1), *df["start"][1:]]))
    ax2 = plot.trend(df2, x="start").axes[0]
    xs = _line(ax2, "series-break").get_xdata()
    assert list(xs) == [2017.25] * 2


def test_trend_bad_columns() -> None:
    df = pl.DataFrame({"period": [1], "offences": [2]})
    with pytest.raises(groomstats.DataFormatError, match="offense"):
        plot.trend(df, y="offense")
    with pytest.raises(groomstats.GroomstatsError, match="both lower= and upper="):
        plot.trend(df, lower="offences")


def test_small_multiples_one_panel_per_force_shared_scale() -> None:
    forces = ["Dyfed-Powys", "Gwent", "North Wales", "South Wales", "Wiltshire"]
    df = pl.DataFrame(
        {
            "force": [f for f in forces for _ in range(4)],
            "quarter": [1, 2, 3, 4] * len(forces),
            "offences": list(range(20)),
        }
    )
    fig = plot.small_multiples(df, ncols=2, title="Wales and one more")
    assert [ax.get_title() for ax in fig.axes] == forces
    # the suptitle is one of the figure texts (Figure.get_suptitle is matplotlib >= 3.8 only)
    assert "Wales and one more" in [t.get_text() for t in fig.texts]
    for i, ax in enumerate(fig.axes):
        np.testing.assert_array_equal(_line(ax, "series").get_ydata(), range(4 * i, 4 * i + 4))
        assert ax.get_ylim() == pytest.approx((0.0, 19 * 1.1))
    # x label under the bottom panel of each column, y label on the first column
    assert [ax.get_xlabel() for ax in fig.axes] == ["", "", "", "Quarter", "Quarter"]
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "Offences recorded",
        "",
        "Offences recorded",
        "",
        "Offences recorded",
    ]
    with pytest.raises(groomstats.GroomstatsError, match="ncols=0"):
        plot.small_multiples(df, ncols=0)


def test_funnel_points_limits_colours_and_labels() -> None:
    df = pl.DataFrame(
        {
            "force": ["A", "B", "C"],
            "denominator": [10_000.0, 50_000.0, 200_000.0],
            "value": [60.0, 33.0, 20.0],
            "significance": ["High (0.001)", "Not significant", "Low (0.001)"],
        }
    )
    grid = pl.DataFrame(
        {
            "denominator": [20_000.0, 5_000.0, 300_000.0],
            "lower_95": [25.0, 18.0, 32.0],
            "upper_95": [45.0, 52.0, 38.0],
            "lower_99_8": [20.0, 10.0, 31.0],
            "upper_99_8": [50.0, 60.0, 39.0],
        }
    )
    fig = plot.funnel(df, target=35.0, limits=grid, highlight="B", title="Funnel")
    ax = fig.axes[0]
    pts = next(c for c in ax.collections if c.get_gid() == "areas")
    np.testing.assert_array_equal(pts.get_offsets(), [[1e4, 60.0], [5e4, 33.0], [2e5, 20.0]])
    colours = [to_hex(c) for c in pts.get_facecolors()]
    assert colours == [
        plot.OKABE_ITO["vermillion"].lower(),
        "#7f7f7f",
        plot.OKABE_ITO["blue"].lower(),
    ]
    upper = _line(ax, "limit:upper_99_8")
    # limits are drawn along increasing size
    np.testing.assert_array_equal(upper.get_xdata(), [5_000.0, 20_000.0, 300_000.0])
    np.testing.assert_array_equal(upper.get_ydata(), [60.0, 50.0, 39.0])
    assert list(_line(ax, "target").get_ydata()) == [35.0, 35.0]
    assert sorted(t.get_text() for t in ax.texts) == ["A", "B", "C"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["99.8% limits", "95% limits", "overall value (35.0)"]
    assert legend[3:] == ["High (0.001)", "Not significant", "Low (0.001)"]  # canonical order
    # labels come from the data given: column names unless the caller says more
    assert ax.get_xlabel() == "Denominator"
    assert ax.get_ylabel() == "value"


def test_shares_bars_whiskers_and_note() -> None:
    df = pl.DataFrame(
        {
            "platform": ["Snapchat", "WhatsApp", "Facebook and Messenger"],
            "share": [0.48, 0.12, 0.10],
            "lo": [0.457, 0.106, 0.087],
            "hi": [0.503, 0.136, 0.115],
        }
    )
    fig = plot.shares(
        df, category="platform", lower="lo", upper="hi", percent=False, note="of 1,824", title="P"
    )
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    np.testing.assert_allclose(widths, [48.0, 12.0, 10.0])
    assert [t.get_text() for t in ax.get_yticklabels()] == df["platform"].to_list()
    assert "of 1,824" in _texts(fig)
    assert "48%" in _texts(fig)
    assert ax.get_xlabel() == "Share of offences (%)"
    # whisker segments span the interval, in percent
    segs = [c for c in ax.collections if c.get_segments()]
    spans = sorted(tuple(np.round(s[:, 0], 1)) for s in segs[0].get_segments())
    assert (45.7, 50.3) in spans


def test_save_writes_png_of_fixed_size_with_metadata(tmp_path: Path) -> None:
    df = pl.DataFrame({"period": ["2016/17", "2017/18"], "offences": [10, 20]})
    fig = plot.trend(df, x="period", title="Title here", source=plot.SOURCE_PRC)
    path = plot.save(fig, tmp_path / "c.png", description="What it shows")
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.size == (1000, 600)
        text = dict(im.text)  # type: ignore[attr-defined]
    assert text["Title"] == "Title here"
    assert text["Description"] == "What it shows"
    assert "Open Government Licence v3.0" in text["Source"]
    with pytest.raises(groomstats.GroomstatsError, match="does not exist"):
        plot.save(fig, tmp_path / "nope" / "c.png")

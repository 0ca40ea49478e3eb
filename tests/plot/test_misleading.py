"""Charts that don't mislead, checked on the data each chart actually plots.

The cases are the ones a new user met (issue 13): the UK NSPCC series drew 2017/18 and 2021/22
one step apart with three years missing; Welsh small multiples joined 2019/20 to 2021/22; a
title quoted an APC with no fitted line; City of London (642 children) stretched the funnel's
axis to 800; no ranked chart of rates with intervals; labels that the data did not give.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import polars as pl
import pytest

import groomstats
from groomstats import datasets, plot
from groomstats.trends import annual_series

BREAK = 2017.25  # 1 April 2017 in years (months as twelfths)


def _gid(ax, gid):  # type: ignore[no-untyped-def]
    hits = [ln for ln in ax.lines if ln.get_gid() == gid]
    assert len(hits) == 1, [ln.get_gid() for ln in ax.lines]
    return hits[0]


def _spans(ax):  # type: ignore[no-untyped-def]
    """(x0, x1) of every hatched gap on the axes."""
    out = []
    for p in ax.patches:
        if p.get_gid() == "gap":
            xs = p.get_path().transformed(p.get_patch_transform()).vertices[:, 0]
            out.append((round(float(xs.min()), 3), round(float(xs.max()), 3)))
    return sorted(out)


def _legend(ax):  # type: ignore[no-untyped-def]
    return [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.fixture(scope="module")
def uk() -> pl.DataFrame:
    return annual_series(datasets.nspcc_national(), "United Kingdom")


def test_time_axis_is_proportional_and_missing_years_are_a_gap(uk: pl.DataFrame) -> None:
    # the shipped UK series: 2017/18, then nothing until 2021/22
    assert uk["financial_year"].to_list()[:2] == ["2017/18", "2021/22"]
    ax = plot.trend(uk, x="financial_year", y="offences", series_break=None).axes[0]
    line = _gid(ax, "series")
    xs = np.asarray(line.get_xdata(), dtype=float)
    ys = np.asarray(line.get_ydata(), dtype=float)
    # mid-points of the financial years, in years; a NaN breaks the line inside the gap
    assert math.isnan(xs[1]) and math.isnan(ys[1])
    present = xs[~np.isnan(xs)]
    assert present[1] - present[0] == pytest.approx(4.0, abs=0.01)  # four years, not one step
    assert np.diff(present[1:]) == pytest.approx([1.0] * (len(present) - 2), abs=0.01)
    np.testing.assert_array_equal(ys[~np.isnan(ys)], uk["offences"].to_numpy())
    # the gap runs from the end of 2017/18 (1 April 2018) to the start of 2021/22
    (gap,) = _spans(ax)
    assert gap == pytest.approx((2018.25, 2021.25), abs=1e-3)
    assert "no figures: 2018/19 to 2020/21" in _legend(ax)


def test_a_null_value_is_a_gap_not_a_zero_and_not_joined() -> None:
    df = pl.DataFrame(
        {"year": ["2019/20", "2020/21", "2021/22"], "offences": [10, None, 12]},
        schema={"year": pl.String, "offences": pl.Int64},
    )
    ax = plot.trend(df, x="year").axes[0]
    ys = list(_gid(ax, "series").get_ydata())
    assert 0 not in ys
    assert ys[0] == 10 and math.isnan(ys[1]) and ys[-1] == 12
    assert _spans(ax) == [(2020.25, 2021.25)]


def test_welsh_small_multiples_never_join_across_a_missing_year() -> None:
    wales = datasets.nspcc_wales()
    # what the report plotted: rows without a figure dropped
    shown = wales.drop_nulls("offences")
    fig = plot.small_multiples(shown, facet="force", x="financial_year", y="offences")
    by_force = {ax.get_title(): ax for ax in fig.axes}
    for force, ax in by_force.items():
        have = shown.filter(pl.col("force") == force)["financial_year"].to_list()
        missing = sorted(set(wales["financial_year"]) - set(have))
        xs = np.asarray(_gid(ax, "series").get_xdata(), dtype=float)
        # one NaN per interior run of missing years, never a segment across one
        starts = [int(y[:4]) for y in have]
        holes = sum(1 for a, b in itertools.pairwise(starts) if b - a > 1)
        assert int(np.isnan(xs).sum()) == holes, force
        for y in missing:
            assert any(y in g for g in fig.groomstats_gaps if g.startswith(force)), (force, y)
        if missing:
            assert _spans(ax), force
    # every panel puts the same year at the same x
    where: dict[str, float] = {}
    for force, ax in by_force.items():
        have = shown.filter(pl.col("force") == force)["financial_year"].to_list()
        xs = [float(x) for x in _gid(ax, "series").get_xdata() if x == x]
        for year, x in zip(have, xs, strict=True):
            assert where.setdefault(year, x) == pytest.approx(x), (force, year)


def test_series_break_marked_on_time_axis() -> None:
    df = pl.DataFrame({"q": ["2016/17 Q4", "2017/18 Q1", "2017/18 Q2"], "offences": [5, 9, 8]})
    ax = plot.trend(df, x="q").axes[0]
    assert list(_gid(ax, "series-break").get_xdata()) == pytest.approx([BREAK, BREAK])
    assert "series break (1 April 2017)" in _legend(ax)
    # quarters are a quarter of a year apart, and the line is cut at the break: 2016/17 Q4 is
    # never joined to 2017/18 Q1 (issue 11: never joined across the break)
    xs = np.asarray(_gid(ax, "series").get_xdata(), dtype=float)
    assert math.isnan(xs[1]) and BREAK == pytest.approx((xs[0] + xs[2]) / 2, abs=0.01)
    assert np.diff(xs[[0, 2, 3]]) == pytest.approx([0.25, 0.25], abs=0.01)


def test_fitted_apc_line_and_interval_match_statsmodels(uk: pl.DataFrame) -> None:
    sm = pytest.importorskip("statsmodels.api")
    fit = groomstats.trend(uk, model="quasipoisson")
    ax = plot.trend(uk, x="financial_year", fit=fit, series_break=None).axes[0]
    line = _gid(ax, "fit")
    # independent answer: statsmodels GLM Poisson, Pearson-scaled (quasi-Poisson) errors
    t = np.array([int(y[:4]) for y in uk["financial_year"]], dtype=float)
    y = uk["offences"].to_numpy().astype(float)
    res = sm.GLM(y, sm.add_constant(t), family=sm.families.Poisson()).fit(scale="X2")
    fitted = res.fittedvalues
    got = np.asarray(line.get_ydata(), dtype=float)
    assert got[0] == pytest.approx(fitted[0], rel=1e-6)
    assert got[-1] == pytest.approx(fitted[-1], rel=1e-6)
    lo, hi = res.conf_int()[1]
    apc = 100 * math.expm1(res.params[1])
    labels = _legend(ax)
    assert f"fitted trend: {apc:+.1f}% a year (log-linear, quasipoisson)" in labels
    band_label = f"95% interval of the trend ({100 * math.expm1(lo):+.1f}% to "
    assert any(lab.startswith(band_label) for lab in labels), labels
    band = next(c for c in ax.collections if c.get_gid() == "fit-interval")
    top = band.get_paths()[0].vertices[:, 1].max()
    # the steepest line allowed by the interval, with its own intercept, at the last year
    centre = t.mean()
    a_hi = math.log(y.sum()) - math.log(np.exp(hi * (t - centre)).sum())
    assert top == pytest.approx(math.exp(a_hi + hi * (t[-1] - centre)), rel=1e-6)


def test_comparator_is_named_by_its_data(uk: pl.DataFrame) -> None:
    ew = annual_series(datasets.nspcc_national(), "England and Wales")
    ax = plot.trend(uk, x="financial_year", comparator=ew, series_break=None).axes[0]
    comp = _gid(ax, "comparator")
    ys = [v for v in comp.get_ydata() if v == v]
    assert ys == ew["offences"].to_list()
    assert "England and Wales" in _legend(ax)
    with pytest.raises(groomstats.GroomstatsError, match="name the comparator"):
        plot.trend(uk, x="financial_year", comparator=ew.drop("area"), series_break=None)
    fig = plot.trend(
        uk, x="financial_year", comparator=ew, comparator_axis="right", series_break=None
    )
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel().startswith("England and Wales")


@pytest.fixture(scope="module")
def rates() -> pl.DataFrame:
    prc = datasets.prc()
    g = prc.filter(
        (pl.col("offence_code") == "88A")
        & (pl.col("financial_year") == "2017/18")
        & pl.col("territorial")
    )
    return groomstats.rates(g, by=["force_code", "force"])


def test_funnel_leaves_out_and_lists_small_areas_and_labels_outliers(
    rates: pl.DataFrame,
) -> None:
    f = groomstats.funnel(rates)  # the README's example: City of London is in the frame
    city = f.filter(pl.col("force") == "City of London").row(0, named=True)
    # 1,254 children in mid-2017 as first published (642 in the Census-based mid-2023)
    assert city["population"] == 1_254 and city["flag"] is True
    fig = plot.funnel(f, limits=groomstats.funnel_limits(f))
    ax = fig.axes[0]
    pts = next(c for c in ax.collections if c.get_gid() == "areas")
    assert len(pts.get_offsets()) == 42
    assert city["value"] not in pts.get_offsets()[:, 1]
    assert fig.groomstats_left_out == ["City of London"]
    notes = [t.get_text() for t in fig.texts if t.get_gid() == "left-out"]
    assert notes and "City of London (1,254;" in " ".join(notes[0].split())
    # the y axis fits the areas shown, not City of London's 311 per 100,000
    top = max(pts.get_offsets()[:, 1])
    assert ax.get_ylim()[1] < 1.3 * top < city["value"]
    # every area outside the 99.8% limits is named, and only those
    named = sorted(t.get_text() for t in ax.texts)
    outside = sorted(
        f.filter(pl.col("significance").str.ends_with("(0.001)") & ~pl.col("flag"))["force"]
    )
    assert named == outside and len(named) > 0
    assert ax.get_title()  # a title even when none is given


def test_ranked_bars_with_intervals_and_national_value(rates: pl.DataFrame) -> None:
    nat_value = 35.098941928170554  # 4,429 / 12,618,614 * 1e5 (DOMAIN figures)
    assert 4429 / 12_618_614 * 1e5 == pytest.approx(nat_value)
    fig = plot.ranked(rates, target=nat_value, target_label="England and Wales")
    ax = fig.axes[0]
    shown = rates.filter(~pl.col("flag")).sort("value", descending=True)
    assert fig.groomstats_order == shown["force"].to_list()
    assert fig.groomstats_left_out == ["City of London"]
    widths = [p.get_width() for p in ax.patches][: shown.height]
    np.testing.assert_allclose(widths, shown["value"].to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == shown["force"].to_list()
    # whiskers span each force's 95% interval
    (bars,) = [c for c in ax.collections if c.get_segments()]
    spans = np.array([s[:, 0] for s in bars.get_segments()])
    np.testing.assert_allclose(np.sort(spans, axis=1)[:, 0], shown["lower_95"].to_numpy())
    np.testing.assert_allclose(np.sort(spans, axis=1)[:, 1], shown["upper_95"].to_numpy())
    assert list(_gid(ax, "target").get_xdata()) == [nat_value, nat_value]
    legend = _legend(ax)
    assert "England and Wales (35.1)" in legend
    assert "higher than England and Wales" in legend
    # colours follow the intervals: entirely above the national value is "higher"
    colours = [p.get_facecolor() for p in ax.patches][: shown.height]
    from matplotlib.colors import to_rgba

    for (lo, hi), c in zip(shown.select("lower_95", "upper_95").iter_rows(), colours, strict=True):
        want = (
            plot.OKABE_ITO["vermillion"]
            if lo > nat_value
            else plot.OKABE_ITO["sky_blue"]
            if hi < nat_value
            else "#BBBBBB"
        )
        assert c == pytest.approx(to_rgba(want))


def test_labels_come_from_the_data() -> None:
    df = pl.DataFrame(
        {
            "area": ["A", "B"],
            "denominator": [1000.0, 2000.0],
            "value": [5.0, 6.0],
            "age_band": ["0-17", "0-17"],
            "year": [2021, 2021],
        }
    )
    ax = plot.funnel(df, label="area", significance=None, target=5.5).axes[0]
    assert ax.get_xlabel() == "Denominator (aged 0-17, mid-2021)"
    assert ax.get_ylabel() == "value"
    assert "overall value (5.5)" in _legend(ax)
    # the shipped source lines carry no year of their own: years come from the data
    for src in (plot.SOURCE_PRC, plot.SOURCE_PRC_ONS):
        assert not any(str(y) in src for y in range(2000, 2030))


def test_dates_are_placed_in_time() -> None:
    df = pl.DataFrame(
        {"start": [dt.date(2017, 1, 1), dt.date(2017, 4, 1), dt.date(2018, 1, 1)], "n": [1, 2, 3]}
    )
    ax = plot.trend(df, x="start", y="n").axes[0]
    xs = np.asarray(_gid(ax, "series").get_xdata(), dtype=float)
    # quarterly dates: April to January is three quarters, shown as a gap after the second;
    # the first two are cut apart by the 1 April 2017 series break
    assert [i for i, v in enumerate(xs) if math.isnan(v)] == [1, 3]
    assert _spans(ax) == [(pytest.approx(2017 + (5 + 29 / 30) / 12, abs=1e-3), 2018.0)]


def test_panels_share_one_scale_and_keep_gaps() -> None:
    wales = datasets.nspcc_wales()  # South Wales 2022/23 published as n/a; Gwent lacks 2020/21
    fig = plot.panels(wales, x="financial_year", title="Welsh forces")
    ax = fig.axes[0]
    assert fig.groomstats_cells == wales["force"].unique(maintain_order=True).to_list()
    assert fig.groomstats_top == float(wales["offences"].max())
    south = next(ln for ln in ax.lines if ln.get_gid() == "series:South Wales")
    ys = np.asarray(south.get_ydata(), dtype=float)
    assert np.isnan(ys).sum() == 1  # the line breaks at 2022/23
    note = next(t.get_text() for t in fig.texts if t.get_gid() == "scale-note")
    flat = " ".join(note.split())
    assert "South Wales: 2022/23" in flat and "Gwent: 2020/21" in flat
    # one scale for every cell: a value's height above its cell's baseline (row 0: y = -0.92,
    # cell height 0.62) is value / top of the scale
    top = fig.groomstats_top
    for force in ("Dyfed-Powys", "Gwent"):
        line = next(ln for ln in ax.lines if ln.get_gid() == f"series:{force}")
        heights = (np.asarray(line.get_ydata(), dtype=float) + 0.92) / 0.62 * top
        want = wales.filter(pl.col("force") == force)["offences"].drop_nulls().to_numpy()
        np.testing.assert_allclose(heights[~np.isnan(heights)], want)

"""Titles, units, rate base, comparator and source line come from the data and arguments given,
never from the embedded 2017/18 defaults (issue 11, item 6).

The "wards" below are synthetic (made up by this test): a chart of them must not speak of
offences per 100,000 children, England and Wales, the Home Office or 2017/18."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from matplotlib.text import Text
from PIL import Image

import groomstats
from groomstats import plot

FORBIDDEN = ("100,000", "England and Wales", "Home Office", "88A", "2017/18", "children", "ONS")


def _texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def wards() -> pl.DataFrame:
    """Synthetic counts ``x`` of something per ``n`` residents in 30 made-up wards."""
    return pl.DataFrame(
        {
            "area": [f"Ward {i}" for i in range(30)],
            "x": [3 + (i * 7) % 11 for i in range(30)],
            "n": [2_000 + i * 450 for i in range(30)],
        }
    )


def test_funnel_of_other_areas_per_1000_says_what_it_is(
    wards: pl.DataFrame, tmp_path: Path
) -> None:
    r = groomstats.rates(wards, by="area", count="x", denominator="n", per=1_000, min_denominator=0)
    assert r["unit"].unique().to_list() == ["x per 1,000 n"]
    f = groomstats.funnel(r, count="x", denominator="n", per=1_000)
    lim = groomstats.funnel_limits(r, count="x", denominator="n", per=1_000)
    fig = plot.funnel(f, limits=lim, label="area", x="n", limits_x="denominator")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "x per 1,000 n"
    assert ax.get_title() == "X per 1,000 n by area"
    target = sum(wards["x"]) / sum(wards["n"]) * 1_000
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"overall value ({target:,.1f})" in legend
    texts = _texts(fig)
    for word in FORBIDDEN:
        assert not any(word in t for t in texts), (word, texts)
    assert fig.groomstats_source is None  # type: ignore[attr-defined]
    path = plot.save(fig, tmp_path / "wards.png")
    with Image.open(path) as im:
        assert dict(im.text)["Source"] == ""  # type: ignore[attr-defined]
    # a source the caller gives is printed as given
    own = plot.funnel(f, label="area", x="n", source="Source: ward survey (synthetic)")
    assert "Source: ward survey (synthetic)" in _texts(own)


def test_ranked_of_other_areas_takes_the_unit(wards: pl.DataFrame) -> None:
    r = groomstats.rates(wards, by="area", count="x", denominator="n", per=1_000, min_denominator=0)
    fig = plot.ranked(r, label="area", target=2.0, target_label="all wards")
    assert fig.axes[0].get_xlabel() == "x per 1,000 n"
    texts = _texts(fig)
    for word in FORBIDDEN:
        assert not any(word in t for t in texts), (word, texts)


def test_rates_unit_follows_the_arguments() -> None:
    g = groomstats.grooming(groomstats.datasets.prc()).filter(pl.col("territorial"))
    r = groomstats.rates(g, by=["force_code", "force"])
    assert r["unit"].unique().to_list() == ["offences per 100,000 population aged 0-17"]
    r10 = groomstats.rates(g, by=["force_code", "force"], age_band="10-15", per=10_000)
    assert r10["unit"].unique().to_list() == ["offences per 10,000 population aged 10-15"]
    fig = plot.funnel(groomstats.funnel(r10, per=10_000))
    assert fig.axes[0].get_ylabel() == "offences per 10,000 population aged 10-15"
    assert fig.axes[0].get_xlabel() == "Population (mid-2017)"

"""``rates`` divides each count by the population of the mid-year inside its financial year
(mid-2017 for 2017/18), says which (``population_year``, ``population_vintage``) and, when that
year is not available, uses the nearest with a ``note`` and a warning: never silently.

Expected denominators are summed by hand from the shipped district files (tests/ons_sums.py)."""

from __future__ import annotations

import warnings
from datetime import date

import ons_sums
import polars as pl
import pytest

import groomstats
from groomstats import datasets


@pytest.fixture(scope="module")
def g() -> pl.DataFrame:
    return groomstats.grooming(datasets.prc()).filter(pl.col("territorial"))


def test_2017_18_counts_use_mid_2017_children(g: pl.DataFrame) -> None:
    kids = ons_sums.children(2017)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = groomstats.rates(g, by=["force_code", "force"])
    assert out["population_year"].unique().to_list() == [2017]
    assert out["population_vintage"].unique().to_list() == [
        "first published, before the Census 2021 rebasing"
    ]
    assert out["note"].null_count() == 43
    kent = out.filter(pl.col("force") == "Kent").row(0, named=True)
    assert kent["offences"] == 45
    assert kent["population"] == kids["E23000032"]  # Kent's ONS code
    assert kent["value"] == pytest.approx(45 / kids["E23000032"] * 1e5, rel=1e-14)
    assert out["population"].sum() == sum(kids.values())


def test_quarters_and_totals_take_their_financial_years_mid_year(g: pl.DataFrame) -> None:
    t = groomstats.totals(g, by=["force_code", "force"], granularity="quarter")
    out = groomstats.rates(t.filter(pl.col("offences").is_not_null()))
    # quarter 4 (January-March 2018) is still in 2017/18: mid-2017
    assert out["population_year"].unique().to_list() == [2017]
    cal = pl.DataFrame(
        {
            "force_code": ["E23000032"],
            "offences": [10],
            "period_start": [date(2018, 1, 1)],
            "period_end": [date(2018, 12, 31)],
        }
    )
    assert groomstats.rates(cal)["population_year"].to_list() == [2018]


def test_year_not_available_uses_the_nearest_with_note_and_warning(g: pl.DataFrame) -> None:
    old = g.with_columns(financial_year=pl.lit("2014/15"))
    with pytest.warns(groomstats.PopulationYearWarning, match="mid-2014.*mid-2017 used"):
        out = groomstats.rates(old, by=["force_code", "force"])
    assert out["population_year"].unique().to_list() == [2017]
    assert out["note"].unique().to_list() == [
        "population of mid-2014 (age band 0-17) not available (have mid-2017 to mid-2023): "
        "mid-2017 used, the nearest"
    ]


def test_single_year_population_frame_for_other_years_warns(g: pl.DataFrame) -> None:
    mid2023 = groomstats.read_population(
        datasets.path("population_sheet"), datasets.path("lad_pfa_lookup")
    )
    with pytest.warns(groomstats.PopulationYearWarning, match="mid-2017.*mid-2023 used"):
        out = groomstats.rates(g, mid2023, by=["force_code", "force"])
    assert out["population_year"].unique().to_list() == [2023]
    assert out["population"].sum() == 12_618_614  # ONS mid-2023, 43 areas (DOMAIN.md)
    assert "mid-2017" in out["note"][0]


def test_counts_spanning_years_say_which_population(g: pl.DataFrame) -> None:
    two = pl.concat([g, g.with_columns(financial_year=pl.lit("2019/20"))])
    with pytest.warns(groomstats.PopulationYearWarning, match="counts span"):
        out = groomstats.rates(two, by="force_code")
    assert out["population_year"].unique().to_list() == [2018]
    assert "April 2017 to April 2019" in out["note"][0]


def test_no_period_and_several_years_is_ambiguous(g: pl.DataFrame) -> None:
    bare = g.group_by("force_code").agg(pl.col("offences").sum())
    with pytest.raises(groomstats.GroomstatsError, match=r"several years \[2017, .*2023\].*year="):
        groomstats.rates(bare)
    out = groomstats.rates(bare, year=2017)
    assert out["population"].sum() == sum(ons_sums.children(2017).values())
    with pytest.warns(groomstats.PopulationYearWarning, match="mid-2030"):
        late = groomstats.rates(bare, year=2030)
    assert late["population_year"].unique().to_list() == [2023]


def test_denominator_column_is_unchanged() -> None:
    df = pl.DataFrame({"area": ["a"], "x": [12], "n": [4_000]})
    out = groomstats.rates(df, by="area", count="x", denominator="n", per=1000)
    assert "population_year" not in out.columns and "note" not in out.columns
    assert out["value"][0] == pytest.approx(3.0)


def test_each_financial_year_gets_its_own_mid_year_and_vintage(g: pl.DataFrame) -> None:
    # the real 2017/18 counts, and the same counts relabelled 2021/22 (synthetic: not real
    # 2021/22 figures; only the population join is tested)
    two = pl.concat([g, g.with_columns(financial_year=pl.lit("2021/22"))])
    out = groomstats.rates(two, by=["force_code", "financial_year"])
    years = dict(out.group_by("financial_year").agg(pl.col("population_year").first()).iter_rows())
    assert years == {"2017/18": 2017, "2021/22": 2021}
    vint = dict(
        out.group_by("population_year").agg(pl.col("population_vintage").first()).iter_rows()
    )
    assert vint == {
        2017: "first published, before the Census 2021 rebasing",
        2021: "Census 2021-based",
    }
    kent21 = out.filter(pl.col("force_code") == "E23000032", pl.col("financial_year") == "2021/22")
    assert kent21["population"][0] == ons_sums.children(2021)["E23000032"]


def test_warning_points_at_the_callers_line(g: pl.DataFrame) -> None:
    old = g.with_columns(financial_year=pl.lit("2014/15"))
    with pytest.warns(groomstats.PopulationYearWarning) as rec:
        groomstats.rates(old, by=["force_code"])
    assert rec[0].filename == __file__


def test_period_naming_no_financial_year_is_refused(g: pl.DataFrame) -> None:
    odd = g.with_columns(financial_year=pl.lit("last year"))
    with pytest.raises(groomstats.GroomstatsError, match=r"names no financial year.*year="):
        groomstats.rates(odd, by="force_code")

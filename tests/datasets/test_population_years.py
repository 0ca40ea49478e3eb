"""``datasets.population(year=..., age_band=...)``: the shipped ONS series by force area and
mid-year, against sums made by hand from the shipped files (tests/ons_sums.py, csv module only)
and ONS's own England and Wales totals."""

from __future__ import annotations

import warnings

import ons_sums
import polars as pl
import pytest

import groomstats
from groomstats import datasets

FIRST = "first published, before the Census 2021 rebasing"
CENSUS = "Census 2021-based"


@pytest.mark.parametrize("year", sorted(ons_sums.CHILD_FILES))
def test_children_by_force_equal_the_district_sums(year: int) -> None:
    want = ons_sums.children(year)
    assert len(want) == 43  # every district of the year maps to one of the 43 force areas
    got = datasets.population(year, "0-17")
    assert got.height == 43 and got["force_code"].n_unique() == 43
    assert dict(got.select("force_code", "population").iter_rows()) == want
    # the England and Wales total of the file is kept: all districts, no double counting
    all_ages, kids = ons_sums.district_totals(year)
    assert got["population"].sum() == kids
    assert all_ages == ons_sums.ONS_TOTAL_ALL_AGES[year]  # the file is ONS's whole E&W
    assert set(got["year"]) == {year}
    assert got["note"].null_count() == 43
    assert set(got["vintage"]) == {FIRST if year <= 2020 else CENSUS}


@pytest.mark.parametrize(
    ("year", "band", "ages"),
    [(2017, "10-15", range(10, 16)), (2020, "16", range(16, 17)), (2022, "0-15", range(16))],
)
def test_single_years_of_age(year: int, band: str, ages: range) -> None:
    got = datasets.population(year, band)
    assert dict(got.select("force_code", "population").iter_rows()) == ons_sums.children(year, ages)
    assert set(got["age_band"]) == {band}


def test_all_ages_mid_2011_to_mid_2023_from_mye4() -> None:
    per, ew = ons_sums.mye4()
    got = datasets.population(age_band="all ages")
    assert sorted(got["year"].unique()) == list(range(2011, 2024))
    for y in range(2011, 2024):
        rows = got.filter(pl.col("year") == y)
        assert dict(rows.select("force_code", "population").iter_rows()) == per[y]
        assert rows["population"].sum() == ew[y]  # the sheet's England and Wales row
    assert set(got["vintage"]) == {CENSUS}
    # the rebased all-ages series differs from the first-published one (vintages differ)
    assert ew[2017] != ons_sums.ONS_TOTAL_ALL_AGES[2017]


def test_mid_2023_children_match_the_derived_file() -> None:
    ref = pl.read_csv(ons_sums.DATA / "pfa_population_mid2023.csv")
    got = datasets.population(2023, "0-17")
    want = dict(ref.select("PFA23CD", "population_aged_0_17_mid2023").iter_rows())
    assert dict(got.select("force_code", "population").iter_rows()) == want
    assert set(got["vintage"]) == {CENSUS}


def test_year_not_held_uses_the_nearest_with_a_note_and_a_warning() -> None:
    with pytest.warns(groomstats.PopulationYearWarning, match="mid-2015 .*mid-2017 used"):
        got = datasets.population(2015, "0-17")
    assert set(got["year"]) == {2017}
    assert got["population"].sum() == ons_sums.district_totals(2017)[1]
    assert got["note"][0] == (
        "population of mid-2015 (0-17) not available (have mid-2017 to mid-2023): "
        "mid-2017 used, the nearest"
    )
    with pytest.warns(groomstats.PopulationYearWarning, match="mid-2023 used"):
        late = datasets.population(2025, "0-17")
    assert set(late["year"]) == {2023}


def test_band_beyond_17_only_in_mid_2023() -> None:
    with pytest.warns(groomstats.PopulationYearWarning, match=r"mid-2019 \(18\+\)"):
        adults = datasets.population(2019, "18+")
    assert set(adults["year"]) == {2023}
    kids = datasets.population(2023, "0-17")["population"].sum()
    every = datasets.population(2023, "all ages")["population"].sum()
    assert adults["population"].sum() == every - kids


def test_years_held_give_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = datasets.population([2017, 2023], ["0-17", "all ages"])
    assert got.group_by("year", "age_band").len()["len"].to_list() == [43] * 4


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"age_band": "seventeen"}, "not 'all ages'"),
        ({"age_band": "17-10"}, "ends before it starts"),
        ({"age_band": ()}, "no age band"),
        ({"year": "2017"}, "mid-year such as 2017"),
        ({"year": True}, "mid-year such as 2017"),
        ({"year": []}, "mid-year such as 2017"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(groomstats.GroomstatsError, match=match):
        datasets.population(**kwargs)  # type: ignore[arg-type]

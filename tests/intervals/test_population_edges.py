"""``rates`` and its population frame at the edges (synthetic counts and populations, made
below; survivors of the Python mutation run, mutants/SURVIVORS.md)."""

from __future__ import annotations

import warnings

import ons_sums
import polars as pl
import pytest

import groomstats
from groomstats.exceptions import DataFormatError, UnknownAreaError


def _quiet_rates(*args: object, **kwargs: object) -> pl.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", groomstats.PopulationYearWarning)
        return groomstats.rates(*args, **kwargs)  # type: ignore[arg-type]


def test_duplicate_population_rows_are_refused() -> None:
    df = pl.DataFrame({"force": ["Kent"], "offences": [4]})
    pop = pl.DataFrame(
        {"force": ["Kent", "Kent"], "age_band": ["0-17"] * 2, "population": [1000, 1000]}
    )
    with pytest.raises(
        DataFormatError,
        match=r"several rows for force \['Kent'\] in age band '0-17'; keep one row per area",
    ):
        groomstats.rates(df, pop, on="force")
    with pytest.raises(DataFormatError, match=r"in age band '0-17' and one year; keep one row"):
        groomstats.rates(df, pop.with_columns(year=pl.lit(2019)), on="force")


def test_a_population_without_years_needs_no_period() -> None:
    """Synthetic population of one (unstated) year: no population_year column, no note."""
    pop = pl.DataFrame({"force": ["Kent"], "age_band": ["0-17"], "population": [50_000]})
    r = groomstats.rates(pl.DataFrame({"force": ["Kent"], "offences": [4]}), pop, on="force")
    assert "population_year" not in r.columns
    assert r["value"][0] == pytest.approx(4 / 50_000 * 1e5)
    with pytest.raises(groomstats.GroomstatsError, match="has no 'year' column"):
        groomstats.rates(
            pl.DataFrame({"force": ["Kent"], "offences": [4]}), pop, on="force", year=2019
        )


def test_span_and_substitution_notes_are_joined() -> None:
    """Counts summed over 2013/14 and 2015/16: the middle year is mid-2014, which is not shipped
    (children from mid-2017): both facts are stated, in that order."""
    df = pl.DataFrame(
        {"force": ["Kent", "Kent"], "financial_year": ["2013/14", "2015/16"], "offences": [40, 50]}
    )
    r = _quiet_rates(df, by="force").row(0, named=True)
    assert r["population_year"] == 2017
    assert r["note"] == (
        "counts span the financial years starting April 2013 to April 2015: population of "
        "mid-2014 (the middle year) used; population of mid-2014 (age band 0-17) not available "
        "(have mid-2017 to mid-2023): mid-2017 used, the nearest"
    )
    kent = ons_sums.children(2017)["E23000032"]
    assert r["population"] == kent and r["value"] == pytest.approx(90 / kent * 1e5)


def test_population_year_is_a_small_integer() -> None:
    df = pl.DataFrame({"force": ["Kent"], "financial_year": ["2019/20"], "offences": [40]})
    r = groomstats.rates(df, by="force")
    assert r.schema["population_year"] == pl.Int16
    assert r["population_year"][0] == 2019
    assert r["population"][0] == ons_sums.children(2019)["E23000032"]


def test_other_nations_forces_with_their_population_given() -> None:
    """Police Scotland with a population passed in (synthetic) is not refused."""
    df = pl.DataFrame({"force": ["Police Scotland", "Kent"], "offences": [40, 4]})
    pop = pl.DataFrame(
        {
            "force": ["Police Scotland", "Kent"],
            "age_band": ["0-17", "0-17"],
            "population": [1_000_000, 50_000],
        }
    )
    r = groomstats.rates(df, pop, on="force")
    assert r["value"].to_list() == pytest.approx([4.0, 8.0])
    with pytest.raises(UnknownAreaError, match="Police Scotland police"):
        groomstats.rates(df, pop.filter(pl.col("force") == "Kent"), on="force")


def test_unknown_areas_are_listed_ten_at_most() -> None:
    unk = pl.DataFrame({"force": [f"Nowhere {i:02d}" for i in range(12)], "offences": [1] * 12})
    with pytest.raises(UnknownAreaError) as err:
        groomstats.rates(unk)
    msg = str(err.value)
    assert "12 force value(s) not in the population frame" in msg
    assert "'Nowhere 09'" in msg and "'Nowhere 10'" not in msg


def test_an_area_missing_from_the_population_year_is_kept_without_a_rate() -> None:
    """Synthetic population: Kent has mid-2019 only, so for 2018/19 it has no denominator: the
    row stays, with no value and the reason, never dropped."""
    pop = pl.DataFrame(
        {
            "force": ["Kent", "Essex", "Essex"],
            "age_band": ["0-17"] * 3,
            "year": [2019, 2018, 2019],
            "population": [50_000, 40_000, 41_000],
        }
    )
    df = pl.DataFrame(
        {"force": ["Kent", "Essex"], "financial_year": ["2018/19"] * 2, "offences": [4, 5]}
    )
    r = groomstats.rates(df, pop, on="force")
    assert r["force"].to_list() == ["Kent", "Essex"]
    assert r["population"].to_list() == [None, 40_000]
    assert r["value"].to_list() == [None, pytest.approx(12.5)]
    assert r["reason"].to_list() == ["missing population", None]

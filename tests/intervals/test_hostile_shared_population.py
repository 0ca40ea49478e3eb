"""One area's population serving several rows of counts (SYNTHETIC counts; populations are
the ONS estimates shipped with the package).

``rates`` on Kent's boys and Kent's girls (or by=["force", "sex"]) divided each by all of
Kent's children, with nothing said: a reader adding the rows' populations for a total rate
counts Kent's children twice. Each such row now says whose population it shares, with how
many rows, and which column tells them apart.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats

SHARED = (
    "the population of Kent is the denominator of 2 rows (told apart by sex): each rate is "
    "over the whole population, so do not add their populations"
)


def _counts() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": ["Kent", "Kent", "Surrey"],
            "financial_year": ["2017/18"] * 3,
            "sex": ["boys", "girls", "boys"],
            "offences": [10, 20, 5],
        }
    )


@pytest.mark.parametrize("by", [None, ["force", "sex"]])
def test_rows_sharing_a_population_say_so(by: list[str] | None) -> None:
    out = groomstats.rates(_counts(), by=by)
    kent = groomstats.datasets.population(year=2017, age_band="0-17").filter(
        pl.col("force") == "Kent"
    )["population"][0]
    assert out["population"].to_list()[:2] == [kent, kent]
    assert out["value"].to_list()[:2] == pytest.approx([10e5 / kent, 20e5 / kent])
    assert out["note"].to_list() == [SHARED, SHARED, None]


def test_one_row_per_area_has_no_note() -> None:
    out = groomstats.rates(_counts(), by="force")
    assert out.select("force", "offences").rows() == [("Kent", 30), ("Surrey", 5)]
    assert out["note"].to_list() == [None, None]


def test_an_area_twice_with_nothing_to_tell_the_rows_apart_is_named() -> None:
    out = groomstats.rates(_counts().drop("sex"))
    assert out["note"][0] == (
        "the population of Kent is the denominator of 2 rows (told apart by no column: the "
        "same area twice? sum its rows with by=): each rate is over the whole population, so "
        "do not add their populations"
    )


def test_the_same_area_in_two_years_has_two_populations() -> None:
    two = pl.DataFrame(
        {"force": ["Kent", "Kent"], "financial_year": ["2017/18", "2018/19"], "offences": [1, 2]}
    )
    out = groomstats.rates(two)
    assert out["population_year"].to_list() == [2017, 2018]
    assert out["note"].to_list() == [None, None]

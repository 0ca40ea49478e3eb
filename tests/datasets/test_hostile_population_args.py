"""``datasets.population`` asked for the same people twice, or with a numpy year: one set of
rows per year and band, never duplicates that a join would count twice; typed errors.

Values come from the ONS files shipped in ``groomstats/data`` (12,495,246 children aged 0-17
over the 43 force areas at mid-2017, as the module's doctest shows).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import groomstats
from groomstats import datasets


def test_a_year_asked_twice_gives_one_set_of_rows() -> None:
    # [2017, 2017] gave 86 rows: every force twice, so a join doubled every rate's population
    got = datasets.population([2017, 2017], "0-17")
    assert got.height == 43
    assert got["population"].sum() == 12_495_246


def test_a_band_asked_twice_and_spaced_band() -> None:
    got = datasets.population(2017, ["0-17", "0 - 17"])
    assert got.height == 43
    assert got["age_band"].unique().to_list() == ["0-17"]


def test_two_years_falling_back_to_the_same_mid_year_are_refused() -> None:
    # mid-2016 is not held for 0-17: it fell back to mid-2017, which was also asked for, and
    # both sets of mid-2017 rows were returned (86 rows, year 2017 twice)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", groomstats.PopulationYearWarning)
        with pytest.raises(groomstats.GroomstatsError) as e:
            datasets.population([2016, 2017], "0-17")
    msg = str(e.value)
    assert "mid-2016 and mid-2017 would both use the population of mid-2017" in msg
    assert "the same people would appear twice" in msg


def test_numpy_year_and_bad_years() -> None:
    # a numpy integer raised TypeError ("'numpy.int64' object is not iterable")
    assert datasets.population(np.int64(2017), "0-17")["population"].sum() == 12_495_246
    for bad in (2017.0, "2017", True, []):
        with pytest.raises(groomstats.GroomstatsError, match="must be a mid-year such as 2017"):
            datasets.population(bad, "0-17")  # type: ignore[arg-type]

"""``rates(year=...)`` against counts whose own period asks for another mid-year (SYNTHETIC
counts; populations are the ONS estimates shipped with the package).

Given ``year=2019`` for 2017/18 counts, rates divided by the mid-2019 population with no note
and no warning, while a count whose own year is not shipped gets both. The rate still uses
the year asked for (the caller chose it), but the row's ``note`` and a
:class:`~groomstats.PopulationYearWarning` now say the counts' own mid-year differs.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats


def _counts() -> pl.DataFrame:
    return pl.DataFrame(
        {"force": ["Kent", "Surrey"], "financial_year": ["2017/18", "2019/20"], "offences": [10, 5]}
    )


def test_a_year_that_is_not_the_counts_own_is_noted_and_warned() -> None:
    with pytest.warns(groomstats.PopulationYearWarning) as w:
        out = groomstats.rates(_counts(), year=2019)
    assert [str(x.message) for x in w] == [
        "rates: year=2019 given: population of mid-2019 used for counts whose own mid-year is 2017"
    ]
    assert out.get_column("population_year").to_list() == [2019, 2019]
    assert out.get_column("note").to_list() == [
        "year=2019 given: population of mid-2019 used for counts whose own mid-year is 2017",
        None,
    ]
    # the rate is over the population asked for: Kent mid-2019 children, shipped ONS estimate
    pop = groomstats.datasets.population(year=2019, age_band="0-17")
    kent = pop.filter(pl.col("force") == "Kent")["population"][0]
    assert out["population"][0] == kent
    assert out["value"][0] == pytest.approx(10 / kent * 1e5)


def test_the_counts_own_year_gives_no_note(recwarn: pytest.WarningsRecorder) -> None:
    out = groomstats.rates(_counts().filter(pl.col("force") == "Surrey"), year=2019)
    assert out["note"].to_list() == [None]
    assert not [w for w in recwarn if issubclass(w.category, groomstats.PopulationYearWarning)]


def test_a_frame_without_a_period_is_unchanged(recwarn: pytest.WarningsRecorder) -> None:
    bare = pl.DataFrame({"force": ["Kent"], "offences": [10]})
    out = groomstats.rates(bare, year=2019)
    assert out["population_year"].to_list() == [2019]
    assert "note" not in out.columns or out["note"].to_list() == [None]
    assert not [w for w in recwarn if issubclass(w.category, groomstats.PopulationYearWarning)]

"""Review R7 (efe691c): ``rates`` noted "the population of E23000032 is the denominator of 4
rows ... do not add their populations" on every row of one force's quarters. One area's
periods sharing their mid-year population is the ordinary case, not the hazard (Kent's boys
and girls over one population): rows told apart only by period columns get no note, and the
note names the force, not its ONS code. Counts: the shipped Home Office PRC 2017/18 file
(``groomstats.datasets.prc``); the boys/girls split below is SYNTHETIC (the same rows twice).
"""

from __future__ import annotations

import polars as pl

import groomstats


def _kent() -> pl.DataFrame:
    return groomstats.grooming(groomstats.datasets.prc()).filter(pl.col("force") == "Kent")


def test_one_forces_quarters_get_no_note() -> None:
    out = groomstats.rates(_kent())
    assert out.select("quarter", "offences").rows() == [(1, 18), (2, 9), (3, 14), (4, 4)]
    assert out["population_year"].to_list() == [2017] * 4
    assert out["population"].n_unique() == 1
    assert out["note"].to_list() == [None] * 4


def test_rows_of_one_quarter_sharing_a_population_are_noted_naming_the_force() -> None:
    kent = _kent()
    two = pl.concat([kent.with_columns(sex=pl.lit("boys")), kent.with_columns(sex=pl.lit("girls"))])
    out = groomstats.rates(two)
    assert out.height == 8
    assert set(out["note"].to_list()) == {
        "the population of Kent is the denominator of 2 rows (told apart by sex): each rate is "
        "over the whole population, so do not add their populations"
    }

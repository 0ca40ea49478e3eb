"""What ``rates`` returns: the unit text, the columns, the age band (synthetic counts; shipped
populations checked against sums made by hand with the csv module, tests/ons_sums.py)."""

from __future__ import annotations

import ons_sums
import polars as pl
import pytest

import groomstats
from groomstats.exceptions import GroomstatsError

FRAME = pl.DataFrame(
    {"force": ["Kent"], "financial_year": ["2019/20"], "offences": [40], "n": [50_000]}
)


def test_a_denominator_column_adds_only_the_documented_columns() -> None:
    r = groomstats.rates(FRAME, denominator="n")
    assert r.columns == [
        *FRAME.columns,
        "value",
        "lower_95",
        "upper_95",
        "lower_99_8",
        "upper_99_8",
        "method",
        "flag",
        "reason",
        "unit",
    ]
    assert r["unit"][0] == "offences per 100,000 n"
    assert groomstats.rates(FRAME, denominator="n", per=2.5)["unit"][0] == "offences per 2.5 n"


def test_all_ages_population() -> None:
    r = groomstats.rates(FRAME.drop("n"), age_band="all ages")
    assert r["unit"][0] == "offences per 100,000 population (all ages)"
    everyone, _ = ons_sums.mye4()
    assert r["population"][0] == everyone[2019]["E23000032"]  # Kent, mid-2019
    young = groomstats.rates(FRAME.drop("n"), age_band="10-15", per=10_000)
    assert young["unit"][0] == "offences per 10,000 population aged 10-15"
    assert young["population"][0] == ons_sums.children(2019, range(10, 16))["E23000032"]


def test_a_missing_denominator_suggests_a_numeric_column() -> None:
    df = pl.DataFrame(
        {"force": ["Kent"], "offences": [4], "Population": ["x"], "populations": [5000]}
    )
    with pytest.raises(GroomstatsError, match="did you mean 'populations'"):
        groomstats.rates(df, denominator="population")

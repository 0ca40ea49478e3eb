"""What ``trend`` says about bad quarters and incomplete periods (synthetic series; survivors of
the Python mutation run, mutants/SURVIVORS.md)."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import DataFormatError


def test_a_quarter_outside_1_to_4_is_named_with_its_row() -> None:
    df = pl.DataFrame(
        {"financial_year": ["2017/18"] * 4, "quarter": [1, 2, 5, 4], "offences": [10, 12, 15, 18]}
    )
    with pytest.raises(DataFormatError, match=r"column 'quarter', row 2: 5 is not a quarter 1-4"):
        groomstats.trend(df, quarter="quarter")


def test_incomplete_periods_are_listed_five_at_most() -> None:
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2010, 2020)]
    df = pl.DataFrame(
        {
            "financial_year": years,
            "offences": list(range(10, 20)),
            "complete": [False] * 7 + [True] * 3,
        }
    )
    with pytest.raises(DataFormatError) as err:
        groomstats.trend(df, incomplete="raise")
    listed = "; ".join(f"{y}: incomplete (complete=False)" for y in years[:5])
    assert str(err.value).startswith(f"trend: 7 incomplete periods: {listed} (and 2 more). ")
    five = df.with_columns(complete=pl.Series([False] * 5 + [True] * 5))
    with pytest.raises(DataFormatError) as err:
        groomstats.trend(five, incomplete="raise")
    assert f"{listed}. A model" in str(err.value)  # exactly five: no "(and ... more)"
    one = df.with_columns(complete=pl.Series([False] + [True] * 9))
    with pytest.raises(DataFormatError, match="trend: 1 incomplete period: 2010/11"):
        groomstats.trend(one, incomplete="raise")

"""A count of offences is a whole number: ``totals()`` and ``change()`` summed 10.5 and
showed 13.5 "offences" without a word. Such a value (a rate, a mean, an estimate) is now
refused, naming its row (polars, pandas) or its cell (other engines); whole numbers stored as
floats and missing counts read as before. SYNTHETIC frames below.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError

FRAME = pl.DataFrame(
    {
        "force": ["Kent", "Kent", "Kent"],
        "financial_year": ["2017/18", "2018/19", "2019/20"],
        "offences": [3.0, 10.5, 4.0],
    }
)


@pytest.mark.parametrize("engine", ["eager", "lazy", "pandas"])
def test_a_fractional_count_is_refused_naming_its_row(engine: str) -> None:
    data = {"eager": FRAME, "lazy": FRAME.lazy(), "pandas": FRAME.to_pandas()}[engine]
    with pytest.raises(DataFormatError, match=r"totals\(\): column 'offences' row 1: 10\.5 is not"):
        groomstats.totals(data, by="force")


def test_a_duckdb_relation_names_the_cell() -> None:
    duckdb = pytest.importorskip("duckdb")
    rel = duckdb.from_arrow(FRAME.to_arrow())
    with pytest.raises(DataFormatError, match=r"force='Kent', financial_year='2018/19': 10\.5"):
        groomstats.totals(rel, by="force")


def test_change_refuses_it_too() -> None:
    with pytest.raises(DataFormatError, match=r"10\.5 is not a whole number"):
        groomstats.change(FRAME, current="2018/19", by="force")


def test_whole_floats_and_missing_counts_read_as_before() -> None:
    ok = FRAME.with_columns(pl.Series("offences", [3.0, None, 4.0]))
    out = groomstats.totals(ok, by="force")
    assert out.select("offences", "null_rows").row(0) == (7.0, 1)

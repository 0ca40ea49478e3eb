"""Frames of other engines given to the statistics that read a whole frame (SYNTHETIC).

``totals()`` and ``change()`` read a DuckDB relation or a pyarrow table through narwhals, but
``rates``, ``funnel``, ``shares``, ``trend`` and the other functions that take one frame
refused them ("expected a polars or pandas DataFrame, got DuckDBPyRelation"), with no fix.
They now bring any frame narwhals knows into polars; an object that is no frame is still
refused, naming the kinds accepted.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats
from groomstats import DataFormatError

duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")

# SYNTHETIC counts: Kent's two rows add to 45 in DuckDB (a DECIMAL(38, 0) sum)
ROWS = "(VALUES ('Kent', '2017/18', 30), ('Kent', '2017/18', 15), ('Surrey', '2017/18', 20))"


#: one connection for the module: a relation is read lazily, after _relation() returns, and
#: DuckDB 1.4 closes a connection that goes out of scope
CON = duckdb.connect()


def _relation() -> object:
    return CON.sql(
        f"SELECT force, financial_year, SUM(o) AS offences FROM {ROWS} v(force, financial_year, o) "
        "GROUP BY ALL ORDER BY force"
    )


def _polars() -> pl.DataFrame:
    return pl.DataFrame(
        {"force": ["Kent", "Surrey"], "financial_year": ["2017/18"] * 2, "offences": [45, 20]}
    )


def test_rates_of_a_duckdb_relation_equal_those_of_the_polars_frame() -> None:
    got = groomstats.rates(_relation())
    want = groomstats.rates(_polars())
    # the shipped ONS mid-2017 children: Kent 400,033, Surrey 260,305
    assert got.get_column("population").to_list() == [400033, 260305]
    assert got.get_column("value").to_list() == pytest.approx([45e5 / 400033, 20e5 / 260305])
    cols = ["force", "population_year", "population", "value", "lower_95", "upper_95", "method"]
    assert_frame_equal(got.select(cols), want.select(cols))


def test_a_pyarrow_table_and_a_relation_go_through_funnel_and_trend() -> None:
    table = pa.table({"force": ["A", "B"], "offences": [60, 20], "population": [1e5, 1e5]})
    f = groomstats.funnel(table)
    assert f["target"][0] == pytest.approx(40.0)
    series = CON.sql(
        "SELECT * FROM (VALUES ('2018/19', 10), ('2019/20', 12), ('2020/21', 15)) "
        "v(financial_year, offences)"
    )
    t = groomstats.trend(series, time="financial_year")
    want = groomstats.trend(
        pl.DataFrame(
            {"financial_year": ["2018/19", "2019/20", "2020/21"], "offences": [10, 12, 15]}
        ),
        time="financial_year",
    )
    assert t["apc"][0] == pytest.approx(want["apc"][0], rel=1e-12)


def test_an_object_that_is_no_frame_is_refused_naming_what_is_accepted() -> None:
    with pytest.raises(DataFormatError) as e:
        groomstats.rates({"force": ["Kent"], "offences": [1]}, denominator="offences")
    assert "expected a polars, pandas, pyarrow, DuckDB, Dask or PySpark frame" in str(e.value)
    assert "got dict" in str(e.value)

"""Counting where the data live: LazyFrames (streaming engine), DuckDB, Dask and PySpark frames
give the same counts as the eager polars frame.

Synthetic record-level and tidy frames (labelled synthetic), generated here.
"""

from __future__ import annotations

import importlib.util
import shutil
import warnings
from datetime import date, timedelta

import numpy as np
import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats
from groomstats import DataFormatError

FORCES = ["Kent", "Essex", "Avon and Somerset", "British Transport Police"]


def _records(n: int = 5_000, seed: int = 9) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    day0 = date(2016, 4, 1)
    days = rng.integers(0, 3 * 365, n)
    forces = pl.Series(FORCES).gather(rng.integers(0, len(FORCES), n))
    out = pl.DataFrame(
        {
            "force": forces,
            "platform": pl.Series(["Snapchat", "Instagram", "Kik"]).gather(rng.integers(0, 3, n)),
            "date": [day0 + timedelta(days=int(d)) for d in days],
        }
    )
    # a null date and a null force: counted under a null key, never dropped
    return out.with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(None).otherwise(pl.col("date")).alias("date"),
        pl.when(pl.int_range(pl.len()) == 11).then(None).otherwise(pl.col("force")).alias("force"),
    )


def _tidy() -> pl.DataFrame:
    rng = np.random.default_rng(4)
    rows = []
    for fy in (2017, 2018):
        for q, (m0, m1) in enumerate(((4, 6), (7, 9), (10, 12), (1, 3)), start=1):
            y = fy if q < 4 else fy + 1
            start = date(y, m0, 1)
            end = (date(y + (m1 == 12), m1 % 12 + 1, 1)) - timedelta(days=1)
            for force in FORCES:
                if force == "Essex" and (fy, q) == (2018, 4):
                    continue  # a missing quarter: the window is incomplete
                for code in ("88A", "88E"):
                    rows.append((force, code, start, end, int(rng.integers(0, 40))))
    df = pl.DataFrame(
        rows,
        schema=["force", "offence_code", "period_start", "period_end", "offences"],
        orient="row",
    )
    return df.with_columns(
        pl.when(pl.int_range(pl.len()) == 5)
        .then(None)
        .otherwise(pl.col("offences"))
        .alias("offences")
    )


def _same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    assert_frame_equal(a, b, check_dtypes=False)


def test_lazyframe_counts_equal_eager() -> None:
    rec = _records()
    for by in (None, "force", ["force", "platform"]):
        for gran in ("month", "quarter", "financial_year", "calendar_year"):
            eager = groomstats.count_records(rec, by=by, date="date", granularity=gran)
            lazy = groomstats.count_records(rec.lazy(), by=by, date="date", granularity=gran)
            _same(eager, lazy)
            assert eager["offences"].sum() == rec.height
    tidy = _tidy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", groomstats.SeriesBreakWarning)
        _same(groomstats.totals(tidy, by="force"), groomstats.totals(tidy.lazy(), by="force"))
    c_eager = groomstats.change(tidy, current="2018/19", by=["force", "offence_code"])
    c_lazy = groomstats.change(tidy.lazy(), current="2018/19", by=["force", "offence_code"])
    _same(c_eager, c_lazy)


def test_null_keys_and_dates_are_counted() -> None:
    rec = _records()
    out = groomstats.count_records(rec, by="force", date="date")
    assert out.filter(pl.col("force").is_null())["offences"].sum() == 1
    assert out.filter(pl.col("period").is_null())["offences"].sum() == 1


def test_hand_worked_counts() -> None:
    rec = pl.DataFrame(
        {
            "force": ["Kent", "Kent", "Kent", "Essex"],
            "date": [date(2017, 3, 31), date(2017, 4, 1), date(2018, 3, 31), date(2017, 5, 9)],
        }
    )
    out = groomstats.count_records(rec, by="force", date="date", granularity="financial_year")
    got = {(r["force"], r["period"]): r["offences"] for r in out.iter_rows(named=True)}
    assert got == {("Essex", "2017/18"): 1, ("Kent", "2016/17"): 1, ("Kent", "2017/18"): 2}


def test_duckdb_relation_counts_in_duckdb() -> None:
    duckdb = pytest.importorskip("duckdb")
    rec = _records()
    con = duckdb.connect()
    con.register("rec_view", rec.to_arrow())
    rel = con.sql("select * from rec_view")
    for by in ("force", ["force", "platform"]):
        want = groomstats.count_records(rec, by=by, date="date")
        _same(want, groomstats.count_records(rel, by=by, date="date"))
    tidy = _tidy()
    con.register("tidy_view", tidy.to_arrow())
    rel = con.sql("select * from tidy_view")
    want = groomstats.totals(tidy, by="force", window="2018/19")
    _same(want, groomstats.totals(rel, by="force", window="2018/19"))
    want = groomstats.change(tidy, current="2018/19", by="force")
    _same(want, groomstats.change(rel, current="2018/19", by="force"))


def test_dask_dataframe_counts_in_dask() -> None:
    dd = pytest.importorskip("dask.dataframe")
    rec = _records()
    pdf = rec.to_pandas()
    ddf = dd.from_pandas(pdf, npartitions=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # narwhals: Dask support moving out
        for by in ("force", ["force", "platform"]):
            want = groomstats.count_records(rec, by=by, date="date")
            _same(want, groomstats.count_records(ddf, by=by, date="date"))
        tidy = _tidy()
        tdf = dd.from_pandas(tidy.to_pandas(), npartitions=2)
        want = groomstats.totals(tidy, by="force", window="2018/19")
        got = groomstats.totals(tdf, by="force", window="2018/19")
    _same(want, got)


def _has_spark() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (it is not in the test extras: a 450 MB download)"
    if shutil.which("java") is None:
        return "PySpark needs a Java runtime and none is on PATH"
    return None


@pytest.mark.skipif(_has_spark() is not None, reason=str(_has_spark()))
def test_pyspark_dataframe_counts_in_spark() -> None:  # pragma: no cover - optional
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[1]").appName("groomstats-test").getOrCreate()
    try:
        rec = _records(500)
        sdf = spark.createDataFrame(rec.to_pandas())
        want = groomstats.count_records(rec, by="force", date="date")
        _same(want, groomstats.count_records(sdf, by="force", date="date"))
    finally:
        spark.stop()


def test_unsupported_frame_is_a_clear_error() -> None:
    with pytest.raises(DataFormatError, match="narwhals"):
        groomstats.count_records({"force": ["Kent"]}, by="force")
    with pytest.raises(DataFormatError, match="holds"):
        groomstats.count_records(pd.DataFrame({"d": ["2017-01-01"]}), date="d")


def test_lazy_window_keeps_groups_with_no_rows_in_it() -> None:
    # Essex has rows only in 2017/18: a 2018/19 window on a LazyFrame (rows filtered before
    # the group-by) still lists Essex, with no count, as the eager frame does.
    tidy = _tidy()
    only_early = tidy.filter(
        (pl.col("force") != "Essex") | (pl.col("period_start") < date(2018, 4, 1))
    )
    eager = groomstats.totals(only_early, by="force", window="2018/19")
    lazy = groomstats.totals(only_early.lazy(), by="force", window="2018/19")
    _same(eager, lazy)
    essex = lazy.filter(pl.col("force") == "Essex")
    assert essex["offences"].to_list() == [None] and essex["rows"].to_list() == [0]
    both = groomstats.change(only_early.lazy(), current="2018/19", by="force")
    _same(groomstats.change(only_early, current="2018/19", by="force"), both)
    # a window cutting a quarter is still refused on a LazyFrame
    with pytest.raises(groomstats.PeriodError, match="cuts through"):
        groomstats.totals(tidy.lazy(), by="force", window="2018-05-01..2019-03-31")

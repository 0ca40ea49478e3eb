"""pandas is a first-class input (issue 16): frames with datetime64, categorical,
nullable-integer and object columns give the same answers as the polars frame they came from,
and a column polars cannot hold is named in a typed error."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats
from groomstats import datasets


@pytest.fixture(scope="module")
def g_pl() -> pl.DataFrame:
    return groomstats.grooming(datasets.prc().filter(pl.col("territorial")))


def _pandas_variants(frame: pl.DataFrame) -> list[pd.DataFrame]:
    base = frame.to_pandas()  # datetime64 period bounds, object text
    cat = base.astype({"force": "category", "region": "category"})
    nullable = base.astype({"offences": "Int64", "quarter": "Int64"})
    parsed = base.assign(
        period_start=pd.to_datetime(base["period_start"].astype(str)),
        period_end=pd.to_datetime(base["period_end"].astype(str)),
    )
    return [base, cat, nullable, parsed]


def test_grooming_and_totals_agree_with_polars(g_pl: pl.DataFrame) -> None:
    want = groomstats.totals(g_pl, by="force").sort("force")
    prc = datasets.prc().filter(pl.col("territorial"))
    for pdf in _pandas_variants(prc):
        g = groomstats.grooming(pdf)
        assert g.schema["force"] == pl.String
        assert g.schema["period_start"] == pl.Date
        got = groomstats.totals(g, by="force").sort("force")
        assert_frame_equal(got, want, check_dtypes=False)
    for pdf in _pandas_variants(g_pl):
        got = groomstats.totals(pdf, by="force").sort("force")
        assert_frame_equal(got, want, check_dtypes=False)
        assert int(got["offences"].sum()) == int(g_pl["offences"].sum())


def test_rates_funnel_and_trend_agree_with_polars(g_pl: pl.DataFrame) -> None:
    t = groomstats.totals(g_pl, by=["force_code", "force"])
    want = groomstats.rates(t, by=["force_code", "force"]).sort("force")
    for pdf in _pandas_variants(g_pl)[:3]:
        tp = groomstats.totals(pdf, by=["force_code", "force"])
        got = groomstats.rates(
            tp.to_pandas().astype({"force": "category"}), by=["force_code", "force"]
        )
        assert_frame_equal(got.sort("force"), want, check_dtypes=False)
    fw = groomstats.funnel(want.select("force", "offences", "population"))
    fp = groomstats.funnel(
        want.select("force", "offences", "population").to_pandas().astype({"offences": "Int64"})
    )
    assert_frame_equal(fp, fw, check_dtypes=False)


def test_mixed_object_column_names_the_column(g_pl: pl.DataFrame) -> None:
    pdf = g_pl.to_pandas()
    pdf["offences"] = pdf["offences"].astype(object)
    pdf.loc[3, "offences"] = "x"
    with pytest.raises(groomstats.DataFormatError, match="column 'offences'"):
        groomstats.totals(pdf, by="force")
    with pytest.raises(groomstats.DataFormatError, match="column 'offences'"):
        groomstats.rates(pdf, by=["force_code", "force"])

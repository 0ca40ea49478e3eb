"""The vectorised time paths of ``trend``: financial-year strings and dates give exactly the
time values of the per-row definitions (synthetic series, labelled synthetic)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

import groomstats
from groomstats import PeriodError
from groomstats.periods import decimal_year
from groomstats.trends._series import _date_times, _parse_financial_years


def test_dates_match_decimal_year_and_financial_quarter() -> None:
    days = [date(1999, 12, 31) + timedelta(days=k) for k in range(0, 3000, 7)] + [None]
    t, q = _date_times(pl.Series("d", days, dtype=pl.Date))
    want_t = [np.nan if d is None else decimal_year(d) for d in days]
    want_q = [0 if d is None else (d.month - 4) % 12 // 3 + 1 for d in days]
    np.testing.assert_array_equal(t, want_t)
    assert q.tolist() == want_q


def test_financial_years_parsed_once_per_spelling() -> None:
    s = pl.Series(["2017/18", None, " 2018/19", "2019-20", "2017/18"])
    np.testing.assert_array_equal(
        _parse_financial_years(s, "fy"), [2017.0, np.nan, 2018.0, 2019.0, 2017.0]
    )
    with pytest.raises(PeriodError, match=r"row 2: '2018/20' does not name consecutive"):
        _parse_financial_years(pl.Series(["2017/18", "2017/18", "2018/20"]), "fy")
    with pytest.raises(PeriodError, match=r"row 1: 'Q1' is not a financial year"):
        _parse_financial_years(pl.Series(["2017/18", "Q1"]), "fy")


def test_trend_same_for_strings_dates_and_integer_years() -> None:
    rng = np.random.default_rng(5)
    years = np.tile(np.arange(2017, 2024), 30)
    g = np.repeat(np.arange(30), 7)
    y = rng.poisson(50 * np.exp(0.1 * (years - 2017)))
    ints = pl.DataFrame({"g": g, "year": years, "offences": y})
    fy = ints.with_columns(pl.format("{}/{}", "year", (pl.col("year") + 1) % 100).alias("fy"))
    fy = fy.with_columns(pl.col("fy").str.replace(r"/(\d)$", "/0$1"))
    a = groomstats.trend(ints, by="g", time="year")
    b = groomstats.trend(fy, by="g", time="fy")
    np.testing.assert_allclose(a["apc"].to_numpy(), b["apc"].to_numpy(), rtol=1e-12)

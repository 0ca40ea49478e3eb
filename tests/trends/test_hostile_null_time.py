"""A row whose time is missing is left out of the trend and named in ``left_out`` (it used to
be counted in ``n_excluded`` without a word, while its year read "no row (absent from the
data)"). Synthetic frames, written here."""

from __future__ import annotations

import numpy as np
import polars as pl
import statsmodels.api as sm

import groomstats


def test_a_row_with_no_time_is_named_and_left_out_of_the_fit() -> None:
    # SYNTHETIC: one force, 2015-2020, the 2017 row's year lost
    df = pl.DataFrame(
        {
            "force": ["A"] * 6,
            "year": [2015, 2016, None, 2018, 2019, 2020],
            "offences": [10, 12, 14, 15, 18, 20],
        }
    )
    r = groomstats.trend(df, by="force", time="year", allow_series_break=True)
    row = r.row(0, named=True)
    assert row["n"] == 5 and row["n_excluded"] == 1
    # the year with no dated row stays visible, and so does the row with no time
    assert row["left_out"] == "2017: no row (absent from the data); a row whose time is missing"
    # the fit uses the five dated rows only: statsmodels GLM Poisson on them
    x = np.array([2015, 2016, 2018, 2019, 2020], dtype=float)
    y = np.array([10, 12, 15, 18, 20], dtype=float)
    fit = sm.GLM(y, sm.add_constant(x - 2015), family=sm.families.Poisson()).fit()
    apc = 100 * (np.exp(fit.params[1]) - 1)
    assert abs(row["apc"] - apc) < 1e-6


def test_financial_year_strings_with_a_missing_label() -> None:
    # SYNTHETIC: financial-year strings, one label missing, one count missing
    df = pl.DataFrame(
        {
            "force": ["B"] * 5,
            "financial_year": ["2017/18", None, "2019/20", "2020/21", "2021/22"],
            "offences": [5, 6, None, 9, 11],
        }
    )
    r = groomstats.trend(df, by="force", time="financial_year")
    text = r.get_column("left_out")[0]
    assert "2019/20: count missing" in text
    assert "a row whose time is missing" in text
    assert r.get_column("n_excluded")[0] == 2

"""interrupted() places an integer year where the series-break check places it (found by
hostile testing: ``interrupted`` started the year 2021 on 1 January while the break check
started it on 1 April, so an intervention date and the 1 April 2017 break were compared on two
calendars).

The rule (``trends/__init__.py``, conventions): an integer year ``y`` is the financial year
starting 1 April ``y``, as ``"y/y+1"`` is, with quarter 1 April-June. The counts are synthetic
(generated here); the fits are checked against statsmodels' Poisson GLM with the design built
by hand.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

import groomstats
from groomstats import PeriodError

YEARS = list(range(2018, 2026))  # 2018 .. 2025
COUNTS = [40, 44, 47, 52, 80, 86, 95, 101]  # synthetic


def _years(years: list[int] = YEARS, counts: list[int] = COUNTS) -> pl.DataFrame:
    return pl.DataFrame({"year": years, "offences": counts})


def _financial(years: list[int] = YEARS, counts: list[int] = COUNTS) -> pl.DataFrame:
    labels = [f"{y}/{(y + 1) % 100:02d}" for y in years]
    return pl.DataFrame({"financial_year": labels, "offences": counts})


def _statsmodels(counts: list[int], first_post: int) -> tuple[float, float]:
    """Level and slope change (rate ratios) with the post periods from index first_post."""
    y = np.asarray(counts, dtype=float)
    t = np.arange(y.size, dtype=float)
    post = (t >= first_post).astype(float)
    x = np.column_stack([np.ones_like(t), t, post, post * (t - first_post)])
    b = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-12).params
    return float(np.exp(b[2])), float(np.exp(b[3]))


@pytest.mark.parametrize(
    ("at", "n_pre"),
    [
        # 2021 starts on 1 April 2021: after an interruption on 31 March or 1 April 2021
        ("2021-03-31", 3),
        ("2021-04-01", 3),
        # and before one on 2 April 2021 (its first day is earlier)
        ("2021-04-02", 4),
        # 1 January 2021 is inside 2020 (April 2020 - March 2021): 2021 is after it
        ("2021-01-01", 3),
    ],
)
def test_an_integer_year_starts_on_1_april_as_its_financial_year(at: str, n_pre: int) -> None:
    by_int = groomstats.interrupted(_years(), at, time="year").row(0, named=True)
    by_fy = groomstats.interrupted(_financial(), at).row(0, named=True)
    assert (by_int["n_pre"], by_int["n_post"]) == (n_pre, len(YEARS) - n_pre)
    level, slope = _statsmodels(COUNTS, n_pre)
    for row in (by_int, by_fy):
        assert row["level_change"] == pytest.approx(level, rel=1e-6)
        assert row["slope_change"] == pytest.approx(slope, rel=1e-6)


def test_integer_years_with_quarters_start_each_quarter_where_financial_years_do() -> None:
    """Quarter 2 of 2020 starts on 1 July 2020 (it was placed on 1 January 2020 before):
    at = 15 April 2020 leaves 2020 Q1 (from 1 April) before it: 9 quarters before, 7 after."""
    rows = [(y, q) for y in range(2018, 2022) for q in (1, 2, 3, 4)]
    counts = np.random.default_rng(8).poisson(50, len(rows))  # synthetic
    ints = pl.DataFrame(
        {"year": [r[0] for r in rows], "quarter": [r[1] for r in rows], "offences": counts}
    )
    fys = ints.with_columns(
        financial_year=pl.format("{}/{}", "year", (pl.col("year") + 1) % 100)
    ).drop("year")
    for at, n_pre in (("2020-04-15", 9), ("2020-04-01", 8), ("2020-07-01", 9)):
        a = groomstats.interrupted(ints, at, time="year", quarter="quarter").row(0, named=True)
        b = groomstats.interrupted(fys, at, quarter="quarter").row(0, named=True)
        assert (a["n_pre"], a["n_post"]) == (b["n_pre"], b["n_post"]) == (n_pre, 16 - n_pre)
        assert a["level_change"] == pytest.approx(b["level_change"], rel=1e-9)


def test_the_break_and_an_interruption_at_it_are_placed_on_one_calendar() -> None:
    """2014 .. 2020 as integer years: the series crosses 1 April 2017 (2017 starts on it), so
    the break check refuses it; modelled as the interruption, 2014-2016 are before it and
    2017-2020 after, as for 2014/15 .. 2020/21."""
    years = list(range(2014, 2021))
    counts = [20, 22, 25, 90, 100, 112, 125]  # synthetic
    with pytest.raises(PeriodError, match="1 April 2017"):
        groomstats.trend(_years(years, counts), time="year")
    # a series ending with 2016 (April 2016 - March 2017) does not cross it
    groomstats.trend(_years(years[:3], counts[:3]), time="year")
    row = groomstats.interrupted(
        _years(years, counts), "2017-04-01", time="year", allow_series_break=True
    ).row(0, named=True)
    fy = groomstats.interrupted(
        _financial(years, counts), "2017-04-01", allow_series_break=True
    ).row(0, named=True)
    assert (row["n_pre"], row["n_post"]) == (fy["n_pre"], fy["n_post"]) == (3, 4)
    level, _ = _statsmodels(counts, 3)
    assert row["level_change"] == pytest.approx(level, rel=1e-6)

"""Completeness flows into models (issue 12, item 2): ``trend``, ``joinpoint`` and
``interrupted`` leave incomplete periods out by default, list what they left out and why, and
``incomplete="keep" | "raise"`` choose otherwise.

The issue's case, on synthetic figures (generated below, labelled synthetic): a regional series
summed by ``totals()`` from four forces, one force blank in one year. ``totals()`` marks that
year ``complete=False``; fitting through it treats a missing force as a fall. Oracle:
statsmodels' Poisson GLM on the years kept.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

import groomstats

FORCES = {  # synthetic counts, 2017/18 .. 2023/24
    "Kent": [100, 110, 125, 130, 150, 160, 175],
    "Surrey": [50, 56, 60, 66, 72, 80, 86],
    "Sussex": [70, 75, 84, 90, 99, 106, 118],
    "Hampshire": [90, 99, 110, 118, 130, 141, 155],
}
BLANK = ("Kent", 2020)  # Kent's 2020/21 figure is missing (blank)


def _forces() -> pl.DataFrame:
    rows = []
    for force, values in FORCES.items():
        for i, v in enumerate(values):
            y = 2017 + i
            n = None if (force, y) == BLANK else v
            rows.append((force, "South East", True, date(y, 4, 1), date(y + 1, 3, 31), n))
    return pl.DataFrame(
        rows,
        schema=["force", "region", "territorial", "period_start", "period_end", "offences"],
        orient="row",
    )


def _region() -> pl.DataFrame:
    return groomstats.totals(_forces(), by="region", granularity="financial_year")


def _glm_apc(years: list[int], counts: list[int]) -> tuple[float, float]:
    sm = pytest.importorskip("statsmodels.api")
    x = sm.add_constant(np.asarray(years, dtype=float) - years[0])
    fit = sm.GLM(np.asarray(counts, dtype=float), x, family=sm.families.Poisson()).fit()
    return 100.0 * np.expm1(fit.params[1]), fit.pvalues[1]


def test_totals_knows_the_year_is_incomplete() -> None:
    t = _region()
    row = t.filter(pl.col("period") == "2020/21").row(0, named=True)
    assert row["complete"] is False and row["null_rows"] == 1
    assert row["offences"] == 66 + 90 + 118  # the three forces with a figure


def test_trend_leaves_the_incomplete_year_out_and_says_so() -> None:
    t = _region()
    years = list(range(2017, 2024))
    totals = [sum(v[i] for v in FORCES.values()) for i in range(7)]
    partial = t["offences"].to_list()

    drop = groomstats.trend(t, by="region", time="period").row(0, named=True)
    kept = [y for y in years if y != 2020]
    apc, p = _glm_apc(kept, [totals[years.index(y)] for y in kept])
    assert drop["apc"] == pytest.approx(apc, rel=1e-6)
    assert drop["pvalue"] == pytest.approx(p, rel=1e-4, abs=1e-12)
    assert (drop["n"], drop["n_excluded"]) == (6, 1)
    assert drop["left_out"] == (
        "2020/21: incomplete (1 row(s) summed with no count, complete=False)"
    )

    keep = groomstats.trend(t, by="region", time="period", incomplete="keep").row(0, named=True)
    apc_all, _ = _glm_apc(years, partial)
    assert keep["apc"] == pytest.approx(apc_all, rel=1e-6)
    assert keep["left_out"] is None and keep["n"] == 7
    assert abs(keep["apc"] - drop["apc"]) > 0.2  # the blank force moved the trend

    with pytest.raises(groomstats.DataFormatError, match=r"2020/21 \(region='South East'\)"):
        groomstats.trend(t, by="region", time="period", incomplete="raise")
    with pytest.raises(groomstats.GroomstatsError, match="incomplete"):
        groomstats.trend(t, by="region", time="period", incomplete="dorp")  # type: ignore[arg-type]


def test_joinpoint_and_interrupted_leave_it_out_too() -> None:
    t = _region()
    jp = groomstats.joinpoint(t, by="region", time="period", max_joins=0, selection="bic")
    a = jp.aapc.row(0, named=True)
    assert a["n"] == 6 and a["left_out"].startswith("2020/21: incomplete")
    assert "2020/21" not in jp.fitted["time"].to_list()
    jk = groomstats.joinpoint(
        t, by="region", time="period", max_joins=0, selection="bic", incomplete="keep"
    )
    assert jk.aapc["n"][0] == 7 and jk.aapc["left_out"][0] is None

    it = groomstats.interrupted(t, "2021/22", by="region", time="period").row(0, named=True)
    assert it["n"] == 6 and it["left_out"].startswith("2020/21: incomplete")
    with pytest.raises(groomstats.DataFormatError, match="incomplete period"):
        groomstats.interrupted(t, "2021/22", by="region", time="period", incomplete="raise")


def test_raw_frames_missing_and_part_year_rows_are_listed() -> None:
    years = list(range(2018, 2024))
    df = pl.DataFrame(
        {
            "financial_year": [f"{y}/{(y + 1) % 100:02d}" for y in years],
            "period_start": [date(y, 4, 1) for y in years],
            "period_end": [date(y + 1, 3, 31) for y in years[:-1]] + [date(2023, 12, 31)],
            "offences": [10, None, 15, 18, 20, 16],
        }
    )
    r = groomstats.trend(df).row(0, named=True)
    assert (r["n"], r["n_excluded"]) == (4, 2)
    assert r["left_out"] == (
        "2019/20: count missing; 2023/24: incomplete (covers 275 days where the other rows "
        "cover about 365)"
    )


def test_absent_years_stay_visible() -> None:
    df = pl.DataFrame(
        {
            "force": ["A"] * 5,
            "financial_year": ["2017/18", "2018/19", "2020/21", "2021/22", "2022/23"],
            "offences": [10, 12, 15, None, 20],
        }
    )
    r = groomstats.trend(df, by="force").row(0, named=True)
    assert (r["n"], r["n_excluded"]) == (4, 1)  # the absent year is no row to exclude
    assert r["left_out"] == "2019/20: no row (absent from the data); 2021/22: count missing"

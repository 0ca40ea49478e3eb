"""interrupted(): segmented regression against statsmodels, and the 2017 series break."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomial

import groomstats


def _quarterly(rng: np.random.Generator, groups: int) -> pl.DataFrame:
    rows = []
    for g in range(groups):
        base = rng.uniform(2.0, 5.0)
        season = np.r_[0.0, rng.normal(0, 0.2, 3)]
        for i in range(24):  # 2017/18 Q1 .. 2022/23 Q4; lockdown from 2020/21 Q1 (i = 12)
            fy, q = 2017 + i // 4, i % 4 + 1
            post = i >= 12
            eta = base + 0.03 * i + season[q - 1] + post * (0.3 - 0.02 * (i - 12))
            mu = math.exp(eta)
            a = 0.05
            y = rng.negative_binomial(1 / a, 1 / (1 + a * mu))
            rows.append(
                (g, f"{fy}/{(fy + 1) % 100:02d}", q, dt.date(fy + (q == 4), 1 + (3 * q) % 12, 1), y)
            )
    return pl.DataFrame(
        rows, schema=["g", "financial_year", "quarter", "period_start", "offences"], orient="row"
    )


def _design(sub: pl.DataFrame, seasonal: bool) -> np.ndarray:
    i = np.arange(sub.height, dtype=float)
    post = (i >= 12).astype(float)
    cols = [np.ones_like(i), i / 4.0, post, post * (i - 12) / 4.0]
    if seasonal:
        q = sub.get_column("quarter").to_numpy()
        cols += [(q == k).astype(float) for k in (2, 3, 4)]
    return np.column_stack(cols)


@pytest.mark.parametrize(("model", "seasonal"), [("poisson", True), ("quasipoisson", False)])
def test_matches_statsmodels_segmented_glm(model: str, seasonal: bool) -> None:
    df = _quarterly(np.random.default_rng(4), 50)
    out = groomstats.interrupted(
        df, at="2020-04-01", by="g", quarter="quarter", seasonality=seasonal, model=model
    )
    assert out.height == 50
    for row in out.iter_rows(named=True):
        sub = df.filter(pl.col("g") == row["g"])
        ref = sm.GLM(
            sub.get_column("offences").to_numpy(),
            _design(sub, seasonal),
            family=sm.families.Poisson(),
        ).fit(scale="X2" if model == "quasipoisson" else None, tol=1e-12)
        ci = ref.conf_int()
        assert (row["n_pre"], row["n_post"]) == (12, 12)
        assert row["level_change"] == pytest.approx(math.exp(ref.params[2]), rel=1e-6)
        assert row["level_lower_95"] == pytest.approx(math.exp(ci[2, 0]), rel=1e-6)
        assert row["level_upper_95"] == pytest.approx(math.exp(ci[2, 1]), rel=1e-6)
        assert row["level_pvalue"] == pytest.approx(ref.pvalues[2], rel=1e-5, abs=1e-12)
        assert row["slope_change"] == pytest.approx(math.exp(ref.params[3]), rel=1e-6)
        assert row["slope_lower_95"] == pytest.approx(math.exp(ci[3, 0]), rel=1e-6)
        assert row["slope_pvalue"] == pytest.approx(ref.pvalues[3], rel=1e-5, abs=1e-12)
        assert row["apc_before"] == pytest.approx(100 * math.expm1(ref.params[1]), rel=1e-6)
        b = ref.params[1] + ref.params[3]
        cov = ref.cov_params()
        se = math.sqrt(cov[1, 1] + cov[3, 3] + 2 * cov[1, 3])
        assert row["apc_after"] == pytest.approx(100 * math.expm1(b), rel=1e-6, abs=1e-9)
        assert row["apc_after_upper_95"] == pytest.approx(
            100 * math.expm1(b + 1.959963984540054 * se), rel=1e-6, abs=1e-9
        )
        assert row["apc_after_lower_95"] == pytest.approx(
            100 * math.expm1(b - 1.959963984540054 * se), rel=1e-6, abs=1e-9
        )
        assert row["apc_before_lower_95"] == pytest.approx(
            100 * math.expm1(ci[1, 0]), rel=1e-6, abs=1e-9
        )
        assert row["apc_before_upper_95"] == pytest.approx(
            100 * math.expm1(ci[1, 1]), rel=1e-6, abs=1e-9
        )


def test_negbin_and_date_time_column() -> None:
    df = _quarterly(np.random.default_rng(9), 3)
    by_fy = groomstats.interrupted(df, at="2020/21", by="g", quarter="quarter", model="negbin")
    by_date = groomstats.interrupted(
        df, at=dt.date(2020, 4, 1), by="g", time="period_start", model="negbin"
    )
    for g in range(3):
        sub = df.filter(pl.col("g") == g)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mod = NegativeBinomial(sub.get_column("offences").to_numpy(), _design(sub, False))
            start = mod.fit(disp=0, maxiter=500)
            ref = mod.fit(start_params=start.params, method="newton", disp=0, maxiter=20)
        row = by_fy.row(g, named=True)
        assert row["level_change"] == pytest.approx(math.exp(ref.params[2]), rel=1e-6)
        assert row["alpha"] == pytest.approx(ref.params[-1], rel=1e-5)
        # dates are decimal calendar years (1 January = .0, as documented): the reference design
        # is built here from the dates themselves and fitted by statsmodels
        by_d = by_date.row(g, named=True)
        assert by_d["n_post"] == 12

        def dec(d: dt.date) -> float:
            jan1 = dt.date(d.year, 1, 1)
            return d.year + (d - jan1).days / (dt.date(d.year + 1, 1, 1) - jan1).days

        t = np.array([dec(d) for d in sub.get_column("period_start").to_list()])
        t_at = dec(dt.date(2020, 4, 1))
        post = (t >= t_at).astype(float)
        x = np.column_stack([np.ones_like(t), t - t.min(), post, post * (t - t_at)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mod_d = NegativeBinomial(sub.get_column("offences").to_numpy(), x)
            start_d = mod_d.fit(disp=0, maxiter=500)
            ref_d = mod_d.fit(start_params=start_d.params, method="newton", disp=0, maxiter=20)
        assert by_d["level_change"] == pytest.approx(math.exp(ref_d.params[2]), rel=1e-6)
        assert by_d["slope_change"] == pytest.approx(math.exp(ref_d.params[3]), rel=1e-6)


def test_series_break_is_not_an_ordinary_interruption() -> None:
    df = pl.DataFrame(
        {
            "financial_year": [f"{y}/{(y + 1) % 100:02d}" for y in range(2013, 2021)],
            "offences": [100, 105, 110, 116, 400, 440, 480, 530],
        }
    )
    with pytest.raises(groomstats.PeriodError, match="series break"):
        groomstats.interrupted(df, at="2017-04-01")
    with pytest.raises(groomstats.PeriodError, match="series break"):
        groomstats.interrupted(df, at="2017-04-03")
    # another date on a series that crosses the break: refused as well
    with pytest.raises(groomstats.PeriodError, match="1 April 2017"):
        groomstats.interrupted(df, at="2019-04-01")
    out = groomstats.interrupted(df, at="2017-04-01", allow_series_break=True).row(0, named=True)
    assert (out["n_pre"], out["n_post"]) == (4, 4)
    assert out["level_change"] > 3


def test_too_few_periods_get_a_reason() -> None:
    df = pl.DataFrame(
        {
            "force": ["A"] * 5 + ["B"] * 6,
            "financial_year": [f"{y}/{(y + 1) % 100:02d}" for y in range(2017, 2022)]
            + [f"{y}/{(y + 1) % 100:02d}" for y in range(2017, 2023)],
            "offences": [10, 12, 14, 30, 33, 10, 12, 14, 30, 33, 36],
        }
    )
    out = groomstats.interrupted(df, at="2021-04-01", by="force")
    reasons = dict(zip(out["force"], out["reason"], strict=True))
    assert "at least 2 periods before 2021-04-01 and 2 from it" in reasons["A"]
    assert reasons["B"] is None
    assert out.filter(pl.col("force") == "A")["level_change"][0] is None
    with pytest.raises(groomstats.PeriodError):
        groomstats.interrupted(df, at="lockdown")


def test_lockdown_on_shipped_welsh_series() -> None:
    wales = groomstats.datasets.nspcc_wales()
    out = groomstats.interrupted(wales, at="2020-04-01", by="force", model="quasipoisson")
    assert out["force"].to_list() == ["Dyfed-Powys", "Gwent", "North Wales", "South Wales"]
    # 2017/18-2019/20 before; Gwent's 2020/21 and South Wales' 2022/23 are n/a (excluded), and
    # Dyfed-Powys' 2017/18 covers six months (complete=False: left out, not fitted as a year)
    assert out["n_pre"].to_list() == [2, 3, 3, 3]
    assert out["n_post"].to_list() == [4, 3, 4, 3]
    assert out["n_excluded"].to_list() == [1, 1, 0, 1]
    nw = wales.filter(pl.col("force") == "North Wales")
    y = nw.get_column("offences").to_numpy()
    t = np.arange(7.0)
    post = (t >= 3).astype(float)
    x = np.column_stack([np.ones(7), t, post, post * (t - 3)])
    ref = sm.GLM(y, x, family=sm.families.Poisson()).fit(scale="X2", tol=1e-12)
    row = out.filter(pl.col("force") == "North Wales").row(0, named=True)
    assert row["level_change"] == pytest.approx(math.exp(ref.params[2]), rel=1e-7)
    assert row["slope_change"] == pytest.approx(math.exp(ref.params[3]), rel=1e-7)
    assert row["slope_pvalue"] == pytest.approx(ref.pvalues[3], rel=1e-6)

"""trend(): log-linear GLMs against statsmodels, hand-worked APCs, and bad input.

Independent of the machine's BLAS (issue 18, item 5): the references are fitted to
statsmodels' tolerance 1e-12 and compared at TOL = 1e-6 relative (1e-7 to 1e-9 for deviance,
chi-square, log-likelihood and scale), far above the rounding of either side; the NB2
log-likelihood is compared at our estimate (closed-form terms, no optimiser), never at the
point where statsmodels' optimiser stopped, which moved by 1.5e-6 between OpenBLAS core
types. Checked on 30 November 2026: this file, test_interrupted.py, test_incomplete.py,
test_joinpoint.py, test_comparability.py and test_properties.py pass with
OPENBLAS_CORETYPE=Prescott, Sandybridge, Zen and SkylakeX as well as the default (Haswell).
"""

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
from groomstats import _core, datasets
from groomstats.trends import annual_series

N_SERIES = 200
TOL = 1e-6


def _random_series(
    seed: int, seasonal: bool = False, offset: bool = False
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """200 overdispersed count series of 5-20 points: (y, X, offset)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(N_SERIES):
        n = int(rng.integers(8 if seasonal else 5, 21))
        t = np.arange(n) / (4.0 if seasonal else 1.0)
        cols = [np.ones(n), t]
        if seasonal:
            q = np.arange(n) % 4 + 1
            cols += [(q == k).astype(float) for k in (2, 3, 4)]
        x = np.column_stack(cols)
        off = np.log(rng.uniform(1e4, 1e6, n)) if offset else np.zeros(n)
        base = rng.uniform(1.5, 5.0) - (off.mean() if offset else 0.0)
        eta = base + rng.normal(0, 0.15) * t + off
        if seasonal:
            eta = eta + x[:, 2:] @ rng.normal(0, 0.2, 3)
        mu = np.exp(eta)
        a = rng.uniform(0.02, 0.4)
        y = rng.negative_binomial(1.0 / a, 1.0 / (1.0 + a * mu)).astype(float)
        if y.sum() == 0:
            y[0] = 1.0
        out.append((y, x, off))
    return out


def _batch(series: list[tuple[np.ndarray, np.ndarray, np.ndarray]], model: str) -> dict:
    y = np.concatenate([s[0] for s in series])
    x = np.ascontiguousarray(np.vstack([s[1] for s in series]))
    off = np.concatenate([s[2] for s in series])
    starts = np.concatenate([[0], np.cumsum([len(s[0]) for s in series])]).astype(np.int64)
    return _core.glm_fit(y, x, off, starts, model)


def _nb2_loglik(y: np.ndarray, x: np.ndarray, off: np.ndarray, params: np.ndarray) -> float:
    """NB2 log-likelihood without the cancellation of gammaln(y + 1/a) - gammaln(1/a) at small a.

    log Gamma(y + r) - log Gamma(r) = sum_{k<y} log(r + k), with r = 1/a, so the NB2 term is
    sum_{k<y} log1p(a k) - log y! + y log(mu) - (y + 1/a) log1p(a mu).
    """
    beta, a = params[:-1], float(params[-1])
    mu = np.exp(x @ beta + off)
    total = 0.0
    for yi, mi in zip(y, mu, strict=True):
        k = np.arange(int(yi))
        total += float(np.log1p(a * k).sum()) - math.lgamma(yi + 1.0) + yi * math.log(mi)
        total -= (yi + 1.0 / a) * math.log1p(a * mi)
    return total


def _close(mine: np.ndarray, ref: np.ndarray) -> float:
    return float(np.max(np.abs(mine - ref) / np.maximum(1.0, np.abs(ref))))


@pytest.mark.parametrize(
    ("model", "seasonal", "offset"),
    [
        ("poisson", False, False),
        ("quasipoisson", False, False),
        ("poisson", True, True),
        ("quasipoisson", True, False),
    ],
)
def test_glm_matches_statsmodels(model: str, seasonal: bool, offset: bool) -> None:
    series = _random_series(11 + seasonal + 2 * offset, seasonal, offset)
    res = _batch(series, model)
    p = series[0][1].shape[1]
    worst = 0.0
    separated = 0
    for g, (y, x, off) in enumerate(series):
        ref = sm.GLM(y, x, family=sm.families.Poisson(), offset=off).fit(
            scale="X2" if model == "quasipoisson" else None, tol=1e-12
        )
        sl = slice(g * p, (g + 1) * p)
        if res["reason"][g] is not None:
            # a quarter with zeros only: the MLE is at infinity; statsmodels drifts off too
            assert "at infinity" in res["reason"][g] and not res["converged"][g]
            assert np.max(ref.bse) > 1e3
            separated += 1
            continue
        mine = np.r_[res["coef"][sl], res["se"][sl], res["pvalue"][sl], res["z"][sl]]
        want = np.r_[ref.params, ref.bse, ref.pvalues, ref.tvalues]
        worst = max(worst, _close(mine, want))
        assert res["pearson_chi2"][g] == pytest.approx(ref.pearson_chi2, rel=1e-8)
        assert res["deviance"][g] == pytest.approx(ref.deviance, rel=1e-7, abs=1e-9)
        if model == "poisson":
            assert res["loglik"][g] == pytest.approx(ref.llf, rel=1e-9)
        else:
            assert res["scale"][g] == pytest.approx(ref.scale, rel=1e-8)
    assert worst < TOL
    assert separated <= 5


def test_negbin_matches_statsmodels_discrete_nb2() -> None:
    # half the series with a population offset (exposure)
    series = _random_series(7)[:100] + _random_series(17, offset=True)[:100]
    res = _batch(series, "negbin")
    compared = boundary = 0
    for g, (y, x, off) in enumerate(series):
        mod = NegativeBinomial(y, x, loglike_method="nb2", offset=off if off.any() else None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = mod.fit(disp=0)
            # Newton polish (statsmodels' Newton is very slow for alpha near 0: skip it there)
            ref = (
                mod.fit(start_params=start.params, method="newton", disp=0, maxiter=20)
                if start.params[-1] > 1e-4
                else start
            )
            fits = [r for r in (start, ref) if np.isfinite(r.llf) and np.isfinite(r.params).all()]
            best = max(fits, key=lambda r: r.llf)
        sl = slice(2 * g, 2 * g + 2)
        if res["alpha"][g] == 0.0:
            # the likelihood rises towards alpha = 0: we report alpha = 0 and the Poisson fit,
            # and no statsmodels optimum is better (statsmodels 0.15's fit stops at a tiny
            # alpha > 0 whose reported log-likelihood differs in the 7th digit: rounding, below)
            boundary += 1
            assert "boundary" in res["reason"][g]
            # statsmodels' own llf near alpha = 0 carries ~1e-6 of rounding (gammaln(y + 1/alpha)
            # - gammaln(1/alpha) at 1/alpha ~ 1e8), so its optimum is re-scored without cancellation
            assert _nb2_loglik(y, x, off, best.params) <= res["loglik"][g] + 1e-9
            continue
        compared += 1
        mine = np.r_[
            res["coef"][sl],
            res["alpha"][g],
            res["se"][sl],
            res["alpha_se"][g],
            res["pvalue"][sl],
        ]
        assert ref.llf >= best.llf - 1e-9  # Newton polish from the BFGS optimum
        want = np.r_[ref.params, ref.bse, ref.pvalues[:2]]
        assert _close(mine, want) < TOL, (g, mine, want)
        # The log-likelihood is checked without depending on where statsmodels' optimiser
        # stopped (that moves with the BLAS build: 1.5e-6 seen between OpenBLAS core types):
        # statsmodels' own loglike evaluated at our estimate is a sum of closed-form terms
        # (no optimiser, no matrix factorisation), equal to ours to rounding; and ours is at
        # least as high as the reference optimum, up to that optimum's own convergence (its
        # Newton step is below 1e-8, so the log-likelihood is settled far below 1e-9).
        at_ours = mod.loglike(np.r_[res["coef"][sl], res["alpha"][g]])
        assert res["loglik"][g] == pytest.approx(at_ours, rel=1e-12)
        assert res["loglik"][g] >= ref.llf - 1e-9 * abs(ref.llf)
        assert res["converged"][g]
    assert compared >= 150  # most series are overdispersed enough to have alpha > 0


def test_trend_frame_matches_statsmodels_with_exposure_and_quarters() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for force in ("Kent", "Essex", "Surrey"):
        for i in range(12):
            fy, q = 2017 + i // 4, i % 4 + 1
            pop = float(rng.integers(200_000, 400_000))
            mu = pop * 1e-4 * math.exp(0.1 * i / 4 + 0.2 * (q == 3))
            rows.append((force, f"{fy}/{(fy + 1) % 100:02d}", q, int(rng.poisson(mu)), pop))
    df = pl.DataFrame(
        rows,
        schema=["force", "financial_year", "quarter", "offences", "population"],
        orient="row",
    )
    out = groomstats.trend(
        df, by="force", quarter="quarter", seasonality=True, denominator="population"
    )
    assert out.get_column("force").to_list() == ["Essex", "Kent", "Surrey"]
    for row in out.iter_rows(named=True):
        sub = df.filter(pl.col("force") == row["force"])
        t = np.arange(12) / 4.0
        q = sub.get_column("quarter").to_numpy()
        x = np.column_stack([np.ones(12), t] + [(q == k).astype(float) for k in (2, 3, 4)])
        ref = sm.GLM(
            sub.get_column("offences").to_numpy(),
            x,
            family=sm.families.Poisson(),
            offset=np.log(sub.get_column("population").to_numpy()),
        ).fit(tol=1e-12)
        assert row["coef"] == pytest.approx(ref.params[1], rel=1e-8)
        assert row["se"] == pytest.approx(ref.bse[1], rel=1e-7)
        assert row["pvalue"] == pytest.approx(ref.pvalues[1], rel=1e-6, abs=1e-12)
        ci = ref.conf_int()[1]
        assert row["lower_95"] == pytest.approx(100 * math.expm1(ci[0]), rel=1e-6)
        assert row["upper_95"] == pytest.approx(100 * math.expm1(ci[1]), rel=1e-6)
        assert row["n"] == 12 and row["n_excluded"] == 0
        assert row["first"] == "2017/18 Q1" and row["last"] == "2019/20 Q4"


def test_nspcc_apc_by_hand() -> None:
    """England and Wales, full years, latest release: 3,217 (2017/18), 4,373 (2018/19).

    On two points the Poisson MLE passes through both, so b = ln(4373/3217) and
    APC = 100 (4373/3217 - 1) = 100 * 1156/3217 = 35.934...%, the "36%" rise NSPCC published;
    se(b) = sqrt(1/3217 + 1/4373) (log ratio of two Poisson counts).
    """
    national = datasets.nspcc_national()
    series = annual_series(national, "England and Wales")
    # the rows used: full years only (the 6- and 9-month figures are left out), the 2019
    # re-release of 2017/18 (3,217) in place of the first release (3,171)
    assert series.get_column("financial_year").to_list() == ["2017/18", "2018/19", "2020/21"]
    assert series.get_column("offences").to_list() == [3217, 4373, 5441]
    assert series.get_column("release").to_list() == ["2019-09", "2019-09", "2021-08"]
    assert series.get_column("replaced").to_list() == [["2018-06"], [], []]
    two = series.filter(pl.col("financial_year") != "2020/21")
    out = groomstats.trend(two).row(0, named=True)
    assert out["apc"] == pytest.approx(100 * 1156 / 3217, rel=1e-10)
    assert round(out["apc"], 2) == 35.93
    se = math.sqrt(1 / 3217 + 1 / 4373)
    assert out["se"] == pytest.approx(se, rel=1e-9)
    b = math.log(4373 / 3217)
    assert out["lower_95"] == pytest.approx(100 * math.expm1(b - 1.959963984540054 * se))
    assert out["dispersion"] is None  # no residual degrees of freedom on two points
    # quasi-Poisson needs a residual degree of freedom: a reason, not a crash
    q = groomstats.trend(two, model="quasipoisson").row(0, named=True)
    assert q["apc"] is None and "too few points" in q["reason"]
    # the raw file repeats 2017/18 (two releases): refused, pointing at annual_series
    ew = national.filter(pl.col("area") == "England and Wales")
    with pytest.raises(groomstats.DataFormatError, match="annual_series"):
        groomstats.trend(ew, time="period_start")


def test_nspcc_series_fit_on_shipped_data() -> None:
    uk = annual_series(datasets.nspcc_national(), "United Kingdom")
    assert uk.get_column("offences").to_list() == [3728, 6156, 6350, 7062, 7263]
    out = groomstats.trend(uk, model="quasipoisson").row(0, named=True)
    t = np.array([2017, 2021, 2022, 2023, 2024], dtype=float) - 2017
    ref = sm.GLM(
        uk.get_column("offences").to_numpy(), sm.add_constant(t), family=sm.families.Poisson()
    ).fit(scale="X2")
    assert out["coef"] == pytest.approx(ref.params[1], rel=1e-9)
    assert out["se"] == pytest.approx(ref.bse[1], rel=1e-8)
    assert (out["n"], out["first"], out["last"]) == (5, "2017/18", "2024/25")
    wales = groomstats.trend(datasets.nspcc_wales(), by="force", model="negbin")
    assert wales.get_column("force").to_list() == [
        "Dyfed-Powys",
        "Gwent",
        "North Wales",
        "South Wales",
    ]
    # Gwent 2020/21 and South Wales 2022/23 were published as n/a, Dyfed-Powys 2017/18 covers
    # six months (complete=False): counted, not fitted
    assert wales.get_column("n_excluded").to_list() == [1, 1, 0, 1]
    assert wales.get_column("n").to_list() == [6, 6, 7, 6]


def test_annual_series_never_mixes_areas() -> None:
    with pytest.raises(groomstats.GroomstatsError, match="areas present"):
        annual_series(datasets.nspcc_national(), "Wales")


def test_time_kinds_give_the_same_slope() -> None:
    y = [10, 14, 25, 30, 48]
    fy = pl.DataFrame({"financial_year": [f"{s}/{(s + 1) % 100:02d}" for s in range(2018, 2023)]})
    years = pl.DataFrame({"year": list(range(2018, 2023))})
    dates = pl.DataFrame({"date": [dt.date(s, 1, 1) for s in range(2018, 2023)]})
    a = groomstats.trend(fy.with_columns(offences=pl.Series(y)))["coef"][0]
    b = groomstats.trend(years.with_columns(offences=pl.Series(y)), time="year")["coef"][0]
    c = groomstats.trend(dates.with_columns(offences=pl.Series(y)), time="date")["coef"][0]
    ref = sm.GLM(np.array(y), sm.add_constant(np.arange(5.0)), family=sm.families.Poisson()).fit()
    assert a == pytest.approx(ref.params[1], rel=1e-9)
    assert b == pytest.approx(a, rel=1e-12)
    assert c == pytest.approx(a, rel=1e-12)


def test_pandas_input_and_missing_counts_are_counted() -> None:
    pdf = pl.DataFrame(
        {
            "force": ["Gwent"] * 4,
            "financial_year": ["2019/20", "2020/21", "2021/22", "2022/23"],
            "offences": [144, None, 26, 58],
        }
    ).to_pandas()
    out = groomstats.trend(pdf, by="force").row(0, named=True)
    assert (out["n"], out["n_excluded"]) == (3, 1)


def test_groups_with_problems_get_reasons() -> None:
    df = pl.DataFrame(
        {
            "force": ["A", "B", "B", "C", "C", "C"],
            "financial_year": ["2018/19", "2018/19", "2019/20", "2018/19", "2019/20", "2020/21"],
            "offences": [5, 0, 0, 3, -1, 4],
        }
    )
    out = groomstats.trend(df, by="force")
    reasons = dict(zip(out["force"], out["reason"], strict=True))
    assert "too few points: 1" in reasons["A"]
    assert "all counts are zero" in reasons["B"]
    assert "reclassified" in reasons["C"]
    assert out["apc"].null_count() == 3


def test_bad_input_is_refused_with_clear_messages() -> None:
    df = pl.DataFrame({"financial_year": ["2016/17", "2017/18", "2018/19"], "offences": [1, 2, 3]})
    with pytest.raises(groomstats.PeriodError, match="1 April 2017"):
        groomstats.trend(df)
    assert groomstats.trend(df, allow_series_break=True)["n"][0] == 3
    with pytest.raises(groomstats.PeriodError, match="did you mean '2017/18'"):
        groomstats.trend(df.with_columns(financial_year=pl.lit("2017/19")))
    dup = pl.DataFrame({"financial_year": ["2017/18", "2017/18"], "offences": [3171, 3217]})
    with pytest.raises(groomstats.DataFormatError, match="appears more than once"):
        groomstats.trend(dup)
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'quasipoisson'"):
        groomstats.trend(df, model="quasipoison")  # type: ignore[arg-type]
    with pytest.raises(groomstats.DataFormatError, match="missing column 'offences'"):
        groomstats.trend(df.rename({"offences": "count"}))
    with pytest.raises(groomstats.DataFormatError, match="seasonality=True needs quarters"):
        groomstats.trend(df, seasonality=True, allow_series_break=True)


def test_prc_quarters_shipped_data() -> None:
    grooming = datasets.prc().filter(pl.col("offence_code") == "88A")
    # England and Wales with British Transport Police, as published by quarter
    national = grooming.group_by("financial_year", "quarter").agg(pl.col("offences").sum())
    assert national.sort("quarter")["offences"].to_list() == [895, 942, 1242, 1365]
    prc = grooming.filter(pl.col("territorial"))
    out = groomstats.trend(national, quarter="quarter").row(0, named=True)
    t = np.arange(4) / 4.0  # quarters as fractions of a year: APC is per year
    ref = sm.GLM(
        np.array([895, 942, 1242, 1365]), sm.add_constant(t), family=sm.families.Poisson()
    ).fit()
    assert out["coef"] == pytest.approx(ref.params[1], rel=1e-9)
    assert out["apc"] == pytest.approx(100 * math.expm1(ref.params[1]), rel=1e-9)
    # one year of quarters cannot carry quarter effects and a trend: a reason, not a crash
    seasonal = groomstats.trend(national, quarter="quarter", seasonality=True).row(0, named=True)
    assert "too few points: 4" in seasonal["reason"]
    assert (seasonal["first"], seasonal["last"]) == ("2017/18 Q1", "2017/18 Q4")
    with pytest.raises(groomstats.DataFormatError, match="pass quarter='quarter'"):
        groomstats.trend(national)
    by_force = groomstats.trend(prc, by="force", quarter="quarter", model="quasipoisson")
    assert by_force.height == 43
    assert (by_force["n"] + by_force["n_excluded"]).sum() == prc.height


def test_null_group_keys_form_their_own_group() -> None:
    df = pl.DataFrame(
        {
            "force": ["b", None, "a", "b", None, "a"],
            "year": [2017, 2017, 2017, 2018, 2018, 2018],
            "offences": [5, 6, 7, 10, 9, 14],
        }
    )
    out = groomstats.trend(df, by="force", time="year")
    assert out["force"].to_list() == ["a", "b", None]
    # two points: APC is the exact percentage change
    assert [round(v, 6) for v in out["apc"]] == [100.0, 100.0, 50.0]

"""The NB2 fit's ``dispersion`` (Pearson chi-square per residual degree of freedom) against
statsmodels: the residual degrees of freedom are n - p, as statsmodels' ``NegativeBinomial``
(``df_resid``) and R's ``MASS::glm.nb`` (``df.residual``); alpha is not counted among the
parameters. (Before this test the core divided by n - p - 1.)

The reference fit is statsmodels' own maximum likelihood (BFGS, then Newton from there: the
score at its optimum is below 1e-8, so its estimates are settled far below the 1e-6 asked of
the figures here, whatever the BLAS build). The Pearson chi-square is computed from those
estimates by its closed form, sum (y - mu)^2 / (mu + alpha mu^2), and a second time by
statsmodels' GLM with the NB2 family at the reference alpha."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomial

import groomstats

# synthetic (hand-made) overdispersed annual series
Y = np.array([12, 25, 9, 30, 14, 44, 20, 61, 25, 70, 38, 90], dtype=float)


def _reference(y: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
    """statsmodels' NB2 fit: (alpha, Pearson chi-square / df_resid, GLM's pearson_chi2 /
    df_resid at that alpha)."""
    mod = NegativeBinomial(y, x, loglike_method="nb2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = mod.fit(disp=0, method="bfgs", maxiter=2000)
        ref = mod.fit(start_params=start.params, method="newton", disp=0, maxiter=50)
    assert np.abs(mod.score(ref.params)).max() < 1e-6  # at the optimum
    alpha = float(ref.params[-1])
    mu = ref.predict()
    pearson = float(((y - mu) ** 2 / (mu + alpha * mu**2)).sum())
    assert ref.df_resid == y.size - x.shape[1]  # statsmodels: n - p, alpha not counted
    glm = sm.GLM(y, x, family=sm.families.NegativeBinomial(alpha=alpha)).fit(
        start_params=ref.params[:-1], tol=1e-12
    )
    assert glm.df_resid == y.size - x.shape[1]
    return alpha, pearson / ref.df_resid, float(glm.pearson_chi2 / glm.df_resid)


def test_trend_negbin_dispersion_is_pearson_over_n_minus_p() -> None:
    n = Y.size
    years = [f"{2005 + i}/{(6 + i) % 100:02d}" for i in range(n)]  # 2005/06 .. 2016/17
    out = groomstats.trend(pl.DataFrame({"financial_year": years, "offences": Y}), model="negbin")
    row = out.row(0, named=True)
    x = np.column_stack([np.ones(n), np.arange(n, dtype=float)])
    alpha, disp, glm_disp = _reference(Y, x)
    assert disp == pytest.approx(glm_disp, rel=1e-8)  # the two references agree
    assert row["alpha"] == pytest.approx(alpha, rel=1e-6)
    assert row["dispersion"] == pytest.approx(disp, rel=1e-6)
    # the former divisor n - p - 1 would be 11% off here (10/9)
    assert row["dispersion"] != pytest.approx(disp * (n - 2) / (n - 3), rel=1e-3)


def test_interrupted_negbin_dispersion_is_pearson_over_n_minus_p() -> None:
    n = Y.size
    years = [f"{2005 + i}/{(6 + i) % 100:02d}" for i in range(n)]
    out = groomstats.interrupted(
        pl.DataFrame({"financial_year": years, "offences": Y}), at="2011-04-01", model="negbin"
    )
    row = out.row(0, named=True)
    t = np.arange(n, dtype=float)
    post = (t >= 6).astype(float)
    x = np.column_stack([np.ones(n), t, post, post * (t - 6)])
    alpha, disp, glm_disp = _reference(Y, x)
    assert disp == pytest.approx(glm_disp, rel=1e-8)
    assert (row["n_pre"], row["n_post"]) == (6, 6)
    assert row["alpha"] == pytest.approx(alpha, rel=1e-6)
    assert row["dispersion"] == pytest.approx(disp, rel=1e-6)

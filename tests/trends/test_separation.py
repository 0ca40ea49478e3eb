"""When does a log-linear count fit have a finite estimate? (separation, not small fitted counts)

The maximum likelihood estimate of a Poisson (or NB2) log-linear model is at infinity exactly
when some direction of the coefficients drives the fitted counts of some zeros to 0 and leaves
every other fitted count alone (Haberman 1974; Santner & Duffy 1986). The core decides this
from the data and the design; an extreme but finite fit such as [4410, 1, 1, 1] (fitted
counts down to 1e-5) is fitted as statsmodels fits it. The oracles here are statsmodels GLM
and an independent linear programme (scipy ``linprog``) for the existence condition.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm
from scipy.optimize import linprog

import groomstats
from groomstats import _core

TOL = 1e-6


def _series(counts: list[int]) -> pl.DataFrame:
    """A synthetic annual series 2018, 2019, ... (test data, not published figures)."""
    return pl.DataFrame({"year": list(range(2018, 2018 + len(counts))), "offences": counts})


def _statsmodels(counts: list[int], scale: str | None = None) -> object:
    t = np.arange(len(counts), dtype=float)
    glm = sm.GLM(np.asarray(counts, float), sm.add_constant(t), family=sm.families.Poisson())
    return glm.fit(scale=scale, tol=1e-12) if scale else glm.fit(tol=1e-12)


@pytest.mark.parametrize("model", ["poisson", "quasipoisson"])
@pytest.mark.parametrize("counts", [[4410, 1, 1, 1], [90_000, 40, 1, 1, 1], [1, 1, 1, 5000]])
def test_extreme_but_finite_fits_match_statsmodels(model: str, counts: list[int]) -> None:
    ref = _statsmodels(counts, "X2" if model == "quasipoisson" else None)
    out = groomstats.trend(_series(counts), time="year", model=model)
    row = out.row(0, named=True)
    assert row["converged"] is True and row["reason"] is None, row
    b, se = float(ref.params[1]), float(ref.bse[1])  # type: ignore[attr-defined]
    assert row["coef"] == pytest.approx(b, rel=TOL)
    assert row["se"] == pytest.approx(se, rel=TOL)
    assert row["apc"] == pytest.approx(100 * np.expm1(b), rel=TOL)
    assert row["lower_95"] == pytest.approx(100 * np.expm1(b - 1.959963984540054 * se), rel=TOL)
    assert row["pvalue"] == pytest.approx(float(ref.pvalues[1]), rel=TOL, abs=1e-300)  # type: ignore[attr-defined]
    # the smallest fitted count is far below 1e-8 x the mean, and that is fine
    mu = np.asarray(ref.mu)  # type: ignore[attr-defined]
    if counts == [4410, 1, 1, 1]:
        assert mu.min() < 1e-8 * np.mean(counts)
        assert round(row["apc"], 1) == -99.9


@pytest.mark.parametrize("model", ["poisson", "quasipoisson", "negbin"])
def test_zeros_at_the_start_are_separation(model: str) -> None:
    out = groomstats.trend(_series([0, 0, 0, 0, 7]), time="year", model=model)
    row = out.row(0, named=True)
    assert row["converged"] is False
    assert all(row[c] is None for c in ("apc", "lower_95", "upper_95", "pvalue", "coef", "se"))
    assert "separation" in row["reason"] and "point(s) 1-4 of 5" in row["reason"], row["reason"]
    assert "converge" in row["reason"]
    # statsmodels agrees that the estimate runs away: its fitted count at the zeros vanishes
    ref = _statsmodels([0, 0, 0, 0, 7])
    assert np.asarray(ref.mu)[:4].max() < 1e-6  # type: ignore[attr-defined]


def test_all_zero_series_is_not_fitted() -> None:
    row = groomstats.trend(_series([0, 0, 0, 0]), time="year").row(0, named=True)
    assert row["converged"] is False and row["apc"] is None
    assert "all counts are zero" in row["reason"]


def test_zeros_inside_the_series_are_fitted_like_statsmodels() -> None:
    counts = [0, 3, 0, 5, 0, 9]
    row = groomstats.trend(_series(counts), time="year").row(0, named=True)
    ref = _statsmodels(counts)
    assert row["converged"] is True and row["reason"] is None
    assert row["coef"] == pytest.approx(float(ref.params[1]), rel=TOL)  # type: ignore[attr-defined]
    assert row["se"] == pytest.approx(float(ref.bse[1]), rel=TOL)  # type: ignore[attr-defined]


def test_a_quarter_with_zeros_in_every_year_is_separation() -> None:
    quarters = [1, 2, 3, 4] * 3
    counts = [5, 6, 0, 7, 8, 6, 0, 9, 7, 10, 0, 8]
    years = [f"{y}/{(y + 1) % 100:02d}" for y in (2018, 2019, 2020) for _ in "1234"]
    df = pl.DataFrame(
        {
            "financial_year": years,
            "quarter": quarters,
            "offences": counts,
        }
    )
    sep = groomstats.trend(df, quarter="quarter", seasonality=True).row(0, named=True)
    assert sep["converged"] is False and sep["apc"] is None
    assert "point(s) 3, 7, 11 of 12" in sep["reason"], sep["reason"]
    # one count in that quarter: a finite estimate, fitted
    ok = groomstats.trend(
        df.with_columns(offences=pl.Series([*counts[:10], 1, counts[11]])),
        quarter="quarter",
        seasonality=True,
    )
    assert ok["converged"][0] is True and ok["apc"][0] is not None


def test_interrupted_zeros_before_the_break_are_separation() -> None:
    df = _series([0, 0, 0, 4, 6, 9])
    row = groomstats.interrupted(df, "2021-01-01", time="year").row(0, named=True)
    assert row["converged"] is False and row["level_change"] is None
    assert "point(s) 1-3 of 6" in row["reason"], row["reason"]


def _separated_lp(y: np.ndarray, x: np.ndarray) -> bool:
    """Independent check of the existence condition: is there d with Xd <= 0 at the zeros,
    Xd = 0 at the positive counts and Xd != 0? (maximise the push-down, capped at 1 a row)"""
    zero, pos = x[y == 0], x[y > 0]
    if len(zero) == 0:
        return False
    res = linprog(
        c=zero.sum(axis=0),  # minimise sum(Xd) over zeros = maximise -sum
        A_ub=np.vstack([zero, -zero]),
        b_ub=np.concatenate([np.zeros(len(zero)), np.ones(len(zero))]),
        A_eq=pos if len(pos) else None,
        b_eq=np.zeros(len(pos)) if len(pos) else None,
        bounds=[(None, None)] * x.shape[1],
        method="highs",
    )
    assert res.status == 0, res.message
    return bool(-res.fun > 0.5)


def _designs() -> list[np.ndarray]:
    t = np.arange(8, dtype=float)
    q = np.arange(8) % 4
    step = (t >= 4).astype(float)
    return [
        np.column_stack([np.ones(8), t]),
        np.column_stack([np.ones(8), t, *[(q == k).astype(float) for k in (1, 2, 3)]]),
        np.column_stack([np.ones(8), t, step, step * (t - 4)]),
    ]


def test_existence_agrees_with_a_linear_programme_and_fits_with_statsmodels() -> None:
    rng = np.random.default_rng(12)
    seen = {True: 0, False: 0}
    for _ in range(300):
        for x in _designs():
            n = x.shape[0]
            y = rng.poisson(rng.uniform(1, 30), n).astype(float)
            y[rng.random(n) < rng.uniform(0.2, 0.8)] = 0.0
            if y.sum() == 0:
                continue
            res = _core.glm_fit(
                y, np.ascontiguousarray(x), np.zeros(n), np.array([0, n], np.int64), "poisson"
            )
            expected = _separated_lp(y, x)
            seen[expected] += 1
            reason = res["reason"][0]
            assert (reason is not None and "separation" in reason) == expected, (y, x, reason)
            assert bool(res["converged"][0]) is not expected
            if not expected:
                ref = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
                np.testing.assert_allclose(res["coef"], ref.params, rtol=1e-5, atol=1e-6)
    # both kinds occur often enough for the comparison to mean something
    assert min(seen.values()) > 100, seen

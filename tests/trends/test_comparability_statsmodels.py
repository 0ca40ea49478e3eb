"""comparability(a, b) against an independent computation with statsmodels, on real data.

No export of the NCI Joinpoint program's pairwise comparison (parallelism / coincidence) is
available (the shared reference material holds none), so these tests work the tests out by
hand on published input data instead: the US opioid mortality rates of
tests/fixtures/joinpoint/03_opioid_rates_by_type/input.csv (provenance in that folder's README):
heroin deaths, black against white, 1999-2015 (after the ICD-10 change, so no level shift in
the window), weighted by their standard errors as the program weights rates (y^2 / se^2 on
ln y). The two series are close to parallel and to coincident (F p-values 0.06 and 0.10), so
the permutation p-values are far from 0 and 1 and the Monte Carlo comparison means something.

* K = 0 joinpoints: the two tests are ordinary nested weighted least-squares models (one line
  for both series; a common slope with an intercept per series; a line per series), so
  statsmodels' WLS and ``compare_f_test`` give the F statistic, its degrees of freedom and
  p-value exactly; and the permutation p-value is recomputed here with numpy (the null fit's
  weighted residuals permuted over the pooled observations and both models refitted), to
  agree within Monte Carlo error.
* K = 1: statsmodels WLS over every allowed joinpoint (two observations to either end)
  finds the same minimum SSEs and the same joinpoints.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

import groomstats

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "joinpoint" / "03_opioid_rates_by_type"


def _series(race: str) -> pl.DataFrame:
    data = pl.read_csv(FIX / "input.csv")
    mine = (pl.col("opioid_type") == "heroin") & (pl.col("race") == race)
    return data.filter(mine & (pl.col("year") >= 1999)).sort("year")


A, B = _series("black"), _series("white")
T = A["year"].to_numpy().astype(float)
N = len(T)
# pooled rows: series a then series b
Z = np.log(np.concatenate([A["std_rate"].to_numpy(), B["std_rate"].to_numpy()]))
W = np.concatenate(
    [(A["std_rate"] / A["sd"]).to_numpy() ** 2, (B["std_rate"] / B["sd"]).to_numpy() ** 2]
)
TP = np.concatenate([T, T])
G = np.repeat([0.0, 1.0], N)


def _design(test: str, joins_null: list[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(null, alternative) design matrices for K = 0, or the null at given joinpoints."""
    hinges = [np.maximum(TP - j, 0.0) for j in joins_null or []]
    null_cols = [np.ones(2 * N), TP - T[0], *hinges]
    if test == "parallelism":
        null_cols.append(G)
    alt = np.column_stack([np.ones(2 * N), TP - T[0], G, G * (TP - T[0])])
    return np.column_stack(null_cols), alt


@pytest.mark.parametrize("test", ["coincidence", "parallelism"])
def test_no_joinpoints_is_the_nested_wls_f_test(test: str) -> None:
    res = groomstats.comparability(
        A, B, time="year", count="std_rate", se="sd", joins=0, n_permutations=99
    )
    row = res.filter(pl.col("test") == test).row(0, named=True)
    x0, x1 = _design(test)
    null = sm.WLS(Z, x0, weights=W).fit()
    alt = sm.WLS(Z, x1, weights=W).fit()
    f, p, df_diff = alt.compare_f_test(null)
    assert row["sse_null"] == pytest.approx(null.ssr, rel=1e-10)
    assert row["sse_alternative"] == pytest.approx(alt.ssr, rel=1e-10)
    assert row["statistic"] == pytest.approx((null.ssr - alt.ssr) / alt.ssr, rel=1e-9)
    assert (row["df_num"], row["df_den"]) == (int(df_diff), int(alt.df_resid))
    assert (row["df_num"], row["df_den"]) == ((2, 30) if test == "coincidence" else (1, 30))
    assert row["f_statistic"] == pytest.approx(f, rel=1e-9)
    assert row["f_pvalue"] == pytest.approx(p, rel=1e-6, abs=1e-300)


def _permutation_pvalue(test: str, n_perm: int, seed: int) -> float:
    """The permutation test worked out with numpy: residuals of the null WLS fit (scaled by
    sqrt(w)) shuffled over the 2N pooled rows, added back to the null fitted values (unscaled),
    both models refitted; p = (1 + #{T* >= T}) / (n_perm + 1)."""
    x0, x1 = _design(test)
    sw = np.sqrt(W)

    def resid_maker(x: np.ndarray) -> np.ndarray:
        xs = x * sw[:, None]
        return np.eye(2 * N) - xs @ np.linalg.pinv(xs)

    m0, m1 = resid_maker(x0), resid_maker(x1)
    zs = Z * sw
    r0 = m0 @ zs
    stat = (r0 @ r0 - (m1 @ zs) @ (m1 @ zs)) / ((m1 @ zs) @ (m1 @ zs))
    fitted_s = zs - r0  # sqrt(w) * fitted values of the null model
    rng = np.random.default_rng(seed)
    perm = np.array([rng.permutation(r0) for _ in range(n_perm)])  # weighted residuals
    ys = fitted_s[None, :] + perm  # sqrt(w) * (fitted + e / sqrt(w))
    e0, e1 = ys @ m0.T, ys @ m1.T
    s0, s1 = np.sum(e0**2, axis=1), np.sum(e1**2, axis=1)
    stars = (s0 - s1) / s1
    return float((1 + np.sum(stars >= stat * (1 - 1e-10))) / (n_perm + 1))


def _tolerance(p: float, n_ours: int, n_theirs: int) -> float:
    """Two Monte Carlo estimates of one p-value agree within 4 standard errors."""
    p = max(p, 1.0 / n_theirs)
    return 4 * math.sqrt(p * (1 - p) * (1 / n_ours + 1 / n_theirs)) + 1.0 / n_ours


N_OURS, N_THEIRS = 4999, 20_000


@pytest.mark.parametrize("test", ["coincidence", "parallelism"])
def test_no_joinpoints_permutation_pvalue_within_monte_carlo_error(test: str) -> None:
    res = groomstats.comparability(
        A, B, time="year", count="std_rate", se="sd", joins=0, n_permutations=N_OURS, seed=11
    )
    ours = float(res.filter(pl.col("test") == test)["pvalue"][0])
    theirs = _permutation_pvalue(test, N_THEIRS, seed=12)
    assert abs(ours - theirs) <= _tolerance(theirs, N_OURS, N_THEIRS), (test, ours, theirs)


def test_the_permutation_check_can_fail() -> None:
    """The check above would catch the two tests swapped: their p-values (about 0.06 and
    0.10) differ by more than its tolerance."""
    pc = _permutation_pvalue("coincidence", N_THEIRS, seed=12)
    pp = _permutation_pvalue("parallelism", N_THEIRS, seed=12)
    assert abs(pc - pp) > _tolerance(max(pc, pp), N_OURS, N_THEIRS), (pc, pp)


def _min_wls(
    z: np.ndarray, w: np.ndarray, t: np.ndarray, cols: list[np.ndarray], times: np.ndarray
) -> tuple[float, float | None]:
    """Minimum WLS SSE (statsmodels) over one joinpoint on `times`, two to either end."""
    best: tuple[float, float | None] = (np.inf, None)
    for j in times[2:-2]:
        x = np.column_stack([np.ones_like(t), t - times[0], *cols, np.maximum(t - j, 0.0)])
        ssr = sm.WLS(z, x, weights=w).fit().ssr
        if ssr < best[0]:
            best = (ssr, float(j))
    return best


def test_one_joinpoint_minimum_sse_and_joinpoints_by_statsmodels() -> None:
    res = groomstats.comparability(
        A, B, time="year", count="std_rate", se="sd", joins=1, n_permutations=19
    )
    sa, ja = _min_wls(Z[:N], W[:N], T, [], T)
    sb, jb = _min_wls(Z[N:], W[N:], T, [], T)
    for test, cols in (("coincidence", []), ("parallelism", [G])):
        row = res.filter(pl.col("test") == test).row(0, named=True)
        s0, j0 = _min_wls(Z, W, TP, cols, T)
        assert row["sse_alternative"] == pytest.approx(sa + sb, rel=1e-9)
        assert row["sse_null"] == pytest.approx(s0, rel=1e-9)
        assert row["joinpoints_a"] == [ja] and row["joinpoints_b"] == [jb]
        assert row["joinpoints_null"] == [j0]
        df_num = 4 - (1 if test == "parallelism" else 0)  # 2 x (2K+2) - (2K+2 [+1])
        f = ((s0 - sa - sb) / df_num) / ((sa + sb) / (2 * N - 8))
        assert row["f_statistic"] == pytest.approx(f, rel=1e-8)

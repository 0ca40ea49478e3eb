"""joinpoint(): exhaustive-search reference in numpy, planted joinpoints, NCI's rules."""

from __future__ import annotations

import itertools
import math

import numpy as np
import polars as pl
import pytest
from scipy import stats

import groomstats


def _configs(n: int, k: int, min_end: int = 2, min_between: int = 2) -> list[tuple[int, ...]]:
    """NCI grid: joinpoints on data points, >= min_end points to either end and
    >= min_between points between joinpoints, the joinpoints themselves excluded."""
    out = []
    for c in itertools.combinations(range(min_end, n - min_end), k):
        if all(b - a - 1 >= min_between for a, b in itertools.pairwise(c)):
            out.append(c)
    return out


def _design(t: np.ndarray, c: tuple[int, ...]) -> np.ndarray:
    cols = [np.ones_like(t), t - t[0]] + [np.maximum(t - t[j], 0.0) for j in c]
    return np.column_stack(cols)


def _reference(t: np.ndarray, y: np.ndarray, kmax: int) -> dict[int, tuple[float, tuple]]:
    """Exhaustive search: minimum SSE of ln(y) and its joinpoints for each k."""
    ly = np.log(y)
    best = {}
    for k in range(kmax + 1):
        for c in _configs(len(t), k):
            x = _design(t, c)
            beta = np.linalg.lstsq(x, ly, rcond=None)[0]
            sse = float(np.sum((ly - x @ beta) ** 2))
            if k not in best or sse < best[k][0] - 1e-12:
                best[k] = (sse, c)
    return best


def _series(rng: np.random.Generator, n: int, joins: list[int], slopes: list[float]) -> np.ndarray:
    t = np.arange(n, dtype=float)
    eta = np.full(n, 5.0) + slopes[0] * t
    for j, (s0, s1) in zip(joins, itertools.pairwise(slopes), strict=False):
        eta += (s1 - s0) * np.maximum(t - j, 0)
    return np.exp(eta + rng.normal(0, 0.03, n))


def test_matches_exhaustive_search_reference() -> None:
    rng = np.random.default_rng(5)
    frames = []
    refs = {}
    for g in range(40):
        n = int(rng.integers(8, 21))
        y = np.exp(3 + np.cumsum(rng.normal(0.05, 0.15, n)))
        frames.append(pl.DataFrame({"g": g, "year": np.arange(2017, 2017 + n), "offences": y}))
        refs[g] = (np.arange(n, dtype=float), y)
    df = pl.concat(frames)
    res = groomstats.joinpoint(df, by="g", time="year", max_joins=3, selection="bic")
    for g, (t, y) in refs.items():
        n = len(t)
        kmax = max(k for k in range(4) if _configs(n, k) and n >= 3 * k + 3)
        ref = _reference(t, y, kmax)
        models = res.models.filter(pl.col("g") == g).sort("joinpoints")
        assert models.get_column("joinpoints").to_list() == list(range(kmax + 1))
        sse = models.get_column("sse").to_numpy()
        np.testing.assert_allclose(sse, [ref[k][0] for k in range(kmax + 1)], rtol=1e-8, atol=1e-12)
        bic = [math.log(ref[k][0] / n) + 2 * (k + 1) * math.log(n) / n for k in range(kmax + 1)]
        np.testing.assert_allclose(models.get_column("bic").to_numpy(), bic, rtol=1e-8)
        k = int(np.argmin(bic))
        row = res.aapc.filter(pl.col("g") == g).row(0, named=True)
        assert row["joinpoints"] == k
        # segments: boundaries and slopes of the joined model; standard errors as the NCI
        # program computes them: each segment fitted alone (points on joinpoints dropped), the
        # SSEs pooled over n - k - 2(k+1) degrees of freedom
        c = ref[k][1]
        x = _design(t, c)
        ly = np.log(y)
        beta = np.linalg.lstsq(x, ly, rcond=None)[0]
        df_res = n - k - 2 * (k + 1)
        bounds = [0, *c, n - 1]
        pooled, var = 0.0, []
        for m in range(k + 1):
            lo = bounds[m] + (m > 0)
            hi = bounds[m + 1] - (m < k)
            xs = np.column_stack([np.ones(hi - lo + 1), t[lo : hi + 1]])
            b = np.linalg.lstsq(xs, ly[lo : hi + 1], rcond=None)[0]
            pooled += float(np.sum((ly[lo : hi + 1] - xs @ b) ** 2))
            var.append(np.linalg.inv(xs.T @ xs)[1, 1])
        segs = res.segments.filter(pl.col("g") == g).sort("segment")
        assert segs.get_column("start").to_list() == [2017 + b for b in bounds[:-1]]
        assert segs.get_column("end").to_list() == [2017 + b for b in bounds[1:]]
        tq = stats.t.ppf(0.975, df_res)
        ses = []
        for m, srow in enumerate(segs.iter_rows(named=True)):
            cvec = np.zeros(k + 2)
            cvec[1] = 1.0
            cvec[2 : 2 + m] = 1.0
            slope, se = cvec @ beta, math.sqrt(pooled / df_res * var[m])
            ses.append(se)
            assert srow["slope"] == pytest.approx(slope, rel=1e-7, abs=1e-10)
            assert srow["se"] == pytest.approx(se, rel=1e-7)
            assert srow["apc"] == pytest.approx(100 * math.expm1(slope), rel=1e-7, abs=1e-8)
            assert srow["lower_95"] == pytest.approx(100 * math.expm1(slope - tq * se), rel=1e-7)
            p = 2 * stats.t.sf(abs(slope / se), df_res)
            assert srow["pvalue"] == pytest.approx(p, rel=1e-6, abs=1e-14)
        # AAPC over the whole series: slopes weighted by segment length, segments independent
        w = np.diff(t[bounds]) / (t[-1] - t[0])
        slope = float(np.dot(w, segs["slope"].to_numpy()))
        se = math.sqrt(float(np.sum((w * np.array(ses)) ** 2)))
        assert row["aapc"] == pytest.approx(100 * math.expm1(slope), rel=1e-7, abs=1e-8)
        q = stats.t.ppf(0.975, df_res) if k == 0 else stats.norm.ppf(0.975)
        assert row["lower_95"] == pytest.approx(100 * math.expm1(slope - q * se), rel=1e-7)
        assert row["method"] == ("t" if k == 0 else "normal")


def test_permutation_recovers_planted_joinpoints() -> None:
    rng = np.random.default_rng(8)
    frames = []
    truth = {}
    for g in range(12):
        n = int(rng.integers(12, 19))
        j = int(rng.integers(4, n - 4))
        truth[g] = j
        y = _series(rng, n, [j], [0.15, -0.1])
        frames.append(pl.DataFrame({"g": g, "year": np.arange(2017, 2017 + n), "offences": y}))
    for g in range(12, 20):  # straight lines: no joinpoint
        y = _series(rng, 15, [], [0.08])
        frames.append(pl.DataFrame({"g": g, "year": np.arange(2017, 2032), "offences": y}))
    res = groomstats.joinpoint(
        pl.concat(frames), by="g", time="year", max_joins=2, n_permutations=999, seed=1
    )
    k = dict(zip(res.aapc["g"], res.aapc["joinpoints"], strict=True))
    found = 0
    for g, j in truth.items():
        if k[g] == 1:
            segs = res.segments.filter(pl.col("g") == g).sort("segment")
            found += abs(segs["end"][0] - (2017 + j)) <= 1
    # each series may pick up a spurious extra joinpoint with probability about alpha
    assert found >= 10
    assert sum(k[g] == 0 for g in range(12, 20)) >= 7
    # the test sequence follows NCI: H0 k=0 vs H1 k=2 first, alpha split alpha / (K - k_null)
    t0 = res.tests.filter(pl.col("g") == 0)
    assert t0.row(0, named=True)["k_null"] == 0 and t0.row(0, named=True)["k_alt"] == 2
    for r in res.tests.iter_rows(named=True):
        assert r["level"] == pytest.approx(0.05 / (2 - r["k_null"]))
        assert r["reject"] == (r["pvalue"] < r["level"])
        assert 1 / 1000 <= r["pvalue"] <= 1.0


def test_permutation_is_seeded_and_reproducible() -> None:
    rng = np.random.default_rng(2)
    y = _series(rng, 14, [6], [0.05, -0.02])
    df = pl.DataFrame({"year": np.arange(2017, 2031), "offences": y})
    a = groomstats.joinpoint(df, time="year", max_joins=2, n_permutations=299, seed=7)
    b = groomstats.joinpoint(df, time="year", max_joins=2, n_permutations=299, seed=7)
    c = groomstats.joinpoint(df, time="year", max_joins=2, n_permutations=299, seed=8)
    assert a.tests.equals(b.tests)
    assert not a.tests["pvalue"].equals(c.tests["pvalue"])


def test_default_is_nci_4499_permutations_on_shipped_welsh_series() -> None:
    wales = groomstats.datasets.nspcc_wales()
    res = groomstats.joinpoint(wales, by="force")
    # 6-7 annual points allow one joinpoint (2 + 1 + 2 points, and residual df): K reduced
    assert res.aapc["max_joins_used"].to_list() == [1, 1, 1, 1]
    assert "max_joins reduced from 3 to 1" in res.aapc["reason"][0]
    # Gwent and South Wales have a year published as n/a, Dyfed-Powys a six-month 2017/18
    # (complete=False): counted as excluded
    assert res.aapc["n_excluded"].to_list() == [1, 1, 0, 1]
    # smallest attainable p-value with 4,499 permutations is 1/4500
    assert res.tests["pvalue"].min() >= 1 / 4500
    one = res.tests.filter(pl.col("force") == "North Wales").row(0, named=True)
    assert (one["k_null"], one["k_alt"]) == (0, 1)


def test_bad_input_gets_reasons_or_errors() -> None:
    df = pl.DataFrame(
        {
            "g": ["a"] * 5 + ["b"] * 2,
            "year": [2017, 2018, 2019, 2020, 2021, 2017, 2018],
            "offences": [5, 0, 7, 8, 9, 3, 4],
        }
    )
    res = groomstats.joinpoint(df, by="g", time="year")
    reasons = dict(zip(res.aapc["g"], res.aapc["reason"], strict=True))
    assert "needs positive values" in reasons["a"]
    assert "too few points: 2" in reasons["b"]
    assert res.segments.height == 0
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'bic'"):
        groomstats.joinpoint(df, time="year", selection="bci")  # type: ignore[arg-type]
    ok = df.filter(pl.col("g") == "a").with_columns(offences=pl.Series([3, 4, 5, 7, 6]))
    out = groomstats.joinpoint(ok, time="year", aapc_range=(2016, 2019))
    assert "AAPC range" in out.aapc["reason"][0] and out.aapc["aapc"][0] is None
    out = groomstats.joinpoint(ok, time="year", aapc_range=(2018, 2020), selection="bic")
    assert out.aapc.select("aapc_start", "aapc_end").row(0) == (2018, 2020)

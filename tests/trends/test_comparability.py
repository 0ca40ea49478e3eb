"""comparability(a, b): the tests of coincidence and parallelism between two joinpoint series.

The fits are checked against an independent brute force written here (numpy least squares
over every allowed joinpoint set, scipy's F distribution); the permutation p-values on
synthetic series (labelled synthetic, generated here) built to be coincident, parallel or
neither.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import polars as pl
import pytest
from scipy import stats

import groomstats
from groomstats.exceptions import GroomstatsError


def _allowed(n: int, k: int, end: int = 2, between: int = 2) -> list[tuple[int, ...]]:
    """Joinpoint index sets: `end` points to either end, `between` points between."""
    out = []
    for c in combinations(range(end, n - end), k):
        if all(c[m + 1] - c[m] > between for m in range(k - 1)):
            out.append(c)
    return out


def _min_sse(
    t: np.ndarray, z: np.ndarray, w: np.ndarray, extra: list[np.ndarray], k: int, times: np.ndarray
) -> float:
    """Minimum weighted SSE of ln values over every allowed set of k joinpoints on `times`."""
    best = np.inf
    sw = np.sqrt(w)
    for c in _allowed(len(times), k):
        cols = [np.ones_like(t), t, *extra, *[np.maximum(t - times[j], 0.0) for j in c]]
        x = np.column_stack(cols) * sw[:, None]
        beta, *_ = np.linalg.lstsq(x, z * sw, rcond=None)
        best = min(best, float(np.sum((z * sw - x @ beta) ** 2)))
    return best


def _frames(seed: int = 4):
    rng = np.random.default_rng(seed)
    years = np.arange(1996, 2012)
    i = np.arange(len(years), dtype=float)
    ra = np.exp(3.0 + 0.05 * i - 0.09 * np.maximum(i - 8, 0) + rng.normal(0, 0.03, len(i)))
    rb = np.exp(2.4 + 0.02 * i + 0.03 * np.maximum(i - 5, 0) + rng.normal(0, 0.03, len(i)))
    sa = ra * rng.uniform(0.02, 0.05, len(i))
    sb = rb * rng.uniform(0.02, 0.05, len(i))
    a = pl.DataFrame({"year": years, "rate": ra, "rate_se": sa})
    b = pl.DataFrame({"year": years, "rate": rb, "rate_se": sb})
    return a, b


@pytest.mark.parametrize("k", [0, 1, 2])
def test_statistics_against_a_brute_force_fit(k: int) -> None:
    a, b = _frames()
    res = groomstats.comparability(
        a, b, time="year", count="rate", se="rate_se", joins=k, n_permutations=99
    )
    t = a["year"].to_numpy().astype(float)
    za, zb = np.log(a["rate"].to_numpy()), np.log(b["rate"].to_numpy())
    wa = (a["rate"] / a["rate_se"]).to_numpy() ** 2  # y^2 / se^2, the program's weights
    wb = (b["rate"] / b["rate_se"]).to_numpy() ** 2
    alt = _min_sse(t, za, wa, [], k, t) + _min_sse(t, zb, wb, [], k, t)
    tp, zp, wp = (
        np.repeat(t, 2),
        np.ravel(np.column_stack([za, zb])),
        np.ravel(np.column_stack([wa, wb])),
    )
    group = np.tile([0.0, 1.0], len(t))
    n = len(t)
    for test, extra, p_null in (
        ("coincidence", [], 2 * k + 2),
        ("parallelism", [group], 2 * k + 3),
    ):
        row = res.filter(pl.col("test") == test).row(0, named=True)
        null = _min_sse(tp, zp, wp, extra, k, t)
        assert row["joins"] == k
        assert row["sse_alternative"] == pytest.approx(alt, rel=1e-9)
        assert row["sse_null"] == pytest.approx(null, rel=1e-9)
        assert row["statistic"] == pytest.approx((null - alt) / alt, rel=1e-8)
        df_num, df_den = 2 * (2 * k + 2) - p_null, 2 * n - 2 * (2 * k + 2)
        f = ((null - alt) / df_num) / (alt / df_den)
        assert (row["df_num"], row["df_den"]) == (df_num, df_den)
        assert row["f_statistic"] == pytest.approx(f, rel=1e-8)
        assert row["f_pvalue"] == pytest.approx(stats.f.sf(f, df_num, df_den), rel=1e-6)
        assert 0 < row["pvalue"] <= 1 and row["n_permutations"] == 99
        assert len(row["joinpoints_null"]) == k


def test_p_values_tell_coincident_parallel_and_crossing_series_apart() -> None:
    rng = np.random.default_rng(9)
    years = np.arange(1996, 2012)
    i = np.arange(len(years), dtype=float)
    shape = 3.0 + 0.05 * i - 0.12 * np.maximum(i - 8, 0)

    def series(shift: float, slope: float = 0.0) -> pl.DataFrame:
        z = shape + shift + slope * i + rng.normal(0, 0.02, len(i))
        return pl.DataFrame({"year": years, "offences": np.exp(z)})

    a = series(0.0)
    same, lower, steeper = series(0.0), series(-0.4), series(0.0, 0.06)
    opts = {"time": "year", "joins": 1, "n_permutations": 499, "seed": 5}

    def p(b: pl.DataFrame, test: str) -> float:
        r = groomstats.comparability(a, b, **opts)
        return float(r.filter(pl.col("test") == test)["pvalue"][0])

    assert p(same, "coincidence") > 0.05
    assert p(same, "parallelism") > 0.05
    assert p(lower, "coincidence") < 0.01
    assert p(lower, "parallelism") > 0.05
    assert p(steeper, "parallelism") < 0.01
    # seeded: the same call, the same p-values
    r1 = groomstats.comparability(a, steeper, **opts)
    r2 = groomstats.comparability(a, steeper, **opts)
    assert r1.equals(r2)


def test_default_k_is_the_larger_of_the_two_selections() -> None:
    a, b = _frames()
    opts = {"time": "year", "count": "rate", "se": "rate_se", "max_joins": 2, "n_permutations": 99}
    res = groomstats.comparability(a, b, **opts)
    ks = [int(groomstats.joinpoint(f, **opts).aapc["joinpoints"][0]) for f in (a, b)]
    assert res["k_a"].to_list() == [ks[0]] * 2 and res["k_b"].to_list() == [ks[1]] * 2
    assert res["joins"].to_list() == [max(ks)] * 2


def test_refusals() -> None:
    a, b = _frames()
    with pytest.raises(GroomstatsError, match="same times"):
        groomstats.comparability(a, b.slice(1), time="year", count="rate", joins=0)
    with pytest.raises(GroomstatsError, match="rate_se"):
        groomstats.comparability(a, b.drop("rate_se"), time="year", count="rate", se="rate_se")
    with pytest.raises(GroomstatsError, match="joins"):
        groomstats.comparability(a, b, time="year", count="rate", joins=-1)
    with pytest.raises(GroomstatsError, match=r"too few|at least"):
        groomstats.comparability(a.head(6), b.head(6), time="year", count="rate", joins=2)

"""groomstats.funnel / funnel_limits against PHStatsMethods, scipy Poisson tails, a numpy
reimplementation of the FunnelPlotR overdispersion steps, and the 2017/18 force data."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

import groomstats
from groomstats import _core

LABELS = ["High (0.001)", "High (0.025)", "Not significant", "Low (0.025)", "Low (0.001)"]


def poisson_labels(x: np.ndarray, e: np.ndarray) -> list[str]:
    """Independent truth: one-sided exact Poisson tail probabilities against the expected count."""
    hi_p = stats.poisson.sf(x - 1, e)  # P(X >= x)
    lo_p = stats.poisson.cdf(x, e)  # P(X <= x)
    out = []
    for h, lo in zip(hi_p, lo_p, strict=True):
        if h < 0.001:
            out.append("High (0.001)")
        elif h < 0.025:
            out.append("High (0.025)")
        elif lo < 0.001:
            out.append("Low (0.001)")
        elif lo < 0.025:
            out.append("Low (0.025)")
        else:
            out.append("Not significant")
    return out


def random_areas(rng: np.random.Generator, k: int, theta: float = 3.5e-4) -> pl.DataFrame:
    n = np.exp(rng.uniform(np.log(500), np.log(2e6), k)).round()
    x = rng.poisson(theta * n * rng.gamma(4.0, 0.25, k))
    return pl.DataFrame({"offences": x, "population": n.astype(np.int64)})


def test_rate_labels_match_exact_poisson_tails() -> None:
    areas = random_areas(np.random.default_rng(4429), 3_000)
    f = groomstats.funnel(areas)
    x = areas["offences"].to_numpy().astype(float)
    n = areas["population"].to_numpy().astype(float)
    national = x.sum() / n.sum()
    assert f["target"][0] == pytest.approx(national * 1e5, rel=1e-14)
    assert f["significance"].to_list() == poisson_labels(x, national * n)
    assert set(f["significance"].unique()) == set(LABELS)


def test_rate_labels_match_phstatsmethods() -> None:
    from PHStatsMethods.funnels import assign_funnel_significance

    areas = random_areas(np.random.default_rng(15), 300).to_pandas()
    areas["rate"] = areas["offences"] / areas["population"] * 1e5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = assign_funnel_significance(
            areas, "offences", "rate", "population", rate="rate", rate_type="crude",
            multiplier=100_000,
        )  # fmt: skip
    ours = groomstats.funnel(areas)
    assert ours["significance"].to_list() == ref["significance"].tolist()


def test_rate_limit_curves_match_phstatsmethods() -> None:
    from PHStatsMethods.funnels import calculate_funnel_limits

    areas = random_areas(np.random.default_rng(17), 40).to_pandas()
    areas["rate"] = areas["offences"] / areas["population"] * 1e5
    national = areas["offences"].sum() / areas["population"].sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = calculate_funnel_limits(
            areas, "offences", "rate", 100_000, denom_col="population", rate="rate",
            rate_type="crude", years_of_data=1,
        )  # fmt: skip
    # PHStatsMethods bisects to 1e-7 on a transformed scale (up to about 6e-6 relative on the
    # limits); ours solve to full precision (see test_count_limits_invert_scipy_chi2_to_1e10)
    for sigma, conf in (("2s", 0.95), ("3s", 0.998)):
        for side, k in (("lower", 0), ("upper", 1)):
            pop = t[f"{side}_{sigma}_population_1_year"].to_numpy()
            lim = _core.funnel_limits("rate", national, pop, [conf], 1e5, None)
            lows, ups = lim.lower, lim.upper
            ours = (lows, ups)[k][0]
            np.testing.assert_allclose(ours, t[f"{side}_{sigma}_limit"], rtol=1e-5)


def test_count_limits_invert_scipy_chi2_to_1e10() -> None:
    e = np.exp(np.random.default_rng(3).uniform(np.log(0.2), np.log(1e5), 2_000))
    for conf in (0.95, 0.998):
        a = 1 - conf
        cl = _core.poisson_count_limits(e, conf)
        lo, hi = cl.lower, cl.upper
        np.testing.assert_allclose(stats.chi2.ppf(a / 2, 2 * hi) / 2, e, rtol=1e-10)
        pos = lo > 0
        np.testing.assert_allclose(
            stats.chi2.ppf(1 - a / 2, 2 * lo[pos] + 2) / 2, e[pos], rtol=1e-10
        )
        # lower limit 0 exactly when even a zero count is not significantly low
        np.testing.assert_array_equal(~pos, np.exp(-e) >= a / 2)


def test_proportions_match_phstatsmethods() -> None:
    from PHStatsMethods.funnels import assign_funnel_significance, calculate_funnel_limits

    rng = np.random.default_rng(1824)
    n = rng.integers(20, 3_000, 200)
    x = rng.binomial(n, np.clip(rng.normal(0.25, 0.06, 200), 0.01, 0.99))
    df = pd.DataFrame({"x": x, "n": n})
    ref = assign_funnel_significance(df, "x", "proportion", denom_col="n")
    ours = groomstats.funnel(df, count="x", denominator="n", statistic="proportion")
    assert ours["significance"].to_list() == ref["significance"].tolist()
    t = calculate_funnel_limits(df, "x", "proportion", 100, denom_col="n")
    p0 = x.sum() / n.sum()
    grid = t["Population"].to_numpy().astype(float)
    lim = _core.funnel_limits("proportion", p0, grid, [0.95, 0.998], 100.0, None)
    lows, ups = lim.lower, lim.upper
    np.testing.assert_allclose(lows[0], t["lower_2s_limit"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ups[0], t["upper_2s_limit"], rtol=1e-9)
    np.testing.assert_allclose(lows[1], t["lower_3s_limit"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ups[1], t["upper_3s_limit"], rtol=1e-9)


def funnelplotr_reference(
    x: np.ndarray, n: np.ndarray, trim: float = 0.1
) -> tuple[float, float, float]:
    """numpy transcription of the published steps (Spiegelhalter 2005; FunnelPlotR, CQC
    square-root method): returns national rate, phi and tau2."""
    theta = x.sum() / n.sum()
    e = theta * n
    y, s = np.sqrt(x / e), 1 / (2 * np.sqrt(e))
    z = (y - 1) / s
    lz, uz = np.quantile(z, [trim, 1 - trim])  # R quantile type 7 = numpy "linear"
    zw = np.clip(z, lz, uz)
    k = len(z)
    phi = float(np.mean(zw**2))
    w = 1 / s**2
    tau2 = max(0.0, (k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return theta, phi, tau2


def test_overdispersion_matches_numpy_reference() -> None:
    areas = random_areas(np.random.default_rng(2005), 43)
    x = areas["offences"].to_numpy().astype(float)
    n = areas["population"].to_numpy().astype(float)
    theta, phi, tau2 = funnelplotr_reference(x, n)
    assert tau2 > 0
    f = groomstats.funnel(areas, overdispersion=True)
    assert f["phi"][0] == pytest.approx(phi, rel=1e-12)
    assert f["tau2"][0] == pytest.approx(tau2, rel=1e-12)
    assert f["method"][0].startswith("overdispersion-adjusted")
    for conf, sfx in ((0.95, "95"), (0.998, "99_8")):
        zc = stats.norm.ppf(0.5 + conf / 2)
        sd = np.sqrt(1 / (4 * theta * n) + tau2)
        up = theta * (1 + zc * sd) ** 2 * 1e5
        lo = theta * np.maximum(1 - zc * sd, 0) ** 2 * 1e5
        np.testing.assert_allclose(f[f"funnel_upper_{sfx}"].to_numpy(), up, rtol=1e-12)
        np.testing.assert_allclose(f[f"funnel_lower_{sfx}"].to_numpy(), lo, rtol=1e-12)
    # wider than the exact limits, so no more areas flagged
    plain = groomstats.funnel(areas)
    assert (f["funnel_upper_95"] >= plain["funnel_upper_95"] * 0.99).all()
    flagged = lambda d: (d["significance"] != "Not significant").sum()  # noqa: E731
    assert flagged(f) <= flagged(plain)


def test_no_overdispersion_keeps_exact_limits() -> None:
    n = np.full(30, 100_000)
    x = np.full(30, 40)  # identical areas: phi = 0
    df = pl.DataFrame({"offences": x, "population": n})
    f = groomstats.funnel(df, overdispersion=True)
    plain = groomstats.funnel(df)
    assert f["tau2"][0] == 0.0
    assert f["funnel_upper_95"].to_list() == plain["funnel_upper_95"].to_list()
    assert "no overdispersion" in f["method"][0]


def test_funnel_limits_curves_and_plot() -> None:
    areas = random_areas(np.random.default_rng(9), 43)
    curves = groomstats.funnel_limits(areas, points=50)
    assert curves.height == 50
    n = areas["population"].to_numpy()
    assert curves["denominator"][0] == pytest.approx(n.min() / 2)
    assert curves["denominator"][-1] == pytest.approx(n.max() * 1.1)
    d = curves["denominator"].to_numpy()
    assert (np.diff(curves["upper_95"].to_numpy()) <= 0).all()  # funnel narrows
    assert (curves["lower_99_8"] <= curves["lower_95"]).all()
    assert (curves["upper_95"] <= curves["upper_99_8"]).all()
    # the curves pass through the per-area limits at each area's denominator
    f = groomstats.funnel(areas)
    one = groomstats.funnel_limits(areas, points=2, range=(float(n[0]), float(n[0]) * 2))
    assert one["upper_99_8"][0] == pytest.approx(f["funnel_upper_99_8"][0], rel=1e-14)
    assert d.min() > 0
    f = f.with_columns(force=pl.format("Force {}", pl.int_range(pl.len())))
    fig = groomstats.plot.funnel(f, limits=curves, title="test")
    assert fig.axes


def test_unusable_rows_kept_and_explained() -> None:
    df = pl.DataFrame({"offences": [40, -1, None, 30], "population": [1e5, 1e5, 1e5, 0.0]})
    f = groomstats.funnel(df)
    assert f.height == 4
    # the one usable area is the national value itself: no label (it would be compared with
    # itself), and each unusable row names its column and value
    assert f["significance"].to_list() == [None, None, None, None]
    assert f["funnel_reason"].to_list() == [
        "the only usable area: the national value is its own, so it is compared with itself; "
        "pass target= to compare it with a value of your own",
        "negative offences (-1)",
        "missing offences",
        "population 0.0 is not a positive number",
    ]
    assert f["target"][0] == pytest.approx(40.0)


def test_bad_arguments() -> None:
    df = pl.DataFrame({"offences": [4], "population": [1000]})
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'proportion'"):
        groomstats.funnel(df, statistic="proportoin")  # type: ignore[arg-type]
    with pytest.raises(groomstats.GroomstatsError, match="no row has a usable"):
        groomstats.funnel(df.with_columns(offences=-1))
    with pytest.raises(groomstats.GroomstatsError, match="range"):
        groomstats.funnel_limits(df, range=(10.0, 1.0))
    with pytest.raises(groomstats.DataFormatError, match="missing column 'population'"):
        groomstats.funnel(df.rename({"population": "pop"}))


def test_real_2017_18_funnel_of_43_forces() -> None:
    try:
        ds = importlib.import_module("groomstats.datasets")
    except ImportError:  # pragma: no cover
        pytest.skip("groomstats.datasets not available")
    g = ds.prc().filter(
        (pl.col("offence_code") == "88A")
        & (pl.col("financial_year") == "2017/18")
        & pl.col("territorial")
    )
    r = groomstats.rates(g, ds.population(), by=["force_code", "force"])
    f = groomstats.funnel(r)
    assert f.height == 43
    # 4,429 offences for the 43 forces (2017/18) over 12,495,246 aged 0-17 in mid-2017 (ONS, as
    # first published; the district sum is checked in tests/datasets/test_population_years.py)
    assert (f["offences"].sum(), f["population"].sum()) == (4_429, 12_495_246)
    national = 4_429 / 12_495_246 * 1e5
    assert f["target"][0] == pytest.approx(national, rel=1e-14)
    x = f["offences"].cast(pl.Float64).to_numpy()
    e = national / 1e5 * f["population"].cast(pl.Float64).to_numpy()
    assert f["significance"].to_list() == poisson_labels(x, e)
    city = f.filter(pl.col("force_code") == "E23000034")
    assert city["flag"][0] is True  # flagged by rates(), carried through
    od = groomstats.funnel(r, overdispersion=True)
    _, phi, tau2 = funnelplotr_reference(x, f["population"].cast(pl.Float64).to_numpy())
    assert od["phi"][0] == pytest.approx(phi, rel=1e-12)
    assert od["tau2"][0] == pytest.approx(tau2, rel=1e-12)


# Published reference output of PHStatsMethods' own test suite (DataS-DHSC/PHStatsMethods,
# PHStatsMethods/tests/test_data/testdata_funnel_rate_outputs.csv): funnel limits for rates
# per 100,000 around a baseline of 116.1720835, three years of data. Columns: events, then
# (population per year, limit) for lower 95%, upper 95%, lower 99.8%, upper 99.8%.
PUBLISHED_RATE_FUNNEL = [
    (1, 1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525, 12.58170943,
     0.287087625, 116108.569),
    (10, 5276.757672, 63.17010446, 1375.943768, 242.2579623, 6924.776769, 48.13632908,
     849.4639547, 392.4043292),
    (99, 34583.45945, 95.42133877, 23087.10848, 142.9369123, 38382.78582, 85.97604186,
     20393.92315, 161.8129075),
    (1360, 411529.9259, 110.158048, 369759.5622, 122.6021934, 424043.2424, 106.9073359,
     358342.3275, 126.5084525),
]  # fmt: skip


def test_published_phe_rate_funnel_limits() -> None:
    national = 116.1720835 / 1e5
    years = 3
    for row in PUBLISHED_RATE_FUNNEL:
        cols = iter(row[1:])
        for conf in (0.95, 0.998):
            for k in (0, 1):  # lower, upper
                pop_per_year, limit = next(cols), next(cols)
                n = np.array([pop_per_year * years])
                lim = _core.funnel_limits("rate", national, n, [conf], 1e5, None)
                lows, ups = lim.lower, lim.upper
                ours = (lows, ups)[k][0][0]
                # published values carry 10 significant digits and a 1e-7 bisection
                assert ours == pytest.approx(limit, rel=2e-5), (row[0], conf, k)

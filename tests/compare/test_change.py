"""Comparisons between two windows: the exact rate-ratio test against scipy, and `change`."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import groomstats
from groomstats import _core, rate_ratio_test


def _scipy(k: int, n: int, p: float, alternative: str, confidence: float) -> tuple[float, ...]:
    r = stats.binomtest(k, n, p, alternative=alternative)
    ci = r.proportion_ci(confidence_level=confidence, method="exact")
    return r.pvalue, ci.low, ci.high


def _random_cases(seed: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x1 = rng.integers(0, 400, size).astype(np.float64)
    x2 = rng.integers(0, 400, size).astype(np.float64)
    # a few large, small and edge counts
    x1[:20] = rng.integers(1000, 6000, 20)
    x2[:20] = rng.integers(1000, 6000, 20)
    x1[20:30] = 0
    x2[30:40] = 0
    x1[40:60] = rng.integers(0, 6, 20)
    t1 = rng.choice([1.0, 90.0, 91.0, 92.0, 273.0, 275.0, 365.0, 366.0], size)
    t2 = rng.choice([1.0, 90.0, 91.0, 92.0, 273.0, 275.0, 365.0, 366.0], size)
    return x1, x2, t1, t2


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_rate_ratio_agrees_with_scipy_binomtest(alternative: str) -> None:
    x1, x2, t1, t2 = _random_cases(20171, 200)
    ratio = 1.3
    res = rate_ratio_test(x1, x2, t1, t2, ratio=ratio, alternative=alternative, confidence=0.95)
    checked = 0
    for i in range(len(x1)):
        k, n = int(x1[i]), int(x1[i] + x2[i])
        row = res.row(i, named=True)
        assert row["alternative"] == alternative
        if n == 0:
            assert row["pvalue"] == 1.0
            continue
        p0 = ratio * t1[i] / (ratio * t1[i] + t2[i])
        pv, plo, phi = _scipy(k, n, p0, alternative, 0.95)
        assert row["pvalue"] == pytest.approx(pv, abs=1e-10, rel=0), (k, n, p0)

        # The interval for R maps back to the conditional binomial's p = R t1 / (R t1 + t2):
        # compared there to 1e-10 (near p = 1 the map to R amplifies scipy's own root-finding
        # tolerance, xtol=2e-12, beyond any fixed relative tolerance on R).
        def to_p(r: float, i: int = i) -> float:
            return 1.0 if r == np.inf else r * t1[i] / (r * t1[i] + t2[i])

        assert to_p(row["lower_95"]) == pytest.approx(plo, abs=1e-10, rel=0), (k, n)
        assert to_p(row["upper_95"]) == pytest.approx(phi, abs=1e-10, rel=0), (k, n)
        if 0 < plo and phi < 1:
            assert row["lower_95"] == pytest.approx(plo * t2[i] / ((1 - plo) * t1[i]), rel=1e-6)
            assert row["upper_95"] == pytest.approx(phi * t2[i] / ((1 - phi) * t1[i]), rel=1e-6)
        if x2[i] > 0:
            assert row["statistic"] == pytest.approx((x1[i] / t1[i]) / (x2[i] / t2[i]), rel=1e-14)
        checked += 1
    assert checked > 180


def test_binomial_kernel_agrees_with_scipy_on_the_p_scale() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(1, 3000, 300)
    k = np.array([rng.integers(0, m + 1) for m in n])
    p = rng.uniform(0.01, 0.99, 300)
    p[:30] = 0.5
    for conf in (0.95, 0.998):
        bt = _core.binom_test(k, n, p, "two-sided", conf)
        pv, lo, hi = bt.pvalue, bt.lower, bt.upper
        for i in range(len(n)):
            want = _scipy(int(k[i]), int(n[i]), float(p[i]), "two-sided", conf)
            assert pv[i] == pytest.approx(want[0], abs=1e-10, rel=0)
            assert lo[i] == pytest.approx(want[1], abs=1e-10, rel=0)
            assert hi[i] == pytest.approx(want[2], abs=1e-10, rel=0)


def test_binomial_kernel_large_counts() -> None:
    """Counts in the hundreds of thousands (all offences of a large force): statrs' own
    incomplete beta stops early there; ours must still agree with scipy to 1e-10."""
    rng = np.random.default_rng(11)
    n = rng.integers(100_000, 3_000_000, 40)
    spread = rng.normal(size=40) * np.sqrt(n) * rng.uniform(0, 4, 40) / 2
    k = np.clip((n / 2 + spread).astype(np.int64), 0, n)
    p = rng.choice([0.5, 0.3, 0.7, 0.4998], 40)
    bt = _core.binom_test(k, n, p, "two-sided", 0.95)
    pv, lo, hi = bt.pvalue, bt.lower, bt.upper
    for i in range(len(n)):
        want = _scipy(int(k[i]), int(n[i]), float(p[i]), "two-sided", 0.95)
        assert pv[i] == pytest.approx(want[0], abs=1e-10, rel=0), (k[i], n[i], p[i])
        assert lo[i] == pytest.approx(want[1], abs=1e-10, rel=0)
        assert hi[i] == pytest.approx(want[2], abs=1e-10, rel=0)


def test_rate_ratio_bad_input_is_null_or_refused() -> None:
    res = rate_ratio_test([float("nan"), 3], [4, 0])
    assert res["pvalue"].to_list()[0] is None  # a missing count: a null row
    assert res["statistic"].to_list()[1] == np.inf
    with pytest.raises(groomstats.DataFormatError, match=r"x1, row 1: 2\.5 is not a count"):
        rate_ratio_test([3, 2.5], [4, 4])
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'two-sided'"):
        rate_ratio_test([1], [2], alternative="two_sided")  # type: ignore[arg-type]
    with pytest.raises(groomstats.GroomstatsError, match="confidence"):
        rate_ratio_test([1], [2], confidence=95)


# ---------------------------------------------------------------------------------------------
# change() on frames built by hand
# ---------------------------------------------------------------------------------------------

from datetime import date  # noqa: E402

import polars as pl  # noqa: E402

from groomstats import PeriodError, SeriesBreakWarning, change, totals  # noqa: E402


def annual(rows: list[tuple[str, str, int | None]]) -> pl.DataFrame:
    """force, financial year, offences -> a frame with period_start / period_end."""
    out = []
    for force, fy, v in rows:
        p = groomstats.Period.parse(fy)
        out.append({"force": force, "period_start": p.start, "period_end": p.end, "offences": v})
    return pl.DataFrame(out, schema_overrides={"offences": pl.Int64})


def test_change_columns_and_national_sum() -> None:
    df = annual(
        [
            ("A", "2017/18", 100),
            ("A", "2018/19", 150),
            ("B", "2017/18", 200),
            ("B", "2018/19", 210),
            ("British Transport Police", "2017/18", 5),
            ("British Transport Police", "2018/19", 50),
        ]
    )
    c = change(df, current="2018/19", by="force")
    a = c.filter(pl.col("force") == "A").row(0, named=True)
    assert (a["current_period"], a["baseline_period"]) == ("2018/19", "2017/18")
    assert (a["current"], a["baseline"], a["change"]) == (150, 100, 50)
    assert a["pct_change"] == pytest.approx(50.0)
    # BTP is not in the national sum unless asked for
    assert (a["national_current"], a["national_baseline"], a["national_areas"]) == (360, 300, 2)
    assert a["national_pct_change"] == pytest.approx(20.0)
    assert a["ratio_to_national"] == pytest.approx(2.5)
    assert "excluding BTP" in a["national_source"]
    # exposures: 365 days in both years
    want = stats.binomtest(150, 250, 0.5)
    assert a["pvalue"] == pytest.approx(want.pvalue, abs=1e-12)
    assert a["statistic"] == pytest.approx(1.5)
    ci = want.proportion_ci(0.95)
    assert a["lower_95"] == pytest.approx(ci.low / (1 - ci.low), rel=1e-9)
    c = change(df, current="2018/19", by="force", include_btp=True)
    assert c["national_current"][0] == 410


def test_comparable_only_restricts_national_sum() -> None:
    df = annual(
        [
            ("A", "2017/18", 100),
            ("A", "2018/19", 150),
            ("B", "2017/18", None),
            ("B", "2018/19", 210),
            ("C", "2018/19", 30),
        ]
    )
    c = change(df, current="2018/19", by="force", comparable_only=True)
    assert c["national_current"].unique().to_list() == [150]
    assert c["national_pct_change"][0] == pytest.approx(50.0)
    assert c["national_areas"][0] == 1
    b = c.filter(pl.col("force") == "B").row(0, named=True)
    assert b["baseline"] is None and b["pct_change"] is None and b["pvalue"] is None
    left_out = "the comparator is like-for-like: it leaves out B, C (no count in both windows)"
    assert b["note"] == f"no data in the baseline window; {left_out}"
    assert (
        c.filter(pl.col("force") == "A")["note"].item()
        == f"the comparator (1 force: A) is this row itself: no comparison; {left_out}"
    )
    assert not b["baseline_complete"]
    # like-for-like is the default; comparable_only=False sums every area with a count
    assert change(df, current="2018/19", by="force").equals(c)
    c = change(df, current="2018/19", by="force", comparable_only=False)
    assert c["national_current"][0] == 390 and c["national_baseline"][0] == 100
    with pytest.raises(groomstats.GroomstatsError, match="comparable_only"):
        change(df, current="2018/19", comparable_only=True, national=df)


def test_national_frame_and_per_offence_code() -> None:
    df = annual([("A", "2017/18", 10), ("A", "2018/19", 30)])
    nat = pl.DataFrame(
        {
            "area": ["England and Wales"] * 2,
            "period_start": [date(2017, 4, 3), date(2018, 4, 1)],
            "period_end": [date(2018, 3, 31), date(2019, 3, 31)],
            "offences": [1000, 1500],
        }
    )
    c = change(df, current="2018/19", national=nat).row(0, named=True)
    assert (c["national_current"], c["national_baseline"]) == (1500, 1000)
    assert c["ratio_to_national"] == pytest.approx(200.0 / 50.0)
    assert c["national_source"] == "national frame (England and Wales)"
    two = pl.concat([nat, nat.with_columns(pl.lit("United Kingdom").alias("area"))])
    with pytest.raises(groomstats.DataFormatError, match="several areas"):
        change(df, current="2018/19", national=two)
    codes = pl.concat(
        [
            df.with_columns(pl.lit("88A").alias("offence_code")),
            df.with_columns(pl.lit("88E").alias("offence_code"), pl.col("offences") * 2),
            annual([("B", "2017/18", 5), ("B", "2018/19", 5)]).with_columns(
                pl.lit("88E").alias("offence_code")
            ),
        ]
    )
    c = change(codes, current="2018/19", by=["force", "offence_code"])
    nat_by_code = dict(zip(c["offence_code"], c["national_current"], strict=True))
    assert nat_by_code == {"88A": 30, "88E": 65}


def test_national_sums_over_every_area_column() -> None:
    prc = groomstats.grooming(groomstats.datasets.prc())
    c = change(
        prc,
        current="2017/18 Q3..2017/18 Q4",
        baseline="2017/18 Q1..2017/18 Q2",
        by=["region", "force"],
    )
    # one national figure (43 territorial forces), not one per region
    # Q3 + Q4 for England and Wales less British Transport Police (7 + 2)
    assert c["national_current"].unique().to_list() == [1242 + 1365 - 9]
    assert c["national_areas"].unique().to_list() == [43]


def test_series_break_refused_unless_allowed() -> None:
    df = annual([("A", "2016/17", 5), ("A", "2017/18", 33)])
    with pytest.raises(PeriodError, match="2017-04-01 break in offence 88A"):
        change(df, current="2017/18")
    with pytest.warns(SeriesBreakWarning):
        c = change(df, current="2017/18", allow_series_break=True)
    assert (c["current"][0], c["baseline"][0]) == (33, 5)
    # a frame that says it holds no 88A is not affected
    other = df.with_columns(pl.lit("88E").alias("offence_code"))
    assert change(other, current="2017/18")["current"][0] == 33


def test_bad_windows() -> None:
    df = annual([("A", "2017/18", 5), ("A", "2018/19", 33)])
    with pytest.raises(PeriodError, match="overlap"):
        change(df, current="2018/19", baseline="2018-01-01..2018-12-31")
    with pytest.raises(PeriodError, match="'2018/20'"):
        change(df, current="2018/20")
    with pytest.raises(PeriodError, match="cuts through"):
        change(df, current="2018/19 Q1..2018/19 Q3")
    with pytest.raises(groomstats.GroomstatsError, match="alternative"):
        change(df, current="2018/19", alternative="both")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# change() on the embedded published figures
# ---------------------------------------------------------------------------------------------


def _news_long() -> pl.DataFrame:
    """news_force_figures holds each figure with its comparison in one row: make it long."""
    news = groomstats.datasets.news_figures()
    cur = news.select("force", "measure", "period_start", "period_end", "offences")
    base = news.filter(pl.col("comparison_offences").is_not_null()).select(
        "force",
        "measure",
        pl.col("comparison_period_start").alias("period_start"),
        pl.col("comparison_period_end").alias("period_end"),
        pl.col("comparison_offences").alias("offences"),
    )
    return pl.concat([cur, base])


def test_thames_valley_almost_four_times_the_national_rate() -> None:
    """'Thames Valley recorded 274 offences in the year to April 2019 against 114 the year
    before, up 140%: almost four times the national rate of increase (36%: 4,373 against
    3,217).'"""
    tv = _news_long().filter(
        (pl.col("force") == "Thames Valley") & (pl.col("measure") == "nspcc_scwc_s15a")
    )
    nat = groomstats.datasets.nspcc_national().filter(
        (pl.col("area") == "England and Wales") & (pl.col("release") == "2019-09")
    )
    # NSPCC's "year to April 2019" is 2018/19; the phrase itself has two readings (periods.py)
    c = change(tv, current="2018/19", national=nat).row(0, named=True)
    assert (c["current_period"], c["baseline_period"]) == ("2018/19", "2017/18")
    assert (c["current"], c["baseline"], c["change"]) == (274, 114, 160)
    assert round(c["pct_change"], 1) == 140.4
    assert (c["national_current"], c["national_baseline"]) == (4373, 3217)
    assert round(c["national_pct_change"], 1) == 35.9
    assert round(c["ratio_to_national"], 1) == 3.9
    # s.15A began on 3 April 2017: the baseline year lacks two days, and says so.
    assert c["current_complete"] and not c["baseline_complete"]
    assert c["note"] == (
        "incomplete window: 2017/18: 2 day(s) without figures (totals() gives the coverage)"
    )
    # exposures 365 and 365 days: the conditional binomial has p = 1/2
    want = stats.binomtest(274, 388, 0.5)
    assert c["pvalue"] == pytest.approx(want.pvalue, rel=1e-9)
    # mixing releases is refused
    both = groomstats.datasets.nspcc_national().filter(
        (pl.col("area") == "England and Wales")
        & (pl.col("period_end").dt.month() == 3)
        & (pl.col("period_end").dt.year().is_in([2018, 2019]))
    )
    assert both["offences"].sort().to_list() == [3171, 3217, 4373]
    with pytest.raises(groomstats.DataFormatError, match="several releases"):
        change(tv, current="2018/19", national=both)


def test_northamptonshire_33_against_5_crosses_the_series_break() -> None:
    """'33 cases in Northamptonshire in April-December 2017, up from 5 in the same period a
    year before': the comparison crosses the 88A series break, so it is refused unless asked."""
    nh = _news_long().filter(
        (pl.col("force") == "Northamptonshire") & (pl.col("measure") == "home_office_88a")
    )
    with pytest.raises(PeriodError, match="break in offence 88A"):
        change(nh, current="April to December 2017")
    with pytest.warns(SeriesBreakWarning):
        c = change(nh, current="April to December 2017", allow_series_break=True)
    assert (c["current"][0], c["baseline"][0]) == (33, 5)
    assert c["baseline_period"][0] == "2016-04-01..2016-12-31"


def test_change_over_the_prc_table() -> None:
    prc = groomstats.datasets.prc()
    c = change(
        prc,
        current="2017/18 Q3..2017/18 Q4",
        baseline="2017/18 Q1..2017/18 Q2",
        by=["force", "offence_code"],
    )
    g = groomstats.grooming(prc)
    h2 = totals(g, by=None, window="2017/18 Q3..2017/18 Q4")["offences"].item()
    h1 = totals(g, by=None, window="2017/18 Q1..2017/18 Q2")["offences"].item()
    assert (h1, h2) == (895 + 942, 1242 + 1365)
    g88 = c.filter(pl.col("offence_code") == "88A")
    # the national sum covers the 43 territorial forces, not BTP
    assert (
        g88["national_current"][0]
        == h2
        - totals(
            g.filter(pl.col("force") == "British Transport Police"),
            by=None,
            window="2017/18 Q3..2017/18 Q4",
        )["offences"].item()
    )
    assert g88["national_areas"][0] == 43

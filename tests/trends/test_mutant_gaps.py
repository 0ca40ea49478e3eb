"""Gaps found by mutation testing of trends/ (mutants/py_mutants.py --module trends): options
and defaults whose effect no other test asserted, each against an independent answer (the
Joinpoint program's documented defaults, the Monte Carlo p-value formula, hand-worked counts).
All data here are synthetic, made by hand."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

import groomstats
from groomstats.exceptions import DataFormatError, GroomstatsError, PeriodError
from groomstats.trends._series import _time_to_date

# a steep rise then a fall: every permutation test rejects with no permuted statistic as large
STEEP = pl.DataFrame(
    {
        "year": list(range(2000, 2016)),
        "offences": [
            *(100, 121, 146, 177, 214, 259, 246, 234),
            *(223, 211, 201, 191, 185, 180, 170, 166),
        ],
    }
)


def test_default_number_of_permutations_is_the_programs_4499() -> None:
    # The documented default is the Joinpoint program's, 4,499 permutations (joinpoint()'s
    # docstring: "program defaults 4,499"), and a Monte Carlo p-value is (b + 1) / (B + 1)
    # for b of B permuted statistics at least as large (Phipson & Smyth 2010), so with none
    # as large the smallest p-value is 1 / 4500: the default is visible in the output, not
    # only in the signature.
    default = inspect.signature(groomstats.joinpoint).parameters["n_permutations"].default
    assert default == 4499
    res = groomstats.joinpoint(STEEP, time="year", max_joins=2)
    assert res.tests.height == 2
    assert res.tests["pvalue"].to_list() == pytest.approx([1 / 4500] * 2, rel=1e-12)
    assert res.tests["reject"].to_list() == [True, True]
    # and the option is passed on: 99 permutations give 1 / 100
    res99 = groomstats.joinpoint(STEEP, time="year", max_joins=2, n_permutations=99)
    assert res99.tests["pvalue"].to_list() == pytest.approx([0.01] * 2, rel=1e-12)


def test_ten_resamples_is_the_least_accepted() -> None:
    # documented: n_resamples must be an integer >= 10
    res = groomstats.joinpoint(
        STEEP, time="year", max_joins=1, selection="bic", ci="empirical", n_resamples=10
    )
    seg = res.segments
    assert seg.height == 2
    assert (seg["lower_95"] <= seg["apc"]).all() and (seg["apc"] <= seg["upper_95"]).all()
    with pytest.raises(GroomstatsError, match=r"n_resamples must be an integer >= 10, got 9"):
        groomstats.joinpoint(
            STEEP, time="year", max_joins=1, selection="bic", ci="empirical", n_resamples=9
        )


def test_interrupted_counts_periods_in_integers() -> None:
    # two groups by hand: A has 3 years before 1 April 2012 and 3 from it; B has 4 before and
    # only 1 from it, too few to estimate the trend after, said in whole numbers
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2008, 2015)]  # 2008/09 .. 2014/15
    df = pl.DataFrame(
        {
            "g": ["A"] * 6 + ["B"] * 5,
            "financial_year": years[1:] + years[:5],
            "offences": [40, 44, 47, 60, 63, 70, 30, 33, 35, 38, 50],  # A then B
        }
    )
    out = groomstats.interrupted(df, at="2012-04-01", by="g").sort("g")
    assert out.schema["n_pre"] == pl.Int64
    assert out.schema["n_post"] == pl.Int64
    assert out["n_pre"].to_list() == [3, 4]
    assert out["n_post"].to_list() == [3, 1]
    assert out["reason"][1] == (
        "needs at least 2 periods before 2012-04-01 and 2 from it (to estimate both trends), "
        "got 4 and 1"
    )
    assert out["level_change"][1] is None  # not fitted: missing, not zero


def test_the_first_bad_financial_year_named_is_the_first_bad_row() -> None:
    # rows 0-2 fine, then 100 distinct spellings that skip a year, the first at row 3
    bad = [f"{y}/{(y + 2) % 100:02d}" for y in range(1990, 2090)]
    df = pl.DataFrame(
        {"financial_year": ["2010/11", "2011/12", "2012/13", *bad], "offences": list(range(103))}
    )
    with pytest.raises(
        PeriodError,
        match=r"^column 'financial_year', row 3: '1990/92' does not name consecutive years "
        r"\(did you mean '1990/91'\?\)$",
    ):
        groomstats.trend(df)


def _monthly(first: dt.date, months: int) -> pl.DataFrame:
    dates = [
        dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(months)
    ]
    return pl.DataFrame({"month": dates, "offences": [20 + i for i in range(months)]})


def test_a_series_of_dates_is_refused_across_1_april_2017_and_only_then() -> None:
    # monthly dates: April 2016 .. March 2017 (12 months) lies before the break; October
    # 2016 .. September 2017 crosses it; April 2017 .. March 2018 lies after it
    for first, crosses in ((dt.date(2016, 4, 1), False), (dt.date(2016, 10, 1), True)):
        df = _monthly(first, 12)
        if crosses:
            with pytest.raises(PeriodError, match="crosses 1 April 2017"):
                groomstats.trend(df, time="month")
            out = groomstats.trend(df, time="month", allow_series_break=True)
        else:
            out = groomstats.trend(df, time="month")
        assert out["n"].to_list() == [12]
    out = groomstats.trend(_monthly(dt.date(2017, 4, 1), 12), time="month")
    assert out["n"].to_list() == [12]


@pytest.mark.parametrize(
    ("v", "kind", "start"),
    [
        # financial years and their quarters (Q1 = April-June): 2016/17 Q1 .. Q4
        (2016.0, "financial_year", dt.date(2016, 4, 1)),
        (2016.25, "financial_year", dt.date(2016, 7, 1)),
        (2016.5, "financial_year", dt.date(2016, 10, 1)),
        (2016.75, "financial_year", dt.date(2017, 1, 1)),
        (2017.75, "year", dt.date(2018, 1, 1)),
        # dates as decimal years: day-of-year / days in the year
        (2017.0, "date", dt.date(2017, 1, 1)),
        (2017 + 151 / 365, "date", dt.date(2017, 6, 1)),
        (2016 + 152 / 366, "date", dt.date(2016, 6, 1)),  # leap year
    ],
)
def test_period_start_of_a_time_value(v: float, kind: str, start: dt.date) -> None:
    # the start date the series-break rule is applied to, worked by hand
    assert _time_to_date(v, kind) == start


def test_a_non_positive_denominator_is_refused_naming_the_first_such_row() -> None:
    # rows 2 (zero) and 4 (negative) cannot be a log offset; a blank one is a missing row
    df = pl.DataFrame(
        {
            "financial_year": [f"{y}/{(y + 1) % 100:02d}" for y in range(2010, 2016)],
            "offences": [10, 12, 14, 15, 17, 20],
            "population": [1000.0, None, 0.0, 1200.0, -5.0, 1300.0],
        }
    )
    with pytest.raises(
        DataFormatError,
        match=r"^trend: column 'population', row 2: denominator 0\.0 must be positive ",
    ):
        groomstats.trend(df, denominator="population")
    ok = df.with_columns(pl.col("population").abs() + 1.0)
    out = groomstats.trend(ok, denominator="population")
    assert (out["n"].to_list(), out["n_excluded"].to_list()) == ([5], [1])  # the blank row


def test_aapc_range_outside_a_groups_series_gives_no_range_labels() -> None:
    # A covers 2000-2015, B only 2000-2010. An AAPC range reaching past B's last year has no
    # AAPC for B, so B shows no range either (it showed 2005-2010, a range never asked for,
    # beside a missing AAPC); a range within both series is shown for both, its ends included
    rise_fall = [100, 121, 146, 177, 214, 259, 246, 234, 223, 211, 201, 191, 185, 180, 170, 166]
    df = pl.DataFrame(
        {
            "g": ["A"] * 16 + ["B"] * 11,
            "year": [*range(2000, 2016), *range(2000, 2011)],
            "offences": rise_fall + rise_fall[:11],
        }
    )

    def run(lo: int | None, hi: int | None) -> dict[str, tuple[object, ...]]:
        res = groomstats.joinpoint(
            df,
            by="g",
            time="year",
            max_joins=1,
            selection="bic",
            aapc_range=None if lo is None or hi is None else (lo, hi),
        )
        cols = ("aapc_start", "aapc_end", "aapc", "reason")
        return {r["g"]: tuple(r[c] for c in cols) for r in res.aapc.iter_rows(named=True)}

    past = run(2005, 2015)
    assert past["A"][:2] == (2005, 2015) and past["A"][2] is not None and past["A"][3] is None
    assert past["B"][:3] == (None, None, None)
    assert "AAPC range 2005..2015 must lie within the series 2000..2010" in str(past["B"][3])
    whole = run(2000, 2010)
    assert [whole[g][:2] for g in "AB"] == [(2000, 2010), (2000, 2010)]
    assert whole["A"][2] is not None and whole["B"][2] is not None
    series = run(None, None)  # default: the whole of each series
    assert [series[g][:2] for g in "AB"] == [(2000, 2015), (2000, 2010)]
    empty = run(2005, 2005)
    assert [empty[g][:3] for g in "AB"] == [(None, None, None)] * 2


def test_empirical_intervals_default_to_1000_resamples() -> None:
    # the documented default (n_resamples=1000) is the one used: the limits with no
    # n_resamples are those of an explicit 1000 at the same seed, and differ from 999's
    sig = inspect.signature(groomstats.joinpoint).parameters
    assert sig["n_resamples"].default == 1000
    kw: dict[str, Any] = {"time": "year", "max_joins": 1, "selection": "bic", "ci": "empirical"}
    dflt = groomstats.joinpoint(STEEP, **kw).aapc
    r1000 = groomstats.joinpoint(STEEP, n_resamples=1000, **kw).aapc
    r999 = groomstats.joinpoint(STEEP, n_resamples=999, **kw).aapc
    lims = ["lower_95", "upper_95"]
    assert dflt.select(lims).row(0) == r1000.select(lims).row(0)
    assert dflt.select(lims).row(0) != r999.select(lims).row(0)


def test_the_seed_is_passed_on_whole() -> None:
    # a borderline series (permutation p-value well above its floor of 1 / 100): the seed
    # moves the p-value, the same seed repeats it, and a negative seed is taken modulo 2^64
    # (two's complement: -1 is the seed 2^64 - 1)
    rng = np.random.default_rng(5)  # synthetic
    y = np.exp(0.02 * np.arange(14) + rng.normal(0, 0.08, 14)) * 100
    df = pl.DataFrame({"year": list(range(2000, 2014)), "offences": y})

    def p(seed: int) -> list[float]:
        res = groomstats.joinpoint(df, time="year", max_joins=1, n_permutations=99, seed=seed)
        return list(res.tests["pvalue"])

    p1, p2 = p(1), p(2)
    assert all(0.05 < v < 1 for v in p1 + p2)
    assert p1 != p2
    assert p(1) == p1
    assert p(-1) == p(2**64 - 1)


def test_joinpoint_refuses_a_non_positive_denominator_or_se_naming_the_first_row() -> None:
    n = len(STEEP)
    pop = [1000.0] * n
    pop[2], pop[4] = 0.0, -5.0
    df = STEEP.with_columns(pl.Series("population", pop), pl.Series("se", pop))
    with pytest.raises(
        DataFormatError,
        match=r"^joinpoint: column 'population', row 2: denominator 0\.0 must be positive$",
    ):
        groomstats.joinpoint(df, time="year", denominator="population", selection="bic")
    with pytest.raises(
        DataFormatError,
        match=r"^joinpoint: column 'se', row 2: standard error 0\.0 must be positive$",
    ):
        groomstats.joinpoint(df, time="year", se="se", selection="bic")
    # a small standard error is a positive one (rates per 100,000 have them below 1)
    small = STEEP.with_columns(pl.lit(0.5).alias("se"))
    assert groomstats.joinpoint(small, time="year", se="se", selection="bic").aapc.height == 1


def test_joinpoint_text_columns_are_text_even_when_all_missing() -> None:
    # the AAPC table's method and reason are String whatever the data: all null when every
    # group is fine (reason) or none could be fitted (method), not polars' Null type
    fine = groomstats.joinpoint(STEEP, time="year", max_joins=1, selection="bic").aapc
    assert fine["reason"].to_list() == [None]
    assert fine.schema["reason"] == pl.String
    assert fine["method"].to_list() == ["normal"]  # across two segments
    short = pl.DataFrame({"g": ["a", "a", "b", "b"], "year": [2001, 2002] * 2, "offences": [5] * 4})
    none = groomstats.joinpoint(short, by="g", time="year").aapc
    assert none["method"].to_list() == [None, None]
    assert none.schema["method"] == pl.String
    assert all("too few points: 2" in r for r in none["reason"])


def test_no_joinpoint_leaves_an_empty_table_typed_as_the_time_column() -> None:
    # a straight line: no joinpoint; the joinpoints table is empty but its location and
    # limits keep the time column's type (years Int64, financial years String), so it can be
    # concatenated with another run's
    line = pl.DataFrame(
        {"year": list(range(2000, 2012)), "offences": [100 + 5 * i for i in range(12)]}
    )
    fy = line.select(
        pl.format("{}/{}", pl.col("year"), (pl.col("year") + 1).cast(pl.String).str.slice(2)).alias(
            "financial_year"
        ),
        "offences",
    )
    for df, time, dtype in ((line, "year", pl.Int64), (fy, "financial_year", pl.String)):
        res = groomstats.joinpoint(df, time=time, max_joins=0, selection="bic")
        assert res.joinpoints.height == 0
        assert [res.joinpoints.schema[c] for c in ("location", "lower_95", "upper_95")] == [
            dtype
        ] * 3


def test_interrupted_with_no_count_at_all_says_so_and_fits_nothing() -> None:
    # every count blank: one row, nothing fitted, every period listed as left out
    df = pl.DataFrame(
        {"financial_year": ["2009/10", "2010/11", "2011/12", "2012/13"], "offences": [None] * 4},
        schema_overrides={"offences": pl.Int64},
    )
    row = groomstats.interrupted(df, at="2011-04-01").row(0, named=True)
    assert (row["n"], row["n_pre"], row["n_post"]) == (0, 0, 0)
    assert row["level_change"] is None and row["slope_change"] is None
    assert row["reason"].endswith("got 0 and 0")
    assert row["left_out"] == (
        "2009/10: count missing; 2010/11: count missing; 2011/12: count missing; "
        "2012/13: count missing"
    )


def _two_series() -> tuple[pl.DataFrame, pl.DataFrame]:
    # synthetic: two noisy series of a similar shape, so both tests' permutation p-values
    # sit well inside (1 / 100, 1)
    rng = np.random.default_rng(11)
    t = np.arange(16)
    shape = 0.04 * t - 0.06 * np.maximum(t - 8, 0)
    ya = np.round(np.exp(4 + shape + rng.normal(0, 0.06, 16)))
    yb = np.round(np.exp(4.02 + 1.1 * shape + rng.normal(0, 0.06, 16)))
    years = list(range(1995, 2011))
    return pl.DataFrame({"year": years, "offences": ya}), pl.DataFrame(
        {"year": years, "offences": yb}
    )


def test_comparability_passes_the_seed_on_whole() -> None:
    a, b = _two_series()

    def p(seed: int) -> list[float]:
        res = groomstats.comparability(a, b, time="year", joins=1, n_permutations=99, seed=seed)
        return list(res["pvalue"])

    p1, p2 = p(1), p(2)
    assert all(0.01 < v < 1 for v in p1 + p2), (p1, p2)
    assert p1 != p2
    assert p(1) == p1
    assert p(-1) == p(2**64 - 1)  # modulo 2^64


def test_comparability_takes_whole_and_decimal_counts_alike() -> None:
    # a's counts as integers, b's as floats: the columns are reconciled, not refused, and
    # the numbers are those of two float columns
    a, b = _two_series()
    kw: dict[str, Any] = {"time": "year", "joins": 1, "n_permutations": 99}
    mixed = groomstats.comparability(a.with_columns(pl.col("offences").cast(pl.Int64)), b, **kw)
    floats = groomstats.comparability(a, b, **kw)
    cols = ["statistic", "pvalue", "f_pvalue", "sse_null", "sse_alternative"]
    assert mixed.select(cols).rows() == floats.select(cols).rows()


def test_comparability_with_a_denominator_models_the_rate() -> None:
    # denominator= models count / denominator: the same test as the rates worked out by hand
    # and given as the modelled column
    a, b = _two_series()
    pop_a = [50_000.0 + 700.0 * i for i in range(16)]  # synthetic populations
    pop_b = [80_000.0 - 300.0 * i for i in range(16)]
    a = a.with_columns(pl.Series("population", pop_a))
    b = b.with_columns(pl.Series("population", pop_b))
    kw: dict[str, Any] = {"time": "year", "joins": 1, "n_permutations": 99}
    with_den = groomstats.comparability(a, b, denominator="population", **kw)
    rates = groomstats.comparability(
        a.with_columns(rate=pl.col("offences") / pl.col("population")),
        b.with_columns(rate=pl.col("offences") / pl.col("population")),
        count="rate",
        **kw,
    )
    cols = ["statistic", "pvalue", "sse_null", "sse_alternative"]
    for c in cols:
        assert with_den[c].to_list() == pytest.approx(rates[c].to_list(), rel=1e-12), c
    counts = groomstats.comparability(a, b, **kw)  # not the same as the counts' test
    assert counts["sse_null"].to_list() != pytest.approx(with_den["sse_null"].to_list())


@pytest.mark.parametrize("option", ["min_joins", "max_joins", "min_end", "min_between"])
@pytest.mark.parametrize("value", [1.5, 2.0, True, -1, "2"])
def test_joinpoint_counts_must_be_non_negative_integers(option: str, value: object) -> None:
    with pytest.raises(
        GroomstatsError, match=rf"^{option} must be a non-negative integer, got {value!r}$"
    ):
        groomstats.joinpoint(STEEP, time="year", selection="bic", **{option: value})


def test_aapc_range_outside_every_series_keeps_the_time_type() -> None:
    # no group covers 2005-2020: no AAPC anywhere, the range columns null but still typed
    # as the time column (Int64 years), like the rows of any other run
    res = groomstats.joinpoint(
        STEEP, time="year", max_joins=1, selection="bic", aapc_range=(2005, 2020)
    ).aapc
    assert res.select("aapc_start", "aapc_end", "aapc").row(0) == (None, None, None)
    assert (res.schema["aapc_start"], res.schema["aapc_end"]) == (pl.Int64, pl.Int64)


def test_interrupted_post_periods_start_on_or_after_at() -> None:
    # quarterly financial years 2018/19 Q1 .. 2021/22 Q4 (Q1 starts 1 April): with at =
    # 15 April 2020 the quarter starting 1 April 2020 is before it, so the first "post"
    # quarter is 2020/21 Q2 (1 July 2020): 9 quarters before, 7 from it (worked by hand)
    rows = [(f"{y}/{(y + 1) % 100:02d}", q) for y in range(2018, 2022) for q in (1, 2, 3, 4)]
    rng = np.random.default_rng(8)  # synthetic counts
    df = pl.DataFrame(
        {
            "financial_year": [r[0] for r in rows],
            "quarter": [r[1] for r in rows],
            "offences": rng.poisson(50, len(rows)),
        }
    )
    out = groomstats.interrupted(df, at="2020-04-15", quarter="quarter")
    assert (out["n_pre"][0], out["n_post"][0]) == (9, 7)
    out = groomstats.interrupted(df, at="2020-04-01", quarter="quarter")
    assert (out["n_pre"][0], out["n_post"][0]) == (8, 8)


def test_interrupted_slope_change_interval_matches_statsmodels() -> None:
    # the slope change's limits (both of them) are exp of statsmodels' Wald limits
    y = np.array([30, 34, 33, 39, 41, 45, 40, 38, 37, 33, 31, 30], dtype=float)  # synthetic
    years = [f"{2004 + i}/{(5 + i) % 100:02d}" for i in range(12)]
    row = groomstats.interrupted(
        pl.DataFrame({"financial_year": years, "offences": y}), at="2010-04-01"
    ).row(0, named=True)
    t = np.arange(12, dtype=float)
    post = (t >= 6).astype(float)
    x = np.column_stack([np.ones(12), t, post, post * (t - 6)])
    ref = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-12)
    lo, hi = np.exp(ref.conf_int()[3])
    assert row["slope_lower_95"] == pytest.approx(lo, rel=1e-6)
    assert row["slope_upper_95"] == pytest.approx(hi, rel=1e-6)

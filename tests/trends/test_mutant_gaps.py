"""Gaps found by mutation testing of trends/ (mutants/py_mutants.py --module trends): options
and defaults whose effect no other test asserted, each against an independent answer (the
Joinpoint program's documented defaults, the Monte Carlo p-value formula, hand-worked counts).
All data here are synthetic, made by hand."""

from __future__ import annotations

import datetime as dt
import inspect

import polars as pl
import pytest

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
    # The Joinpoint program's default is 4,499 permutations (its help: "Number of
    # Permutations ... 4499"), and a Monte Carlo p-value is (b + 1) / (B + 1) for b of B
    # permuted statistics at least as large (Phipson & Smyth 2010), so with none as large the
    # smallest p-value is 1 / 4500: the default is visible in the output, not only the
    # signature.
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

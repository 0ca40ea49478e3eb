"""How ``trend`` lays out what it fitted and what it left out, for each time type: groups in
sorted key order (a null key last), ``n`` / ``n_excluded``, ``first`` / ``last``, and
``left_out`` naming absent years, missing counts and incomplete periods in time order, from
rows given in shuffled order. Expected values are worked out by hand from the frame below;
the slopes are statsmodels' ``GLM(Poisson)`` on the rows a hand count says are used.

The frame is synthetic (written here): force "A" 2014-2020 with 2016 absent (no row), 2018
blank (null count) and 2019 marked incomplete (``complete=False``); force "B" 2015-2017 with
a zero; a force with a null name, one row in 2017.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

import groomstats
from groomstats import DataFormatError

ROWS = [  # (force, year, offences, complete), in no particular order
    ("B", 2017, 12, True),
    ("A", 2020, 200, True),
    (None, 2017, 30, True),
    ("A", 2014, 100, True),
    ("A", 2019, 170, False),
    ("B", 2015, 10, True),
    ("A", 2018, None, True),
    ("A", 2015, 120, True),
    ("B", 2016, 0, True),
    ("A", 2017, 150, True),
]


def _frame(kind: str) -> pl.DataFrame:
    force, year, offences, complete = (list(c) for c in zip(*ROWS, strict=True))
    if kind == "financial_year":
        time: list[object] = [f"{y}/{(y + 1) % 100:02d}" for y in year]
    elif kind == "date":
        time = [dt.date(y, 1, 1) for y in year]
    else:
        time = year
    return pl.DataFrame(
        {"force": force, "year": time, "offences": offences, "complete": complete},
        schema_overrides={"offences": pl.Int64},
    )


def _label(kind: str, y: int) -> str:
    if kind == "financial_year":
        return f"{y}/{(y + 1) % 100:02d}"
    return f"{y}-01-01" if kind == "date" else str(y)


def _slope_apc(years: list[int], counts: list[int]) -> float:
    x = sm.add_constant(np.array(years, dtype=float) - years[0])
    fit = sm.GLM(np.array(counts, dtype=float), x, family=sm.families.Poisson()).fit()
    return float(100.0 * np.expm1(fit.params[1]))


@pytest.mark.parametrize("kind", ["financial_year", "year", "date"])
def test_rows_counts_and_left_out_texts(kind: str) -> None:
    out = groomstats.trend(_frame(kind), by="force", time="year", allow_series_break=True)
    first = out.get_column("first").cast(pl.String).to_list()
    last = out.get_column("last").cast(pl.String).to_list()
    assert out.get_column("force").to_list() == ["A", "B", None]
    assert out.get_column("n").to_list() == [4, 3, 1]
    assert out.get_column("n_excluded").to_list() == [2, 0, 0]
    assert first == [_label(kind, 2014), _label(kind, 2015), _label(kind, 2017)]
    assert last == [_label(kind, 2020), _label(kind, 2017), _label(kind, 2017)]
    # absent years are found in annual series (financial or calendar years), not in dates
    absent = [] if kind == "date" else [f"{_label(kind, 2016)}: no row (absent from the data)"]
    assert out.get_column("left_out").to_list() == [
        "; ".join(
            [
                *absent,
                f"{_label(kind, 2018)}: count missing",
                f"{_label(kind, 2019)}: incomplete (complete=False)",
            ]
        ),
        None,
        None,
    ]
    assert out.get_column("reason")[2].startswith("too few points: 1")
    # A: 2014, 2015, 2017, 2020 used; B: 2015-2017 with its zero
    want = [_slope_apc([2014, 2015, 2017, 2020], [100, 120, 150, 200])]
    want.append(_slope_apc([2015, 2016, 2017], [10, 0, 12]))
    np.testing.assert_allclose(out.get_column("apc").to_list()[:2], want, rtol=1e-8)
    assert out.get_column("apc")[2] is None


@pytest.mark.parametrize("kind", ["financial_year", "year", "date"])
def test_incomplete_kept_when_asked(kind: str) -> None:
    out = groomstats.trend(
        _frame(kind), by="force", time="year", allow_series_break=True, incomplete="keep"
    )
    assert out.get_column("n").to_list() == [5, 3, 1]
    assert out.get_column("n_excluded").to_list() == [1, 0, 0]
    want = _slope_apc([2014, 2015, 2017, 2019, 2020], [100, 120, 150, 170, 200])
    assert out.get_column("apc")[0] == pytest.approx(want, rel=1e-8)


def test_whole_frame_as_one_series_in_time_order() -> None:
    df = _frame("financial_year").filter(pl.col("force") == "A").drop("force")
    out = groomstats.trend(df, time="year", allow_series_break=True)
    assert (out["n"][0], out["n_excluded"][0], out["first"][0], out["last"][0]) == (
        4,
        2,
        "2014/15",
        "2020/21",
    )
    assert out["left_out"][0] == (
        "2016/17: no row (absent from the data); 2018/19: count missing; "
        "2019/20: incomplete (complete=False)"
    )


def test_a_repeated_period_names_its_first_row() -> None:
    # " 2017/18" and "2017/18" are the same financial year: the message names the spelling
    # of the first of the two rows in the frame
    df = pl.DataFrame(
        {
            "force": ["A", "A", "A"],
            "year": ["2016/17", " 2017/18", "2017/18"],
            "offences": [1, 2, 3],
        }
    )
    with pytest.raises(DataFormatError, match=r"year=' 2017/18' appears more than once in group"):
        groomstats.trend(df, by="force", time="year", allow_series_break=True)
    with pytest.raises(DataFormatError, match=r"year='2017/18' appears more than once in group"):
        groomstats.trend(df.reverse(), by="force", time="year", allow_series_break=True)


@pytest.mark.parametrize("kind", ["financial_year", "year", "date"])
def test_row_order_of_the_input_does_not_matter(kind: str) -> None:
    # the same frame in 20 random row orders gives the very same table (the rows are put in
    # group then time order by one sort: nothing may depend on the order they came in)
    df = _frame(kind)
    want = groomstats.trend(df, by="force", time="year", allow_series_break=True)
    for seed in range(20):
        shuffled = df.sample(fraction=1.0, shuffle=True, seed=seed)
        got = groomstats.trend(shuffled, by="force", time="year", allow_series_break=True)
        assert got.equals(want), seed


def _two_groups(name: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            name: ["a", "a", "a", "b", "b", "b"],
            "year": ["2014/15", "2016/17", "2017/18"] * 2,
            "offences": [10, 40, 80, 5, 5, 5],
        }
    )


@pytest.mark.parametrize("name", ["apc", "reason", "n", "first", "lower_95", "model"])
def test_a_by_column_named_like_an_output_column_is_refused(name: str) -> None:
    # its group labels would be overwritten by the figures (apc, reason) or clash
    with pytest.raises(DataFormatError, match=rf"by column '{name}' has the name of a column"):
        groomstats.trend(_two_groups(name), by=name, time="year", allow_series_break=True)


@pytest.mark.parametrize("name", ["left_out", "_t", "_row", "_time"])
def test_by_columns_with_the_names_of_working_columns_keep_their_labels(name: str) -> None:
    out = groomstats.trend(_two_groups(name), by=name, time="year", allow_series_break=True)
    assert out.get_column(name).to_list() == ["a", "b"]
    assert out.get_column("n").to_list() == [3, 3]
    # a doubling each year (10, 40, 80 in 2014, 2016, 2017): an exact fit, APC 100%
    assert out.get_column("apc").to_list() == pytest.approx([100.0, 0.0], abs=1e-6)
    gap = "2015/16: no row (absent from the data)"
    left = "left_out_right" if name == "left_out" else "left_out"
    assert out.get_column(left).to_list() == [gap, gap]

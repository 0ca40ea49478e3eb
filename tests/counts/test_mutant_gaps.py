"""``totals()`` / ``change()`` where the Python mutation run (mutants/SURVIVORS.md) found no
test: the national and regional labels of a window name the forces with rows in that window,
the same for an eager frame and a LazyFrame (whose rows are filtered to the windows before
they are read); a LazyFrame with dates as text; a ``national`` column of the data is used as
given.

Synthetic frames (generated below, labelled synthetic); every expected figure is summed by hand
in the comments.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats

FY = {
    "2019/20": (date(2019, 4, 1), date(2020, 3, 31)),
    "2017/18": (date(2017, 4, 1), date(2018, 3, 31)),
    "2018/19": (date(2018, 4, 1), date(2019, 3, 31)),
}


def _frame(rows: list[tuple[str, str, int]], **extra: list[str]) -> pl.DataFrame:
    """Synthetic: one row per (force, financial year, offences)."""
    return pl.DataFrame(
        {
            "force": [f for f, _, _ in rows],
            "period_start": [FY[y][0] for _, y, _ in rows],
            "period_end": [FY[y][1] for _, y, _ in rows],
            "offences": [n for _, _, n in rows],
            **extra,
        }
    )


# Kent has a row in 2019/20 only; Essex and Surrey in 2017/18 and 2018/19.
ROWS = [
    ("Kent", "2019/20", 7),
    ("Essex", "2017/18", 2),
    ("Essex", "2018/19", 3),
    ("Surrey", "2017/18", 4),
    ("Surrey", "2018/19", 5),
]


@pytest.mark.parametrize("lazy", [False, True])
def test_the_national_label_of_a_window_names_the_forces_with_rows_in_it(lazy: bool) -> None:
    df = _frame(ROWS)
    t = groomstats.totals(df.lazy() if lazy else df, by="national", window="2018/19")
    # Kent's only row is in 2019/20: 2018/19 sums Essex 3 + Surrey 5
    assert t["national"].to_list() == ["2 forces: Essex, Surrey"]
    assert t["offences"].to_list() == [8]
    # over every year, Kent is summed too: 7 + 2 + 3 + 4 + 5
    every = groomstats.totals(df.lazy() if lazy else df, by="national")
    assert every["national"].to_list() == ["3 forces: Essex, Kent, Surrey"]
    assert every["offences"].to_list() == [21]


@pytest.mark.parametrize("lazy", [False, True])
def test_a_region_label_of_a_window_names_the_forces_with_rows_in_it(lazy: bool) -> None:
    df = _frame(
        ROWS, region=["South East", "East of England", "East of England"] + ["South East"] * 2
    )
    t = groomstats.totals(df.lazy() if lazy else df, by="region", window="2018/19").sort("region")
    assert t["region"].to_list() == ["East of England", "South East"]
    assert t["offences"].to_list() == [3, 5]
    # Kent (South East) has no row in 2018/19: the South East figure is Surrey's alone
    assert t["forces_summed"].to_list() == ["1 force: Essex", "1 force: Surrey"]


@pytest.mark.parametrize("lazy", [False, True])
def test_the_like_for_like_note_lists_a_force_without_rows_in_either_window(lazy: bool) -> None:
    df = _frame(ROWS)
    c = groomstats.change(df.lazy() if lazy else df, "2018/19", by="force").sort("force")
    assert c["force"].to_list() == ["Essex", "Kent", "Surrey"]
    # Essex 3 + Surrey 5 against 2 + 4
    assert c["national_current"].to_list() == [8, 8, 8]
    assert c["national_baseline"].to_list() == [6, 6, 6]
    left_out = "the comparator is like-for-like: it leaves out Kent (no count in both windows)"
    assert c["note"].to_list() == [left_out, f"no data in the current window; {left_out}", left_out]


def test_a_lazy_frame_with_dates_as_text_is_summed_like_an_eager_one() -> None:
    text = _frame(ROWS).with_columns(pl.col("period_start", "period_end").cast(pl.String))
    for frame in (text, text.lazy()):
        t = groomstats.totals(frame, by="force", window="2018/19").sort("force")
        assert t["force"].to_list() == ["Essex", "Kent", "Surrey"]
        assert t["offences"].to_list() == [3, None, 5]
        assert t["period_start"].to_list() == [date(2018, 4, 1)] * 3


def test_a_national_column_of_the_data_is_used_as_given() -> None:
    """The data's own 'national' column is a grouping like any other: every row with its
    value is summed, British Transport Police included (no roll-up is derived over it)."""
    df = _frame(
        [
            ("Kent", "2018/19", 4),
            ("Essex", "2018/19", 5),
            ("British Transport Police", "2018/19", 6),
        ],
        national=["UK total"] * 3,
    )
    t = groomstats.totals(df, by="national", window="2018/19")
    assert t["national"].to_list() == ["UK total"]
    assert t["offences"].to_list() == [15]  # 4 + 5 + 6

"""``change``'s summed comparator at its edges (synthetic counts, generated below; survivors of
the Python mutation run, mutants/SURVIVORS.md). Every expected figure is summed by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

import groomstats

Y1 = (date(2018, 4, 1), date(2019, 3, 31))  # 2018/19
Y2 = (date(2019, 4, 1), date(2020, 3, 31))  # 2019/20


def _frame(rows: list[tuple[dict[str, Any], int | None, int | None]]) -> pl.DataFrame:
    """Synthetic: each area's count in 2018/19 and 2019/20 (None: no row for that year)."""
    out = []
    for keys, before, after in rows:
        for (start, end), n in ((Y1, before), (Y2, after)):
            if n is not None:
                out.append({**keys, "period_start": start, "period_end": end, "offences": n})
    return pl.DataFrame(out)


def test_a_baseline_of_one_has_a_percent_change() -> None:
    c = groomstats.change(
        _frame([({"force": "Kent"}, 1, 3), ({"force": "Surrey"}, 2, 2)]), "2019/20", by="force"
    )
    assert c["pct_change"].to_list() == [200.0, 0.0]  # (3 - 1) / 1, (2 - 2) / 2
    assert c["national_pct_change"][0] == pytest.approx(100 * (5 - 3) / 3)


def test_regions_as_areas_leave_out_non_territorial_bodies() -> None:
    df = _frame(
        [
            ({"region": "North East"}, 10, 20),
            ({"region": "Wales"}, 1, 3),
            ({"region": "Non-territorial bodies"}, 5, 50),
        ]
    )
    c = groomstats.change(df, "2019/20", by="region")
    assert c["region"].to_list() == ["Non-territorial bodies", "North East", "Wales"]
    # the comparator: North East + Wales = 23 against 11, never the non-territorial 50 / 5
    assert c["national_current"].to_list() == [23, 23, 23]
    assert c["national_baseline"].to_list() == [11, 11, 11]
    assert c["national_areas"].to_list() == [2, 2, 2]
    assert c["comparator"][0] == "2 region values: North East, Wales"
    assert c["national_pct_change"][0] == pytest.approx(100 * 12 / 11)
    one = groomstats.change(_frame([({"region": "Wales"}, 1, 3)]), "2019/20", by="region")
    assert one["comparator"][0] == "1 region value: Wales"


def test_force_codes_are_named_in_the_comparator() -> None:
    df = _frame([({"force_code": "E23000032"}, 10, 20), ({"force_code": "E23000033"}, 5, 6)])
    c = groomstats.change(df, "2019/20", by="force_code")
    # forces.csv: E23000032 Kent, E23000033 Sussex
    assert c["comparator"].to_list() == ["2 forces: Kent, Sussex"] * 2
    assert c["national_current"].to_list() == [26, 26]


def test_no_area_in_both_windows_gives_no_comparator_figures() -> None:
    """Missing is never zero: with no area counted in both windows the like-for-like sums are
    null, not 0."""
    df = _frame([({"force": "Kent"}, None, 4), ({"force": "Surrey"}, None, 5)])
    c = groomstats.change(df, "2019/20", by="force")
    assert c["comparator"].to_list() == ["nothing (no area with counts in both windows)"] * 2
    assert c["national_current"].to_list() == [None, None]
    assert c["national_baseline"].to_list() == [None, None]
    assert c["national_areas"].to_list() == [0, 0]
    assert c["national_pct_change"].to_list() == [None, None]
    # every area summed when asked: 9 against nothing (null: no baseline row at all)
    loose = groomstats.change(df, "2019/20", by="force", comparable_only=False)
    assert loose["national_current"].to_list() == [9, 9]


def test_region_comparator_takes_the_region_column_of_the_data_first() -> None:
    """against='region': each row's region is the data's own ``region`` column where there is
    one, else the shipped force table's."""
    df = _frame(
        [
            ({"force": "Kent", "region": "South East"}, 10, 20),
            ({"force": "Surrey", "region": "South East"}, 30, 30),
            ({"force": "Gwent", "region": "Wales"}, 4, 8),
        ]
    )
    c = groomstats.change(df, "2019/20", by="force", against="region")
    assert c["force"].to_list() == ["Gwent", "Kent", "Surrey"]
    assert c["national_current"].to_list() == [8, 50, 50]
    assert c["national_baseline"].to_list() == [4, 40, 40]
    # without a region column the table's regions give the same sums
    c2 = groomstats.change(df.drop("region"), "2019/20", by="force", against="region")
    assert c2["national_current"].to_list() == [8, 50, 50]
    # the data's region wins: a file that puts Kent in Wales compares it with Gwent + Kent
    moved = df.with_columns(
        pl.when(pl.col("force") == "Kent").then(pl.lit("Wales")).otherwise("region").alias("region")
    )
    c4 = groomstats.change(moved, "2019/20", by="force", against="region")
    assert c4["national_current"].to_list() == [28, 28, 30]
    assert c4["comparator"].to_list() == ["2 forces: Gwent, Kent"] * 2 + ["1 force: Surrey"]
    # British Transport Police belongs to no region: no comparator, not an error
    btp = pl.concat([df.drop("region"), _frame([({"force": "British Transport Police"}, 2, 3)])])
    c3 = groomstats.change(btp, "2019/20", by="force", against="region")
    row = c3.filter(pl.col("force") == "British Transport Police")
    assert row["national_current"][0] is None and row["comparator"][0] is None


@pytest.mark.parametrize(
    ("current", "baseline"),
    [
        ("2019-04-01..2019-06-30", "2019-06-30..2019-09-30"),  # baseline starts on the last day
        ("2019-04-01..2019-06-30", "2019-01-01..2019-04-01"),  # baseline ends on the first day
    ],
)
def test_windows_sharing_one_day_overlap(current: str, baseline: str) -> None:
    df = _frame([({"force": "Kent"}, 1, 3)])
    with pytest.raises(groomstats.PeriodError, match="overlap"):
        groomstats.change(df, current, baseline, by="force")


def test_adjacent_windows_do_not_overlap() -> None:
    c = groomstats.change(_frame([({"force": "Kent"}, 4, 6)]), "2019/20", "2018/19", by="force")
    assert (c["current"][0], c["baseline"][0]) == (6, 4)


def test_a_null_group_key_gets_its_own_comparator() -> None:
    """A breakdown cell left blank (null platform) is a group of its own, compared with the
    forces' sum of that same (null) cell."""
    df = _frame(
        [({"force": "Kent", "platform": "a"}, 3, 4), ({"force": "Kent", "platform": None}, 5, 9)]
    )
    c = groomstats.change(df, "2019/20", by=["force", "platform"])
    assert c["platform"].to_list() == ["a", None]
    assert c["national_current"].to_list() == [4, 9]
    assert c["national_baseline"].to_list() == [3, 5]


def test_bad_rows_are_named() -> None:
    start = [date(2018, 4, 1), date(2019, 4, 1), date(2019, 4, 1)]
    end = [date(2019, 3, 31), date(2020, 3, 31), date(2019, 3, 31)]
    df = pl.DataFrame({"force": ["Kent"] * 3, "period_start": start, "period_end": end})
    with pytest.raises(groomstats.DataFormatError, match="row 2: period_end 2019-03-31"):
        groomstats.change(df.with_columns(offences=pl.lit(3)), "2019/20", by="force")
    nan = df.with_columns(
        period_end=pl.Series([end[0], end[1], end[1]]),
        offences=pl.Series([3.0, 4.0, float("nan")]),
    )
    with pytest.raises(groomstats.DataFormatError, match="'offences' row 2: nan is not a count"):
        groomstats.change(nan, "2019/20", by="force")


def test_a_national_frame_of_one_row() -> None:
    """A national series with no baseline row: its area names the comparator, the missing
    baseline stays missing."""
    nat = pl.DataFrame(
        {
            "area": ["England and Wales"],
            "period_start": [date(2019, 4, 1)],
            "period_end": [date(2020, 3, 31)],
            "offences": [100],
        }
    )
    c = groomstats.change(_frame([({"force": "Kent"}, 3, 4)]), "2019/20", by="force", against=nat)
    assert c["comparator"][0] == "England and Wales"
    assert c["national_source"][0] == "national frame (England and Wales)"
    assert (c["national_current"][0], c["national_baseline"][0]) == (100, None)
    assert c["national_pct_change"][0] is None and c["ratio_to_national"][0] is None

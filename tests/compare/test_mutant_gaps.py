"""``change()`` where the Python mutation run (mutants/SURVIVORS.md) found no test: the regional
comparator of a row without a region, a region or territorial column that is blank or
contradicts itself on some rows, a row without a force name, a national frame with its own
count column or without an ``area`` column, and an empty frame.

Synthetic frames (generated below, labelled synthetic); every expected figure is summed by hand
in the comments.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

import groomstats

Y1 = (date(2017, 4, 1), date(2018, 3, 31))  # 2017/18, the baseline
Y2 = (date(2018, 4, 1), date(2019, 3, 31))  # 2018/19, the current window


def _frame(rows: list[tuple[dict[str, Any], int, int]]) -> pl.DataFrame:
    """Synthetic: one row per (keys, count in 2017/18, count in 2018/19); a dict of keys may
    repeat, so an area can have several rows per year."""
    out = []
    for keys, before, after in rows:
        for (start, end), n in ((Y1, before), (Y2, after)):
            out.append({**keys, "period_start": start, "period_end": end, "offences": n})
    return pl.DataFrame(out)


def test_a_row_without_a_region_has_no_regional_comparator_and_says_why() -> None:
    df = _frame(
        [
            ({"force": "Kent"}, 10, 15),
            ({"force": "Surrey"}, 20, 25),
            ({"force": "Foo Police"}, 30, 35),  # not a force of the shipped table
            ({"force": "British Transport Police"}, 4, 5),
        ]
    )
    c = groomstats.change(df, "2018/19", by="force", against="region").sort("force")
    assert c["force"].to_list() == ["British Transport Police", "Foo Police", "Kent", "Surrey"]
    # Kent and Surrey are the South East forces of the data: 15 + 25 against 10 + 20
    assert c["national_current"].to_list() == [None, None, 40, 40]
    assert c["national_baseline"].to_list() == [None, None, 30, 30]
    assert c["comparator"].to_list() == [None, None] + ["2 forces: Kent, Surrey"] * 2
    assert c["ratio_to_national"][0] is None and c["ratio_to_national"][1] is None
    # the missing comparator is never silent
    assert c["note"][0] == (
        "British Transport Police is not a territorial force and belongs to no region: "
        "no regional comparator"
    )
    assert c["note"][1] == (
        "no region known for Foo Police (not in the shipped force table; a region column in "
        "the data would give one): no regional comparator"
    )
    assert c["note"][2] is None and c["note"][3] is None


def test_a_region_column_blank_for_a_force_names_it_unknown() -> None:
    df = _frame(
        [
            ({"force": "Kent", "region": "South East"}, 10, 15),
            ({"force": "Foo Police", "region": None}, 30, 35),
        ]
    )
    c = groomstats.change(df, "2018/19", by="force", against="region").sort("force")
    assert c["comparator"].to_list() == [None, "1 force: Kent"]
    assert c["note"][0] == (
        "no region known for Foo Police (neither in the data's region column nor in the "
        "shipped force table): no regional comparator"
    )


def test_a_region_blank_on_one_row_takes_the_region_of_the_others() -> None:
    """Kent's region is given as Wales on one of its rows and left blank on the other: the
    data's region wins over the shipped table (South East) whatever the order of the rows,
    so Kent is compared with Gwent + Kent."""
    rows: list[tuple[dict[str, Any], int, int]] = [
        ({"force": "Kent", "region": None}, 1, 2),
        ({"force": "Kent", "region": "Wales"}, 9, 18),
        ({"force": "Gwent", "region": "Wales"}, 4, 8),
        ({"force": "Surrey", "region": "South East"}, 30, 30),
    ]
    for order in (rows, rows[::-1]):
        c = groomstats.change(_frame(order), "2018/19", by="force", against="region")
        c = c.sort("force")
        assert c["force"].to_list() == ["Gwent", "Kent", "Surrey"]
        # Wales: Gwent 8 + Kent (2 + 18) = 28 against 4 + (1 + 9) = 14
        assert c["national_current"].to_list() == [28, 28, 30]
        assert c["national_baseline"].to_list() == [14, 14, 30]
        assert c["comparator"].to_list() == ["2 forces: Gwent, Kent"] * 2 + ["1 force: Surrey"]


def test_a_force_given_two_regions_is_refused_with_both_readings() -> None:
    df = _frame(
        [
            ({"force": "Kent", "region": "South East"}, 1, 2),
            ({"force": "Kent", "region": "Wales"}, 9, 18),
            ({"force": "Gwent", "region": "Wales"}, 4, 8),
        ]
    )
    with pytest.raises(groomstats.DataFormatError) as err:
        groomstats.change(df, "2018/19", by="force", against="region")
    assert "'Kent' in 2 regions ('South East', 'Wales')" in str(err.value)
    # one region per force (Gwent's, given on every row) is not refused
    gwent = df.filter(pl.col("force") == "Gwent")
    ok = groomstats.change(gwent, "2018/19", by="force", against="region")
    assert ok["comparator"].to_list() == ["1 force: Gwent"]


def test_a_territorial_flag_blank_on_one_row_keeps_the_force_in_the_comparator() -> None:
    """Kent has two rows a year, its 'territorial' cell blank on the first: Kent is still a
    territorial force of the comparator, whatever the order of the rows."""
    rows: list[tuple[dict[str, Any], int, int]] = [
        ({"force": "Kent", "territorial": None}, 10, 15),
        ({"force": "Kent", "territorial": True}, 1, 2),
        ({"force": "Essex", "territorial": True}, 20, 25),
    ]
    for order in (rows, rows[::-1]):
        c = groomstats.change(_frame(order), "2018/19", by="force").sort("force")
        assert c["current"].to_list() == [25, 17]  # Essex 25; Kent 15 + 2
        # Essex 25 + Kent 17 = 42 against 20 + 11 = 31
        assert c["national_current"].to_list() == [42, 42]
        assert c["national_baseline"].to_list() == [31, 31]
        assert c["national_areas"].to_list() == [2, 2]


def test_a_row_without_a_force_name_but_marked_territorial_is_summed() -> None:
    """A row whose force is blank but whose 'territorial' flag is set belongs to the
    territorial sum, as in totals(by='national')."""
    df = _frame(
        [
            ({"force": "Kent", "territorial": True}, 10, 15),
            ({"force": None, "territorial": True}, 1, 2),
            ({"force": "Essex", "territorial": True}, 20, 25),
        ]
    )
    c = groomstats.change(df, "2018/19", by="force")
    # 15 + 2 + 25 = 42 against 10 + 1 + 20 = 31, over three areas (the blank one included)
    assert c["comparator"].to_list() == ["2 forces: Essex, Kent + an area without a name"] * 3
    assert c["national_current"].to_list() == [42] * 3
    assert c["national_baseline"].to_list() == [31] * 3
    assert c["national_areas"].to_list() == [3] * 3
    national = groomstats.totals(df, by="national", window="2018/19")
    assert national["offences"].to_list() == [42]
    # its region, given in the data, puts it in the South East comparator too
    se = df.with_columns(pl.lit("South East").alias("region"))
    r = groomstats.change(
        se.filter(pl.col("force").ne_missing("Essex")), "2018/19", by="force", against="region"
    )
    assert r["national_current"].to_list() == [17, 17]  # Kent 15 + the unnamed row 2
    assert r["national_baseline"].to_list() == [11, 11]  # 10 + 1


def _national(count: str, *, area: bool) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "period_start": [Y1[0], Y2[0]],
            "period_end": [Y1[1], Y2[1]],
            count: [1000, 1500],
        }
    )
    return frame.with_columns(pl.lit("England and Wales").alias("area")) if area else frame


def test_a_national_frame_is_read_with_the_count_column_given() -> None:
    df = _frame([({"force": "Kent"}, 100, 300)]).rename({"offences": "crimes"})
    c = groomstats.change(
        df, "2018/19", by="force", count="crimes", against=_national("crimes", area=True)
    )
    assert (c["national_current"][0], c["national_baseline"][0]) == (1500, 1000)
    # 200% against 50%
    assert c["ratio_to_national"][0] == pytest.approx(4.0)


def test_a_national_frame_without_an_area_column_is_called_national_frame() -> None:
    df = _frame([({"force": "Kent"}, 100, 300)])
    c = groomstats.change(df, "2018/19", by="force", against=_national("offences", area=False))
    assert c["comparator"][0] == "national frame"
    assert c["national_source"][0] == "national frame"
    assert (c["national_current"][0], c["national_baseline"][0]) == (1500, 1000)
    # no areas were summed: null, in the column's type of a summed comparator
    assert c["national_areas"].to_list() == [None]
    assert c.schema["national_areas"] == pl.Int32
    assert c["note"].to_list() == [None]


def test_the_comparator_is_given_once() -> None:
    df = _frame([({"force": "Kent"}, 100, 300)])
    nat = _national("offences", area=True)
    for against in ("region", nat):
        with pytest.raises(groomstats.GroomstatsError, match="give the comparator once"):
            groomstats.change(df, "2018/19", by="force", against=against, national=nat)


def test_a_national_frame_of_several_areas_lists_them_in_the_order_given() -> None:
    names = ["Wales", "England and Wales", "United Kingdom", "England", "Great Britain"]
    nat = pl.concat([_national("offences", area=False).with_columns(area=pl.lit(n)) for n in names])
    with pytest.raises(groomstats.DataFormatError) as err:
        groomstats.change(_frame([({"force": "Kent"}, 1, 2)]), "2018/19", by="force", against=nat)
    assert "'Wales', 'England and Wales', 'United Kingdom', 'England', 'Great Britain'" in str(
        err.value
    )


def test_an_empty_frame_gives_an_empty_result_with_every_column_and_type() -> None:
    empty = _frame([({"force": "Kent"}, 1, 2)]).clear()
    c = groomstats.change(empty, "2018/19", by="force")
    assert c.height == 0
    # the columns the docstring lists, in its order, with the types a non-empty result has
    expected = {
        "force": pl.String,
        "current_period": pl.String,
        "baseline_period": pl.String,
        "current": pl.Int64,
        "baseline": pl.Int64,
        "change": pl.Int64,
        "pct_change": pl.Float64,
        "current_complete": pl.Boolean,
        "baseline_complete": pl.Boolean,
        "comparator": pl.String,
        "national_current": pl.Int64,
        "national_baseline": pl.Int64,
        "national_pct_change": pl.Float64,
        "ratio_to_national": pl.Float64,
        "national_areas": pl.Int32,
        "national_source": pl.String,
        "statistic": pl.Float64,
        "pvalue": pl.Float64,
        "lower_95": pl.Float64,
        "upper_95": pl.Float64,
        "alternative": pl.String,
        "note": pl.String,
    }
    assert list(c.schema.items()) == list(expected.items())


def test_a_row_that_did_not_change_has_a_ratio_of_zero() -> None:
    df = _frame([({"force": "Kent"}, 100, 100), ({"force": "Surrey"}, 100, 102)])
    c = groomstats.change(df, "2018/19", by="force")
    # the comparator: 200 -> 202, +1%; Kent 0% / 1% = 0, Surrey 2% / 1% = 2
    assert c["national_pct_change"].to_list() == pytest.approx([1.0, 1.0])
    assert c["ratio_to_national"].to_list() == pytest.approx([0.0, 2.0])
    assert c["note"].to_list() == [None, None]


def test_a_comparator_that_did_not_change_gives_no_ratio_and_says_why() -> None:
    df = _frame([({"force": "Kent"}, 100, 96), ({"force": "Surrey"}, 100, 104)])
    c = groomstats.change(df, "2018/19", by="force")
    # the comparator: 200 -> 200, 0%: no ratio, whichever way the row moved
    assert c["pct_change"].to_list() == pytest.approx([-4.0, 4.0])
    assert c["national_pct_change"].to_list() == [0.0, 0.0]
    assert c["ratio_to_national"].to_list() == [None, None]
    assert c["note"].to_list() == ["the comparator did not change (0%): no ratio"] * 2


def test_a_comparator_without_a_percent_change_gives_no_ratio_and_says_why() -> None:
    nat = _national("offences", area=True).with_columns(
        pl.when(pl.col("period_start") == Y1[0])
        .then(0)
        .otherwise(pl.col("offences"))
        .alias("offences")
    )
    c = groomstats.change(_frame([({"force": "Kent"}, 100, 300)]), "2018/19", against=nat)
    # a national baseline of 0: no percent change, so no ratio
    assert (c["national_current"][0], c["national_baseline"][0]) == (1500, 0)
    assert c["national_pct_change"][0] is None and c["ratio_to_national"][0] is None
    assert c["note"][0] == (
        "the comparator has no percent change (a window without a count, or a baseline of 0): "
        "no ratio"
    )


def test_the_opposite_directions_note_gives_both_changes_to_one_decimal() -> None:
    df = _frame([({"force": "Kent"}, 80, 70), ({"force": "Surrey"}, 100, 130)])
    c = groomstats.change(df, "2018/19", by="force")
    # Kent 80 -> 70 is -12.5%; the comparator 180 -> 200 is +11.11%
    assert c["note"][0] == (
        "this row and the comparator moved in opposite directions (-12.5% against 11.1%): no ratio"
    )
    # Surrey 100 -> 130 is +30%: 30 / 11.11 = 2.7
    assert c["ratio_to_national"][1] == pytest.approx(30 / (100 * 20 / 180))


def test_a_comparator_of_nothing_says_so_in_its_label_only() -> None:
    """Police Scotland is no territorial force of England and Wales: nothing is summed, the
    label says so and no second note repeats it."""
    df = _frame([({"force": "Police Scotland"}, 10, 12)])
    c = groomstats.change(df, "2018/19", by="force")
    assert (c["current"][0], c["baseline"][0]) == (12, 10)
    assert c["comparator"][0] == "nothing (no area with counts in both windows)"
    assert c["national_areas"][0] == 0
    assert c["ratio_to_national"][0] is None
    assert c["note"][0] is None


def test_a_lazy_frame_reads_only_the_rows_of_the_two_windows() -> None:
    """The pushdown of change(): a LazyFrame's rows are filtered to the current and baseline
    windows before they are read, so a sentinel count (2**63 - 1) in an earlier year does not
    stop the comparison; an eager frame is read whole and refuses it."""
    early = pl.DataFrame(
        {
            "force": ["Kent"],
            "period_start": [date(2016, 4, 1)],
            "period_end": [date(2017, 3, 31)],
            "offences": [2**63 - 1],
        }
    )
    df = pl.concat([_frame([({"force": "Kent"}, 100, 300)]), early])
    c = groomstats.change(df.lazy(), "2018/19", by="force")
    assert (c["current"][0], c["baseline"][0]) == (300, 100)
    with pytest.raises(groomstats.CountOverflowError, match="beyond the 64-bit integer range"):
        groomstats.change(df, "2018/19", by="force")


def test_a_blank_area_left_out_of_the_comparator_is_named_as_such() -> None:
    """The unnamed area has no baseline count: the like-for-like comparator leaves it out and
    says so in words, never as 'None'."""
    df = pl.DataFrame(
        {
            "force": ["Kent", None, "Kent"],
            "territorial": [True, True, True],
            "period_start": [Y1[0], Y2[0], Y2[0]],
            "period_end": [Y1[1], Y2[1], Y2[1]],
            "offences": [10, 2, 15],
        }
    )
    c = groomstats.change(df, "2018/19", by="force")
    assert c["comparator"].to_list() == ["1 force: Kent"] * 2
    assert c["national_current"].to_list() == [15, 15]
    left = "the comparator is like-for-like: it leaves out an area without a name (no count in "
    assert all(n is not None and left in n for n in c["note"].to_list())
    # summed alone, the unnamed area is the whole comparator
    # (two offence codes tell its two 2018/19 rows apart: equal rows would be refused)
    unnamed = df.with_columns(
        pl.lit(None, pl.String).alias("force"), offence_code=pl.Series(["88A", "88A", "88E"])
    )
    alone = groomstats.change(unnamed, "2018/19", by="force")
    assert alone["comparator"].to_list() == ["an area without a name"]
    assert (alone["national_current"][0], alone["national_baseline"][0]) == (17, 10)

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


def test_grooming_keeps_a_lazy_frame_lazy_and_reads_pandas_into_polars() -> None:
    rows = pl.DataFrame(
        {"offence_code": ["88A", "88E", " 88a ", "8A"], "offences": [1, 2, 3, 4]}  # synthetic
    )
    lazy = groomstats.grooming(rows.lazy())
    assert isinstance(lazy, pl.LazyFrame)  # nothing collected (documented)
    assert lazy.collect()["offences"].to_list() == [1, 3]  # 88A in any case and padding
    eager = groomstats.grooming(rows.to_pandas())
    assert isinstance(eager, pl.DataFrame)
    assert eager["offences"].to_list() == [1, 3]


def test_grooming_keeps_a_duckdb_relation_in_duckdb() -> None:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    try:
        rel = con.sql(
            "select * from (values ('88A', 1), ('88E', 2), ('88A', 3)) t(offence_code, n)"
        )
        out = groomstats.grooming(rel)
        assert isinstance(out, duckdb.DuckDBPyRelation)
        assert sorted(r[1] for r in out.fetchall()) == [1, 3]
    finally:
        con.close()


def _years(force: str) -> pl.DataFrame:
    """Synthetic: one force, 2016/17 and 2017/18 (the two sides of the 1 April 2017 break)."""
    return pl.DataFrame(
        {"force": [force] * 2, "financial_year": ["2016/17", "2017/18"], "offences": [10, 12]}
    )


def test_the_series_break_is_england_and_wales_88a_only() -> None:
    # Police Scotland's series is not 88A: comparing across 1 April 2017 is not refused
    c = groomstats.change(_years("Police Scotland"), "2017/18", by="force")
    assert (c["current"][0], c["baseline"][0], c["pct_change"][0]) == (12, 10, 20.0)
    # nor is the PSNI's, named by its nation
    ni = _years("PSNI").with_columns(nation=pl.lit("Northern Ireland"))
    assert groomstats.change(ni, "2017/18", by="force")["current"].to_list() == [12]
    # a series that says nothing of its country may hold 88A: refused
    with pytest.raises(groomstats.PeriodError, match="break in offence 88A"):
        groomstats.change(_years("Kent"), "2017/18", by="force")


def test_a_blank_financial_year_is_refused_naming_its_row() -> None:
    df = pl.DataFrame(
        {
            "force": ["Kent", "Kent", "Essex"],
            "financial_year": ["2018/19", None, "2018/19"],
            "offences": [1, 2, 3],
        }
    )
    with pytest.raises(groomstats.DataFormatError, match="row 1 has no period_start or period_end"):
        groomstats.totals(df, by="force", window="2018/19")


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize(
    ("rows", "bad"),
    [
        # a month ending on the window's first day, then the rest of the year
        ([(date(2018, 3, 1), date(2018, 4, 1)), (date(2018, 4, 2), date(2019, 3, 31))], 0),
        # the year to its last day but one, then a month starting on the window's last day
        ([(date(2018, 4, 1), date(2019, 3, 30)), (date(2019, 3, 31), date(2019, 4, 30))], 1),
    ],
)
def test_a_row_sharing_one_day_with_the_window_is_cut_through(
    rows: list[tuple[date, date]], bad: int, lazy: bool
) -> None:
    """One day in common is an overlap: the row is refused (never pro-rated), also when a
    LazyFrame's rows are filtered to the window before they are read."""
    df = pl.DataFrame(
        {
            "force": ["Kent"] * 2,
            "period_start": [s for s, _ in rows],
            "period_end": [e for _, e in rows],
            "offences": [1, 2],
        }
    )
    with pytest.raises(groomstats.PeriodError, match=f"row {bad} covers .* cuts through"):
        groomstats.totals(df.lazy() if lazy else df, by="force", window="2018/19")


def test_a_frame_with_period_start_but_no_period_end_is_refused() -> None:
    """Half the dates is not a dated frame: the missing column is named, and the
    financial_year column is not read instead."""
    df = pl.DataFrame(
        {
            "force": ["Kent", "Kent"],
            "financial_year": ["2018/19", "2018/19"],
            "period_start": [date(2018, 4, 1), date(2018, 7, 1)],
            "offences": [1, 2],
        }
    )
    with pytest.raises(groomstats.DataFormatError, match="missing column 'period_end'"):
        groomstats.totals(df, by="force", window="2018/19")


def test_a_blank_group_key_is_a_group_of_its_own_listed_last() -> None:
    df = pl.DataFrame(
        {
            "force": ["Kent", None, "Essex", None],
            # the two blank-force rows told apart by their code (else they would be refused)
            "offence_code": ["88A", "88A", "88A", "88E"],
            "period_start": [date(2018, 4, 1)] * 4,
            "period_end": [date(2019, 3, 31)] * 4,
            "offences": [1, 2, 3, 4],
        }
    )
    t = groomstats.totals(df, by="force", window="2018/19")
    # groups in key order, the blank one last; its two rows summed: 2 + 4
    assert t["force"].to_list() == ["Essex", "Kent", None]
    assert t["offences"].to_list() == [3, 1, 6]


def _releases(forces: list[str], releases: list[str]) -> pl.DataFrame:
    """Synthetic: one 2018/19 row per (force, release)."""
    return pl.DataFrame(
        {
            "force": forces,
            "release": releases,
            "period_start": [date(2018, 4, 1)] * len(forces),
            "period_end": [date(2019, 3, 31)] * len(forces),
            "offences": list(range(1, len(forces) + 1)),
        }
    )


def test_rows_of_several_releases_are_refused_naming_the_group() -> None:
    # Kent's figure comes from one release, Essex's from two: Essex is named
    df = _releases(["Kent", "Essex", "Essex", "Surrey"], ["a", "a", "b", "a"])
    with pytest.raises(groomstats.DataFormatError) as err:
        groomstats.totals(df, by="force", window="2018/19")
    assert "the rows for ('Essex',) in 2018/19 come from several releases" in str(err.value)
    # without by=, the whole frame is the group
    with pytest.raises(groomstats.DataFormatError) as err:
        groomstats.totals(df, window="2018/19")
    assert "the rows for the whole frame in 2018/19 come from several releases" in str(err.value)


def test_a_duckdb_row_cut_by_the_window_is_refused_without_a_row_number() -> None:
    """DuckDB has no row order: the message says 'a row', never a made-up row number."""
    duckdb = pytest.importorskip("duckdb")
    df = pl.DataFrame(
        {
            "force": ["Kent"] * 2,
            "period_start": [date(2018, 3, 1), date(2018, 4, 2)],
            "period_end": [date(2018, 4, 1), date(2019, 3, 31)],
            "offences": [1, 2],
        }
    )
    con = duckdb.connect()
    try:
        with pytest.raises(groomstats.PeriodError) as err:
            groomstats.totals(con.from_arrow(df.to_arrow()), by="force", window="2018/19")
    finally:
        con.close()
    assert str(err.value).startswith("a row covers 2018-03-01..2018-04-01, which the window")


def test_a_blank_region_is_a_roll_up_that_names_its_forces() -> None:
    df = pl.DataFrame(
        {
            "force": ["Kent", "Surrey", "Foo"],
            "region": ["South East", None, None],
            "period_start": [date(2018, 4, 1)] * 3,
            "period_end": [date(2019, 3, 31)] * 3,
            "offences": [1, 2, 3],
        }
    )
    t = groomstats.totals(df, by="region", window="2018/19")
    assert t["region"].to_list() == ["South East", None]
    assert t["offences"].to_list() == [1, 5]  # Surrey 2 + Foo 3
    assert t["forces_summed"].to_list() == ["1 force: Kent", "2 forces: Foo, Surrey"]


def test_a_frame_whose_period_starts_are_all_blank_has_no_span() -> None:
    df = pl.DataFrame(
        {
            "force": ["Kent"],
            "period_start": [None],
            "period_end": [date(2019, 3, 31)],
            "offences": [1],
        },
        schema_overrides={"period_start": pl.Date},
    )
    with pytest.raises(groomstats.DataFormatError, match="period_start / period_end hold no dates"):
        groomstats.totals(df)


def test_a_lazy_frame_reads_only_the_rows_of_the_window() -> None:
    """The documented pushdown: a LazyFrame's rows are filtered to the window before they are
    read, so a sentinel count (2**63 - 1) in another year does not stop the window's count; an
    eager frame is read whole and refuses it."""
    df = _frame([*ROWS, ("Kent", "2017/18", 2**63 - 1)])
    t = groomstats.totals(df.lazy(), by="force", window="2018/19").sort("force")
    assert t["offences"].to_list() == [3, None, 5]  # Essex, Kent (no 2018/19 row), Surrey
    with pytest.raises(groomstats.CountOverflowError, match="beyond the 64-bit integer range"):
        groomstats.totals(df, by="force", window="2018/19")

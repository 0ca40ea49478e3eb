"""totals() and change() on frames whose rows repeat every column but the count (found by
hostile testing: two identical rows doubled the national figure silently).

A frame of counts holds each figure once. Two rows equal in every column but the count are one
figure twice (copies) or different figures whose telling column was dropped: either way a sum
would be wrong or blind, so they are refused, naming the rows, their values and the fixes.
Rows told apart by any column are summed; the Home Office's combined homicide code
(``1/4.1/4.10/4.2``, several rows of one code and description) may repeat, as ``read_prc``
allows. All frames here are synthetic (built by hand), their expected values worked by hand.
"""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError, SeriesBreakWarning

Q1 = (date(2017, 4, 1), date(2017, 6, 30))
Q2 = (date(2017, 7, 1), date(2017, 9, 30))
OLD = (date(2016, 4, 1), date(2016, 6, 30))


def frame(
    rows: list[tuple[str, tuple[date, date], int | None]], **extra: list[str]
) -> pl.DataFrame:
    """Synthetic rows: force, (period_start, period_end), offences, plus ``extra`` columns."""
    return pl.DataFrame(
        {
            "force": [r[0] for r in rows],
            "period_start": [r[1][0] for r in rows],
            "period_end": [r[1][1] for r in rows],
            **extra,
            "offences": [r[2] for r in rows],
        },
        schema_overrides={"offences": pl.Int64},
    )


#: Kent 10 and Essex 7 in 2017/18 Q1, Kent's row given twice (rows 0 and 2).
TWICE = frame([("Kent", Q1, 10), ("Essex", Q1, 7), ("Kent", Q1, 10)])


def test_an_exact_copy_is_refused_not_doubled() -> None:
    """The defect: the national figure was 27 (Kent counted twice); the right figure is 17."""
    with pytest.raises(DataFormatError) as err:
        groomstats.totals(TWICE, by="national", window="2017/18 Q1")
    msg = str(err.value)
    assert msg.startswith("totals(): rows 0 and 2 of the frame are equal in every column but")
    assert "force='Kent', period_start=2017-04-01, period_end=2017-06-30" in msg
    assert "copies of one figure (offences 10 each)" in msg
    assert "data.unique()" in msg and "the column that tells them apart" in msg
    fixed = groomstats.totals(TWICE.unique(), by="national", window="2017/18 Q1")
    assert fixed["offences"].to_list() == [10 + 7]


@pytest.mark.parametrize("by", [None, "force", "national"])
def test_every_grouping_and_a_lazy_frame_refuse_the_copy(by: str | None) -> None:
    for data in (TWICE, TWICE.lazy(), TWICE.to_pandas()):
        with pytest.raises(DataFormatError, match="copies of one figure"):
            groomstats.totals(data, by=by)


def test_a_parquet_scan_is_refused_naming_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "twice.parquet"
    TWICE.write_parquet(path)
    with pytest.raises(DataFormatError, match="rows 0 and 2 of the frame"):
        groomstats.totals(pl.scan_parquet(path), by="force", window="2017/18 Q1")


def test_the_same_cell_with_two_counts_and_no_telling_column_is_refused() -> None:
    """Kent Q1 as 10 and as 12 (two editions stacked without an edition column, or two offence
    codes without their code): summing to 22 would be blind."""
    df = frame([("Kent", Q1, 10), ("Kent", Q2, 3), ("Kent", Q1, 12)])
    with pytest.raises(DataFormatError, match=r"rows 0 and 2 .* one cell with offences 10 and 12"):
        groomstats.totals(df, by="force")


def test_a_blank_count_beside_a_figure_of_the_same_cell_is_refused() -> None:
    df = frame([("Kent", Q1, 10), ("Kent", Q1, None)])
    with pytest.raises(DataFormatError, match="one cell with offences 10 and None"):
        groomstats.totals(df, by="force")


def test_rows_told_apart_by_a_column_are_summed() -> None:
    df = frame(
        [("Kent", Q1, 10), ("Kent", Q1, 10), ("Kent", Q2, 4), ("Essex", Q1, 7)],
        offence_code=["88A", "88E", "88A", "88A"],
    )
    t = groomstats.totals(df, by="force", window="2017/18 Q1")
    assert dict(zip(t["force"], t["offences"], strict=True)) == {"Essex": 7, "Kent": 10 + 10}
    assert t.filter(pl.col("force") == "Kent")["rows"].item() == 2
    # the same frame with the code dropped: the two Kent Q1 rows can no longer be told apart
    with pytest.raises(DataFormatError, match="rows 0 and 1 of the frame"):
        groomstats.totals(df.drop("offence_code"), by="force", window="2017/18 Q1")


def test_the_combined_homicide_code_may_repeat_as_read_prc_allows() -> None:
    """The Home Office writes homicide as four rows of code 1/4.1/4.10/4.2 per force and
    quarter (Avon and Somerset 2017/18 Q1: 0, 0, 1, 1 in the shipped table): summed, 2."""
    code = "1/4.1/4.10/4.2"
    df = frame(
        [("Avon and Somerset", Q1, v) for v in (0, 0, 1, 1)],
        offence_code=[code] * 4,
        offence=["Homicide"] * 4,
    )
    t = groomstats.totals(df, by="force")
    assert t["offences"].to_list() == [2]
    prc = groomstats.datasets.prc()
    shipped = groomstats.totals(prc, by=["force", "offence_code"], window="2017/18 Q1").filter(
        (pl.col("force") == "Avon and Somerset") & (pl.col("offence_code") == code)
    )
    assert shipped["offences"].to_list() == [2]
    # any other code repeated the same way is refused
    with pytest.raises(DataFormatError, match="rows 0, 1, 2 and 3 of the frame"):
        groomstats.totals(df.with_columns(offence_code=pl.lit("88A")), by="force")


def test_only_the_rows_of_the_window_are_checked_on_date_columns() -> None:
    """Repeats outside the window enter no sum (and a LazyFrame never reads them): the window's
    totals stand, eager or lazy alike; the whole span (no window) is refused."""
    df = frame([("Kent", OLD, 5), ("Kent", OLD, 5), ("Kent", Q1, 10), ("Essex", Q1, 7)])
    for data in (df, df.lazy()):
        t = groomstats.totals(data, by="force", window="2017/18 Q1")
        assert dict(zip(t["force"], t["offences"], strict=True)) == {"Essex": 7, "Kent": 10}
    with (
        warnings.catch_warnings(),
        pytest.raises(DataFormatError, match="rows 0 and 1 of the frame"),
    ):
        warnings.simplefilter("ignore", SeriesBreakWarning)
        groomstats.totals(df, by="force")


def test_change_refuses_a_repeated_row_in_either_window_and_in_a_national_frame() -> None:
    base = (date(2017, 4, 1), date(2018, 3, 31))
    cur = (date(2018, 4, 1), date(2019, 3, 31))
    df = frame([("Kent", base, 100), ("Kent", cur, 150), ("Essex", base, 80), ("Essex", cur, 90)])
    c = groomstats.change(df, "2018/19", by="force")
    assert c["national_current"].to_list() == [150 + 90] * 2
    repeated = pl.concat([df, df.slice(0, 1)])  # Kent 2017/18 twice
    with pytest.raises(DataFormatError, match=r"^change\(\): rows 0 and 4 of the frame"):
        groomstats.change(repeated, "2018/19", by="force")
    national = pl.DataFrame(
        {"period_start": [base[0], cur[0], cur[0]], "period_end": [base[1], cur[1], cur[1]]}
    ).with_columns(offences=pl.Series([1000, 1200, 1200]))
    with pytest.raises(DataFormatError, match="rows 1 and 2 of the frame"):
        groomstats.change(df, "2018/19", by="force", against=national)
    ok = groomstats.change(df, "2018/19", by="force", against=national.unique())
    assert ok["national_current"].to_list() == [1200, 1200]


def test_a_duckdb_relation_is_refused_with_its_values() -> None:
    duckdb = pytest.importorskip("duckdb")
    rel = duckdb.from_arrow(TWICE.with_columns(offence_code=pl.lit("88A")).to_arrow())
    with pytest.raises(DataFormatError, match=r"2 rows of the frame .* \(offences 10 each\)"):
        groomstats.totals(rel, by="force")


def test_many_distinct_rows_per_cell_are_summed_as_polars_sums_them() -> None:
    """20,000 distinct rows, hundreds per force and quarter told apart by code and sub-category:
    no false refusal (the hash check), and the sums of a plain polars group_by."""
    rng = np.random.default_rng(7)
    grid = pl.DataFrame({"force": ["Kent", "Essex"]}).join(
        pl.DataFrame({"period_start": [Q1[0], Q2[0]], "period_end": [Q1[1], Q2[1]]}),
        how="cross",
    )
    grid = grid.join(pl.DataFrame({"offence_code": ["88A", "88E"]}), how="cross")
    grid = grid.join(pl.DataFrame({"sub": np.arange(2500)}), how="cross")
    df = grid.with_columns(offences=pl.Series(rng.poisson(3.0, grid.height)))
    t = groomstats.totals(df, by="force", window="2017/18 Q1..2017/18 Q2")
    want = df.group_by("force").agg(pl.col("offences").sum())
    got = t.join(want, on="force", suffix="_polars")
    assert got.height == 2 and (got["offences"] == got["offences_polars"]).all()
    assert t["rows"].to_list() == [10_000, 10_000]
    with pytest.raises(DataFormatError, match="rows 0 and 20000 of the frame"):
        groomstats.totals(pl.concat([df, df.head(1)]), by="force")


def test_a_duckdb_relation_checks_inside_its_engine() -> None:
    """Two counts for one cell are named by their range; rows told apart by a code are summed
    (the group_by of every column runs in DuckDB)."""
    duckdb = pytest.importorskip("duckdb")
    two = frame([("Kent", Q1, 10), ("Kent", Q1, 12)], offence_code=["88A", "88A"])
    with pytest.raises(DataFormatError, match=r"2 rows .* one cell with offences from 10 to 12"):
        groomstats.totals(duckdb.from_arrow(two.to_arrow()), by="force")
    apart = two.with_columns(offence_code=pl.Series(["88A", "88E"]))
    t = groomstats.totals(duckdb.from_arrow(apart.to_arrow()), by="force")
    assert t["offences"].to_list() == [10 + 12]

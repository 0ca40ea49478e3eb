"""change(): the like-for-like comparator leaves out an area whose window is incomplete (found
by hostile testing).

With Kent's 2017/18 Q1 figure N/a, change(current=Q3-Q4, baseline=Q1-Q2, by="force") summed
Kent's half-known baseline (Q2 only) into the comparator, still labelled "England and Wales",
and every other force's row compared itself with that incomplete national change without a
word. Now Kent is left out of the comparator (named in the note, the label says "42 forces"),
and with ``comparable_only=False`` the sums keep it but say they hold an incomplete window.

The table is the real 2017/18 one shipped in the package, with one cell set to ``N/a``; the
expected sums are counted by hand from its raw rows.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import datasets

RAW = pl.read_csv(datasets.path("prc"), infer_schema=False)
NOT_TERRITORIAL = ["British Transport Police", "Action Fraud", "CIFAS", "UK Finance"]
KENT_Q1 = (
    (pl.col("Force Name") == "Kent")
    & (pl.col("Offence Code") == "88A")
    & (pl.col("Financial Quarter") == "1")
)


def _sum(quarters: list[str], *, without: tuple[str, ...] = ()) -> int:
    rows = RAW.filter(
        (pl.col("Offence Code") == "88A")
        & pl.col("Financial Quarter").is_in(quarters)
        & ~pl.col("Force Name").is_in([*NOT_TERRITORIAL, *without])
    )
    return sum(int(v) for v in rows["Number of Offences"].str.strip_chars())


@pytest.fixture(scope="module")
def kent_q1_na(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("na") / "kent-q1-na.csv"
    RAW.with_columns(
        pl.when(KENT_Q1)
        .then(pl.lit("N/a"))
        .otherwise(pl.col("Number of Offences"))
        .alias("Number of Offences")
    ).write_csv(path)
    g = groomstats.grooming(groomstats.read_prc(path))
    return g.filter(pl.col("territorial"))


def test_an_incomplete_area_is_left_out_of_the_comparator(kent_q1_na: pl.DataFrame) -> None:
    c = groomstats.change(kent_q1_na, current="2017/18 Q3-Q4", baseline="2017/18 Q1-Q2", by="force")
    essex = c.filter(pl.col("force") == "Essex").row(0, named=True)
    # the 42 forces other than Kent, both windows whole, counted by hand
    assert essex["national_current"] == _sum(["3", "4"], without=("Kent",))
    assert essex["national_baseline"] == _sum(["1", "2"], without=("Kent",))
    assert essex["national_areas"] == 42
    assert essex["comparator"] == "42 forces: England and Wales except Kent"
    assert (
        "leaves out Kent (a window incomplete: a quarter or cell without figures)"
        in (essex["note"])
    )
    cur, base = _sum(["3", "4"], without=("Kent",)), _sum(["1", "2"], without=("Kent",))
    assert essex["national_pct_change"] == pytest.approx(100 * (cur - base) / base)
    # Kent's own row still says its baseline is incomplete
    kent = c.filter(pl.col("force") == "Kent").row(0, named=True)
    assert kent["baseline_complete"] is False
    assert kent["note"].startswith("incomplete window: 2017-04-01..2017-09-30")


def test_summing_every_area_says_the_sum_holds_an_incomplete_window(
    kent_q1_na: pl.DataFrame,
) -> None:
    c = groomstats.change(
        kent_q1_na,
        current="2017/18 Q3-Q4",
        baseline="2017/18 Q1-Q2",
        by="force",
        comparable_only=False,
    )
    essex = c.filter(pl.col("force") == "Essex").row(0, named=True)
    kent_q2 = int(
        RAW.filter(
            (pl.col("Force Name") == "Kent")
            & (pl.col("Offence Code") == "88A")
            & (pl.col("Financial Quarter") == "2")
        )["Number of Offences"][0].strip()
    )
    # every force summed: Kent's baseline is its Q2 alone
    assert essex["national_baseline"] == _sum(["1", "2"], without=("Kent",)) + kent_q2
    assert essex["comparator"] == "England and Wales"
    assert "the comparator's sums include incomplete windows of Kent" in essex["note"]


def test_complete_data_keep_the_whole_comparator() -> None:
    g = groomstats.grooming(groomstats.read_prc(datasets.path("prc")))
    c = groomstats.change(
        g.filter(pl.col("territorial")),
        current="2017/18 Q3-Q4",
        baseline="2017/18 Q1-Q2",
        by="force",
    )
    assert c["comparator"].unique().to_list() == ["England and Wales"]
    assert c["national_current"].unique().to_list() == [_sum(["3", "4"])]
    assert c["national_baseline"].unique().to_list() == [_sum(["1", "2"])]

"""A quarter or a year missing from the middle of the data (a sheet or a quarter left out of the
file, found by hostile testing): it is "not in the data" for every force, never skipped
silently, never called N/a, and never counted as a complete year.

Before: with 2017/18 Q3 left out the report's period read "2017/18 Q1-Q4" and Kent's missing
quarter was "N/a or blank"; with 2018/19 left out of a three-year file the year table said
2018/19 had 4 quarters in the data and counted it among the complete years.

The 2017/18 rows are the real table shipped in the package; the 2019/20 rows of the
three-year file are SYNTHETIC (the 2017/18 rows relabelled), never asserted as real.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets
from groomstats.report.context import context

RAW = pl.read_csv(datasets.path("prc"), infer_schema=False)
NOT_TERRITORIAL = ["British Transport Police", "Action Fraud", "CIFAS", "UK Finance"]
pytestmark = pytest.mark.filterwarnings("ignore::groomstats.PopulationYearWarning")


def _hand_sum(quarters: list[str]) -> int:
    rows = RAW.filter(
        (pl.col("Offence Code") == "88A")
        & pl.col("Financial Quarter").is_in(quarters)
        & ~pl.col("Force Name").is_in(NOT_TERRITORIAL)
    )
    return sum(int(v) for v in rows["Number of Offences"].str.strip_chars())


@pytest.fixture(scope="module")
def no_q3(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("noq3") / "no-q3.csv"
    RAW.filter(pl.col("Financial Quarter") != "3").write_csv(path)
    return groomstats.read_prc(path)


def test_a_middle_quarter_left_out_is_not_in_the_data(no_q3: pl.DataFrame) -> None:
    ctx = context(no_q3)
    assert (ctx.year, ctx.period) == ("2017/18", "2017/18")  # was "2017/18 Q1-Q4"
    # the total is a floor: quarters 1, 2 and 4 only, counted by hand from the raw rows
    assert ctx.national == _hand_sum(["1", "2", "4"])
    assert not ctx.national_complete
    q3 = ctx.grooming.filter(pl.col("quarter") == 3)
    assert q3.filter(pl.col("territorial"))["force"].n_unique() == 43
    assert q3["offences"].null_count() == q3.height  # no figure, never 0
    assert not q3["in_data"].any()
    kent = " ".join(groomstats.profile(no_q3, force="Kent").sentences())
    assert "are not available (not in the data), so its total for 2017/18 is not known" in kent
    assert "N/a" not in kent


@pytest.fixture(scope="module")
def year_left_out(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("gap") / "gap-year.csv"
    synthetic = RAW.with_columns(pl.lit("2019/20").alias("Financial Year"))
    pl.concat([RAW, synthetic]).write_csv(path)
    return groomstats.read_prc(path)


def test_a_year_left_out_is_named_and_not_complete(year_left_out: pl.DataFrame) -> None:
    y = context(year_left_out).years
    assert y is not None
    assert y.years == ["2017/18", "2018/19", "2019/20"]
    assert y.complete == ["2017/18", "2019/20"]  # 2018/19 was counted complete
    assert y.partial["2018/19"] == "no quarter"
    nat = {r["financial_year"]: r for r in y.national.iter_rows(named=True)}
    assert nat["2018/19"]["quarters"] == 0  # was 4
    assert nat["2018/19"]["offences"] is None and not nat["2018/19"]["complete"]
    assert nat["2018/19"]["note"] == "not in the data: no quarter of the year (not counted as 0)"
    assert nat["2017/18"]["offences"] == _hand_sum(["1", "2", "3", "4"])
    kent = y.force_series("Kent").select("financial_year", "offences", "note").rows()
    assert kent[1] == ("2018/19", None, nat["2018/19"]["note"])
    sentences = groomstats.profile(year_left_out, force="Kent").sentences()
    by_year = next(s for s in sentences if s.startswith("Sexual grooming offences recorded in"))
    assert "not available in 2018/19 (not in the data: no quarter of the year)" in by_year
    assert "no of the four" not in by_year


def test_the_latest_part_year_is_not_padded(tmp_path: Path) -> None:
    """Quarters after the last in the data are not made: 2017/18 Q1-Q2 stays a part year."""
    path = tmp_path / "half.csv"
    RAW.filter(pl.col("Financial Quarter").is_in(["1", "2"])).write_csv(path)
    ctx = context(groomstats.read_prc(path))
    assert ctx.period == "2017/18 Q1-Q2"
    assert sorted(ctx.grooming["quarter"].unique().to_list()) == [1, 2]
    assert ctx.national == _hand_sum(["1", "2"]) and ctx.national_complete

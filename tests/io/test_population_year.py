"""A population sheet whose title names several years is ambiguous (issue 16): the error
lists the years instead of silently taking the first."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import polars as pl
import pytest

import groomstats

DATA = Path(str(resources.files("groomstats") / "data"))
SHEET_CSV = DATA / "ons-mye2-persons-mid2023.csv.gz"
LOOKUP = DATA / "lad23_csp23_pfa23_lookup_dec2023.csv.gz"


def _retitled(tmp_path: Path, title: str) -> Path:
    grid = pl.read_csv(SHEET_CSV, has_header=False, infer_schema=False)
    first = grid.columns[0]
    grid = grid.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(title))
        .otherwise(pl.col(first))
        .alias(first)
    )
    out = tmp_path / "population.csv"
    grid.write_csv(out, include_header=False)
    return out


def test_title_naming_two_years_is_ambiguous(tmp_path: Path) -> None:
    sheet = _retitled(tmp_path, "Population estimates for England and Wales, mid-2011 to mid-2023")
    with pytest.raises(groomstats.DataFormatError, match=r"mid-2011, mid-2023.*pass year="):
        groomstats.read_population(sheet, LOOKUP)
    pop = groomstats.read_population(sheet, LOOKUP, year=2023)
    assert set(pop["year"].to_list()) == {2023}
    assert pop.drop("year").equals(groomstats.read_population(SHEET_CSV, LOOKUP).drop("year"))


def test_title_naming_one_year_is_read(tmp_path: Path) -> None:
    sheet = _retitled(tmp_path, "Population estimates for England and Wales, mid-2023")
    pop = groomstats.read_population(sheet, LOOKUP)
    assert set(pop["year"].to_list()) == {2023}

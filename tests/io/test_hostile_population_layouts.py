"""read_population on the ONS children-by-district file as published in tidy form
(``mid_year, lad23_code, lad23_name, all_ages, age_0_17, 0, ..., 17``: snake_case headers,
no Geography column, single years 0-17 only, no open top age). It was refused as "no header
row of the ONS mid-year estimates"; read naively, 'all ages' would have been the sum of the
ages 0-17 and '16+' the ages 16-17. The file is the copy shipped in ``groomstats/data``
(ONS mid-2022, Census 2021-based; see data/SOURCES.md); edited copies are SYNTHETIC.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets

DATA = datasets.path("prc").parent
DISTRICTS = DATA / "mye_mid2022_lad23_age0_17.csv.gz"
LOOKUP = datasets.path("lad_pfa_lookup")


def _text() -> str:
    with gzip.open(DISTRICTS, "rt", encoding="utf-8") as fh:
        return fh.read()


def _expected() -> pl.DataFrame:
    """The file summed per force area with polars alone (the independent answer)."""
    raw = pl.read_csv(DISTRICTS, infer_schema=False)
    lk = pl.read_csv(LOOKUP, infer_schema=False, encoding="utf8-lossy")
    lk = lk.rename({c: c.lstrip("\ufeff") for c in lk.columns})
    lk = lk.select("LAD23CD", "PFA23CD").unique()
    return (
        raw.join(lk, left_on="lad23_code", right_on="LAD23CD")
        .group_by("PFA23CD")
        .agg(
            pl.col("all_ages").cast(pl.Float64).sum().cast(pl.Int64).alias("all ages"),
            pl.col("age_0_17").cast(pl.Float64).sum().cast(pl.Int64).alias("0-17"),
        )
        .sort("PFA23CD")
    )


def test_the_district_file_is_read_and_sums_to_the_ons_totals() -> None:
    pop, rep = groomstats.read_population(
        DISTRICTS, LOOKUP, bands=("all ages", "0-17", "0-15"), report=True
    )
    wide = pop.pivot(on="age_band", index="force_code", values="population").sort("force_code")
    want = _expected()
    assert wide["force_code"].to_list() == want["PFA23CD"].to_list()
    assert wide["all ages"].to_list() == want["all ages"].to_list()
    assert wide["0-17"].to_list() == want["0-17"].to_list()
    # ONS England and Wales total for mid-2022 (data/ons/children_by_lad/README.md)
    assert wide["all ages"].sum() == 60_238_038
    assert (wide["0-15"] < wide["0-17"]).all()
    assert pop["year"].unique().to_list() == [2022]
    assert rep.rows_read == rep.rows_kept == 318
    assert (
        "single years of age 0-17 only (no open top age): 'all ages' read from the column "
        "'all_ages'"
    ) in rep.notes


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ("16+", "age band '16+' needs every age from 16 up, but the file holds single years 0-17"),
        ("18+", "age band '18+' needs every age from 18 up"),
        ("0-18", "goes beyond the oldest age 17"),
    ],
)
def test_bands_beyond_the_file_are_refused(band: str, message: str) -> None:
    with pytest.raises(groomstats.GroomstatsError) as e:
        groomstats.read_population(DISTRICTS, LOOKUP, bands=("0-17", band))
    assert message in str(e.value)


def test_the_mid_year_column_must_agree(tmp_path: Path) -> None:
    # SYNTHETIC: the mid-2022 file saved under a mid-2021 name
    p = tmp_path / "mye_mid2021_children.csv"
    p.write_text(_text(), encoding="utf-8")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(p, LOOKUP)
    msg = str(e.value)
    assert "the file name says mid-2021 and the mid-year column says mid-2022" in msg
    assert "pass year= (one of 2021, 2022)" in msg
    with pytest.raises(groomstats.DataFormatError, match="year=2021 but the mid-year column says"):
        groomstats.read_population(p, LOOKUP, year=2021)
    assert groomstats.read_population(p, LOOKUP, year=2022)["year"].unique().to_list() == [2022]
    # SYNTHETIC: one row of another year
    q = tmp_path / "children.csv"
    lines = _text().splitlines()
    lines[5] = "2021" + lines[5][4:]
    q.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(groomstats.DataFormatError, match=r"column 'mid_year' gives the year"):
        groomstats.read_population(q, LOOKUP)


def test_all_ages_below_the_children_is_refused(tmp_path: Path) -> None:
    # SYNTHETIC: Camden's all_ages cut below its 36,237 children
    text = _text().replace("2022,E09000007,Camden,218049.0,", "2022,E09000007,Camden,30000,")
    p = tmp_path / "mid2022.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(p, LOOKUP)
    msg = str(e.value)
    assert "'30000' at file 'mid2022.csv', row 2, column 'all_ages'" in msg
    assert "below the sum of the single years 0-17" in msg


# Districts merged since the estimates were made (Northamptonshire 2021; Cumbria, North
# Yorkshire and Somerset 2023): the mid-2019 file is on 2020 codes, the lookup on 2023 codes.
# Each abolished district was refused as "not in the lookup"; now it is summed into its
# successor's force area, said in the notes, and a file that would count people twice or
# leave some out is refused.
MID2019 = DATA / "mye_mid2019_lad20_age0_17.csv.gz"
CUMBRIA_2019 = ("E07000026", "E07000027", "E07000028", "E07000029", "E07000030", "E07000031")


def _mid2019_lines() -> list[str]:
    with gzip.open(MID2019, "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


def test_abolished_districts_are_summed_into_their_force_area() -> None:
    pop, rep = groomstats.read_population(MID2019, LOOKUP, bands=("all ages", "0-17"), report=True)
    wide = pop.pivot(on="age_band", index="force", values="population")
    assert wide.height == 43
    # ONS England and Wales total for mid-2019 (data/ons/children_by_lad/README.md)
    assert wide["all ages"].sum() == 59_439_840
    raw = pl.read_csv(MID2019, infer_schema=False)
    cumbria = raw.filter(pl.col("lad20_code").is_in(CUMBRIA_2019))
    assert cumbria.height == 6
    want = int(cumbria["age_0_17"].cast(pl.Float64).sum())
    assert wide.filter(pl.col("force") == "Cumbria")["0-17"].item() == want
    assert rep.rows_read == rep.rows_kept == raw.height
    said = next(n for n in rep.notes if "abolished" in n)
    assert said.startswith("24 district(s) abolished since the estimates were made summed into")
    assert "E07000026 Allerdale -> Cumberland" in said


def _refused_with_a_district_added(tmp: Path, code: str, name: str) -> tuple[str, int]:
    """SYNTHETIC: the mid-2022 file (2023 codes) with one district row added (20 children,
    100 people); the refusal's message and the added row's number."""
    lines = _text().splitlines()
    lines.append(f"2022,{code},{name},100,20," + ",".join(["1"] * 17) + ",3")
    p = tmp / "mid2022.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(p, LOOKUP)
    return str(e.value), len(lines)


def test_a_district_and_its_successor_together_are_refused(tmp_path: Path) -> None:
    msg, row = _refused_with_a_district_added(tmp_path, "E07000026", "Allerdale")
    assert f"local authority 'E07000026' (Allerdale, at file 'mid2022.csv', row {row})" in msg
    assert "merged into 'E06000063' (Cumberland), which the file also holds" in msg
    assert "count the same people twice" in msg


def test_some_of_a_merged_districts_predecessors_missing_are_refused(tmp_path: Path) -> None:
    # SYNTHETIC: the mid-2019 file without Eden (merged into Westmorland and Furness)
    lines = [ln for ln in _mid2019_lines() if ",E07000030," not in ln]
    p = tmp_path / "mid2019.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(p, LOOKUP)
    msg = str(e.value)
    assert "merged into 'E06000064' (Westmorland and Furness) but not 'E07000030' (Eden)" in msg


def test_a_district_code_nobody_knows_is_refused_by_code(tmp_path: Path) -> None:
    # a made-up district code: never dropped from the sums
    msg, row = _refused_with_a_district_added(tmp_path, "E07999999", "Nowhere")
    assert (
        f"local authority 'E07999999' (Nowhere) at file 'mid2022.csv', row {row} is not in the "
        "lookup"
    ) in msg


# ONS MYE4: all ages, one column a mid-year (Mid-2023 ... Mid-2011), no single years of age.
# read_population refused it ("no header row"); now year= picks the column, only 'all ages'
# can be asked for, and a sheet of many years without year= is refused listing them.
MYE4 = DATA / "ons-mye4-all-ages-mid2011-mid2023.csv.gz"


def test_the_summary_sheet_gives_one_mid_year_of_all_ages() -> None:
    pop, rep = groomstats.read_population(MYE4, LOOKUP, year=2019, report=True)
    raw = pl.read_csv(MYE4, skip_rows=1, infer_schema=False)  # the independent answer
    ew = raw.filter(pl.col("Code") == "K04000001")  # the sheet's England and Wales row
    assert pop["population"].sum() == int(ew["Mid-2019"].item()) == 59_317_788
    assert pop.height == 43
    assert pop["age_band"].unique().to_list() == ["all ages"]
    assert pop["year"].unique().to_list() == [2019]
    assert (
        "all ages for mid-2019 read from the column 'Mid-2019' of a sheet of mid-2011 to "
        "mid-2023 (no single years of age)"
    ) in rep.notes
    # mid-2023 through this sheet equals the MYE2 single-year sheet's all ages
    all_2023 = groomstats.read_population(MYE4, LOOKUP, year=2023, bands="all ages")
    mye2 = groomstats.read_population(datasets.path("population_sheet"), LOOKUP, bands="all ages")
    assert all_2023.equals(mye2)


def test_the_summary_sheet_needs_a_year_and_all_ages() -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(MYE4, LOOKUP)
    assert "gives all-ages estimates for mid-2011 to mid-2023, one column a year: pass year=" in (
        str(e.value)
    )
    with pytest.raises(groomstats.DataFormatError, match="year=2030 is not among them"):
        groomstats.read_population(MYE4, LOOKUP, year=2030)
    with pytest.raises(groomstats.GroomstatsError) as e2:
        groomstats.read_population(MYE4, LOOKUP, year=2019, bands=("all ages", "0-17"))
    assert "gives all ages only, no single years of age" in str(e2.value)

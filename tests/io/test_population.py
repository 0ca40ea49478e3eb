"""read_population on the shipped copy of the ONS sheet and on workbooks written from it."""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

import groomstats

DATA = Path(str(resources.files("groomstats") / "data"))
SHEET_CSV = DATA / "ons-mye2-persons-mid2023.csv.gz"
LOOKUP = DATA / "lad23_csp23_pfa23_lookup_dec2023.csv.gz"


def _grid() -> list[list[str]]:
    df = pl.read_csv(SHEET_CSV, has_header=False, infer_schema=False)
    return [list(r) for r in df.rows()]


def _write_workbook(path: Path, grid: list[list[str]], sheet: str = "MYE2 - Persons") -> Path:
    """Lay the sheet out as ONS does: title, note rows, header, data (numbers as numbers)."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Cover sheet").write(0, 0, "Population estimates")
    ws = wb.add_worksheet(sheet)
    ws.write(0, 0, grid[0][0])
    for i, note in enumerate(["This worksheet contains one table.", "Feedback link"]):
        ws.write(1 + i, 0, note)
    for r, row in enumerate(grid[1:], start=3):
        for c, v in enumerate(row):
            if v is None:
                continue
            ws.write_number(r, c, int(v)) if r > 3 and c >= 3 else ws.write_string(r, c, v)
    wb.close()
    return path


def _write_lookup(path: Path, lines: list[str]) -> Path:
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _assert_independent_sums(pop: pl.DataFrame) -> None:
    """Check against ``pfa_population_mid2023.csv``: the ONS sheet summed per force area
    outside groomstats (see data/SOURCES.md), never against another groomstats reader call."""
    want = pl.read_csv(DATA / "pfa_population_mid2023.csv")
    got = pop.pivot(on="age_band", index="force_code", values="population")
    both = want.join(got, left_on="PFA23CD", right_on="force_code", how="full")
    assert both.height == 43
    assert both["population_all_ages_mid2023"].to_list() == both["all ages"].to_list()
    assert both["population_aged_0_17_mid2023"].to_list() == both["0-17"].to_list()
    assert both["population_aged_0_15_mid2023"].to_list() == both["0-15"].to_list()
    # ONS England and Wales totals (the sheet's own K04000001 row): 60,854,727 and 12,618,614
    assert got["all ages"].sum() == 60_854_727
    assert got["0-17"].sum() == 12_618_614
    assert pop["year"].unique().to_list() == [2023]


def _lookup_lines() -> list[str]:
    with gzip.open(LOOKUP, "rt", encoding="utf-8-sig") as f:
        return f.read().splitlines()


def test_shipped_lookup_has_bom_and_split_authorities() -> None:
    with gzip.open(LOOKUP, "rb") as f:
        assert f.read(3) == b"\xef\xbb\xbf"
    lines = _lookup_lines()
    lads = [ln.split(",")[0] for ln in lines[1:]]
    assert len(lads) == 332
    assert len(set(lads)) == 318  # authorities split over several CSPs are counted once


def test_row_accounting() -> None:
    pop, rep = groomstats.read_population(SHEET_CSV, LOOKUP, report=True)
    assert rep.rows_read == 357
    assert rep.rows_kept == 318
    assert rep.excluded == {
        "aggregate geography (Country)": 3,
        "aggregate geography (Region)": 9,
        "aggregate geography (Metropolitan County)": 6,
        "aggregate geography (County)": 21,
    }
    _assert_independent_sums(pop)


def test_xlsx_workbook_matches_shipped_copy(tmp_path: Path) -> None:
    wb = _write_workbook(tmp_path / "mid_year_population_estimates.xlsx", _grid())
    pop, rep = groomstats.read_population(wb, LOOKUP, report=True)
    _assert_independent_sums(pop)
    assert pop["year"].unique().to_list() == [2023]  # from the sheet title
    assert rep.rows_read == 357


def test_bands() -> None:
    pop = groomstats.read_population(
        SHEET_CSV, LOOKUP, bands=("all ages", "0-17", "18+", "90+", "80+", "0", "10-15", "85-89")
    )
    w = pop.pivot(on="age_band", index="force_code", values="population")
    assert (w["0-17"] + w["18+"] == w["all ages"]).all()
    grid = _grid()
    header = grid[1]
    ew = next(r for r in grid if r[0] == "K04000001")  # England and Wales row of the sheet
    col = {h: int(v) for h, v in zip(header, ew, strict=True) if h[0].isdigit()}
    assert w["90+"].sum() == col["90+"]
    assert w["0"].sum() == col["0"]
    assert w["10-15"].sum() == sum(col[str(a)] for a in range(10, 16))
    assert w["80+"].sum() == sum(col[str(a)] for a in range(80, 90)) + col["90+"]
    assert w["85-89"].sum() == sum(col[str(a)] for a in range(85, 90))
    assert w["all ages"].sum() == int(ew[3]) == 60_854_727


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ("85-95", r"splits the open top age '90\+'"),
        ("95+", "starts above the open top age"),
        ("17-0", "ends before it starts"),
        ("teenagers", "is not 'all ages'"),
        ("All Ages", "asked for twice"),
    ],
)
def test_bad_bands(band: str, message: str) -> None:
    with pytest.raises(groomstats.GroomstatsError, match=message):
        groomstats.read_population(SHEET_CSV, LOOKUP, bands=["all ages", band])


def test_wrong_sheet(tmp_path: Path) -> None:
    wb = _write_workbook(tmp_path / "pop.xlsx", _grid())
    with pytest.raises(groomstats.DataFormatError, match=r"no sheet 'MYE2 Persons' — did you mean"):
        groomstats.read_population(wb, LOOKUP, sheet="MYE2 Persons")
    with pytest.raises(groomstats.DataFormatError, match="no header row"):
        groomstats.read_population(wb, LOOKUP, sheet="Cover sheet")


def test_non_numeric_cell(tmp_path: Path) -> None:
    grid = _grid()
    grid[5][10] = "1O2"
    p = tmp_path / "mye2_mid2023.csv"
    pl.DataFrame(grid, orient="row").write_csv(p, include_header=False)
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(p, LOOKUP)
    assert f"'1O2' at file 'mye2_mid2023.csv', row 6, column '{grid[1][10]}'" in str(e.value)


def test_total_not_sum_of_ages(tmp_path: Path) -> None:
    grid = _grid()
    grid[20][3] = str(int(grid[20][3]) + 1)
    p = tmp_path / "mye2_mid2023.csv"
    pl.DataFrame(grid, orient="row").write_csv(p, include_header=False)
    with pytest.raises(groomstats.DataFormatError, match="'All ages' total that is not the sum"):
        groomstats.read_population(p, LOOKUP)


def test_lookup_problems(tmp_path: Path) -> None:
    lines = _lookup_lines()
    # an authority missing from the lookup
    cut = [ln for ln in lines if not ln.startswith("E06000001,")]
    with pytest.raises(groomstats.DataFormatError, match=r"'E06000001' \(Hartlepool\).*not in"):
        groomstats.read_population(SHEET_CSV, _write_lookup(tmp_path / "cut.csv", cut))
    # an authority in two forces
    two = [*lines, lines[1].replace("E23000013,Cleveland", "E23000008,Durham")]
    with pytest.raises(groomstats.DataFormatError, match="more than one police force area"):
        groomstats.read_population(SHEET_CSV, _write_lookup(tmp_path / "two.csv", two))
    # a renamed code column
    bad = [lines[0].replace("PFA23CD", "PFA_CODE"), *lines[1:]]
    with pytest.raises(groomstats.DataFormatError, match=r"missing column 'PFAxxCD'"):
        groomstats.read_population(SHEET_CSV, _write_lookup(tmp_path / "bad.csv", bad))
    # a force name that contradicts its code
    wrong = [ln.replace("E23000013,Cleveland", "E23000013,Durham") for ln in lines]
    with pytest.raises(groomstats.DataFormatError, match="'E23000013' is named 'Durham'"):
        groomstats.read_population(SHEET_CSV, _write_lookup(tmp_path / "wrong.csv", wrong))


def test_year_needed_when_unknown(tmp_path: Path) -> None:
    grid = _grid()
    grid[0][0] = "Persons by single year of age"
    p = tmp_path / "mye2.csv"
    pl.DataFrame(grid, orient="row").write_csv(p, include_header=False)
    with pytest.raises(groomstats.DataFormatError, match="pass year="):
        groomstats.read_population(p, LOOKUP)
    _assert_independent_sums(groomstats.read_population(p, LOOKUP, year=2023))


def test_empty_workbook_csv(tmp_path: Path) -> None:
    p = tmp_path / "empty.csv"
    p.write_text("")
    with pytest.raises(groomstats.DataFormatError, match="is empty"):
        groomstats.read_population(p, LOOKUP)

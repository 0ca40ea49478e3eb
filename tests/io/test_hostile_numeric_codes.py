"""Offence codes stored as numbers: a number cell (or a float column) turns the Home Office
code 4.10 into 4.1, and 4.1 and 4.10 are different offences (the shipped table's homicide row
is ``1/4.1/4.10/4.2``). A whole number (``88.0``) is unambiguous; a code of one decimal place
stored as a number is read by its description when the shipped Home Office table tells which
code it is (as written, or with the trailing zero), and refused listing both readings
otherwise; a text cell is what it says.

Every file and frame here is SYNTHETIC, written by the test (the descriptions of 37.1 and
Homicide are those of the shipped 2017/18 table; the counts are made up).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError
from groomstats.io import _codes as codes

sys.path.insert(0, str(Path(__file__).parent))
from edition_gen import HEADER, write_ods, write_xlsx

TITLE = ["SYNTHETIC test data: not Home Office figures"]
SHIPPED_37_1 = "Causing death by aggravated vehicle taking"  # 37.1 in the shipped table


def _row(code: Any, description: str, force: str = "Kent") -> list[Any]:
    return ["2017/18", 1, force, description, "Synthetic group", "Synthetic subgroup", code, 3]


def _sheet(tmp: Path, suffix: str, rows: list[list[Any]]) -> Path:
    """A workbook: a title row, the header (row 2), then ``rows`` from row 3; a Python float
    or int is written as a number cell, a str as a text cell."""
    path = tmp / f"codes{suffix}"
    writer = write_ods if suffix == ".ods" else write_xlsx
    writer(path, {"2017-18": [TITLE, HEADER, *rows]})
    return path


def _csv(tmp: Path, codes_and_descriptions: list[tuple[str, str]]) -> Path:
    path = tmp / "codes.csv"
    lines = [",".join(HEADER)] + [",".join(map(str, _row(c, d))) for c, d in codes_and_descriptions]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


MIXED = [
    _row(88, "Sexual grooming", "Kent"),  # a whole number cell
    _row(17.0, "Sexual assault on a male aged 13 and over", "Essex"),  # a whole float
    _row("88A", "Sexual grooming", "Essex"),  # text among numbers
    _row(37.1, SHIPPED_37_1, "Kent"),  # a number, its description the shipped 37.1's
    _row("4.10", "Synthetic offence", "Kent"),  # text keeps its zero
    _row("4.1", "Synthetic offence", "Essex"),  # text: what it says
]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_number_cells_read_as_codes(tmp_path: Path, suffix: str) -> None:
    df = groomstats.read_prc(_sheet(tmp_path, suffix, MIXED))
    assert df["offence_code"].to_list() == ["88", "17", "88A", "37.1", "4.10", "4.1"]


def _refusal(value: str, where: str, description: str) -> str:
    return (
        f"offence code stored as a number '{value}' at {where}, column 'Offence Code'; it "
        f"reads '{value}' or '{value}0' (a number drops the trailing zero of a code such as "
        f"4.10), and its description {description!r} does not tell which; store the Offence "
        "Code column as text (format the column as Text and type the codes again: a text "
        f"cell keeps '{value}0')"
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
@pytest.mark.parametrize(
    ("value", "description"),
    [
        (4.1, "Synthetic offence"),  # a description the shipped table does not know
        (4.1, "Homicide"),  # the shipped table gives Homicide to 4.1 and to 4.10
        (8.1, "Synthetic offence"),
        (4.3, "Synthetic offence"),  # 4.3 or 4.30: the description does not say
    ],
)
def test_number_cell_with_two_readings_refused(
    tmp_path: Path, suffix: str, value: float, description: str
) -> None:
    rows = [_row("88A", "Sexual grooming"), _row(value, description, "Essex")]
    path = _sheet(tmp_path, suffix, rows)
    with pytest.raises(DataFormatError) as e:
        groomstats.read_prc(path)
    where = f"file '{path.name}', sheet '2017-18', row 4"
    assert str(e.value) == _refusal(str(value), where, description)


def test_csv_written_from_floats(tmp_path: Path) -> None:
    # '88.0' says the column was written from numbers: its '4.1' may have been 4.10
    path = _csv(tmp_path, [("88.0", "Sexual grooming"), ("4.1", "Synthetic offence")])
    with pytest.raises(DataFormatError) as e:
        groomstats.read_prc(path)
    assert str(e.value) == _refusal("4.1", f"file '{path.name}', row 3", "Synthetic offence")
    # a description the shipped table gives to 37.1 alone settles it
    path = _csv(tmp_path, [("88.0", "Sexual grooming"), ("37.1", SHIPPED_37_1)])
    df, rep = groomstats.read_prc(path, report=True)
    assert df["offence_code"].to_list() == ["88", "37.1"]
    assert (
        "1 offence code(s) written as whole numbers with a decimal point ('88.0') read as '88'"
        in rep.notes
    )


def test_csv_of_text_codes_kept_as_written(tmp_path: Path) -> None:
    # no sign of numbers: '4.1' and '4.10' are the codes the file gives
    path = _csv(tmp_path, [("4.1", "Synthetic offence"), ("4.10", "Synthetic offence 2")])
    assert groomstats.read_prc(path)["offence_code"].to_list() == ["4.1", "4.10"]


def _frame(codes: list[float]) -> dict[str, list[Any]]:
    rows = [_row(c, SHIPPED_37_1 if c == 37.1 else "Synthetic offence") for c in codes]
    cols = {h: [r[j] for r in rows] for j, h in enumerate(HEADER)}
    return {h: v if h == "Offence Code" else [str(x) for x in v] for h, v in cols.items()}


def test_float_column_of_a_frame() -> None:
    with pytest.raises(DataFormatError) as e:
        groomstats.read_prc(pl.DataFrame(_frame([88.0, 4.1])))
    assert str(e.value) == _refusal("4.1", "file '<DataFrame>', row 2", "Synthetic offence")
    df = groomstats.read_prc(pd.DataFrame(_frame([88.0, 37.1])))
    assert df["offence_code"].to_list() == ["88", "37.1"]


def test_the_shipped_table_gives_no_code_with_a_trailing_zero_alone() -> None:
    # why the next test needs a synthetic code list: the only code of the shipped table ending
    # in a zero after the point, 4.10, shares its description (Homicide) with 4.1
    known = codes.known_codes()
    tens = known.filter(pl.col("code").str.contains(r"^\d+\.\d0$"))
    assert tens.rows() == [("4.10", "homicide")]
    assert ("4.1", "homicide") in known.rows()


SYNTHETIC_TEN = "Synthetic offence eight ten"  # given to 8.10 alone in the synthetic list
SYNTHETIC_ONE = "Synthetic offence eight one"  # given to 8.1 alone


@pytest.fixture
def synthetic_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped code list with a SYNTHETIC pair 8.1 / 8.10 of different descriptions."""
    extra = pl.DataFrame(
        {"code": ["8.1", "8.10"], "description": [SYNTHETIC_ONE.lower(), SYNTHETIC_TEN.lower()]}
    )
    known = pl.concat([codes.known_codes(), extra])
    monkeypatch.setattr(codes, "known_codes", lambda: known)


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_number_read_as_the_code_its_description_names(
    tmp_path: Path, suffix: str, synthetic_codes: None
) -> None:
    rows = [
        _row(8.1, SYNTHETIC_TEN, "Kent"),  # a number whose description is 8.10's alone
        _row(8.1, SYNTHETIC_ONE, "Essex"),  # ... 8.1's alone
        _row("8.1", SYNTHETIC_TEN, "Surrey"),  # text: what it says
    ]
    df, rep = groomstats.read_prc(_sheet(tmp_path, suffix, rows), report=True)
    assert df["offence_code"].to_list() == ["8.10", "8.1", "8.1"]
    assert (
        "1 offence code(s) stored as numbers read by their description as the code with a "
        "trailing zero: '8.1' as '8.10'"
    ) in rep.notes


def test_a_float_column_read_as_the_code_its_description_names(synthetic_codes: None) -> None:
    frame = {h: [str(v)] for h, v in zip(HEADER, _row("x", SYNTHETIC_TEN), strict=True)}
    frame["Offence Code"] = [8.1]
    assert groomstats.read_prc(pl.DataFrame(frame))["offence_code"].to_list() == ["8.10"]

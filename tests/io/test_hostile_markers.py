"""Official markers and awkward numbers in count cells: each marker of a figure not given stays
null (never 0) and is counted by meaning; a number with a status flag is the number, noted; an
ambiguous cell is refused listing its readings.

The markers are the Government Analysis Function's shorthand (``[c]`` confidential, ``[x]``
not available, ``[z]`` not applicable, ``[low]``) and the older ``..``, ``:``, ``x``, ``*``.
Every file is SYNTHETIC, written by the test.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import groomstats

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)


def _prc(tmp: Path, cell: str) -> Path:
    p = tmp / "cells.csv"
    rows = [
        HEADER,
        f'2017/18,1,Kent,Sexual grooming,Sexual offences,Other sexual offences,88A,"{cell}"',
        "2017/18,1,Essex,Sexual grooming,Sexual offences,Other sexual offences,88A,2",
    ]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("cell", "note"),
    [
        ("[c]", "1 count(s) suppressed ('[c]') kept as null, not 0"),
        ("*", "1 count(s) suppressed ('*') kept as null, not 0"),
        ("[low]", "1 count(s) suppressed ('[low]') kept as null, not 0"),
        ("[z]", "1 count(s) not applicable ('[z]') kept as null, not 0"),
        ("[x]", "1 count(s) not available ('[x]') kept as null"),
        ("..", "1 count(s) not available ('..') kept as null"),
    ],
)
def test_prc_markers_stay_null_and_are_counted(tmp_path: Path, cell: str, note: str) -> None:
    # '[c]', '[z]', '*' and '[low]' were refused as "non-numeric", so a table in the
    # Government Analysis Function's style could not be read at all
    df, rep = groomstats.read_prc(_prc(tmp_path, cell), report=True)
    assert df["offences"].to_list() == [None, 2]
    assert note in rep.notes
    assert rep.rows_kept == 2


@pytest.mark.parametrize(
    ("cell", "value", "note"),
    [
        ("45 [r]", 45, "1 count(s) marked revised: read as the number given"),
        ("45(p)", 45, "1 count(s) marked provisional: read as the number given"),
        ("1,234 [note 3]", 1234, "1 count(s) with a footnote mark: read as the number given"),
    ],
)
def test_prc_status_flags(tmp_path: Path, cell: str, value: int, note: str) -> None:
    df, rep = groomstats.read_prc(_prc(tmp_path, cell), report=True)
    assert df["offences"].to_list() == [value, 2]
    assert note in rep.notes


@pytest.mark.parametrize(
    ("cell", "fix"),
    [
        # '1.000' was read as 1: with '.' separating thousands it is 1,000
        ("1.000", "it is ambiguous: 1 (a decimal point) or 1,000 (a '.' separating thousands)"),
        ("123 [x]", "it is ambiguous: the number 123 or the marker [x]"),
        ("-", "a lone dash is ambiguous: zero, or not available; write 0, or N/a"),
        ("1.5", "a count cannot be a fraction"),
        ("NaN", "NaN is not a count: a missing count is an empty cell (or N/a)"),
    ],
)
def test_prc_ambiguous_cells_are_refused_with_readings(tmp_path: Path, cell: str, fix: str) -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(_prc(tmp_path, cell))
    msg = str(e.value)
    assert (
        f"non-numeric count '{cell}' at file 'cells.csv', row 2, column 'Number of Offences'"
        in (msg)
    )
    assert fix in msg


def _breakdown(cells: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Force": ["Kent", "Essex", "Surrey", "Sussex"][: len(cells)],
            "Period": ["2023/24"] * len(cells),
            "Platform": ["Snapchat"] * len(cells),
            "Offences": cells,
        }
    )


def test_breakdown_markers() -> None:
    # '[c]' and '<5' are suppressed (null, suppressed=True), '[x]' and '[z]' not provided;
    # all four were refused before, and '<5' must never be read as 5 or 0
    df, rep = groomstats.read_breakdown(_breakdown(["[c]", "<5", "[x]", "[z]"]), report=True)
    assert df.select("force", "offences", "suppressed").rows() == [
        ("Kent", None, True),
        ("Essex", None, True),
        ("Surrey", None, False),
        ("Sussex", None, False),
    ]
    assert "2 suppressed cell(s) ('[c]', '<5') kept as null with suppressed=True" in rep.notes
    assert "1 cell(s) given as a bound ('<5') kept as suppressed" in rep.notes
    assert "1 cell(s) not applicable ('[z]') kept as null, not 0" in rep.notes


def test_breakdown_flags_and_ambiguous_thousands() -> None:
    df, rep = groomstats.read_breakdown(_breakdown(["12 [r]", "7"]), report=True)
    assert df["offences"].to_list() == [12, 7]
    assert "1 cell(s) marked revised: read as the number given" in rep.notes
    # '1.000' was silently read as 1
    with pytest.raises(groomstats.DataFormatError, match=r"or 1,000 \(a '\.' separating"):
        groomstats.read_breakdown(_breakdown(["1.000", "7"]))


def test_breakdown_negative_count_is_called_negative() -> None:
    # it was reported as "non-numeric count '-4'"
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(_breakdown(["-4", "7"]))
    assert str(e.value).startswith("negative count '-4' at file '<DataFrame>', row 1")
    assert "a count cannot be below 0" in str(e.value)


def test_a_percentage_is_not_a_count() -> None:
    # '52%' got the generic "counts must be whole numbers" message
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(_breakdown(["52%", "7"]))
    assert "52% is a percentage, not a count: give the number of offences" in str(e.value)

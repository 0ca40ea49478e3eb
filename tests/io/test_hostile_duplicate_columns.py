"""A header of the Home Office table repeated as a second column (the real 2013/14 sheet has
three stray duplicates, empty below). A stray 'Number of Offences' holding OTHER numbers was
ignored with only a note ("ignored extra column(s)"): two readings of every count, the first
chosen silently. Now refused naming file, row, both columns and both values; an empty stray
column, or one holding the same numbers, is still ignored with the note. Files are SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
ROW = "2017/18,1,{force},Sexual grooming,Sexual offences,Other sexual offences,88A,{n}"


def _file(tmp: Path, stray: list[str], header: str = "Number of Offences") -> Path:
    lines = [f"{HEADER},{header}"] + [
        ROW.format(force=f, n=n) + f",{s}"
        for (f, n), s in zip(
            [("Kent", " 59 "), ("Essex", "7"), ("Surrey", '"1,234"')], stray, strict=True
        )
    ]
    p = tmp / "dup.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_a_stray_count_column_that_disagrees_is_refused(tmp_path: Path) -> None:
    p = _file(tmp_path, ["59", "8", "1234"])
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    assert str(e.value) == (
        "the header 'Number of Offences' appears twice in file 'dup.csv', row 3 (columns 8 and "
        "9) and the two disagree there: '7' in the first, '8' in the second (1 row(s) in all). "
        "Two readings of the same figures: delete the stray column, or correct it"
    )


def test_a_stray_column_under_another_spelling_of_the_header_is_checked(tmp_path: Path) -> None:
    p = _file(tmp_path, ["60", "7", '"1,234"'], header="number of offences ")
    with pytest.raises(groomstats.DataFormatError, match="' 59 ' in the first, '60' in the"):
        groomstats.read_prc(p)


@pytest.mark.parametrize("stray", [["", "", ""], ["59", "7", '"1,234"'], ["x", "-", "N/a"]])
def test_an_empty_or_agreeing_stray_column_is_ignored_and_said(
    tmp_path: Path, stray: list[str]
) -> None:
    df, rep = groomstats.read_prc(_file(tmp_path, stray), report=True)
    assert df.select("force", "offences").rows() == [("Kent", 59), ("Essex", 7), ("Surrey", 1234)]
    assert any("ignored extra column" in n and "Number of Offences" in n for n in rep.notes)

"""read_prc of a workbook whose sheets head their force code column differently ('Force Code'
on one, 'PFA23CD' on the next): a wrong code was reported under the first sheet's header, a
column the user cannot find on the sheet named. SYNTHETIC workbook written by the test; the
codes are those of the package's force reference (Kent E23000032, Sussex E23000033).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import groomstats

sys.path.insert(0, str(Path(__file__).parent))
from edition_gen import HEADER, write_xlsx


def _row(year: str, code: str) -> list[object]:
    return [
        year,
        1,
        "Kent",
        "Sexual grooming",
        "Sexual offences",
        "Other sexual offences",
        "88A",
        5,
        code,
    ]


def test_a_wrong_code_names_the_column_of_its_own_sheet(tmp_path: Path) -> None:
    book = tmp_path / "codes.xlsx"
    write_xlsx(
        book,
        {
            "2017-18": [[*HEADER, "Force Code"], _row("2017/18", "E23000032")],
            "2018-19": [[*HEADER, "PFA23CD"], _row("2018/19", "E23000033")],
        },
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(book)
    msg = str(e.value)
    where = "file 'codes.xlsx', sheet '2018-19', row 2, column 'PFA23CD'"
    assert f"force code 'E23000033' at {where}" in msg
    assert "'E23000033' is the code of Sussex" in msg

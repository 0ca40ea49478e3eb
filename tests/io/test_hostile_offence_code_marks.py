"""An offence code with a stray mark after it ('88A.', '88A/'), as copying from a PDF or a
sentence leaves it: read_prc kept it as an offence of its own, so grooming() (88A) left the
row out without a word. Now refused with the code to write. Files are SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats

PRC_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)


def _prc_row(force: str, n: int, code: str = "88A") -> str:
    return f"2017/18,1,{force},Sexual grooming,Sexual offences,Other sexual offences,{code},{n}"


@pytest.mark.parametrize("code", ["88A.", "88A/", "88 a."])
def test_an_offence_code_with_a_stray_mark_is_refused(tmp_path: Path, code: str) -> None:
    p = tmp_path / "mark.csv"
    p.write_text(
        "\n".join([PRC_HEADER, _prc_row("Kent", 5), _prc_row("Surrey", 3, code)]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    msg = str(e.value)
    assert "at file 'mark.csv', row 3, column 'Offence Code' ends in a stray mark" in msg
    assert "every filter on '88A' would miss the row; write '88A'" in msg


def test_combined_and_decimal_codes_still_read(tmp_path: Path) -> None:
    p = tmp_path / "codes.csv"
    p.write_text(
        "\n".join([PRC_HEADER, _prc_row("Kent", 5, "1/4.1/4.10/4.2"), _prc_row("Kent", 2, "37.1")])
        + "\n",
        encoding="utf-8",
    )
    df = groomstats.read_prc(p)
    assert df.select("offence_code", "offences").rows() == [("1/4.1/4.10/4.2", 5), ("37.1", 2)]

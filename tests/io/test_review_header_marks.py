"""A force code column whose header carries a footnote mark or a byte order mark.

Every reader compares headers without case, footnote marks (``[note 1]``, ``*``) or a tidy
file's underscores; the force code column check (``force_code_column``) compared them its own
way, keeping the mark, so ``Force Code [note 1]`` was no force code column: in read_breakdown it
became a second category (counts split by code, a wrong code never checked), in read_prc an
"ignored extra column" (Kent with Sussex's code unseen). Every file is SYNTHETIC, written by
the test; the codes are those of the package's force reference (Kent E23000032, Sussex
E23000033, Gwent W15000002).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import groomstats


def _csv(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("header", ["Force Code [note 1]", "Force Code*", "force_code [note 2]"])
def test_a_marked_force_code_header_is_checked_not_a_category(tmp_path: Path, header: str) -> None:
    p = _csv(
        tmp_path,
        "codes.csv",
        [
            f"Force,{header},Year,Platform,Offences",
            "Kent,E23000032,2023/24,Snapchat,5",
            "Gwent,W15000002,2023/24,Snapchat,7",
        ],
    )
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("force", "force_code", "category", "value", "offences").rows() == [
        ("Kent", "E23000032", "platform", "Snapchat", 5),
        ("Gwent", "W15000002", "platform", "Snapchat", 7),
    ]
    assert f"force codes in column '{header}' checked against the force names" in rep.notes


PRC_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
PRC_ROW = "2017/18,1,Kent,Sexual grooming,Sexual offences,Other sexual offences,88A,5"


@pytest.mark.parametrize(
    ("read", "lines", "force_column"),
    [
        (
            groomstats.read_breakdown,
            ["Force,Force Code [note 1],Year,Platform,Offences", "Kent,E23000033,2023/24,Snap,5"],
            "Force",
        ),
        (
            groomstats.read_prc,
            [PRC_HEADER + ",Force Code [note 1]", PRC_ROW + ",E23000033"],
            "Force Name",
        ),
    ],
    ids=["read_breakdown", "read_prc"],
)
def test_a_wrong_code_under_a_marked_header_is_refused(
    tmp_path: Path, read: Callable[[Path], object], lines: list[str], force_column: str
) -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        read(_csv(tmp_path, "wrong.csv", lines))
    msg = str(e.value)
    assert "force code 'E23000033' at file 'wrong.csv', row 2, column 'Force Code [note 1]'" in msg
    assert f"'Kent' (column '{force_column}') is Kent (E23000032)" in msg
    assert "'E23000033' is the code of Sussex" in msg

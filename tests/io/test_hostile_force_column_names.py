"""A column of force names under a header read_breakdown does not know ('Area', 'PFA'). Told
"no force column ... For one force's return pass force='...'", a user passing force='Essex'
got Kent's figures as Essex's: the 'Area' column became a category of Essex (a two-way table
area x platform). Now refused both ways, the column named. Files are SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats

TABLE = "Area,Year,Platform,Offences\nKent,2023/24,Snapchat,5\nE23000028,2023/24,Snapchat,*\n"


def _file(tmp: Path, text: str = TABLE) -> Path:
    p = tmp / "area.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_force_given_beside_a_column_of_forces_is_refused(tmp_path: Path) -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(_file(tmp_path), force="Essex")
    assert str(e.value) == (
        "file 'area.csv': force='Essex' was given, but column 'Area' holds force names ('Kent', "
        "'E23000028'): which holds? Read as a category of the force given, their figures would "
        "be counted as Essex's. Name the column 'Force' and leave out force=, or drop it"
    )


def test_without_force_the_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(_file(tmp_path))
    assert "column 'Area' holds force names ('Kent', 'E23000028'): name it 'Force'" in str(e.value)


def test_a_column_of_places_inside_a_force_is_a_category(tmp_path: Path) -> None:
    # districts of one force are not forces: read as the category they are
    p = _file(tmp_path, "Area,Year,Offences\nMedway,2023/24,5\nThanet,2023/24,3\n")
    df = groomstats.read_breakdown(p, force="Kent")
    assert df.select("force", "category", "value", "offences").rows() == [
        ("Kent", "area", "Medway", 5),
        ("Kent", "area", "Thanet", 3),
    ]

"""A column of police force area codes beside the force names, as ONS-style tables carry it
(``Force Code``, ``PFA23CD``, ``Code``). It used to crash read_breakdown with polars'
``DuplicateError: column 'force_code' is duplicate`` (no file, row or value), and without a
category column it became the category: counts "by force code", a wrong code never checked.
Every file is SYNTHETIC, written by the test (codes from the package's force reference).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats


def _csv(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_a_force_code_column_is_checked_not_a_category(tmp_path: Path) -> None:
    p = _csv(
        tmp_path,
        "codes.csv",
        [
            "Force,Force Code,Year,Platform,Offences",
            "Kent,E23000032,2023/24,Snapchat,5",
            "Kent,E23000032,2023/24,Instagram,*",
            "Gwent,W15000002,2023/24,Snapchat,7",
        ],
    )
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("force", "force_code", "category", "value", "offences").rows() == [
        ("Kent", "E23000032", "platform", "Snapchat", 5),
        ("Kent", "E23000032", "platform", "Instagram", None),
        ("Gwent", "W15000002", "platform", "Snapchat", 7),
    ]
    assert "force codes in column 'Force Code' checked against the force names" in rep.notes


@pytest.mark.parametrize(
    ("header", "force", "code", "said"),
    [
        (
            "PFA23CD",
            "Thames Valley",
            "E06000060",
            "is a local authority district code, not a police",
        ),
        ("force_code", "Kent", "E23000099", "is not the code of any police force area"),
    ],
)
def test_a_district_or_unknown_code_is_named_as_such(
    tmp_path: Path, header: str, force: str, code: str, said: str
) -> None:
    p = _csv(
        tmp_path,
        "c.csv",
        [f"Force,{header},Year,Platform,Offences", f"{force},{code},2023/24,Snapchat,4"],
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(p)
    msg = str(e.value)
    assert f"force code '{code}' at file 'c.csv', row 2, column '{header}'" in msg
    assert f"'{code}' {said}" in msg


def test_a_code_column_is_recognised_by_its_cells_and_a_wide_table_keeps_its_values(
    tmp_path: Path,
) -> None:
    # 'Code' holding ONS codes only: the force's code, checked; the wide values stay counts
    p = _csv(
        tmp_path,
        "wide.csv",
        ["Force,Code,Year,Snapchat,Instagram", "Kent,E23000032,2023/24,5,-", "Essex,,2023/24,3,2"],
    )
    df = groomstats.read_breakdown(p, category="platform")
    assert df.select("force", "value", "offences").rows() == [
        ("Kent", "Snapchat", 5),
        ("Kent", "Instagram", 0),
        ("Essex", "Snapchat", 3),
        ("Essex", "Instagram", 2),
    ]
    # a 'Code' column of other labels is still a category (here an offence code)
    q = _csv(
        tmp_path,
        "offence.csv",
        ["Force,Year,Code,Offences", "Kent,2023/24,88A,5", "Kent,2023/24,88E,2"],
    )
    got = groomstats.read_breakdown(q)
    assert got.select("category", "value", "offences").rows() == [
        ("code", "88A", 5),
        ("code", "88E", 2),
    ]


PRC_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)


def _prc_with_codes(tmp: Path, name: str, column: str, rows: list[tuple[str, int, str]]) -> Path:
    """A Home Office table with a column of force codes at its right: (force, count, code)."""
    tail = "Sexual grooming,Sexual offences,Other sexual offences,88A"
    lines = [f"2017/18,1,{force},{tail},{n},{code}" for force, n, code in rows]
    return _csv(tmp, name, [f"{PRC_HEADER},{column}", *lines])


def test_read_prc_checks_a_force_code_column_it_used_to_ignore(tmp_path: Path) -> None:
    # the column was "ignored extra column(s)": Kent with Sussex's code went through unseen
    good = _prc_with_codes(
        tmp_path, "prc.csv", "Force Code", [("Kent", 5, "E23000032"), ("Gwent", 2, "")]
    )
    df, rep = groomstats.read_prc(good, report=True)
    assert df.select("force", "force_code", "offences").rows() == [
        ("Kent", "E23000032", 5),
        ("Gwent", "W15000002", 2),
    ]
    assert "force codes in column 'Force Code' of 'prc.csv' checked against the names" in rep.notes
    assert not any("ignored extra column" in n for n in rep.notes)


@pytest.mark.parametrize("reader", ["read_breakdown", "read_prc"])
def test_the_same_force_with_another_forces_code_is_refused_naming_both(
    tmp_path: Path, reader: str
) -> None:
    rows = [("Gwent", 2, "W15000002"), ("Kent", 5, "E23000033")]
    if reader == "read_prc":
        p, column, force = (
            _prc_with_codes(tmp_path, "bad.csv", "PFA23CD", rows),
            "PFA23CD",
            "Force Name",
        )
    else:
        lines = [f"{f},{c},2023/24,Snapchat,{n}" for f, n, c in rows]
        p = _csv(tmp_path, "bad.csv", ["Force,Force Code,Year,Platform,Offences", *lines])
        column, force = "Force Code", "Force"
    with pytest.raises(groomstats.DataFormatError) as e:
        getattr(groomstats, reader)(p)
    msg = str(e.value)
    assert f"force code 'E23000033' at file 'bad.csv', row 3, column '{column}'" in msg
    assert f"'Kent' (column '{force}') is Kent (E23000032)" in msg
    assert "'E23000033' is the code of Sussex" in msg
    assert "correct the code or the force name" in msg

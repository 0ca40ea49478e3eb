"""ONS codes where a force name is expected: a force's own code (``E23000032``) was "Unknown
force" although the force reference holds it; a local authority district code (Buckinghamshire
``E06000060``) was refused without saying it is a district, not a force. Codes are those of the
package's force reference (``data/forces.csv``) and the ONS lookup shipped beside it; the
files are SYNTHETIC, written by the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats


@pytest.mark.parametrize(
    ("code", "force"),
    [
        ("E23000032", "Kent"),
        (" e23000001 ", "Metropolitan Police"),
        ("W15000004", "Dyfed-Powys"),
        ("E23000036", "Avon and Somerset"),
    ],
)
def test_a_force_code_names_its_force(code: str, force: str) -> None:
    assert groomstats.match_force(code) == force


@pytest.mark.parametrize("code", ["E06000060", "E07000026", "E08000025", "E09000001", "W06000001"])
def test_a_district_code_is_refused_as_a_district(code: str) -> None:
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.match_force(code)
    assert str(e.value) == (
        f"Unknown force '{code}': an ONS local authority district code, not a police force "
        "area; sum districts into force areas with the ONS lookup (groomstats.read_population)"
    )


def test_an_unknown_force_code_is_refused() -> None:
    with pytest.raises(groomstats.UnknownAreaError, match="not the ONS code of any police"):
        groomstats.match_force("E23000099")


def test_match_forces_mixes_codes_and_names_and_names_the_position() -> None:
    got = groomstats.match_forces(["E23000032", "Gwent", "W15000002", "Kent"])
    assert got.select("name", "force", "force_code").rows() == [
        ("E23000032", "Kent", "E23000032"),
        ("Gwent", "Gwent", "W15000002"),
        ("W15000002", "Gwent", "W15000002"),
        ("Kent", "Kent", "E23000032"),
    ]
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.match_forces(["Kent", "E06000060"])
    assert "'E06000060': an ONS local authority district code" in str(e.value)
    assert "position 2" in str(e.value)


def test_a_force_column_of_codes_reads_and_the_same_force_twice_is_refused(
    tmp_path: Path,
) -> None:
    p = tmp_path / "codes.csv"
    p.write_text(
        "Force,Year,Platform,Offences\nE23000032,2023/24,Snapchat,5\nW15000002,2023/24,Snapchat,*\n",
        encoding="utf-8",
    )
    df = groomstats.read_breakdown(p)
    assert df.select("force", "force_code", "offences", "suppressed").rows() == [
        ("Kent", "E23000032", 5, False),
        ("Gwent", "W15000002", None, True),
    ]
    # the same force by code and by name: one figure given twice, refused
    q = tmp_path / "twice.csv"
    q.write_text(
        "Force,Year,Platform,Offences\nE23000032,2023/24,Snapchat,5\nKent,2023/24,Snapchat,7\n",
        encoding="utf-8",
    )
    with pytest.raises(groomstats.DataFormatError, match="duplicate row: Kent 2023/24"):
        groomstats.read_breakdown(q)
    # a district code in a force column: refused with its place
    r = tmp_path / "lad.csv"
    r.write_text("Force,Year,Platform,Offences\nE06000060,2023/24,Snapchat,5\n", encoding="utf-8")
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.read_breakdown(r)
    assert "an ONS local authority district code" in str(e.value)
    assert "(file 'lad.csv', row 2, column 'Force')" in str(e.value)

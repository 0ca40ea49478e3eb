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


def _breakdown(tmp: Path, name: str, forces: list[str]) -> Path:
    p = tmp / name
    rows = [f"{f},2023/24,Snapchat,{n}" for f, n in zip(forces, ("5", "*"), strict=False)]
    p.write_text("\n".join(["Force,Year,Platform,Offences", *rows]) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("spelling", "bad", "said"),
    [
        # a force's ONS code; a district code is refused as one
        ("E23000032", "E06000060", "an ONS local authority district code"),
        # an invisible zero-width space copied from a web page; a Cyrillic 'е' is named
        ("Ke\u200bnt", "K\u0435nt", "U+0435 CYRILLIC SMALL LETTER IE at position 2"),
    ],
)
def test_a_force_column_reads_the_spelling_and_refuses_repeats_and_lookalikes(
    tmp_path: Path, spelling: str, bad: str, said: str
) -> None:
    df = groomstats.read_breakdown(_breakdown(tmp_path, "a.csv", [spelling, "W15000002"]))
    assert df.select("force", "force_code", "offences", "suppressed").rows() == [
        ("Kent", "E23000032", 5, False),
        ("Gwent", "W15000002", None, True),
    ]
    # the same force in this spelling and by its name: one figure given twice, refused
    with pytest.raises(groomstats.DataFormatError, match="duplicate row: Kent 2023/24"):
        groomstats.read_breakdown(_breakdown(tmp_path, "b.csv", [spelling, "Kent"]))
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.read_breakdown(_breakdown(tmp_path, "c.csv", [bad]))
    assert said in str(e.value)
    assert "(file 'c.csv', row 2, column 'Force')" in str(e.value)

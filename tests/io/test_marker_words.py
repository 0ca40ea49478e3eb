"""The read report names the markers of counts not given as they were written: ``[x]``, ``..``
and ``[z]`` cells were counted as "(N/a or empty)", untrue of a table in the Government Analysis
Function's style. ``N/a`` and empty cells are still "N/a or empty"; every other marker seen is
listed. Every file is SYNTHETIC, written by the test."""

from __future__ import annotations

from pathlib import Path

import groomstats

PRC_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)


def test_prc_note_lists_the_markers_seen(tmp_path: Path) -> None:
    forces = ["Kent", "Essex", "Surrey", "Sussex", "Dorset"]
    cells = ["N/a", "", "[x]", "..", "[x]"]
    rows = [
        f"2017/18,1,{f},Sexual grooming,Sexual offences,Other sexual offences,88A,{c}"
        for f, c in zip(forces, cells, strict=True)
    ]
    path = tmp_path / "markers.csv"
    path.write_text("\n".join([PRC_HEADER, *rows]) + "\n", encoding="utf-8")
    df, rep = groomstats.read_prc(path, report=True)
    assert df["offences"].null_count() == 5
    assert "5 count(s) not available (N/a or empty, '[x]', '..') kept as null" in rep.notes


def test_breakdown_note_lists_the_markers_seen(tmp_path: Path) -> None:
    path = tmp_path / "platforms.csv"
    lines = [
        "Force,Period,Platform,Offences",
        "Kent,2023/24,Snapchat,12",
        "Kent,2023/24,Instagram,[z]",
        "Kent,2023/24,WhatsApp,not recorded",
        "Kent,2023/24,Kik,*",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    df, rep = groomstats.read_breakdown(path, report=True)
    assert df["offences"].to_list() == [12, None, None, None]
    assert "2 cell(s) not provided ('[z]', 'not recorded') kept as null" in rep.notes
    assert "1 suppressed cell(s) ('*') kept as null with suppressed=True" in rep.notes

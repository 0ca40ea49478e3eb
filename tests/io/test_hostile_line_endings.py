"""CSV files whose lines end with CR alone, as Excel for Mac's "CSV (Macintosh)" saves them.
The whole file was read as one line: read_prc said "missing column 'Number of Offences'
(found 'Number of Offences\\r2017/18': rename it?)", a wrong fix. Now read as lines, and said.
Files are SYNTHETIC, written by the test.
"""

from __future__ import annotations

from pathlib import Path

import groomstats

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
ROW = "2017/18,1,{},Sexual grooming,Sexual offences,Other sexual offences,88A,{}"


def test_a_prc_table_with_cr_line_endings(tmp_path: Path) -> None:
    p = tmp_path / "mac.csv"
    p.write_bytes("\r".join([HEADER, ROW.format("Kent", 5), ROW.format("Essex", "-00")]).encode())
    df, rep = groomstats.read_prc(p, report=True)
    assert df.select("force", "offences").rows() == [("Kent", 5), ("Essex", 0)]
    assert "'mac.csv' ends its lines with CR alone (the old Mac format): read as lines" in (
        rep.notes
    )


def test_a_windows_1252_breakdown_with_cr_line_endings(tmp_path: Path) -> None:
    lines = ["Force,Year,Platform \u2013 app,Offences", "Kent,2023/24,Snapchat,5"]
    text = "\r".join([*lines, "Gwent,2023/24,Snapchat,*"]) + "\r"
    p = tmp_path / "mac1252.csv"
    p.write_bytes(text.encode("cp1252"))
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("force", "category", "offences", "suppressed").rows() == [
        ("Kent", "platform_app", 5, False),
        ("Gwent", "platform_app", None, True),
    ]
    assert "'mac1252.csv' is not UTF-8: read as Windows-1252 text" in rep.notes
    assert "'mac1252.csv' ends its lines with CR alone (the old Mac format): read as lines" in (
        rep.notes
    )

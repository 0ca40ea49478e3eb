"""Edition dates that cannot be right, and the names browsers give a second download.

* A file named ``...-tables-010203.csv`` holding 2017/18 figures was read as the edition of
  1 February 2003 without a word: a date before the quarters it counts, which would also decide
  which edition "wins" when files are combined. Now refused with the fix.
* ``...-tables-180719 (1).ods`` (the same edition downloaded twice) had no edition, so its
  figures were "an unknown edition" beside the same file's. Now it is the edition of 18 July
  2019 and the two are one edition read twice.

Files are SYNTHETIC, written by the test.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

import groomstats

sys.path.insert(0, str(Path(__file__).parent))
from edition_gen import grooming_lines


def _file(tmp: Path, name: str, rows: list[tuple[str, int, str, int]]) -> Path:
    p = tmp / name
    p.write_text("\n".join(grooming_lines(rows)) + "\n", encoding="utf-8")
    return p


def test_an_edition_dated_before_its_figures_is_refused(tmp_path: Path) -> None:
    p = _file(
        tmp_path,
        "prc-pfa-mar2013-onwards-tables-010203.csv",
        [("2017/18", 1, "Kent", 5), ("2017/18", 4, "Kent", 6)],
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    msg = str(e.value)
    assert (
        "edition 01 February 2003 of 'prc-pfa-mar2013-onwards-tables-010203.csv' is not after the "
        "end of 2017/18 quarter 4 (31 March 2018), whose figures it gives"
    ) in msg
    assert "row 3" in msg
    assert "pass edition='DDMMYY'" in msg
    # the same check for edition= given by hand; a date after the last quarter reads
    q = _file(tmp_path, "kent.csv", [("2017/18", 1, "Kent", 5)])
    with pytest.raises(groomstats.DataFormatError, match=r"edition 30 June 2017 of 'kent\.csv'"):
        groomstats.read_prc(q, edition="2017-06-30")
    df = groomstats.read_prc(q, edition="2017-07-01")
    assert df["edition"].to_list() == [date(2017, 7, 1)]


def test_a_second_download_of_an_edition_is_that_edition(tmp_path: Path) -> None:
    rows = [("2017/18", 1, "Kent", 5), ("2017/18", 1, "Essex", 3)]
    a = _file(tmp_path, "prc-pfa-mar2013-onwards-tables-180719.csv", rows)
    b = _file(tmp_path, "prc-pfa-mar2013-onwards-tables-180719 (1).csv", rows)
    df, rep = groomstats.read_prc([a, b], report=True)
    assert df.select("force", "offences", "edition").rows() == [
        ("Kent", 5, date(2019, 7, 18)),
        ("Essex", 3, date(2019, 7, 18)),
    ]
    assert rep.excluded == {
        "read twice: the same figure of the same edition in another file (counted once)": 2
    }

"""The CLI answers ordinary mistakes with one line (issue 16)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
import report_oracles

import groomstats
from groomstats.cli import main

EMBEDDED = (
    Path(groomstats.__file__).parent / "data" / "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz"
)


def test_directory_and_fifo_data_get_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--data", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "it is a directory" in capsys.readouterr().err
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert main(["report", "--data", str(fifo), "--out", str(tmp_path / "o")]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_one_force_file_never_calls_itself_england_and_wales(tmp_path: Path) -> None:
    lines = gzip.open(EMBEDDED, "rt").read().splitlines()
    kent = [lines[0]] + [ln for ln in lines[1:] if ",Kent," in ln]
    data = tmp_path / "kent.csv"
    data.write_text("\n".join(kent) + "\n")
    out = tmp_path / "out"
    assert main(["report", "--data", str(data), "--out", str(out), "--quiet"]) == 0
    md = (out / "report.md").read_text()
    section = md[md.index("## Kent") :]
    assert "the data hold no other force to compare it with (England and Wales has 43)" in section
    assert "for England and Wales" not in section
    assert "national" not in section.split("|")[0]
    # Kent's 88A total in the real 2017/18 table
    expected = report_oracles.grooming_counts()["Kent"]  # summed by hand with csv: 45
    assert expected == 45
    assert f"Police in Kent recorded {expected} sexual grooming offences" in section


def test_force_btp_gets_its_true_count_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--force", "BTP", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    g = groomstats.grooming(groomstats.datasets.prc())
    btp = int(g.filter(g["force"] == "British Transport Police")["offences"].sum())
    assert btp == 15  # British Transport Police's 88A total in the real 2017/18 table
    assert f"British Transport Police recorded {btp} sexual grooming offences" in err
    assert "no rate, funnel or rank" in err

"""The ``groomstats`` command: exit codes, one-line errors, summary and progress."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets
from groomstats.cli import _Progress, main


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "groomstats.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_report_for_one_force_prints_summary(tmp_path: Path) -> None:
    res = _run("report", "--force", "Kent", "--out", str(tmp_path / "r"))
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""  # not a terminal: no progress
    g = groomstats.grooming(datasets.prc())
    total = g["offences"].sum()
    terr = g.filter(pl.col("territorial"))["offences"].sum()
    out = res.stdout
    assert (
        f"sexual grooming (88A) offences: {total:,} ({terr:,} by the 43 territorial forces" in out
    )
    assert "rows read: 23,068" in out
    assert "England and Wales and 1 force section, 6 charts" in out
    text = (tmp_path / "r" / "report.md").read_text()
    assert "\n## Kent\n" in text
    assert "\n## Gwent\n" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--force", "Thames Vally"], "did you mean 'Thames Valley'?"),
        (["--format", "htm"], "--format 'htm' is not one of 'md', 'html' — did you mean 'html'?"),
        (["--data", "no-such-file.csv"], "cannot read --data file 'no-such-file.csv'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["report", "--out", str(tmp_path), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("groomstats: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_unreadable_data_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    assert main(["report", "--data", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("groomstats: error: ") and "bad.csv" in err
    assert err.count("\n") == 1


def test_progress_only_when_enabled() -> None:
    buf = io.StringIO()
    p = _Progress(buf, enabled=True)
    p("England and Wales", 1, 3)
    p("Kent", 3, 3)
    assert buf.getvalue() == "\r[1/3] England and Wales\r[3/3] Kent" + " " * 13 + "\n"
    quiet = io.StringIO()
    _Progress(quiet, enabled=False)("x", 1, 1)
    assert quiet.getvalue() == ""


def test_version_and_help() -> None:
    res = _run("--version")
    assert res.stdout.strip() == f"groomstats {groomstats.__version__}"
    res = _run("report", "--help")
    assert res.returncode == 0
    for opt in ("--data", "--force", "--out", "--format", "--quiet"):
        assert opt in res.stdout

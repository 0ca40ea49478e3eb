"""``groomstats report --data`` given a file of the wrong kind: the error names the file, says
what ``--data`` expected and what the file looks like instead, in one line, exit code 2.
Also ``python -m groomstats`` and ``--help`` explaining every option.

The wrong files are the ONS copies shipped in ``groomstats/data`` and SYNTHETIC tables
written by the test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from groomstats import datasets
from groomstats.cli import _parser, main

EXPECTED = (
    "expected the columns 'Financial Year', 'Financial Quarter', 'Force Name', "
    "'Offence Description', 'Offence Group', 'Offence Subgroup', 'Offence Code', "
    "'Number of Offences'"
)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str], out: Path) -> tuple[int, str]:
    code = main([*argv, "--out", str(out), "--quiet"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("population_sheet", "it looks like ONS mid-year population estimates"),
        ("lad_pfa_lookup", "it looks like an ONS local authority to police force area lookup"),
    ],
)
def test_ons_files_given_as_data(
    name: str, looks_like: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the population sheet was refused with a list of 90 columns named '_duplicated_0',
    # '_duplicated_1', ... from its title row, and no word of what --data expects
    path = datasets.path(name)
    code, err = _run(["report", "--data", str(path)], capsys, tmp_path / "r")
    assert code == 2
    assert err.startswith(
        f"groomstats: error: file '{path.name}' is not a Home Office police recorded crime table"
    )
    assert EXPECTED in err and looks_like in err
    assert "_duplicated_" not in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_breakdown_given_as_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # SYNTHETIC FOI table: 'Offences' was offered as the rename for three different columns
    p = tmp_path / "foi.csv"
    p.write_text("Force,Period,Platform,Offences\nKent,2023/24,Snapchat,4\n", encoding="utf-8")
    code, err = _run(["report", "--data", str(p)], capsys, tmp_path / "r")
    assert code == 2
    assert "file 'foi.csv' is not a Home Office police recorded crime table" in err
    assert "it looks like an FOI breakdown by force and period" in err
    assert "rename it?" not in err


def test_one_missing_column_still_names_it(tmp_path: Path) -> None:
    import groomstats

    p = tmp_path / "nearly.csv"
    p.write_text(
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Offences\n2017/18,1,Kent,Sexual grooming,Sexual "
        "offences,Other,88A,4\n",
        encoding="utf-8",
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    assert "missing column 'Number of Offences' (found 'Offences': rename it?)" in str(e.value)


def test_python_dash_m_groomstats() -> None:
    # 'python -m groomstats' failed: "No module named groomstats.__main__"
    out = subprocess.run(
        [sys.executable, "-m", "groomstats", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("groomstats ")


def test_help_explains_every_option() -> None:
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    report = sub.choices["report"]  # type: ignore[index]
    for action in [*parser._actions, *report._actions]:
        if action.dest in ("help", "command"):
            continue
        assert action.help and len(action.help) > 10, action.option_strings


def test_a_quoted_pattern_is_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # '--data "dir/prc-*.csv"' (quoted, so the shell does not expand it) was refused: "no
    # such file (patterns such as '*.csv' are expanded by read_prc only)"; now the files it
    # names are read (here a SYNTHETIC FOI table, refused by name once found)
    (tmp_path / "prc-foi.csv").write_text(
        "Force,Period,Platform,Offences\nKent,2023/24,Snapchat,4\n", encoding="utf-8"
    )
    out = tmp_path / "r"
    code, err = _run(["report", "--data", str(tmp_path / "prc-*.csv")], capsys, out)
    assert code == 2
    assert "file 'prc-foi.csv' is not a Home Office police recorded crime table" in err
    assert not out.exists()  # the --out directory made for the failed report is removed
    code, err = _run(["report", "--data", str(tmp_path / "none-*.csv")], capsys, out)
    assert code == 2 and "no file matches the pattern" in err


def test_out_that_cannot_be_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the error was "[Errno 20] Not a directory: ..." without naming --out
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, err = _run(["report"], capsys, blocker / "sub")
    assert code == 2
    assert f"cannot write the report to --out '{blocker / 'sub'}': Not a directory" in err


def test_data_warnings_are_one_line_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a TotalMismatchWarning reached the terminal as a Python warning with a source line
    # ('.../report/sections.py:183: TotalMismatchWarning: ...' and the code line under it).
    # The data: Kent's 88A rows of the shipped 2017/18 table and a SYNTHETIC 'England and
    # Wales' row that is not their sum
    import gzip

    with gzip.open(datasets.path("prc"), "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    kent = [ln for ln in lines[1:] if ",Kent," in ln and ",88A," in ln]
    ew = kent[0].replace(",Kent,", ",England and Wales,").rsplit(",", 1)[0] + ",999"
    p = tmp_path / "kent.csv"
    p.write_text("\n".join([lines[0], *kent, ew]) + "\n", encoding="utf-8")
    code = main(["report", "--data", str(p), "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 0
    assert err.startswith("groomstats: warning: 1 total row(s) do not add up: 'England and Wales'")
    assert "999" in err and "sections.py" not in err and "Warning:" not in err
    code = main(["report", "--data", str(p), "--out", str(tmp_path / "q"), "--quiet"])
    assert code == 0 and capsys.readouterr().err == ""


@pytest.mark.parametrize("fmt", ["HTML", ".html", " Html "])
def test_format_in_any_case(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # '--format HTML' was refused: "is not one of 'md', 'html' — did you mean 'html'?"
    p = tmp_path / "foi.csv"
    p.write_text("Force,Period,Platform,Offences\nKent,2023/24,Snapchat,4\n", encoding="utf-8")
    code, err = _run(["report", "--format", fmt, "--data", str(p)], capsys, tmp_path / "r")
    assert code == 2
    assert "is not a Home Office police recorded crime table" in err  # past the format check
    assert "--format" not in err

"""Safe output: input-derived text escaped, no writing through planted symlinks, atomic files,
``--quiet`` prints only errors, ``--timings`` prints the stages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import groomstats
from groomstats.report import write_report

HOSTILE = "<img src=x onerror=alert(1)>"


def _prc_csv(path: Path) -> Path:
    """A two-force PRC table written by the test (synthetic counts)."""
    lines = [
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Number of Offences"
    ]
    for force, counts in (("Gwent", (3, 4, 5, 6)), ("Kent", (10, 11, 12, 13))):
        for q, n in enumerate(counts, start=1):
            lines.append(
                f"2017/18,{q},{force},Sexual grooming,Sexual offences,Other sexual offences,88A,{n}"
            )
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_hostile_file_name_is_escaped(tmp_path: Path, fmt: str) -> None:
    data = _prc_csv(tmp_path / f"{HOSTILE}.csv")
    res = write_report(tmp_path / "out", data=[data], fmt=fmt)  # type: ignore[arg-type]
    text = res.path.read_text(encoding="utf-8")
    assert HOSTILE not in text
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in text
    assert "<img" not in text


def test_markdown_escapes_links_emphasis_and_table_cells() -> None:
    import polars as pl

    from groomstats.report.document import Document

    doc = Document("[x](javascript:alert(1)) *t*")
    doc.paragraph("name_with_underscores and `code` and <b>bold</b>")
    doc.table(pl.DataFrame({"force": ["A|B"], "note": ["![i](http://e/x.png)"]}))
    md = doc.to_markdown()
    assert "# \\[x\\](javascript:alert(1)) \\*t\\*" in md
    assert "name\\_with\\_underscores and \\`code\\` and &lt;b&gt;bold&lt;/b&gt;" in md
    assert "| A\\|B | !\\[i\\](http://e/x.png) |" in md


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_symlinks_planted_in_out_are_never_written_through(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    (out / "charts").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    name = "report.md" if fmt == "md" else "report.html"
    (out / name).symlink_to(victim)
    (out / "charts" / "funnel.png").symlink_to(victim)
    res = write_report(out, force="Kent", fmt=fmt)  # type: ignore[arg-type]
    assert victim.read_text() == "precious"
    assert res.path == out / name and not res.path.is_symlink()
    assert res.path.read_text(encoding="utf-8").startswith(("# ", "<!DOCTYPE html>"))
    if fmt == "md":
        png = out / "charts" / "funnel.png"
        assert not png.is_symlink() and png.read_bytes()[:4] == b"\x89PNG"
    # no temporary file left behind
    assert not [p for p in out.rglob("*.tmp")]


def test_a_planted_charts_directory_symlink_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "charts").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(groomstats.GroomstatsError, match="symbolic link"):
        write_report(out, force="Kent")
    assert list(elsewhere.iterdir()) == []


def test_files_get_ordinary_permissions(tmp_path: Path) -> None:
    res = write_report(tmp_path / "o", force="Kent")
    mode = res.path.stat().st_mode & 0o777
    assert mode & 0o044 == 0o044  # readable by others as with open(), not mkstemp's 0600


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "groomstats.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_quiet_prints_nothing_and_errors_still_show(tmp_path: Path) -> None:
    ok = _cli("report", "--force", "Kent", "--out", str(tmp_path / "q"), "--quiet")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "" and ok.stderr == ""
    assert (tmp_path / "q" / "report.md").is_file()
    bad = _cli("report", "--force", "Kentt", "--out", str(tmp_path / "q"), "--quiet")
    assert bad.returncode == 2
    assert bad.stdout == "" and bad.stderr.startswith("groomstats: error: ")


def test_timings_print_every_stage(tmp_path: Path) -> None:
    res = _cli("report", "--force", "Kent", "--out", str(tmp_path / "t"), "--timings", "-q")
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    assert lines[0] == "timings:"
    stages = [ln.split("  ")[1].strip() for ln in lines[1:]]
    assert stages[:3] == ["read data", "statistics (context)", "sections (text and tables)"]
    assert stages[3].startswith("charts (6, PNG)") and stages[-1].startswith("total")
    secs = [float(ln.split()[-2]) for ln in lines[1:]]
    assert sum(secs[:-1]) == pytest.approx(secs[-1], abs=0.005)


def test_report_result_renders_as_html_in_notebooks(tmp_path: Path) -> None:
    out = tmp_path / "<b>dir</b>"
    res = write_report(out, force="Kent", fmt="html")
    html = res._repr_html_()
    assert html.startswith("<div><strong>groomstats report</strong>")
    assert "&lt;b&gt;dir&lt;/b&gt;" in html and "<b>dir</b>" not in html
    assert "4,444" in html

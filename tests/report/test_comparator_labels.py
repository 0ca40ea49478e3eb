"""A report from a --data file of one or four forces never calls their sum "England and Wales"
(issue 12, item 1): the national section, the quarters chart, the ranked-rates chart and the
funnel name what was summed.

The files are the embedded Home Office 2017/18 table cut down to Kent, and to four of the five
South East forces.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

import groomstats
from groomstats.cli import main

EMBEDDED = (
    Path(groomstats.__file__).parent / "data" / "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz"
)
# Text about NSPCC figures, which are published for England and Wales as a whole, and the
# reminder of what the whole would be, may name England and Wales: nothing else may.
ALLOWED = ("England and Wales has 43", "NSPCC")


def _cut(tmp_path: Path, forces: tuple[str, ...]) -> Path:
    lines = gzip.open(EMBEDDED, "rt").read().splitlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if any(f",{f}," in ln for f in forces)]
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(keep) + "\n")
    return path


def _report(tmp_path: Path, forces: tuple[str, ...]) -> str:
    data = _cut(tmp_path, forces)
    out = tmp_path / "out"
    args = ["report", "--data", str(data), "--out", str(out), "--format", "html", "--quiet"]
    assert main(args) == 0
    return (out / "report.html").read_text()


def _before_nspcc(html: str) -> str:
    """The report up to the NSPCC section (whose published series is England and Wales)."""
    return html[: html.index('<h3 id="nspcc-figures-sexual-communication-with-a-child"')]


@pytest.mark.parametrize(
    ("forces", "label"),
    [
        (("Kent",), "1 force: Kent"),
        (
            ("Kent", "Surrey", "Sussex", "Hampshire"),
            "4 forces: Hampshire, Kent, Surrey, Sussex",
        ),
    ],
)
def test_report_names_what_was_summed(tmp_path: Path, forces: tuple[str, ...], label: str) -> None:
    html = _report(tmp_path, forces)
    head = _before_nspcc(html)
    # the national section's heading, the quarters chart, the rates text and ranked chart
    assert re.search(rf"<h2[^>]*>{re.escape(label)}\b", head)
    assert f"Sexual grooming offences by quarter, {label}, 2017/18" in head
    assert re.search(rf"{re.escape(label)}: \d+\.\d \(95% CI", head)
    if len(forces) > 1:
        assert re.search(rf"{re.escape(label)} \(\d+\.\d\)", head)  # ranked chart's target
        assert f"similar to {label}" in head or f"higher than {label}" in head
    else:  # one force: no target line (it would be the force against itself)
        assert not re.search(rf"{re.escape(label)} \(\d+\.\d\)", head)
        assert "similar to" not in head and "higher than" not in head
    for m in re.finditer("England and Wales", head):
        around = head[max(0, m.start() - 40) : m.end() + 40]
        assert any(a in around for a in ALLOWED), around
    assert "England and Wales (" not in head and "similar to England and Wales" not in head


def test_whole_table_is_england_and_wales() -> None:
    ctx = groomstats.report.context.context()
    assert ctx.comparator == "England and Wales"
    assert ctx.comparator_counted == "England and Wales (43 forces)"
    assert ctx.national_rate["area"] == "England and Wales"

"""A quarter whose total misses a force's figure is marked in the report's quarters table and on
its chart, not only in the paragraph above them (issue 11, honesty gap found at 03:15).

The file is the REAL 2017/18 Home Office table shipped in the package with Kent's 88A cell of
quarter 1 set to ``N/a`` (a real marker in these tables). The expected totals are summed here
from the raw cells with the ``csv`` module.
"""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import pytest

from groomstats import datasets
from groomstats.cli import main

NON_TERRITORIAL = {
    "British Transport Police",
    "Action Fraud",
    "CIFAS",
    "UK Finance",
    "Financial Fraud Action UK",
}


def _rows() -> tuple[list[str], list[dict[str, str]]]:
    with gzip.open(datasets.path("prc"), "rt", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _q(rows: list[dict[str, str]], quarter: str, *, without: str = "") -> int:
    """Territorial 88A total of a quarter, by hand (``without`` a force)."""
    total = 0
    for r in rows:
        force = r["Force Name"].strip()
        if (
            r["Offence Code"].strip() == "88A"
            and r["Financial Quarter"].strip() == quarter
            and force not in NON_TERRITORIAL
            and force != without
        ):
            v = r["Number of Offences"].strip()
            total += 0 if v == "-00" else int(v)
    return total


@pytest.fixture(scope="module")
def kent_q1_na(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]]]:
    header, rows = _rows()
    path = tmp_path_factory.mktemp("q1na") / "kent-q1-na.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for r in rows:
            if (
                r["Force Name"].strip() == "Kent"
                and r["Offence Code"].strip() == "88A"
                and r["Financial Quarter"].strip() == "1"
            ):
                r = {**r, "Number of Offences": "N/a"}
            w.writerow(r)
    return path, rows


def _report(tmp: Path, data: Path, fmt: str) -> str:
    out = tmp / fmt
    args = ["report", "--data", str(data), "--out", str(out), "--format", fmt, "--quiet"]
    assert main(args) == 0
    return (out / f"report.{fmt}").read_text()


def test_quarter_row_without_kent_is_marked(
    tmp_path: Path, kent_q1_na: tuple[Path, list[dict[str, str]]]
) -> None:
    data, rows = kent_q1_na
    text = _report(tmp_path, data, "md")
    q1 = _q(rows, "1", without="Kent")
    assert q1 == _q(rows, "1") - 18 == 875  # Kent recorded 18 in 2017/18 Q1 (real)
    line = next(ln for ln in text.splitlines() if ln.startswith("| 2017/18 Q1"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[0] == "2017/18 Q1 \u2020" and cells[2] == f"{q1:,}"
    assert (
        cells[-1] == "\u2020 incomplete: excludes Kent: N/a, blank or suppressed, not counted as 0"
    )
    for q in ("2", "3", "4"):  # the other quarters are whole: no mark, no note
        other = next(ln for ln in text.splitlines() if ln.startswith(f"| 2017/18 Q{q} "))
        cells = [c.strip() for c in other.strip("|").split("|")]
        assert "\u2020" not in other and cells[-1] == "" and cells[2] == f"{_q(rows, q):,}"
    assert "Quarters marked \u2020 are incomplete" in text


def test_quarter_point_without_kent_is_an_open_annotated_marker(
    tmp_path: Path, kent_q1_na: tuple[Path, list[dict[str, str]]]
) -> None:
    data, _ = kent_q1_na
    html = _report(tmp_path, data, "html")
    start = html.index('id="chart-england-and-wales-quarters"')
    svg = html[start : html.index("</svg>", start)]
    assert re.search(r'<g id="england-and-wales-quarters-incomplete"', svg)  # the open marker
    assert "excludes Kent (N/a)" in svg  # its note beside it
    assert "incomplete figure (not joined; see note beside it)" in svg  # and the legend


def test_complete_data_get_no_marks(tmp_path: Path) -> None:
    header, rows = _rows()
    path = tmp_path / "whole.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    text = _report(tmp_path, path, "md")
    table = text[text.index("### Offences by quarter") : text.index("### Offences by region")]
    assert "\u2020" not in table and "| Note |" not in table.splitlines()[2]
    assert "| 2017/18 Q1 | 2017-04-01 | 893 |" in table  # real: 895 with BTP's 2

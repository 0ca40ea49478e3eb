"""change() on a window with N/a cells says what is missing (issue 11, item 3): which window,
how many quarters have figures and how many cells are not available, never a silent total."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl

import groomstats
from groomstats import datasets


def test_change_note_counts_the_missing_quarter(tmp_path: Path) -> None:
    with gzip.open(datasets.path("prc"), "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    header, rows = lines[0], [x for x in lines[1:] if ",Kent," in x]
    # Kent's 88A figure for quarter 1 published as N/a (a real marker in these tables)
    cols = header.split(",")
    names = ("Financial Quarter", "Offence Code", "Number of Offences")
    q, code, n = (cols.index(c) for c in names)
    out = []
    for line in rows:
        cells = line.split(",")
        if cells[code] == "88A" and cells[q] == "1":
            cells[n] = "N/a"
        out.append(",".join(cells))
    path = tmp_path / "kent-na.csv"
    path.write_text("\n".join([header, *out]) + "\n")
    g = groomstats.grooming(groomstats.read_prc(path))
    # quarters 3-4 against quarters 1-2 of 2017/18: the baseline misses quarter 1
    c = groomstats.change(
        g, current="2017-10-01..2018-03-31", baseline="2017-04-01..2017-09-30", by="force"
    ).row(0, named=True)
    assert c["baseline_complete"] is False and c["current_complete"] is True
    base = g.filter(pl.col("quarter") == 2)["offences"].sum()
    assert c["baseline"] == base  # the quarter with figures only, flagged
    assert "incomplete window: " in c["note"]
    assert "1 of 2 quarters with figures" in c["note"]
    assert "1 cell(s) N/a, blank or suppressed (left out, not counted as 0)" in c["note"]

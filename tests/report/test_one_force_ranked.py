"""A file holding one force: its ranked-rates chart draws no comparator (the force against
itself), and the summary says "1 territorial force"."""

from __future__ import annotations

import gzip
from pathlib import Path

import groomstats
from groomstats import datasets
from groomstats.report import write_report
from groomstats.report.context import context


def _kent(tmp_path: Path) -> Path:
    with gzip.open(datasets.path("prc"), "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = tmp_path / "kent.csv"
    out.write_text("\n".join([lines[0], *(x for x in lines[1:] if ",Kent," in x)]) + "\n")
    return out


def test_one_force_ranked_chart_has_no_comparator(tmp_path: Path) -> None:
    path = _kent(tmp_path)
    ctx = context(groomstats.read_prc(path))
    assert ctx.n_forces == 1
    res = write_report(tmp_path / "out", data=[path])
    text = res.path.read_text()
    assert "Rates per 100,000 children by force, ranked, with 95% intervals](" in text
    assert "intervals; 1 force: Kent" not in text
    assert "by the 1 territorial force, " in res.summary()

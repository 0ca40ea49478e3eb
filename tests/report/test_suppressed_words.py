"""A suppressed PRC cell (``[c]``) in the report's words: read_prc keeps it as null (never 0)
and the frame keeps no marker, so a null count may have been published N/a, suppressed or
left blank. The report said "N/a or blank" of every null, untrue of a ``[c]`` cell; it now
says "N/a, blank or suppressed" wherever it speaks of a null count.

The file is SYNTHETIC, written by the test: 2017/18 and 2018/19, the 43 territorial forces and
British Transport Police, code 88A, counts drawn from a seeded generator; Kent's cell of
2018/19 quarter 3 is ``[c]``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import groomstats
from groomstats.areas import _force_frame
from groomstats.report.context import context
from groomstats.report.sections import write_report

sys.path.insert(0, str(Path(__file__).parents[1] / "io"))
from edition_gen import HEADER  # the Home Office table's header

WORDS = "N/a, blank or suppressed"


@pytest.fixture(scope="module")
def suppressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ref = _force_frame()
    forces = [*ref.filter(pl.col("territorial"))["force"], "British Transport Police"]
    assert len(forces) == 44
    rng = np.random.default_rng(20261130)
    path = tmp_path_factory.mktemp("suppressed") / "synthetic-suppressed.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for fy in ("2017/18", "2018/19"):
            for q in (1, 2, 3, 4):
                for force in forces:
                    n = "[c]" if (fy, q, force) == ("2018/19", 3, "Kent") else rng.poisson(30)
                    group = ("Sexual grooming", "Sexual offences", "Other sexual offences")
                    w.writerow([fy, q, force, *group, "88A", n])
    return path


def test_read_report_counts_the_suppressed_cell(suppressed: Path) -> None:
    df, rep = groomstats.read_prc(suppressed, report=True)
    kent = df.filter(pl.col("force") == "Kent", pl.col("financial_year") == "2018/19")
    assert kent.sort("quarter")["offences"].is_null().to_list() == [False, False, True, False]
    assert "1 count(s) suppressed ('[c]') kept as null, not 0" in rep.notes


def test_quarter_note_and_change_say_suppressed(suppressed: Path) -> None:
    g = groomstats.grooming(groomstats.read_prc(suppressed))
    ctx = context(g)
    notes = dict(ctx.quarters.select("period", "note").iter_rows())
    assert notes["2018/19 Q3"] == f"excludes Kent: {WORDS}, not counted as 0"
    c = groomstats.change(g, current="2018/19", baseline="2017/18", by="force")
    kent = c.filter(pl.col("force") == "Kent").row(0, named=True)
    assert kent["current_complete"] is False
    assert f"1 cell(s) {WORDS} (left out, not counted as 0)" in kent["note"]


def test_report_never_says_only_na_or_blank(suppressed: Path, tmp_path: Path) -> None:
    result = write_report(tmp_path / "rep", data=[suppressed], force="Kent")
    assert result.incomplete == ["Kent"]
    assert f"incomplete: figures not available ({WORDS}) for Kent" in result.summary()
    md = result.path.read_text("utf-8")
    assert (
        "These totals are incomplete: figures for Kent are not available (published as N/a "
        "or suppressed, or left blank) for some or all quarters"
    ) in md
    assert f"excludes Kent: {WORDS}, not counted as 0" in md
    assert "N/a or blank" not in md and "N/a or left blank" not in md

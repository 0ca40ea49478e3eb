"""The report's force and region tables, every column recomputed with plain polars (issue 18).

Expected values come straight from the embedded Home Office file (``datasets.prc()``), summed
here with polars, and from the published totals for 2017/18 (88A): 4,429 offences for the 43
forces, 4,444 with British Transport Police. A share is of the 43-force total: BTP is not in
the denominator (the issue's survivor: dividing by 4,444 turned Metropolitan Police 7.2 into 7.1).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groomstats import datasets
from groomstats.report import write_report

PUBLISHED_43 = 4_429
PUBLISHED_WITH_BTP = 4_444


@pytest.fixture(scope="module")
def text(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = write_report(tmp_path_factory.mktemp("share-columns"))
    return Path(out.path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def year() -> pl.DataFrame:
    prc = datasets.prc()
    return prc.filter((pl.col("offence_code") == "88A") & (pl.col("financial_year") == "2017/18"))


def _table(text: str, heading: str) -> tuple[list[str], list[list[str]]]:
    part = text[text.index(heading) :].splitlines()
    start = next(i for i, ln in enumerate(part) if ln.startswith("|"))
    rows = []
    for ln in part[start:]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in ln.strip("|").split("|")])
    return rows[0], rows[2:]


def _num(cell: str) -> float:
    return float(cell.replace(",", ""))


def test_published_totals_hold_in_the_data(year: pl.DataFrame) -> None:
    assert year.filter(pl.col("territorial"))["offences"].sum() == PUBLISHED_43
    assert year["offences"].sum() == PUBLISHED_WITH_BTP


def test_force_table_every_column(text: str, year: pl.DataFrame) -> None:
    header, body = _table(text, "### Offences by force")
    assert header == ["Force", "Q1", "Q2", "Q3", "Q4", "Offences 2017/18", "Share (%)"]
    terr = year.filter(pl.col("territorial"))
    want = (
        terr.group_by("force")
        .agg(
            *[
                pl.col("offences").filter(pl.col("quarter") == q).sum().alias(f"q{q}")
                for q in (1, 2, 3, 4)
            ],
            pl.col("offences").sum().alias("total"),
        )
        .sort("force")
    )
    got = {r[0]: r for r in body}
    assert len(got) == 43 and "British Transport Police" not in got
    for w in want.iter_rows(named=True):
        row = got[w["force"]]
        assert [_num(c) for c in row[1:6]] == [w["q1"], w["q2"], w["q3"], w["q4"], w["total"]]
        assert row[6] == f"{100 * w['total'] / PUBLISHED_43:.1f}", w["force"]
    met = got["Metropolitan Police"]
    assert met[6] == f"{100 * _num(met[5]) / PUBLISHED_43:.1f}"
    assert met[6] != f"{100 * _num(met[5]) / PUBLISHED_WITH_BTP:.1f}"  # the test can tell
    # sorted by offences, largest first
    totals = [_num(r[5]) for r in body]
    assert totals == sorted(totals, reverse=True)


def test_region_table_every_column(text: str, year: pl.DataFrame) -> None:
    header, body = _table(text, "### Offences by region")
    assert header == ["Region", "Forces", "Offences", "Share (%)"]
    want = (
        year.filter(pl.col("territorial"))
        .group_by("region")
        .agg(pl.col("force").n_unique().alias("forces"), pl.col("offences").sum().alias("n"))
    )
    got = {r[0]: r for r in body}
    assert set(got) == set(want["region"].to_list())
    for w in want.iter_rows(named=True):
        row = got[w["region"]]
        assert (_num(row[1]), _num(row[2])) == (w["forces"], w["n"])
        assert row[3] == f"{100 * w['n'] / PUBLISHED_43:.1f}"
    assert sum(_num(r[1]) for r in body) == 43

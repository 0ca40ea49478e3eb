"""``change``: the national sum by region, its source text and the notes (python mutants).

Synthetic frames (generated below); expected values worked by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats


def _frame(rows: list[tuple[str, str, bool, int, int]]) -> pl.DataFrame:
    """(force, region, territorial, offences 2017/18, offences 2018/19): synthetic."""
    out = []
    for force, region, terr, a, b in rows:
        for (start, end), n in (
            ((date(2017, 4, 1), date(2018, 3, 31)), a),
            ((date(2018, 4, 1), date(2019, 3, 31)), b),
        ):
            out.append((force, region if terr else None, terr, start, end, n))
    return pl.DataFrame(
        out,
        schema=["force", "region", "territorial", "period_start", "period_end", "offences"],
        orient="row",
    )


ROWS = [
    ("Kent", "South East", True, 100, 150),
    ("Surrey", "South East", True, 50, 40),
    ("Devon and Cornwall", "South West", True, 80, 100),
    ("British Transport Police", "", False, 10, 30),
]


def test_national_by_region_leaves_out_non_territorial_bodies() -> None:
    c = groomstats.change(_frame(ROWS), current="2018/19", by="region").sort("region")
    regions = c["region"].to_list()
    # South East 150 -> 190, South West 80 -> 100; national = territorial only: 230 -> 290
    se = c.filter(pl.col("region") == "South East")
    assert (se["baseline"][0], se["current"][0]) == (150, 190)
    nat = c.filter(pl.col("region").is_in(["South East", "South West"]))
    assert nat["national_baseline"].to_list() == [230, 230]
    assert nat["national_current"].to_list() == [290, 290]
    assert nat["national_pct_change"][0] == pytest.approx(60 / 230 * 100)
    assert len(regions) >= 2


def test_national_source_says_what_was_summed() -> None:
    c = groomstats.change(_frame(ROWS), current="2018/19", by="force")
    assert c["national_source"][0] == (
        "sum over force in data; territorial forces, excluding BTP; "
        "areas with counts in both windows only"
    )
    assert (c["national_baseline"][0], c["national_current"][0]) == (230, 290)
    b = groomstats.change(_frame(ROWS), current="2018/19", by="force", include_btp=True)
    assert b["national_source"][0] == (
        "sum over force in data; territorial forces + BTP; areas with counts in both windows only"
    )
    assert (b["national_baseline"][0], b["national_current"][0]) == (240, 320)


def test_notes() -> None:
    rows = [
        ("Kent", "South East", True, 5, 0),  # current 0: an ordinary fall to zero, no note
        ("Surrey", "South East", True, 0, 7),  # baseline 0: percent change undefined
        ("Essex", "East", True, 0, 0),  # nothing in either window
        ("Norfolk", "East", True, 4, -1),  # negative total: no test
    ]
    c = groomstats.change(_frame(rows), current="2018/19", by="force").sort("force")
    notes = dict(zip(c["force"], c["note"], strict=True))
    assert notes["Kent"] is None
    assert notes["Surrey"] == "baseline is 0: percent change undefined"
    assert notes["Essex"] == "no offences in either window"
    assert notes["Norfolk"] == "negative total (reclassification adjustments): no test"
    kent = c.filter(pl.col("force") == "Kent")
    assert kent["pct_change"][0] == pytest.approx(-100.0)

"""shares() refuses to pool one force's rows whose periods overlap without being the same
(found by hostile testing: a breakdown file with Kent's financial year 2023/24 and calendar year
2023 gave one share summing both, counting April-December 2023 twice).

The table is written by the test (hand-made counts, not published figures); the expected
shares are worked by hand and their Wilson limits checked against statsmodels.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats import DataFormatError

MIXED = """\
Force,Period,Snapchat,Instagram
Kent,2023/24,41,12
Kent,2023,30,10
Essex,2023/24,5,4
"""


@pytest.fixture
def mixed(tmp_path: Path) -> pl.DataFrame:
    p = tmp_path / "mixed.csv"
    p.write_text(MIXED, encoding="utf-8")
    return groomstats.read_breakdown(p, category="platform")


def test_pooling_overlapping_periods_of_one_force_is_refused(mixed: pl.DataFrame) -> None:
    with pytest.raises(DataFormatError) as info:
        groomstats.shares(mixed)
    msg = str(info.value)
    assert "force 'Kent' has rows for periods that overlap" in msg
    assert "2023-01-01..2023-12-31 and 2023-04-01..2024-03-31" in msg
    assert "by='period'" in msg


def test_a_share_per_period_is_given(mixed: pl.DataFrame) -> None:
    s = groomstats.shares(mixed, by="period").sort("period", "platform")
    rows = {(r["period"], r["platform"]): r for r in s.iter_rows(named=True)}
    # 2023/24: Snapchat 41 + 5 = 46 of 41 + 12 + 5 + 4 = 62; 2023: Snapchat 30 of 40
    for (period, platform), (x, n) in {
        ("2023/24", "Snapchat"): (46, 62),
        ("2023/24", "Instagram"): (16, 62),
        ("2023", "Snapchat"): (30, 40),
        ("2023", "Instagram"): (10, 40),
    }.items():
        r = rows[(period, platform)]
        assert (r["offences"], r["denominator"]) == (x, n)
        assert r["value"] == pytest.approx(100 * x / n)
        lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
        assert r["lower_95"] == pytest.approx(100 * lo, rel=1e-9)
        assert r["upper_95"] == pytest.approx(100 * hi, rel=1e-9)


def test_different_forces_and_separate_years_still_pool(tmp_path: Path) -> None:
    """Kent 2022/23 and 2023/24 do not overlap: pooled, nothing counted twice."""
    p = tmp_path / "years.csv"
    p.write_text(
        "Force,Period,Snapchat,Instagram\nKent,2022/23,10,5\nKent,2023/24,20,5\n"
        "Essex,2023/24,3,1\n",
        encoding="utf-8",
    )
    s = groomstats.shares(groomstats.read_breakdown(p, category="platform"))
    snap = s.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert (snap["offences"], snap["denominator"]) == (33, 44)  # 10 + 20 + 3 of 15 + 25 + 4

"""``totals`` per quarter: each quarter's own coverage, and the count column keeps its name
(synthetic quarterly counts; survivors of the Python mutation run, mutants/SURVIVORS.md).
Worked by hand: Essex's 2018/19 Q2 is blank, every other cell holds 5."""

from __future__ import annotations

from datetime import date

import polars as pl

import groomstats

QUARTERS = [
    (date(2018, 4, 1), date(2018, 6, 30)),
    (date(2018, 7, 1), date(2018, 9, 30)),
    (date(2018, 10, 1), date(2018, 12, 31)),
    (date(2019, 1, 1), date(2019, 3, 31)),
]
FRAME = pl.DataFrame(
    [
        {
            "force": force,
            "period_start": s,
            "period_end": e,
            "crimes": None if (force == "Essex" and s.month == 7) else 5,
        }
        for force in ("Kent", "Essex")
        for s, e in QUARTERS
    ],
    schema_overrides={"crimes": pl.Int64},
)


def test_each_quarter_has_its_own_coverage() -> None:
    t = groomstats.totals(
        FRAME, by="force", window="2018/19", granularity="quarter", count="crimes"
    )
    assert t["force"].to_list() == ["Essex"] * 4 + ["Kent"] * 4
    assert t["period"].to_list() == [f"2018/19 Q{q}" for q in (1, 2, 3, 4)] * 2
    assert t["crimes"].to_list() == [5, None, 5, 5] + [5] * 4
    assert t["rows"].to_list() == [1] * 8
    assert t["null_rows"].to_list() == [0, 1, 0, 0] + [0] * 4
    assert t["periods_present"].to_list() == [1, 0, 1, 1] + [1] * 4
    assert t["periods_expected"].to_list() == [1] * 8
    assert t["days_missing"].to_list() == [0, 92, 0, 0] + [0] * 4  # July-September: 92 days
    assert t["complete"].to_list() == [True, False, True, True] + [True] * 4


def test_the_count_column_keeps_its_name() -> None:
    t = groomstats.totals(FRAME, by="force", window="2018/19", count="crimes")
    assert "crimes" in t.columns and "offences" not in t.columns
    assert t["crimes"].to_list() == [15, 20]  # Essex: Q2 blank, left out, never 0
    assert t["complete"].to_list() == [False, True]

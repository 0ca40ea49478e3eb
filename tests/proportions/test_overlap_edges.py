"""Edges of shares()'s refusal to pool one force's overlapping periods (survivors of the
Python mutation run, mutants/SURVIVORS.md): by="force" itself, a force missing beside a named
one, and two periods sharing a single day. Frames are synthetic, generated here; dates are
inclusive."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError

D = dt.date


def _frame(rows: list[tuple[str | None, dt.date, dt.date]]) -> pl.DataFrame:
    """Two platforms for each (force, period_start, period_end)."""
    return pl.DataFrame(
        {
            "force": [r[0] for r in rows for _ in range(2)],
            "period_start": [r[1] for r in rows for _ in range(2)],
            "period_end": [r[2] for r in rows for _ in range(2)],
            "category": "platform",
            "value": ["Snapchat", "Instagram"] * len(rows),
            "offences": [3, 1] * len(rows),
            "suppressed": False,
        }
    )


def test_by_force_still_refuses_overlapping_periods() -> None:
    df = _frame([("Kent", D(2023, 4, 1), D(2024, 3, 31)), ("Kent", D(2023, 1, 1), D(2023, 12, 31))])
    with pytest.raises(DataFormatError, match="force 'Kent' has rows for periods that overlap"):
        groomstats.shares(df, by="force")


def test_the_named_force_is_reported_before_a_missing_one() -> None:
    """Both a force-less pair of rows and Kent overlap: the message names Kent (a missing force
    sorts last)."""
    df = _frame(
        [
            (None, D(2023, 4, 1), D(2024, 3, 31)),
            (None, D(2023, 1, 1), D(2023, 12, 31)),
            ("Kent", D(2023, 4, 1), D(2024, 3, 31)),
            ("Kent", D(2023, 1, 1), D(2023, 12, 31)),
        ]
    )
    with pytest.raises(DataFormatError, match="force 'Kent' has rows"):
        groomstats.shares(df)


def test_periods_sharing_one_day_overlap() -> None:
    """1 January to 30 June and 30 June to 31 December share 30 June: refused; 1 July onwards
    does not overlap, and the two halves are pooled (4 + 4 offences of each platform)."""
    shared = _frame(
        [("Kent", D(2023, 1, 1), D(2023, 6, 30)), ("Kent", D(2023, 6, 30), D(2023, 12, 31))]
    )
    with pytest.raises(
        DataFormatError, match=r"2023-01-01\.\.2023-06-30 and 2023-06-30\.\.2023-12-31"
    ):
        groomstats.shares(shared)
    halves = _frame(
        [("Kent", D(2023, 1, 1), D(2023, 6, 30)), ("Kent", D(2023, 7, 1), D(2023, 12, 31))]
    )
    out = groomstats.shares(halves)
    assert out.select("platform", "offences", "denominator").rows() == [
        ("Snapchat", 6, 8),
        ("Instagram", 2, 8),
    ]

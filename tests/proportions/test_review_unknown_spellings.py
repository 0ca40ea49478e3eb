"""Review R1 (regression from 9ba6852): 'Unknown' beside 'unknown' was refused as one label
written two ways; both are unknown labels (matched case-insensitively, never a share), so
they are left out of the denominator as at 28d2124 (SYNTHETIC frame from the review)."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats


def _frame(values: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": ["Kent", "Kent", "Essex", "Essex"],
            "period": ["2023/24"] * 4,
            "category": ["gender"] * 4,
            "value": values,
            "offences": [10, 2, 20, 3],
            "suppressed": [False] * 4,
        }
    )


def test_two_spellings_of_unknown_by_force_give_the_28d2124_shares() -> None:
    out = groomstats.shares(
        _frame(["Female", "Unknown", "Female", "unknown"]), "gender", by="force"
    )
    # hand-worked: Kent Female 10 of 10 recorded (2 unknown), Essex Female 20 of 20 (3 unknown)
    assert out.select("force", "gender", "offences", "denominator", "unknown").rows() == [
        ("Essex", "Female", 20, 20, 3),
        ("Kent", "Female", 10, 10, 2),
    ]
    assert out["value"].to_list() == pytest.approx([100.0, 100.0])


def test_two_spellings_of_unknown_pooled_are_one_unknown_count() -> None:
    out = groomstats.shares(_frame(["Female", "Unknown", "Female", " NOT KNOWN"]), "gender")
    assert out.select("gender", "offences", "denominator", "unknown").rows() == [
        ("Female", 30, 30, 5)
    ]

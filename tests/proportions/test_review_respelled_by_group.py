"""Review R3: one label written two ways is refused only WITHIN one by group, where the two
spellings would split one group's category into two shares. Kent 'Female' and Essex
'female' (two forces' files concatenated) with by='force' give each force's share; pooled
(by=None) they are refused as before (SYNTHETIC frames)."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": ["Kent", "Kent", "Essex", "Essex"],
            "period": ["2023/24"] * 4,
            "category": ["gender"] * 4,
            "value": ["Female", "Male", "female", "Male"],
            "offences": [10, 2, 20, 3],
            "suppressed": [False] * 4,
        }
    )


@pytest.mark.parametrize("contiguous", [True, False])
def test_spellings_of_different_forces_give_each_forces_share(contiguous: bool) -> None:
    df = _frame() if contiguous else _frame()[[0, 2, 1, 3]]  # the long way too
    out = groomstats.shares(df, "gender", by="force")
    # hand-worked: Kent 10 of 12 and 2 of 12, Essex 20 of 23 and 3 of 23
    assert out.select("force", "gender", "offences", "denominator").rows() == [
        ("Essex", "female", 20, 23),
        ("Essex", "Male", 3, 23),
        ("Kent", "Female", 10, 12),
        ("Kent", "Male", 2, 12),
    ]
    assert out["value"].to_list() == pytest.approx(
        [100 * 20 / 23, 100 * 3 / 23, 100 * 10 / 12, 100 * 2 / 12]
    )


def test_pooled_spellings_are_refused_saying_the_group() -> None:
    with pytest.raises(DataFormatError) as e:
        groomstats.shares(_frame(), "gender")
    msg = str(e.value)
    assert "the gender labels 'Female' and 'female' differ only in case or spaces" in msg
    assert "by=None pools every row" in msg


def test_spellings_within_one_force_are_refused_naming_it() -> None:
    df = pl.concat([_frame(), _frame().head(1).with_columns(value=pl.lit("FEMALE "))])
    with pytest.raises(DataFormatError) as e:
        groomstats.shares(df, "gender", by="force")
    msg = str(e.value)
    assert "the gender labels 'FEMALE ' and 'Female' differ only in case or spaces" in msg
    assert "in one by group (force='Kent'; labels of different groups are not compared)" in msg

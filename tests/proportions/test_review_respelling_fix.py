"""Review R2: the refusal of one label written two ways gives a fix that works for case as
well as spaces (it suggested only ``str.strip_chars()``, which leaves 'Female' / 'female'
refused). The fix is read from the message and run on two forces' files pooled
(SYNTHETIC frames)."""

from __future__ import annotations

import re

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError


@pytest.mark.parametrize("other", ["female", " FEMALE ", "Female  "])
def test_the_fix_the_refusal_gives_runs_and_gives_one_share(other: str) -> None:
    data = pl.DataFrame(
        {
            "force": ["Kent", "Kent", "Essex", "Essex"],
            "category": ["gender"] * 4,
            "value": ["Female", "Male", other, "Male"],
            "offences": [30, 12, 10, 5],
            "suppressed": [False] * 4,
        }
    )
    with pytest.raises(DataFormatError) as e:
        groomstats.shares(data, "gender")
    found = re.search(r"write it one way: (data\.with_columns\(.*?\)\)) to ", str(e.value))
    assert found, str(e.value)
    fixed = eval(found.group(1), {"pl": pl, "data": data})  # the fix as the message writes it
    out = groomstats.shares(fixed, "gender")
    # hand-worked: Female 30 + 10 of 57, Male 12 + 5 of 57
    assert out.select("gender", "offences", "denominator").rows() == [
        ("Female", 40, 57),
        ("Male", 17, 57),
    ]

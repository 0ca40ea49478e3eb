"""shares(by=...) naming the label column ``value`` is refused with a GroomstatsError (it used to
fail inside polars with a duplicate-column error, both with and without the short cut for
groups in runs). Frame synthetic, written here."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import proportions
from groomstats.exceptions import GroomstatsError


@pytest.mark.parametrize("contiguous", [True, False])
@pytest.mark.parametrize("by", ["value", ["force", "value"]])
def test_by_the_label_column_is_refused(by: str | list[str], contiguous: bool) -> None:
    df = pl.DataFrame(
        {
            "force": ["A"] * 3 + ["B"] * 3,
            "period": "2023/24",
            "category": "platform",
            "value": ["Snapchat", "Kik", "Instagram"] * 2,
            "offences": [1, 2, 3, 4, 5, 6],
            "suppressed": False,
        }
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(proportions, "_CONTIGUOUS", contiguous)
        with pytest.raises(GroomstatsError, match="by names 'value'"):
            groomstats.shares(df, "platform", by=by)

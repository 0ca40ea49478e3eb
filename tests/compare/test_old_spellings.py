"""Old argument spellings of ``change`` raise a GroomstatsError naming the new one (the module's
own copy of tests/package/test_vocabulary.py's check)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import GroomstatsError

FRAME = pl.DataFrame(
    {
        "force": ["A", "A"],
        "period_start": [date(2018, 4, 1), date(2019, 4, 1)],
        "period_end": [date(2019, 3, 31), date(2020, 3, 31)],
        "offences": [3, 5],
    }
)


def test_df_is_now_data() -> None:
    with pytest.raises(GroomstatsError, match="the argument df= is now data="):
        groomstats.change(df=FRAME, current="2019/20")  # type: ignore[call-arg]


def test_by_is_keyword_only() -> None:
    with pytest.raises(GroomstatsError, match="keyword-only: pass by='force'"):
        groomstats.change(FRAME, "2019/20", "2018/19", "force")  # type: ignore[misc]

"""Old argument spellings of ``grooming`` and ``totals`` raise a GroomstatsError naming the new
one (the module's own copy of tests/package/test_vocabulary.py's check)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import GroomstatsError

FRAME = pl.DataFrame(
    {
        "force": ["A", "A"],
        "offence_code": ["88A", "88A"],
        "period_start": [date(2018, 4, 1), date(2019, 4, 1)],
        "period_end": [date(2019, 3, 31), date(2020, 3, 31)],
        "offences": [3, 5],
    }
)


def test_df_is_now_data() -> None:
    with pytest.raises(GroomstatsError, match="the argument df= is now data="):
        groomstats.grooming(df=FRAME)  # type: ignore[call-arg]
    with pytest.raises(GroomstatsError, match="the argument df= is now data="):
        groomstats.totals(df=FRAME)  # type: ignore[call-arg]


def test_by_window_and_granularity_are_keyword_only() -> None:
    with pytest.raises(GroomstatsError, match="keyword-only: pass by='force'"):
        groomstats.totals(FRAME, "force")  # type: ignore[misc]
    with pytest.raises(GroomstatsError, match="pass by='force', window='2018/19'"):
        groomstats.totals(FRAME, "force", "2018/19")  # type: ignore[misc]

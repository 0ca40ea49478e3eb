"""Old argument spellings of ``shares`` raise a GroomstatsError naming the new one (the module's
own copy of tests/package/test_vocabulary.py's check)."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import GroomstatsError


def test_df_is_now_data() -> None:
    frame = pl.DataFrame({"platform": ["A", "B"], "offences": [5, 9]})
    with pytest.raises(GroomstatsError, match="the argument df= is now data="):
        groomstats.shares(df=frame)  # type: ignore[call-arg]

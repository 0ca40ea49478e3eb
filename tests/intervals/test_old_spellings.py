"""Old argument spellings of ``rates`` and ``rank_areas`` raise a GroomstatsError naming the
new one (the module's own copy of tests/package/test_vocabulary.py's check)."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import GroomstatsError

FRAME = pl.DataFrame({"force": ["A", "B"], "offences": [5, 9], "n": [1000, 2000]})


def test_df_is_now_data() -> None:
    with pytest.raises(GroomstatsError, match="the argument df= is now data="):
        groomstats.rates(df=FRAME, denominator="n")  # type: ignore[call-arg]
    with pytest.raises(GroomstatsError, match="the argument df= is now data="):
        groomstats.rank_areas(df=FRAME, column="offences")  # type: ignore[call-arg]

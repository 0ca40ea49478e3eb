"""Empty is not zero (issue 16): a window holding no row of the data is refused, never a
table of zero (or silently null) counts."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import PeriodError, datasets


def test_window_outside_the_data_is_refused() -> None:
    g = groomstats.grooming(datasets.prc())
    with pytest.raises(PeriodError, match=r"no row of the data falls inside 2018/19"):
        groomstats.totals(g, by="force", window="2018/19")


def test_window_partly_covered_keeps_its_gaps_visible() -> None:
    g = groomstats.grooming(datasets.prc())
    # the embedded table ends on 31 March 2018: a calendar-2018 window holds only Q4
    t = groomstats.totals(g, by="national", window="2018")
    row = t.row(0, named=True)
    assert row["complete"] is False
    q4 = g.filter(pl.col("quarter") == 4, pl.col("territorial"))["offences"].sum()
    assert row["offences"] == q4

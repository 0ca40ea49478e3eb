"""Record dates as time-zone-aware datetimes are counted on their own day.

``cast(pl.Date)`` gives a zoned datetime's day in UTC: 00:30 on 1 April 2017 in London
(British Summer Time, UTC+1) is 23:30 on 31 March in UTC, so the offence fell in 2016/17 Q4,
before the 1 April 2017 series break, instead of 2017/18 Q1. SYNTHETIC records below; the
expected periods are read off the clock by hand.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

import groomstats

LONDON = pl.DataFrame(
    {
        "force": ["Kent", "Kent"],
        # 00:30 BST on the first day of 2017/18 Q1 and 23:30 BST on its last day
        "date": [datetime(2017, 4, 1, 0, 30), datetime(2017, 6, 30, 23, 30)],
    }
).with_columns(pl.col("date").dt.replace_time_zone("Europe/London"))


@pytest.mark.parametrize("engine", ["eager", "lazy", "pandas"])
def test_zoned_records_fall_in_their_own_quarter(engine: str) -> None:
    data = {"eager": LONDON, "lazy": LONDON.lazy(), "pandas": LONDON.to_pandas()}[engine]
    out = groomstats.count_records(data, by="force", date="date")
    assert out.select("period", "period_start", "period_end", "offences").rows() == [
        ("2017/18 Q1", date(2017, 4, 1), date(2017, 6, 30), 2)
    ]


def test_zoned_records_checked_against_covers_on_their_own_day() -> None:
    out = groomstats.count_records(
        LONDON, by="force", date="date", covers=(date(2017, 4, 1), date(2017, 6, 30))
    )
    assert out.select("period", "offences").rows() == [("2017/18 Q1", 2)]

"""Dates as decimal years and financial quarters (``trends._series._date_times``), worked out
per day of the span the dates cover and looked up, or per row when the span is longer than
the column: both give exactly :func:`groomstats.periods.decimal_year` and the April-based
quarter of Python's own calendar, across century years (1700, 1800, 1900 are not leap years;
1600 and 2000 are). Random dates (synthetic, generated here)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from groomstats.periods import decimal_year
from groomstats.trends._series import _date_times


@pytest.mark.parametrize("span", [400, 1_500, 200_000])  # lookup, lookup, per row
def test_decimal_year_and_quarter_match_pythons_calendar(span: int) -> None:
    rng = np.random.default_rng(span)
    first = date(1599, 12, 1)
    days: list[date | None] = [first + timedelta(days=int(k)) for k in rng.integers(0, span, 2000)]
    days[7] = None
    t, q = _date_times(pl.Series("d", days, dtype=pl.Date))
    want_t = [np.nan if d is None else decimal_year(d) for d in days]
    want_q = [0 if d is None else (d.month - 4) % 12 // 3 + 1 for d in days]
    np.testing.assert_array_equal(t, want_t)  # exactly, not approximately
    assert q.tolist() == want_q


def test_datetimes_use_their_date() -> None:
    stamps = [datetime(2000, 2, 29, 23, 59), datetime(1900, 3, 1, 0, 1), None]
    t, q = _date_times(pl.Series("d", stamps, dtype=pl.Datetime("ms")))
    np.testing.assert_array_equal(
        t, [decimal_year(date(2000, 2, 29)), decimal_year(date(1900, 3, 1)), np.nan]
    )
    assert q.tolist() == [4, 4, 0]

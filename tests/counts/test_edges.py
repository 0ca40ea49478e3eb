"""``totals`` edge cases found by the Python mutation run (synthetic frames)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats


def _rows(ends: list[date | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": ["Kent"] * len(ends),
            "period_start": [date(2017, 4, 1), date(2017, 7, 1)][: len(ends)],
            "period_end": ends,
            "offences": [3, 4][: len(ends)],
        }
    )


def test_a_missing_period_end_alone_is_reported_with_its_row() -> None:
    df = _rows([date(2017, 6, 30), None])
    with pytest.raises(groomstats.DataFormatError, match="row 1 has no period_start or period_end"):
        groomstats.totals(df, window="2017/18")


def test_empty_frame_needs_a_window_and_one_row_does_not() -> None:
    empty = _rows([date(2017, 6, 30)]).head(0)
    with pytest.raises(groomstats.PeriodError, match="empty"):
        groomstats.totals(empty)
    one = groomstats.totals(_rows([date(2017, 6, 30)]))
    assert one["offences"].to_list() == [3]

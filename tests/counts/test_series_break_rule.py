"""The series-break rule as ``totals`` and ``change`` apply it (the shared helper lives in
counts.py): totals warn, change refuses, allow_series_break=True silences totals and turns
change's refusal into a warning; every warning points at the caller (synthetic quarterly
counts; survivors of the Python mutation run, mutants/SURVIVORS.md)."""

from __future__ import annotations

import warnings
from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats import PeriodError, SeriesBreakWarning

# Synthetic: Kent, 2016/17 Q3 to 2017/18 Q2, 10 offences a quarter
STARTS = [date(2016, 10, 1), date(2017, 1, 1), date(2017, 4, 1), date(2017, 7, 1)]
ENDS = [date(2016, 12, 31), date(2017, 3, 31), date(2017, 6, 30), date(2017, 9, 30)]
FRAME = pl.DataFrame(
    {"force": ["Kent"] * 4, "period_start": STARTS, "period_end": ENDS, "offences": [10] * 4}
)
ACROSS = "2016-10-01..2017-09-30"


def test_totals_across_the_break_warn_unless_allowed() -> None:
    with pytest.warns(SeriesBreakWarning, match="to silence this warning") as rec:
        t = groomstats.totals(FRAME, by="force", window=ACROSS)
    assert rec[0].filename == __file__
    assert t["offences"][0] == 40
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (
            groomstats.totals(FRAME, by="force", window=ACROSS, allow_series_break=True)[
                "offences"
            ][0]
            == 40
        )
        assert (
            groomstats.totals(FRAME, by="force", window="2017-04-01..2017-09-30")["offences"][0]
            == 20
        )


def test_change_across_the_break_is_refused_unless_allowed() -> None:
    cur, base = "2017-04-01..2017-09-30", "2016-10-01..2017-03-31"
    with pytest.raises(PeriodError, match="Pass allow_series_break=True to compare anyway"):
        groomstats.change(FRAME, cur, base, by="force")
    with pytest.warns(SeriesBreakWarning, match=r"\(allow_series_break=True\)") as rec:
        c = groomstats.change(FRAME, cur, base, by="force", allow_series_break=True)
    assert rec[0].filename == __file__
    assert (c["current"][0], c["baseline"][0]) == (20, 20)


def test_other_offences_are_not_held_to_the_88a_break() -> None:
    other = FRAME.with_columns(offence_code=pl.lit("8L"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert groomstats.totals(other, by="force", window=ACROSS)["offences"][0] == 40

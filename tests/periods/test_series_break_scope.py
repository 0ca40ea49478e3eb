"""The series break is scoped (issue 12, item 4): the 1 April 2017 guard applies to England and
Wales 88A / s.15A series only. Police Scotland ("communicating indecently with a child") and
PSNI series, and other offence codes, are neither refused nor warned about 88A; Police Scotland
and the PSNI are known areas of their own nations, not territorial forces of England and Wales.

Synthetic counts (generated below, labelled synthetic).
"""

from __future__ import annotations

import warnings
from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats.periods import may_hold_88a

YEARS = list(range(2015, 2022))  # 2015/16 .. 2021/22: crosses 1 April 2017


def _series(force: str, values: list[int], **extra: str) -> pl.DataFrame:
    df = pl.DataFrame(
        {
            "force": [force] * len(values),
            "financial_year": [f"{y}/{(y + 1) % 100:02d}" for y in YEARS[: len(values)]],
            "period_start": [date(y, 4, 1) for y in YEARS[: len(values)]],
            "period_end": [date(y + 1, 3, 31) for y in YEARS[: len(values)]],
            "offences": values,
        }
    )
    return df.with_columns(pl.lit(v).alias(k) for k, v in extra.items())


COUNTS = [20, 24, 30, 33, 41, 45, 52]


@pytest.mark.parametrize("force", ["Police Scotland", "PSNI", "Police Service of Northern Ireland"])
def test_other_nations_series_are_not_refused_or_warned(force: str) -> None:
    df = _series(force, COUNTS)
    with warnings.catch_warnings():
        # no SeriesBreakWarning about 88A (only groomstats warnings as errors: the polars
        # floor warns inside its own constructors)
        warnings.simplefilter("error", groomstats.SeriesBreakWarning)
        t = groomstats.trend(df, by="force")
        assert t["apc"][0] is not None and t["apc"][0] > 0
        t2 = groomstats.trend(df, by="force", allow_series_break=True)
        assert t2["apc"][0] == pytest.approx(t["apc"][0])
        jp = groomstats.joinpoint(df, by="force", max_joins=1, selection="bic")
        assert jp.aapc["n"][0] == len(COUNTS)
        c = groomstats.change(df, current="2017/18", baseline="2016/17", by="force")
        assert c["pct_change"][0] == pytest.approx(25.0)
        tot = groomstats.totals(df, window="2016-04-01..2018-03-31")
        assert tot["offences"][0] == 54
        it = groomstats.interrupted(df, "2017-04-01", by="force")
        assert it["level_change"][0] is not None


def test_scotlands_offence_and_other_codes_are_not_88a() -> None:
    scot = _series("Scotland", COUNTS, offence="Communicating indecently with a child")
    scot = scot.drop("force").with_columns(pl.lit("Scotland").alias("area"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert groomstats.trend(scot, by="area")["apc"][0] is not None
    e88 = _series("Kent", COUNTS, offence_code="88E")
    c = groomstats.change(e88, current="2017/18", baseline="2016/17", by="force")
    assert c["current"][0] == 30
    assert may_hold_88a({"offence_code": [" 88a "]})  # any case, any padding
    assert not may_hold_88a({"offence": ["communicating indecently with a child"]})
    assert not may_hold_88a({"nation": ["Scotland", "Northern Ireland"]})


def test_england_and_wales_88a_series_are_still_refused() -> None:
    for df in (_series("Kent", COUNTS), _series("Kent", COUNTS, offence_code="88A")):
        with pytest.raises(groomstats.PeriodError, match="1 April 2017"):
            groomstats.trend(df, by="force")
        with pytest.raises(groomstats.PeriodError, match="break"):
            groomstats.change(df, current="2017/18", baseline="2016/17", by="force")
    # a UK frame: the Scottish rows do not lift the guard from Kent's
    uk = pl.concat([_series("Kent", COUNTS), _series("Police Scotland", COUNTS)])
    with pytest.raises(groomstats.PeriodError, match="1 April 2017"):
        groomstats.trend(uk, by="force")
    with pytest.warns(groomstats.SeriesBreakWarning, match="88A"):
        groomstats.change(
            _series("Kent", COUNTS),
            current="2017/18",
            baseline="2016/17",
            by="force",
            allow_series_break=True,
        )
    with warnings.catch_warnings():  # ... but not for Police Scotland's
        warnings.simplefilter("error")
        groomstats.change(
            _series("Police Scotland", COUNTS),
            current="2017/18",
            baseline="2016/17",
            by="force",
            allow_series_break=True,
        )

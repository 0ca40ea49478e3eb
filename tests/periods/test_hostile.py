"""Hostile input against periods and the series break.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

from datetime import date

import pytest
from hostile import Case, params, run_case

import groomstats
from groomstats import (
    GroomstatsError,
    PeriodError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, PE = GroomstatsError, PeriodError

    # --- constants, classes and exceptions: documented values -------------------------------
    add(
        Case(
            "SERIES_BREAK",
            "is 1 April 2017",
            lambda: groomstats.SERIES_BREAK,
            lambda v: v == date(2017, 4, 1) or pytest.fail(str(v)),
        )
    )
    # --- periods -----------------------------------------------------------------------------
    P = groomstats.Period
    for text in [
        "",
        "   ",
        "2017/19",
        "Q5 2017/18",
        "31 February 2017",
        "2017-04-01..2016-04-01",
        "\x00",
        "🙂",
        "9" * 400,
        "q99999999999999999999 2017/18",
        "twelve months to 1899-12-31",
    ]:
        add(Case("Period", f"parse {text[:20]!r}", lambda t=text: P.parse(t), PE))
    add(
        Case(
            "Period",
            "999 months is a window",
            lambda: P.parse("999 months to 2017-04-01").label,
            lambda lab: lab == "1934-01-02..2017-04-01" or pytest.fail(lab),
        )
    )
    add(Case("Period", "parse a non-string", lambda: P.parse(2017), PE, ("2017",)))  # type: ignore[arg-type]
    add(
        Case(
            "Period",
            "from_bounds end before start",
            lambda: P.from_bounds(date(2018, 1, 1), date(2017, 1, 1)),
            PE,
            ("2017-01-01",),
        )
    )
    add(
        Case(
            "Period",
            "from_bounds extreme dates",
            lambda: P.from_bounds(date(1, 1, 1), date(9999, 12, 31)),
            lambda p: p.days == (date(9999, 12, 31) - date(1, 1, 1)).days + 1 or pytest.fail(p),
        )
    )
    add(
        Case(
            "Period", "shift_years huge", lambda: P.parse("2017/18").shift_years(2_000_000_000), PE
        )
    )
    add(
        Case(
            "Period",
            "granules unknown granularity",
            lambda: P.parse("2017/18").granules("week"),
            G,
            ("week",),
        )
    )  # type: ignore[arg-type]
    add(
        Case(
            "Period",
            "granules cutting a quarter",
            lambda: P.parse("2017-04-01..2017-05-31").granules("quarter"),
            PE,
            ("2017/18 Q1",),
        )
    )
    add(
        Case(
            "Period",
            "Unicode dash parses",
            lambda: P.parse("2017–18").label,
            lambda lab: lab == "2017/18" or pytest.fail(lab),
        )
    )
    add(Case("parse_period", "a list", lambda: groomstats.parse_period([2017, 2018]), PE))  # type: ignore[arg-type]
    add(
        Case(
            "parse_period",
            "a tuple of strings",
            lambda: groomstats.parse_period(("2017", "2018")),
            PE,
        )
    )  # type: ignore[arg-type]
    add(Case("parse_period", "None", lambda: groomstats.parse_period(None), PE))  # type: ignore[arg-type]
    add(
        Case(
            "parse_period",
            "reversed dates",
            lambda: groomstats.parse_period((date(2018, 1, 1), date(2017, 1, 1))),
            PE,
        )
    )
    add(
        Case(
            "Period", "shift_years past year 9999", lambda: P.parse("2017/18").shift_years(7983), PE
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

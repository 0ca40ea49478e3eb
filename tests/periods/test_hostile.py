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
    # --- one rule per period phrase (issue 12, item 9; docs/periods.md) ----------------------
    for text, listed in [
        ("year to April 2019", ("2018-05-01..2019-04-30", "2018/19")),
        ("12 months to April 2019", ("2018-05-01..2019-04-30", "2018/19")),
        ("2017-2018", ("2017/18", "2017-01-01..2018-12-31")),
        ("2017 - 2018", ("2017/18", "2017-01-01..2018-12-31")),
        ("year ending 2018", ("CY2018", "2017/18")),
        ("FY2018", ("2017/18", "2018/19")),
    ]:
        add(Case("Period", f"two readings {text!r}", lambda t=text: P.parse(t), PE, listed))
    add(
        Case(
            "parse_period",
            "financial year ending 2018 is 2017/18",
            lambda: groomstats.parse_period("financial year ending 2018").label,
            lambda lab: lab == "2017/18" or pytest.fail(lab),
        )
    )
    add(
        Case(
            "Period",
            "spacing around '-' keeps the meaning",
            lambda: {P.parse(t).label for t in ("2017-18", "2017 - 18", "2017 -18", "2017- 18")},
            lambda labs: labs == {"2017/18"} or pytest.fail(str(labs)),
        )
    )
    add(
        Case(
            "Period",
            "months to <month> and to <day> <month> agree",
            lambda: (P.parse("6 months to April 2019"), P.parse("6 months to 30 April 2019")),
            lambda ps: (ps[0] == ps[1] and ps[0].end == date(2019, 4, 30)) or pytest.fail(str(ps)),
        )
    )
    add(
        Case(
            "Period",
            "financial year ending June",
            lambda: P.parse("financial year ending June 2018"),
            PE,
            ("31 March",),
        )
    )
    add(Case("Period", "dashes only", lambda: P.parse(" - - "), PE, ("' - - '",)))
    add(Case("Period", "many dashes", lambda: P.parse("-".join(["2017"] * 200)), PE))
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

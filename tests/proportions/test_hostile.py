"""Hostile input against shares.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import polars as pl
import pytest
from hostile import BIG, Case, breakdown, finite_or_null, params, run_case

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF = GroomstatsError, DataFormatError

    # --- shares ------------------------------------------------------------------------------
    sfp = groomstats.shares_from_percentages
    add(Case("shares_from_percentages", "no base", lambda: sfp({"Snapchat": 52}), G, ("base",)))
    add(Case("shares_from_percentages", "not a mapping", lambda: sfp([52], 10), G))  # type: ignore[arg-type]
    add(Case("shares_from_percentages", "text", lambda: sfp({"A": "lots"}, 10), G, ("lots",)))
    add(Case("shares_from_percentages", "NaN", lambda: sfp({"A": float("nan")}, 10), G))
    add(Case("shares_from_percentages", "inf base", lambda: sfp({"A": 5}, float("inf")), G))  # type: ignore[arg-type]
    add(Case("shares_from_percentages", "negative", lambda: sfp({"A": -5}, 10), G))
    sh = groomstats.shares
    add(Case("shares", "missing columns", lambda: sh(pl.DataFrame({"a": [1]})), DF))
    add(Case("shares", "empty breakdown", lambda: sh(breakdown([])), G, ("platform",)))
    add(
        Case(
            "shares",
            "all suppressed",
            lambda: sh(breakdown([None, None])),
            lambda f: isinstance(f, pl.DataFrame) or pytest.fail(),
        )
    )
    add(Case("shares", "negative count", lambda: sh(breakdown([-4, 10, 1])), DF, ("-4",)))
    # --- suppression-aware shares (issue 12, item 6) -------------------------------------------
    for bad in [(5, 1), (-1, 4), "1-4", (1.5, 4), (None, 4)]:
        add(
            Case(
                "shares",
                f"suppressed={bad!r}",
                lambda v=bad: sh(breakdown([3, None]), suppressed=v),
                G,
                ("suppressed=",),
            )
        )
    add(
        Case(
            "shares",
            "a suppressed cell is a range, never dropped (Snapchat 3, Instagram *)",
            lambda: sh(breakdown([3, None])).select("platform", "value", "value_min", "value_max"),
            lambda f: (
                (
                    f.rows()
                    == [
                        ("Snapchat", None, pytest.approx(300 / 7), pytest.approx(75.0)),
                        ("Instagram", None, pytest.approx(25.0), pytest.approx(400 / 7)),
                    ]
                )
                or pytest.fail(str(f))
            ),
        )
    )
    add(
        Case(
            "shares",
            "a Total value in a hand-made frame is refused as a category",
            lambda: sh(breakdown([3, 1, 4], ["Snapchat", "Instagram", "Total"])),
            G,
            ("Total",),
        )
    )
    add(
        Case("shares", "huge counts", lambda: sh(breakdown([BIG, BIG, 1])), finite_or_null("value"))
    )
    add(
        Case(
            "shares",
            "unknown option",
            lambda: sh(breakdown([1, 2, 3]), confidence=1.5),
            G,
            ("confidence",),
        )
    )
    add(
        Case(
            "shares",
            "pandas input",
            lambda: sh(breakdown([5, 3, 1]).to_pandas()),
            lambda f: f.height >= 2 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "shares",
            "multi-response without denominator",
            lambda: sh(breakdown([5, 3, 1]), multi_response=True),
            G,
            ("denominator",),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

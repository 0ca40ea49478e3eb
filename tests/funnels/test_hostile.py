"""Hostile input against funnel and funnel_limits.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hostile import BIG, Case, finite_or_null, params, run_case

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF = GroomstatsError, DataFormatError

    # --- funnel, funnel_limits ---------------------------------------------------------------
    def areas(x: list[Any], n: list[Any]) -> pl.DataFrame:
        k = len(x)
        return pl.DataFrame(
            {"force": ["A", "B", "C", "D", "E"][:k], "offences": x, "population": n},
            strict=False,
            schema_overrides={"offences": pl.Int64, "population": pl.Int64} if k == 0 else None,
        )

    good = ([60, 35, 110, 2], [100_000, 100_000, 300_000, 20_000])
    for api in ("funnel", "funnel_limits"):
        fn = getattr(groomstats, api)
        add(
            Case(
                api,
                "missing column",
                lambda f=fn: f(areas(*good).drop("population")),
                DF,
                ("population",),
            )
        )
        add(
            Case(api, "text counts", lambda f=fn: f(areas(["1", "2"], [10, 10])), DF, ("offences",))
        )
        add(
            Case(
                api, "bad statistic", lambda f=fn: f(areas(*good), statistic="ratio"), G, ("ratio",)
            )
        )
        add(
            Case(
                api,
                "confidence 1",
                lambda f=fn: f(areas(*good), confidence=1.0),
                G,
                ("confidence",),
            )
        )
        add(
            Case(
                api,
                "pandas input",
                lambda f=fn: f(areas(*good).to_pandas()),
                lambda out: out.height > 0 or pytest.fail(str(out)),
            )
        )
    fu = groomstats.funnel
    add(Case("funnel", "empty frame", lambda: fu(areas([], [])), G, ("offences",)))
    add(
        Case(
            "funnel",
            "nulls, negatives, zero denominators get a reason",
            lambda: fu(areas([None, -1, 5, 60, 35], [1000, 1000, 0, 100_000, 100_000])),
            lambda f: f["funnel_reason"].to_list()[:3].count(None) == 0 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "funnel",
            "NaN and inf counts",
            lambda: fu(areas([math.nan, math.inf, 60.0, 35.0], [1000, 1000, 100_000, 100_000])),
            lambda f: f["significance"].to_list()[:2] == [None, None] or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "funnel",
            "huge counts",
            lambda: fu(areas([BIG, BIG, 5], [BIG, BIG, 10])),
            finite_or_null("funnel_lower_95", "funnel_upper_95"),
        )
    )
    add(
        Case(
            "funnel",
            "proportion above 1",
            lambda: fu(areas([5, 20, 3], [10, 10, 10]), statistic="proportion"),
            lambda f: f["funnel_reason"][1] is not None or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "funnel_limits",
            "bad range",
            lambda: groomstats.funnel_limits(areas(*good), range=(10.0, 1.0)),
            G,
            ("range",),
        )
    )
    add(
        Case(
            "funnel_limits",
            "zero points",
            lambda: groomstats.funnel_limits(areas(*good), points=0),
            G,
            ("points",),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

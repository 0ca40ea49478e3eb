"""Hostile input against change and rate_ratio_test.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import polars as pl
import pytest
from hostile import BIG, Case, all_null, height, params, run_case

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF, PE = GroomstatsError, DataFormatError, PeriodError

    # --- totals, change ------------------------------------------------------------------------
    def quarters(values: list[Any], force: str = "Kent", start: int = 2017) -> pl.DataFrame:
        starts = [
            date(start + (3 + 3 * i) // 12, (3 + 3 * i) % 12 + 1, 1) for i in range(len(values))
        ]
        ends = [(pl.Series([s]).dt.offset_by("3mo").dt.offset_by("-1d"))[0] for s in starts]
        return pl.DataFrame(
            {
                "force": [force] * len(values),
                "period_start": starts,
                "period_end": ends,
                "offences": values,
            },
            schema_overrides={"offences": pl.Int64, "period_start": pl.Date, "period_end": pl.Date},
            strict=False,
        )

    eight = quarters([10, 12, 15, 9, 11, 13, 16, 10])
    ch = groomstats.change
    cat = eight.with_columns(pl.col("force").cast(pl.Categorical))
    add(
        Case(
            "change",
            "categorical force column",
            lambda: ch(cat, "2018/19")["current"].to_list(),
            lambda v: v == [50] or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "change",
            "missing column",
            lambda: ch(eight.drop("offences"), "2018/19"),
            DF,
            ("offences",),
        )
    )
    add(Case("change", "bad window", lambda: ch(eight, "2018/20"), PE, ("2018/20",)))
    add(
        Case(
            "change", "bad alternative", lambda: ch(eight, "2018/19", alternative="up"), G, ("up",)
        )
    )
    add(
        Case(
            "change",
            "across the series break",
            lambda: ch(quarters([1, 2, 3, 4, 5, 6, 7, 8], start=2016), "2017/18"),
            PE,
        )
    )
    add(
        Case(
            "change",
            "zero baseline",
            lambda: ch(quarters([0, 0, 0, 0, 1, 2, 3, 4]), "2018/19"),
            lambda f: f.height == 1 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "change",
            "negative counts",
            lambda: ch(quarters([5, 5, 5, 5, -1, 5, 5, 5]), "2018/19"),
            lambda f: f.height == 1 or pytest.fail(str(f)),
        )
    )
    # --- rate_ratio_test ---------------------------------------------------------------------
    rr = groomstats.rate_ratio_test
    add(Case("rate_ratio_test", "text counts", lambda: rr(["a"], [1]), G, ("numbers",)))
    add(Case("rate_ratio_test", "empty", lambda: rr([], []), height(0)))
    add(Case("rate_ratio_test", "length mismatch", lambda: rr([1, 2], [1]), G))
    add(
        Case(
            "rate_ratio_test",
            "NaN (a missing count) -> null",
            lambda: rr([math.nan, math.nan], [3, 3]),
            all_null("pvalue"),
        )
    )
    add(
        Case(
            "rate_ratio_test",
            "negative count: refused naming it",
            lambda: rr([3, -1], [3, 3]),
            DF,
            ("x1, row 1: -1.0", "not a count"),
        )
    )
    add(
        Case(
            "rate_ratio_test",
            "fractional count: refused naming it",
            lambda: rr([3], [2.5]),
            DF,
            ("x2, row 0: 2.5", "not a count"),
        )
    )
    add(Case("rate_ratio_test", "huge counts", lambda: rr([BIG], [BIG]), height(1)))
    add(Case("rate_ratio_test", "zero exposure", lambda: rr([1], [1], t1=0.0), DF, ("t1, row 0",)))
    add(
        Case(
            "rate_ratio_test",
            "bad alternative",
            lambda: rr([1], [1], alternative="bigger"),  # type: ignore[arg-type]
            G,
            ("bigger",),
        )
    )
    add(
        Case(
            "rate_ratio_test",
            "confidence 0",
            lambda: rr([1], [1], confidence=0.0),
            G,
            ("confidence",),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

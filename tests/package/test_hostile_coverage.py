"""Hostile input across the package.

Every public name has cases in some
``tests/<module>/test_hostile.py`` (these checks fail when a new public name has
none), every expected error is a GroomstatsError, the harness fails on a Rust panic,
and every frame-taking function answers unusable frames with a GroomstatsError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hostile import Case, all_cases, run_case

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
)

ALL_CASES = all_cases()


#: Builtin errors a case may expect instead of a GroomstatsError: a missing file raises
#: FileNotFoundError naming it (as open(), pandas and polars do).
BUILTIN_OK: tuple[type[BaseException], ...] = (FileNotFoundError,)


def test_expected_errors_are_groomstats_errors() -> None:
    for case in ALL_CASES:
        if isinstance(case.expect, type):
            assert issubclass(case.expect, (GroomstatsError, *BUILTIN_OK)), case.id


def test_matrix_covers_every_public_function_of_the_submodules() -> None:
    covered = {c.api for c in ALL_CASES}
    missing = [
        f"{mod}.{name}"
        for mod in ("datasets", "plot")
        for name in getattr(groomstats, mod).__all__
        if callable(getattr(getattr(groomstats, mod), name)) and f"{mod}.{name}" not in covered
    ]
    assert not missing, f"submodule functions with no hostile cases: {missing}"


def test_matrix_covers_every_public_name() -> None:
    covered = {c.api.split(".")[0] for c in ALL_CASES}
    missing = sorted(set(groomstats.__all__) - covered)
    assert not missing, (
        f"public names with no hostile cases: {missing} — add cases to "
        "tests/<module>/test_hostile.py"
    )


def test_harness_fails_on_a_panic() -> None:
    """The harness must treat a pyo3 PanicException (a BaseException) as a failure."""
    panic_type = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})

    def boom() -> None:
        raise panic_type("index out of bounds")

    with pytest.raises(pytest.fail.Exception, match="panic"):
        run_case(Case("x", "panics", boom, GroomstatsError))
    with pytest.raises(pytest.fail.Exception, match="expected DataFormatError"):
        run_case(Case("x", "wrong type", lambda: 1 / 0, DataFormatError))


FRAME_APIS: dict[str, Callable[[Any], object]] = {
    "grooming": groomstats.grooming,
    "count_records": lambda d: groomstats.count_records(d, by="force"),
    "rates": lambda d: groomstats.rates(d, denominator="population"),
    "rank_areas": groomstats.rank_areas,
    "shares": groomstats.shares,
    "funnel": groomstats.funnel,
    "funnel_limits": groomstats.funnel_limits,
    "trend": groomstats.trend,
    "joinpoint": groomstats.joinpoint,
    "interrupted": lambda d: groomstats.interrupted(d, "2020/21"),
    "totals": groomstats.totals,
    "change": lambda d: groomstats.change(d, "2018/19"),
    "profile": lambda d: groomstats.profile(d, force="Kent"),
    "plot.trend": groomstats.plot.trend,
    "plot.funnel": groomstats.plot.funnel,
    "plot.shares": groomstats.plot.shares,
    "plot.small_multiples": groomstats.plot.small_multiples,
    "plot.ranked": groomstats.plot.ranked,
    "plot.panels": groomstats.plot.panels,
}


GARBAGE: dict[str, Callable[[], object]] = {
    "an int": lambda: 42,
    "a dict": lambda: {"offences": [1, 2]},
    "a list of rows": lambda: [("Kent", 1)],
    "a frame with no columns": pl.DataFrame,
    "a pandas frame with no columns": pd.DataFrame,
    "a frame of unrelated columns": lambda: pl.DataFrame({"x": [1, 2], "y": ["a", "b"]}),
}


@pytest.mark.parametrize("garbage", list(GARBAGE))
@pytest.mark.parametrize("api", list(FRAME_APIS))
def test_unusable_frames_get_groomstats_errors(api: str, garbage: str) -> None:
    data = GARBAGE[garbage]()
    run_case(Case(api, garbage, lambda: FRAME_APIS[api](data), GroomstatsError))

"""Old argument spellings of ``trend``, ``joinpoint`` and ``interrupted`` raise a
GroomstatsError naming the new one (the module's own copy of tests/package/test_vocabulary.py's
check)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import GroomstatsError

ANNUAL = pl.DataFrame(
    {
        "force": ["A"] * 5,
        "financial_year": ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23"],
        "offences": [100, 120, 150, 170, 210],
        "population": [1e5, 1.01e5, 1.02e5, 1.03e5, 1.04e5],
    }
)

CALLS: list[tuple[str, Callable[[], Any], str]] = [
    ("trend df", lambda: groomstats.trend(df=ANNUAL), "the argument df= is now data="),
    ("joinpoint df", lambda: groomstats.joinpoint(df=ANNUAL), "the argument df= is now data="),
    (
        "interrupted df",
        lambda: groomstats.interrupted(df=ANNUAL, at="2020/21"),
        "the argument df= is now data=",
    ),
    (
        "trend exposure",
        lambda: groomstats.trend(ANNUAL, exposure="population"),
        "the argument exposure= is now denominator=",
    ),
    (
        "interrupted exposure",
        lambda: groomstats.interrupted(ANNUAL, at="2020/21", exposure="population"),
        "the argument exposure= is now denominator=",
    ),
    ("trend by", lambda: groomstats.trend(ANNUAL, "force"), "keyword-only: pass by='force'"),
    (
        "joinpoint by",
        lambda: groomstats.joinpoint(ANNUAL, "force"),
        "keyword-only: pass by='force'",
    ),
    (
        "interrupted by",
        lambda: groomstats.interrupted(ANNUAL, "2020/21", "force"),
        "keyword-only: pass by='force'",
    ),
]


@pytest.mark.parametrize(("name", "call", "message"), CALLS, ids=[c[0] for c in CALLS])
def test_old_spelling_names_the_new_one(name: str, call: Callable[[], Any], message: str) -> None:
    with pytest.raises(GroomstatsError, match=message):
        call()

"""Hostile input against package-level names.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import pytest
from hostile import Case, params, run_case

import groomstats


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append

    add(
        Case(
            "__version__",
            "is a version string",
            lambda: groomstats.__version__,
            lambda v: v.count(".") >= 2 or pytest.fail(v),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

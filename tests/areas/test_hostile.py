"""Hostile input against force matching and the force reference.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import polars as pl
import pytest
from hostile import Case, height, params, run_case

import groomstats
from groomstats import (
    DataFormatError,
    UnknownAreaError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    DF, UA = DataFormatError, UnknownAreaError

    # --- forces --------------------------------------------------------------------------------
    add(
        Case(
            "match_force",
            "unknown with suggestion",
            lambda: groomstats.match_force("Thames Vally"),
            UA,
            ("Thames Vally", "Thames Valley"),
        )
    )
    add(Case("match_force", "empty string", lambda: groomstats.match_force(""), UA))
    add(Case("match_force", "None", lambda: groomstats.match_force(None), UA))  # type: ignore[arg-type]
    # punctuation, control characters and symbols are ignored, as documented
    add(
        Case(
            "match_force",
            "NUL and emoji",
            lambda: groomstats.match_force("Kent\x00🙂"),
            lambda s: s == "Kent" or pytest.fail(s),
        )
    )
    add(Case("match_force", "huge string", lambda: groomstats.match_force("a" * 100_000), UA))
    add(
        Case(
            "match_force",
            "shouting with &",
            lambda: groomstats.match_force("DEVON & CORNWALL POLICE"),
            lambda s: s == "Devon and Cornwall" or pytest.fail(s),
        )
    )
    add(
        Case(
            "match_forces",
            "unknown in a list",
            lambda: groomstats.match_forces(["Kent", "Atlantis"]),
            UA,
            ("Atlantis",),
        )
    )
    add(
        Case(
            "match_forces",
            "None in a list",
            lambda: groomstats.match_forces(["Kent", None]),
            DF,
            ("row 2",),
        )
    )  # type: ignore[list-item]
    add(Case("match_forces", "empty list", lambda: groomstats.match_forces([]), height(0)))
    add(
        Case(
            "match_forces",
            "polars Series with Unicode",
            lambda: groomstats.match_forces(pl.Series(["Dyfed–Powys", "Kent"]))["force"].to_list(),
            lambda v: v == ["Dyfed-Powys", "Kent"] or pytest.fail(str(v)),
        )
    )
    add(Case("match_forces", "integers", lambda: groomstats.match_forces([1, 2]), UA, ("1",)))  # type: ignore[list-item]
    add(
        Case(
            "forces",
            "43 territorial forces",
            lambda: groomstats.forces(),
            lambda f: f.filter(pl.col("territorial")).height == 43 or pytest.fail(str(f)),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

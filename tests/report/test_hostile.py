"""Hostile input against profile and Profile.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import polars as pl
import pytest
from hostile import Case, params, run_case

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
    UnknownAreaError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF, UA = GroomstatsError, DataFormatError, UnknownAreaError

    # --- profile, Profile --------------------------------------------------------------------
    pf = groomstats.profile
    add(Case("profile", "unknown force", lambda: pf(force="Atlantis"), UA, ("Atlantis",)))
    add(Case("profile", "empty force", lambda: pf(force=""), UA))
    add(
        Case(
            "profile",
            "frame without 88A",
            lambda: pf(
                groomstats.datasets.prc().filter(pl.col("offence_code") != "88A"), force="Kent"
            ),
            G,
        )
    )
    add(Case("profile", "not a frame", lambda: pf("prc.csv", force="Kent"), DF))
    add(
        Case(
            "Profile",
            "a Profile from profile()",
            lambda: pf(force="KENT POLICE"),
            lambda p: (
                (isinstance(p, groomstats.Profile) and p.force == "Kent") or pytest.fail(str(p))
            ),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

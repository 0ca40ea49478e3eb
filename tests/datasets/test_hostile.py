"""Hostile input against the embedded data sets.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import pytest
from hostile import Case, params, run_case

import groomstats
from groomstats import (
    GroomstatsError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G = GroomstatsError

    # --- datasets ----------------------------------------------------------------------------
    ds = groomstats.datasets
    add(Case("datasets.provenance", "unknown name", lambda: ds.provenance("nope"), G, ("nope",)))
    add(Case("datasets.path", "unknown name", lambda: ds.path("nope"), G, ("nope",)))
    add(Case("datasets.path", "not a string", lambda: ds.path(3), G))  # type: ignore[arg-type]
    add(
        Case(
            "datasets",
            "provenance of prc",
            lambda: ds.provenance("prc"),
            lambda s: "Open Government Licence" in s or pytest.fail(s),
        )
    )
    for name in (
        "prc",
        "population",
        "forces",
        "nspcc_national",
        "nspcc_wales",
        "platform_shares",
        "victim_facts",
        "news_figures",
    ):
        add(
            Case(
                f"datasets.{name}",
                "non-empty",
                lambda n=name: getattr(ds, n)(),
                lambda f: f.height > 0 or pytest.fail(str(f)),
            )
        )
    add(
        Case(
            "datasets.prc_editions",
            "known editions, newest first",
            lambda: ds.prc_editions(),
            lambda f: f["edition"][0] == "230426" or pytest.fail(str(f)),
        )
    )
    for label, kwargs, match in (
        ("unknown edition", {"edition": "999999"}, "not known to groomstats"),
        ("edition without address", {"edition": "191023"}, "pass url="),
        ("edition not text", {"edition": 300125}, "'latest' or a release date"),
        ("empty edition", {"edition": " "}, "'latest' or a release date"),
        ("plain http elsewhere", {"url": "http://example.org/a.ods"}, "only https://"),
        ("ftp address", {"url": "ftp://example.org/a.ods"}, "only https://"),
        ("address without a file", {"url": "https://example.org/"}, "does not name a file"),
        ("url not text", {"url": 3}, "must be a string"),
    ):
        add(
            Case(
                "datasets.fetch_prc",
                label,
                lambda kw=kwargs: ds.fetch_prc(**kw),  # type: ignore[arg-type]
                G,
                (match,),
            )
        )
    for label, kwargs, match in (
        ("age band not a band", {"age_band": "children"}, "not 'all ages'"),
        ("age band reversed", {"age_band": "17-0"}, "ends before"),
        ("year as text", {"year": "2017"}, "mid-year such as 2017"),
        ("year a bool", {"year": False}, "mid-year such as 2017"),
    ):
        add(
            Case(
                "datasets.population",
                label,
                lambda kw=kwargs: ds.population(**kw),  # type: ignore[arg-type]
                G,
                (match,),
            )
        )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

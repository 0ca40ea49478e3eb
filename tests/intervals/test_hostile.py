"""Hostile input against poisson_ci, rates and rank_areas.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hostile import (
    BIG,
    I64_MAX,
    Case,
    all_null,
    counts_frame,
    finite_or_null,
    height,
    params,
    run_case,
)

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

    # --- poisson_ci --------------------------------------------------------------------------
    pci = groomstats.poisson_ci
    add(Case("poisson_ci", "empty", lambda: pci([]), height(0)))
    add(
        Case(
            "poisson_ci",
            "NaN (a missing count) -> null limits",
            lambda: pci([math.nan, math.nan]),
            all_null("lower_95"),
        )
    )
    for bad, shown in ((math.inf, "inf"), (-1.0, "-1.0")):
        add(
            Case(
                "poisson_ci",
                f"{shown}: not a count, refused naming it",
                lambda b=bad: pci([3.0, b]),
                DataFormatError,
                (f"counts, row 1: {shown}", "not a count"),
            )
        )
    add(
        Case(
            "poisson_ci",
            "huge count finite",
            lambda: pci([float(BIG)]),
            finite_or_null("lower_95", "upper_95"),
        )
    )
    add(Case("poisson_ci", "confidence 1", lambda: pci([3], confidence=1.0), G, ("confidence",)))
    add(
        Case(
            "poisson_ci",
            "confidence NaN",
            lambda: pci([3], confidence=math.nan),
            G,
            ("confidence",),
        )
    )
    add(Case("poisson_ci", "confidence 95 (percent)", lambda: pci([3], confidence=95), G, ("95",)))
    add(Case("poisson_ci", "strings", lambda: pci(["a", "b"]), G))  # type: ignore[list-item]
    add(Case("poisson_ci", "2-D array", lambda: pci(np.ones((2, 2))), G))
    # --- rates -------------------------------------------------------------------------------
    rt = groomstats.rates
    add(
        Case(
            "rates", "empty frame", lambda: rt(counts_frame([]), denominator="children"), height(0)
        )
    )
    add(
        Case(
            "rates",
            "missing count column",
            lambda: rt(counts_frame([1]).rename({"offences": "n"}), denominator="children"),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "rates",
            "text counts",
            lambda: rt(counts_frame(["1", "2"]), denominator="children"),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "rates",
            "nulls, negatives kept with reason",
            lambda: rt(counts_frame([None, -5, 3]), denominator="children"),
            lambda f: f["reason"].to_list()[:2] != [None, None] or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "rates",
            "NaN and inf counts",
            lambda: rt(counts_frame([math.nan, math.inf, 2.0]), denominator="children"),
            finite_or_null("value", "lower_95", "upper_95"),
        )
    )
    add(
        Case(
            "rates",
            "zero and negative denominators",
            lambda: rt(counts_frame([1, 1], children=[0, -10]), denominator="children"),
            all_null("value"),
        )
    )
    add(
        Case(
            "rates",
            "huge counts",
            lambda: rt(counts_frame([BIG, I64_MAX]), denominator="children"),
            finite_or_null("value", "lower_95", "upper_95"),
        )
    )
    add(
        Case(
            "rates",
            "unknown force joined",
            lambda: rt(counts_frame([1]).with_columns(force=pl.lit("Atlantis"))),
            UA,
            ("Atlantis",),
        )
    )
    add(
        Case(
            "rates",
            "pandas input",
            lambda: rt(counts_frame([1, 2]).to_pandas(), denominator="children"),
            height(2),
        )
    )
    add(
        Case(
            "rates",
            "per 0",
            lambda: rt(counts_frame([1]), denominator="children", per=0),
            G,
            ("per",),
        )
    )
    add(
        Case(
            "rates",
            "confidence 2",
            lambda: rt(counts_frame([1]), denominator="children", confidence=2),
            G,
            ("confidence",),
        )
    )
    add(
        Case(
            "rates",
            "population and denominator",
            lambda: rt(counts_frame([1]), groomstats.datasets.population(), denominator="children"),
            G,
        )
    )
    add(Case("rates", "not a frame", lambda: rt({"offences": [1]}, denominator="children"), DF))
    # --- rank_areas --------------------------------------------------------------------------
    add(
        Case(
            "rates",
            "by= sum beyond the 64-bit range: a typed error, not a negative count",
            lambda: rt(
                pl.DataFrame({"force_code": ["E23000002"] * 2, "offences": [I64_MAX, 1]}),
                by="force_code",
            ),
            groomstats.CountOverflowError,
            ("'offences'", "64-bit"),
        )
    )
    add(
        Case(
            "rates",
            "Police Scotland without a population: asks for one",
            lambda: rt(pl.DataFrame({"force": ["Police Scotland"], "offences": [40]})),
            UA,
            ("Police Scotland", "pass its population"),
        )
    )
    ra = groomstats.rank_areas
    add(
        Case(
            "rank_areas",
            "empty",
            lambda: ra(pl.DataFrame({"value": []}, schema={"value": pl.Float64})),
            height(0),
        )
    )
    add(
        Case(
            "rank_areas",
            "missing column",
            lambda: ra(pl.DataFrame({"valu": [1.0]})),
            DF,
            ("value",),
        )
    )
    add(
        Case(
            "rank_areas",
            "text values",
            lambda: ra(pl.DataFrame({"value": ["a", "b"]})),
            DF,
            ("value",),
        )
    )
    add(
        Case(
            "rank_areas",
            "NaN, inf, null, ties",
            lambda: ra(pl.DataFrame({"value": [math.nan, math.inf, None, 2.0, 2.0]})),
            lambda f: (
                f.filter(pl.col("value") == 2.0)["rank"].n_unique() == 1 or pytest.fail(str(f))
            ),
        )
    )
    add(
        Case(
            "rank_areas",
            "unknown by column",
            lambda: ra(pl.DataFrame({"value": [1.0]}), by="region"),
            DF,
            ("region",),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

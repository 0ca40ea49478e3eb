"""Hostile input against trend, joinpoint and interrupted.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import math

import pandas as pd
import polars as pl
import pytest
from hostile import BIG, Case, finite_or_null, height, params, run_case, series

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

    # --- joinpoint, interrupted ----------------------------------------------------------------
    jp, it = groomstats.joinpoint, groomstats.interrupted
    for api, fn in (("joinpoint", jp), ("interrupted", lambda d, **k: it(d, "2020/21", **k))):
        add(
            Case(
                api, "missing column", lambda f=fn: f(series([1, 2, 3]), time="yeer"), DF, ("yeer",)
            )
        )
        add(
            Case(
                api,
                "text counts",
                lambda f=fn: f(series(["1", "2", "3"]), time="year"),
                DF,
                ("offences",),
            )
        )
        add(
            Case(
                api,
                "duplicated periods",
                lambda f=fn: f(series([1, 2, 3, 4], [2018, 2018, 2019, 2020]), time="year"),
                DF,
                ("2018",),
            )
        )
        add(
            Case(
                api,
                "bad financial years",
                lambda f=fn: f(
                    pl.DataFrame({"financial_year": ["2017/19", "2018/19"], "offences": [1, 2]})
                ),
                PE,
                ("2017/19",),
            )
        )
    add(
        Case(
            "joinpoint",
            "bad selection",
            lambda: jp(series([1, 2, 3]), time="year", selection="aic"),
            G,
            ("aic",),
        )
    )  # type: ignore[arg-type]
    add(
        Case(
            "joinpoint",
            "negative max_joins",
            lambda: jp(series([1, 2, 3, 4, 5]), time="year", max_joins=-1),
            G,
            ("max_joins",),
        )
    )
    add(
        Case(
            "interrupted",
            "unparseable date",
            lambda: it(series([1, 2, 3]), "soon", time="year"),
            PE,
            ("soon",),
        )
    )
    # --- trend -------------------------------------------------------------------------------
    tr = groomstats.trend
    add(
        Case(
            "trend",
            "empty frame",
            lambda: tr(series([]), time="year"),
            lambda f: f.height <= 1 or pytest.fail(str(f)),
        )
    )
    add(Case("trend", "missing column", lambda: tr(series([1, 2, 3]), time="yeer"), DF, ("yeer",)))
    add(
        Case(
            "trend",
            "duplicated periods",
            lambda: tr(series([1, 2, 3], [2018, 2018, 2019]), time="year"),
            DF,
            ("2018",),
        )
    )
    add(
        Case(
            "trend",
            "unsorted years = sorted",
            lambda: (
                tr(series([9, 4, 6], [2020, 2018, 2019]), time="year")["apc"][0],
                tr(series([4, 6, 9], [2018, 2019, 2020]), time="year")["apc"][0],
            ),
            lambda ab: math.isclose(ab[0], ab[1], rel_tol=1e-12) or pytest.fail(str(ab)),
        )
    )
    add(
        Case(
            "trend",
            "all zero counts",
            lambda: tr(series([0, 0, 0, 0]), time="year"),
            lambda f: f["reason"][0] is not None or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "trend",
            "negative counts",
            lambda: tr(series([3, -1, 4]), time="year"),
            lambda f: f["reason"][0] is not None or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "trend",
            "NaN counts",
            lambda: tr(series([3.0, math.nan, 4.0, 5.0]), time="year"),
            lambda f: f["n_excluded"][0] >= 1 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "trend",
            "huge counts",
            lambda: tr(series([BIG, BIG, BIG]), time="year"),
            finite_or_null("apc"),
        )
    )
    add(
        Case(
            "trend",
            "text counts",
            lambda: tr(series(["1", "2", "3"]), time="year"),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "trend",
            "bad model",
            lambda: tr(series([1, 2, 3]), time="year", model="gamma"),  # type: ignore[arg-type]
            G,
            ("gamma",),
        )
    )
    add(
        Case(
            "trend",
            "bad financial years",
            lambda: tr(
                pl.DataFrame({"financial_year": ["2017/19", "2018/19"], "offences": [1, 2]})
            ),
            PE,
            ("2017/19",),
        )
    )
    add(
        Case(
            "trend",
            "across the series break",
            lambda: tr(
                pl.DataFrame(
                    {"financial_year": ["2015/16", "2016/17", "2017/18"], "offences": [1, 2, 3]}
                )
            ),
            PE,
        )
    )
    add(
        Case(
            "trend",
            "pandas, Unicode groups",
            lambda: tr(
                pd.DataFrame(
                    {
                        "force": ["Ynys Môn"] * 3 + ["Kent"] * 3,
                        "year": [2018, 2019, 2020] * 2,
                        "offences": [3, 4, 5, 6, 7, 8],
                    }
                ),
                by="force",
                time="year",
            ),
            height(2),
        )
    )
    # a fit that did not converge gives no figures (issue 12, item 7): quasi-Poisson on
    # [0, 0, 0, 0, 7] printed an APC of 5.7e13% with p = 0 beside converged=False
    zeros = series([0, 0, 0, 0, 7], years=list(range(2018, 2023)))
    for model in ("poisson", "quasipoisson", "negbin"):
        add(
            Case(
                "trend",
                f"did not converge ({model}): null estimates with the reason",
                lambda m=model: tr(zeros, time="year", model=m),
                lambda f: (
                    (
                        f["converged"][0] is False
                        and all(f[c][0] is None for c in ("apc", "lower_95", "upper_95", "pvalue"))
                        and "converge" in f["reason"][0]
                    )
                    or pytest.fail(str(f.row(0, named=True)))
                ),
            )
        )
    late = series([0, 0, 0, 0, 0, 9], years=list(range(2018, 2024)))
    add(
        Case(
            "interrupted",
            "did not converge: null estimates with the reason",
            lambda: it(late, "2021-01-01", time="year", model="quasipoisson"),
            lambda f: (
                (
                    f["converged"][0] is False
                    and all(f[c][0] is None for c in ("level_change", "slope_change", "apc_after"))
                    and "converge" in f["reason"][0]
                )
                or pytest.fail(str(f.row(0, named=True)))
            ),
        )
    )
    # incomplete periods (issue 12, item 2): never fitted silently
    part = series([10, 12, 9, 15, 17], years=list(range(2018, 2023))).with_columns(
        complete=pl.Series([True, True, False, True, True])
    )
    add(
        Case(
            "trend",
            "complete=False period: left out and listed",
            lambda: tr(part, time="year"),
            lambda f: (
                (
                    (f["n"][0], f["n_excluded"][0]) == (4, 1)
                    and f["left_out"][0] == "2020: incomplete (complete=False)"
                )
                or pytest.fail(str(f.row(0, named=True)))
            ),
        )
    )
    add(
        Case(
            "trend",
            "complete=False period, incomplete='raise'",
            lambda: tr(part, time="year", incomplete="raise"),
            DataFormatError,
            ("2020", "complete=False", "incomplete="),
        )
    )
    add(
        Case(
            "joinpoint",
            "unknown incomplete= option",
            lambda: jp(part, time="year", incomplete="skip"),
            GroomstatsError,
            ("incomplete",),
        )
    )
    # infinity is not a count (issue 12, item 7): refused with its row and column
    for api, fn in (("trend", tr), ("joinpoint", jp)):
        add(
            Case(
                api,
                "infinite count",
                lambda f=fn: f(
                    series([1.0, math.inf, 3.0, 4.0, 5.0], years=list(range(2018, 2023))),
                    time="year",
                ),
                DataFormatError,
                ("'offences'", "row 1", "inf"),
            )
        )
    # a non-88A series crossing 1 April 2017 (issue 12, item 4): fitted, not refused
    scot = series([20, 24, 30, 33], years=[2015, 2016, 2017, 2018]).with_columns(
        force=pl.lit("Police Scotland")
    )
    add(
        Case(
            "trend",
            "Police Scotland series across 1 April 2017",
            lambda: tr(scot, time="year"),
            lambda f: f["apc"][0] is not None or pytest.fail(str(f)),
        )
    )
    # --- comparability ----------------------------------------------------------------------
    cmp_ = groomstats.comparability
    ten = list(range(2001, 2011))
    a10 = series([10, 12, 15, 14, 18, 20, 19, 23, 25, 24], ten)
    add(
        Case(
            "comparability",
            "missing column in b",
            lambda: cmp_(a10, a10.rename({"offences": "n"}), time="year"),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "comparability",
            "different times",
            lambda: cmp_(
                a10,
                series([10, 12, 15, 14, 18, 20, 19, 23, 25, 24], list(range(2002, 2012))),
                time="year",
                joins=0,
            ),
            G,
            ("2001", "2011"),
        )
    )
    add(
        Case(
            "comparability",
            "zero count",
            lambda: cmp_(
                a10, series([10, 12, 0, 14, 18, 20, 19, 23, 25, 24], ten), time="year", joins=0
            ),
            G,
            ("series b", "value 0"),
        )
    )
    add(
        Case(
            "comparability",
            "text joins",
            lambda: cmp_(a10, a10, time="year", joins="1"),  # type: ignore[arg-type]
            G,
            ("joins",),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

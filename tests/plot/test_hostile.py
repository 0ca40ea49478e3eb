"""Hostile input against the charts.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import polars as pl
import pytest
from hostile import TMP, Case, close_figure, params, run_case

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF = GroomstatsError, DataFormatError

    # --- plot --------------------------------------------------------------------------------
    pt = groomstats.plot
    empty = pl.DataFrame(
        {"period": [], "offences": []}, schema={"period": pl.String, "offences": pl.Int64}
    )
    add(Case("plot.trend", "missing column", lambda: pt.trend(pl.DataFrame({"x": [1]})), DF))
    add(Case("plot.trend", "empty frame: an empty figure", lambda: pt.trend(empty), close_figure))
    add(Case("plot.funnel", "missing column", lambda: pt.funnel(pl.DataFrame({"x": [1]})), DF))
    add(Case("plot.shares", "missing column", lambda: pt.shares(pl.DataFrame({"x": [1]})), DF))
    add(Case("plot.ranked", "missing column", lambda: pt.ranked(pl.DataFrame({"x": [1]})), DF))
    add(
        Case(
            "plot.ranked",
            "default interval columns absent",
            lambda: pt.ranked(pl.DataFrame({"force": ["A"], "value": [1.0]}), upper=None),
            DF,
        )
    )
    add(Case("plot.panels", "missing column", lambda: pt.panels(pl.DataFrame({"x": [1]})), DF))
    add(
        Case(
            "plot.panels",
            "empty frame",
            lambda: pt.panels(empty.with_columns(force=pl.lit("A"))),
            G,
            ("no rows",),
        )
    )
    add(Case("plot.to_png", "not a figure", lambda: pt.to_png("figure"), G, ("Figure",)))  # type: ignore[arg-type]
    add(Case("plot.to_svg", "not a figure", lambda: pt.to_svg("figure"), G, ("Figure",)))  # type: ignore[arg-type]
    add(
        Case(
            "plot.small_multiples",
            "missing column",
            lambda: pt.small_multiples(pl.DataFrame({"x": [1]})),
            DF,
        )
    )
    fig = lambda: pt.trend(pl.DataFrame({"period": ["2017/18", "2018/19"], "offences": [1, 2]}))  # noqa: E731
    add(Case("plot.save", "not a figure", lambda: pt.save("figure", TMP / "x.png"), G, ("Figure",)))  # type: ignore[arg-type]
    add(
        Case(
            "plot.save",
            "missing directory",
            lambda: pt.save(fig(), TMP / "no" / "x.png"),
            G,
            ("no",),
        )
    )
    add(
        Case(
            "plot.save",
            "Unicode file name",
            lambda: pt.save(fig(), TMP / "tendance–ü.png").read_bytes()[:4],
            lambda b: b == b"\x89PNG" or pytest.fail(str(b)),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

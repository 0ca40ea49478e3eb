"""Fixtures of the shares() tests: small SYNTHETIC breakdown frames, built by the tests."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest

from groomstats import proportions


def _breakdown(
    rows: list[tuple[str, str, int | None, bool]], **extra: list[object]
) -> pl.DataFrame:
    """(force, platform, offences, suppressed) rows of one period (2023/24) as a breakdown
    frame (the columns of read_breakdown), with ``extra`` columns beside them."""
    return pl.DataFrame(
        {
            "force": [r[0] for r in rows],
            "period": "2023/24",
            "category": "platform",
            "value": [r[1] for r in rows],
            "offences": [r[2] for r in rows],
            "suppressed": [r[3] for r in rows],
            **extra,
        },
        schema_overrides={"offences": pl.Int64},
    )


@pytest.fixture
def breakdown() -> Callable[..., pl.DataFrame]:
    """``breakdown(rows, **extra)``: (force, platform, offences, suppressed) rows of one
    period as a breakdown frame, ``extra`` columns beside them."""
    return _breakdown


#: ``both_ways(call)``: what ``call()`` gives with shares()'s short cut for groups in runs and
#: with it switched off (the long way), each a frame or the (type, message) of its error.
BothWays = Callable[[Callable[[], pl.DataFrame]], tuple[object, object]]


def _both_ways(call: Callable[[], pl.DataFrame]) -> tuple[object, object]:
    def run() -> object:
        try:
            return call()
        except Exception as e:  # the same error both ways
            return (type(e), str(e))

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(proportions, "_CONTIGUOUS", False)
        long_way = run()
    return run(), long_way


@pytest.fixture
def both_ways() -> BothWays:
    """``both_ways(call)``: ``call()`` (a shares() call) with the short cut for groups in runs
    and the long way: ``(short, long_way)``, each a frame or the (type, message) of its error."""
    return _both_ways

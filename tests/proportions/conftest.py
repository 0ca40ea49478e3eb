"""Fixtures of the shares() tests: small SYNTHETIC breakdown frames, built by the tests."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest


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

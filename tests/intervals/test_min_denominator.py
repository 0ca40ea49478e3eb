"""``rates(min_denominator=...)``: a finite number >= 0, 0 turning the flag off (synthetic
areas; survivors of the Python mutation run, mutants/SURVIVORS.md)."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import GroomstatsError

FRAME = pl.DataFrame({"force": ["A", "B"], "offences": [5, 9], "n": [642, 20_000]})


@pytest.mark.parametrize("bad", [True, False, "5", None, float("nan"), float("inf"), -1, -0.5])
def test_min_denominator_must_be_a_finite_number_of_zero_or_more(bad: object) -> None:
    with pytest.raises(GroomstatsError, match="must be a finite number >= 0"):
        groomstats.rates(FRAME, denominator="n", min_denominator=bad)  # type: ignore[arg-type]


def test_min_denominator_sets_the_flag() -> None:
    flags = {
        m: groomstats.rates(FRAME, denominator="n", min_denominator=m)["flag"].to_list()
        for m in (0, 642, 643, 20_000, 20_001)
    }
    assert flags == {
        0: [False, False],
        642: [False, False],  # at the threshold: not below it
        643: [True, False],
        20_000: [True, False],
        20_001: [True, True],
    }


def test_reasons_name_the_small_denominator_as_written() -> None:
    """A count of 0 and a denominator of 1 are valid (only below the threshold); numbers are
    printed as they are, whole ones without decimals."""
    df = pl.DataFrame(
        {"force": ["A", "B", "C", "D"], "offences": [0, 1, 3, 2], "n": [500.0, 1.0, 642.5, 9000.0]}
    )
    tail = "rate unreliable, not ranked"
    r = groomstats.rates(df, denominator="n")
    assert r["reason"].to_list() == [
        f"denominator 500 is below min_denominator=10000: {tail}",
        f"denominator 1 is below min_denominator=10000: {tail}",
        f"denominator 642.5 is below min_denominator=10000: {tail}",
        f"denominator 9000 is below min_denominator=10000: {tail}",
    ]
    assert r["flag"].to_list() == [True] * 4
    assert r["value"].to_list() == pytest.approx([0.0, 1e5, 3 / 642.5 * 1e5, 2 / 9000 * 1e5])
    half = groomstats.rates(df, denominator="n", min_denominator=2500.5)
    assert half["reason"][0] == f"denominator 500 is below min_denominator=2500.5: {tail}"
    assert half["reason"][3] is None
    whole = groomstats.rates(df, denominator="n", min_denominator=10000.0)
    assert whole["reason"][0] == f"denominator 500 is below min_denominator=10000: {tail}"

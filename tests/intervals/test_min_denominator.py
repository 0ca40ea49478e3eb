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

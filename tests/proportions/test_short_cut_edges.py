"""Frames at the edges of shares()'s short cut for groups in runs: counts held as floats (with
a fraction), suppressed flags all missing or not true/false. The short cut must give what the
long way gives, or the same typed error. Frames are synthetic, generated here."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats import proportions
from groomstats.exceptions import DataFormatError


def _frame(offences: list[float], suppressed: list[object]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": ["Kent", "Kent", "Essex", "Essex"],
            "period": "2023/24",
            "category": "platform",
            "value": ["Snapchat", "Instagram"] * 2,
            "offences": offences,
            "suppressed": suppressed,
        }
    )


def _both_ways(df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    short = groomstats.shares(df, by=["force", "period"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(proportions, "_CONTIGUOUS", False)
        long_way = groomstats.shares(df, by=["force", "period"])
    return short, long_way


def test_fractional_counts_are_never_truncated() -> None:
    """Counts 2.5 and 7.5 (weighted counts, say): Snapchat is 2.5 of 10, as the long way and
    statsmodels give it, not 2 of 9."""
    short, long_way = _both_ways(_frame([2.5, 7.5, 3.0, 1.0], [False] * 4))
    assert_frame_equal(short, long_way)
    kent = short.filter(pl.col("force") == "Kent", pl.col("platform") == "Snapchat").row(
        0, named=True
    )
    assert (kent["offences"], kent["denominator"], kent["value"]) == (2.5, 10.0, 25.0)
    lo, hi = proportion_confint(2.5, 10, alpha=0.05, method="wilson")
    assert (kent["lower_95"], kent["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)


def test_suppressed_flags_all_missing_mean_nothing_suppressed() -> None:
    short, long_way = _both_ways(_frame([2, 8, 3, 1], [None] * 4))
    assert_frame_equal(short, long_way)
    assert short["suppressed_cells"].to_list() == [0] * 4
    plain = groomstats.shares(_frame([2, 8, 3, 1], [False] * 4), by=["force", "period"])
    assert_frame_equal(short, plain)


@pytest.mark.parametrize("flags", [[0, 1, 0, 0], ["no", "*", "no", "no"]])
def test_suppressed_flags_not_true_false_are_refused(flags: list[object]) -> None:
    df = _frame([2, None, 3, 1], flags)  # type: ignore[list-item]
    for contiguous in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(proportions, "_CONTIGUOUS", contiguous)
            with pytest.raises(DataFormatError, match="'suppressed' must be true/false"):
                groomstats.shares(df, by=["force", "period"])

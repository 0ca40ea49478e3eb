"""A force whose first-half total is negative (real tables keep negative adjustments): the
profile says why no change is given instead of raising (issue 16)."""

from __future__ import annotations

import polars as pl

import groomstats
from groomstats import datasets


def test_negative_first_half_gives_a_sentence_not_a_traceback() -> None:
    g = groomstats.grooming(datasets.prc())
    # synthetic edit of the real table: Kent's Q1 and Q2 88A counts set to -5 each
    edited = g.with_columns(
        pl.when((pl.col("force") == "Kent") & (pl.col("quarter") <= 2))
        .then(-5)
        .otherwise(pl.col("offences"))
        .alias("offences")
    )
    sentences = groomstats.profile(edited, force="Kent").sentences()
    halves = [s for s in sentences if "halves of 2017/18" in s]
    assert len(halves) == 1
    assert halves[0].startswith("No change between the halves of 2017/18 can be given for Kent")
    assert "negative" in halves[0]
    assert not any("%" in s and "second half" in s.lower() for s in sentences)

"""Stacked reads whose ``edition`` column is text (a user's own labels) are refused with the
repeated-figure message naming the editions, not an AttributeError (found by the MUTANTS
review, 30 November 2026). The frame is the real 2017/18 table shipped with the package."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats.exceptions import DataFormatError


@pytest.mark.parametrize("labels", [("first", "second"), (2019, 2020)])
def test_stacked_reads_with_text_or_number_editions_are_refused(labels: tuple[object, ...]) -> None:
    df = groomstats.read_prc(groomstats.datasets.path("prc")).drop("edition")
    a, b = (df.with_columns(pl.lit(x).alias("edition")) for x in labels)
    with pytest.raises(DataFormatError) as err:
        groomstats.grooming(pl.concat([a, b]))
    msg = str(err.value)
    assert "appears 2 times" in msg
    assert f"(editions: {labels[0]}, {labels[1]})" in msg

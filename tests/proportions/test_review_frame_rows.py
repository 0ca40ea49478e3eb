"""Review R4: "row N" in the no-label and negative-count messages is the frame's row
(counting from 0), not the row's place among the category's rows (SYNTHETIC frame from the
review: three age rows, then three gender rows)."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError


def _frame(last: str | None, count: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "category": ["age"] * 3 + ["gender"] * 3,
            "value": ["0-12", "13-15", "16-17", "Female", "Male", last],
            "offences": [1, 2, 3, 10, 5, count],
            "suppressed": [False] * 6,
        },
        schema_overrides={"value": pl.String},
    )


@pytest.mark.parametrize("by", [None, ["category"]])
def test_a_row_without_a_label_is_named_by_its_row_in_the_frame(by: list[str] | None) -> None:
    with pytest.raises(DataFormatError, match=r"\(first: row 5, value None, count 2\)"):
        groomstats.shares(_frame(None, 2), "gender", by=by)


def test_a_negative_count_is_named_by_its_row_in_the_frame() -> None:
    with pytest.raises(DataFormatError, match=r"negative 'offences' \(first: row 5, value 'Other'"):
        groomstats.shares(_frame("Other", -2), "gender")

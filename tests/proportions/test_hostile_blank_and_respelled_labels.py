"""Breakdown rows with no label, and one label written two ways (SYNTHETIC frames here).

``shares`` dropped a row whose label was null (Female 30 and an unlabelled 10: "Female 100%",
the 10 offences gone from the denominator with no note), made a category named ``''`` of a
blank label ("'' 25%"), and split ``'Female'`` / ``'female'`` / ``'Female '`` into two
categories. Each is now refused naming the row or the spellings, with both readings.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError


def _breakdown(values: list[str | None], counts: list[int], forces: int = 1) -> pl.DataFrame:
    n = len(values)
    return pl.DataFrame(
        {
            "force": [f"F{i}" for i in range(forces) for _ in range(n)],
            "period": "2023/24",
            "category": "gender",
            "value": values * forces,
            "offences": counts * forces,
            "suppressed": False,
        },
        schema_overrides={"value": pl.String},
    )


@pytest.mark.parametrize("by", [None, ["force", "period"]])
@pytest.mark.parametrize("blank", [None, "", "  "])
def test_a_row_without_a_label_is_refused_naming_it(
    by: list[str] | None, blank: str | None
) -> None:
    df = _breakdown(["Female", blank, "Male"], [30, 10, 12])
    with pytest.raises(DataFormatError) as e:
        groomstats.shares(df, "gender", by=by)
    msg = str(e.value)
    assert (
        f"1 gender row(s) have no label in column 'value' (first: row 1, value {blank!r}, "
        "count 10)" in msg
    )
    assert "label those rows 'Unknown'" in msg and "the label was lost" in msg


@pytest.mark.parametrize("by", [None, ["force", "period"]])
@pytest.mark.parametrize("other", ["female", "Female ", " FEMALE"])
def test_one_label_written_two_ways_is_refused_listing_both(
    by: list[str] | None, other: str
) -> None:
    df = _breakdown(["Female", other, "Male"], [30, 10, 12], forces=2)
    with pytest.raises(DataFormatError) as e:
        groomstats.shares(df, "gender", by=by)
    msg = str(e.value)
    spellings = " and ".join(repr(v) for v in sorted(["Female", other]))
    assert f"the gender labels {spellings} differ only in case or spaces" in msg
    assert "one category written two ways" in msg and "two categories" in msg


def test_labels_written_one_way_give_the_hand_worked_shares() -> None:
    # 30 and 12 of 42, an Unknown 5 left out of the denominator
    out = groomstats.shares(_breakdown(["Female", "Unknown", "Male"], [30, 5, 12]), "gender")
    assert out.select("gender", "offences", "denominator", "unknown").rows() == [
        ("Female", 30, 42, 5),
        ("Male", 12, 42, 5),
    ]
    assert out["value"].to_list() == pytest.approx([100 * 30 / 42, 100 * 12 / 42])

"""shares() and a label that reads like "not recorded" without being one of ``unknown``'s
(found by hostile testing: 'Unknown gender' was counted as a gender, in the denominator,
silently). Read either way the shares differ, so with the default ``unknown`` it is refused,
listing both readings; given ``unknown=``, the choice is the caller's. Frames are synthetic
(built here); expected values worked by hand."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import GroomstatsError
from groomstats.proportions import UNKNOWN_LABELS

#: SYNTHETIC: Female 12, Male 6 and 3 offences whose gender reads 'Unknown gender'.
FRAME = pl.DataFrame(
    {
        "force": ["Gwent"] * 3,
        "period": "2023/24",
        "category": "gender",
        "value": ["Female", "Male", "Unknown gender"],
        "offences": [12, 6, 3],
        "suppressed": [False] * 3,
    }
)


@pytest.mark.parametrize("by", [None, ["force", "period"]])
def test_a_label_that_reads_like_unknown_is_refused_with_both_readings(
    by: list[str] | None,
) -> None:
    with pytest.raises(GroomstatsError) as e:
        groomstats.shares(FRAME, "gender", by=by)
    text = str(e.value)
    assert "'Unknown gender' read like 'not recorded'" in text
    assert "unknown=[*groomstats.proportions.UNKNOWN_LABELS, 'Unknown gender']" in text
    assert "unknown=groomstats.proportions.UNKNOWN_LABELS to count them as categories" in text


@pytest.mark.parametrize("by", [None, ["force", "period"]])
def test_either_reading_when_asked(by: list[str] | None) -> None:
    left_out = groomstats.shares(
        FRAME, "gender", by=by, unknown=[*UNKNOWN_LABELS, "Unknown gender"]
    )
    # by hand: the denominator is 12 + 6 = 18, the 3 counted as unknown
    assert left_out.select("gender", "offences", "denominator", "unknown").rows() == [
        ("Female", 12, 18, 3),
        ("Male", 6, 18, 3),
    ]
    assert left_out["value"].to_list() == pytest.approx([100 * 12 / 18, 100 * 6 / 18])
    kept = groomstats.shares(FRAME, "gender", by=by, unknown=UNKNOWN_LABELS)
    # by hand: a gender of its own, the denominator 12 + 6 + 3 = 21
    assert kept.select("gender", "offences", "denominator").rows() == [
        ("Female", 12, 21),
        ("Male", 6, 21),
        ("Unknown gender", 3, 21),
    ]


def test_exact_unknown_labels_and_plain_categories_are_not_refused() -> None:
    plain = FRAME.with_columns(pl.Series("value", ["Female", "Male", "Not known"]))
    s = groomstats.shares(plain, "gender")
    assert s.select("gender", "denominator", "unknown").rows() == [
        ("Female", 18, 3),
        ("Male", 18, 3),
    ]
    # a word inside another word is not the word: 'Unknowns' is a category
    other = FRAME.with_columns(pl.Series("value", ["Female", "Male", "Unknowns FC"]))
    assert groomstats.shares(other, "gender")["denominator"].to_list() == [21, 21, 21]


def test_a_fixed_denominator_is_not_refused() -> None:
    """With denominator= the base does not come from the labels: nothing to choose."""
    s = groomstats.shares(FRAME, "gender", denominator=30)
    assert s.filter(pl.col("gender") == "Unknown gender")["denominator"].item() == 30

"""``shares`` on a group with no offences and on count columns of the wrong type (synthetic
breakdown; survivors of the Python mutation run, mutants/SURVIVORS.md). Wilson limits from
statsmodels."""

from __future__ import annotations

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats.exceptions import DataFormatError, GroomstatsError

FRAME = pl.DataFrame(
    {
        "force": ["A", "A", "B", "B"],
        "category": ["gender"] * 4,
        "value": ["Female", "Male"] * 2,
        "offences": [0, 0, 3, 1],
        "suppressed": [False] * 4,
    }
)
SHARE_COLUMNS = ("value", "value_min", "value_max", "lower_95", "upper_95", "lower_99_8")


def test_a_group_with_no_offences_has_no_share() -> None:
    """0 of 0 is no share: null (missing), never NaN or 0."""
    out = groomstats.shares(FRAME, "gender", by="force")
    a = out.filter(pl.col("force") == "A")
    assert a["denominator"].to_list() == [0, 0]
    for col in SHARE_COLUMNS:
        assert a[col].null_count() == 2 and a[col].is_nan().sum() == 0, col
    b = out.filter(pl.col("force") == "B").sort("gender")
    assert b["value"].to_list() == pytest.approx([75.0, 25.0])
    for x, row in zip((3, 1), b.iter_rows(named=True), strict=True):
        lo, hi = proportion_confint(x, 4, alpha=0.05, method="wilson")
        assert (row["lower_95"], row["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)
        lo, hi = proportion_confint(x, 4, alpha=0.002, method="wilson")
        assert row["lower_99_8"] == pytest.approx(100 * lo, rel=1e-12)


def test_counts_must_be_numbers() -> None:
    with pytest.raises(DataFormatError, match="column 'offences' must be numeric, got String"):
        groomstats.shares(FRAME.with_columns(pl.col("offences").cast(pl.String)), "gender")
    floats = groomstats.shares(
        FRAME.with_columns(pl.col("offences").cast(pl.Float64)), "gender", by="force"
    )
    ints = groomstats.shares(FRAME, "gender", by="force")
    assert floats["value"].to_list() == ints["value"].to_list()


def test_unknown_rows_and_a_blank_group_key() -> None:
    """'Not recorded' leaves the denominator and is counted in ``unknown`` of its own group; a
    group whose key is blank keeps its rows, with no denominator and the reason (never
    dropped)."""
    df = pl.DataFrame(
        {
            "force": ["A", "A", "A", None, None],
            "category": ["gender"] * 5,
            "value": ["Female", "Male", "Not recorded", "Female", "Male"],
            "offences": [6, 2, 3, 3, 1],
            "suppressed": [False] * 5,
        }
    )
    out = groomstats.shares(df, "gender", by="force")
    assert out.select("force", "gender", "offences", "denominator", "unknown").rows() == [
        (None, "Female", 3, None, 0),
        (None, "Male", 1, None, 0),
        ("A", "Female", 6, 8, 3),
        ("A", "Male", 2, 8, 3),
    ]
    assert out["value"].to_list() == [None, None, 75.0, 25.0]
    assert out["note"].to_list() == ["no denominator for this group"] * 2 + [None, None]


@pytest.mark.parametrize("bad", [True, [52], None, {"pct": 52}])
def test_a_published_percentage_must_be_a_number_or_text(bad: object) -> None:
    with pytest.raises(GroomstatsError, match="expected a published percentage, got"):
        groomstats.shares_from_percentages({"Snapchat": bad})  # type: ignore[dict-item]


def test_a_count_that_rounds_exactly_needs_no_caveat() -> None:
    """50% of 2 is exactly 1 (1 of 2 rounds to 50%): no 'no whole count' caveat; 33% of 10 has
    no whole count (3 is 30%, 4 is 40%): the two nearest, said so."""
    out = groomstats.shares_from_percentages({"A": "50% of 2"})
    assert (out["count_min"][0], out["count_max"][0]) == (1, 1)
    assert out["note"][0] == "count rebuilt from 50% of 2: 1"
    odd = groomstats.shares_from_percentages({"A": "33% of 10"})
    assert (odd["count_min"][0], odd["count_max"][0]) == (3, 4)
    assert "no whole count of 10 rounds to 33%" in odd["note"][0]


def test_rebuilt_counts_take_the_confidence_asked_for() -> None:
    out = groomstats.shares_from_percentages({"A": "52% of 956"}, confidence=0.9)
    assert [c for c in out.columns if c.startswith(("lower_", "upper_"))] == [
        "lower_90",
        "upper_90",
    ]
    lo, hi = proportion_confint(497, 956, alpha=0.1, method="wilson")
    assert (out["lower_90"][0], out["upper_90"][0]) == pytest.approx(
        (100 * lo, 100 * hi), rel=1e-12
    )

"""shares_from_percentages() at the edges of its rounding arithmetic, worked by hand
(survivors of the Python mutation run, mutants/SURVIVORS.md): a published "12.5%" allows
12.45% to 12.55% of the base; "0%" of 1,000 allows 0 to 5 offences; no whole count of 6
rounds to 84%; 100% is allowed, 100.5% and a base of 0 are not."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats.exceptions import GroomstatsError


def _one(percent: str, base: int) -> dict[str, object]:
    out = groomstats.shares_from_percentages({"Snapchat": percent}, base)
    return out.row(0, named=True)


def test_one_decimal_place_allows_a_twentieth_of_a_point_either_way() -> None:
    """12.45% of 10,000 is 1,245 and 12.55% is 1,255: every count from 1,245 to 1,255 rounds
    to 12.5% (to one decimal), 1,250 is the count rebuilt."""
    r = _one("12.5%", 10_000)
    assert (r["offences"], r["count_min"], r["count_max"]) == (1250, 1245, 1255)
    assert (r["period"], r["published_percent"], r["denominator"]) == ("published", 12.5, 10_000)
    assert r["multi_response"] is True
    assert r["note"] == (
        "count rebuilt from 12.5% of 10,000: 1,250 (any of 1,245 to 1,255 rounds to 12.5%)"
    )
    lo, hi = proportion_confint(1250, 10_000, alpha=0.05, method="wilson")
    assert (r["lower_95"], r["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)


def test_zero_percent_allows_counts_from_zero() -> None:
    """0% of 1,000: anything under 0.5%, i.e. 0 to 5 offences (never a negative count)."""
    r = _one("0%", 1_000)
    assert (r["offences"], r["count_min"], r["count_max"]) == (0, 0, 5)
    assert r["note"] == "count rebuilt from 0% of 1,000: 0 (any of 0 to 5 rounds to 0%)"


def test_no_whole_count_rounds_to_the_published_figure() -> None:
    """84% of 6 is 5.04; 83.5% to 84.5% of 6 is 5.01 to 5.07, holding no whole number: the
    two nearest counts, 5 and 6, are given and the note says the base or rounding differs."""
    r = _one("84%", 6)
    assert (r["offences"], r["count_min"], r["count_max"]) == (5, 5, 6)
    assert r["note"] == (
        "count rebuilt from 84% of 6: 5 (no whole count of 6 rounds to 84%: the publisher's "
        "base or rounding differs; 5 to 6 are the nearest)"
    )


def test_one_hundred_percent_and_the_limits_of_the_arguments() -> None:
    r = _one("100%", 1)
    assert (r["offences"], r["count_min"], r["count_max"], r["value"]) == (1, 1, 1, 100.0)
    with pytest.raises(GroomstatsError, match="above 100%"):
        _one("100.5%", 10)
    with pytest.raises(GroomstatsError, match="positive whole number"):
        _one("5%", 0)


def test_per_and_the_period_label_reach_the_table() -> None:
    """per=1 gives proportions; the period label is the one given; the rows keep shares()'s
    order (largest first) with each category's published figures beside it."""
    out = groomstats.shares_from_percentages(
        {"Kik": "10%", "Snapchat": "48%"}, 500, per=1, period="2024/25", multi_response=False
    )
    assert out.select("period", "platform", "offences", "published_percent").rows() == [
        ("2024/25", "Snapchat", 240, 48.0),
        ("2024/25", "Kik", 50, 10.0),
    ]
    assert out["value"].to_list() == pytest.approx([0.48, 0.1])
    assert out["multi_response"].to_list() == [False, False]
    lo, hi = proportion_confint(50, 500, alpha=0.002, method="wilson")
    assert out.row(1, named=True)["lower_99_8"] == pytest.approx(lo, rel=1e-12)
    assert out.row(1, named=True)["upper_99_8"] == pytest.approx(hi, rel=1e-12)
    assert out["note"].to_list() == [
        "count rebuilt from 48% of 500: 240 (any of 238 to 242 rounds to 48%)",
        "count rebuilt from 10% of 500: 50 (any of 48 to 52 rounds to 10%)",
    ]

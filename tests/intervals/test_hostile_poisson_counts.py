"""poisson_ci on values that are not counts (found beside the rate_ratio_test fix: a negative
count gave null limits without a reason).

Exact (Garwood) limits are chi-square quantiles, ``chi2.ppf(a/2, 2x)/2`` to
``chi2.ppf(1-a/2, 2x+2)/2``; ``scipy.stats.poisson`` (the distribution they invert) has no
mass at a negative value, and an infinite one has no quantile. groomstats raises its typed
DataFormatError naming the row and value, as ``rate_ratio_test`` does. A fractional count
keeps the same chi-square limits, as ``rates`` gives them (tests/intervals/test_rates.py), and a
missing count stays missing (null limits).
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

import groomstats
from groomstats import DataFormatError


@pytest.mark.parametrize(
    ("counts", "where"),
    [([3, -1], "row 1: -1.0"), ([-0.5], "row 0: -0.5"), ([0, 1, math.inf], "row 2: inf")],
)
def test_a_value_that_is_not_a_count_is_refused_naming_it(counts: list[float], where: str) -> None:
    with pytest.raises(DataFormatError) as err:
        groomstats.poisson_ci(counts)
    msg = str(err.value)
    assert msg.startswith(f"poisson_ci: counts, {where} is not a count (finite, 0 or more)")
    assert "exact (Garwood) Poisson limits has no meaning for it" in msg


def test_the_reference_distribution_has_no_mass_at_a_negative_count() -> None:
    assert stats.poisson.pmf(-1, 3.0) == 0.0


@pytest.mark.parametrize("x", [2.5, 4.0, 0.5])
def test_whole_and_fractional_counts_get_scipys_chi_square_limits(x: float) -> None:
    out = groomstats.poisson_ci([x], confidence=(0.95, 0.998))
    for level, sfx in ((0.95, "95"), (0.998, "99_8")):
        a = 1 - level
        assert out[f"lower_{sfx}"][0] == pytest.approx(stats.chi2.ppf(a / 2, 2 * x) / 2, rel=1e-9)
        assert out[f"upper_{sfx}"][0] == pytest.approx(
            stats.chi2.ppf(1 - a / 2, 2 * x + 2) / 2, rel=1e-9
        )


def test_missing_counts_stay_missing_beside_exact_limits() -> None:
    out = groomstats.poisson_ci([None, 4, float("nan")])  # type: ignore[list-item]
    assert out["count"].to_list() == [None, 4.0, None]
    assert out["lower_95"][0] is None and out["lower_95"][2] is None
    assert out["upper_95"][1] == pytest.approx(stats.chi2.ppf(0.975, 10) / 2, rel=1e-12)

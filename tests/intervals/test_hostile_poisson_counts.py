"""poisson_ci on values that are not counts (found beside the rate_ratio_test fix: a negative
count gave null limits without a reason, a fractional one limits as if it were a count).

Exact (Garwood) limits are chi-square quantiles at 2x and 2(x + 1) degrees of freedom for a
whole count x; ``scipy.stats.poisson`` (the distribution they invert) has no mass at a
negative or fractional value. groomstats raises its typed DataFormatError naming the row and
value, as ``rate_ratio_test`` does; a missing count stays missing (null limits).
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

import groomstats
from groomstats import DataFormatError


@pytest.mark.parametrize(
    ("counts", "where"),
    [([3, -1], "row 1: -1.0"), ([2.5], "row 0: 2.5"), ([0, 1, math.inf], "row 2: inf")],
)
def test_a_value_that_is_not_a_count_is_refused_naming_it(counts: list[float], where: str) -> None:
    with pytest.raises(DataFormatError) as err:
        groomstats.poisson_ci(counts)
    assert str(err.value).startswith(f"poisson_ci: counts, {where} is not a count")
    assert "exact (Garwood) Poisson limits has no meaning for it" in str(err.value)


def test_the_reference_distribution_has_no_mass_there() -> None:
    assert stats.poisson.pmf(-1, 3.0) == 0.0
    assert stats.poisson.pmf(2.5, 3.0) == 0.0


def test_missing_counts_stay_missing_beside_exact_limits() -> None:
    out = groomstats.poisson_ci([None, 4, float("nan")])  # type: ignore[list-item]
    assert out["count"].to_list() == [None, 4.0, None]
    assert out["lower_95"][0] is None and out["lower_95"][2] is None
    # Garwood limits of 4 from scipy's chi-square quantiles
    assert out["lower_95"][1] == pytest.approx(stats.chi2.ppf(0.025, 8) / 2, rel=1e-12)
    assert out["upper_95"][1] == pytest.approx(stats.chi2.ppf(0.975, 10) / 2, rel=1e-12)

"""Published percentages that cannot be single-response shares of one base, and categories
that collide once written as text (SYNTHETIC inputs, worked by hand).

``shares_from_percentages`` rebuilt counts from each percentage alone: with
``multi_response=False`` (each offence in one category) 60% and 50% of 500 gave 300 and 250
offences, 550 of 500, with no remark; and ``{1: "50%", "1": "40%"}`` kept one row of two.
"""

from __future__ import annotations

import pytest

import groomstats
from groomstats import GroomstatsError


def test_single_response_shares_adding_past_what_rounding_allows_are_refused() -> None:
    # 60% of 500 allows 298..302 (59.5%..60.5%), 50% allows 248..252: at least 546 > 500
    with pytest.raises(GroomstatsError) as e:
        groomstats.shares_from_percentages({"A": 60, "B": 50}, 500, multi_response=False)
    msg = str(e.value)
    assert "add to 110%" in msg
    assert "at least 546 of 500" in msg
    assert "pass multi_response=True" in msg  # reading 1
    assert "different bases" in msg  # reading 2


def test_a_percentage_no_count_of_the_base_gives_still_counts_its_nearest() -> None:
    # 50.5% of 500 is 252.5: no whole count rounds to 50.5%, the nearest are 252 and 253;
    # two of them add to at least 504 of 500
    with pytest.raises(GroomstatsError, match="at least 504 of 500"):
        groomstats.shares_from_percentages({"A": 50.5, "B": 50.5}, 500, multi_response=False)


def test_rounding_that_adds_past_100_is_accepted() -> None:
    # 1 of 8 is 12.5%, published as 13%; 4 of 8 is 50%: 13 x 4 + 50 = 102%, yet the counts
    # 1 + 1 + 1 + 1 + 4 = 8 are exactly the base
    s = groomstats.shares_from_percentages(
        {"A": 13, "B": 13, "C": 13, "D": 13, "E": 50}, 8, multi_response=False
    )
    assert s.get_column("offences").to_list() == [4, 1, 1, 1, 1]  # largest first
    assert s.get_column("platform").to_list() == ["E", "A", "B", "C", "D"]


def test_rounding_that_adds_under_100_is_accepted() -> None:
    s = groomstats.shares_from_percentages(
        {"A": 33.3, "B": 33.3, "C": 33.3}, 999, multi_response=False
    )
    assert s.get_column("offences").to_list() == [333, 333, 333]


def test_multi_response_shares_may_add_past_100() -> None:
    s = groomstats.shares_from_percentages({"A": 60, "B": 50}, 500)
    assert s.get_column("offences").to_list() == [300, 250]


def test_two_categories_written_alike_are_refused_not_merged() -> None:
    with pytest.raises(GroomstatsError) as e:
        groomstats.shares_from_percentages({1: "50%", "1": "40%"}, 100)
    assert "1 and '1' are both '1'" in str(e.value)

"""Published shares written as bounds ("<1%", "less than 1%") given to
``shares_from_percentages`` (SYNTHETIC inputs).

They were refused as "not a published percentage (write 52, '52%' or '52% of 956')", as if
mistyped. They are still refused (no count can be rebuilt from a bound), and the message now
says what the value is and what to do with the category.
"""

from __future__ import annotations

import pytest

import groomstats
from groomstats import GroomstatsError


@pytest.mark.parametrize("bound", ["<1%", "< 1%", "less than 1%", "under 0.5%", ">90%"])
def test_a_bound_is_refused_saying_what_it_is(bound: str) -> None:
    with pytest.raises(GroomstatsError) as e:
        groomstats.shares_from_percentages({"Snapchat": "48%", "Other": bound}, 956)
    msg = str(e.value)
    assert f"percentages['Other']: {bound!r} is a bound, not a published percentage" in msg
    assert "Leave the category out and say so" in msg


def test_a_mistyped_percentage_keeps_its_message() -> None:
    with pytest.raises(GroomstatsError, match=r"'4 8%' is not a published percentage"):
        groomstats.shares_from_percentages({"Snapchat": "4 8%"}, 956)

"""The readings listed when a period spelling is refused: each with its exact dates.

Hand-worked: '2017-04 - 12' is the day 12 April 2017 or the nine months April-December 2017
(December is the twelfth month, still a month); 'year to April 2019' is the 12 months
1 May 2018 - 30 April 2019 or, as NSPCC uses it, the financial year 1 April 2018 - 31 March 2019.
"""

from __future__ import annotations

import pytest

from groomstats.exceptions import GroomstatsError
from groomstats.periods import Period


def test_a_spaced_dash_to_month_twelve_lists_april_to_december() -> None:
    with pytest.raises(GroomstatsError) as e:
        Period.parse("2017-04 - 12")
    msg = str(e.value)
    assert "the day 12 April 2017, written '2017-04-12'" in msg
    assert "the months April 2017 to December 2017 (2017-04-01..2017-12-31)" in msg
    assert "written '2017-04..2017-12'" in msg


def test_a_spaced_dash_to_thirteen_is_only_a_day() -> None:
    # 13 is no month, so the only reading is the day 13 April 2017
    p = Period.parse("2017-04 - 13")
    assert (p.start.isoformat(), p.end.isoformat()) == ("2017-04-13", "2017-04-13")


def test_year_to_april_lists_both_windows_with_their_dates() -> None:
    with pytest.raises(GroomstatsError) as e:
        Period.parse("year to April 2019")
    msg = str(e.value)
    assert "the 12 months to 30 April 2019 (2018-05-01..2019-04-30)" in msg
    fy = "the financial year 2018/19 as NSPCC uses 'year to April' (2018-04-01..2019-03-31)"
    assert fy in msg

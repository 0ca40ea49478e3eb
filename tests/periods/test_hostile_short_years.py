"""Period labels as published tables abbreviate them: 'YE Mar 24' (year ending March 2024),
'year ending March 24', ONS table headers "Apr '23 to Mar '24". Each was refused as "expected a
financial year ...", so a breakdown headed by them could not be read. A year without a month
('YE 2024') keeps the two readings of 'year ending 2024'. Files are SYNTHETIC.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import groomstats
from groomstats import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("YE Mar 24", date(2023, 4, 1), date(2024, 3, 31)),
        ("ye march 2024", date(2023, 4, 1), date(2024, 3, 31)),
        ("YE 31 Mar 24", date(2023, 4, 1), date(2024, 3, 31)),
        ("Y/E Dec 23", date(2023, 1, 1), date(2023, 12, 31)),
        ("YE Sept 23", date(2022, 10, 1), date(2023, 9, 30)),
        ("year ending March 24", date(2023, 4, 1), date(2024, 3, 31)),
        ("12 months to Sep 23", date(2022, 10, 1), date(2023, 9, 30)),
        ("Apr '23 to Mar '24", date(2023, 4, 1), date(2024, 3, 31)),
        ("Oct \u201923 to Dec \u201923", date(2023, 10, 1), date(2023, 12, 31)),
        ("Jan '24", date(2024, 1, 1), date(2024, 1, 31)),
    ],
)
def test_short_years_read_as_written(text: str, start: date, end: date) -> None:
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)


def test_the_april_rule_holds_for_ye_too() -> None:
    # 'year ending April 2019' is the 12 months to 30 April (docs/periods.md); so is YE Apr 19
    p = parse_period("YE Apr 19")
    assert (p.start, p.end) == (date(2018, 5, 1), date(2019, 4, 30))


def test_ye_without_a_month_lists_both_readings() -> None:
    with pytest.raises(PeriodError) as e:
        parse_period("YE 2024")
    msg = str(e.value)
    assert "period 'YE 2024' has two common readings" in msg
    assert "the calendar year 2024 (2024-01-01..2024-12-31), written 'CY2024'" in msg
    assert "the financial year ending March 2024 (2023-04-01..2024-03-31), written '2023/24'" in msg


@pytest.mark.parametrize("text", ["Mar 24", "Apr 23 to Mar 24", "YE 24"])
def test_a_two_digit_year_without_its_marker_is_still_refused(text: str) -> None:
    # 'Mar 24' may be 24 March: only 'YE', 'year ending' or an apostrophe say it is a year
    with pytest.raises(PeriodError, match=f"period '{text}'"):
        parse_period(text)


def test_a_breakdown_with_ye_period_headers_and_cells(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("Platform,YE Mar 23,YE Mar 24\nSnapchat,5,7\nInstagram,*,3\n", encoding="utf-8")
    df = groomstats.read_breakdown(wide, force="Kent")
    assert df.select("period", "value", "offences", "suppressed").rows() == [
        ("2022/23", "Snapchat", 5, False),
        ("2023/24", "Snapchat", 7, False),
        ("2022/23", "Instagram", None, True),
        ("2023/24", "Instagram", 3, False),
    ]
    long = tmp_path / "long.csv"
    long.write_text(
        "Force,Period,Platform,Offences\nKent,Apr '23 to Mar '24,Snapchat,5\n", encoding="utf-8"
    )
    got = groomstats.read_breakdown(long)
    assert got.select("period", "period_start", "period_end", "offences").rows() == [
        ("2023/24", date(2023, 4, 1), date(2024, 3, 31), 5)
    ]

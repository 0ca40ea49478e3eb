"""A period column headed 'Financial Year' (or 'FY') holding a calendar year: read_breakdown
read '2023' there as the calendar year 2023 without a word, though the header says financial
year and read_prc refuses the same cell. Now refused, naming the file, row, column, both
financial years it overlaps and the fix; periods inside one financial year (a quarter, a
month) and whole financial years still read. Files are SYNTHETIC.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import groomstats


def _csv(tmp: Path, text: str, name: str = "fy.csv") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(("header", "cell"), [("Financial Year", "2023"), ("FY", "CY2023")])
def test_a_calendar_year_under_a_financial_year_header_is_refused(
    tmp_path: Path, header: str, cell: str
) -> None:
    p = _csv(
        tmp_path,
        f"Force,{header},Platform,Offences\nKent,2023/24,Snapchat,4\nKent,{cell},Snapchat,5\n",
    )
    with pytest.raises(groomstats.PeriodError) as e:
        groomstats.read_breakdown(p)
    msg = str(e.value)
    assert f"period '{cell}' at file 'fy.csv', row 3, column '{header}' is a calendar year" in msg
    assert "(2023-01-01..2023-12-31), not a financial year (April to March)" in msg
    assert "it overlaps 2022/23 and 2023/24; write the financial year, like '2023/24'" in msg


def test_periods_within_a_financial_year_still_read(tmp_path: Path) -> None:
    p = _csv(
        tmp_path,
        "Force,Financial Year,Platform,Offences\n"
        "Kent,2023/24 Q1,Snapchat,5\nKent,April 2023,Instagram,2\nKent,2021/22,Snapchat,3\n",
    )
    got = groomstats.read_breakdown(p).select("period", "period_start", "period_end").rows()
    assert got == [
        ("2023/24 Q1", date(2023, 4, 1), date(2023, 6, 30)),
        ("April 2023", date(2023, 4, 1), date(2023, 4, 30)),
        ("2021/22", date(2021, 4, 1), date(2022, 3, 31)),
    ]


def test_a_period_column_keeps_the_documented_calendar_reading(tmp_path: Path) -> None:
    # docs/periods.md: a lone year is the calendar year; only a financial-year header refuses it
    p = _csv(tmp_path, "Force,Period,Platform,Offences\nKent,2023,Snapchat,5\n")
    got = groomstats.read_breakdown(p).select("period", "period_start", "period_end").rows()
    assert got == [("2023", date(2023, 1, 1), date(2023, 12, 31))]

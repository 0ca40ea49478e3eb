"""FOI tables as forces publish them (issue 12, item 5): total rows and columns are recognised,
checked against the cells they total and left out as categories; two-way tables (age band x
gender, platform x year; long or wide) read into two category columns; common count headers
are recognised. All tables are synthetic, written by the tests."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import TotalMismatchWarning


def _write(tmp: Path, text: str, name: str = "foi.csv") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


ISSUE = """\
Force,Year,Platform,Offences
Kent,2023/24,Snapchat,10
Kent,2023/24,Instagram,4
Kent,2023/24,Other,2
Kent,2023/24,Total,16
"""


def test_the_issue_total_row_is_not_a_category(tmp_path: Path) -> None:
    """The issue: a Total row kept as a category gave Total 50% and Snapchat 31.25% (10 of
    32); the right share is 10 of 16 = 62.5%."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", TotalMismatchWarning)  # 10 + 4 + 2 = 16: no warning
        df, rep = groomstats.read_breakdown(_write(tmp_path, ISSUE), report=True)
    assert df["value"].to_list() == ["Snapchat", "Instagram", "Other"]
    assert df["total"].to_list() == [16, 16, 16]
    assert rep.rows_read == 4 and rep.rows_kept == 3 and rep.excluded == {"total row": 1}
    assert any("1 total(s) checked" in n for n in rep.notes)
    s = groomstats.shares(df)
    snap = s.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert snap["value"] == pytest.approx(62.5)
    assert snap["denominator"] == 16
    assert "Total" not in s["platform"].to_list()


@pytest.mark.parametrize("label", ["Total", "Totals", "All", "Grand total", "TOTAL", " total "])
def test_total_labels(tmp_path: Path, label: str) -> None:
    df = groomstats.read_breakdown(_write(tmp_path, ISSUE.replace(",Total,", f",{label},")))
    assert df.height == 3


def test_a_total_that_does_not_add_up_warns_with_both_figures(tmp_path: Path) -> None:
    text = ISSUE.replace("Total,16", "Total,17")
    with pytest.warns(TotalMismatchWarning) as w:
        df, rep = groomstats.read_breakdown(_write(tmp_path, text), report=True)
    msg = str(w[0].message)
    assert "the total 17 for Kent 2023/24" in msg and "is not the sum of its 3 cell(s), 16" in msg
    assert "row 5, column 'Offences'" in msg
    assert df["offences"].to_list() == [10, 4, 2]  # the cells are kept as published
    assert any(n.startswith("total mismatch: the total 17") for n in rep.notes)


def test_suppressed_cells_get_the_remainder_a_total_implies(tmp_path: Path) -> None:
    text = ISSUE.replace("Instagram,4", "Instagram,*")
    df, rep = groomstats.read_breakdown(_write(tmp_path, text), report=True)
    assert df.filter(pl.col("value") == "Instagram")["suppressed"].item()
    assert (
        "suppressed remainder: Kent 2023/24: 1 suppressed cell(s) hold 4 between them "
        "(total 16 less 12 shown)"
    ) in rep.notes
    # known cells already above the total: a mismatch, whatever the suppressed cell holds
    with pytest.warns(TotalMismatchWarning, match="less than its 3 cell.s. already shown, 12"):
        groomstats.read_breakdown(_write(tmp_path, text.replace("Total,16", "Total,11")))


WIDE = """\
Force,Financial Year,Snapchat,Instagram,Other,Totals
Kent,2023/24,10,4,2,16
Essex,2023/24,7,*,1,9
England and Wales,2023/24,17,5,3,25
"""


def test_wide_totals_column_and_total_row(tmp_path: Path) -> None:
    df, rep = groomstats.read_breakdown(_write(tmp_path, WIDE), category="platform", report=True)
    assert df.height == 6
    assert df["value"].unique(maintain_order=True).to_list() == ["Snapchat", "Instagram", "Other"]
    assert dict(zip(df["force"], df["total"], strict=True)) == {"Kent": 16, "Essex": 9}
    assert rep.excluded == {"total row": 1}
    # Essex: 7 + * + 1 = 9 -> the suppressed cell holds 1; England and Wales' Instagram 5 =
    # 4 + * -> 1; its total 25 = 16 + 9
    assert any("Essex 2023/24: 1 suppressed cell(s) hold 1" in n for n in rep.notes)
    assert any("platform 'Instagram': 1 suppressed cell(s) hold 1" in n for n in rep.notes)
    with pytest.warns(TotalMismatchWarning, match="the total 18 for 2023/24 platform 'Snapchat'"):
        groomstats.read_breakdown(
            _write(tmp_path, WIDE.replace(",17,5,3,25", ",18,5,3,25")), category="platform"
        )


@pytest.mark.parametrize(
    "header", ["Count of Crimes", "Number of offences", "No. of crimes", "Crimes", "No of Offences"]
)
def test_common_count_headers(tmp_path: Path, header: str) -> None:
    """The issue: a 'Count of Crimes' header gave a confusing error."""
    text = ISSUE.replace("Offences", header)
    df = groomstats.read_breakdown(_write(tmp_path, text))
    assert df["category"].unique().to_list() == ["platform"]
    assert df["offences"].to_list() == [10, 4, 2]


LONG_TWO_WAY = """\
Force,Year,Age band,Gender,Count of Crimes
Gwent,2022/23,11 and under,Female,5
Gwent,2022/23,11 and under,Male,*
Gwent,2022/23,12-15,Female,20
Gwent,2022/23,12-15,Male,3
Gwent,2022/23,Total,Female,25
Gwent,2022/23,Total,Total,30
"""


def test_long_two_way_age_by_gender(tmp_path: Path) -> None:
    """The issue: an age x gender table could not be read ("exactly one category column")."""
    df, rep = groomstats.read_breakdown(_write(tmp_path, LONG_TWO_WAY), report=True)
    assert df.columns[5:7] == ["age_band", "gender"]
    assert "category" not in df.columns
    assert df.select("age_band", "gender", "offences").rows() == [
        ("11 and under", "Female", 5),
        ("11 and under", "Male", None),
        ("12-15", "Female", 20),
        ("12-15", "Male", 3),
    ]
    assert rep.excluded == {"total row": 2}
    # Female total 25 = 5 + 20; grand total 30 = 28 + the suppressed cell (2)
    assert any("Gwent 2022/23: 1 suppressed cell(s) hold 2" in n for n in rep.notes)
    df2 = groomstats.read_breakdown(_write(tmp_path, LONG_TWO_WAY), category=("age", "sex"))
    assert df2.columns[5:7] == ["age", "sex"]


WIDE_TWO_WAY = """\
Force,Year,Age band,Female,Male,Total
North Wales,2022/23,11 and under,9,2,11
North Wales,2022/23,12-15,31,*,35
North Wales,2022/23,Total,40,6,46
"""


def test_wide_two_way_age_by_gender(tmp_path: Path) -> None:
    df, rep = groomstats.read_breakdown(
        _write(tmp_path, WIDE_TWO_WAY), category="gender", report=True
    )
    assert df.select("age_band", "gender", "offences", "suppressed").rows() == [
        ("11 and under", "Female", 9, False),
        ("11 and under", "Male", 2, False),
        ("12-15", "Female", 31, False),
        ("12-15", "Male", None, True),
    ]
    assert rep.rows_kept == 2 and rep.excluded == {"total row": 1}
    # 12-15: 31 + * = 35 -> 4; Male: 2 + * = 6 -> 4; grand: 42 + * = 46 -> 4
    assert sum("hold 4 between them" in n for n in rep.notes) == 3
    with pytest.warns(TotalMismatchWarning, match="the total 12 for North Wales 2022/23 age_band"):
        groomstats.read_breakdown(
            _write(tmp_path, WIDE_TWO_WAY.replace(",9,2,11", ",9,2,12")), category="gender"
        )


PLATFORM_BY_YEAR = """\
Platform,2019/20,2020/21,Total
Snapchat,10,14,24
Instagram,*,6,9
"""


def test_platform_by_year(tmp_path: Path) -> None:
    df, rep = groomstats.read_breakdown(
        _write(tmp_path, PLATFORM_BY_YEAR), force="Kent", report=True
    )
    assert df.select("period", "value", "offences").rows() == [
        ("2019/20", "Snapchat", 10),
        ("2020/21", "Snapchat", 14),
        ("2019/20", "Instagram", None),
        ("2020/21", "Instagram", 6),
    ]
    assert df["period_start"].to_list()[:2] == [date(2019, 4, 1), date(2020, 4, 1)]
    assert any("Instagram': 1 suppressed cell(s) hold 3" in n for n in rep.notes)
    assert any("periods read from the column headers" in n for n in rep.notes)


def test_three_category_columns_are_refused(tmp_path: Path) -> None:
    text = "Force,Year,Platform,Age,Sex,Offences\nKent,2023/24,Kik,12,F,1\n"
    with pytest.raises(groomstats.DataFormatError, match="or two, for a two-way table"):
        groomstats.read_breakdown(_write(tmp_path, text))


def test_total_offences_beside_count_columns_is_a_wide_total(tmp_path: Path) -> None:
    text = "Force,Year,Snapchat,Instagram,Total offences\nKent,2023/24,10,4,14\n"
    df = groomstats.read_breakdown(_write(tmp_path, text), category="platform")
    assert df.select("value", "offences", "total").rows() == [
        ("Snapchat", 10, 14),
        ("Instagram", 4, 14),
    ]
    # one label column beside it: the long layout, 'Total offences' the count
    long = "Force,Year,Platform,Total offences\nKent,2023/24,Snapchat,10\n"
    assert groomstats.read_breakdown(_write(tmp_path, long))["offences"].to_list() == [10]

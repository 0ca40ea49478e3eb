"""read_breakdown on FOI-style tables written by the tests (wide and long, CSV and XLSX)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import groomstats

WIDE = """\
Force,Financial Year,Snapchat,Instagram,Facebook,WhatsApp,Total
Kent,2023/24, 41 ,12,*,-,60
"London, City of",2023/24,-,-,-,-,0
Devon & Cornwall,2023/24,"1,204",*,N/a,3,1300
Dyfed Powys,2023-24,,7,2,1,11
Total,2023/24,1245,19,2,4,1371
"""


def _write(tmp: Path, text: str, name: str = "foi.csv") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def test_wide_platform_table(tmp_path: Path) -> None:
    df, rep = groomstats.read_breakdown(_write(tmp_path, WIDE), category="platform", report=True)
    assert df.columns == [
        "force",
        "force_code",
        "period",
        "period_start",
        "period_end",
        "category",
        "value",
        "offences",
        "suppressed",
        "total",
    ]
    assert df.height == 4 * 4
    assert df["category"].unique().to_list() == ["platform"]
    assert df["value"].head(4).to_list() == ["Snapchat", "Instagram", "Facebook", "WhatsApp"]
    kent = dict(df.filter(pl.col("force") == "Kent").select("value", "offences").iter_rows())
    assert kent == {"Snapchat": 41, "Instagram": 12, "Facebook": None, "WhatsApp": 0}
    # '*' is suppressed: null, flagged, never 0
    sup = df.filter(pl.col("suppressed"))
    assert sup.select("force", "value").rows() == [
        ("Kent", "Facebook"),
        ("Devon and Cornwall", "Instagram"),
    ]
    assert sup["offences"].null_count() == 2
    # N/a and empty are not provided: null, not suppressed
    np_ = df.filter(pl.col("offences").is_null() & ~pl.col("suppressed"))
    assert np_.select("force", "value").rows() == [
        ("Devon and Cornwall", "Facebook"),
        ("Dyfed-Powys", "Snapchat"),
    ]
    dc = df.filter(pl.col("force") == "Devon and Cornwall", pl.col("value") == "Snapchat")
    assert dc["offences"].item() == 1204
    assert dc["force_code"].item() == "E23000035"
    city = df.filter(pl.col("force_code") == "E23000034")
    assert city["force"].unique().to_list() == ["City of London"]
    assert city["offences"].to_list() == [0, 0, 0, 0]
    assert df["period"].unique().to_list() == ["2023/24"]
    assert df["period_start"].unique().to_list() == [date(2023, 4, 1)]
    assert df["period_end"].unique().to_list() == [date(2024, 3, 31)]
    assert rep.rows_read == 5
    assert rep.rows_kept == 4
    assert rep.excluded == {"total row": 1}
    assert any("'Total'" in n for n in rep.notes)
    assert any("2 suppressed" in n for n in rep.notes)


LONG = """\
Police Force,Period,Age band,Offences
Gwent,2022/23,11 and under,5
Gwent,2022/23,12-15,*
Gwent,2022/23,16 and over,-
Gwent,2022/23,unknown,2
North Wales,2022/23,11 and under,9
North Wales,2022/23,12-15,31
North Wales,2022/23,16 and over,4
North Wales,2022/23,unknown,*
"""


def test_long_age_table(tmp_path: Path) -> None:
    df, rep = groomstats.read_breakdown(_write(tmp_path, LONG), report=True)
    assert df["category"].unique().to_list() == ["age_band"]
    assert df.filter(pl.col("force") == "North Wales")["offences"].to_list() == [9, 31, 4, None]
    assert df["suppressed"].sum() == 2
    assert df["offences"].sum() == 5 + 0 + 2 + 9 + 31 + 4
    assert df["force_code"].unique(maintain_order=True).to_list() == ["W15000002", "W15000001"]
    assert rep.rows_read == rep.rows_kept == 8


def test_xlsx_single_force_gender_with_title(tmp_path: Path) -> None:
    p = tmp_path / "foi-response.xlsx"
    frame = pd.DataFrame(
        {"Year": ["2021/22", "2022/23"], "Female": [30, 28], "Male": ["*", 6], "Unknown": [0, 1]}
    )
    with pd.ExcelWriter(p, engine="xlsxwriter") as xl:
        frame.to_excel(xl, sheet_name="Response", index=False, startrow=3)
        xl.sheets["Response"].write(0, 0, "FOI 370/2022: sexual communication with a child")
    df = groomstats.read_breakdown(p, category="gender", force="Dyfed-Powys Police")
    assert df["force"].unique().to_list() == ["Dyfed-Powys"]
    assert df.filter(pl.col("period") == "2022/23")["offences"].to_list() == [28, 6, 1]
    assert df.filter(pl.col("period") == "2021/22", pl.col("value") == "Male")["suppressed"].item()


def test_pandas_input_and_period_argument() -> None:
    frame = pd.DataFrame({"Force": ["Surrey", "Sussex"], "Snapchat": [3, 4]})
    df = groomstats.read_breakdown(frame, category="platform", period="2024/25")
    assert df["offences"].to_list() == [3, 4]
    assert df["period_end"].unique().to_list() == [date(2025, 3, 31)]


# ---- bad inputs ------------------------------------------------------------------------------


def test_unknown_force(tmp_path: Path) -> None:
    text = WIDE.replace("Dyfed Powys", "Dyfed Powis")
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.read_breakdown(_write(tmp_path, text), category="platform")
    assert str(e.value).startswith(
        "Unknown force 'Dyfed Powis' — did you mean 'Dyfed-Powys'? "
        "(file 'foi.csv', row 5, column 'Force')"
    )


def test_non_numeric_cell(tmp_path: Path) -> None:
    text = WIDE.replace(",12,*,", ",12a,*,")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(_write(tmp_path, text), category="platform")
    assert "non-numeric count '12a' at file 'foi.csv', row 2, column 'Instagram'" in str(e.value)


def test_duplicate_rows(tmp_path: Path) -> None:
    text = LONG + "Gwent,2022/23,12-15,4\n"
    with pytest.raises(groomstats.DataFormatError, match=r"duplicate row: Gwent 2022/23 age_band"):
        groomstats.read_breakdown(_write(tmp_path, text))


def test_missing_columns_and_category(tmp_path: Path) -> None:
    with pytest.raises(groomstats.DataFormatError, match="no force column"):
        groomstats.read_breakdown(_write(tmp_path, "Year,Snapchat\n2023/24,4\n"), category="x")
    with pytest.raises(groomstats.DataFormatError, match="no period column"):
        groomstats.read_breakdown(_write(tmp_path, "Force,Snapchat\nKent,4\n"), category="x")
    with pytest.raises(groomstats.GroomstatsError, match="needs category='platform'"):
        groomstats.read_breakdown(_write(tmp_path, WIDE))
    with pytest.raises(groomstats.DataFormatError, match=r"one category column .or two"):
        groomstats.read_breakdown(
            _write(tmp_path, "Force,Year,Platform,Age,Sex,Offences\nKent,2023/24,Kik,12,F,1\n")
        )


def test_bad_period(tmp_path: Path) -> None:
    text = LONG.replace("North Wales,2022/23,12-15", "North Wales,2022/33,12-15")
    with pytest.raises(groomstats.PeriodError, match=r"file 'foi.csv', row 7, column 'Period'"):
        groomstats.read_breakdown(_write(tmp_path, text))


def test_empty(tmp_path: Path) -> None:
    with pytest.raises(groomstats.DataFormatError, match="is empty"):
        groomstats.read_breakdown(_write(tmp_path, ""))
    with pytest.raises(groomstats.DataFormatError, match="has no data rows"):
        groomstats.read_breakdown(_write(tmp_path, LONG.splitlines()[0] + "\n"))

"""Tidy (snake_case) headers as data journalists and the package's own published tables write
them: ``financial_year``, ``age_band``, ``number_of_offences``, ``source_url``. read_breakdown
refused the shipped NSPCC Wales table ("no period column ... columns found: 'force',
'financial_year', ...") and a table of one count per force and period could not be read at
all. The Wales table is the copy shipped in ``groomstats/data/published`` (its source URL per
row); other files are SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets

WALES = datasets.path("prc").parent / "published" / "nspcc_scwc_wales_forces.csv"


def test_the_shipped_wales_table_reads_with_every_row_and_blank_kept_null() -> None:
    df, rep = groomstats.read_breakdown(WALES, category="offence", report=True)
    raw = pl.read_csv(WALES, infer_schema=False)  # the independent answer: the file itself
    assert rep.rows_read == rep.rows_kept == raw.height == 28
    want = [
        (f, fy, int(n) if n is not None else None)
        for f, fy, n in raw.select("force", "financial_year", "offences").rows()
    ]
    assert df.select("force", "period", "offences").rows() == want
    # the two figures the forces did not give stay null, never 0
    assert df.filter(pl.col("offences").is_null()).select("force", "period").rows() == [
        ("Gwent", "2020/21"),
        ("South Wales", "2022/23"),
    ]
    assert set(df["category"]) == {"offence"}
    assert any(n.startswith("column 'source_url' holds notes") for n in rep.notes)
    assert any(n.startswith("column 'note' holds notes") for n in rep.notes)


def test_one_count_per_force_and_period_needs_its_name() -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(WALES)
    msg = str(e.value)
    assert "a long breakdown needs one category column" in msg
    assert "found none; for one count per force and period, name what 'offences' counts" in msg


def test_snake_case_headers_are_the_headers_they_spell(tmp_path: Path) -> None:
    p = tmp_path / "tidy.csv"
    p.write_text(
        "force_name,financial_year,age_band,number_of_offences\n"
        "Kent,2023/24,11 and under,4\nKent,2023/24,12-15,*\nKent,2023/24,Total,10\n",
        encoding="utf-8",
    )
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("force", "period", "category", "value", "offences", "total").rows() == [
        ("Kent", "2023/24", "age_band", "11 and under", 4, 10),
        ("Kent", "2023/24", "age_band", "12-15", None, 10),
    ]
    assert rep.excluded == {"total row": 1}


def test_one_header_spelled_tidy_and_plain_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "twice.csv"
    p.write_text(
        "Force,Year,Age band,age_band,Offences\nKent,2023/24,12-15,12-15,4\n", encoding="utf-8"
    )
    with pytest.raises(groomstats.DataFormatError, match="the header 'age_band' appears twice"):
        groomstats.read_breakdown(p)

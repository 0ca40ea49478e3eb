"""Population files given to the wrong reader, or of a kind read_population cannot use: the
error says what the file looks like. The ONS children-by-district file given to read_prc (or
`groomstats report --data`) was named only by its columns (its snake_case 'all_ages' was not
seen as 'All ages'); the DfE long table of 0-17 totals by upper-tier authority was "no header
row" with no word of what it is. Files are SYNTHETIC, written with the real files' headers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats
from groomstats import datasets

DISTRICT_HEADER = "mid_year,lad21_code,lad21_name,all_ages,age_0_17," + ",".join(
    map(str, range(18))
)
DFE_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,age_group,population_estimate"
)


def test_a_district_population_file_given_to_read_prc_is_named(tmp_path: Path) -> None:
    p = tmp_path / "mye_mid2021.csv"
    p.write_text(
        DISTRICT_HEADER + "\n2021,E06000001,Hartlepool,100,18," + ",".join(["1"] * 18) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    msg = str(e.value)
    assert "is not a Home Office police recorded crime table" in msg
    assert "it looks like ONS mid-year population estimates (read them with " in msg


def test_the_dfe_long_table_is_named_and_what_is_needed_said(tmp_path: Path) -> None:
    p = tmp_path / "dfe.csv"
    p.write_text(
        DFE_HEADER + "\n2024,Reporting year,National,E92000001,England,,,,,,"
        "Children aged 0 to 17 years,100\n",
        encoding="utf-8",
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(p, datasets.path("lad_pfa_lookup"))
    msg = str(e.value)
    assert "no header row of the ONS mid-year estimates" in msg
    assert "Explore Education Statistics layout (time_period, geographic_level, ...)" in msg
    assert "needs the ONS single-year-of-age table by district" in msg

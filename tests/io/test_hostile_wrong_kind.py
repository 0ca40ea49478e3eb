"""Each reader given a table of another kind: the error says what the file looks like and
which reader reads it. The files are the copies shipped in ``groomstats/data``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import groomstats
from groomstats import datasets

PRC_KIND = "the file looks like a Home Office police recorded crime table (read it with"
POP_KIND = "the file looks like ONS mid-year population estimates (read them with"
LOOKUP_KIND = "the file looks like an ONS local authority to police force area lookup"


def test_breakdown_reader_given_the_home_office_table() -> None:
    # it was refused as "a long breakdown needs one category column ... found 'Financial
    # Quarter', 'Offence Description', ..." with no word of read_prc
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(datasets.path("prc"))
    assert "is not an FOI breakdown" in str(e.value) and PRC_KIND in str(e.value)


@pytest.mark.parametrize(
    ("name", "kind"), [("population_sheet", POP_KIND), ("lad_pfa_lookup", LOOKUP_KIND)]
)
def test_breakdown_reader_given_ons_files(name: str, kind: str) -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_breakdown(datasets.path(name))
    assert str(e.value).startswith(f"file '{datasets.path(name).name}'")
    assert kind in str(e.value)


@pytest.mark.parametrize(("name", "kind"), [("prc", PRC_KIND), ("lad_pfa_lookup", LOOKUP_KIND)])
def test_population_reader_given_other_files(name: str, kind: str) -> None:
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_population(datasets.path(name), datasets.path("lad_pfa_lookup"))
    assert "no header row of the ONS mid-year estimates" in str(e.value)
    assert kind in str(e.value)


def test_read_prc_given_its_own_result() -> None:
    # it said the frame "looks like an FOI breakdown"
    frame = groomstats.read_prc(datasets.path("prc"))
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(frame)
    msg = str(e.value)
    assert "it looks like a frame groomstats.read_prc has already read (use it as it is)" in msg
    assert "and 4 more" in msg  # 14 columns, 10 listed


def test_read_prc_given_an_foi_workbook(tmp_path: Path) -> None:
    from edition_gen import write_xlsx

    # SYNTHETIC FOI workbook: refused with "no financial-year sheet" and no word of what
    # the file is
    p = tmp_path / "foi.xlsx"
    write_xlsx(
        p, {"Table 1": [["Force", "Period", "Platform", "Offences"], ["Kent", "2023/24", "Kik", 3]]}
    )
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    msg = str(e.value)
    assert msg.startswith("file 'foi.xlsx' has no financial-year sheet")
    assert msg.endswith(
        "to read_prc; the file looks like an FOI breakdown by force and period (read it "
        "with groomstats.read_breakdown)"
    )

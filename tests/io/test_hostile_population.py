"""read_population on the ONS sheet as users save it: the open top age written '90 and over'.
Derived from the ONS copy shipped in ``groomstats/data``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import groomstats
from groomstats import datasets


def test_top_age_written_in_words(tmp_path: Path) -> None:
    # '90 and over' was not an age column, so 'All ages' was "not the sum of the single
    # years" (a misleading refusal)
    with gzip.open(datasets.path("population_sheet"), "rt", encoding="utf-8") as fh:
        text = fh.read()
    assert text.count(",90+") == 1
    p = tmp_path / "mid2023.csv"
    p.write_text(text.replace(",90+", ",90 and over"), encoding="utf-8")
    bands = ["all ages", "0-17", "85+"]
    got = groomstats.read_population(p, datasets.path("lad_pfa_lookup"), bands=bands)
    want = groomstats.read_population(
        datasets.path("population_sheet"), datasets.path("lad_pfa_lookup"), bands=bands
    )
    assert got.equals(want)
    city = got.filter(got["force"] == "City of London")
    assert city.select("age_band", "population").rows()[:2] == [("all ages", 13462), ("0-17", 642)]

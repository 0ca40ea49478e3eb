"""Independent sums of the ONS files shipped in ``groomstats/data`` (test helper).

Reads the gzip CSVs with the standard library's ``csv`` module only (no groomstats, no
polars): district rows mapped to police force areas with the ONS 2023 lookup plus the
crosswalk of abolished districts, summed by hand. The tests compare groomstats against these.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files("groomstats") / "data"))

CHILD_FILES = {
    2017: "mye_mid2017_lad21_age0_17.csv.gz",
    2018: "mye_mid2018_lad19_age0_17.csv.gz",
    2019: "mye_mid2019_lad20_age0_17.csv.gz",
    2020: "mye_mid2020_lad21_age0_17.csv.gz",
    2021: "mye_mid2021_lad21_age0_17.csv.gz",
    2022: "mye_mid2022_lad23_age0_17.csv.gz",
}

#: ONS England and Wales totals (all ages) of the district files, as stated with the files
#: (data/ons/children_by_lad/README.md of the project's data folder; ONS mid-year estimates
#: as first published for mid-2017 to mid-2020).
ONS_TOTAL_ALL_AGES = {
    2017: 58_744_595,
    2018: 59_115_809,
    2019: 59_439_840,
    2020: 59_719_724,
    2021: 59_641_829,
    2022: 60_238_038,
}


def _rows(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def district_to_pfa() -> dict[str, str]:
    """District code -> force area code: the 2023 lookup plus abolished districts."""
    out = {r["LAD23CD"]: r["PFA23CD"] for r in _rows("lad23_csp23_pfa23_lookup_dec2023.csv.gz")}
    for r in _rows("predecessor_lad_to_pfa23.csv.gz"):
        out[r["lad_code"]] = r["pfa23_code"]
    return out


def _num(text: str) -> int:
    value = float(text)
    assert value == int(value)
    return int(value)


def children(year: int, ages: range = range(18)) -> dict[str, int]:
    """Children of the given single years of age per force area code, in ``year``."""
    to_pfa = district_to_pfa()
    sums: dict[str, int] = defaultdict(int)
    for r in _rows(CHILD_FILES[year]):
        code = next(v for k, v in r.items() if k.endswith("_code"))
        sums[to_pfa[code]] += sum(_num(r[str(a)]) for a in ages)
    return dict(sums)


def district_totals(year: int) -> tuple[int, int]:
    """(all ages, aged 0-17) summed over every district row of the year's file."""
    rows = _rows(CHILD_FILES[year])
    return sum(_num(r["all_ages"]) for r in rows), sum(_num(r["age_0_17"]) for r in rows)


def mye4() -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    """All ages per force area per year from the MYE4 copy, and the sheet's own England and
    Wales row (K04000001)."""
    with gzip.open(DATA / "ons-mye4-all-ages-mid2011-mid2023.csv.gz", "rt", newline="") as f:
        grid = list(csv.reader(f))
    header = grid[1]
    years = {i: int(h[4:]) for i, h in enumerate(header) if h.startswith("Mid-")}
    lad23 = {r["LAD23CD"]: r["PFA23CD"] for r in _rows("lad23_csp23_pfa23_lookup_dec2023.csv.gz")}
    per: dict[int, dict[str, int]] = {y: defaultdict(int) for y in years.values()}
    ew: dict[int, int] = {}
    for row in grid[2:]:
        for i, y in years.items():
            if row[0] == "K04000001":
                ew[y] = int(row[i])
            elif row[0] in lad23:
                per[y][lad23[row[0]]] += int(row[i])
    return {y: dict(v) for y, v in per.items()}, ew

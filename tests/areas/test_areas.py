"""The force reference (Rust core) and force-name matching."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import groomstats

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_reference_frame() -> None:
    df = groomstats.forces()
    assert df.columns == ["force", "force_code", "region", "territorial", "nation"]
    terr = df.filter(pl.col("territorial"))
    assert terr.height == 43
    assert terr["force_code"].n_unique() == 43
    assert terr.filter(pl.col("force_code").str.starts_with("W"))["region"].unique().to_list() == [
        "Wales"
    ]
    assert terr["region"].n_unique() == 10  # nine English regions and Wales
    other = df.filter(~pl.col("territorial"))["force"].to_list()
    assert other == [
        "British Transport Police",
        "Action Fraud",
        "CIFAS",
        "UK Finance",
        "Financial Fraud Action UK",
        # known by name for UK-wide figures; forces of their own nations (issue 12)
        "Police Scotland",
        "Police Service of Northern Ireland",
    ]
    assert df.filter(~pl.col("territorial"))["force_code"].null_count() == 7


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Devon & Cornwall", "Devon and Cornwall"),
        ("Avon & Somerset", "Avon and Somerset"),
        ("West Midlands (pfa)", "West Midlands"),
        ("Dyfed Powys", "Dyfed-Powys"),
        ("dyfed-powys police", "Dyfed-Powys"),
        ("London, City of", "City of London"),
        ("Metropolitan Police Service", "Metropolitan Police"),
        ("Cifas", "CIFAS"),
        ("thames valley police", "Thames Valley"),
    ],
)
def test_variants(name: str, canonical: str) -> None:
    assert groomstats.match_force(name) == canonical


def test_unknown_force_suggests() -> None:
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.match_force("Thames Vally")
    assert str(e.value) == "Unknown force 'Thames Vally' — did you mean 'Thames Valley'?"
    with pytest.raises(groomstats.UnknownAreaError, match="position 2"):
        groomstats.match_forces(["Kent", "Nowhereshire"])


def _reference_spellings() -> list[tuple[str, str]]:
    """(spelling, canonical force) read straight from the shipped forces.csv with the csv module
    (the reference file itself, not the matcher's own alias table)."""
    path = Path(str(resources.files("groomstats") / "data" / "forces.csv"))
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    pairs = [(r["force"], r["force"]) for r in rows]
    pairs += [(a, r["force"]) for r in rows for a in r["aliases"].split("|") if a.strip()]
    return pairs


def test_every_variant_in_the_reference_files_matches() -> None:
    pairs = _reference_spellings()
    assert len(pairs) >= 48 + 7  # every body plus the alias spellings
    matched = groomstats.match_forces([p[0] for p in pairs])
    assert matched["force"].to_list() == [p[1] for p in pairs]
    # ONS spellings from the domain notes
    assert groomstats.match_forces(["London, City of", "Devon & Cornwall"])["force"].to_list() == [
        "City of London",
        "Devon and Cornwall",
    ]


def test_real_ods_workforce_names_and_codes_agree() -> None:
    """The Home Office workforce ODS names forces its own way; its codes must agree with ours."""
    reader = fastexcel.read_excel(str(FIXTURES / "open-data-table-police-workforce-260723.ods"))
    df = reader.load_sheet("Data", dtypes="string").to_polars()
    pairs = df.select("Geo code", "Force Name").unique().sort("Geo code")
    m = groomstats.match_forces(pairs["Force Name"])
    codes = pairs["Geo code"].replace("N/A", None)
    assert m["force_code"].to_list() == codes.to_list()
    assert m.filter(pl.col("territorial")).height == 43
    assert m.filter(~pl.col("territorial"))["force"].to_list() == ["British Transport Police"]
    assert "Avon & Somerset" in pairs["Force Name"].to_list()


_PAIRS = _reference_spellings()


@given(
    i=st.integers(min_value=0, max_value=len(_PAIRS) - 1),
    upper=st.lists(st.booleans(), min_size=40, max_size=40),
    amp=st.booleans(),
    suffix=st.sampled_from(["", " Police", " Constabulary", " police service"]),
    pad=st.sampled_from(["", " ", "  "]),
)
def test_spelling_perturbations_still_match(
    i: int, upper: list[bool], amp: bool, suffix: str, pad: str
) -> None:
    name, want = _PAIRS[i]
    if amp:
        name = name.replace(" and ", " & ")
    name = "".join(c.upper() if u else c.lower() for c, u in zip(name, upper * 3, strict=False))
    name = name.replace("-", " ").replace(" ", " " + pad) if pad else name
    got = groomstats.match_force(pad + name + suffix + pad)
    assert got == want

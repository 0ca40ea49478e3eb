"""Force names as newsrooms write them (issue 16): shorthand, descriptive and Welsh names."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import UnknownAreaError


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("GMP", "Greater Manchester"),
        ("Greater Manchester Police", "Greater Manchester"),
        ("Manchester", "Greater Manchester"),
        ("TVP", "Thames Valley"),
        ("the Met", "Metropolitan Police"),
        ("Met Police", "Metropolitan Police"),
        ("Hants", "Hampshire"),
        ("BTP", "British Transport Police"),
        ("Heddlu De Cymru", "South Wales"),
        ("Heddlu Gogledd Cymru", "North Wales"),
        ("Heddlu Dyfed-Powys", "Dyfed-Powys"),
    ],
)
def test_shorthand_matches(name: str, canonical: str) -> None:
    assert groomstats.match_force(name) == canonical


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(UnknownAreaError, match="Ambiguous force 'Yorkshire'") as e:
        groomstats.match_force("Yorkshire")
    for force in ("North Yorkshire", "West Yorkshire", "South Yorkshire"):
        assert force in str(e.value)
    with pytest.raises(UnknownAreaError, match="'Metropolitan Police' or 'City of London'"):
        groomstats.match_force("London")


def test_ambiguous_name_in_a_column_names_its_position() -> None:
    with pytest.raises(UnknownAreaError, match=r"Ambiguous force 'Wales'.*position 2"):
        groomstats.match_forces(["Kent", "Wales"])


def test_one_candidate_word_is_suggested_not_matched() -> None:
    with pytest.raises(UnknownAreaError, match="did you mean 'Devon and Cornwall'"):
        groomstats.match_force("Cornwall")


def test_column_suggestion_prefers_the_count_column() -> None:
    frame = pl.DataFrame(
        {"force": ["Kent"], "offence": ["Sexual grooming"], "Offences": [3], "n": [100_000]}
    )
    with pytest.raises(groomstats.DataFormatError, match="did you mean 'Offences'"):
        groomstats.rates(frame, by=["force"], denominator="n")

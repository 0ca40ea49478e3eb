"""Force names copied from web pages and PDFs: invisible format characters (zero-width space,
soft hyphen, byte order mark, left-to-right mark) and letters of other scripts that look like
Latin ones (Cyrillic 'е'). An invisible character made 'Ke\\u200bnt' an "Unknown force 'Kent'
— did you mean 'Kent'?" (the reader cannot see the difference); a lookalike letter was refused
the same baffling way. Now invisible characters are dropped before matching, and a refused
name says which character is odd. Files are SYNTHETIC.
"""

from __future__ import annotations

import pytest

import groomstats


@pytest.mark.parametrize(
    ("name", "force"),
    [
        ("Ke\u200bnt", "Kent"),
        ("\ufeffGwent", "Gwent"),
        ("Dev\u00adon and Cornwall", "Devon and Cornwall"),
        ("Thames Valley\u200e", "Thames Valley"),
    ],
)
def test_invisible_characters_do_not_change_a_name(name: str, force: str) -> None:
    assert groomstats.match_force(name) == force


def test_a_lookalike_letter_is_refused_and_named() -> None:
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.match_force("K\u0435nt")
    assert str(e.value) == (
        "Unknown force 'K\u0435nt' — did you mean 'Kent'? (the name holds U+0435 CYRILLIC SMALL "
        "LETTER IE at position 2: a character that looks like another or cannot be seen; "
        "retype the name)"
    )


def test_plain_misspellings_are_worded_as_before() -> None:
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.match_force("Thames Vally")
    assert str(e.value) == "Unknown force 'Thames Vally' — did you mean 'Thames Valley'?"


# In a file (read_breakdown's force column): tests/areas/test_hostile_codes.py, one test with
# the force codes.

"""Force names written as other products write them, given to ``rates`` (SYNTHETIC counts).

"London, City of" (the ONS spelling) was refused with no suggestion, since it is far from
"City of London" letter by letter, though ``match_force`` knows it. The refusal stays (the
join is exact), and now names the spelling the population frame uses.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("London, City of", "City of London"),
        ("Devon & Cornwall", "Devon and Cornwall"),
        ("Avon & Somerset Constabulary", "Avon and Somerset"),
        ("Kentt", "Kent"),  # a typo: the nearest name, as before
    ],
)
def test_a_force_written_another_way_is_refused_naming_the_frames_spelling(
    written: str, canonical: str
) -> None:
    df = pl.DataFrame({"force": [written], "financial_year": ["2017/18"], "offences": [2]})
    with pytest.raises(groomstats.UnknownAreaError) as e:
        groomstats.rates(df)
    assert f"'{written}' (did you mean '{canonical}'?)" in str(e.value)
    # the fix as code that runs (match_forces gives a frame; its 'force' column the names)
    assert "df.with_columns(force=groomstats.match_forces(df['force'])['force'])" in str(e.value)


def test_the_fix_the_message_gives_works() -> None:
    df = pl.DataFrame(
        {"force": ["London, City of"], "financial_year": ["2017/18"], "offences": [2]}
    )
    fixed = df.with_columns(force=groomstats.match_forces(df["force"])["force"])
    out = groomstats.rates(fixed)
    # ONS mid-2017 children in the City of London (shipped): 1,254; 2 offences, flagged
    assert out.select("force", "population", "flag").row(0) == ("City of London", 1254, True)

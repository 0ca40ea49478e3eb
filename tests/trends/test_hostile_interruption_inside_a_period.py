"""An interruption dated inside a period (SYNTHETIC counts built here).

``interrupted(at="2020-05-15")`` on quarterly data counted April-June 2020 (44 days before the
interruption, 47 after) as wholly before it, and financial years with ``at="2021-01-01"``
counted 2020/21 (275 days before, 90 after) the same way, with nothing in the output to say
so. The rule is kept (a period is after ``at`` only from its first day, as documented), and
a ``note`` now names the mixed period, its days either side and the dates that avoid it.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats


def _quarterly() -> pl.DataFrame:
    rows = [(f"{y}/{(y + 1) % 100:02d}", q) for y in range(2018, 2023) for q in (1, 2, 3, 4)]
    return pl.DataFrame(
        {
            "financial_year": [r[0] for r in rows],
            "quarter": [r[1] for r in rows],
            "offences": [100 + 5 * i for i in range(len(rows))],  # synthetic
        }
    )


def _annual() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "financial_year": [f"{y}/{(y + 1) % 100:02d}" for y in range(2018, 2024)],
            "offences": [100, 110, 121, 150, 160, 170],  # synthetic
        }
    )


def test_a_quarter_holding_the_interruption_is_named() -> None:
    row = groomstats.interrupted(_quarterly(), at="2020-05-15", quarter="quarter").row(
        0, named=True
    )
    # 1 April to 14 May 2020 is 30 + 14 = 44 days; 15 May to 30 June is 17 + 30 = 47 days
    assert (row["n_pre"], row["n_post"]) == (9, 11)
    assert row["note"] == (
        "at=2020-05-15 falls inside 2020/21 Q1 (2020-04-01 to 2020-06-30): that period mixes "
        "44 day(s) before the interruption with 47 after it and is counted before it; put at= "
        "on a period's first day (2020-04-01 or 2020-07-01) to have no mixed period"
    )
    assert row["level_change"] is not None and row["reason"] is None


def test_a_financial_year_holding_the_interruption_is_named() -> None:
    row = groomstats.interrupted(_annual(), at="2021-01-01").row(0, named=True)
    # 1 April 2020 to 31 December 2020: 275 days; January to March 2021: 90 days
    assert (row["n_pre"], row["n_post"]) == (3, 3)
    assert row["note"].startswith(
        "at=2021-01-01 falls inside 2020/21 (2020-04-01 to 2021-03-31): that period mixes "
        "275 day(s) before the interruption with 90 after it"
    )


@pytest.mark.parametrize("at", ["2020-04-01", "2020-07-01"])
def test_an_interruption_on_a_first_day_has_no_note(at: str) -> None:
    out = groomstats.interrupted(_quarterly(), at=at, quarter="quarter")
    assert out["note"].to_list() == [None]

"""change(by="force") with a total row among the forces (found by hostile testing): the summed
comparator added "England and Wales" to its own parts, doubling the national change's counts.

Hand-made counts (not published figures); each sum worked by hand.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError

YEARS = {
    "2017/18": (date(2017, 4, 1), date(2018, 3, 31)),
    "2018/19": (date(2018, 4, 1), date(2019, 3, 31)),
}


def _frame(rows: list[tuple[str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(f, *YEARS[y], n) for f, y, n in rows],
        schema=["force", "period_start", "period_end", "offences"],
        orient="row",
    )


FORCES = [("Kent", "2017/18", 10), ("Kent", "2018/19", 20), ("Essex", "2017/18", 30)]
FORCES += [("Essex", "2018/19", 30)]


def test_the_forces_alone_compare_as_by_hand() -> None:
    c = groomstats.change(_frame(FORCES), current="2018/19", by="force")
    # comparator: 20 + 30 = 50 against 10 + 30 = 40, +25%
    assert c["national_current"].unique().to_list() == [50]
    assert c["national_baseline"].unique().to_list() == [40]
    assert c["national_pct_change"].unique().to_list() == [pytest.approx(25.0)]


def test_a_total_row_among_the_forces_is_refused() -> None:
    total = [("England and Wales", "2017/18", 40), ("England and Wales", "2018/19", 50)]
    with pytest.raises(DataFormatError) as info:
        groomstats.change(_frame(FORCES + total), current="2018/19", by="force")
    msg = str(info.value)
    assert msg.startswith("change(): column 'force' holds 'England and Wales' (row 4)")
    assert "count their figures twice" in msg


def test_with_a_national_frame_nothing_is_summed_and_the_row_is_its_own() -> None:
    """Against a given national series the forces are not summed: the total row is just a
    row of the table (compared with the national frame like any other)."""
    total = [("England and Wales", "2017/18", 40), ("England and Wales", "2018/19", 50)]
    national = _frame(total).drop("force")
    c = groomstats.change(_frame(FORCES + total), current="2018/19", by="force", against=national)
    row = c.filter(pl.col("force") == "England and Wales").row(0, named=True)
    assert (row["current"], row["baseline"], row["national_current"]) == (50, 40, 50)

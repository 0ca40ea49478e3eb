"""totals() on a frame whose ``force`` column would count figures twice (found by hostile
testing; nothing here is read through read_prc, which matches names itself):

* one force in two spellings (``Devon & Cornwall`` and ``Devon and Cornwall``): by force it
  was split in two incomplete groups, and a quarter given under both spellings was summed
  twice into the national total, still labelled as if each force were counted once;
* a total row among the forces (``Total``, ``England and Wales``, a region's name): added to
  its own parts in a national, region or whole total (220 for forces summing to 110).

The counts are small hand-made numbers; each expected total is worked by hand.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError

Q = {
    1: (date(2017, 4, 1), date(2017, 6, 30)),
    2: (date(2017, 7, 1), date(2017, 9, 30)),
    3: (date(2017, 10, 1), date(2017, 12, 31)),
    4: (date(2018, 1, 1), date(2018, 3, 31)),
}


def _frame(rows: list[tuple[str, int, int]]) -> pl.DataFrame:
    """(force, quarter of 2017/18, count) rows, region from the force reference."""
    regions = dict(groomstats.forces().select("force", "region").iter_rows())
    out = [(f, *Q[q], regions[groomstats.match_force(f)], n) for f, q, n in rows]
    return pl.DataFrame(
        out,
        schema=["force", "period_start", "period_end", "region", "offences"],
        orient="row",
    )


KENT = [("Kent", q, q) for q in (1, 2, 3, 4)]  # 1 + 2 + 3 + 4 = 10
ESSEX = [("Essex", q, 10 * q) for q in (1, 2, 3, 4)]  # 10 + 20 + 30 + 40 = 100


def test_the_clean_frame_sums_as_by_hand() -> None:
    t = groomstats.totals(_frame(KENT + ESSEX), by="national", window="2017/18")
    assert t.select("national", "offences", "complete").rows() == [
        ("2 forces: Essex, Kent", 110, True)
    ]


@pytest.mark.parametrize("by", ["national", "force", "region", None])
def test_one_force_in_two_spellings_is_refused(by: str | None) -> None:
    devon = [("Devon & Cornwall", 1, 5), ("Devon and Cornwall", 1, 5)]  # Q1 under both
    with pytest.raises(DataFormatError) as info:
        groomstats.totals(_frame(KENT + ESSEX + devon), by=by, window="2017/18")
    msg = str(info.value)
    assert "names one force in 2 spellings, 'Devon & Cornwall' (row 8) and " in msg
    assert "'Devon and Cornwall' (row 9), both Devon and Cornwall" in msg
    assert "Write one spelling" in msg


def test_two_spellings_in_different_quarters_are_refused_too() -> None:
    """Q1 as 'Devon & Cornwall', Q2-Q4 as 'Devon and Cornwall': by force it would be two
    incomplete forces (5, and 6 + 7 + 8) instead of one with 26."""
    devon = [("Devon & Cornwall", 1, 5)] + [("Devon and Cornwall", q, 4 + q) for q in (2, 3, 4)]
    with pytest.raises(DataFormatError, match="one force in 2 spellings"):
        groomstats.totals(_frame(devon), by="force", window="2017/18")
    # written once, the force is whole: 5 + 6 + 7 + 8 = 26
    one = [("Devon and Cornwall", q, n) for q, n in ((1, 5), (2, 6), (3, 7), (4, 8))]
    t = groomstats.totals(_frame(one), by="force", window="2017/18")
    assert t.select("force", "offences", "complete").rows() == [("Devon and Cornwall", 26, True)]


@pytest.mark.parametrize("name", ["Total", "England and Wales", "ENGLAND & WALES", "South East"])
@pytest.mark.parametrize("by", ["national", "region", None])
def test_a_total_row_among_the_forces_is_refused_when_summed(name: str, by: str | None) -> None:
    total = [(name, q, q + 10 * q) for q in (1, 2, 3, 4)]  # Kent + Essex again: 110
    frame = _frame(KENT + ESSEX).vstack(
        pl.DataFrame(
            [(name, *Q[q], "South East", n) for _, q, n in total],
            schema=_frame(KENT).schema,
            orient="row",
        )
    )
    with pytest.raises(DataFormatError) as info:
        groomstats.totals(frame, by=by, window="2017/18")
    msg = str(info.value)
    assert f"column 'force' holds '{name}' (row 8), a total or an area, not a force" in msg
    assert "count their figures twice" in msg


def test_by_force_a_total_row_is_its_own_visible_group() -> None:
    """Not summed with the forces, so not refused: the row shows as what it is."""
    frame = _frame(KENT).vstack(
        pl.DataFrame(
            [("Total", *Q[q], None, q) for q in (1, 2, 3, 4)],
            schema=_frame(KENT).schema,
            orient="row",
        )
    )
    t = groomstats.totals(frame, by="force", window="2017/18")
    assert t.select("force", "offences").rows() == [("Kent", 10), ("Total", 10)]


def test_west_midlands_is_a_force_as_well_as_a_region() -> None:
    """A region's name is refused only when it is no force's: West Midlands Police sums."""
    wm = [("West Midlands", q, 100) for q in (1, 2, 3, 4)]
    t = groomstats.totals(_frame(KENT + wm), by="national", window="2017/18")
    assert t["offences"].to_list() == [410]  # 10 + 4 x 100


def test_pandas_and_lazy_frames_are_checked_alike() -> None:
    devon = [("Devon & Cornwall", 1, 5), ("Devon and Cornwall", 2, 5)]
    frame = _frame(KENT + devon)
    with pytest.raises(DataFormatError, match="one force in 2 spellings"):
        groomstats.totals(frame.to_pandas(), by="national", window="2017/18")
    with pytest.raises(DataFormatError, match="one force in 2 spellings"):
        groomstats.totals(frame.lazy(), by="national", window="2017/18")
    total = _frame(KENT).to_pandas()
    total.loc[len(total)] = ["Total", pd.Timestamp(Q[1][0]), pd.Timestamp(Q[1][1]), None, 1]
    with pytest.raises(DataFormatError, match="holds 'Total'"):
        groomstats.totals(total, by="national", window="2017/18")


def test_count_records_refuses_one_force_in_two_spellings() -> None:
    """Record-level rows: 'Kent' and 'Kent Police' were counted as two forces (1 and 1)
    instead of Kent's 2."""
    recs = pl.DataFrame(
        {"date": [date(2017, 4, 3), date(2017, 5, 1)], "force": ["Kent", "Kent Police"]}
    )
    with pytest.raises(DataFormatError, match="2 spellings, 'Kent' and 'Kent Police', both Kent"):
        groomstats.count_records(recs, date="date", by="force")
    with pytest.raises(DataFormatError, match="both Kent"):
        groomstats.count_records(recs.to_pandas(), by="force")  # no dates: rows per force
    one = recs.with_columns(pl.lit("Kent").alias("force"))
    assert groomstats.count_records(one, date="date", by="force")["offences"].to_list() == [2]

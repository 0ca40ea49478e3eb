"""The short cut of shares() for groups in runs looks for unknown and total labels only among the
rows whose label differs from the label one group-length before (and the first group's rows):
a label's first row is always among them, so a label that first appears in a late group, in
any spelling, still sends the frame the long way. Checked against the long way (the short cut
switched off) and hand-worked unknown counts. Frames synthetic, written here."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats
from groomstats import proportions

LABELS = ["Snapchat", "Kik", "Instagram"]


def _frame(groups: list[list[tuple[str, int]]]) -> pl.DataFrame:
    rows = [
        (f"force {g}", "2023/24", "platform", label, n, False)
        for g, cells in enumerate(groups)
        for label, n in cells
    ]
    return pl.DataFrame(
        rows,
        schema=["force", "period", "category", "value", "offences", "suppressed"],
        orient="row",
    )


def _same_both_ways(df: pl.DataFrame) -> pl.DataFrame:
    short = groomstats.shares(df, "platform", by=["force", "period"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(proportions, "_CONTIGUOUS", False)
        long_way = groomstats.shares(df, "platform", by=["force", "period"])
    assert_frame_equal(short, long_way)
    return short


def _plain(g: int) -> list[tuple[str, int]]:
    return [(label, 10 * g + k + 1) for k, label in enumerate(LABELS)]


@pytest.mark.parametrize(
    ("late", "where"),
    [
        ("Not recorded", 5),  # only in the last group, last row
        ("  UNKNOWN ", 2),  # another spelling, in a middle group
        ("not known", 0),  # in the first group
    ],
)
def test_an_unknown_label_first_seen_late_is_left_out(late: str, where: int) -> None:
    groups = [_plain(g) for g in range(6)]
    groups[where][2] = (late, 7)  # replaces Instagram in that group
    out = _same_both_ways(_frame(groups))
    row = out.filter(pl.col("force") == f"force {where}")
    assert row["unknown"].to_list() == [7, 7]  # hand-worked: the 7 offences left out
    assert row["denominator"].to_list() == [(10 * where + 1) + (10 * where + 2)] * 2
    assert late not in out["platform"].to_list()


@pytest.mark.parametrize("total", ["Total", "TOTAL ", " grand total"])
def test_a_total_label_first_seen_late_is_refused_both_ways(total: str) -> None:
    groups = [_plain(g) for g in range(6)]
    groups[4].append((total, 99))
    df = _frame(groups)
    for contiguous in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(proportions, "_CONTIGUOUS", contiguous)
            with pytest.raises(groomstats.GroomstatsError, match="is a total"):
                groomstats.shares(df, "platform", by=["force", "period"])


def test_groups_of_different_lengths_and_orders() -> None:
    """Irregular groups: the step is the first group's length (3), which matches nothing in
    particular later; every label is still found, and the answer is the long way's."""
    groups = [
        _plain(0),
        [("Kik", 4), ("Snapchat", 9)],
        [("Instagram", 2), ("WhatsApp", 5), ("Kik", 1), ("Snapchat", 3)],
        [("Facebook", 6)],
        [("Snapchat", 1), ("No method recorded", 8), ("Kik", 2)],
    ]
    out = _same_both_ways(_frame(groups))
    assert out.filter(pl.col("force") == "force 4")["unknown"].to_list() == [8, 8]
    assert set(out["platform"].to_list()) == {*LABELS, "WhatsApp", "Facebook"}

"""Rows their provider marks incomplete (``complete=False``) in totals and changes (SYNTHETIC
counts built here, laid out as the NSPCC FOI series of the Welsh forces: one force's first
year covers six months only).

``trend()`` leaves out a row marked ``complete=False``; ``totals()`` and ``change()`` summed it
as a whole period: a force whose 2017/18 figure covered six months read "up 116%" in
2018/19 with ``baseline_complete=True``, and the comparator summed it too. Such a row now
makes its window incomplete (``partial_rows``), its change says so, and the like-for-like
comparator leaves its area out.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats


def _series() -> pl.DataFrame:
    """SYNTHETIC: four forces, 2017/18 and 2018/19; A's 2017/18 figure is a part year."""
    return pl.DataFrame(
        {
            "force": ["A", "A", "B", "B", "C", "C", "D", "D"],
            "financial_year": ["2017/18", "2018/19"] * 4,
            "offences": [19, 41, 44, 26, 53, 103, 158, 140],
            "complete": [False, True, True, True, True, True, True, True],
        }
    )


def test_totals_say_which_rows_are_marked_incomplete() -> None:
    out = groomstats.totals(_series(), by="force", window="2017/18")
    assert out.select("force", "offences", "complete", "partial_rows").rows() == [
        ("A", 19, False, 1),
        ("B", 44, True, 0),
        ("C", 53, True, 0),
        ("D", 158, True, 0),
    ]
    whole = groomstats.totals(_series(), window="2017/18").row(0, named=True)
    # 19 + 44 + 53 + 158 = 274, summed and shown, but not complete
    assert (whole["offences"], whole["complete"], whole["partial_rows"]) == (274, False, 1)
    assert whole["incomplete_areas"] == "A (1 row(s) marked complete=False)"


def test_a_change_from_a_part_year_is_flagged_and_left_out_of_the_comparator() -> None:
    out = groomstats.change(_series(), current="2018/19", by="force")
    a = out.row(0, named=True)
    assert (a["current"], a["baseline"]) == (41, 19)
    assert (a["current_complete"], a["baseline_complete"]) == (True, False)
    assert a["note"].startswith(
        "incomplete window: 2017/18: 1 row(s) marked complete=False (a part-period figure) "
        "(totals() gives the coverage)"
    )
    # like-for-like comparator: B, C and D only, 26 + 103 + 140 = 269 against 44 + 53 + 158
    assert out["comparator"].unique().to_list() == ["3 forces: B, C, D"]
    assert (a["national_current"], a["national_baseline"]) == (269, 255)
    assert a["national_pct_change"] == pytest.approx(100 * (269 - 255) / 255)


def test_a_frame_without_the_column_is_unchanged() -> None:
    out = groomstats.totals(_series().drop("complete"), by="force", window="2017/18")
    assert "partial_rows" not in out.columns
    assert out["complete"].to_list() == [True, True, True, True]

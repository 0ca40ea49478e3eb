"""The note of an incomplete window spells out what it misses, in full (synthetic quarterly
counts generated below; survivors of the Python mutation run, mutants/SURVIVORS.md)."""

from __future__ import annotations

from datetime import date

import polars as pl

import groomstats

QUARTERS = ((4, 1, 6, 30), (7, 1, 9, 30), (10, 1, 12, 31), (1, 1, 3, 31))


def _quarters(years: tuple[int, ...] = (2018, 2019)) -> pl.DataFrame:
    """Synthetic: Kent, 10 offences in every quarter of the financial years given."""
    rows = []
    for fy in years:
        for m1, d1, m2, d2 in QUARTERS:
            y = fy + (m1 < 4)
            rows.append(
                {
                    "force": "Kent",
                    "period_start": date(y, m1, d1),
                    "period_end": date(y, m2, d2),
                    "offences": 10,
                }
            )
    return pl.DataFrame(rows)


def test_note_lists_missing_quarters_and_blank_cells() -> None:
    df = _quarters().with_columns(
        # 2018/19 Q2 published as N/a; 2019/20 Q4 not in the file
        pl.when(pl.col("period_start") == date(2018, 7, 1))
        .then(None)
        .otherwise(pl.col("offences"))
        .alias("offences")
    )
    df = df.filter(pl.col("period_start") != date(2020, 1, 1))
    c = groomstats.change(df, "2019/20", by="force").row(0, named=True)
    assert (c["current"], c["baseline"]) == (30, 30)
    assert c["note"].startswith(
        "incomplete window: 2019/20: 3 of 4 quarters with figures; 2018/19: 3 of 4 quarters "
        "with figures, 1 cell(s) N/a, blank or suppressed (left out, not counted as 0) "
        "(totals() gives the coverage)"
    )


def test_note_counts_days_without_figures() -> None:
    for end, days in ((date(2020, 3, 30), 1), (date(2020, 3, 29), 2)):
        df = pl.DataFrame(
            {
                "force": ["Kent", "Kent"],
                "period_start": [date(2018, 4, 1), date(2019, 4, 1)],
                "period_end": [date(2019, 3, 31), end],
                "offences": [10, 12],
            }
        )
        note = groomstats.change(df, "2019/20", by="force")["note"][0]
        assert note.startswith(
            f"incomplete window: 2019/20: {days} day(s) without figures (totals() gives the "
            "coverage)"
        ), note


def test_a_complete_window_has_no_gap_note() -> None:
    c = groomstats.change(_quarters(), "2019/20", by="force")
    assert c["current_complete"][0] and c["baseline_complete"][0]
    assert "incomplete" not in c["note"][0] and "without figures" not in c["note"][0]


def test_a_blank_cell_beside_a_figure_is_named_alone() -> None:
    """A quarter with two rows (two offence codes), one blank: the quarter has figures, one
    cell does not."""
    df = _quarters().with_columns(offence_code=pl.lit("88A"))
    blank = df.filter(pl.col("period_start") == date(2018, 7, 1)).with_columns(
        offences=pl.lit(None, pl.Int64), offence_code=pl.lit("88E")
    )
    c = groomstats.change(pl.concat([df, blank]), "2019/20", by="force").row(0, named=True)
    assert (c["baseline"], c["baseline_complete"]) == (40, False)
    assert c["note"].startswith(
        "incomplete window: 2018/19: 1 cell(s) N/a, blank or suppressed (left out, not "
        "counted as 0) (totals() gives the coverage)"
    )

"""shares() takes short cuts on large frames (one row per cell: no group-by; no note needed: no
strings built; sorted on a group number, not the text keys): the short cuts must give exactly
what the long way gives."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats.exceptions import DataFormatError


def _frame(rng: np.random.Generator, forces: int) -> pl.DataFrame:
    """Synthetic breakdown: every force x period x platform once (labelled synthetic)."""
    platforms = ["Snapchat", "Instagram", "WhatsApp", "Unknown"]
    rows = [
        (f"force {f:02d}", p, v)
        for f in range(forces)
        for p in ("2024/25", "2023/24")
        for v in platforms
    ]
    rng.shuffle(rows)  # not in the output's order
    n = len(rows)
    return pl.DataFrame(
        {
            "force": [r[0] for r in rows],
            "period": [r[1] for r in rows],
            "category": "platform",
            "value": [r[2] for r in rows],
            "offences": rng.integers(0, 40, n),
            "suppressed": np.zeros(n, dtype=bool),
        }
    )


def test_one_row_per_cell_matches_split_cells() -> None:
    """A cell split into two rows is refused (the lead's call, 30 November 10:20: the same
    force, period and platform twice cannot be told from a figure stacked twice, which summing
    would count twice); the one-row frame still gives its shares with no note."""
    rng = np.random.default_rng(5)
    df = _frame(rng, 12)
    whole = groomstats.shares(df, "platform", by=["force", "period"])
    first = df.row(0, named=True)
    part = first["offences"] // 3
    split = pl.concat(
        [
            df.slice(1),
            pl.DataFrame(
                [{**first, "offences": part}, {**first, "offences": first["offences"] - part}]
            ),
        ],
        how="vertical_relaxed",
    )
    last = split.height - 1  # the two parts are the last two rows
    with pytest.raises(DataFormatError, match=rf"appears 2 times \(rows {last - 1}, {last} of"):
        groomstats.shares(split, "platform", by=["force", "period"])
    assert whole["note"].null_count() == whole.height  # no row needed a note
    assert whole.schema["note"] == pl.String


def test_order_and_limits_against_statsmodels() -> None:
    rng = np.random.default_rng(6)
    df = _frame(rng, 30)
    s = groomstats.shares(df, "platform", by=["force", "period"])
    # sorted by force, period (as text), then offences largest first; ties keep input order
    keyed = s.select("force", "period", pl.col("offences").neg())
    assert keyed.rows() == sorted(keyed.rows())
    assert s.height == df.filter(pl.col("value") != "Unknown").height
    # the denominator is the sum of the recorded platforms of the force and period
    den = (
        df.filter(pl.col("value") != "Unknown")
        .group_by("force", "period")
        .agg(pl.col("offences").sum().alias("expected"))
    )
    joined = s.join(den, on=["force", "period"])
    assert (joined["denominator"] == joined["expected"]).all()
    unk = df.filter(pl.col("value") == "Unknown").select("force", "period", u=pl.col("offences"))
    assert (
        s.join(unk, on=["force", "period"]).select(pl.col("unknown") == pl.col("u")).to_series()
    ).all()
    x = s["offences"].to_numpy().astype(float)
    n = s["denominator"].to_numpy().astype(float)
    ok = n > 0
    lo, hi = proportion_confint(x[ok], n[ok], alpha=0.002, method="wilson")
    np.testing.assert_allclose(s["lower_99_8"].to_numpy()[ok], 100 * lo, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s["upper_99_8"].to_numpy()[ok], 100 * hi, rtol=1e-12, atol=1e-12)


def test_a_null_key_gets_no_denominator_on_both_paths() -> None:
    df = pl.DataFrame(
        {
            "force": ["A", "A", None, None],
            "category": "platform",
            "value": ["Snapchat", "Instagram", "Snapchat", "Instagram"],
            "offences": [6, 4, 3, 1],
            "suppressed": False,
        }
    )
    s = groomstats.shares(df, "platform", by="force")
    assert s["force"].to_list() == [None, None, "A", "A"]  # nulls first, as polars sorts
    assert s["denominator"].to_list() == [None, None, 10, 10]
    assert s["note"].to_list()[:2] == ["no denominator for this group"] * 2
    # the group-by path: force A's Snapchat in two periods, pooled by force (6 + 0); the same
    # cell twice (no period to tell the rows apart) is refused since the lead's call of
    # 30 November 10:20, so the second period is what sends the frame that way now
    periods = df.with_columns(period=pl.lit("2023/24"))
    pooled = pl.concat(
        [
            periods,
            periods.head(1).with_columns(offences=pl.lit(0, pl.Int64), period=pl.lit("2024/25")),
        ]
    )
    assert_frame_equal(groomstats.shares(pooled, "platform", by="force"), s)
    dup = pl.concat([df, df.head(1).with_columns(offences=pl.lit(0, pl.Int64))])
    with pytest.raises(DataFormatError, match=r"force 'A', value 'Snapchat' appears 2 times"):
        groomstats.shares(dup, "platform", by="force")

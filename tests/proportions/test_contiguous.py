"""shares() on a frame whose by groups sit in runs of rows (as breakdown tables are written)
takes a short cut: the groups are the runs, no group-by or join on the text keys. The short cut
must give exactly what the long way gives (same frame, same errors) on every frame, including
the ones it hands back to the long way. Frames are synthetic, generated here."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats
from groomstats import proportions

#: the ``both_ways`` fixture (conftest.py): a shares() call with the short cut and the long way
BothWays = Callable[[Callable[[], pl.DataFrame]], tuple[object, object]]

PLATFORMS = ["Snapchat", "Instagram", "WhatsApp", "Facebook", "Kik"]


def _frame(rng: np.random.Generator, groups: int, twist: str) -> pl.DataFrame:
    """Synthetic breakdown, every group's rows together; ``twist`` bends one thing."""
    rows = []
    for g in range(groups):
        force, period = f"force {g // 3:02d}", f"20{17 + g % 3}/{18 + g % 3}"
        k = int(rng.integers(1, len(PLATFORMS) + 1))
        for v in rng.permutation(PLATFORMS)[:k]:
            rows.append((force, period, "platform", str(v), int(rng.integers(0, 30)), False))
    df = pl.DataFrame(
        rows,
        schema=["force", "period", "category", "value", "offences", "suppressed"],
        orient="row",
    )
    n = df.height
    pick = int(rng.integers(0, n))
    if twist == "shuffled":  # groups scattered: the long way
        df = df.sample(fraction=1.0, shuffle=True, seed=int(rng.integers(0, 1000)))
    elif twist == "split run":  # one group's rows in two runs
        df = pl.concat([df, df.slice(0, 1).with_columns(value=pl.lit("Other"))])
    elif twist == "twice":  # a category twice in its group: refused both ways (the same error)
        df = pl.concat([df.slice(0, pick + 1), df.slice(pick, n - pick)])
    elif twist == "null count":
        df = df.with_columns(
            offences=pl.when(pl.int_range(pl.len()) == pick).then(None).otherwise("offences")
        )
    elif twist == "negative":
        df = df.with_columns(
            offences=pl.when(pl.int_range(pl.len()) == pick).then(-1).otherwise("offences")
        )
    elif twist == "suppressed":
        df = df.with_columns(
            suppressed=pl.int_range(pl.len()) == pick,
            offences=pl.when(pl.int_range(pl.len()) == pick).then(None).otherwise("offences"),
        )
    elif twist == "unknown":
        df = df.with_columns(
            value=pl.when(pl.int_range(pl.len()) == pick).then(pl.lit("Not recorded"))
            .otherwise("value")
        )  # fmt: skip
    elif twist == "total":
        df = df.with_columns(
            value=pl.when(pl.int_range(pl.len()) == pick).then(pl.lit("Total")).otherwise("value")
        )
    elif twist == "zeros":  # a group with no offences at all: no share
        df = df.with_columns(
            offences=pl.when(pl.col("force") == "force 00").then(0).otherwise("offences")
        )
    elif twist == "other category":  # rows of another breakdown between the runs
        other = df.with_columns(category=pl.lit("age_band"), value=pl.lit("13-15"))
        df = pl.concat([df, other]).sort("force", maintain_order=True)
    elif twist == "null category":
        df = df.with_columns(
            category=pl.when(pl.int_range(pl.len()) == pick).then(None).otherwise("category")
        )
    elif twist == "null key":
        df = df.with_columns(
            force=pl.when(pl.int_range(pl.len()) == pick).then(None).otherwise("force")
        )
    elif twist == "categorical":
        df = df.with_columns(pl.col("force", "value").cast(pl.Categorical))
    elif twist == "int32":
        df = df.with_columns(pl.col("offences").cast(pl.Int32))
    elif twist == "int key":
        df = df.with_columns(pl.col("period").str.slice(0, 4).cast(pl.Int64))
    return df


TWISTS = [
    "none",
    "shuffled",
    "split run",
    "twice",
    "null count",
    "negative",
    "suppressed",
    "unknown",
    "total",
    "zeros",
    "other category",
    "null category",
    "null key",
    "categorical",
    "int32",
    "int key",
]


@pytest.mark.parametrize("twist", TWISTS)
def test_the_short_cut_gives_what_the_long_way_gives(twist: str, both_ways: BothWays) -> None:
    for seed in range(4):
        rng = np.random.default_rng(seed)
        df = _frame(rng, 30, twist)
        for by in (["force", "period"], "force", ["period", "force"]):
            short, long_way = both_ways(partial(groomstats.shares, df, "platform", by=by))
            if isinstance(short, pl.DataFrame):
                assert isinstance(long_way, pl.DataFrame), long_way
                assert_frame_equal(short, long_way)
            else:
                assert short == long_way


def test_a_renamed_count_and_one_level(both_ways: BothWays) -> None:
    df = _frame(np.random.default_rng(9), 20, "none").rename({"offences": "n"})
    short, long_way = both_ways(
        lambda: groomstats.shares(df, by=["force", "period"], count="n", confidence=0.9, per=1)
    )
    assert isinstance(short, pl.DataFrame) and isinstance(long_way, pl.DataFrame)
    assert_frame_equal(short, long_way)


def test_the_short_cut_is_taken_on_a_plain_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The short cut answers on a table in runs (the long way is never reached) and gives the
    denominators as sums over the group, the rows ordered by force, period, then offences."""
    df = pl.DataFrame(
        {
            "force": ["B", "B", "B", "A", "A"],
            "period": ["2023/24"] * 5,
            "category": "platform",
            "value": ["Snapchat", "Kik", "Instagram", "Kik", "Snapchat"],
            "offences": [5, 9, 1, 3, 3],
            "suppressed": False,
        }
    )

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("the long way was taken on a table in runs")

    monkeypatch.setattr(proportions, "_cells", refuse)
    out = groomstats.shares(df, "platform", by=["force", "period"])
    assert out.select("force", "platform", "offences", "denominator").rows() == [
        ("A", "Kik", 3, 6),
        ("A", "Snapchat", 3, 6),
        ("B", "Kik", 9, 15),
        ("B", "Snapchat", 5, 15),
        ("B", "Instagram", 1, 15),
    ]
    assert out["value"].to_list() == pytest.approx([50, 50, 60, 100 / 3, 100 / 15])

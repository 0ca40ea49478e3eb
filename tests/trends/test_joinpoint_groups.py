"""Joinpoint per group is reproducible on its own (issue 12, item 3): each group's permutations
and resamples are seeded from ``seed`` and a stable hash of the group's key, so adding,
removing, renaming or reordering other groups never changes a group's result.

Synthetic series (generated below, labelled synthetic).
"""

from __future__ import annotations

import hashlib

import numpy as np
import polars as pl
from polars.testing import assert_frame_equal

import groomstats
from groomstats.trends._joinpoint import group_keys

YEARS = list(range(2018, 2032))


def _group(name: str, k: int) -> pl.DataFrame:
    """A rise then a fall with some noise (synthetic), different per k."""
    rng = np.random.default_rng(k)
    base = np.r_[np.linspace(50, 120, 8), np.linspace(115, 80, 6)]
    values = np.round(base * (1 + 0.06 * rng.standard_normal(len(base))))
    return pl.DataFrame({"force": name, "year": YEARS, "offences": values.astype(np.int64)})


TARGET = _group("Kent", 1)
OTHERS = [_group("Essex", 2), _group("Surrey", 3), _group("Sussex", 4)]


def _fit(frame: pl.DataFrame) -> groomstats.trends.JoinpointResult:
    return groomstats.joinpoint(
        frame,
        by="force",
        time="year",
        max_joins=2,
        n_permutations=199,
        seed=2000,
        ci="empirical",
        n_resamples=60,
    )


def _kent(res: groomstats.trends.JoinpointResult) -> list[pl.DataFrame]:
    kent = pl.col("force") == "Kent"
    return [res.aapc.filter(kent), res.tests.filter(kent), res.segments.filter(kent)]


def test_a_groups_result_does_not_depend_on_the_other_groups() -> None:
    alone = _kent(_fit(TARGET))
    assert alone[1].height >= 1  # permutation tests were run: the seeding matters
    frames = {
        "among others": pl.concat([*OTHERS, TARGET]),
        "others reordered": pl.concat([TARGET, *reversed(OTHERS)]),
        "one removed": pl.concat([OTHERS[0], TARGET]),
        "another renamed": pl.concat(
            [OTHERS[0].with_columns(force=pl.lit("Avon and Somerset")), TARGET, *OTHERS[1:]]
        ),
        "another added": pl.concat([*OTHERS, TARGET, _group("Zetland", 9)]),
    }
    for what, frame in frames.items():
        got = _kent(_fit(frame))
        for a, b in zip(alone, got, strict=True):
            try:
                assert_frame_equal(a, b)
            except AssertionError as e:
                raise AssertionError(f"Kent's result changed with {what}: {e}") from None


def test_the_seed_still_matters_and_the_key_hash_is_stable() -> None:
    a = groomstats.joinpoint(TARGET, by="force", time="year", max_joins=2, n_permutations=99)
    b = groomstats.joinpoint(
        TARGET, by="force", time="year", max_joins=2, n_permutations=99, seed=7
    )
    assert a.tests["pvalue"].to_list() != b.tests["pvalue"].to_list()
    # BLAKE2b of the key text, not Python's per-process hash()
    want = int.from_bytes(hashlib.blake2b(b"'Kent'", digest_size=8).digest(), "little")
    assert group_keys(pl.DataFrame({"force": ["Essex", "Kent"]}))[1] == want

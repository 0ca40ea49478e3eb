"""``_core.order_within_groups`` (the row order shares() uses) against polars' own sort."""

from __future__ import annotations

import numpy as np
import polars as pl

from groomstats import _core


def test_matches_a_stable_polars_sort_within_groups() -> None:
    rng = np.random.default_rng(12)  # synthetic groups and values (labelled synthetic)
    sizes = rng.integers(0, 12, 3_000)
    n = int(sizes.sum())
    values = rng.integers(0, 6, n).astype(np.float64)  # many ties
    values[rng.random(n) < 0.05] = np.nan
    missing = rng.random(n) < 0.1
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    group = np.repeat(np.arange(sizes.size), sizes)
    frame = pl.DataFrame(
        {"g": group, "v": pl.Series(values).set(pl.Series(missing), None), "i": np.arange(n)}
    )
    for descending in (True, False):
        want = frame.sort(
            ["g", "v"], descending=[False, descending], nulls_last=True, maintain_order=True
        )["i"].to_numpy()
        got = _core.order_within_groups(starts, values, missing, descending)
        np.testing.assert_array_equal(got, want)

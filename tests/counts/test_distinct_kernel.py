"""``_core.all_distinct``: the repeated-row check's core (are all row hashes distinct?) against
numpy's ``unique`` on generated (synthetic) hash arrays, and through ``totals`` on a frame large
enough to take the kernel's partitioned path."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError, _core


@pytest.mark.parametrize("n", [0, 1, 2, 100, 4095, 4096, 5000, 70_000, 300_000])
@pytest.mark.parametrize("spread", [2**64 - 1, 10**6, 1000])
def test_the_kernel_agrees_with_numpy_unique(n: int, spread: int) -> None:
    rng = np.random.default_rng(n + spread % 997)
    h = rng.integers(0, spread, n, dtype=np.uint64, endpoint=True)
    assert _core.all_distinct([h]) == (np.unique(h).size == n)


def test_one_repeat_anywhere_in_many_distinct_hashes_is_found() -> None:
    h = np.arange(1, 500_001, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # distinct
    assert _core.all_distinct([h])
    for i, j in [(0, 1), (10, 65_546), (250_000, 499_999)]:
        g = h.copy()
        g[j] = g[i]
        assert not _core.all_distinct([g])
    zeros = np.zeros(2, dtype=np.uint64)  # the hash 0 (the table's empty mark) twice
    assert not _core.all_distinct([h, zeros])
    assert _core.all_distinct([h, zeros[:1]])


def test_the_chunks_of_a_series_answer_as_the_whole() -> None:
    """A Series of many chunks (as a streaming collect gives) is read chunk by chunk."""
    h = np.arange(1, 200_001, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    s = pl.concat([pl.Series(h[i : i + 30_000]) for i in range(0, h.size, 30_000)], rechunk=False)
    chunks = [c.to_numpy() for c in s.get_chunks()]
    assert len(chunks) == 7 and _core.all_distinct(chunks)
    chunks[6] = chunks[6].copy()
    chunks[6][-1] = chunks[0][0]  # the first hash again in the last chunk
    assert not _core.all_distinct(chunks)
    with pytest.raises(TypeError):
        _core.all_distinct(h)  # type: ignore[arg-type]  # one array: a list is asked for


def test_a_copy_deep_in_a_large_frame_is_refused_naming_both_rows() -> None:
    """120,000 distinct rows (synthetic): summed as polars sums them; row 77,777 given again at
    the end is refused, naming rows 77777 and 120000."""
    n = 120_000
    df = pl.DataFrame(
        {
            "force": pl.Series(["Kent", "Essex", "Surrey"] * (n // 3)),
            "period_start": [date(2017, 4, 1)] * n,
            "period_end": [date(2017, 6, 30)] * n,
            "sub": np.arange(n),
            "offences": np.arange(n) % 7,
        }
    )
    t = groomstats.totals(df, by="force")
    want = df.group_by("force").agg(pl.col("offences").sum())
    got = t.join(want, on="force", suffix="_polars")
    assert got.height == 3 and (got["offences"] == got["offences_polars"]).all()
    with pytest.raises(DataFormatError, match="rows 77777 and 120000 of the frame"):
        groomstats.totals(pl.concat([df, df.slice(77_777, 1)]), by="force")

"""funnel() leaves out areas whose count is incomplete (complete=False), with a reason."""

from __future__ import annotations

import polars as pl
import pytest

import groomstats


def test_incomplete_area_is_out_of_the_target_and_unlabelled() -> None:
    areas = pl.DataFrame(
        {
            "force": ["A", "B", "C", "D"],
            "offences": [60, 35, 110, 2],
            "population": [100_000, 100_000, 300_000, 20_000],
            "complete": [True, True, True, False],
        }
    )
    f = groomstats.funnel(areas)
    # target over the complete areas only, by hand
    assert f["target"][0] == pytest.approx(1e5 * (60 + 35 + 110) / 500_000)
    d = f.row(3, named=True)
    assert d["significance"] is None and d["value"] is None
    assert d["offences"] == 2  # the published count is kept, only not used
    assert d["funnel_reason"].startswith("incomplete count")
    same = groomstats.funnel(areas.head(3).drop("complete"))
    assert f.head(3)["significance"].to_list() == same["significance"].to_list()

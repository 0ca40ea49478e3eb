"""funnel(), funnel_limits() and rank_areas() on a frame naming an area twice (found by hostile
testing): Kent in two rows (two releases stacked) moved the funnel's national target from
22.67 to 25.71 per 100,000 (its offences and children counted twice) and was ranked twice
("3rd" of three forces).

Hand-made counts, not published figures; the targets are worked by hand:
Kent 100 / 300,000, Essex 50 / 250,000, Surrey 20 / 200,000 -> 170 / 750,000 = 22.67 per
100,000; with Kent twice 270 / 1,050,000 = 25.71.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError

AREAS = pl.DataFrame(
    {
        "force": ["Kent", "Essex", "Surrey"],
        "offences": [100, 50, 20],
        "population": [300_000, 250_000, 200_000],
    }
)


def test_one_row_per_area_gives_the_hand_worked_target() -> None:
    f = groomstats.funnel(AREAS)
    assert f["target"].unique().to_list() == [pytest.approx(170 / 750_000 * 100_000)]
    r = groomstats.rank_areas(groomstats.rates(AREAS, denominator="population"))
    assert dict(r.select("force", "rank").iter_rows()) == {"Kent": 1, "Essex": 2, "Surrey": 3}


@pytest.mark.parametrize("second", ["Kent", "Kent Police", "kent "])
def test_an_area_in_two_rows_is_refused(second: str) -> None:
    twice = pl.concat([AREAS, AREAS.head(1).with_columns(pl.lit(second).alias("force"))])
    for fn in (groomstats.funnel, groomstats.funnel_limits):
        with pytest.raises(DataFormatError) as info:
            fn(twice)
        assert "rows 0 and 3 are both Kent (column 'force')" in str(info.value)
        assert "counted twice in the national value" in str(info.value)
    rated = groomstats.rates(twice, denominator="population")
    with pytest.raises(DataFormatError, match=r"rank_areas\(\): rows 0 and 3 are both Kent"):
        groomstats.rank_areas(rated)


def test_ranking_within_groups_allows_an_area_once_per_group() -> None:
    two_years = pl.concat(
        [
            AREAS.with_columns(pl.lit("2022/23").alias("financial_year")),
            AREAS.with_columns(pl.lit("2023/24").alias("financial_year"), pl.col("offences") * 2),
        ]
    )
    rated = groomstats.rates(two_years, denominator="population")
    r = groomstats.rank_areas(rated, by="financial_year")
    assert r.filter(pl.col("force") == "Kent")["rank"].to_list() == [1, 1]
    with pytest.raises(DataFormatError, match="both Kent"):
        groomstats.rank_areas(rated)  # pooled: each force twice
    with pytest.raises(DataFormatError, match="both Kent"):
        groomstats.funnel(two_years)  # one funnel over two years: each force twice

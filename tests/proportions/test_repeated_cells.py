"""The same cell twice (two rows alike in every column but the count, ``suppressed`` and
``total``) is refused by shares() on every path, naming the rows, the cell and the fix: summed,
Snapchat 5 listed twice would give 10 of 13 (HONEST's finding, the lead's call of 30 November
10:20). Rows of different forces, periods or of the other category of a two-way table are
separate cells, and pooling them is what ``by`` asks for: still summed, checked against
statsmodels. Frames synthetic, written here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats import proportions
from groomstats.exceptions import DataFormatError, GroomstatsError


@pytest.mark.parametrize("contiguous", [True, False])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"by": ["force", "period"]},
        {"by": "force"},
        {},  # every row pooled: one force here, so still the same cell twice
        {"by": "period", "groups": {"Meta": ["Instagram"]}},
    ],
)
def test_the_same_cell_twice_is_refused(
    breakdown: Callable[..., pl.DataFrame], contiguous: bool, kwargs: dict[str, Any]
) -> None:
    twice = [("Kent", "Snapchat", 5, False), ("Kent", "Snapchat", 5, False)]
    honest = breakdown([*twice, ("Kent", "Instagram", 3, False)])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(proportions, "_CONTIGUOUS", contiguous)
        with pytest.raises(DataFormatError) as err:
            groomstats.shares(honest, "platform", **kwargs)
    text = str(err.value)
    assert "value 'Snapchat' appears 2 times (rows 0, 1 of the frame" in text
    assert "offences 5, 5" in text and "counted more than once" in text
    assert "data.unique()" in text  # the fix
    assert isinstance(err.value, GroomstatsError)


def test_a_repeated_unknown_or_denominator_row_and_a_suppressed_copy_are_refused(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    unknown = breakdown(
        [
            ("Kent", "Snapchat", 4, False),
            ("Kent", "Unknown", 2, False),
            ("Kent", "Unknown", 2, False),
        ]
    )
    with pytest.raises(DataFormatError, match="value 'Unknown' appears 2 times"):
        groomstats.shares(unknown, "platform", by="force")
    total = breakdown(
        [
            ("Kent", "Snapchat", 4, False),
            ("Kent", "Method recorded", 9, False),
            ("Kent", "Method recorded", 9, False),
        ]
    )
    with pytest.raises(DataFormatError, match="value 'Method recorded' appears 2 times"):
        groomstats.shares(
            total, "platform", by="force", denominator="Method recorded", multi_response=True
        )
    starred = breakdown([("Kent", "Snapchat", None, True), ("Kent", "Snapchat", 6, False)])
    with pytest.raises(
        DataFormatError, match=r"rows 0, 1 of the frame, counting from 0; offences \*, 6"
    ):
        groomstats.shares(starred, "platform", by="force")


def test_cells_of_different_forces_are_pooled_by_period(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """Kent and Essex each list Snapchat 5 and Instagram 3 once: by period, Snapchat is 10 of
    16 (hand-worked), with statsmodels' Wilson limits."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 5, False),
            ("Kent", "Instagram", 3, False),
            ("Essex", "Snapchat", 5, False),
            ("Essex", "Instagram", 3, False),
        ]
    )
    out = groomstats.shares(df, "platform", by="period")
    snap = out.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert (snap["offences"], snap["denominator"]) == (10, 16)
    lo, hi = proportion_confint(10, 16, alpha=0.05, method="wilson")
    assert snap["value"] == pytest.approx(62.5)
    assert (snap["lower_95"], snap["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)


def test_a_two_way_table_pools_the_other_category_but_refuses_a_repeated_cell() -> None:
    """age_band x gender: 13-15 girls 6 and 13-15 boys 2 are two cells of age band 13-15 (8 of
    11 when pooled over gender); 13-15 girls listed twice is one cell twice."""
    df = pl.DataFrame(
        {
            "force": "Kent",
            "period": "2023/24",
            "age_band": ["13-15", "13-15", "10-12"],
            "gender": ["Female", "Male", "Female"],
            "offences": [6, 2, 3],
            "suppressed": False,
        }
    )
    out = groomstats.shares(df, "age_band", by=["force", "period"])
    band = out.filter(pl.col("age_band") == "13-15").row(0, named=True)
    assert (band["offences"], band["denominator"]) == (8, 11)
    twice = pl.concat([df, df.head(1)])
    with pytest.raises(DataFormatError, match="appears 2 times \\(rows 0, 3 of the frame"):
        groomstats.shares(twice, "age_band", by=["force", "period"])


def test_columns_of_any_type_beside_the_cells() -> None:
    """Extra columns of lists, structs, floats (NaN) or Python objects neither break the check
    nor hide a repeated cell: objects cannot be compared, so they are left out of it."""
    base = {
        "force": ["A"] * 3,
        "period": "2023/24",
        "category": "platform",
        "value": ["Snapchat", "Kik", "Instagram"],
        "offences": [1, 2, 3],
        "suppressed": False,
    }
    extras: list[dict[str, Any]] = [
        {"tags": [[1], [2], [1]]},
        {"weight": [float("nan")] * 3},
        {"meta": [{"a": 1}, {"a": 2}, {"a": 1}]},
        {"obj": pl.Series([object(), object(), object()], dtype=pl.Object)},
    ]
    for extra in extras:
        df = pl.DataFrame({**base, **extra})
        for contiguous in (True, False):
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(proportions, "_CONTIGUOUS", contiguous)
                assert groomstats.shares(df, "platform", by="force")["offences"].to_list() == [
                    3,
                    2,
                    1,
                ]
        twice = pl.concat([df, df.head(1)])
        with pytest.raises(DataFormatError, match="value 'Snapchat' appears 2 times"):
            groomstats.shares(twice, "platform", by="force")

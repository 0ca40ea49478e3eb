"""A national comparator whose two figures come from different numbers of forces (the NSPCC
FOI national figures shipped with the package, and SYNTHETIC frames).

``change(..., national=nat)`` set South Wales' 2018/19 to 2020/21 change against "England
and Wales +24.4%" (4,373 from 43 forces against 5,441 from 42) with nothing said: the
national change is not like for like. The frame's ``forces_reporting`` column now gives a
note when the two windows' figures come from different numbers of forces.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats

NOT_LIKE = (
    "the comparator's figures come from different numbers of forces reporting (42 forces in "
    "2020/21, 43 forces in 2018/19): its change is not like for like"
)


def _national() -> pl.DataFrame:
    n = groomstats.datasets.nspcc_national()
    return n.filter(
        (pl.col("area") == "England and Wales") & pl.col("release").is_in(["2019-09", "2021-08"])
    )


def test_different_numbers_of_forces_are_noted() -> None:
    wales = groomstats.datasets.nspcc_wales().filter(pl.col("force") == "South Wales")
    row = groomstats.change(
        wales, current="2020/21", baseline="2018/19", by="force", national=_national()
    ).row(0, named=True)
    assert (row["current"], row["baseline"]) == (127, 140)
    assert (row["national_current"], row["national_baseline"]) == (5441, 4373)
    assert row["national_pct_change"] == pytest.approx(100 * (5441 - 4373) / 4373)
    assert NOT_LIKE in row["note"]


def _synthetic(reporting: list[int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "area": "England and Wales",
            "period_start": [date(2018, 4, 1), date(2019, 4, 1)],
            "period_end": [date(2019, 3, 31), date(2020, 3, 31)],
            "offences": [1000, 1200],
            "forces_reporting": reporting,
        }
    )


def _force() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": ["Kent", "Kent"],
            "period_start": [date(2018, 4, 1), date(2019, 4, 1)],
            "period_end": [date(2019, 3, 31), date(2020, 3, 31)],
            "offences": [50, 70],
        }
    )


@pytest.mark.parametrize("reporting", [[43, 43], [None, 43], [None, None]])
def test_the_same_or_unknown_numbers_of_forces_give_no_note(
    reporting: list[int | None],
) -> None:
    row = groomstats.change(
        _force(), current="2019/20", by="force", national=_synthetic(reporting)
    ).row(0, named=True)
    assert row["ratio_to_national"] == pytest.approx(40.0 / 20.0)
    assert row["note"] is None

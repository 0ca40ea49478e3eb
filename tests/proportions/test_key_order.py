"""shares()'s short cut skips sorting the groups when their runs already come in key order
(as tables are written) and then takes the key columns as they stand, without gathering them.
Whether the runs are in key order is decided with the comparison operators, so it must agree
with the sort for every key type (text byte by byte, integers, dates, booleans; categoricals
and enums always sorted): the short cut must give exactly what the long way gives, in key
order, reversed, and with a group's rows in two runs. Frames are synthetic, generated here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import groomstats

#: the ``both_ways`` fixture (conftest.py): a shares() call with the short cut and the long way
BothWays = Callable[[Callable[[], pl.DataFrame]], tuple[object, object]]

PLATFORMS = ["Snapchat", "Instagram", "WhatsApp", "Kik"]


def _frame(keys: list[object], dtype: pl.DataType | type[pl.DataType], seed: int) -> pl.DataFrame:
    """One group per key (rows together, in the order given), each with 1 to 4 platforms."""
    rng = np.random.default_rng(seed)
    rows = []
    for key in keys:
        for v in rng.permutation(PLATFORMS)[: int(rng.integers(1, 5))]:
            rows.append((key, "2023/24", "platform", str(v), int(rng.integers(0, 40)), False))
    schema = {
        "force": dtype,
        "period": pl.String,
        "category": pl.String,
        "value": pl.String,
        "offences": pl.Int64,
        "suppressed": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


# keys in the order a sort gives them: upper case before lower case and accented letters after
# z (UTF-8 bytes), negative numbers first, dates by day, false before true
SORTED: list[tuple[list[object], pl.DataType | type[pl.DataType]]] = [
    (["Avon", "Kent", "Zeta", "avon", "kent", "Åland", "éire"], pl.String),
    ([-3, 0, 2, 10, 11, 200], pl.Int64),
    ([1, 2, 30, 200], pl.UInt8),
    ([dt.date(2020, 1, 31), dt.date(2020, 2, 1), dt.date(2021, 1, 1)], pl.Date),
    ([False, True], pl.Boolean),
    (["Kent", "Avon", "Zeta"], pl.Categorical),
    (["Avon", "Kent", "Zeta"], pl.Enum(["Zeta", "Kent", "Avon"])),
]


@pytest.mark.parametrize(("keys", "dtype"), SORTED, ids=lambda v: str(v)[:20])
def test_runs_in_key_order_reversed_or_split_give_the_long_way(
    keys: list[object], dtype: pl.DataType | type[pl.DataType], both_ways: BothWays
) -> None:
    for seed in range(3):
        frames = {
            "as given": _frame(keys, dtype, seed),
            "reversed": _frame(keys[::-1], dtype, seed),
            "one key twice": _frame([*keys, keys[0]], dtype, seed),  # a group in two runs
            "two adjacent alike": _frame([keys[0], *keys], dtype, seed),  # may repeat a label
        }
        for name, df in frames.items():
            for by in (["force"], ["force", "period"], ["period", "force"]):
                short, long_way = both_ways(partial(groomstats.shares, df, "platform", by=by))
                if isinstance(short, pl.DataFrame):
                    assert isinstance(long_way, pl.DataFrame), (name, long_way)
                    assert_frame_equal(short, long_way)
                else:
                    assert short == long_way, name


def test_runs_in_key_order_take_no_sort(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table whose groups come in key order is answered without sorting them, and its key
    columns come out as they went in, next to the rows ordered by offences."""
    df = _frame(["Avon", "Kent", "Zeta"], pl.String, 0)

    def no_sort(*args: object, **kwargs: object) -> pl.Expr:
        pytest.fail("the groups were sorted although in key order")

    monkeypatch.setattr(pl, "arg_sort_by", no_sort)
    out = groomstats.shares(df, "platform", by=["force", "period"])
    assert out["force"].to_list() == df["force"].to_list()
    expected = df.sort(["force", "offences"], descending=[False, True], maintain_order=True)
    assert out["offences"].to_list() == expected["offences"].to_list()
    assert out["platform"].to_list() == expected["value"].to_list()

"""The readers given frames instead of files: a polars LazyFrame, pandas with ``pd.NA`` and
NaN, polars with NaN. A missing count stays missing (null, counted in the report), never 0;
NaN in a polars float column is refused with the fix. Every frame is SYNTHETIC.
"""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import groomstats

PRC = {
    "Financial Year": ["2017/18", "2017/18"],
    "Financial Quarter": [1, 2],
    "Force Name": ["Kent", "Essex"],
    "Offence Description": ["Sexual grooming"] * 2,
    "Offence Group": ["Sexual offences"] * 2,
    "Offence Subgroup": ["Other sexual offences"] * 2,
    "Offence Code": ["88A"] * 2,
}


def test_lazyframe_is_read_like_a_frame() -> None:
    lazy = pl.LazyFrame({**PRC, "Number of Offences": [3, 4]})
    got = groomstats.read_prc(lazy)
    assert got.equals(groomstats.read_prc(lazy.collect()))
    assert got["offences"].to_list() == [3, 4]


@pytest.mark.parametrize(
    "counts",
    [pd.array([3, pd.NA], dtype="Int64"), pd.Series([3.0, float("nan")]), [3, None]],
    ids=["pd.NA", "NaN", "None"],
)
def test_pandas_missing_count_is_null_and_counted(counts: object) -> None:
    df, rep = groomstats.read_prc(pd.DataFrame({**PRC, "Number of Offences": counts}), report=True)
    assert df["offences"].to_list() == [3, None]
    assert "1 count(s) not available (N/a or empty) kept as null" in rep.notes


def test_polars_nan_count_is_refused_with_the_fix() -> None:
    frame = pl.DataFrame({**PRC, "Number of Offences": [3.0, float("nan")]})
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(frame)
    msg = str(e.value)
    assert "non-numeric count 'NaN' at file '<DataFrame>', row 2" in msg
    assert "NaN is not a count: a missing count is an empty cell (or N/a)" in msg


def test_breakdown_pandas_na_and_lazyframe() -> None:
    table = {"Force": ["Kent", "Essex"], "Period": ["2023/24"] * 2, "Platform": ["Kik"] * 2}
    df, rep = groomstats.read_breakdown(
        pd.DataFrame({**table, "Offences": pd.array([3, pd.NA], dtype="Int64")}), report=True
    )
    assert df.select("offences", "suppressed").rows() == [(3, False), (None, False)]
    assert "1 cell(s) not provided (N/a or empty) kept as null" in rep.notes
    lazy = pl.LazyFrame({**table, "Offences": ["3", "*"]})
    got = groomstats.read_breakdown(lazy)
    assert got.select("offences", "suppressed").rows() == [(3, False), (None, True)]

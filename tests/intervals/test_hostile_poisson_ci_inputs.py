"""``poisson_ci`` given counts as analysts hold them (SYNTHETIC values).

numpy read ``[1, True]`` as the counts 1 and 1 and ``[1, "3"]`` as 1 and 3 (a boolean and a
text taken for counts, silently), while ``[1, pandas.NA, 3]`` raised "float() argument must
be a string or a real number, not 'NAType'". A missing value of any library is now a missing
count (null limits), and text or True/False is refused naming its row and value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import groomstats
from groomstats import DataFormatError, GroomstatsError


def _garwood(x: float) -> tuple[float, float]:
    lo = 0.0 if x == 0 else stats.chi2.ppf(0.025, 2 * x) / 2
    return lo, stats.chi2.ppf(0.975, 2 * x + 2) / 2


@pytest.mark.parametrize(
    "counts",
    [
        [1, pd.NA, 3],
        [1, None, 3],
        [1, float("nan"), 3],
        pd.array([1, None, 3], dtype="Int64"),
        pd.Series([1, None, 3], dtype="Int64"),
    ],
    ids=["pd.NA", "None", "nan", "Int64 array", "Int64 series"],
)
def test_a_missing_count_of_any_library_is_missing(counts: object) -> None:
    out = groomstats.poisson_ci(counts)  # type: ignore[arg-type]
    assert out.get_column("count").to_list() == [1.0, None, 3.0]
    assert out.get_column("lower_95").null_count() == 1
    for row, x in ((0, 1), (2, 3)):
        assert (out["lower_95"][row], out["upper_95"][row]) == pytest.approx(_garwood(x))


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([1, True], "counts, row 1: True (bool) is not a number"),
        ([1, "3"], "counts, row 1: '3' (str) is not a number; write counts as numbers"),
        (["1,234", 3], "counts, row 0: '1,234' (str) is not a number"),
    ],
)
def test_text_and_booleans_among_counts_are_refused_naming_row_and_value(
    counts: list[object], message: str
) -> None:
    with pytest.raises(DataFormatError) as e:
        groomstats.poisson_ci(counts)  # type: ignore[arg-type]
    assert message in str(e.value)


def test_an_array_of_booleans_is_refused() -> None:
    with pytest.raises(GroomstatsError, match=r"got bool values \(True/False is not a count\)"):
        groomstats.poisson_ci(np.array([True, False]))


def test_numpy_integers_beside_none_are_counts() -> None:
    out = groomstats.poisson_ci([np.int64(3), None])
    assert out.get_column("count").to_list() == [3.0, None]
    assert (out["lower_95"][0], out["upper_95"][0]) == pytest.approx(_garwood(3))

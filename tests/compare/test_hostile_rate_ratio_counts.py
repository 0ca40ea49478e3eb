"""rate_ratio_test on counts the exact test has no meaning for (found by hostile testing: a
negative or fractional count gave a row of nulls without a reason).

The references refuse such input too: ``scipy.stats.binomtest`` (what the conditional test
is) raises ``ValueError`` for a negative k and ``TypeError`` for a fractional one, and
statsmodels' ``test_poisson_2indep(method="exact-cond")`` raises the same (it calls binomtest).
groomstats raises its typed :class:`DataFormatError` naming the argument, the row and the
value. A missing count (NaN / None) stays missing: a row of nulls, never a zero; valid rows
beside it match scipy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scipy.stats import binomtest

import groomstats
from groomstats import DataFormatError, rate_ratio_test


@pytest.mark.parametrize(
    ("x1", "x2", "where"),
    [
        ([3, -1], [4, 4], "x1, row 1: -1.0"),
        ([3, 5], [4, 2.5], "x2, row 1: 2.5"),
        ([math.inf], [4], "x1, row 0: inf"),
        ([3], [-math.inf], "x2, row 0: -inf"),
    ],
)
def test_a_count_that_is_not_a_count_is_refused_naming_it(
    x1: list[float], x2: list[float], where: str
) -> None:
    with pytest.raises(DataFormatError) as err:
        rate_ratio_test(x1, x2)
    msg = str(err.value)
    assert msg.startswith(f"rate_ratio_test: {where} is not a count (a whole number, 0 or more)")
    assert "pass the counts themselves" in msg
    assert isinstance(err.value, groomstats.GroomstatsError)


def _refused(call: Callable[[], Any]) -> bool:
    """True when a reference refuses the input: an error (scipy up to 1.17, statsmodels with
    it) or no answer at all (scipy 1.18 returns NaN for k, n and the p-value)."""
    try:
        out = call()
    except (ValueError, TypeError):
        return True
    return bool(np.isnan(out.pvalue))


def test_the_references_refuse_the_same_counts() -> None:
    """What scipy and statsmodels do with them (so refusing is the reference behaviour)."""
    assert _refused(lambda: binomtest(-1, 3, 0.5))
    assert _refused(lambda: binomtest(2.5, 6.5, 0.5))  # type: ignore[arg-type]
    assert not _refused(lambda: binomtest(2, 6, 0.5))  # a real count pair gets an answer
    rates = pytest.importorskip("statsmodels.stats.rates")
    assert _refused(lambda: rates.test_poisson_2indep(-1, 1.0, 4, 1.0, method="exact-cond"))
    assert _refused(lambda: rates.test_poisson_2indep(2.5, 1.0, 4, 1.0, method="exact-cond"))
    assert not _refused(lambda: rates.test_poisson_2indep(2, 1.0, 4, 1.0, method="exact-cond"))


@pytest.mark.parametrize(
    ("kw", "where"),
    [
        ({"t1": 0.0}, "t1, row 0: 0.0"),
        ({"t2": -2.0}, "t2, row 0: -2.0"),
        ({"t1": [1.0, math.nan]}, "t1, row 1: nan"),
        ({"t2": [1.0, math.inf]}, "t2, row 1: inf"),
    ],
)
def test_an_exposure_that_is_not_positive_and_finite_is_refused(
    kw: dict[str, object], where: str
) -> None:
    with pytest.raises(DataFormatError, match=rf"^rate_ratio_test: {where} is not an exposure"):
        rate_ratio_test([3, 3], [4, 4], **kw)  # type: ignore[arg-type]


def test_a_missing_count_is_a_null_row_and_the_others_match_scipy() -> None:
    """274 against 114 (Thames Valley, year to April 2019 against the year before): with equal
    exposures the conditional test is binomtest(274, 388, 0.5)."""
    r = rate_ratio_test([math.nan, 274], [114, 114])
    assert r["x1"].to_list() == [None, 274.0]  # missing stays missing, not NaN, not 0
    assert [r[c][0] for c in ("statistic", "pvalue", "lower_95", "upper_95")] == [None] * 4
    ref = binomtest(274, 274 + 114, 0.5)
    assert r["pvalue"][1] == pytest.approx(ref.pvalue, rel=1e-9)
    assert r["statistic"][1] == pytest.approx(274 / 114, rel=1e-12)
    ci = ref.proportion_ci(confidence_level=0.95, method="exact")
    assert r["lower_95"][1] == pytest.approx(ci.low / (1 - ci.low), rel=1e-9)
    assert r["upper_95"][1] == pytest.approx(ci.high / (1 - ci.high), rel=1e-9)


def test_whole_counts_given_as_floats_are_counts() -> None:
    a = rate_ratio_test(np.array([3.0, 0.0]), np.array([4.0, 0.0]))
    b = rate_ratio_test([3, 0], [4, 0])
    assert a.equals(b)
    assert b["pvalue"].to_list()[1] == 1.0  # no events in either: nothing to test


def test_change_keeps_its_row_and_says_why_for_a_negative_total() -> None:
    """change() is one row per comparison with a note: a negative window total (quarterly
    reclassification adjustments) is not refused there, its test is null and the note says
    why (the frame is synthetic)."""
    import datetime as dt

    import polars as pl

    df = pl.DataFrame(
        {
            "force": ["Kent", "Kent"],
            "period_start": [dt.date(2017, 4, 1), dt.date(2018, 4, 1)],
            "period_end": [dt.date(2018, 3, 31), dt.date(2019, 3, 31)],
            "offences": [-1, 5],
        }
    )
    c = groomstats.change(df, "2018/19", by="force").row(0, named=True)
    assert (c["baseline"], c["pvalue"]) == (-1, None)
    assert c["note"].startswith("negative total (reclassification adjustments): no test")

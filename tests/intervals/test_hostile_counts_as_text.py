"""Counts held as text in frames analysts build (SYNTHETIC frames).

A count column of text was refused with a fix that fails on the commonest case
("convert it first, e.g. pl.col('x').cast(pl.Int64)": casting '1,234' raises), and with
``rates(by=...)`` polars' own ``InvalidOperationError`` came first (no GroomstatsError).
Every such refusal is now a DataFormatError naming the first cell that is not a plain number,
and a fix that works for what it holds.
"""

from __future__ import annotations

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError

THOUSANDS = (
    "row 0: '1,234' has a thousands separator, which a cast refuses: "
    "pl.col('{c}').str.replace_all(',', '').cast(pl.Int64) reads it"
)
MARKER = "row 1: '*' is not a number (a marker such as '*' or 'N/a' is a missing or suppressed"


def _calls(values: list[str]) -> dict[str, object]:
    frame = pl.DataFrame({"area": ["a", "b"], "x": values, "n": [1e5, 1e5]})
    series = pl.DataFrame(
        {"financial_year": ["2018/19", "2019/20", "2020/21"], "x": [*values, "7"]}
    )
    breakdown = pl.DataFrame(
        {"category": "gender", "value": ["F", "M"], "x": values, "suppressed": False}
    )
    return {
        "rates": lambda: groomstats.rates(frame, count="x", denominator="n"),
        "rates by": lambda: groomstats.rates(frame, count="x", denominator="n", by="area"),
        "funnel": lambda: groomstats.funnel(frame, count="x", denominator="n"),
        "trend": lambda: groomstats.trend(series, count="x"),
        "joinpoint": lambda: groomstats.joinpoint(series, count="x"),
        "shares": lambda: groomstats.shares(breakdown, "gender", count="x"),
    }


@pytest.mark.parametrize("call", list(_calls(["1", "2"])))
def test_thousands_separators_get_a_fix_that_works(call: str) -> None:
    with pytest.raises(DataFormatError) as e:
        _calls(["1,234", "5"])[call]()  # type: ignore[operator]
    assert THOUSANDS.format(c="x") in str(e.value)
    # the fix as given reads the column
    fixed = pl.Series("x", ["1,234", "5"]).str.replace_all(",", "").cast(pl.Int64)
    assert fixed.to_list() == [1234, 5]


@pytest.mark.parametrize("call", list(_calls(["1", "2"])))
def test_a_marker_among_counts_is_named(call: str) -> None:
    with pytest.raises(DataFormatError) as e:
        _calls(["12", "*"])[call]()  # type: ignore[operator]
    assert MARKER in str(e.value)


def test_a_text_denominator_is_named_too() -> None:
    frame = pl.DataFrame({"area": ["a", "b"], "x": [1, 5], "n": ["100,000", "90000"]})
    with pytest.raises(DataFormatError) as e:
        groomstats.rates(frame, count="x", denominator="n", by="area")
    assert "column 'n' must be numeric" in str(e.value)
    assert "row 0: '100,000' has a thousands separator" in str(e.value)

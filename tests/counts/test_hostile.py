"""Hostile input against grooming, totals and count_records.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hostile import BIG, I64_MAX, Case, height, params, records, run_case

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF, PE = GroomstatsError, DataFormatError, PeriodError

    # --- grooming ----------------------------------------------------------------------------
    gr = groomstats.grooming
    add(
        Case(
            "grooming",
            "empty frame",
            lambda: gr(pl.DataFrame({"offence_code": []}, schema={"offence_code": pl.String})),
            height(0),
        )
    )
    add(
        Case(
            "grooming",
            "missing column",
            lambda: gr(pl.DataFrame({"code": ["88A"]})),
            DF,
            ("offence_code",),
        )
    )
    add(
        Case(
            "grooming",
            "integer codes",
            lambda: gr(pl.DataFrame({"offence_code": [88, 1]})),
            DF,
            ("offence_code",),
        )
    )
    add(
        Case(
            "grooming",
            "pandas, padded codes",
            lambda: gr(pd.DataFrame({"offence_code": [" 88A ", "88B", None]})),
            height(1),
        )
    )
    add(Case("grooming", "not a frame", lambda: gr([1, 2, 3]), DF))
    # --- count_records -----------------------------------------------------------------------
    cr = groomstats.count_records
    add(
        Case(
            "count_records",
            "empty frame",
            lambda: cr(records(0), by="force", date="date"),
            height(0),
        )
    )
    add(Case("count_records", "missing column", lambda: cr(records(), by="forse"), DF, ("forse",)))
    add(
        Case(
            "count_records",
            "string dates",
            lambda: cr(records().with_columns(pl.col("date").cast(pl.String)), date="date"),
            DF,
            ("date",),
        )
    )
    add(
        Case(
            "count_records",
            "unknown granularity",
            lambda: cr(records(), date="date", granularity="week"),
            G,
            ("week",),
        )
    )  # type: ignore[arg-type]
    add(
        Case(
            "count_records",
            "null keys and dates kept",
            lambda: cr(
                pl.DataFrame(
                    {
                        "force": ["Kent", None, "Kent"],
                        "date": [date(2017, 4, 1), date(2017, 4, 2), None],
                    }
                ),
                by="force",
                date="date",
            ),
            lambda f: f["offences"].sum() == 3 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "count_records",
            "pandas, unsorted, Unicode",
            lambda: cr(pd.DataFrame({"force": ["Ynys Môn", "Kent", "Ynys Môn"]}), by="force"),
            lambda f: f["offences"].to_list() == [1, 2] or pytest.fail(str(f)),
        )
    )
    add(Case("count_records", "not a frame", lambda: cr("records.csv"), DF))

    # --- totals, change ------------------------------------------------------------------------
    def quarters(values: list[Any], force: str = "Kent", start: int = 2017) -> pl.DataFrame:
        starts = [
            date(start + (3 + 3 * i) // 12, (3 + 3 * i) % 12 + 1, 1) for i in range(len(values))
        ]
        ends = [(pl.Series([s]).dt.offset_by("3mo").dt.offset_by("-1d"))[0] for s in starts]
        return pl.DataFrame(
            {
                "force": [force] * len(values),
                "period_start": starts,
                "period_end": ends,
                "offences": values,
            },
            schema_overrides={"offences": pl.Int64, "period_start": pl.Date, "period_end": pl.Date},
            strict=False,
        )

    eight = quarters([10, 12, 15, 9, 11, 13, 16, 10])
    to = groomstats.totals
    add(
        Case(
            "totals",
            "empty frame",
            lambda: to(quarters([]), window="2017/18"),
            PE,
            ("no row of the data",),
        )
    )
    add(Case("totals", "missing column", lambda: to(eight.drop("period_end")), DF, ("period_end",)))
    add(Case("totals", "bad window", lambda: to(eight, window="2017/19"), PE, ("2017/19",)))
    add(
        Case(
            "totals",
            "window cutting a quarter",
            lambda: to(eight, window="2017-04-01..2017-05-15"),
            PE,
        )
    )
    add(Case("totals", "unknown granularity", lambda: to(eight, granularity="week"), G, ("week",)))
    add(
        Case(
            "totals",
            "nulls counted, not dropped",
            lambda: to(quarters([1, None, 3, 4]), window="2017/18"),
            lambda f: (f["null_rows"][0] == 1 and f["complete"][0] is False) or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "totals",
            "huge counts",
            lambda: to(quarters([BIG, 1, 1, 1]), window="2017/18"),
            lambda f: f["offences"][0] == BIG + 3 or pytest.fail(str(f)),
        )
    )
    # arithmetic that cannot lie (issue 12, item 7): never a wrapped-around or NaN total
    add(
        Case(
            "totals",
            "sum beyond the 64-bit range: a typed error, not -2^63",
            lambda: to(quarters([I64_MAX, 1]), window="2017/18 Q1-Q2"),
            groomstats.CountOverflowError,
            ("'offences'", "64-bit"),
        )
    )
    add(
        Case(
            "totals",
            "national roll-up of two forces beyond the 64-bit range",
            lambda: to(
                pl.concat([quarters([I64_MAX]), quarters([1], force="Essex")]),
                by="national",
                window="2017/18 Q1",
            ),
            groomstats.CountOverflowError,
            ("64-bit",),
        )
    )
    add(
        Case(
            "totals",
            "NaN count: refused with its row",
            lambda: to(
                quarters([1, 2, 3, 4]).with_columns(
                    offences=pl.Series([1.0, float("nan"), 3.0, 4.0])
                ),
                window="2017/18",
            ),
            DF,
            ("'offences'", "row 1", "nan", "null"),
        )
    )
    add(
        Case(
            "totals",
            "infinite count (pandas): refused with its row",
            lambda: to(
                quarters([1, 2, 3])
                .with_columns(offences=pl.Series([1.0, 2.0, float("inf")]))
                .to_pandas(),
                by="force",
            ),
            DF,
            ("'offences'", "row 2", "inf"),
        )
    )
    add(
        Case(
            "totals",
            "same quarter twice, told apart by an offence code: summed and counted in rows",
            lambda: to(
                pl.concat(
                    [
                        quarters([1, 2, 3, 4]).with_columns(offence_code=pl.lit("88A")),
                        quarters([5]).with_columns(offence_code=pl.lit("88E")),
                    ]
                ),
                window="2017/18",
            ),
            lambda f: (f["offences"][0], f["rows"][0]) == (15, 5) or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "totals",
            "same quarter twice, no column telling the rows apart: refused naming both rows",
            lambda: to(pl.concat([quarters([1, 2, 3, 4]), quarters([5])]), window="2017/18"),
            DF,
            ("rows 0 and 4", "offences 1 and 5", "data.unique()"),
        )
    )
    add(
        Case(
            "totals",
            "overlapping periods (a quarter inside a year)",
            lambda: to(
                pl.concat(
                    [
                        quarters([1, 2, 3, 4]),
                        quarters([10]).with_columns(period_end=pl.lit(date(2018, 3, 31))),
                    ]
                ),
                window="2017/18",
            ),
            DF,
            ("overlap",),
        )
    )
    add(
        Case(
            "totals",
            "text counts",
            lambda: to(quarters([1, 2]).with_columns(pl.col("offences").cast(pl.String))),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "totals",
            "unsorted and pandas = sorted",
            lambda: (
                to(eight.reverse().to_pandas(), window="2017/18")["offences"][0],
                to(eight, window="2017/18")["offences"][0],
            ),
            lambda ab: ab == (46, 46) or pytest.fail(str(ab)),
        )
    )
    add(
        Case(
            "totals",
            "Unicode group",
            lambda: to(quarters([1, 2, 3, 4], force="Ynys Môn"), by="force"),
            lambda f: f["force"].to_list() == ["Ynys Môn"] or pytest.fail(str(f)),
        )
    )
    cat = eight.with_columns(pl.col("force").cast(pl.Categorical))
    add(
        Case(
            "totals",
            "categorical force, national roll-up",
            lambda: to(cat, by="national", window="2017/18")["offences"].to_list(),
            lambda v: v == [46] or pytest.fail(str(v)),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

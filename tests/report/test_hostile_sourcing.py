"""Source lines when the Home Office rows come from a dated edition and an undated file: the
undated rows are never credited to the dated edition.

The frame is the shipped 2017/18 table (``datasets.prc()``) with a SYNTHETIC edition column:
Kent's rows undated, the others dated 18 July 2019.
"""

from __future__ import annotations

import warnings
from datetime import date

import polars as pl

from groomstats import datasets
from groomstats.report.context import Context, context
from groomstats.report.sourcing import data_phrase, prc_source


def _ctx(kent_edition: date | None) -> Context:
    df = datasets.prc().with_columns(
        pl.when(pl.col("force") == "Kent")
        .then(pl.lit(kent_edition, pl.Date))
        .otherwise(pl.lit(date(2019, 7, 18)))
        .alias("edition")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return context(df)


def test_undated_rows_are_not_credited_to_the_dated_edition() -> None:
    # "the 18 July 2019 edition of the Home Office data" was said of every row, Kent's too
    ctx = _ctx(None)
    assert data_phrase(ctx) == "the Home Office data used here"
    assert prc_source(ctx).endswith(
        "(edition 18 July 2019 and 4 rows of a file whose edition is not known)"
    )


def test_one_edition_throughout() -> None:
    ctx = _ctx(date(2019, 7, 18))
    assert data_phrase(ctx) == "the 18 July 2019 edition of the Home Office data"
    assert prc_source(ctx).endswith("(edition 18 July 2019)")

"""Source lines of the report's charts and tables, from the data actually used: which Home
Office data (the shipped table or the files given, and their editions when the data carry an
``edition`` column), which financial years, and which ONS mid-year population (and its
vintage) divides the counts. Nothing here is a fixed 2017/18 default.

Examples
--------
>>> from groomstats.report.context import context
>>> ctx = context()
>>> print(chart_source(ctx, rates=True))  # doctest: +NORMALIZE_WHITESPACE
Source: Home Office police recorded crime open data, police force area level (the 2017/18
table shipped with groomstats, vintage mid-2019): sexual grooming (88A), 2017/18; ONS mid-2017
population estimates (first published, before the Census 2021 rebasing). Contains public
sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from groomstats.report.context import Context

__all__ = [
    "EMBEDDED",
    "chart_source",
    "data_phrase",
    "files_source",
    "population_source",
    "prc_source",
    "years_label",
]

#: What the shipped Home Office table is.
EMBEDDED = (
    "Home Office police recorded crime open data, police force area level (the 2017/18 table "
    "shipped with groomstats, vintage mid-2019)"
)
_OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def files_source(data: Sequence[Path | str]) -> str:
    """What the Home Office files given with ``--data`` are: their names."""
    names = [Path(p).name for p in data]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"Home Office police recorded crime open data ({shown})"


def years_label(ctx: Context, *, latest_only: bool = True) -> str:
    """``"2017/18"`` (the latest year, or the part of it in the data: ``"2024/25 Q1-Q2"``), or
    ``"2013/14 to 2024/25"`` over the whole data."""
    if latest_only:
        return ctx.period
    years = sorted(str(y) for y in ctx.grooming["financial_year"].drop_nulls().unique())
    return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _editions(ctx: Context) -> str | None:
    """``edition 18 July 2019``, ``editions ...``; rows of a file whose edition is not known
    beside dated ones are said (``and rows of an undated file``), never credited to the
    dated edition."""
    if "edition" not in ctx.grooming.columns:
        return None
    col = ctx.grooming.get_column("edition")
    eds = col.drop_nulls().unique().sort()
    if eds.len() == 0:
        return None
    texts = [v.strftime("%d %B %Y") if hasattr(v, "strftime") else str(v) for v in eds]
    text = ("edition " if len(texts) == 1 else "editions ") + ", ".join(texts)
    if col.null_count():
        text += f" and {col.null_count():,} rows of a file whose edition is not known"
    return text


def data_phrase(ctx: Context) -> str:
    """The Home Office data for a sentence: ``"the 30 January 2025 edition of the Home Office
    data"``, the shipped table's 2019 edition, or ``"the Home Office data used here"``."""
    if "edition" in ctx.grooming.columns:
        col = ctx.grooming.get_column("edition")
        eds = col.drop_nulls().unique()
        if eds.len() == 1 and col.null_count() == 0:  # every row of that one edition
            v = eds[0]
            when = v.strftime("%d %B %Y") if hasattr(v, "strftime") else str(v)
            return f"the {when} edition of the Home Office data"
    if ctx.data_source == EMBEDDED:
        return "the 2019 edition of the Home Office data (shipped with groomstats)"
    return "the Home Office data used here"


def prc_source(ctx: Context, *, latest_only: bool = True) -> str:
    """The Home Office part of a source line: data, offence, years, editions."""
    text = f"{ctx.data_source}: sexual grooming (88A), {years_label(ctx, latest_only=latest_only)}"
    ed = _editions(ctx)
    return f"{text} ({ed})" if ed else text


def population_source(ctx: Context) -> str:
    """The population part of a rate's source line: the ONS mid-year used and its vintage."""
    nat = ctx.national_rate
    if nat.get("year") is None:
        return "population as given (no year in the population frame)"
    vintage = f" ({nat['vintage']})" if nat.get("vintage") else ""
    return f"ONS mid-{nat['year']} population estimates{vintage}"


def chart_source(ctx: Context, *, rates: bool = False, latest_only: bool = True) -> str:
    """The source line under a chart of the report."""
    text = "Source: " + prc_source(ctx, latest_only=latest_only)
    if rates:
        text += "; " + population_source(ctx)
    return f"{text}. {_OGL}"

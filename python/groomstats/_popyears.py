"""Which population year goes with a count: the one rule, used by :func:`groomstats.rates` and
:func:`groomstats.datasets.population`.

A count for a financial year is divided by the ONS mid-year estimate inside that year (mid-2017
for 2017/18: 30 June 2017 falls in April 2017 - March 2018). A period that is not a financial
year takes the mid-year of the financial year holding its middle day (a quarter takes its
financial year's; a calendar year 2017 takes mid-2017). When that year (or the age band asked)
is not in the population, the nearest year that has it is used, the reason goes into ``note``
and a :class:`~groomstats.exceptions.PopulationYearWarning` is raised: never silently.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import polars as pl

from groomstats.exceptions import PopulationYearWarning

__all__ = [
    "mid_year_expr",
    "mid_year_of_financial_year",
    "nearest_year",
    "substitution_note",
    "warn_substitutions",
]


def mid_year_of_financial_year(label: str) -> int | None:
    """``"2017/18"`` (also ``2017-18``, ``2017_18``) -> 2017.

    Examples
    --------
    >>> mid_year_of_financial_year("2017/18"), mid_year_of_financial_year("2024_25")
    (2017, 2024)
    """
    m = re.match(r"^\s*(?:FY\s*)?(\d{4})\s*[-/_]\s*\d{2,4}\s*$", label)
    return int(m.group(1)) if m else None


def mid_year_expr(columns: Sequence[str]) -> pl.Expr | None:
    """An expression giving each row's population year from its period columns: the first
    year of ``financial_year``, else the financial year holding the middle day of
    ``period_start`` .. ``period_end``. None when the frame has neither."""
    if "financial_year" in columns:
        return (
            pl.col("financial_year")
            .cast(pl.String)
            .str.extract(r"^\s*(?:FY\s*)?(\d{4})\s*[-/_]", 1)
            .cast(pl.Int32, strict=False)
        )
    if "period_start" in columns and "period_end" in columns:
        start = pl.col("period_start").cast(pl.Date)
        end = pl.col("period_end").cast(pl.Date)
        mid = start + (end - start) / 2
        return (
            pl.when(mid.dt.month() >= 4)
            .then(mid.dt.year())
            .otherwise(mid.dt.year() - 1)
            .cast(pl.Int32)
        )
    return None


def nearest_year(asked: int, available: Sequence[int]) -> int:
    """The available year nearest ``asked`` (the later of two equally near).

    Examples
    --------
    >>> nearest_year(2015, [2017, 2018]), nearest_year(2024, [2017, 2023])
    (2017, 2023)
    >>> nearest_year(2020, [2019, 2021])
    2021
    """
    return min(available, key=lambda y: (abs(y - asked), -y))


def substitution_note(asked: int, used: int, what: str, available: Sequence[int]) -> str:
    """The ``note`` of a row whose population year is not the one its period asks for."""
    span = f"mid-{min(available)}" + (
        f" to mid-{max(available)}" if max(available) != min(available) else ""
    )
    return (
        f"population of mid-{asked} ({what}) not available (have {span}): "
        f"mid-{used} used, the nearest"
    )


def warn_substitutions(notes: Sequence[str], where: str, stacklevel: int = 3) -> None:
    """One :class:`PopulationYearWarning` listing the distinct substitutions (``stacklevel``
    counted from the caller of this function, as :func:`warnings.warn` does)."""
    distinct = sorted(set(notes))
    if distinct:
        warnings.warn(
            f"{where}: " + "; ".join(distinct),
            PopulationYearWarning,
            stacklevel=stacklevel,
        )

"""Small shared helpers for the DataFrame API: input coercion and argument checks.

Every public function goes through these so that bad input gets the same clear, typed error
wherever it enters.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from groomstats.exceptions import DataFormatError, GroomstatsError

__all__ = ["as_polars", "check_option", "require_columns", "suggest"]


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """Return the closest of ``choices`` to ``value``, or None when nothing is close.

    Examples
    --------
    >>> suggest("quasipoison", ["poisson", "quasipoisson", "negbin"])
    'quasipoisson'
    """
    hits = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return hits[0] if hits else None


def check_option(value: Any, allowed: Sequence[str], name: str) -> str:
    """Check an option string against its allowed values; never silently default.

    Examples
    --------
    >>> check_option("bic", ["permutation", "bic"], "selection")
    'bic'
    """
    if not isinstance(value, str) or value not in allowed:
        hint = suggest(value, allowed) if isinstance(value, str) else None
        extra = f" — did you mean '{hint}'?" if hint else ""
        raise GroomstatsError(
            f"{name}={value!r} is not one of {', '.join(repr(a) for a in allowed)}{extra}"
        )
    return value


def as_polars(obj: Any, what: str = "data") -> pl.DataFrame:
    """Accept a polars or pandas DataFrame (or a LazyFrame) and return a polars DataFrame.

    Examples
    --------
    >>> as_polars(pl.DataFrame({"a": [1]})).shape
    (1, 1)
    """
    if isinstance(obj, pl.DataFrame):
        return obj
    if isinstance(obj, pl.LazyFrame):
        return obj.collect()
    mod = type(obj).__module__
    if mod.startswith("pandas"):
        try:
            return pl.from_pandas(obj)
        except Exception as e:  # pragma: no cover - depends on pandas internals
            raise DataFormatError(f"{what}: could not convert the pandas DataFrame: {e}") from e
    raise DataFormatError(
        f"{what}: expected a polars or pandas DataFrame, got {type(obj).__name__}"
    )


def require_columns(df: pl.DataFrame, columns: Iterable[str], what: str = "data") -> None:
    """Raise :class:`DataFormatError` naming every missing column, with the closest present.

    Examples
    --------
    >>> require_columns(pl.DataFrame({"force": ["Kent"]}), ["force"])
    >>> require_columns(pl.DataFrame({"forse": ["Kent"]}), ["force"])
    Traceback (most recent call last):
    ...
    groomstats.DataFormatError: data: missing column 'force' — did you mean 'forse'?
    """
    missing = [c for c in columns if c not in df.columns]
    if not missing:
        return
    parts = []
    for c in missing:
        hint = suggest(c, df.columns)
        parts.append(f"'{c}'" + (f" — did you mean '{hint}'?" if hint else ""))
    label = "column" if len(missing) == 1 else "columns"
    raise DataFormatError(f"{what}: missing {label} {', '.join(parts)}")


# Locations in messages: file, sheet, row and column of a bad value.


def _label(source: Any) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return "<DataFrame>"


def _where(
    label: str,
    *,
    row: int | None = None,
    column: str | None = None,
    sheet: str | None = None,
) -> str:
    parts = [f"file '{label}'"]
    if sheet is not None:
        parts.append(f"sheet '{sheet}'")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def _norm_header(h: object) -> str:
    return " ".join(str(h).replace("\ufeff", "").split()).lower() if h is not None else ""

"""Small shared helpers for the DataFrame API: input coercion and argument checks.

Every public function goes through these so that bad input gets the same clear, typed error
wherever it enters.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from groomstats.exceptions import DataFormatError, GroomstatsError

__all__ = [
    "as_polars",
    "check_option",
    "from_pandas",
    "refuse_non_counts",
    "require_columns",
    "suggest",
]


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """Return the closest of ``choices`` to ``value``, or None when nothing is close.

    Examples
    --------
    >>> suggest("quasipoison", ["poisson", "quasipoisson", "negbin"])
    'quasipoisson'
    """
    hits = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return hits[0] if hits else None


def as_days(s: pl.Series) -> pl.Series:
    """The day of each value of ``s`` (Date, Datetime, or text such as ``"2017-04-01"``): a
    time-zone-aware datetime gives its own day, where ``cast(pl.Date)`` would give the day in
    UTC (00:30 on 1 April 2017 in London is 31 March in UTC).

    Examples
    --------
    >>> from datetime import datetime
    >>> s = pl.Series([datetime(2017, 4, 1, 0, 30)]).dt.replace_time_zone("Europe/London")
    >>> as_days(s).item(), s.cast(pl.Date).item()
    (datetime.date(2017, 4, 1), datetime.date(2017, 3, 31))
    """
    return s.dt.date() if isinstance(s.dtype, pl.Datetime) else s.cast(pl.Date)


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
        return from_pandas(obj, what)
    return _from_other_engine(obj, what)


def _from_other_engine(obj: Any, what: str) -> pl.DataFrame:
    """A pyarrow table or a frame narwhals knows (DuckDB relation, Dask, PySpark...), brought
    into polars: every other frame-taking function reads these as :func:`totals` does."""
    import narwhals.stable.v2 as nw

    expected = (
        f"{what}: expected a polars, pandas, pyarrow, DuckDB, Dask or PySpark frame (anything "
        f"narwhals supports), got {type(obj).__name__}"
    )
    if type(obj).__module__.startswith("pyarrow"):
        try:
            return pl.DataFrame(pl.from_arrow(obj))
        except Exception as e:
            raise DataFormatError(f"{expected}: could not convert it: {e}") from e
    try:
        frame = nw.from_native(obj)
    except TypeError:
        raise DataFormatError(expected) from None
    try:
        eager = frame.collect(backend="polars") if isinstance(frame, nw.LazyFrame) else frame
        out = eager.to_polars()
    except Exception as e:
        raise DataFormatError(
            f"{what}: could not bring the {type(obj).__name__} into polars: {e}"
        ) from e
    return out if isinstance(out, pl.DataFrame) else pl.DataFrame(out)


# Columns that hold calendar days: pandas keeps them as datetime64 at midnight.
_DATE_COLUMNS = ("period_start", "period_end")


def from_pandas(obj: Any, what: str) -> pl.DataFrame:
    """The one conversion of a pandas DataFrame: categorical columns become text, the period
    bounds become dates, nullable integers stay integers with nulls; a column polars cannot
    hold (mixed types in an object column) is named in a typed error."""
    try:
        df = pl.from_pandas(obj)
    except Exception as e:
        bad = None
        for name in getattr(obj, "columns", []):
            try:
                pl.from_pandas(obj[[name]])
            except Exception:
                bad = name
                break
        col = f" column '{bad}'" if bad is not None else ""
        raise DataFormatError(
            f"{what}: could not convert the pandas DataFrame{col}: {e}; give each column one "
            "type (e.g. df[col].astype('string') for text, pd.to_numeric for counts)"
        ) from e
    casts = []
    for name, dtype in df.schema.items():
        if isinstance(dtype, (pl.Categorical, pl.Enum)):
            casts.append(pl.col(name).cast(pl.String))
        elif name in _DATE_COLUMNS and isinstance(dtype, pl.Datetime):
            casts.append(pl.col(name).dt.replace_time_zone(None).dt.date())
    return df.with_columns(casts) if casts else df


def text_numbers_fix(df: pl.DataFrame, column: str) -> str:
    """How to turn a text column of counts into numbers, naming its first cell that is not a
    plain number: ``row 3: '1,234' has a thousands separator; ...``. Casting text that holds
    ``'1,234'`` fails, so the fix depends on what the cells hold."""
    cast = f"pl.col('{column}').cast(pl.Int64)"
    s = df.get_column(column)
    if s.dtype != pl.String:
        return f"convert it first, e.g. {cast}"
    text = s.str.strip_chars()
    odd = ~text.str.contains(r"^[+-]?\d+(\.\d+)?$").fill_null(True)
    if not odd.any():
        return f"its cells are numbers written as text: convert it first, e.g. {cast}"
    i = int(odd.arg_max() or 0)
    value = s[i]
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", str(value).strip()):
        return (
            f"row {i}: {value!r} has a thousands separator, which a cast refuses: "
            f"pl.col('{column}').str.replace_all(',', '').cast(pl.Int64) reads it (or read the "
            "file with groomstats.read_prc / read_breakdown, which read '1,234' exactly)"
        )
    return (
        f"row {i}: {value!r} is not a number (a marker such as '*' or 'N/a' is a missing or "
        "suppressed cell: read the file with groomstats.read_breakdown / read_prc, which keep "
        "it as such, or make it null)"
    )


def require_columns(
    df: pl.DataFrame,
    columns: Iterable[str],
    what: str = "data",
    *,
    numeric: Iterable[str] = (),
) -> None:
    """Raise :class:`DataFormatError` naming every missing column, with the closest present.

    The suggestion prefers a column spelled the same but for case (``Offences`` for
    ``offences``), then, for the columns listed in ``numeric`` (counts, denominators), a
    numeric column over a text one with a similar name.

    Examples
    --------
    >>> require_columns(pl.DataFrame({"force": ["Kent"]}), ["force"])
    >>> require_columns(pl.DataFrame({"forse": ["Kent"]}), ["force"])
    Traceback (most recent call last):
    ...
    groomstats.DataFormatError: data: missing column 'force' — did you mean 'forse'?
    >>> frame = pl.DataFrame({"offence": ["Sexual grooming"], "Offences": [3]})
    >>> require_columns(frame, ["offences"], numeric=["offences"])
    Traceback (most recent call last):
    ...
    groomstats.DataFormatError: data: missing column 'offences' — did you mean 'Offences'?
    """
    missing = [c for c in columns if c not in df.columns]
    if not missing:
        return
    want_numeric = set(numeric)
    parts = []
    for c in missing:
        hint = _column_hint(df, c, numeric=c in want_numeric)
        parts.append(f"'{c}'" + (f" — did you mean '{hint}'?" if hint else ""))
    label = "column" if len(missing) == 1 else "columns"
    raise DataFormatError(f"{what}: missing {label} {', '.join(parts)}")


def _column_hint(df: pl.DataFrame, name: str, *, numeric: bool) -> str | None:
    """The present column most likely meant by a missing ``name``."""
    same_case = [c for c in df.columns if c.casefold() == name.casefold()]
    if numeric:
        typed = [c for c in df.columns if df.schema[c].is_numeric()]
        same_typed = [c for c in same_case if c in typed]
        if same_typed:
            return same_typed[0]
        hint = suggest(name, typed)
        if hint is not None:
            return hint
    if same_case:
        return same_case[0]
    return suggest(name, df.columns)


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


#: Why a row whose ``complete`` column is False gets no rate, funnel label or rank.
INCOMPLETE_REASON = (
    "incomplete count (complete=False: a quarter or cell of the period not available): "
    "no rate, not ranked"
)


def incomplete_rows(df: pl.DataFrame) -> np.ndarray | None:
    """Positions of the rows a ``complete`` column (as :func:`groomstats.totals` gives) marks
    False, or None when there is no such column or no such row. A total with a missing cell or
    quarter is not the period's figure: rates, funnels and ranks leave it out with a reason."""
    if "complete" not in df.columns or df.schema["complete"] != pl.Boolean:
        return None
    rows = np.flatnonzero((~df.get_column("complete").fill_null(True)).to_numpy())
    return rows if rows.size else None


def refuse_non_counts(
    values: np.ndarray, what: str, name: str, test: str, *, whole: bool = True
) -> None:
    """Raise :class:`DataFormatError` naming the first value of ``values`` that is not a count
    (finite, 0 or more and, with ``whole``, a whole number); NaN is a missing count and passes
    (its row is null). ``test`` says what has no meaning for such a value (an exact test,
    exact limits).

    Examples
    --------
    >>> refuse_non_counts(np.array([3.0, float("nan")]), "poisson_ci", "counts", "x")
    >>> refuse_non_counts(np.array([3.0, -1.0]), "poisson_ci", "counts", "an exact limit")
    Traceback (most recent call last):
    ...
    groomstats.DataFormatError: poisson_ci: counts, row 1: -1.0 is not a count ...
    """
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(values) & (values >= 0)
        if whole:
            ok &= values == np.floor(values)
    bad = ~np.isnan(values) & ~ok
    if not bad.any():
        return
    i = int(np.argmax(bad))
    kind = "a whole number, 0 or more" if whole else "finite, 0 or more"
    raise DataFormatError(
        f"{what}: {name}, row {i}: {float(values[i])!r} is not a count ({kind}): {test} has no "
        "meaning for it"
        + (" (scipy.stats.binomtest refuses it too)" if whole else "")
        + ". A negative total (reclassification adjustments) cannot be used"
        + ("; a fractional one is a rate or an estimate" if whole else "")
        + ": pass the counts themselves (a missing count may be NaN or None: its row is then "
        "null)"
    )

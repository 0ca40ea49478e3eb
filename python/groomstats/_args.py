"""Argument normalisation shared by every public function: ``by``, ``count``, ``confidence``,
``per`` and ``denominator``, so that the same mistake gets the same clear error everywhere.

Examples
--------
>>> by_columns("force")
['force']
>>> confidence_levels(0.95), confidence_suffix(0.998)
([0.95], '99_8')
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from groomstats.exceptions import GroomstatsError

__all__ = [
    "Confidence",
    "by_columns",
    "check_per",
    "confidence_levels",
    "confidence_suffix",
    "interval_names",
    "renamed",
]

#: One confidence level or several (each strictly between 0 and 1).
Confidence = float | Sequence[float]


def by_columns(by: str | Sequence[str] | None, what: str = "by") -> list[str]:
    """Normalise ``by`` to a list of column names (``None`` and ``[]`` mean no grouping).

    Raises :class:`GroomstatsError` for anything but a name or a list of distinct names.

    Examples
    --------
    >>> by_columns(None), by_columns(["force", "period"])
    ([], ['force', 'period'])
    >>> by_columns(["force", "force"])
    Traceback (most recent call last):
    ...
    groomstats.GroomstatsError: by=['force', 'force']: a column is named twice
    """
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    try:
        out = list(by)
    except TypeError:
        raise GroomstatsError(
            f"by={by!r}: expected a column name or a list of column names"
        ) from None
    if not all(isinstance(b, str) for b in out):
        raise GroomstatsError(f"by={by!r}: expected a column name or a list of column names")
    if len(set(out)) != len(out):
        raise GroomstatsError(f"by={by!r}: a column is named twice")
    return out


def confidence_suffix(confidence: float) -> str:
    """Column suffix for a confidence level, PHEindicatormethods style.

    Interval columns are named ``lower_<suffix>`` / ``upper_<suffix>``.

    Examples
    --------
    >>> confidence_suffix(0.95), confidence_suffix(0.998), confidence_suffix(0.9)
    ('95', '99_8', '90')
    """
    return f"{round(confidence * 100, 8):g}".replace(".", "_")


def confidence_levels(confidence: Confidence) -> list[float]:
    """Validate one or several confidence levels (strictly between 0 and 1, distinct).

    Examples
    --------
    >>> confidence_levels((0.95, 0.998))
    [0.95, 0.998]
    """
    levels = [confidence] if isinstance(confidence, (int, float)) else list(confidence)
    if not levels:
        raise GroomstatsError("confidence: give at least one level, e.g. confidence=(0.95, 0.998)")
    out: list[float] = []
    for c in levels:
        if isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 < c < 1:
            raise GroomstatsError(
                f"confidence={c!r} must be a number strictly between 0 and 1, e.g. 0.95 or 0.998"
            )
        out.append(float(c))
    suffixes = [confidence_suffix(c) for c in out]
    if len(set(suffixes)) != len(suffixes):
        raise GroomstatsError(f"confidence: duplicate levels {levels!r}")
    return out


def check_per(per: Any) -> float:
    """Check a ``per`` multiplier (a positive number).

    Examples
    --------
    >>> check_per(100_000)
    100000.0
    """
    if isinstance(per, bool) or not isinstance(per, (int, float)) or not per > 0:
        raise GroomstatsError(f"per={per!r} must be a positive number, e.g. 100_000")
    return float(per)


def interval_names(confidence: float, prefix: str = "") -> tuple[str, str]:
    """Names of the interval columns at a confidence level: ``lower_95``/``upper_95``, or
    ``<prefix>_lower_95``/``<prefix>_upper_95`` when a row carries several estimates.

    Examples
    --------
    >>> interval_names(0.998), interval_names(0.95, "level")
    (('lower_99_8', 'upper_99_8'), ('level_lower_95', 'level_upper_95'))
    """
    sfx = confidence_suffix(confidence)
    head = f"{prefix}_" if prefix else ""
    return f"{head}lower_{sfx}", f"{head}upper_{sfx}"


P = ParamSpec("P")
R = TypeVar("R")


def renamed(
    *, was_positional: Sequence[str] = (), **old_to_new: str
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refuse argument spellings of earlier versions with an error naming the new one.

    groomstats 0.1 keeps no aliases: ``totals(df=frame)`` raises :class:`GroomstatsError`
    "totals(): the argument df= is now data= ...". ``was_positional`` names, in order, the
    arguments that used to follow the positional ones and are now keyword-only, so that
    ``totals(frame, "force")`` says "pass by='force'" rather than a bare ``TypeError``.

    Examples
    --------
    >>> @renamed(was_positional=("by",), df="data")
    ... def f(data: int, *, by: str | None = None) -> int:
    ...     return data
    >>> f(1, by="force")
    1
    >>> f(df=1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    groomstats.GroomstatsError: f(): the argument df= is now data= (renamed in groomstats 0.1 ...)
    >>> f(1, "force")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    groomstats.GroomstatsError: f(): by is keyword-only: pass by='force' (groomstats 0.1 ...)
    """

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        params = inspect.signature(func).parameters.values()
        n_pos = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)

        @functools.wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            old = [k for k in kwargs if k in old_to_new]
            if old:
                k = old[0]
                raise GroomstatsError(
                    f"{func.__name__}(): the argument {k}= is now {old_to_new[k]}= (renamed in "
                    "groomstats 0.1 so that every function uses the same words; see the "
                    "vocabulary table in README.md)"
                )
            extra = args[n_pos:]
            if extra and len(extra) <= len(was_positional):
                hint = ", ".join(
                    f"{name}={value!r}" for name, value in zip(was_positional, extra, strict=False)
                )
                names = ", ".join(was_positional[: len(extra)])
                raise GroomstatsError(
                    f"{func.__name__}(): {names} is keyword-only: pass {hint} (groomstats 0.1 "
                    "takes only the frame and the main window by position; see the vocabulary "
                    "table in README.md)"
                )
            return func(*args, **kwargs)

        return inner

    return wrap

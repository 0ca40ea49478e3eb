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

from collections.abc import Sequence
from typing import Any

from groomstats.exceptions import GroomstatsError

__all__ = [
    "Confidence",
    "by_columns",
    "check_per",
    "confidence_levels",
    "confidence_suffix",
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

"""Periods and windows: financial years, quarters, months, calendar years and date ranges.

The parsing is done in the Rust core; a :class:`Period` is a pair of inclusive dates with a
canonical label. Financial years run April-March (``2017/18``); quarter 1 is April-June.

Examples
--------
>>> from groomstats import Period
>>> p = Period.parse("year to April 2019")
>>> p.label, p.kind, p.start, p.end
('2018/19', 'financial_year', datetime.date(2018, 4, 1), datetime.date(2019, 3, 31))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, TypeAlias

from groomstats import _core
from groomstats._constants import SERIES_BREAK
from groomstats._util import check_option
from groomstats.exceptions import PeriodError

__all__ = [
    "SERIES_BREAK",
    "Granularity",
    "Period",
    "WindowLike",
    "parse_period",
]

_EPOCH = date(1970, 1, 1)

Granularity = Literal["month", "quarter", "financial_year", "calendar_year"]
GRANULARITIES: tuple[str, ...] = ("month", "quarter", "financial_year", "calendar_year")


def to_days(d: date) -> int:
    """Days since 1970-01-01 of a date (the polars ``Date`` representation).

    Examples
    --------
    >>> to_days(date(2017, 4, 1))
    17257
    """
    return (d - _EPOCH).days


def from_days(n: int) -> date:
    """The date ``n`` days after 1970-01-01.

    Examples
    --------
    >>> from_days(17257)
    datetime.date(2017, 4, 1)
    """
    return _EPOCH + timedelta(days=int(n))


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates with a canonical label.

    Build one with :meth:`Period.parse` (or :func:`parse_period`) from the spellings users type,
    or with :meth:`Period.from_bounds` from two dates.

    Attributes
    ----------
    start, end
        First and last day, both included.
    label
        Canonical spelling: ``2017/18``, ``2017/18 Q1``, ``April 2017``, ``2017``,
        ``12 months to 2018-09-30`` or ``2017-04-01..2017-12-31``.
    kind
        ``financial_year``, ``quarter``, ``month``, ``calendar_year``, ``rolling`` or ``window``.

    Examples
    --------
    >>> p = Period.parse("April to December 2017")
    >>> p.label, p.days
    ('2017-04-01..2017-12-31', 275)
    >>> p.shift_years(-1).label
    '2016-04-01..2016-12-31'
    """

    start: date
    end: date
    label: str
    kind: str

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse a period spelling.

        Accepted: financial years (``2017/18``, ``2017-18``, ``FY2017/18``, ``17/18``,
        ``financial year 2017/18``, ``year to March 2018``, ``year to April 2019`` = 2018/19),
        quarters (``2017/18 Q1``, ``Q1 2017/18``; ranges ``2017/18 Q1-Q3``),
        months (``2017-04``, ``April 2017``), calendar years (``2017``, ``CY2017``), rolling
        windows (``12 months to 2018-09-30``, ``year ending September 2018``) and windows
        (``2017-04-01..2017-12-31``, ``April to December 2017``, ``1 April 2013 to 31 December
        2017``, ``first six months from 2017-04-03``). A window that is exactly a standard
        period gets that period's label.

        Raises
        ------
        PeriodError
            Naming the text and what was expected (``2017/19``, quarter 5, end before start).

        Examples
        --------
        >>> Period.parse("Q1 2017/18").label
        '2017/18 Q1'
        >>> Period.parse("2017/19")
        Traceback (most recent call last):
        ...
        groomstats.PeriodError: period '2017/19': a financial year runs ... expected '2017/18'
        """
        if not isinstance(text, str):
            raise PeriodError(f"period {text!r}: expected a string such as '2017/18'")
        return cls._from_tuple(_core.parse_period(text))

    @classmethod
    def from_bounds(cls, start: date, end: date) -> Period:
        """The period from ``start`` to ``end`` (both included), with its canonical label.

        Examples
        --------
        >>> Period.from_bounds(date(2017, 4, 1), date(2017, 6, 30)).label
        '2017/18 Q1'
        """
        return cls._from_tuple(_core.period_from_bounds(to_days(start), to_days(end)))

    @classmethod
    def _from_tuple(cls, t: _core.PeriodBounds) -> Period:
        start, end, kind, label = t.start, t.end, t.kind, t.label
        return cls(start=from_days(start), end=from_days(end), label=label, kind=kind)

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1

    def shift_years(self, years: int) -> Period:
        """The same period ``years`` years later (negative: earlier); whole months stay whole.

        Examples
        --------
        >>> Period.parse("2018/19").shift_years(-1).label
        '2017/18'
        """
        return self._from_tuple(
            _core.shift_period_years(to_days(self.start), to_days(self.end), int(years))
        )

    def granules(self, granularity: Granularity) -> list[Period]:
        """Split into months, quarters, financial or calendar years.

        Raises :class:`PeriodError` when the period cuts through one (never pro-rated).

        Examples
        --------
        >>> [q.label for q in Period.parse("April to December 2017").granules("quarter")]
        ['2017/18 Q1', '2017/18 Q2', '2017/18 Q3']
        """
        check_option(granularity, GRANULARITIES, "granularity")
        gr = _core.period_granules(to_days(self.start), to_days(self.end), granularity)
        starts, ends, labels = gr.starts, gr.ends, gr.labels
        return [
            Period(from_days(int(s)), from_days(int(e)), lab, granularity)
            for s, e, lab in zip(starts, ends, labels, strict=True)
        ]

    def crosses(self, day: date) -> bool:
        """True when the period holds days both before and on/after ``day``.

        Examples
        --------
        >>> Period.parse("2016/17 Q4..2017/18 Q1").crosses(SERIES_BREAK)
        True
        """
        return self.start < day <= self.end

    def __str__(self) -> str:
        return self.label


WindowLike: TypeAlias = "str | Period | tuple[date, date]"


def parse_period(window: str | Period | tuple[date, date]) -> Period:
    """A :class:`Period` from a spelling, a Period, or a ``(start, end)`` pair of dates.

    Examples
    --------
    >>> parse_period("12 months to 2018-09-30").start
    datetime.date(2017, 10, 1)
    >>> parse_period((date(2017, 4, 3), date(2017, 10, 2))).label
    '2017-04-03..2017-10-02'
    """
    if isinstance(window, Period):
        return window
    if isinstance(window, str):
        return Period.parse(window)
    if isinstance(window, tuple) and len(window) == 2 and all(isinstance(d, date) for d in window):
        return Period.from_bounds(window[0], window[1])
    raise PeriodError(
        f"window {window!r}: expected a period spelling such as '2017/18' or "
        "'2017-04-01..2017-12-31', a groomstats.Period, or a (start, end) pair of dates"
    )

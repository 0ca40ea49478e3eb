"""Periods and windows: financial years, quarters, months, calendar years and date ranges.

The parsing is done in the Rust core; a :class:`Period` is a pair of inclusive dates with a
canonical label. Financial years run April-March (``2017/18``); quarter 1 is April-June.

Examples
--------
>>> from groomstats import Period
>>> p = Period.parse("financial year ending 2019")
>>> p.label, p.kind, p.start, p.end
('2018/19', 'financial_year', datetime.date(2018, 4, 1), datetime.date(2019, 3, 31))
"""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeAlias

import polars as pl

from groomstats import _core
from groomstats._constants import SERIES_BREAK
from groomstats._util import check_option
from groomstats.exceptions import PeriodError, SeriesBreakWarning

__all__ = [
    "FINANCIAL_YEAR",
    "MONTHS",
    "PHRASE_RULES",
    "SERIES_BREAK",
    "Granularity",
    "Period",
    "WindowLike",
    "check_series_break",
    "crosses_series_break",
    "decimal_year",
    "describe_period",
    "end_of",
    "financial_year_start",
    "is_series_break_date",
    "label_start",
    "may_hold_88a",
    "parse_period",
    "period_start_expr",
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
        ``financial year 2017/18``, ``year to March 2018``, ``financial year ending 2018``),
        quarters (``2017/18 Q1``, ``Q1 2017/18``; ranges ``2017/18 Q1-Q3``),
        months (``2017-04``, ``April 2017``), calendar years (``2017``, ``CY2017``), rolling
        windows (``12 months to 2018-09-30``, ``year ending September 2018``) and windows
        (``2017-04-01..2017-12-31``, ``April to December 2017``, ``1 April 2013 to 31 December
        2017``, ``first six months from 2017-04-03``). A window that is exactly a standard
        period gets that period's label. Each phrase has one rule (:data:`PHRASE_RULES`, the
        table in ``docs/periods.md``): ``financial year ending 2018`` is 2017/18; spacing
        around ``-`` never changes the meaning (a spelling read one way joined and another
        split at a spaced dash, ``2017-04 - 06``, is refused); ``N months to <month> YYYY``
        includes the named month, as ``N months to <day> <month> YYYY`` does; a phrase with
        two common readings (``year to April 2019``, ``2017-2018``, ``2017-18-19``, ``year
        ending 2018``) raises :class:`PeriodError` listing both.

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
        return _resolve_phrase(text)

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


# ---------------------------------------------------------------------------------------------
# Period phrases: one rule each (the table in docs/periods.md)

#: Every phrase rule applied before the core parses a spelling: (phrase, rule). The same table
#: is in ``docs/periods.md``; ``tests/periods/test_phrase_rules.py`` checks each row.
PHRASE_RULES: tuple[tuple[str, str], ...] = (
    (
        "financial year ending 2018 / FY ending 2018 / FYE 2018 / financial year ended 2018",
        "the financial year that ends in March 2018: 2017/18",
    ),
    (
        "financial year ending March 2018 / financial year to March 2018",
        "2017/18 (a financial year ends in March; another month is refused)",
    ),
    (
        "financial year to April 2019",
        "2018/19: the financial year up to April 2019",
    ),
    (
        "N months to <month> YYYY / year to <month> YYYY / year ending <month> YYYY / "
        "YE <month> YY",
        "the N (or 12) months ending on the last day of the named month: the month is "
        "included, as in 'N months to <day> <month> YYYY'. 'YE' is 'year ending'; after a "
        "month, a two-digit year ('YE Mar 24', 'year ending March 24', \"Apr '23\") is 20YY",
    ),
    (
        "year to April 2019 / 12 months to April 2019",
        "two common readings (May 2018-April 2019, or NSPCC's financial year 2018/19): "
        "PeriodError listing both",
    ),
    (
        "year ending 2018 / year to 2018 / 12 months to 2018 (a year without a month)",
        "two readings (calendar year 2018, or financial year 2017/18): PeriodError listing both",
    ),
    (
        "FY2018 / FY 2018 / FY18 / financial year 2018 (one year)",
        "two readings (the financial year ending March 2018, 2017/18, or the one starting "
        "April 2018, 2018/19): PeriodError listing both",
    ),
    (
        "spacing around `-`",
        "never changes the meaning: '2017-18' = '2017 - 18', 'April-December 2017' = "
        "'April - December 2017'; a spelling that reads one way joined and another split at "
        "a spaced dash ('2017-04 - 06': the day 2017-04-06, or April to June 2017) is refused, "
        "both listed; an unspaced ISO date ('2017-04-06') is a day",
    ),
    (
        "2017-2018 / 2017 - 2018 (two consecutive years)",
        "two readings (financial year 2017/18, or calendar years 2017 to 2018): PeriodError "
        "listing both; '2017/2018' is the financial year. A chain ('2017-18-19', "
        "'2017-2018-2019-2020'), a range with such an end ('2015-2016-2018-2019') or with a "
        "calendar and a financial year as ends ('2017 - 2018/19') is refused the same way",
    ),
    (
        "2016-2018 (years further apart)",
        "the calendar years 2016 to 2018 (2016-01-01..2018-12-31)",
    ),
)

_FY_ENDING = re.compile(
    r"^(?:financial year|fy)\s*(?P<verb>ending|ended|to|end)\s+"
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+)?(?:(?P<month>[a-z]+)\.?\s+)?(?P<year>\d{4})$"
)
_FYE = re.compile(r"^fye\s*(?P<year>\d{4})$")
_FY_ONE_YEAR = re.compile(r"^(?:fy|financial year)\s*(?P<year>\d{4}|\d{2})$")
_YEAR_NO_MONTH = re.compile(
    r"^(?:year|12 months|twelve months)\s+(?P<verb>ending|ended|to|up to)\s+(?P<year>\d{4})$"
)
_YEAR_TO_APRIL = re.compile(
    r"^(?:year|12 months|twelve months)\s+(?:to|up to)\s+apr(?:il|\.)?\s+(?P<year>\d{4})$"
)
_TWO_YEARS = re.compile(r"^(?:cy\s*)?(?P<a>\d{4})-(?P<b>\d{4})$")
_YEAR_CHAIN = re.compile(r"^\d{4}(?:-(?:\d{2}|\d{4})){2,}$")
_SPACED_DAY = re.compile(
    r"^(?P<y>\d{4})\s*-\s*(?P<m>\d{1,2})(?P<sp2>\s*)-(?P<sp3>\s*)(?P<d>\d{1,2})$"
)


def _normalised(text: str) -> str:
    s = text.strip().lower().replace("\u2013", "-").replace("\u2014", "-")
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def _fy(y: int) -> str:
    return f"{y}/{(y + 1) % 100:02d}"


def _bounds(p: Period) -> str:
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


def _two_readings(text: str, first: tuple[str, str], second: tuple[str, str]) -> PeriodError:
    """The error for a phrase with two common readings: each reading and how to write it."""
    (what1, spell1), (what2, spell2) = first, second
    return PeriodError(
        f"period '{text}' has two common readings: {what1}, written '{spell1}'; or {what2}, "
        f"written '{spell2}'. groomstats does not choose: write the one you mean"
    )


def _core_period(text: str, shown: str) -> Period:
    """The core's parse of ``text``; errors quote ``shown`` (the caller's spelling)."""
    try:
        return Period._from_tuple(_core.parse_period(text))
    except PeriodError as e:
        msg = str(e)
        prefix = f"period '{text}'"
        if text != shown and msg.startswith(prefix):
            raise PeriodError(f"period '{shown}'" + msg[len(prefix) :]) from None
        raise


def _fy_ending(text: str, s: str) -> Period | None:
    m = _FY_ENDING.match(s) or _FYE.match(s)
    if m is None:
        return None
    y = int(m["year"])
    groups = m.groupdict()
    month, day, verb = groups.get("month"), groups.get("day"), groups.get("verb")
    if month is None:
        if day is not None:
            raise PeriodError(f"period '{text}': a day needs its month, e.g. '31 March {y}'")
        return Period.parse(_fy(y - 1))
    if month in ("march", "mar") and (day is None or int(day) == 31):
        return Period.parse(_fy(y - 1))
    if month in ("april", "apr") and day is None and verb == "to":
        return Period.parse(_fy(y - 1))  # up to April: the financial year that ends in March
    raise PeriodError(
        f"period '{text}': a financial year ends on 31 March; write 'financial year ending "
        f"March {y}' ({_fy(y - 1)}) or give the window, e.g. '12 months to {y}-04-30'"
    )


def _some_readings(text: str, readings: list[tuple[str, str]]) -> PeriodError:
    """The error for a spelling with several readings (or more than two): each and its spelling."""
    if len(readings) == 2:
        return _two_readings(text, readings[0], readings[1])
    listed = "; or ".join(f"{what}, written '{spell}'" for what, spell in readings)
    return PeriodError(
        f"period '{text}' has {len(readings)} possible readings: {listed}. groomstats does not "
        "choose: write the one you mean"
    )


def _chain_years(compact: str) -> list[int] | None:
    """The years of a chain such as ``2017-18-19`` or ``2017-2018-2019``, when each is the one
    after the one before (two-digit years take the century of the year before them)."""
    if not _YEAR_CHAIN.match(compact):
        return None
    parts = compact.split("-")
    years = [int(parts[0])]
    for part in parts[1:]:
        y = int(part)
        if len(part) == 2:
            y += years[-1] - years[-1] % 100
            if y <= years[-1]:
                y += 100
        years.append(y)
    if any(b != a + 1 for a, b in itertools.pairwise(years)):
        return None
    return years


def _chain_readings(years: list[int]) -> list[tuple[str, str]]:
    """The readings of a chain of consecutive years: financial years or calendar years."""
    a, z = years[0], years[-1]
    return [
        (f"the financial years {_fy(a)} to {_fy(z - 1)} ({a}-04-01..{z}-03-31)",
         f"{_fy(a)}..{_fy(z - 1)}"),
        (f"the calendar years {a} to {z} ({a}-01-01..{z}-12-31)", f"{a}-01-01..{z}-12-31"),
    ]  # fmt: skip


def _spaced_day_readings(text: str, s: str, day: Period) -> list[tuple[str, str]]:
    """Other readings of a day written with a spaced dash (``2017-04 - 06``): the months
    April to June 2017 when the dash between month and day is spaced and the day could be a
    month, and the years of a chain (``2011 - 12 - 13``). Empty when the day is the only one."""
    m = _SPACED_DAY.match(s)
    if m is None or " " not in s:
        return []
    others: list[tuple[str, str]] = []
    y, m1, last = int(m["y"]), int(m["m"]), int(m["d"])
    if (m["sp2"] or m["sp3"]) and 1 <= last <= 12:
        y2 = y if last >= m1 else y + 1
        end = end_of(date(y2, last, 1), "1mo")
        others.append(
            (
                f"the months {MONTHS[m1 - 1]} {y} to {MONTHS[last - 1]} {y2} "
                f"({y}-{m1:02d}-01..{end.isoformat()})",
                f"{y}-{m1:02d}..{y2}-{last:02d}",
            )
        )
    years = _chain_years(f"{m['y']}-{m['m']}-{m['d']}")
    if years is not None:
        others.extend(_chain_readings(years))
    if not others:
        return []
    d = day.start
    return [(f"the day {d.day} {MONTHS[d.month - 1]} {d.year}", d.isoformat()), *others]


def _ambiguous_end(side: str) -> bool:
    """True when one end of a range is itself two consecutive years (``2017-2018``)."""
    two = _TWO_YEARS.match(side)
    if two is None or side.startswith("cy"):
        return False
    return int(two["b"]) == int(two["a"]) + 1


def _range_readings(text: str, cand: str) -> list[tuple[str, str]] | None:
    """The readings of one split ``A - B`` when an end has two readings of its own
    (``2017-2018 - 2019-2020``) or the ends are a calendar year and a financial year
    (``2017 - 2018/19``); None when the split has at most one reading."""
    left, right = cand.split(" - ", 1)
    if _ambiguous_end(left) or _ambiguous_end(right):
        fy_l = _fy(int(left[:4])) if _ambiguous_end(left) else left
        fy_r = _fy(int(right[:4])) if _ambiguous_end(right) else right
        cy_l = left[:4] if _ambiguous_end(left) else left
        cy_r = right[-4:] if _ambiguous_end(right) else right
        ends = " and ".join(f"'{e}'" for e in (left, right) if _ambiguous_end(e))
        out = []
        for kind, a, b in (("financial years", fy_l, fy_r), ("calendar years", cy_l, cy_r)):
            try:
                p = _core_period(f"{a} - {b}", text)
            except PeriodError:
                continue
            out.append((f"the window {_bounds(p)}, reading {ends} as {kind}", _bounds(p)))
        return out if len(out) > 1 else None
    try:
        kinds = {Period._from_tuple(_core.parse_period(side)).kind for side in (left, right)}
    except PeriodError:
        return None
    if kinds != {"calendar_year", "financial_year"}:
        return None
    p = _core_period(cand, text)
    fys = []
    for side, is_left in ((left, True), (right, False)):
        q = Period._from_tuple(_core.parse_period(side))
        if q.kind == "financial_year":
            fys.append([q])
        elif is_left:
            fys.append([Period.parse(_fy(q.start.year))])
        else:  # a calendar year at the end: the financial year ending in it or starting in it
            fys.append([Period.parse(_fy(q.start.year - 1)), Period.parse(_fy(q.start.year))])
    out = [(f"the window {_bounds(p)} (one end a calendar year, the other a financial year)",
            _bounds(p))]  # fmt: skip
    for last in fys[1]:
        first = fys[0][0]
        if last.end > first.start:
            out.append(
                (
                    f"the financial years {first.label} to {last.label} "
                    f"({first.start.isoformat()}..{last.end.isoformat()})",
                    f"{first.label}..{last.label}",
                )
            )
    return out


def _dash_readings(text: str, s: str) -> Period:
    """The one reading of a spelling with ``-`` whatever the spacing around it, or an error.

    The spelling joined (no spaces around its dashes) and split at a dash are both readings:
    ``2017-04 - 06`` is the day 2017-04-06 or April to June 2017, so it is refused; a chain of
    consecutive years (``2017-18-19``) is financial or calendar years, refused; a range whose
    end has two readings (``2017-2018 - 2019-2020``) or whose ends are a calendar and a
    financial year is refused, listing the readings.
    """
    compact = re.sub(r"\s*-\s*", "-", s)
    two = _TWO_YEARS.match(compact)
    if two and int(two["b"]) == int(two["a"]) + 1 and not compact.startswith("cy"):
        a, b = int(two["a"]), int(two["b"])
        raise _two_readings(
            text,
            (f"the financial year {_fy(a)} ({a}-04-01..{b}-03-31)", _fy(a)),
            (f"the calendar years {a} to {b} ({a}-01-01..{b}-12-31)", f"{a}-01-01..{b}-12-31"),
        )
    try:  # a spelling that is whole without spaces (2017-18, 2017-04-01) is read as such
        whole = _core_period(compact, text)
    except PeriodError as e:
        first_error: PeriodError | None = e
    else:  # unless a spaced dash splits it another way (2017-04 - 06: a day or three months)
        others = _spaced_day_readings(text, s, whole)
        if others:
            raise _some_readings(text, others)
        return whole
    years = _chain_years(compact)
    if years is not None:
        raise _some_readings(text, _chain_readings(years))
    readings: dict[tuple[date, date], Period] = {}
    candidates = [  # else a range: split at each '-' in turn; more than one reading is refused
        f"{compact[:i]} - {compact[i + 1 :]}"
        for i, ch in enumerate(compact)
        if ch == "-" and 0 < i < len(compact) - 1
    ]
    for cand in candidates:
        try:
            p = _core_period(cand, text)
        except PeriodError as e:
            first_error = first_error or e
            continue
        several = _range_readings(text, cand)
        if several:
            raise _some_readings(text, several)
        readings.setdefault((p.start, p.end), p)
    if len(readings) == 1:
        return next(iter(readings.values()))
    if len(readings) > 1:
        p1, p2 = list(readings.values())[:2]
        raise _two_readings(
            text, (f"{p1.label} ({_bounds(p1)})", _bounds(p1)), (p2.label, _bounds(p2))
        )
    raise first_error or PeriodError(f"period '{text}': not a period")


_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
#: 'YE Mar 24', 'Y/E 31 March 2024': year ending, the year perhaps in two digits.
_YE = re.compile(
    r"^(?:ye|y/e)\s+(?P<rest>(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + _MONTH_WORD + r")\s+'?"
    r"(?P<year>\d{2}|\d{4})$"
)
#: 'year ending March 24', '12 months to Mar 24': a two-digit year after the month.
_ENDING_SHORT_YEAR = re.compile(
    r"^(?P<head>(?:year|\d+ months|twelve months)\s+(?:ending|ended|to|up to)\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + _MONTH_WORD + r")\s+'?(?P<year>\d{2})$"
)
#: "Apr '23": a month and a two-digit year marked by an apostrophe (ONS table headers).
_APOSTROPHE_YEAR = re.compile(r"\b(?P<month>" + _MONTH_WORD + r")\s*['\u2019](?P<year>\d{2})\b")


def _short_years(s: str) -> str:
    """'YE <month> YY' and a two-digit year after a month written in full as four digits."""
    m = re.fullmatch(r"(?:ye|y/e)\s+(\d{4})", s)
    if m:  # 'YE 2024': the year-without-a-month rule (two readings)
        return f"year ending {m[1]}"
    m = _YE.match(s)
    if m:
        y = m["year"] if len(m["year"]) == 4 else f"20{m['year']}"
        return f"year ending {m['rest']} {y}"
    m = _ENDING_SHORT_YEAR.match(s)
    if m:
        return f"{m['head']} 20{m['year']}"
    return _APOSTROPHE_YEAR.sub(lambda a: f"{a['month']} 20{a['year']}", s)


def _resolve_phrase(text: str) -> Period:
    """Apply :data:`PHRASE_RULES`, then the core's parser: the one path of every spelling."""
    s = _normalised(text)
    short = _short_years(s)
    core_text = short if short != s else text  # errors still quote the caller's spelling
    s = short
    fy = _fy_ending(text, s)
    if fy is not None:
        return fy
    m = _FY_ONE_YEAR.match(s)
    if m:
        y = int(m["year"]) if len(m["year"]) == 4 else 2000 + int(m["year"])
        raise _two_readings(
            text,
            (f"the financial year ending March {y} ({y - 1}-04-01..{y}-03-31)", _fy(y - 1)),
            (f"the financial year starting April {y} ({y}-04-01..{y + 1}-03-31)", _fy(y)),
        )
    m = _YEAR_NO_MONTH.match(s)
    if m:
        y = int(m["year"])
        raise _two_readings(
            text,
            (f"the calendar year {y} ({y}-01-01..{y}-12-31)", f"CY{y}"),
            (f"the financial year ending March {y} ({y - 1}-04-01..{y}-03-31)", _fy(y - 1)),
        )
    m = _YEAR_TO_APRIL.match(s)
    if m:
        y = int(m["year"])
        raise _two_readings(
            text,
            (
                f"the 12 months to 30 April {y} ({y - 1}-05-01..{y}-04-30)",
                f"12 months to {y}-04-30",
            ),
            (
                f"the financial year {_fy(y - 1)} as NSPCC uses 'year to April' "
                f"({y - 1}-04-01..{y}-03-31)",
                _fy(y - 1),
            ),
        )
    if "-" in s:
        return _dash_readings(text, s)
    return _core_period(core_text, text)


# ---------------------------------------------------------------------------------------------
# Financial years, month names, period starts and ends


#: A financial year written ``2017/18``, ``2017-18`` or ``2017/2018`` (groups: start, end).
FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})")

#: English month names, January first.
MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def financial_year_start(text: str, *, whole: bool = True) -> re.Match[str] | None:
    """Match a financial-year spelling; with ``whole=False`` only its beginning (``2017/18 Q1``).

    The match's groups are the start year and the end year as written (checking that they are
    consecutive is the caller's: it words its own error).

    Examples
    --------
    >>> financial_year_start(" 2017/18 ").groups()
    ('2017', '18')
    >>> financial_year_start("2017/18 Q1") is None
    True
    >>> financial_year_start("2017/18 Q1", whole=False)[1]
    '2017'
    """
    m = FINANCIAL_YEAR.match(text)
    if m is None or (whole and text[m.end() :].strip()):
        return None
    return m


def label_start(label: Any) -> date | None:
    """Start date of a period label: a date, or a financial year such as ``2017/18`` (1 April).

    Examples
    --------
    >>> label_start("2017/18 Q2"), label_start("Kent")
    (datetime.date(2017, 4, 1), None)
    """
    if isinstance(label, datetime):
        return label.date()
    if isinstance(label, date):
        return label
    if isinstance(label, str):
        m = financial_year_start(label.strip(), whole=False)
        if m:
            return date(int(m.group(1)), 4, 1)
    return None


def decimal_year(d: date) -> float:
    """A date as a decimal calendar year (1 January = ``.0``).

    Examples
    --------
    >>> decimal_year(date(2017, 1, 1)), round(decimal_year(SERIES_BREAK), 4)
    (2017.0, 2017.2466)
    """
    start = date(d.year, 1, 1)
    days = (date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


_TRUNCATE = {"month": "1mo", "quarter": "1q", "calendar_year": "1y"}
#: polars offset of one granule of each granularity.
STEP = {"month": "1mo", "quarter": "3mo", "financial_year": "1y", "calendar_year": "1y"}


def period_start_expr(day: pl.Expr, granularity: str) -> pl.Expr:
    """The first day of the month / financial quarter / financial or calendar year of ``day``.

    Examples
    --------
    >>> df = pl.DataFrame({"d": [date(2018, 2, 9)]})
    >>> df.select(period_start_expr(pl.col("d"), "financial_year")).item()
    datetime.date(2017, 4, 1)
    """
    if granularity == "financial_year":  # April-March: shift to calendar years and back
        return day.dt.offset_by("-3mo").dt.truncate("1y").dt.offset_by("3mo")
    return day.dt.truncate(_TRUNCATE[granularity])


def end_of(start: date, step: str) -> date:
    """Last day of the period of length ``step`` (``"1mo"``, ``"3mo"``, ``"1y"``) from ``start``.

    Examples
    --------
    >>> end_of(date(2017, 4, 1), "1y")
    datetime.date(2018, 3, 31)
    """
    months = {"1mo": 1, "3mo": 3, "1y": 12}[step]
    m = start.month - 1 + months
    first_after = date(start.year + m // 12, m % 12 + 1, 1)
    return first_after - timedelta(days=1)


def describe_period(start: date, end: date) -> str:
    """Word a period: a financial year as ``2017/18``, else a month range.

    Examples
    --------
    >>> describe_period(date(2018, 4, 1), date(2019, 3, 31))
    '2018/19'
    >>> describe_period(date(2017, 4, 3), date(2018, 3, 31))
    '2017/18 (from 3 April 2017)'
    >>> describe_period(date(2017, 4, 1), date(2017, 12, 31))
    'April-December 2017'
    >>> describe_period(date(2017, 4, 3), date(2017, 10, 2))
    '3 April-2 October 2017'
    """
    month_end = (end + timedelta(days=1)).day == 1
    if start.month == 4 and end.month == 3 and end.year == start.year + 1 and month_end:
        fy = f"{start.year}/{str(end.year)[2:]}"
        return fy if start.day == 1 else f"{fy} (from {start.day} April {start.year})"
    if start.day == 1 and month_end:
        if start.year == end.year:
            if start.month == end.month:
                return f"{MONTHS[start.month - 1]} {start.year}"
            return f"{MONTHS[start.month - 1]}-{MONTHS[end.month - 1]} {end.year}"
        return f"{MONTHS[start.month - 1]} {start.year}-{MONTHS[end.month - 1]} {end.year}"
    same_year = start.year == end.year
    left = f"{start.day} {MONTHS[start.month - 1]}" + ("" if same_year else f" {start.year}")
    return f"{left}-{end.day} {MONTHS[end.month - 1]} {end.year}"


# ---------------------------------------------------------------------------------------------
# The 1 April 2017 series break in 88A


def crosses_series_break(first: date, last: date) -> bool:
    """True when days (or period starts) from ``first`` to ``last`` lie both before and on/after
    :data:`SERIES_BREAK`: the one rule (``Period.crosses``) every module applies.

    Examples
    --------
    >>> crosses_series_break(date(2016, 4, 1), date(2017, 4, 1))
    True
    >>> crosses_series_break(date(2017, 4, 1), date(2018, 3, 31))
    False
    """
    return Period(first, last, "", "custom").crosses(SERIES_BREAK)


def is_series_break_date(day: date) -> bool:
    """True for 1-3 April 2017: the series break itself (s.15A came into force on 3 April 2017).

    Examples
    --------
    >>> is_series_break_date(date(2017, 4, 3)), is_series_break_date(date(2017, 4, 4))
    (True, False)
    """
    return SERIES_BREAK <= day <= date(2017, 4, 3)


#: Columns that can tell what a series counts (offence) or where (area): read by
#: :func:`may_hold_88a`.
SERIES_COLUMNS = ("offence_code", "offence", "offence_description", "force", "area", "nation")


def may_hold_88a(values: dict[str, list[Any]]) -> bool:
    """Whether rows with these distinct column values may hold England and Wales offence 88A
    figures: the only series the 1 April 2017 break (:data:`SERIES_BREAK`) applies to.

    Not 88A: an ``offence_code`` column without ``88A`` (any case, any padding); an offence
    column that is Scotland's *communicating indecently with a child*; or rows all of Police
    Scotland / the PSNI (a ``force``, ``area`` or ``nation`` column naming only them or their
    nations). A series that says nothing of either may hold 88A.

    Parameters
    ----------
    values : dict
        Column name -> its distinct values (columns of :data:`SERIES_COLUMNS`; others ignored).

    Returns
    -------
    bool

    Examples
    --------
    >>> may_hold_88a({"force": ["Police Scotland"]}), may_hold_88a({"force": ["Kent"]})
    (False, True)
    >>> may_hold_88a({"offence_code": ["88E"]}), may_hold_88a({})
    (False, True)
    """
    from groomstats.areas import other_nation  # areas needs the compiled core only

    codes = values.get("offence_code")
    if codes is not None:
        return any(str(c).strip().upper() == "88A" for c in codes if c is not None)
    for col in ("offence", "offence_description"):
        v = [str(x).lower() for x in values.get(col, []) if x is not None]
        if v and all("communicating indecently" in x for x in v):
            return False
    for col in ("force", "area", "nation"):
        v = [x for x in values.get(col, []) if x is not None]
        if v and all(other_nation(str(x)) is not None for x in v):
            return False
    return True


def series_values(df: pl.DataFrame) -> dict[str, list[Any]]:
    """The distinct values of a frame's :data:`SERIES_COLUMNS` (for :func:`may_hold_88a`)."""
    return {
        c: df.get_column(c).unique().to_list()
        for c in SERIES_COLUMNS
        if c in df.columns and df.schema[c] in (pl.String, pl.Categorical, pl.Enum)
    }


def check_series_break(
    first: date,
    last: date,
    *,
    allow: bool,
    refuse: bool,
    message: str,
    allowed_message: str | None = None,
    stacklevel: int = 2,
) -> None:
    """Apply the series-break rule to data spanning ``first`` .. ``last``.

    When they cross :data:`SERIES_BREAK` (:func:`crosses_series_break`): without ``allow``,
    raise :class:`PeriodError` (``refuse=True``) or warn :class:`SeriesBreakWarning` with
    ``message``; with ``allow``, warn ``allowed_message`` if given, else stay silent.

    Examples
    --------
    >>> check_series_break(date(2017, 4, 1), date(2018, 3, 31), allow=False, refuse=True,
    ...                    message="crosses")
    >>> check_series_break(date(2016, 4, 1), date(2018, 3, 31), allow=False, refuse=True,
    ...                    message="2016/17 and 2017/18 cross the break")
    Traceback (most recent call last):
    ...
    groomstats.PeriodError: 2016/17 and 2017/18 cross the break
    """
    if not crosses_series_break(first, last):
        return
    if allow:
        if allowed_message is not None:
            warnings.warn(allowed_message, SeriesBreakWarning, stacklevel=stacklevel + 1)
        return
    if refuse:
        raise PeriodError(message)
    warnings.warn(message, SeriesBreakWarning, stacklevel=stacklevel + 1)

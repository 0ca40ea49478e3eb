"""English wording for profiles and the report: numbers, percentages, ratios, periods, forces.

Every sentence groomstats writes goes through these helpers, so a figure is worded the same way
in a profile, a report table and a notebook.

Examples
--------
>>> fmt_int(4429), fmt_pct(140.35), times_phrase(3.906)
('4,429', '140%', 'almost four times')
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

from groomstats.io._sheets import NULL_WORDS
from groomstats.periods import MONTHS, describe_period

__all__ = [
    "ABSENT_WORDS",
    "IN_DATA",
    "NA_WORDS",
    "as_date",
    "during",
    "fmt_int",
    "fmt_pct",
    "missing_words",
    "moved",
    "offences",
    "ordinal",
    "p_text",
    "police_in",
    "row_dates",
    "significance_phrase",
    "source_name",
    "the_force",
    "times_phrase",
]

_NUMBER_WORDS = {
    2: "twice",
    3: "three times",
    4: "four times",
    5: "five times",
    6: "six times",
    7: "seven times",
    8: "eight times",
    9: "nine times",
    10: "ten times",
}


def fmt_int(x: float) -> str:
    """An integer with thousands separators.

    Examples
    --------
    >>> fmt_int(4429.0)
    '4,429'
    """
    return f"{round(x):,}"


def offences(n: float, kind: str = "") -> str:
    """``1 offence``, ``2 sexual grooming offences``.

    Examples
    --------
    >>> offences(1), offences(4429, "sexual grooming")
    ('1 offence', '4,429 sexual grooming offences')
    """
    word = "offence" if round(n) == 1 else "offences"
    return f"{fmt_int(n)} {kind + ' ' if kind else ''}{word}"


def moved(pct: float) -> str:
    """``up 140%``, ``down 3.2%`` or ``unchanged``.

    Examples
    --------
    >>> moved(140.35), moved(-3.21), moved(0.0)
    ('up 140%', 'down 3.2%', 'unchanged')
    """
    if pct == 0:
        return "unchanged"
    return f"{'up' if pct > 0 else 'down'} {fmt_pct(abs(pct))}"


def fmt_pct(x: float) -> str:
    """A percentage, rounded to a whole number (one decimal below 10%).

    Examples
    --------
    >>> fmt_pct(140.35), fmt_pct(2.84), fmt_pct(0.04)
    ('140%', '2.8%', 'less than 0.1%')
    """
    if 0 < abs(x) < 0.05:
        return "less than 0.1%"
    if abs(x) < 9.95:
        return f"{x:.1f}%"
    return f"{x:.0f}%"


def times_phrase(ratio: float) -> str:
    """Word a ratio of two increases as a reporter would.

    Within 2% of a whole number is "about"; up to 15% below one is "almost"; otherwise
    "more than" the whole number below.

    Examples
    --------
    >>> times_phrase(3.906)
    'almost four times'
    >>> times_phrase(2.02), times_phrase(2.4), times_phrase(1.04), times_phrase(0.48)
    ('about twice', 'more than twice', 'about the same as', 'about half')
    >>> times_phrase(1.3), times_phrase(12.4), times_phrase(0.7)
    ('1.3 times', '12 times', 'less than')
    """
    if ratio <= 0 or math.isnan(ratio):
        return ""
    if 0.9 <= ratio <= 1.1:
        return "about the same as"
    if ratio < 0.9:
        for frac, part in ((0.5, "half"), (1 / 3, "a third of"), (0.25, "a quarter of")):
            if abs(ratio - frac) <= 0.05:
                return f"about {part}"
        return "less than"
    if ratio < 1.7:
        return f"{ratio:.1f} times"
    if ratio > 10.5:
        return f"{ratio:.0f} times"

    def word(n: int) -> str:
        return _NUMBER_WORDS.get(n, f"{n} times")

    n = round(ratio)
    if abs(ratio - n) <= 0.02 * n:
        return f"about {word(n)}"
    up = math.ceil(ratio)
    if up - ratio <= 0.15 * up:
        return f"almost {word(up)}"
    return f"more than {word(math.floor(ratio))}"


def during(start: dt.date, end: dt.date) -> str:
    """A period as a phrase after a verb.

    Examples
    --------
    >>> import datetime as dt
    >>> during(dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    'in 2018/19'
    >>> during(dt.date(2017, 4, 3), dt.date(2017, 10, 2))
    'between 3 April and 2 October 2017'
    """
    label = describe_period(start, end)
    if start.day == 1 or label.startswith(f"{start.year}/"):
        return f"in {label}"
    left = f"{start.day} {MONTHS[start.month - 1]}" + (
        "" if start.year == end.year else f" {start.year}"
    )
    return f"between {left} and {end.day} {MONTHS[end.month - 1]} {end.year}"


def the_force(force: str) -> str:
    """``the Metropolitan Police`` mid-sentence; other force names as they are.

    Examples
    --------
    >>> the_force("Metropolitan Police"), the_force("Kent")
    ('the Metropolitan Police', 'Kent')
    """
    return f"the {force}" if force.endswith("Police") else force


def police_in(force: str) -> str:
    """Subject phrase for a force.

    Examples
    --------
    >>> police_in("Kent"), police_in("Metropolitan Police"), police_in("City of London")
    ('Police in Kent', 'The Metropolitan Police', 'City of London Police')
    """
    if force.endswith("Police"):
        return f"The {force}"
    if force == "City of London":
        return "City of London Police"
    return f"Police in {force}"


def ordinal(n: int) -> str:
    """English ordinal.

    Examples
    --------
    >>> ordinal(1), ordinal(2), ordinal(13), ordinal(22)
    ('1st', '2nd', '13th', '22nd')
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def p_text(pvalue: float) -> str:
    """A p-value as text, e.g. ``p = 0.11`` or ``p < 0.001``.

    Examples
    --------
    >>> p_text(0.1134), p_text(0.0004), p_text(0.0496)
    ('p = 0.11', 'p < 0.001', 'p = 0.0496')
    """
    if pvalue < 0.001:
        return "p < 0.001"
    if 0.045 <= pvalue < 0.055:  # never let rounding cross the 5% line
        return f"p = {pvalue:.4f}"
    return f"p = {pvalue:.3f}" if pvalue < 0.1 else f"p = {pvalue:.2f}"


def significance_phrase(pvalue: float | None, what: str) -> str:
    """Say whether an exact test found ``what`` statistically significant at 5%.

    Examples
    --------
    >>> significance_phrase(0.2, "The change")
    'The change is not statistically significant (exact test, p = 0.20)'
    >>> significance_phrase(None, "The change")
    ''
    """
    if pvalue is None or math.isnan(pvalue):
        return ""
    if pvalue < 0.05:
        return f"{what} is statistically significant (exact test, {p_text(pvalue)})"
    return f"{what} is not statistically significant (exact test, {p_text(pvalue)})"


def source_name(src: str) -> str:
    """A source as a reader would name it: the web site of a URL, other text as it is.

    Examples
    --------
    >>> source_name("https://www.northantstelegraph.co.uk/news/x")
    'northantstelegraph.co.uk'
    """
    s = str(src).strip()
    if s.startswith("http"):
        host = s.split("/")[2]
        return host.removeprefix("www.")
    return s


def as_date(v: Any) -> dt.date:
    """A date from a date, a datetime or an ISO string.

    Examples
    --------
    >>> as_date("2017-04-03")
    datetime.date(2017, 4, 3)
    """
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def row_dates(r: dict[str, Any], prefix: str) -> tuple[dt.date, dt.date] | None:
    """``(start, end)`` from a row's ``<prefix>period_start`` and ``_end``, None if one is missing.

    Examples
    --------
    >>> row_dates({"period_start": "2017-04-01", "period_end": "2017-12-31"}, "")
    (datetime.date(2017, 4, 1), datetime.date(2017, 12, 31))
    """
    s, e = r.get(f"{prefix}period_start"), r.get(f"{prefix}period_end")
    if s is None or e is None:
        return None
    return as_date(s), as_date(e)


#: The column :func:`groomstats.report.context.absent_as_missing` adds: False on the rows it
#: made for a force absent from a quarter of the data, True on the rows the data hold (a null
#: there was published N/a or suppressed, or left blank). "Not in the data" and "N/a, blank or
#: suppressed" are not the same thing, and the report says which (the frame does not tell N/a,
#: blank and suppressed apart: :data:`~groomstats.io._sheets.NULL_WORDS`).
IN_DATA = "in_data"
NA_WORDS = NULL_WORDS
ABSENT_WORDS = "not in the data"


def missing_words(rows: pl.DataFrame) -> str:
    """Why the null counts among ``rows`` are missing: ``"N/a, blank or suppressed"`` (cells
    published so), ``"not in the data"`` (rows
    :func:`groomstats.report.context.absent_as_missing` made for a force absent from a
    quarter), both joined when both occur; ``""`` when none is.

    Examples
    --------
    >>> rows = pl.DataFrame({"offences": [None, 3, None], "in_data": [True, True, False]})
    >>> missing_words(rows), missing_words(rows.head(2)), missing_words(rows.tail(1))
    ('N/a, blank or suppressed, or not in the data', 'N/a, blank or suppressed', 'not in the data')
    """
    nulls = rows.filter(pl.col("offences").is_null())
    if nulls.height == 0:
        return ""
    if IN_DATA not in nulls.columns:
        return NA_WORDS
    present = nulls[IN_DATA].fill_null(True)
    words = [NA_WORDS] if present.any() else []
    if not present.all():
        words.append(ABSENT_WORDS)
    return ", or ".join(words)

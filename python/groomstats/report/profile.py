"""Force profiles: the figures a local report gives, with their sources and caveats.

:func:`profile` returns a :class:`Profile`: one row per fact in ``.frame`` and
``.sentences()`` that words the facts as a careful reporter would. Nothing is overstated: a
difference is called *statistically significant* only when the test behind it says so, and a
comparison that the data cannot support (such as the same period of the previous year, across
the 1 April 2017 break in classification 88A) is reported as unavailable with the reason.

The figures come from a :class:`~groomstats.report.context.Context` (the statistics pipeline,
:mod:`groomstats.report.context`); the facts are built by :mod:`groomstats.report.facts` (from
the police recorded crime data) and :mod:`groomstats.report.published` (from published
figures), worded by :mod:`groomstats.report.wording`.

Examples
--------
>>> import groomstats
>>> p = groomstats.profile(force="Northamptonshire")
>>> p.value("offences_year")
42.0
>>> p.sentences()[0][:60]
'Police in Northamptonshire recorded 42 sexual grooming offen'
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from groomstats.areas import match_force
from groomstats.exceptions import UnknownAreaError
from groomstats.report import facts as computed
from groomstats.report import published
from groomstats.report import years as series
from groomstats.report.context import Context, context, not_profiled
from groomstats.report.facts import FACT_SCHEMA, Facts

__all__ = ["FACT_SCHEMA", "Profile", "profile"]


@dataclass(frozen=True)
class Profile:
    """A force profile: ``frame`` (one row per fact) and :meth:`sentences`.

    Attributes
    ----------
    force
        Canonical force name.
    frame
        polars DataFrame with the columns of :data:`FACT_SCHEMA`.
    """

    force: str
    frame: pl.DataFrame
    _sentences: tuple[str, ...] = field(default=(), repr=False)

    def sentences(self) -> list[str]:
        """The facts worded for a reader, each with its caveat where one applies.

        Examples
        --------
        >>> import groomstats
        >>> import textwrap
        >>> first = groomstats.profile(force="Northamptonshire").sentences()[0]
        >>> print(textwrap.fill(first, 88))
        Police in Northamptonshire recorded 42 sexual grooming offences (Home Office code 88A) in
        2017/18, 0.9% of the 4,429 recorded by the 43 police forces of England and Wales.
        """
        return list(self._sentences)

    def value(self, fact: str) -> float | None:
        """The ``value`` of a fact, or None if the profile has no such fact (or no value).

        Examples
        --------
        >>> import groomstats
        >>> p = groomstats.profile(force="Northamptonshire")
        >>> p.value("offences_year"), p.value("no such fact")
        (42.0, None)
        """
        hit = self.frame.filter(pl.col("fact") == fact)
        if hit.height == 0:
            return None
        v = hit["value"][0]
        return None if v is None else float(v)

    def row(self, fact: str) -> dict[str, Any] | None:
        """The first row of a fact as a dict, or None.

        Examples
        --------
        >>> import groomstats
        >>> row = groomstats.profile(force="Northamptonshire").row("offences_year")
        >>> row["value"], row["period"]
        (42.0, '2017/18')
        """
        hit = self.frame.filter(pl.col("fact") == fact)
        return hit.row(0, named=True) if hit.height else None

    def __repr__(self) -> str:
        lines = [f"Profile of {self.force}: {self.frame.height} facts"]
        lines += [f"  - {s}" for s in self._sentences]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self._sentences)
        table = self.frame.select("fact", "value", "lower", "upper", "unit", "period", "source")
        return f"<h3>{html.escape(self.force)}</h3><ul>{items}</ul>" + table._repr_html_()


def profile(
    df: Any = None,
    *,
    force: str,
    population: Any = None,
    ctx: Context | None = None,
) -> Profile:
    """Profile one police force: counts, comparisons, rate, rank, published figures, caveats.

    Parameters
    ----------
    df
        Tidy PRC frame (:func:`groomstats.read_prc`); default: the embedded 2017/18 table.
    force
        Force name in any common spelling (``"Avon & Somerset"``, ``"Dyfed Powys"``).
    population
        Population frame (:func:`groomstats.read_population`); default: the embedded ONS
        estimates of the mid-year inside the data's latest financial year (mid-2017 for 2017/18).
    ctx
        A :class:`Context` from :func:`context`, to reuse across many forces (then ``df`` and
        ``population`` are ignored).

    Returns
    -------
    Profile
        ``.frame`` has one row per fact (see :data:`FACT_SCHEMA`); ``.sentences()`` words them.

    Raises
    ------
    UnknownAreaError
        The force is not known (the message suggests the closest name) or is not a
        territorial force in the data.

    Examples
    --------
    >>> import groomstats
    >>> p = groomstats.profile(force="Thames Valley")
    >>> p.row("reported_change")["value"].__round__(1)
    140.4
    >>> tv = [s for s in p.sentences() if "274" in s][0]
    >>> tv[:63]
    'Police in Thames Valley recorded 274 offences of sexual communi'
    >>> "up 140%, almost four times the national rate of increase" in tv
    True
    """
    if ctx is None:
        ctx = context(df, population=population)
    name = match_force(force)
    row = ctx.by_force.filter(pl.col("force") == name)
    if row.height == 0 or not bool(row["territorial"][0]):
        raise UnknownAreaError(not_profiled(ctx, force, name))
    counts = row.row(0, named=True)
    facts = Facts()
    computed.counts(facts, ctx, name, counts)
    computed.same_period_last_year(facts, ctx, name)
    series.facts(facts, ctx, name)
    computed.within_year(facts, ctx, name, counts)
    computed.rate(facts, ctx, name)
    published.published_figures(facts, ctx, name)
    published.reported_shares(facts, ctx, name)
    published.wales(facts, ctx, name)
    computed.caveats(facts, ctx, name, counts)
    published.missing_from_national(facts, ctx, name)
    return Profile(force=name, frame=facts.frame(), _sentences=tuple(facts.sentences))

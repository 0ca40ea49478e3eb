"""Force profiles: the figures a local report gives, with their sources and caveats.

:func:`profile` returns a :class:`Profile`: one row per fact in ``.frame`` and
``.sentences()`` that words the facts as a careful reporter would. Nothing is overstated: a
difference is called *statistically significant* only when the test behind it says so, and a
comparison that the data cannot support (such as the same period of the previous year, across
the 1 April 2017 break in classification 88A) is reported as unavailable with the reason.

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

import datetime as dt
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from groomstats._util import as_polars, require_columns
from groomstats.areas import match_force
from groomstats.counts import grooming
from groomstats.exceptions import UnknownAreaError
from groomstats.periods import MONTHS as _MONTHS
from groomstats.periods import SERIES_BREAK, crosses_series_break, describe_period

__all__ = ["FACT_SCHEMA", "Profile", "profile"]

#: Columns of :attr:`Profile.frame`.
FACT_SCHEMA: dict[str, Any] = {
    "fact": pl.String,
    "label": pl.String,
    "value": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "unit": pl.String,
    "text": pl.String,
    "period": pl.String,
    "comparison": pl.String,
    "baseline": pl.Float64,
    "source": pl.String,
    "caveat": pl.String,
}

SOURCE_PRC = "Home Office police recorded crime open data (PFA tables, 2019 vintage; OGL v3.0)"
SOURCE_POP = "ONS mid-2023 population estimates by police force area (OGL v3.0)"

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


# --------------------------------------------------------------------------------------------
# wording helpers


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


def _moved(pct: float) -> str:
    """``up 140%``, ``down 3.2%`` or ``unchanged``."""
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
    left = f"{start.day} {_MONTHS[start.month - 1]}" + (
        "" if start.year == end.year else f" {start.year}"
    )
    return f"between {left} and {end.day} {_MONTHS[end.month - 1]} {end.year}"


def _the(force: str) -> str:
    """``the Metropolitan Police`` mid-sentence; other force names as they are."""
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


# --------------------------------------------------------------------------------------------
# the profile object


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


class _Facts:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.sentences: list[str] = []

    def add(self, fact: str, label: str, **kw: Any) -> None:
        row = dict.fromkeys(FACT_SCHEMA)
        row.update(fact=fact, label=label, **kw)
        for k in ("value", "lower", "upper", "baseline"):
            v = row[k]
            if v is not None:
                row[k] = float(v)
        self.rows.append(row)

    def say(self, text: str) -> None:
        self.sentences.append(text)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=FACT_SCHEMA, orient="row")


# --------------------------------------------------------------------------------------------
# shared context: computed once, used for every force


@dataclass
class Context:
    """Everything a profile draws on, computed once for all forces (see :func:`context`)."""

    grooming: pl.DataFrame
    year: str
    quarter: int
    by_force: pl.DataFrame
    national: int
    national_with_btp: int
    btp: int
    forces: pl.DataFrame
    news: pl.DataFrame | None = None
    nspcc_national: pl.DataFrame | None = None
    nspcc_wales: pl.DataFrame | None = None
    rates: pl.DataFrame | None = None
    national_rate: dict[str, Any] = field(default_factory=dict)
    rows_read: int = 0
    funnel: pl.DataFrame | None = None
    funnel_od: pl.DataFrame | None = None
    within: pl.DataFrame | None = None
    year_on_year: pl.DataFrame | None = None
    n_forces: int = 43

    @property
    def forces_label(self) -> str:
        """``"43 forces"``, or how many territorial forces the data hold."""
        return f"{self.n_forces} force{'s' * (self.n_forces != 1)}"

    @property
    def forces_phrase(self) -> str:
        """Who recorded the national total, for sentences."""
        if self.n_forces == 43:
            return "43 police forces of England and Wales"
        return f"{self.forces_label} in the data (England and Wales has 43)"

    wales_trend: pl.DataFrame | None = None


def context(
    df: Any = None,
    *,
    population: Any = None,
    news: Any = None,
    nspcc_national: Any = None,
    nspcc_wales: Any = None,
) -> Context:
    """Compute the shared inputs of :func:`profile` once (the report reuses them for 43 forces).

    Parameters
    ----------
    df
        Tidy PRC frame (any offences; the 88A rows are used). Default: the embedded 2017/18
        table.
    population
        Population frame (default: embedded ONS mid-2023).
    news, nspcc_national, nspcc_wales
        Published figures (default: the embedded tables).

    Returns
    -------
    Context

    Examples
    --------
    >>> ctx = context()
    >>> ctx.year, ctx.national, ctx.national_with_btp
    ('2017/18', 4429, 4444)
    """
    from groomstats import datasets

    prc = datasets.prc() if df is None else as_polars(df, "profile data")
    require_columns(
        prc,
        ["financial_year", "quarter", "force", "territorial", "offence_code", "offences"],
        "profile data",
    )
    g = grooming(prc, allow_series_break=True)
    if g.height == 0:
        from groomstats.exceptions import DataFormatError

        raise DataFormatError("profile data: no sexual grooming (88A) rows to profile")
    year = str(g["financial_year"].max())
    quarter = int(g.filter(pl.col("financial_year") == year)["quarter"].max())  # type: ignore[arg-type]
    latest = g.filter(pl.col("financial_year") == year)
    by_force = (
        latest.group_by("force", "force_code", "region", "territorial", maintain_order=True)
        .agg(
            pl.col("offences").sum().alias("offences"),
            *[
                pl.col("offences").filter(pl.col("quarter") == q).sum().alias(f"q{q}")
                for q in (1, 2, 3, 4)
            ],
            (pl.col("offences") < 0).sum().alias("negative_rows"),
            pl.col("offences").null_count().alias("missing_rows"),
        )
        .sort("force")
    )
    terr = by_force.filter(pl.col("territorial"))
    national = int(terr["offences"].sum())
    btp_rows = by_force.filter(pl.col("force") == "British Transport Police")
    btp = int(btp_rows["offences"].sum()) if btp_rows.height else 0
    forces = datasets.forces()
    rates_frame, national_rate = _rates(terr, population)
    funnels = _funnels(rates_frame)
    wales = datasets.nspcc_wales() if nspcc_wales is None else as_polars(nspcc_wales)
    return Context(
        grooming=g,
        year=year,
        quarter=quarter,
        by_force=by_force,
        national=national,
        national_with_btp=national + btp,
        btp=btp,
        forces=forces,
        news=datasets.news_figures() if news is None else as_polars(news, "news"),
        nspcc_national=(
            datasets.nspcc_national() if nspcc_national is None else as_polars(nspcc_national)
        ),
        nspcc_wales=wales,
        rates=rates_frame,
        national_rate=national_rate,
        rows_read=prc.height,
        funnel=funnels[0],
        funnel_od=funnels[1],
        within=_halves(g, year),
        year_on_year=_year_on_year_change(g, year),
        n_forces=terr.height,
        wales_trend=_wales_trend(wales),
    )


def _halves(g: pl.DataFrame, year: str) -> pl.DataFrame | None:
    """Second half of ``year`` against the first half, per force, via :func:`groomstats.change`."""
    from groomstats import change

    latest = g.filter(pl.col("financial_year") == year)
    if sorted(latest["quarter"].unique().to_list()) != [1, 2, 3, 4]:
        return None
    start = int(year[:4])
    h1 = (dt.date(start, 4, 1), dt.date(start, 9, 30))
    h2 = (dt.date(start, 10, 1), dt.date(start + 1, 3, 31))
    terr = latest.filter(pl.col("territorial"))
    return change(terr, current=h2, baseline=h1, by="force")


def _year_on_year_change(g: pl.DataFrame, year: str) -> pl.DataFrame | None:
    """``year`` against the previous financial year per force, when the data hold both and
    the comparison does not cross the 1 April 2017 series break."""
    from groomstats import change

    start = int(year[:4])
    previous = f"{start - 1}/{str(start)[2:]}"
    # the baseline year starts before the break: not comparable
    if (
        dt.date(start - 1, 4, 1) < SERIES_BREAK
        or previous not in g["financial_year"].unique().to_list()
    ):
        return None
    terr = g.filter(pl.col("territorial"))
    return change(terr, current=year, baseline="previous_year", by="force")


def _wales_trend(wales: pl.DataFrame | None) -> pl.DataFrame | None:
    """Annual percent change of each Welsh force's NSPCC series (quasi-Poisson)."""
    if wales is None or wales.height == 0:
        return None
    from groomstats import trend

    return trend(wales, by="force", model="quasipoisson")


def _funnels(rates_frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Funnel labels around the national rate: exact Poisson limits, and overdispersion-adjusted."""
    from groomstats import funnel

    cols = ["force", "offences", "population"]
    exact = funnel(rates_frame.select(cols))
    od = funnel(rates_frame.select(cols), overdispersion=True)
    return exact, od


def _rates(terr: pl.DataFrame, population: Any) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Rates per 100,000 children (0-17) with 95%/99.8% limits, ranked; and the national rate."""
    from groomstats import datasets, rank_areas, rates

    pop = datasets.population() if population is None else as_polars(population, "population")
    per_force = rank_areas(
        rates(terr.select("force", "force_code", "region", "offences"), pop, age_band="0-17")
    )
    kids = pop.filter(
        (pl.col("age_band") == "0-17") & pl.col("force_code").is_in(terr["force_code"].to_list())
    )
    year = int(kids["year"].max()) if "year" in kids.columns and kids.height else None  # type: ignore[arg-type]
    nat = rates(
        pl.DataFrame(
            {
                "area": ["England and Wales"],
                "offences": [int(terr["offences"].sum())],
                "children": [int(kids["population"].sum())],
            }
        ),
        denominator="children",
    ).row(0, named=True)
    nat["year"] = year
    return per_force, nat


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
        Population frame (:func:`groomstats.read_population`); default: embedded mid-2023.
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
        known = ctx.by_force.filter(pl.col("territorial"))["force"].to_list()
        raise UnknownAreaError(
            f"force {force!r} ({name}) has no 88A rows among the territorial forces in the data; "
            f"profiles cover {len(known)} forces, e.g. {', '.join(known[:3])}"
        )
    facts = _Facts()
    _counts(facts, ctx, name, row.row(0, named=True))
    _same_period_last_year(facts, ctx, name)
    _within_year(facts, ctx, name, row.row(0, named=True))
    _rate(facts, ctx, name)
    _published(facts, ctx, name)
    _reported_shares(facts, ctx, name)
    _wales(facts, ctx, name)
    _caveats(facts, ctx, name, row.row(0, named=True))
    return Profile(force=name, frame=facts.frame(), _sentences=tuple(facts.sentences))


# --------------------------------------------------------------------------------------------
# fact builders


def _counts(facts: _Facts, ctx: Context, name: str, row: dict[str, Any]) -> None:
    n = int(row["offences"])
    share = 100.0 * n / ctx.national if ctx.national else math.nan
    facts.add(
        "offences_year",
        f"Sexual grooming offences (88A), {ctx.year}",
        value=n,
        unit="offences",
        period=ctx.year,
        source=SOURCE_PRC,
    )
    facts.add(
        "national_offences_year",
        f"England and Wales ({ctx.forces_label}), {ctx.year}",
        value=ctx.national,
        unit="offences",
        period=ctx.year,
        source=SOURCE_PRC,
        caveat=f"excludes British Transport Police ({fmt_int(ctx.btp)}); "
        f"{fmt_int(ctx.national_with_btp)} with it",
    )
    facts.add(
        "share_of_national",
        "Share of the England and Wales total",
        value=share,
        unit="percent",
        period=ctx.year,
        comparison=f"{ctx.n_forces} territorial forces",
        source=SOURCE_PRC,
    )
    facts.say(
        f"{police_in(name)} recorded {offences(n, 'sexual grooming')} (Home Office code "
        f"88A) in {ctx.year}, {fmt_pct(share)} of the {fmt_int(ctx.national)} recorded by the "
        f"{ctx.forces_phrase}."
    )
    q = ctx.quarter
    qn = int(row[f"q{q}"])
    facts.add(
        "offences_latest_quarter",
        f"Offences in the latest quarter ({ctx.year} Q{q})",
        value=qn,
        unit="offences",
        period=f"{ctx.year} Q{q}",
        source=SOURCE_PRC,
    )


def _rate(facts: _Facts, ctx: Context, name: str) -> None:
    if ctx.rates is None:
        return
    hit = ctx.rates.filter(pl.col("force") == name)
    if hit.height == 0:
        return
    r = hit.row(0, named=True)
    nat = ctx.national_rate
    pop_year = nat.get("year")
    pop_note = (
        f"denominator: ONS mid-{pop_year} estimates of children aged 0-17, the only population "
        f"estimates shipped; counts are for {ctx.year}"
    )
    unit = "per 100,000 children aged 0-17"
    facts.add(
        "rate",
        f"Offences per 100,000 children aged 0-17, {ctx.year}",
        value=r["value"],
        lower=r.get("lower_95"),
        upper=r.get("upper_95"),
        unit=unit,
        text=f"99.8% limits {r['lower_99_8']:.1f} to {r['upper_99_8']:.1f}; {r['method']} method",
        period=ctx.year,
        baseline=r.get("population"),
        comparison="England and Wales",
        source=f"{SOURCE_PRC}; {SOURCE_POP}",
        caveat="; ".join(x for x in (pop_note, r.get("reason")) if x),
    )
    facts.add(
        "national_rate",
        f"England and Wales offences per 100,000 children aged 0-17, {ctx.year}",
        value=nat["value"],
        lower=nat.get("lower_95"),
        upper=nat.get("upper_95"),
        unit=unit,
        period=ctx.year,
        baseline=nat.get("children"),
        source=f"{SOURCE_PRC}; {SOURCE_POP}",
        caveat=pop_note,
    )
    sentence = (
        f"That is {r['value']:,.1f} offences per 100,000 children aged 0-17 (95% confidence "
        f"interval {r['lower_95']:,.1f} to {r['upper_95']:,.1f}), against {nat['value']:.1f} for "
        f"England and Wales (children counted in mid-{pop_year})."
    )
    if r.get("flag"):
        sentence += (
            f" With only {fmt_int(r['population'])} children living in the area, the rate is "
            "not a meaningful measure and is not ranked."
        )
    facts.say(sentence)
    if not r.get("flag"):
        _funnel_facts(facts, ctx, name)
    ranked = ctx.rates.filter(pl.col("rank").is_not_null())
    if r.get("rank") is not None:
        facts.add(
            "rank",
            "Rank by rate (1 = highest)",
            value=r["rank"],
            unit="rank",
            text=f"{ordinal(int(r['rank']))} of {ranked.height}",
            period=ctx.year,
            comparison=f"{ranked.height} territorial forces with a reliable rate",
            source=f"{SOURCE_PRC}; {SOURCE_POP}",
            caveat="ranks of close rates are uncertain: compare the confidence intervals",
        )
        unranked = ctx.rates.filter(pl.col("rank").is_null())["force"].to_list()
        excl = f" ({', '.join(unranked)} not ranked)" if unranked else ""
        k = int(r["rank"])
        nth = "the highest" if k == 1 else f"the {ordinal(k)} highest"
        facts.say(
            f"It has {nth} rate of the {ranked.height} forces ranked{excl}; neighbouring "
            "ranks often differ by less than chance variation."
        )


_FUNNEL_WORDS = {
    "High (0.001)": "above the 99.8% control limit",
    "High (0.025)": "above the 95% control limit but within the 99.8% limit",
    "Low (0.001)": "below the 99.8% control limit",
    "Low (0.025)": "below the 95% control limit but within the 99.8% limit",
    "Not significant": "within the 95% control limits",
}


def _funnel_facts(facts: _Facts, ctx: Context, name: str) -> None:
    if ctx.funnel is None:
        return
    hit = ctx.funnel.filter(pl.col("force") == name)
    if hit.height == 0 or hit["significance"][0] is None:
        return
    f = hit.row(0, named=True)
    label = str(f["significance"])
    facts.add(
        "funnel_significance",
        "Funnel plot against the England and Wales rate (exact Poisson limits)",
        value=f["value"],
        lower=f.get("funnel_lower_95"),
        upper=f.get("funnel_upper_95"),
        unit="per 100,000 children aged 0-17",
        text=label,
        period=ctx.year,
        comparison=f"England and Wales {f['target']:.1f}",
        source=f"{SOURCE_PRC}; {SOURCE_POP}",
        caveat="lower/upper: the 95% control limits at this force's population",
    )
    od_label = None
    if ctx.funnel_od is not None:
        od = ctx.funnel_od.filter(pl.col("force") == name)
        if od.height and od["significance"][0] is not None:
            o = od.row(0, named=True)
            od_label = str(o["significance"])
            facts.add(
                "funnel_significance_overdispersed",
                "Funnel plot allowing for overdispersion between forces (Spiegelhalter)",
                value=o["value"],
                lower=o.get("funnel_lower_95"),
                upper=o.get("funnel_upper_95"),
                unit="per 100,000 children aged 0-17",
                text=od_label,
                period=ctx.year,
                comparison=f"England and Wales {o['target']:.1f}",
                source=f"{SOURCE_PRC}; {SOURCE_POP}",
                caveat=f"phi = {o['phi']:.1f}: forces differ far more than chance alone "
                "would make them",
            )
    where = _FUNNEL_WORDS.get(label, label)
    if label == "Not significant":
        sentence = (
            "On a funnel plot its rate is within the 95% control limits around the national "
            "rate: not statistically significantly different from it."
        )
    else:
        direction = "higher" if label.startswith("High") else "lower"
        sentence = (
            f"On a funnel plot its rate is {where} around the national rate: statistically "
            f"significantly {direction} than England and Wales ({label})."
        )
    if od_label is not None and od_label != label:
        if od_label == "Not significant":
            sentence += (
                " Allowing for the wide variation between forces (overdispersion), the "
                "difference is within what that variation would produce."
            )
        else:
            sentence += (
                " Allowing for the wide variation between forces (overdispersion), it is "
                f"{_FUNNEL_WORDS.get(od_label, od_label)} ({od_label})."
            )
    elif od_label is not None and label != "Not significant":
        sentence += " It remains so after allowing for overdispersion between forces."
    facts.say(sentence)


def _same_period_last_year(facts: _Facts, ctx: Context, name: str) -> None:
    start = int(ctx.year[:4])
    previous = f"{start - 1}/{str(start)[2:]}"
    crosses = crosses_series_break(dt.date(start - 1, 4, 1), dt.date(start, 4, 1))
    row = None
    if ctx.year_on_year is not None and not crosses:
        hit = ctx.year_on_year.filter(pl.col("force") == name)
        row = hit.row(0, named=True) if hit.height else None
    if row is not None and row["baseline"] is not None and row["current"] is not None:
        _year_on_year(facts, ctx, name, row, previous)
        return
    if crosses:
        reason = (
            "the previous year lies before the 1 April 2017 series break (88A then held only "
            "meeting a child following sexual grooming, s.15), so it is not comparable"
        )
    else:
        reason = f"the data hold no {previous} figures for {name}"
    facts.add(
        "same_period_last_year",
        f"Same period last year ({previous})",
        unit="offences",
        text="not available",
        period=previous,
        comparison=ctx.year,
        source=SOURCE_PRC,
        caveat=f"not available: {reason}",
    )
    facts.say(f"No like-for-like comparison with {previous} is possible from these data: {reason}.")


def _year_on_year(facts: _Facts, ctx: Context, name: str, c: dict[str, Any], previous: str) -> None:
    """The latest year against the previous one (data holding both, after the break)."""
    from groomstats import rate_ratio_test

    x2, x1 = int(c["current"]), int(c["baseline"])
    n2, n1 = c["national_current"], c["national_baseline"]
    complete = bool(c["current_complete"]) and bool(c["baseline_complete"])
    facts.add(
        "same_period_last_year",
        f"Same period last year ({previous})",
        value=x1,
        unit="offences",
        period=previous,
        comparison=ctx.year,
        source=SOURCE_PRC,
        caveat=None if complete else "a window is incomplete in the data",
    )
    if not x1:
        return
    pct = float(c["pct_change"])
    facts.add(
        "change_year_on_year",
        f"Change, {ctx.year} against {previous}",
        value=pct,
        lower=None if c["lower"] is None else 100.0 * (c["lower"] - 1.0),
        upper=None if c["upper"] is None else 100.0 * (c["upper"] - 1.0),
        baseline=x1,
        unit="percent",
        text=f"{fmt_int(x2)} against {fmt_int(x1)}; {_p(c['pvalue'])}",
        period=ctx.year,
        comparison=previous,
        source=SOURCE_PRC,
        caveat="interval and p-value: exact test of the ratio of daily rates",
    )
    sentence = (
        f"{police_in(name)} recorded {offences(x2)} in {ctx.year} against "
        f"{fmt_int(x1)} in {previous}, {_moved(pct)}"
    )
    if n1:
        npct = float(c["national_pct_change"])
        facts.add(
            "national_change_year_on_year",
            f"England and Wales change, {ctx.year} against {previous}",
            value=npct,
            baseline=n1,
            unit="percent",
            text=f"{fmt_int(n2)} against {fmt_int(n1)}",
            period=ctx.year,
            comparison=previous,
            source=SOURCE_PRC,
            caveat=str(c["national_source"]),
        )
        days = (
            (dt.date(int(ctx.year[:4]) + 1, 3, 31) - dt.date(int(ctx.year[:4]), 4, 1)).days + 1,
            (dt.date(int(ctx.year[:4]), 3, 31) - dt.date(int(ctx.year[:4]) - 1, 4, 1)).days + 1,
        )
        national_ratio = (n2 / days[0]) / (n1 / days[1])
        vs = rate_ratio_test([x2], [x1], [days[0]], [days[1]], ratio=national_ratio)
        ratio = c["ratio_to_national"]
        if pct > 0 and npct > 0 and ratio is not None:
            facts.add(
                "change_year_on_year_ratio",
                "Force increase relative to the national increase",
                value=ratio,
                unit="ratio",
                text=times_phrase(ratio),
                period=ctx.year,
                comparison=previous,
                source=SOURCE_PRC,
            )
            sentence += (
                f", {times_phrase(ratio)} the national rate of increase "
                f"({fmt_pct(npct)}: {fmt_int(n2)} against {fmt_int(n1)})."
            )
        else:
            nword = "rise" if npct >= 0 else "fall"
            sentence += (
                f", against a national {nword} of {fmt_pct(abs(npct))} "
                f"({fmt_int(n2)} against {fmt_int(n1)})."
            )
        sentence += (
            " " + _test_phrase(vs["pvalue"][0], "The difference from the national change") + "."
        )
    else:
        sentence += "."
    facts.say(sentence)


def _row_dates(r: dict[str, Any], prefix: str) -> tuple[dt.date, dt.date] | None:
    s, e = r.get(f"{prefix}period_start"), r.get(f"{prefix}period_end")
    if s is None or e is None:
        return None
    return _as_date(s), _as_date(e)


def _as_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _source_name(src: str) -> str:
    s = str(src).strip()
    if s.startswith("http"):
        host = s.split("/")[2]
        return host.removeprefix("www.")
    return s


def _nspcc_pair(
    ctx: Context, cur: tuple[dt.date, dt.date], base: tuple[dt.date, dt.date]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """National NSPCC figures for two periods, from the same release when it has both."""
    nat = ctx.nspcc_national
    if nat is None or nat.height == 0:
        return None
    rows = [r for r in nat.iter_rows(named=True) if r["area"] == "England and Wales"]

    def match(r: dict[str, Any], p: tuple[dt.date, dt.date]) -> bool:
        return (
            r["offences"] is not None
            and _as_date(r["period_end"]) == p[1]
            and abs((_as_date(r["period_start"]) - p[0]).days) <= 3
        )

    cur_rows = sorted((r for r in rows if match(r, cur)), key=lambda r: str(r["release"]))
    if not cur_rows:
        return None
    c = cur_rows[-1]
    base_rows = sorted((r for r in rows if match(r, base)), key=lambda r: str(r["release"]))
    same = [r for r in base_rows if r["release"] == c["release"]]
    if same:
        return c, same[0]
    return (c, base_rows[-1]) if base_rows else None


def _test_phrase(pvalue: float | None, what: str) -> str:
    if pvalue is None or math.isnan(pvalue):
        return ""
    if pvalue < 0.05:
        return f"{what} is statistically significant (exact test, {_p(pvalue)})"
    return f"{what} is not statistically significant (exact test, {_p(pvalue)})"


def _p(pvalue: float) -> str:
    """A p-value as text, e.g. ``p = 0.11`` or ``p < 0.001``."""
    if pvalue < 0.001:
        return "p < 0.001"
    if 0.045 <= pvalue < 0.055:  # never let rounding cross the 5% line
        return f"p = {pvalue:.4f}"
    return f"p = {pvalue:.3f}" if pvalue < 0.1 else f"p = {pvalue:.2f}"


def _published(facts: _Facts, ctx: Context, name: str) -> None:
    from groomstats import rate_ratio_test

    news = ctx.news
    if news is None or news.height == 0:
        return
    g = ctx.grooming
    for r in news.filter(pl.col("force") == name).iter_rows(named=True):
        cur = _row_dates(r, "")
        if cur is None or r["offences"] is None:
            continue
        cur_label = describe_period(*cur)
        nspcc = str(r["measure"]).startswith("nspcc")
        what = (
            "offences of sexual communication with a child" if nspcc else "sexual grooming offences"
        )
        whose = "NSPCC Freedom of Information figures" if nspcc else "Home Office figures"
        src = str(r["source"])
        note = r.get("note")
        spans = crosses_series_break(*cur) and not nspcc
        caveats = [str(note)] if note else []
        if spans:
            caveats.append(
                "spans the 1 April 2017 series break: a total of two different definitions"
            )
        base = _row_dates(r, "comparison_")
        n = int(r["offences"])
        facts.add(
            "reported_figure",
            f"Published figure ({whose}), {cur_label}",
            value=n,
            unit="offences",
            period=cur_label,
            source=src,
            caveat="; ".join(caveats) or None,
        )
        revised = False
        if not nspcc:
            shipped = _shipped_total(g, name, *cur)
            if shipped is not None and shipped != n:
                facts.add(
                    "revision",
                    f"Revised figure, {cur_label}",
                    value=shipped,
                    baseline=n,
                    unit="offences",
                    period=cur_label,
                    comparison=f"{fmt_int(n)} as first published",
                    source=SOURCE_PRC,
                    caveat="a revision between releases, not an error",
                )
                facts.say(
                    f"For {cur_label}, {name} was first published with {fmt_int(n)} offences "
                    f"({_source_name(src)}); the 2019 edition of the Home Office data has "
                    f"{fmt_int(shipped)}, a revision between releases."
                )
                revised = True
        if base is None or r.get("comparison_offences") is None:
            tail = (
                "; the total spans the 1 April 2017 series break, so it mixes two definitions"
                if spans
                else ""
            )
            if not revised:
                facts.say(
                    f"{police_in(name)} recorded {fmt_int(n)} {what} {during(*cur)} ({whose}; "
                    f"source: {_source_name(src)}){tail}."
                )
            continue
        b = int(r["comparison_offences"])
        base_label = describe_period(*base)
        if crosses_series_break(base[0], cur[0]) and not nspcc:
            facts.add(
                "reported_comparison",
                f"Published comparison, {cur_label} against {base_label}",
                value=n,
                baseline=b,
                unit="offences",
                period=cur_label,
                comparison=base_label,
                source=src,
                caveat="crosses the 1 April 2017 series break: not a like-for-like comparison",
            )
            facts.say(
                f"{_source_name(src)} reported {fmt_int(n)} offences {during(*cur)} against "
                f"{fmt_int(b)} {during(*base)}; the two are not comparable, because from "
                "1 April 2017 the category also counts sexual communication with a child."
            )
            continue
        days_cur = (cur[1] - cur[0]).days + 1
        days_base = (base[1] - base[0]).days + 1
        test = rate_ratio_test([n], [b], [days_cur], [days_base]).row(0, named=True)
        pct = 100.0 * (n - b) / b if b else math.nan
        facts.add(
            "reported_change",
            f"Change, {cur_label} against {base_label} ({whose})",
            value=pct,
            lower=None if test["lower"] is None else 100.0 * (test["lower"] - 1.0),
            upper=None if test["upper"] is None else 100.0 * (test["upper"] - 1.0),
            baseline=b,
            unit="percent",
            text=f"{fmt_int(n)} against {fmt_int(b)}; {_p(test['pvalue'])}",
            period=cur_label,
            comparison=base_label,
            source=src,
            caveat=(note or "")
            + ("; " if note else "")
            + "interval and p-value: exact test of the ratio of daily rates",
        )
        direction = "up" if pct >= 0 else "down"
        sentence = (
            f"{police_in(name)} recorded {fmt_int(n)} {what} {during(*cur)} against "
            f"{fmt_int(b)} {during(*base)}, {direction} {fmt_pct(abs(pct))}"
        )
        pair = _nspcc_pair(ctx, cur, base) if nspcc else None
        after = ""
        if pair is not None:
            nc, nb = int(pair[0]["offences"]), int(pair[1]["offences"])
            npct = 100.0 * (nc - nb) / nb
            facts.add(
                "reported_national_change",
                f"England and Wales change, {cur_label} against {base_label} ({whose})",
                value=npct,
                baseline=nb,
                unit="percent",
                text=f"{fmt_int(nc)} against {fmt_int(nb)}",
                period=cur_label,
                comparison=base_label,
                source=str(pair[0]["source_url"]),
                caveat=f"NSPCC release {pair[0]['release']}",
            )
            national_ratio = (nc / (days_cur)) / (nb / days_base)
            vs = rate_ratio_test([n], [b], [days_cur], [days_base], ratio=national_ratio).row(
                0, named=True
            )
            if pct > 0 and npct > 0:
                ratio = pct / npct
                facts.add(
                    "reported_change_ratio",
                    "Force increase relative to the national increase",
                    value=ratio,
                    unit="ratio",
                    text=f"{times_phrase(ratio)}; {_p(vs['pvalue'])} against the national "
                    "rate ratio",
                    period=cur_label,
                    comparison=base_label,
                    source=src,
                    caveat="p-value: exact test of the force's rate ratio against the national one",
                )
                sentence += (
                    f", {times_phrase(ratio)} the national rate of increase "
                    f"({fmt_pct(npct)}: {fmt_int(nc)} against {fmt_int(nb)})"
                )
            else:
                sentence += (
                    f"; in England and Wales the figure went from {fmt_int(nb)} to "
                    f"{fmt_int(nc)} ({'+' if npct >= 0 else ''}{fmt_pct(npct)})"
                )
            after = " " + _test_phrase(vs["pvalue"], "The difference from the national change")
            after = after + "." if after.strip() else ""
        facts.say(sentence + f", according to {whose} reported by {_source_name(src)}.{after}")


_SHARE_NOTE = re.compile(r"(\d+) (?:involved|recorded as involving) ([^;]+)")
_PLATFORM_WORDS = ("facebook", "snapchat", "instagram", "whatsapp", "messenger", "kik", "skype")


def _reported_shares(facts: _Facts, ctx: Context, name: str) -> None:
    """Platform and age shares a force's published figures give in their notes, with Wilson CIs."""
    from groomstats import shares

    news = ctx.news
    if news is None or news.height == 0 or "note" not in news.columns:
        return
    for r in news.filter(pl.col("force") == name).iter_rows(named=True):
        note, total = r.get("note"), r.get("offences")
        cur = _row_dates(r, "")
        if not note or not total or cur is None:
            continue
        parts = []
        for m in _SHARE_NOTE.finditer(str(note)):
            k, what = int(m.group(1)), m.group(2).strip().rstrip(".")
            if k > total:
                continue
            kind = (
                "platform"
                if any(w in what.lower() for w in _PLATFORM_WORDS)
                else "age"
                if "aged" in what.lower()
                else "other"
            )
            b = pl.DataFrame(
                {
                    "force": [name],
                    "period": [describe_period(*cur)],
                    "category": [kind],
                    "value": [what],
                    "offences": [k],
                    "suppressed": [False],
                }
            )
            sh = shares(b, kind, denominator=int(total), confidence=0.95).row(0, named=True)
            facts.add(
                f"share_{kind}",
                f"Share of offences that involved {what}",
                value=sh["value"],
                lower=sh["lower_95"],
                upper=sh["upper_95"],
                unit="percent",
                text=f"{k} of {fmt_int(total)}",
                period=describe_period(*cur),
                source=str(r["source"]),
                caveat="share of all the offences reported, not only those where the "
                + ("method" if kind == "platform" else "detail")
                + " was recorded; Wilson 95% interval",
            )
            parts.append(
                f"{k} ({fmt_pct(sh['value'])}, 95% CI {fmt_pct(sh['lower_95'])} to "
                f"{fmt_pct(sh['upper_95'])}) involved {what}"
            )
        if parts:
            facts.say(
                f"Of the {fmt_int(total)} offences {during(*cur)} reported by "
                f"{_source_name(str(r['source']))}, " + "; ".join(parts) + "."
            )


def _shipped_total(g: pl.DataFrame, name: str, start: dt.date, end: dt.date) -> int | None:
    """Sum of the force's 88A quarters exactly covering [start, end], if the data hold them."""
    if "period_start" not in g.columns or "period_end" not in g.columns:
        return None
    rows = g.filter(
        (pl.col("force") == name)
        & (pl.col("period_start") >= start)
        & (pl.col("period_end") <= end)
    )
    if rows.height == 0:
        return None
    if rows["period_start"].min() != start or rows["period_end"].max() != end:
        return None
    return int(rows["offences"].sum())


def _wales(facts: _Facts, ctx: Context, name: str) -> None:
    from groomstats import rate_ratio_test

    w = ctx.nspcc_wales
    if w is None or w.height == 0:
        return
    series = w.filter(pl.col("force") == name).sort("financial_year")
    if series.height == 0:
        return
    src = str(series["source_url"][0])
    known = series.filter(pl.col("offences").is_not_null())
    missing = series.filter(pl.col("offences").is_null())["financial_year"].to_list()
    if known.height == 0:
        return
    last = known.row(known.height - 1, named=True)
    first = known.row(0, named=True)
    for fact, r, label in (
        ("nspcc_latest_year", last, "latest year"),
        ("nspcc_first_year", first, "first year of the offence"),
    ):
        facts.add(
            fact,
            f"Sexual communication with a child (NSPCC FOI), {r['financial_year']} ({label})",
            value=r["offences"],
            unit="offences",
            period=str(r["financial_year"]),
            source=src,
            caveat=r.get("note"),
        )
    sentence = (
        f"NSPCC Freedom of Information figures show {fmt_int(last['offences'])} offences of "
        f"sexual communication with a child in {name} in {last['financial_year']}"
    )
    years = series["financial_year"].to_list()
    idx = years.index(last["financial_year"])
    prev = series.row(idx - 1, named=True) if idx > 0 else None
    if prev is not None and prev["offences"] is not None:
        b = int(prev["offences"])
        n = int(last["offences"])
        test = rate_ratio_test([n], [b]).row(0, named=True)
        pct = 100.0 * (n - b) / b if b else math.nan
        facts.add(
            "nspcc_year_on_year",
            f"Change {prev['financial_year']} to {last['financial_year']} (NSPCC FOI)",
            value=pct,
            lower=None if test["lower"] is None else 100.0 * (test["lower"] - 1.0),
            upper=None if test["upper"] is None else 100.0 * (test["upper"] - 1.0),
            baseline=b,
            unit="percent",
            text=f"{fmt_int(n)} against {fmt_int(b)}; {_p(test['pvalue'])}",
            period=str(last["financial_year"]),
            comparison=str(prev["financial_year"]),
            source=src,
            caveat="interval and p-value: exact test of the ratio of two Poisson counts",
        )
        word = "up" if n >= b else "down"
        sig = (
            "a statistically significant change"
            if test["pvalue"] is not None and test["pvalue"] < 0.05
            else "a change within what chance alone could produce"
        )
        sentence += (
            f", {word} {fmt_pct(abs(pct))} from {fmt_int(b)} in {prev['financial_year']} "
            f"({sig}: exact test, {_p(test['pvalue'])})"
        )
    elif prev is not None:
        facts.add(
            "nspcc_year_on_year",
            f"Change {prev['financial_year']} to {last['financial_year']} (NSPCC FOI)",
            unit="percent",
            text="not available",
            period=str(last["financial_year"]),
            comparison=str(prev["financial_year"]),
            source=src,
            caveat=f"no figure was provided for {prev['financial_year']}",
        )
        sentence += f"; no figure was provided for {prev['financial_year']}, so no year-on-year "
        sentence += "change can be given"
    if first["financial_year"] != last["financial_year"]:
        sentence += (
            f". In {first['financial_year']}, the offence's first year, the figure was "
            f"{fmt_int(first['offences'])}"
        )
        if first.get("note"):
            sentence += f" (note: {first['note']})"
    facts.say(sentence + f" (source: {_source_name(src)}).")
    _wales_apc(facts, ctx, name, src)
    if missing:
        facts.add(
            "caveat_missing_years",
            "Years with no NSPCC figure",
            text=", ".join(missing),
            unit="years",
            source=src,
            caveat="published as n/a (not provided by the force)",
        )


def _wales_apc(facts: _Facts, ctx: Context, name: str, src: str) -> None:
    if ctx.wales_trend is None:
        return
    hit = ctx.wales_trend.filter(pl.col("force") == name)
    if hit.height == 0 or hit["apc"][0] is None:
        return
    t = hit.row(0, named=True)
    facts.add(
        "nspcc_trend_apc",
        f"Annual percent change, {t['first']} to {t['last']} (NSPCC FOI)",
        value=t["apc"],
        lower=t["apc_lower"],
        upper=t["apc_upper"],
        unit="percent a year",
        text=f"{t['n']} years; {_p(t['pvalue'])}",
        period=f"{t['first']} to {t['last']}",
        source=src,
        caveat=f"log-linear quasi-Poisson fit; {t['n_excluded']} year(s) with no figure left out"
        + (f"; {t['reason']}" if t.get("reason") else ""),
    )
    sig = t["pvalue"] is not None and t["pvalue"] < 0.05
    trend_word = "rising" if t["apc"] > 0 else "falling"
    sentence = (
        f"Over {t['first']} to {t['last']} the NSPCC series for {name} changed by "
        f"{t['apc']:+.1f}% a year on average (95% CI {t['apc_lower']:+.1f}% to "
        f"{t['apc_upper']:+.1f}%; {t['n']} years)"
    )
    if sig:
        sentence += f": a statistically significant {trend_word} trend ({_p(t['pvalue'])})."
    else:
        sentence += (
            f": the trend is not statistically significant ({_p(t['pvalue'])}); the "
            "year-to-year variation is too large to say."
        )
    facts.say(sentence)


def _within_year(facts: _Facts, ctx: Context, name: str, row: dict[str, Any]) -> None:
    """Second half of the latest year against the first half, set against the nation."""
    from groomstats import rate_ratio_test

    if ctx.within is None:
        return
    hit = ctx.within.filter(pl.col("force") == name)
    if hit.height == 0:
        return
    c = hit.row(0, named=True)
    x2, x1, n2, n1 = c["current"], c["baseline"], c["national_current"], c["national_baseline"]
    if not x1 or not n1 or x2 is None:
        return
    start = int(ctx.year[:4])
    h1 = (dt.date(start, 4, 1), dt.date(start, 9, 30))
    h2 = (dt.date(start, 10, 1), dt.date(start + 1, 3, 31))
    t2, t1 = (h2[1] - h2[0]).days + 1, (h1[1] - h1[0]).days + 1
    national_ratio = (n2 / t2) / (n1 / t1)
    vs = rate_ratio_test([x2], [x1], [t2], [t1], ratio=national_ratio).row(0, named=True)
    pct, npct = float(c["pct_change"]), float(c["national_pct_change"])
    h1_label, h2_label = describe_period(*h1), describe_period(*h2)
    facts.add(
        "change_within_year",
        f"Second half of {ctx.year} against the first half",
        value=pct,
        lower=None if c["lower"] is None else 100.0 * (c["lower"] - 1.0),
        upper=None if c["upper"] is None else 100.0 * (c["upper"] - 1.0),
        baseline=x1,
        unit="percent",
        text=f"{fmt_int(x2)} against {fmt_int(x1)}; {_p(c['pvalue'])}",
        period=h2_label,
        comparison=h1_label,
        source=SOURCE_PRC,
        caveat=(
            "the first year of the new offence, when recording was bedding in; "
            if ctx.year == "2017/18"
            else ""
        )
        + "interval and p-value: exact test of the ratio of daily rates",
    )
    facts.add(
        "national_change_within_year",
        f"England and Wales, second half of {ctx.year} against the first half",
        value=npct,
        baseline=n1,
        unit="percent",
        text=f"{fmt_int(n2)} against {fmt_int(n1)}",
        period=h2_label,
        comparison=h1_label,
        source=SOURCE_PRC,
        caveat=str(c["national_source"]),
    )
    ratio = c["ratio_to_national"]
    if pct > 0 and npct > 0 and ratio is not None:
        facts.add(
            "change_within_year_ratio",
            "Force increase relative to the national increase (halves of the year)",
            value=ratio,
            unit="ratio",
            text=f"{times_phrase(ratio)}; {_p(vs['pvalue'])} against the national ratio",
            period=h2_label,
            comparison=h1_label,
            source=SOURCE_PRC,
            caveat="p-value: exact test of the force's rate ratio against the national one",
        )
    first_year = ", the first year of the new offence" if ctx.year == "2017/18" else ""
    sentence = (
        f"Within {ctx.year}{first_year}, {_the(name)} recorded "
        f"{offences(x2)} in {h2_label} against {fmt_int(x1)} in {h1_label}, "
        f"{_moved(pct)}"
    )
    if pct > 0 and npct > 0 and ratio is not None:
        sentence += f", {times_phrase(ratio)} the national rate of increase"
        sentence += f" ({fmt_pct(npct)}: {fmt_int(n2)} against {fmt_int(n1)})."
    else:
        nword = "rise" if npct >= 0 else "fall"
        sentence += (
            f", against a national {nword} of {fmt_pct(abs(npct))} "
            f"({fmt_int(n2)} against {fmt_int(n1)})."
        )
    sentence += " " + _test_phrase(vs["pvalue"], "The difference from the national change") + "."
    facts.say(sentence)


def _caveats(facts: _Facts, ctx: Context, name: str, row: dict[str, Any]) -> None:
    neg = int(row["negative_rows"])
    if neg:
        facts.add(
            "caveat_negative_adjustments",
            "Quarters with negative counts",
            value=neg,
            unit="quarters",
            period=ctx.year,
            source=SOURCE_PRC,
            caveat="negative quarterly counts are adjustments for crimes reclassified out; "
            "kept, as the Home Office publishes them",
        )
        facts.say(
            f"{neg} of {name}'s quarterly counts in {ctx.year} are negative: adjustments for "
            "crimes reclassified out, kept as published."
        )
    nat = ctx.nspcc_national
    if nat is not None and "note" in nat.columns:
        for r in nat.iter_rows(named=True):
            note = str(r.get("note") or "")
            if name in note and ("missing" in note or "except" in note):
                period = describe_period(_as_date(r["period_start"]), _as_date(r["period_end"]))
                facts.add(
                    "caveat_missing_from_national",
                    f"Not in the NSPCC national figure for {period}",
                    text="missing",
                    period=period,
                    source=str(r["source_url"]),
                    caveat=note,
                )
                facts.say(
                    f"{name} did not provide figures for the NSPCC national total for {period} "
                    f"(release {r['release']})."
                )


def forces_in(ctx: Context) -> Sequence[str]:
    """The territorial forces with 88A rows in the data, alphabetically."""
    return [str(f) for f in ctx.by_force.filter(pl.col("territorial"))["force"].sort()]

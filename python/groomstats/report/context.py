"""The statistics pipeline behind profiles and the report, computed once for every force.

:func:`context` reads the data and calls the public statistics of groomstats — :func:`totals
<groomstats.totals>`, :func:`change <groomstats.change>`, :func:`rates <groomstats.rates>`,
:func:`funnel <groomstats.funnel>`, :func:`trend <groomstats.trend>`, :func:`shares
<groomstats.shares>`, :func:`poisson_ci <groomstats.poisson_ci>` — and keeps their results in
a :class:`Context`. Profiles and report sections only word and draw these results; nothing
here is computed a second way.

Examples
--------
>>> ctx = context()
>>> ctx.year, ctx.national, ctx.national_with_btp
('2017/18', 4429, 4444)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl

from groomstats import datasets
from groomstats._util import as_polars, require_columns
from groomstats.areas import comparator_label
from groomstats.compare import change
from groomstats.counts import NON_TERRITORIAL, grooming, totals
from groomstats.exceptions import DataFormatError
from groomstats.funnels import funnel, funnel_limits
from groomstats.intervals import poisson_ci, rank_areas, rates
from groomstats.periods import Period, crosses_series_break, describe_period, parse_period
from groomstats.proportions import shares
from groomstats.report.sourcing import EMBEDDED
from groomstats.report.wording import IN_DATA, NA_WORDS, missing_words
from groomstats.report.years import Years, years
from groomstats.trends import annual_series, trend

__all__ = ["Context", "context", "forces_in", "quarter_gaps"]

#: The NSPCC national series shown in the report, never mixed with one another.
NSPCC_AREAS = ("England and Wales", "United Kingdom")


@dataclass
class Context:
    """Everything a profile and the report draw on, computed once (see :func:`context`).

    Attributes
    ----------
    grooming
        The 88A rows of the data (:func:`groomstats.grooming`), with a row of null
        ``offences`` for each quarter a force is absent from (:func:`absent_as_missing`;
        ``in_data`` False on those rows).
    year, quarter
        Latest financial year in the data and its latest quarter.
    by_force
        One row per force in ``year``: ``force``, ``force_code``, ``region``,
        ``territorial``, ``offences`` and ``q1``..``q4`` (:func:`groomstats.totals`), with
        ``negative_rows`` and ``missing_rows`` (quarters published negative;
        N/a, blank or suppressed).
    national, national_with_btp, btp
        England and Wales totals for ``year`` without and with British Transport Police.
    quarters
        England and Wales by quarter over the whole data: ``period``, ``period_start``,
        ``offences`` (territorial forces) with exact Poisson 95% ``lower``/``upper``, ``all``
        (with British Transport Police), ``note`` (which forces' figures, N/a, blank or
        suppressed, a quarter's total excludes; null when complete) and ``mark`` (its short form for
        charts; :func:`quarter_gaps`).
    force_quarters
        The same per force: ``force``, ``period``, ``period_start``, ``offences``, ``lower``,
        ``upper``.
    regions
        Offences in ``year`` by region: ``region``, ``forces``, ``offences``.
    rates, national_rate
        Rates per 100,000 children aged 0-17 by force (ranked) and for England and Wales.
    funnel, funnel_od, funnel_curves
        Funnel labels with exact Poisson and overdispersion-adjusted limits, and the limit
        curves for the forces with a meaningful rate.
    within, year_on_year
        :func:`groomstats.change` per force: second half of ``year`` against the first, and
        ``year`` against the previous year (None when the data cannot support it).
    wales_trend
        Annual percent change of each Welsh force's NSPCC series.
    nspcc_series, nspcc_trends
        The NSPCC annual series per area in :data:`NSPCC_AREAS` (latest release of each whole
        year) and its trend fit (None with fewer than three years).
    platforms, platforms_published
        Wilson intervals (:func:`groomstats.shares`) for the latest release of the published
        platform shares, and the published rows they come from.
    victims
        Published victim facts (as :func:`groomstats.datasets.victim_facts`).
    years
        The financial years of the data: each force's series, the latest complete year
        against the one before and the trend since 2017/18 (:mod:`groomstats.report.years`).
    data_source
        What the Home Office data are (the shipped table, or the files or frame given), for
        source lines (:mod:`groomstats.report.sourcing`).
    unreported
        The later part of the data whose every figure is N/a, blank or suppressed
        (``"2020/21 Q1-Q2"``), left out of everything here and named in the report; ``""``
        when none.
    """

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
    funnel_curves: pl.DataFrame | None = None
    within: pl.DataFrame | None = None
    year_on_year: pl.DataFrame | None = None
    n_forces: int = 43
    wales_trend: pl.DataFrame | None = None
    quarters: pl.DataFrame = field(default_factory=pl.DataFrame)
    force_quarters: pl.DataFrame = field(default_factory=pl.DataFrame)
    regions: pl.DataFrame = field(default_factory=pl.DataFrame)
    nspcc_series: dict[str, pl.DataFrame] = field(default_factory=dict)
    nspcc_trends: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    platforms: pl.DataFrame | None = None
    platforms_published: pl.DataFrame | None = None
    victims: pl.DataFrame | None = None
    window: str = ""
    national_complete: bool = True
    change_left_out: list[str] = field(default_factory=list)
    years: Years | None = None

    @property
    def period(self) -> str:
        """The period the year's figures cover: ``year``, or its quarters in the data when the
        year is partial (``"2017/18 Q1"``, ``"2017/18 Q1-Q3"``)."""
        return self.window or self.year

    @property
    def quarters_in_window(self) -> int:
        """How many of the year's four quarters the figures cover."""
        p = parse_period(self.period)
        return len(p.granules("quarter"))

    @property
    def period_phrase(self) -> str:
        """The period for sentences: ``"2017/18"``, or for a partial year e.g.
        ``"April-June 2017 (one of the four quarters of 2017/18; the rest is not in the data)"``."""
        k = self.quarters_in_window
        if k >= 4:
            return self.year
        p = parse_period(self.period)
        return (
            f"{describe_period(p.start, p.end)} ({quarters_phrase(k)} of {self.year}; the rest "
            "of the year is not in the data)"
        )

    @property
    def incomplete_forces(self) -> list[str]:
        """Territorial forces whose total for :attr:`period` misses a quarter or cell."""
        rows = self.by_force.filter(pl.col("territorial") & ~pl.col("complete"))
        return [str(f) for f in rows["force"].sort()]

    def missing_words(self, force: str, years: Sequence[str] | None = None) -> str:
        """Why ``force``'s missing figures (in ``years``, default: every year) are missing:
        ``"N/a, blank or suppressed"``, ``"not in the data"`` or both (:func:`missing_words`)."""
        rows = self.grooming.filter(pl.col("force") == force)
        if years is not None:
            rows = rows.filter(pl.col("financial_year").is_in(list(years)))
        return missing_words(rows) or NA_WORDS

    @property
    def change_comparator(self) -> str:
        """What the national side of a change is: :attr:`comparator`, or the forces with
        complete figures in both windows when some force's figures are not available."""
        if not self.change_left_out:
            return self.comparator
        k = self.n_forces - len(self.change_left_out)
        return f"the {k} force{'s' * (k != 1)} with complete figures"

    data_source: str = ""
    unreported: str = ""

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

    comparator: str = "England and Wales"
    """What the national figures are (:func:`groomstats.areas.comparator_label`): "England and
    Wales" only when the data hold all 43 territorial forces, else a region's name or the forces
    summed ("4 forces: ..."), never a subset called the nation."""

    @property
    def title(self) -> str:
        """The report's title: "in England and Wales" only when the data hold all 43 forces."""
        if self.comparator == "England and Wales":
            return f"Child grooming crimes in England and Wales, {self.period}"
        return f"Child grooming crimes, {self.comparator}, {self.period}"

    @property
    def comparator_counted(self) -> str:
        """The comparator with its force count: ``"England and Wales (43 forces)"``,
        ``"South East (5 forces)"``, or ``"4 forces: ..."`` (which says it already)."""
        if self.comparator[:1].isdigit():
            return self.comparator
        return f"{self.comparator} ({self.forces_label})"

    @property
    def welsh_forces(self) -> list[str]:
        """The four Welsh forces, from the force reference (``forces.csv``)."""
        return [str(f) for f in self.forces.filter(pl.col("nation") == "Wales")["force"].sort()]


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
        Population frame (default: the embedded ONS estimates; the mid-year inside the
        latest financial year of the data is used, e.g. mid-2017 for 2017/18).
    news, nspcc_national, nspcc_wales
        Published figures (default: the embedded tables).

    Returns
    -------
    Context

    Raises
    ------
    DataFormatError
        The frame lacks a column the pipeline needs, or holds no 88A rows.

    Examples
    --------
    >>> ctx = context()
    >>> ctx.year, ctx.national, ctx.national_with_btp
    ('2017/18', 4429, 4444)
    """
    prc = datasets.prc() if df is None else as_polars(df, "profile data")
    require_columns(
        prc,
        ["financial_year", "quarter", "force", "territorial", "offence_code", "offences"],
        "profile data",
    )
    g = grooming(prc, allow_series_break=True)
    if g.height == 0:
        raise DataFormatError("profile data: no sexual grooming (88A) rows to profile")
    require_columns(g, ["period_start", "period_end"], "profile data")
    g = absent_as_missing(g)
    g, unreported = _without_trailing_unknown_years(g)
    year = str(g["financial_year"].max())
    latest = g.filter(pl.col("financial_year") == year)
    quarter = int(latest["quarter"].max())  # type: ignore[arg-type]
    window = year_window(latest, year)
    by_force = _by_force(latest, window)
    terr = by_force.filter(pl.col("territorial"))
    national, national_complete = _national(latest, window, include_btp=False)
    with_btp, _ = _national(latest, window, include_btp=True)
    comparator = comparator_label(terr["force"].to_list())
    rates_frame, national_rate = _rates(terr, population, year, comparator)
    left_out = _incomplete_in(g, [window, _previous_window(window)])
    exact, od, curves = _funnels(rates_frame)
    wales = datasets.nspcc_wales() if nspcc_wales is None else as_polars(nspcc_wales)
    nat = datasets.nspcc_national() if nspcc_national is None else as_polars(nspcc_national)
    series = {a: annual_series(nat, a) for a in NSPCC_AREAS} if nat.height else {}
    published_platforms = _latest_release(datasets.platform_shares())
    news_frame = datasets.news_figures() if news is None else as_polars(news, "news")
    return Context(
        grooming=g,
        year=year,
        quarter=quarter,
        by_force=by_force,
        national=national,
        national_with_btp=with_btp,
        btp=with_btp - national,
        forces=datasets.forces(),
        news=news_frame,
        nspcc_national=nat,
        nspcc_wales=wales,
        rates=rates_frame,
        national_rate=national_rate,
        rows_read=prc.height,
        funnel=exact,
        funnel_od=od,
        funnel_curves=curves,
        within=_halves(latest, year, left_out),
        year_on_year=_year_on_year_change(g, year, window, left_out),
        n_forces=terr.height,
        comparator=comparator,
        wales_trend=_wales_trend(wales),
        quarters=_quarters(g),
        force_quarters=_force_quarters(g),
        regions=_regions(latest, window),
        nspcc_series=series,
        nspcc_trends={a: _nspcc_trend(s) for a, s in series.items()},
        platforms=_platforms(published_platforms),
        platforms_published=published_platforms,
        victims=datasets.victim_facts(),
        window=window,
        national_complete=national_complete,
        change_left_out=left_out,
        data_source=EMBEDDED if df is None else "Home Office police recorded crime open data",
        years=years(g),
        unreported=unreported,
    )


def _without_trailing_unknown_years(g: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """``g`` without the financial years after the last one holding any known figure, and what
    was left out (``"2020/21 Q1-Q2"``; ``""`` when nothing): a latest year whose every cell is
    N/a, blank or suppressed has no figure to report, so the report covers the years before it
    and says so, rather than stopping with an error about an empty window."""
    known = g.filter(pl.col("offences").is_not_null())["financial_year"]
    if known.len() == 0:
        raise DataFormatError(
            "profile data: every sexual grooming (88A) figure in the data is not available "
            f"({NA_WORDS}): there is nothing to report; read an edition with figures"
        )
    last = str(known.max())
    after = g.filter(pl.col("financial_year") > last)
    if after.height == 0:
        return g, ""
    parts = []
    for (fy,), rows in after.group_by("financial_year", maintain_order=False):
        qs = sorted({int(q) for q in rows["quarter"]})
        parts.append(str(fy) + ("" if qs == [1, 2, 3, 4] else f" Q{qs[0]}-Q{qs[-1]}"))
    return g.filter(pl.col("financial_year") <= last), ", ".join(sorted(parts))


def absent_as_missing(g: pl.DataFrame) -> pl.DataFrame:
    """``g`` with a row of no known count (null ``offences``) for each territorial force of the
    data and each quarter of the data that has no row for that force: a force absent from a
    quarter (a year's sheet without it, say) is not available, never 0 and never silently left
    out of a total still called that of all the forces. The column ``in_data`` says which rows
    were made so (False): their figure is "not in the data", not "N/a, blank or suppressed".

    Examples
    --------
    >>> import datetime as dt
    >>> g = pl.DataFrame({"period_start": [dt.date(2017, 4, 1)] * 2 + [dt.date(2017, 7, 1)],
    ...                   "force": ["Kent", "Essex", "Essex"], "territorial": True,
    ...                   "offences": [3, 4, 5]})
    >>> absent_as_missing(g).sort("period_start", "force").rows()  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2017, 4, 1), 'Essex', True, 4, True),
     (datetime.date(2017, 4, 1), 'Kent', True, 3, True),
     (datetime.date(2017, 7, 1), 'Essex', True, 5, True),
     (datetime.date(2017, 7, 1), 'Kent', True, None, False)]
    """
    terr = g.filter(pl.col("territorial"))
    force_cols = [c for c in ("force", "force_code", "region", "territorial") if c in g.columns]
    period_cols = [
        c
        for c in g.columns
        if c not in force_cols and c not in ("offences",) and c not in ("offence_code",)
    ]
    forces = terr.select(force_cols).unique("force", keep="first")
    periods = g.select(period_cols).unique("period_start", keep="first")
    # a quarter inside the data's span that no row covers (a sheet or quarter left out of the
    # file) is not in the data for every force: its rows are made too, never skipped silently
    periods = pl.concat([periods, _quarters_not_in_data(periods)], how="vertical")
    have = terr.select("force", "period_start").unique()
    gaps = forces.join(periods, how="cross").join(have, on=["force", "period_start"], how="anti")
    g = g.with_columns(pl.lit(True).alias(IN_DATA))
    if gaps.height == 0:
        return g
    extra = gaps.with_columns(
        pl.lit(None, g.schema["offences"]).alias("offences"), pl.lit(False).alias(IN_DATA)
    )
    if "offence_code" in g.columns:
        extra = extra.with_columns(pl.lit(g["offence_code"][0]).alias("offence_code"))
    return pl.concat([g, extra.select(g.columns).cast(g.schema)], how="vertical")


def _next_quarter(d: date) -> date:
    return date(d.year + 1, d.month - 9, 1) if d.month > 9 else date(d.year, d.month + 3, 1)


def _quarters_not_in_data(periods: pl.DataFrame) -> pl.DataFrame:
    """One row (``periods``' columns) for each quarter between the first and the last quarter
    of the data that no row covers; empty unless every period of the data is a quarter.

    Examples
    --------
    >>> import datetime as dt
    >>> p = pl.DataFrame({"period_start": [dt.date(2017, 4, 1), dt.date(2018, 1, 1)],
    ...                   "period_end": [dt.date(2017, 6, 30), dt.date(2018, 3, 31)],
    ...                   "quarter": [1, 4], "financial_year": ["2017/18", "2017/18"]})
    >>> _quarters_not_in_data(p).rows()  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2017, 7, 1), datetime.date(2017, 9, 30), 2, '2017/18'),
     (datetime.date(2017, 10, 1), datetime.date(2017, 12, 31), 3, '2017/18')]
    """
    empty = periods.clear()
    if "period_start" not in periods.columns or "period_end" not in periods.columns:
        return empty
    bounds = periods.select("period_start", "period_end").drop_nulls().rows()
    if not bounds or not all(
        isinstance(s, date)
        and s.day == 1
        and s.month in (1, 4, 7, 10)
        and e == _next_quarter(s) - timedelta(days=1)
        for s, e in bounds
    ):
        return empty
    have = {s for s, _ in bounds}
    template = periods.row(0, named=True)
    rows = []
    d, last = min(have), max(have)
    while d < last:
        d = _next_quarter(d)
        if d in have:
            continue
        row = {c: (None if c in ("edition", "release") else v) for c, v in template.items()}
        row["period_start"], row["period_end"] = d, _next_quarter(d) - timedelta(days=1)
        y1 = d.year if d.month >= 4 else d.year - 1
        if "quarter" in row:
            row["quarter"] = (d.month - 4) % 12 // 3 + 1
        if "financial_year" in row:
            row["financial_year"] = f"{y1}/{(y1 + 1) % 100:02d}"
        rows.append(row)
    if not rows:
        return empty
    return pl.DataFrame(rows, schema=periods.schema, orient="row")


def quarters_phrase(k: int) -> str:
    """``"one of the four quarters"`` ... ``"three of the four quarters"``, ``"all four quarters"``.

    Examples
    --------
    >>> quarters_phrase(3)
    'three of the four quarters'
    """
    if k >= 4:
        return "all four quarters"
    return f"{('no', 'one', 'two', 'three')[max(k, 0)]} of the four quarters"


def year_window(latest: pl.DataFrame, year: str) -> str:
    """The part of ``year`` the data hold: the year, or its quarters with any known figure
    (the latest edition's year is partial: ``"2017/18 Q1"``, ``"2017/18 Q1-Q3"``)."""
    known = latest.filter(pl.col("offences").is_not_null())["quarter"].unique().sort().to_list()
    if not known or (known[0] == 1 and known[-1] == 4):  # the year (a middle quarter missing
        return year  # from the data leaves every force's total incomplete, and says so)
    lo, hi = int(known[0]), int(known[-1])
    return f"{year} Q{lo}" if lo == hi else f"{year} Q{lo}-Q{hi}"


def _by_force(latest: pl.DataFrame, window: str) -> pl.DataFrame:
    """Offences per force in ``window`` and per quarter (:func:`totals`), with data-quality
    counts: ``complete`` (every quarter of the window known), ``quarters_missing`` and
    ``missing_rows`` (cells published N/a, blank or suppressed). A missing quarter stays null,
    never 0."""
    year_total = totals(latest, by="force", window=window).select(
        "force",
        "offences",
        "complete",
        (pl.col("periods_expected") - pl.col("periods_present")).alias("quarters_missing"),
    )
    by_quarter = totals(latest, by="force", window=window, granularity="quarter")
    quarters = by_quarter.with_columns(
        ("q" + pl.col("period").str.slice(-1)).alias("q"),
    ).pivot("q", index="force", values="offences")
    quality = latest.group_by(
        "force", "force_code", "region", "territorial", maintain_order=True
    ).agg(
        (pl.col("offences") < 0).sum().alias("negative_rows"),
        pl.col("offences").null_count().alias("missing_rows"),
    )
    return (
        quality.join(year_total, on="force", how="left")
        .join(quarters, on="force", how="left")
        .with_columns(
            [
                pl.lit(None, dtype=pl.Int64).alias(f"q{q}")
                for q in (1, 2, 3, 4)
                if f"q{q}" not in quarters.columns
            ]
        )
        .with_columns(pl.col("complete").fill_null(False))
        .select(
            "force",
            "force_code",
            "region",
            "territorial",
            "offences",
            "q1",
            "q2",
            "q3",
            "q4",
            "negative_rows",
            "missing_rows",
            "complete",
            "quarters_missing",
        )
        .sort("force")
    )


def _national(latest: pl.DataFrame, window: str, *, include_btp: bool) -> tuple[int, bool]:
    """The total of the territorial forces for ``window`` (:func:`totals`, ``by="national"``:
    England and Wales when the data hold all 43) and whether it is complete (no force's
    quarter or cell missing)."""
    t = totals(latest, by="national", window=window, include_btp=include_btp)
    hit = t.filter(pl.col("national") != NON_TERRITORIAL)
    if hit.height == 0 or hit["offences"][0] is None:
        return 0, False
    return int(hit["offences"][0]), bool(hit["complete"][0])


def _quarters(g: pl.DataFrame) -> pl.DataFrame:
    """The territorial forces by quarter over the whole data, with exact Poisson 95% limits,
    and ``note``: for a quarter whose total misses a force's figure (N/a, blank or
    suppressed), which forces it excludes (null when the total is complete)."""
    terr = _national_quarters(g, include_btp=False)
    every = _national_quarters(g, include_btp=True).select(
        "period_start", pl.col("offences").alias("all")
    )
    return (
        _with_ci(terr)
        .join(every, on="period_start", how="left")
        .join(quarter_gaps(g), on="period_start", how="left")
    )


def quarter_gaps(g: pl.DataFrame) -> pl.DataFrame:
    """Per quarter with a figure not available: ``period_start``, ``note``, e.g.
    ``"excludes Kent: N/a, blank or suppressed, not counted as 0"`` (``"not in the data"``
    for a force absent from the quarter, ``in_data`` False; British Transport Police named apart:
    it counts only in the total with it), and ``mark``, the short form a chart writes beside
    the point of a territorial total that misses a force (null when only BTP is missing).

    Examples
    --------
    >>> import datetime as dt
    >>> g = pl.DataFrame({"period_start": [dt.date(2017, 4, 1)] * 3,
    ...                   "force": ["Kent", "Essex", "British Transport Police"],
    ...                   "territorial": [True, True, False], "offences": [None, 7, None]})
    >>> quarter_gaps(g).row(0, named=True)  # doctest: +NORMALIZE_WHITESPACE
    {'period_start': datetime.date(2017, 4, 1), 'note': 'excludes Kent: N/a, blank or
    suppressed, not counted as 0; the total with BTP also excludes British Transport Police',
    'mark': 'excludes Kent (N/a)'}
    """
    nulls = g.filter(pl.col("offences").is_null())
    if IN_DATA not in nulls.columns:
        nulls = nulls.with_columns(pl.lit(True).alias(IN_DATA))
    rows = []
    for (start,), part in nulls.sort("force").group_by("period_start", maintain_order=True):
        terr = part.filter(pl.col("territorial"))
        na = terr.filter(pl.col(IN_DATA).fill_null(True))["force"].unique(maintain_order=True)
        gone = terr.filter(~pl.col(IN_DATA).fill_null(True))["force"].unique(maintain_order=True)
        others = part.filter(~pl.col("territorial"))["force"].unique(maintain_order=True)
        bits, shorts = [], []
        if na.len():
            bits.append(f"excludes {', '.join(na)}: {NA_WORDS}, not counted as 0")
            shorts.append(f"excludes {', '.join(na)} (N/a)")
        if gone.len():
            bits.append(f"excludes {', '.join(gone)}: not in the data, not counted as 0")
            shorts.append(f"excludes {', '.join(gone)} (not in data)")
        if others.len():
            bits.append(f"the total with BTP also excludes {', '.join(others)}")
        rows.append((start, "; ".join(bits), "; ".join(shorts) or None))
    return pl.DataFrame(
        rows,
        schema={"period_start": g.schema["period_start"], "note": pl.String, "mark": pl.String},
        orient="row",
    ).sort("period_start")


def _force_quarters(g: pl.DataFrame) -> pl.DataFrame:
    """Each force by quarter over the whole data (:func:`totals`), with exact Poisson 95% limits;
    a quarter published N/a, blank or suppressed stays as a null row, drawn as a gap ("no
    figures"), never dropped or read as 0."""
    t = (
        totals(g, by="force", granularity="quarter", allow_series_break=True)
        .select("force", "period", "period_start", "offences")
        .sort("force", "period_start")
    )
    return _with_ci(t)


def _with_ci(t: pl.DataFrame) -> pl.DataFrame:
    """Exact Poisson 95% limits of the ``offences`` column (:func:`poisson_ci`); negative
    adjustments count as zero."""
    ci = poisson_ci(t["offences"].cast(pl.Float64).clip(lower_bound=0).to_numpy())
    return t.with_columns(lower=ci["lower_95"], upper=ci["upper_95"])


def _national_quarters(g: pl.DataFrame, *, include_btp: bool) -> pl.DataFrame:
    t = totals(
        g, by="national", granularity="quarter", include_btp=include_btp, allow_series_break=True
    )
    return (
        t.filter(pl.col("national") != NON_TERRITORIAL)
        .filter(pl.col("offences").is_not_null())
        .select("period", "period_start", "offences")
        .sort("period_start")
    )


def _regions(latest: pl.DataFrame, window: str) -> pl.DataFrame:
    """Offences in ``year`` by region (:func:`totals`, ``by="region"``), with forces counted."""
    terr = latest.filter(pl.col("territorial"))
    t = totals(terr, by="region", window=window).select("region", "offences")
    n = terr.group_by("region").agg(pl.col("force").n_unique().alias("forces"))
    return t.join(n, on="region", how="left").select("region", "forces", "offences")


def _previous_window(window: str) -> str:
    """The same quarters a year earlier."""
    return parse_period(window).shift_years(-1).label


def _incomplete_in(g: pl.DataFrame, windows: Sequence[str]) -> list[str]:
    """Territorial forces with a 88A cell N/a, blank or suppressed in any of ``windows`` (a
    null count, never read as 0): changes leave them out, and their national side with them."""
    terr = g.filter(pl.col("territorial"))
    bad: set[str] = set()
    for w in windows:
        p = parse_period(w)
        rows = terr.filter(
            (pl.col("period_start") >= p.start)
            & (pl.col("period_end") <= p.end)
            & pl.col("offences").is_null()
        )
        bad |= {str(f) for f in rows["force"].unique()}
    return sorted(bad)


def _halves(latest: pl.DataFrame, year: str, left_out: Sequence[str] = ()) -> pl.DataFrame | None:
    """Second half of ``year`` against the first half, per force (:func:`change`); forces with
    a figure not available are left out of the comparison and of its national side."""
    if sorted(latest["quarter"].unique().to_list()) != [1, 2, 3, 4]:
        return None
    h1, h2 = halves(year)
    terr = latest.filter(pl.col("territorial") & ~pl.col("force").is_in(list(left_out)))
    return change(terr, current=(h2.start, h2.end), baseline=(h1.start, h1.end), by="force")


def halves(year: str) -> tuple[Period, Period]:
    """The two halves of a financial year: April-September and October-March.

    Examples
    --------
    >>> [p.label for p in halves("2017/18")]
    ['2017-04-01..2017-09-30', '2017-10-01..2018-03-31']
    """
    q = parse_period(year).granules("quarter")
    return (
        Period.from_bounds(q[0].start, q[1].end),
        Period.from_bounds(q[2].start, q[3].end),
    )


def previous_year(year: str) -> tuple[Period, bool]:
    """The financial year before ``year``, and whether comparing the two crosses the break.

    Examples
    --------
    >>> [(p.label, crosses) for p, crosses in (previous_year("2017/18"), previous_year("2018/19"))]
    [('2016/17', True), ('2017/18', False)]
    """
    cur = parse_period(year)
    prev = cur.shift_years(-1)
    return prev, crosses_series_break(prev.start, cur.end)


def _year_on_year_change(
    g: pl.DataFrame, year: str, window: str | None = None, left_out: Sequence[str] = ()
) -> pl.DataFrame | None:
    """``window`` (the year, or its quarters in the data) against the same quarters of the
    previous financial year per force (:func:`change`), when the data hold both and the
    comparison does not cross the 1 April 2017 series break; forces with a figure not
    available in either are left out."""
    prev, crosses = previous_year(year)
    if crosses or prev.label not in g["financial_year"].unique().to_list():
        return None
    terr = g.filter(pl.col("territorial") & ~pl.col("force").is_in(list(left_out)))
    if window is None or window == year:
        return change(terr, current=year, baseline="previous_year", by="force")
    cur = parse_period(window)
    base = cur.shift_years(-1)
    return change(terr, current=(cur.start, cur.end), baseline=(base.start, base.end), by="force")


def _wales_trend(wales: pl.DataFrame | None) -> pl.DataFrame | None:
    """Annual percent change of each Welsh force's NSPCC series (quasi-Poisson :func:`trend`)."""
    if wales is None or wales.height == 0:
        return None
    return trend(wales, by="force", model="quasipoisson")


def _nspcc_trend(series: pl.DataFrame) -> dict[str, Any] | None:
    """Trend of one NSPCC annual series (:func:`trend`), with three years or more."""
    if series.height <= 2:
        return None
    return trend(series, model="quasipoisson").row(0, named=True)


def _funnels(
    rates_frame: pl.DataFrame,
) -> tuple[pl.DataFrame | None, pl.DataFrame | None, pl.DataFrame | None]:
    """Funnel labels around the national rate (exact Poisson and overdispersion-adjusted
    :func:`funnel`), and the limit curves of the forces with a meaningful rate.

    With fewer than two forces in the data there is nothing to compare a force with (its
    "national" rate would be its own): no funnel, and the report says so. The overdispersion
    adjustment may still be impossible with few areas: then it is None.
    """
    from groomstats.exceptions import FitError

    cols = ["force", "offences", "population", "complete"]
    usable = rates_frame.filter(
        pl.col("offences").is_not_null() & pl.col("population").is_not_null() & pl.col("complete")
    )
    if usable.height < 2:
        return None, None, None
    exact = funnel(rates_frame.select(cols))
    try:
        od: pl.DataFrame | None = funnel(rates_frame.select(cols), overdispersion=True)
    except FitError:
        od = None
    flagged = rates_frame.filter(pl.col("flag"))["force"].to_list()
    shown = exact.filter(~pl.col("force").is_in(flagged) & pl.col("complete"))
    curves = funnel_limits(shown, target=float(exact["target"][0]), points=120)
    return exact, od, curves


def _rates(
    terr: pl.DataFrame, population: Any, year: str, comparator: str
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Rates per 100,000 children (0-17) with 95%/99.8% limits, ranked, and the rate of the
    forces summed (``comparator``: England and Wales when all 43), over the ONS estimates of
    the mid-year inside ``year`` (mid-2017 for 2017/18; the nearest available, with a note and
    a warning, when the population does not hold it).

    A force whose total misses a quarter or cell (``complete`` False) gets no rate or rank
    (:func:`rates` gives the reason); the comparator's rate is then over the forces with
    complete figures only (``forces`` says how many), never over a total with holes in it.
    """
    pop = (
        datasets.population(age_band="0-17")
        if population is None
        else as_polars(population, "population")
    )
    counts = terr.select("force", "force_code", "region", "offences", "complete")
    per_force = rank_areas(
        rates(counts.with_columns(pl.lit(year).alias("financial_year")), pop, age_band="0-17")
    ).drop("financial_year")
    whole = terr.filter(pl.col("complete") & pl.col("offences").is_not_null())
    children = per_force.filter(pl.col("force_code").is_in(whole["force_code"].to_list()))[
        "population"
    ]
    nat = rates(
        pl.DataFrame(
            {
                "area": [
                    comparator
                    if whole.height == terr.height
                    else f"the {whole.height} forces with complete figures"
                ],
                "offences": [int(whole["offences"].sum())],
                "children": [int(children.sum())],
            }
        ),
        denominator="children",
    ).row(0, named=True)
    first = per_force.row(0, named=True) if per_force.height else {}
    nat["year"] = first.get("population_year")
    nat["vintage"] = first.get("population_vintage")
    nat["note"] = first.get("note")
    nat["forces"] = whole.height
    nat["complete"] = whole.height == terr.height
    return per_force, nat


def _latest_release(published: pl.DataFrame) -> pl.DataFrame:
    """The rows of the latest release of the published platform shares."""
    if published.height == 0:
        return published
    return published.filter(pl.col("release") == published["release"].max())


def _platforms(rows: pl.DataFrame) -> pl.DataFrame | None:
    """Wilson intervals (:func:`shares`, multi-response) for one release of the published
    platform shares, from counts rebuilt from the rounded percentages (approximate)."""
    if rows.height == 0:
        return None
    release = str(rows["release"][0])
    base = int(rows["offences_with_method_recorded"][0])
    breakdown = pl.concat(
        [
            rows.select(
                pl.col("area").alias("force"),
                pl.lit(release).alias("period"),
                pl.lit("platform").alias("category"),
                pl.col("platform").alias("value"),
                (pl.col("share_percent") / 100 * base).round(0).cast(pl.Int64).alias("offences"),
                pl.lit(False).alias("suppressed"),
            ),
            pl.DataFrame(
                {
                    "force": [str(rows["area"][0])],
                    "period": [release],
                    "category": ["platform"],
                    "value": ["Method recorded"],
                    "offences": [base],
                    "suppressed": [False],
                }
            ),
        ]
    )
    return shares(breakdown, by="period", denominator="Method recorded", multi_response=True)


def forces_in(ctx: Context) -> Sequence[str]:
    """The territorial forces with 88A rows in the data, alphabetically.

    Examples
    --------
    >>> len(forces_in(context()))
    43
    """
    return [str(f) for f in ctx.by_force.filter(pl.col("territorial"))["force"].sort()]


def not_profiled(ctx: Context, force: str, name: str) -> str:
    """Why ``name`` (matched from ``force``) has no profile: a non-territorial body (with its
    count, which the national section shows apart) or a force absent from the data."""
    row = ctx.by_force.filter(pl.col("force") == name)
    k = len(forces_in(ctx))
    if row.height and not bool(row["territorial"][0]):
        n = row["offences"][0]
        count = "no known count" if n is None else f"{int(n):,}"
        return (
            f"{name} recorded {count} sexual grooming offences (88A) in {ctx.period} in the data, "
            "but it polices no area with a resident population, so it has no rate, funnel or "
            f"rank: profiles cover the {k} territorial force{'s' * (k != 1)} in the data, and "
            f"its count is shown apart in the England and Wales section"
        )
    known = forces_in(ctx)
    return (
        f"force {force!r} ({name}) has no 88A rows in the data; profiles cover {k} "
        f"force{'s' * (k != 1)}, e.g. {', '.join(known[:3])}"
    )

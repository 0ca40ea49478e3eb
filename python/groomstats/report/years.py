"""Several financial years in the data: each force's series, the latest complete year against
the year before, and the trend since the 1 April 2017 series break.

:func:`years` computes, once for every force (with :func:`groomstats.totals`,
:func:`groomstats.change` and :func:`groomstats.trend`), what a report on a multi-year
edition adds to the latest year's figures:

- each force's offences by financial year (quarters and total), every year said to be what it
  is: before the series break (88A then held only meeting a child following sexual grooming,
  s.15: not comparable, never joined to later years), a partial year (the quarters in the data),
  or incomplete (a quarter published ``N/a``, suppressed or blank: left out, never
  counted as 0);
- the latest *complete* financial year against the year before it, with the national change
  (like for like: forces with complete figures in both years) for the exact test;
- the log-linear trend (annual percent change, quasi-Poisson) over the complete years since
  2017/18, per force and for the forces summed; partial and incomplete years are left out of
  the fit and named.

:func:`facts` words them in a profile, :func:`national_section` and :func:`force_section` put
them in the report. With one financial year in the data (the embedded 2017/18 table) there is
no series and nothing here is shown.

Examples
--------
>>> from groomstats.report.context import context
>>> y = context().years
>>> y.years, y.complete, y.latest_complete, y.multi_year
(['2017/18'], ['2017/18'], '2017/18', False)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from groomstats import plot
from groomstats.areas import BTP
from groomstats.compare import change
from groomstats.counts import NON_TERRITORIAL, totals
from groomstats.exceptions import GroomstatsError
from groomstats.intervals import poisson_ci
from groomstats.periods import SERIES_BREAK, describe_period, parse_period
from groomstats.report.wording import ABSENT_WORDS, IN_DATA, NA_WORDS
from groomstats.trends import trend

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from groomstats.report.context import Context
    from groomstats.report.document import Document
    from groomstats.report.facts import Facts

__all__ = [
    "BEFORE_BREAK",
    "MIN_TREND_YEARS",
    "Years",
    "editions_by_year",
    "facts",
    "force_chart",
    "force_section",
    "left_out_years",
    "national_chart",
    "national_section",
    "years",
]

#: What a year before the 1 April 2017 break is, beside its figure.
BEFORE_BREAK = "before the 1 April 2017 series break (88A: s.15 meetings only): not comparable"
#: Fewest complete years a trend is fitted to.
MIN_TREND_YEARS = 3
_MODEL: Final = "quasipoisson"
_QWORDS = ("no", "one", "two", "three", "four")


@dataclass
class Years:
    """The financial years of the data and what a multi-year report shows of them.

    Attributes
    ----------
    years
        Every financial year in the data, in order.
    since_break
        The years from 2017/18 (the first after the series break).
    complete
        The years since the break with all four quarters in the data.
    partial
        Years with only some quarters in the data: year -> ``"Q1-Q2"``.
    latest_complete
        The latest complete year since the break (None when there is none).
    by_force
        One row per territorial force and year: ``force``, ``financial_year``, ``q1``..``q4``,
        ``offences`` (null when no quarter has a figure), ``complete``, ``before_break``,
        ``note`` (what the figure is when it is not a complete year's; null otherwise).
    national
        One row per year: ``financial_year``, ``quarters`` (in the data), ``offences`` (the
        territorial forces), ``all`` (with British Transport Police), ``complete``,
        ``before_break``, ``note``.
    trends
        :func:`groomstats.trend` per force over the complete years since the break (None with
        fewer than :data:`MIN_TREND_YEARS`); ``left_out`` names the years not fitted.
    national_trend
        The same for the territorial forces summed (one row as a dict), or None. A year in
        which any force's figure is missing is left out of it.
    like_for_like
        The like-for-like sum, alongside :attr:`national_trend`: one row per complete year
        since the break (``financial_year``, ``offences``, ``forces``) over the forces with
        a complete figure in every one of those years; None when every force has them (the
        national trend is like for like already) or none has.
    like_for_like_trend
        :func:`groomstats.trend` of :attr:`like_for_like` (one row as a dict), or None.
    like_for_like_forces, like_for_like_excluded
        The forces summed in :attr:`like_for_like`, and the forces left out of it (a figure
        missing in one of its years).
    like_for_like_reason
        Why there is no like-for-like sum, when there is none.
    trend_reason
        Why there is no trend, when there is none.
    complete_change
        :func:`groomstats.change` per force, ``latest_complete`` against the year before,
        when the latest year in the data is partial (otherwise the report's year-on-year
        change is that comparison already); None when the data cannot support it.
    complete_change_left_out
        Forces with a figure not available in either year, left out of that comparison and of
        its national side.
    complete_change_reason
        Why there is no such comparison, when there is none.
    """

    years: list[str]
    since_break: list[str]
    complete: list[str]
    partial: dict[str, str]
    latest_complete: str | None
    by_force: pl.DataFrame
    national: pl.DataFrame
    trends: pl.DataFrame | None = None
    national_trend: dict[str, Any] | None = None
    like_for_like: pl.DataFrame | None = None
    like_for_like_trend: dict[str, Any] | None = None
    like_for_like_forces: list[str] = field(default_factory=list)
    like_for_like_excluded: list[str] = field(default_factory=list)
    like_for_like_reason: str = ""
    trend_reason: str = ""
    complete_change: pl.DataFrame | None = None
    complete_change_left_out: list[str] = field(default_factory=list)
    complete_change_reason: str = ""

    @property
    def multi_year(self) -> bool:
        """Whether the data hold more than one financial year."""
        return len(self.years) > 1

    @property
    def like_for_like_label(self) -> str:
        """What :attr:`like_for_like` sums: ``"the 41 forces with figures for every year
        2017/18 to 2023/24; excludes Dorset, Kent"``; ``""`` when there is no such sum."""
        if self.like_for_like is None:
            return ""
        k = len(self.like_for_like_forces)
        return (
            f"the {k} force{'s' * (k != 1)} with figures for every year {self.trend_span}; "
            f"excludes {', '.join(self.like_for_like_excluded)}"
        )

    @property
    def trend_span(self) -> str:
        """``"2017/18 to 2023/24"``: the complete years a trend can use."""
        if not self.complete:
            return ""
        return (
            self.complete[0]
            if len(self.complete) == 1
            else (f"{self.complete[0]} to {self.complete[-1]}")
        )

    def force_series(self, force: str, *, since_break: bool = True) -> pl.DataFrame:
        """One force's rows of :attr:`by_force` (from 2017/18 unless ``since_break=False``)."""
        rows = self.by_force.filter(pl.col("force") == force)
        if since_break:
            rows = rows.filter(~pl.col("before_break"))
        return rows.sort("financial_year")


def _fy_start(fy: str) -> Any:
    return parse_period(fy).start


def _quarter_label(quarters: Sequence[int]) -> str:
    qs = sorted(int(q) for q in quarters)
    if not qs:
        return "no quarter"
    if qs == list(range(qs[0], qs[-1] + 1)):
        return f"Q{qs[0]}" if len(qs) == 1 else f"Q{qs[0]}-Q{qs[-1]}"
    return ", ".join(f"Q{q}" for q in qs)


def years(g: pl.DataFrame) -> Years:
    """The series of every territorial force and of their sum, year by year (see :class:`Years`).

    Parameters
    ----------
    g
        The 88A rows of the data (:func:`groomstats.grooming`), any number of years.

    Returns
    -------
    Years
    """
    if IN_DATA not in g.columns:  # every row is the data's own (none made for an absent force)
        g = g.with_columns(pl.lit(True).alias(IN_DATA))
    fys = sorted(str(y) for y in g["financial_year"].drop_nulls().unique())
    since = [y for y in fys if _fy_start(y) >= SERIES_BREAK]
    in_data = {  # the quarters the data hold rows for (not those made for an absent force)
        str(y): sorted(int(q) for q in qs)
        for y, qs in g.filter(pl.col(IN_DATA).fill_null(True))
        .group_by("financial_year")
        .agg(pl.col("quarter").unique())
        .iter_rows()
    }
    partial = {y: _quarter_label(in_data.get(y, [])) for y in fys if len(in_data.get(y, [])) < 4}
    complete = [y for y in since if y not in partial]
    terr = g.filter(pl.col("territorial"))
    by_force = _by_force(terr, fys, partial)
    national = _national(g, fys, partial).with_columns(  # quarters with rows, N/a or not
        pl.col("financial_year")
        .replace_strict({y: len(in_data.get(y, [])) for y in fys}, default=None)
        .cast(pl.Int32)
        .alias("quarters")
    )
    out = Years(
        years=fys,
        since_break=since,
        complete=complete,
        partial=partial,
        latest_complete=complete[-1] if complete else None,
        by_force=by_force,
        national=national,
    )
    _trends(out)
    _complete_change(out, terr, fys[-1] if fys else None)
    return out


def _window(fys: Sequence[str]) -> tuple[Any, Any]:
    return parse_period(fys[0]).start, parse_period(fys[-1]).end


def _by_force(terr: pl.DataFrame, fys: Sequence[str], partial: dict[str, str]) -> pl.DataFrame:
    """Each territorial force by year (:func:`totals`), quarters alongside, with notes."""
    schema = {
        "force": pl.String,
        "financial_year": pl.String,
        "q1": pl.Int64,
        "q2": pl.Int64,
        "q3": pl.Int64,
        "q4": pl.Int64,
        "offences": pl.Int64,
        "complete": pl.Boolean,
        "before_break": pl.Boolean,
        "note": pl.String,
        "mark": pl.String,
    }
    if terr.height == 0 or not fys:
        return pl.DataFrame(schema=schema)
    annual = totals(
        terr, by="force", window=_window(fys), granularity="financial_year", allow_series_break=True
    ).select(
        "force",
        pl.col("period").alias("financial_year"),
        "offences",
        "complete",
        "periods_present",
    )
    cells = terr.group_by("force", "financial_year", "quarter").agg(
        pl.col("offences").sum().alias("n"),
        pl.col("offences").null_count().alias("nulls"),
        (~pl.col(IN_DATA).fill_null(True)).all().alias("absent"),
    )
    quarters = cells.with_columns(
        pl.when(pl.col("nulls") > 0).then(None).otherwise(pl.col("n")).alias("n"),
        ("q" + pl.col("quarter").cast(pl.String)).alias("q"),
    ).pivot("q", index=["force", "financial_year"], values="n")
    for q in ("q1", "q2", "q3", "q4"):
        if q not in quarters.columns:
            quarters = quarters.with_columns(pl.lit(None, dtype=pl.Int64).alias(q))
    na = (
        cells.filter(pl.col("nulls") > 0)
        .group_by("force", "financial_year")
        .agg(
            pl.col("quarter").filter(~pl.col("absent")).sort().alias("na_quarters"),
            pl.col("quarter").filter(pl.col("absent")).sort().alias("absent_quarters"),
        )
    )
    rows = (
        annual.join(quarters, on=["force", "financial_year"], how="left")
        .join(na, on=["force", "financial_year"], how="left")
        .sort("force", "financial_year")
    )
    notes: list[str | None] = []
    marks: list[str | None] = []
    before: list[bool] = []
    for r in rows.iter_rows(named=True):
        fy = str(r["financial_year"])
        pre, parts, short = _year_notes(fy, partial)
        before.append(pre)
        if r["na_quarters"]:
            q = _quarter_label(r["na_quarters"])
            parts.append(f"{q} not available ({NA_WORDS}; not counted as 0)")
            short.append(f"{q} N/a")
        if r["absent_quarters"] and partial.get(fy) != "no quarter":  # said for the year
            q = _quarter_label(r["absent_quarters"])
            parts.append(f"{q} not in the data (not counted as 0)")
            short.append(f"{q} not in data")
        if (
            not r["na_quarters"]
            and not r["absent_quarters"]
            and (fy not in partial and (r["periods_present"] or 0) < 4)
        ):
            parts.append("quarters missing from the data")
            short.append("quarters missing")
        notes.append("; ".join(parts) or None)
        marks.append("; ".join(short) or None)
    return rows.with_columns(
        pl.Series("before_break", before, dtype=pl.Boolean),
        pl.Series("note", notes, dtype=pl.String),
        pl.Series("mark", marks, dtype=pl.String),
        pl.col("complete").fill_null(False),
    ).select(list(schema))


def _year_notes(fy: str, partial: dict[str, str]) -> tuple[bool, list[str], list[str]]:
    """Whether ``fy`` is before the 1 April 2017 break, and the start of its note (long and
    short forms): the break and a part year, shared by the force and national tables."""
    pre = _fy_start(fy) < SERIES_BREAK
    parts = [BEFORE_BREAK] if pre else []
    short: list[str] = []
    if fy in partial and partial[fy] == "no quarter":  # a year inside the span, left out
        parts.append("not in the data: no quarter of the year (not counted as 0)")
        short.append("not in data")
    elif fy in partial:
        parts.append(f"{partial[fy]} only: the rest of the year is not in the data")
        short.append(f"{partial[fy]} only")
    return pre, parts, short


def _national(g: pl.DataFrame, fys: Sequence[str], partial: dict[str, str]) -> pl.DataFrame:
    """The territorial forces summed by year, with and without British Transport Police, and
    which forces' figures are missing from each year's total."""
    w = _window(fys)
    parts = []
    for btp in (False, True):
        t = totals(
            g,
            by="national",
            window=w,
            granularity="financial_year",
            include_btp=btp,
            allow_series_break=True,
        ).filter(pl.col("national") != NON_TERRITORIAL)
        parts.append(t)
    terr, every = parts
    missing = (
        g.filter(pl.col("territorial") & pl.col("offences").is_null())
        .with_columns(pl.col(IN_DATA).fill_null(True))
        .group_by("financial_year", "force", IN_DATA)
        .agg(pl.col("quarter").sort())
        .sort("force")
    )
    where: dict[str, list[str]] = {}  # N/a, blank or suppressed cells, by year
    gone: dict[str, list[str]] = {}  # forces absent from quarters of the data, by year
    for fy, force, in_data, qs in missing.iter_rows():
        (where if in_data else gone).setdefault(str(fy), []).append(f"{force} {_quarter_label(qs)}")
    rows = terr.select(
        pl.col("period").alias("financial_year"), "offences", "complete", "periods_present"
    ).join(
        every.select(pl.col("period").alias("financial_year"), pl.col("offences").alias("all")),
        on="financial_year",
        how="left",
    )
    notes, marks, before = [], [], []
    for r in rows.iter_rows(named=True):
        fy = str(r["financial_year"])
        pre, bits, short = _year_notes(fy, partial)
        before.append(pre)
        if partial.get(fy) == "no quarter":  # said by _year_notes: the year is not in the data
            pass
        elif (fy in where or fy in gone) and r["offences"] is None:  # no force's figure known
            words = ", or ".join(w for w, d in ((NA_WORDS, where), (ABSENT_WORDS, gone)) if fy in d)
            bits.append(f"no figure: every force's cells are {words} (not counted as 0)")
            short.append("no figure (N/a)" if fy not in gone else "no figure")
        elif fy in where or fy in gone:
            groups = [
                (", ".join(d[fy]), w, m)
                for w, m, d in (
                    (NA_WORDS, "N/a", where),
                    (ABSENT_WORDS, "not in data", gone),
                )
                if fy in d
            ]
            if len(groups) == 1:
                bits.append(
                    f"incomplete: excludes {groups[0][0]} ({groups[0][1]}; not counted as 0)"
                )
            else:
                said = " and ".join(f"{f} ({w})" for f, w, _ in groups)
                bits.append(f"incomplete: excludes {said}; not counted as 0")
            short.append("excludes " + " and ".join(f"{f} ({m})" for f, _, m in groups))
        notes.append("; ".join(bits) or None)
        marks.append("; ".join(short) or None)
    return (
        rows.with_columns(
            pl.col("periods_present").alias("quarters"),
            pl.Series("before_break", before, dtype=pl.Boolean),
            pl.Series("note", notes, dtype=pl.String),
            pl.Series("mark", marks, dtype=pl.String),
            pl.col("complete").fill_null(False),
        )
        .select(
            "financial_year",
            "quarters",
            "offences",
            "all",
            "complete",
            "before_break",
            "note",
            "mark",
        )
        .sort("financial_year")
    )


def _trends(y: Years) -> None:
    """APC per force and for the sum over the complete years since the break (left-out years
    named by :func:`groomstats.trend`)."""
    if len(y.complete) < MIN_TREND_YEARS:
        y.trend_reason = (
            f"a trend needs at least {MIN_TREND_YEARS} complete financial years since the "
            f"1 April 2017 break; the data hold {len(y.complete)}"
            + (f" ({', '.join(y.complete)})" if y.complete else "")
        )
        return
    keep = list(y.since_break)
    per_force = y.by_force.filter(pl.col("financial_year").is_in(keep)).select(
        "force", "financial_year", "offences", "complete"
    )
    y.trends = trend(per_force, by="force", model=_MODEL, incomplete="drop")
    nat = y.national.filter(pl.col("financial_year").is_in(keep)).select(
        "financial_year", "offences", "complete"
    )
    y.national_trend = trend(nat, model=_MODEL, incomplete="drop").row(0, named=True)
    _like_for_like(y)


def _like_for_like(y: Years) -> None:
    """The forces with a complete figure in every complete year since the break, summed by
    year and fitted, alongside the national trend (which leaves out every year in which any
    force's figure is missing: one force's gap can cost it most years)."""
    years_used = list(y.complete)
    rows = y.by_force.filter(pl.col("financial_year").is_in(years_used))
    every = sorted({str(f) for f in y.by_force["force"]})
    per = rows.group_by("force").agg(
        (pl.col("complete").all() & pl.col("offences").is_not_null().all()).alias("ok"),
        pl.col("financial_year").n_unique().alias("years"),
    )
    keep = sorted(
        str(f) for f, ok, n in per.iter_rows() if ok and n == len(years_used)
    )  # a force with no row in a year (not in the data) is not complete in it
    left = [f for f in every if f not in keep]
    if not left:
        y.like_for_like_reason = (
            "every force has figures for every complete year, so the national trend is like "
            "for like"
        )
        return
    if not keep:
        y.like_for_like_reason = "no force has figures for every complete year"
        return
    y.like_for_like_forces, y.like_for_like_excluded = keep, left
    sums = (
        rows.filter(pl.col("force").is_in(keep))
        .group_by("financial_year")
        .agg(pl.col("offences").sum(), pl.col("force").n_unique().alias("forces"))
        .sort("financial_year")
    )
    y.like_for_like = sums
    y.like_for_like_trend = trend(
        sums.select("financial_year", "offences"), model=_MODEL, incomplete="raise"
    ).row(0, named=True)


def _complete_change(y: Years, terr: pl.DataFrame, latest: str | None) -> None:
    """The latest complete year against the year before, per force, when the latest year in the
    data is partial (else the report's year-on-year change is this comparison)."""
    cur = y.latest_complete
    if cur is None:
        y.complete_change_reason = "the data hold no complete financial year since 1 April 2017"
        return
    if cur == latest:
        return
    prev = parse_period(cur).shift_years(-1).label
    if prev not in y.since_break:
        y.complete_change_reason = (
            f"the year before {cur} lies before the 1 April 2017 series break"
            if _fy_start(prev) < SERIES_BREAK
            else f"the data hold no {prev} figures"
        )
        return
    both = terr.filter(pl.col("financial_year").is_in([cur, prev]))
    left_out = sorted({str(f) for f in both.filter(pl.col("offences").is_null())["force"].unique()})
    y.complete_change_left_out = left_out
    y.complete_change = change(
        both.filter(~pl.col("force").is_in(left_out)),
        current=cur,
        baseline="previous_year",
        by="force",
    )


# -- profile facts ----------------------------------------------------------------------------


def _fmt(n: Any) -> str:
    from groomstats.report.wording import fmt_int

    return "not available" if n is None else fmt_int(n)


def facts(f: Facts, ctx: Context, name: str) -> None:
    """The force's series since 2017/18, its latest complete year against the year before and
    its trend, as facts and sentences (nothing with one financial year in the data)."""
    y = ctx.years
    if y is None or not y.multi_year:
        return
    from groomstats.report.facts import source_prc

    src = source_prc(ctx)
    rows = y.force_series(name)
    said = []
    for r in rows.iter_rows(named=True):
        fy = str(r["financial_year"])
        f.add(
            "offences_financial_year",
            f"Sexual grooming offences (88A), {fy}",
            value=r["offences"],
            unit="offences",
            text=None if r["offences"] is not None else "not available",
            period=fy,
            source=src,
            caveat=r["note"],
        )
        if y.partial.get(fy) == "no quarter":  # a year inside the data's span, left out
            said.append(f"not available in {fy} (not in the data: no quarter of the year)")
        elif fy in y.partial:
            p = parse_period(fy)
            qs = [q for q in (1, 2, 3, 4) if r[f"q{q}"] is not None]
            k = len(qs)
            span = describe_period(p.start, p.granules("quarter")[max(qs) - 1].end) if qs else fy
            said.append(
                f"{_fmt(r['offences'])} in {span} ({_QWORDS[k]} of the four quarters of {fy}; "
                "the rest of the year is not in the data)"
            )
        elif r["note"]:
            said.append(f"{_fmt(r['offences'])} in {fy} (incomplete: {r['note']})")
        else:
            said.append(f"{_fmt(r['offences'])} in {fy}")
    if said:
        pre = y.force_series(name, since_break=False).filter(pl.col("before_break"))
        first, last = (
            (pre["financial_year"][0], pre["financial_year"][-1]) if pre.height else ("", "")
        )
        span = first if first == last else f"{first} to {last}"
        before = (
            f" Years before 2017/18 in the data ({span}) are not compared: 88A then held only "
            "meeting a child following sexual grooming (s.15), and sexual communication with a "
            "child (s.15A) was not yet an offence."
            if pre.height
            else ""
        )
        f.say(
            f"Sexual grooming offences recorded in {name} by financial year since the 1 April "
            f"2017 series break: {'; '.join(said)}.{before}"
        )
    _complete_year(f, ctx, name)
    _trend(f, ctx, name, src)


def _complete_year(f: Facts, ctx: Context, name: str) -> None:
    """The latest complete year against the year before (only when the latest year in the data
    is partial: otherwise the year-on-year fact is this comparison)."""
    from groomstats.report.facts import _year_on_year, source_prc

    y = ctx.years
    assert y is not None
    cur = y.latest_complete
    if cur is None or cur == ctx.year:
        return
    prev = parse_period(cur).shift_years(-1).label
    row = None
    if y.complete_change is not None and name not in y.complete_change_left_out:
        hit = y.complete_change.filter(pl.col("force") == name)
        row = hit.row(0, named=True) if hit.height else None
    if row is None or row["current"] is None or row["baseline"] is None:
        reason = (
            f"some of {name}'s quarterly figures in {prev} or {cur} are not available "
            f"({ctx.missing_words(name, [prev, cur])})"
            if name in y.complete_change_left_out
            else y.complete_change_reason or f"the data hold no {prev} figures for {name}"
        )
        f.add(
            "change_latest_complete_year",
            f"Change, {cur} (the latest complete year) against {prev}",
            unit="percent",
            text="not available",
            period=cur,
            comparison=prev,
            source=source_prc(ctx),
            caveat=f"not available: {reason}",
        )
        f.say(f"No comparison of {cur}, the latest complete year, with {prev}: {reason}.")
        return
    left = y.complete_change_left_out
    _year_on_year(
        f,
        ctx,
        name,
        row,
        prev,
        cur,
        window=cur,
        current_text=f"{cur}, the latest complete financial year in the data,",
        names=(
            "offences_previous_complete_year",
            "change_latest_complete_year",
            "national_change_latest_complete_year",
            "change_latest_complete_year_ratio",
        ),
        left_out=left,
    )


def left_out_years(rows: pl.DataFrame) -> str:
    """The years since the break a trend leaves out (not complete), each with its note:
    ``"2019/20 (Q1 not available ...); 2024/25 (Q1-Q2 only ...)"``; ``""`` when none."""
    out = rows.filter(~pl.col("before_break") & ~pl.col("complete"))
    return "; ".join(
        f"{fy} ({note or 'no figures'})"
        for fy, note in out.select("financial_year", "note").iter_rows()
    )


def _trend(f: Facts, ctx: Context, name: str, src: str) -> None:
    y = ctx.years
    assert y is not None
    label = "Annual percent change since 2017/18 (log-linear trend)"
    if y.trends is None:
        f.add(
            "trend_since_break",
            label,
            unit="percent a year",
            text="not available",
            source=src,
            caveat=f"not available: {y.trend_reason}",
        )
        f.say(f"No trend is given for {name}: {y.trend_reason}.")
        return
    hit = y.trends.filter(pl.col("force") == name)
    if hit.height == 0:
        return
    t = hit.row(0, named=True)
    left = left_out_years(y.force_series(name))
    span = f"{t['first']} to {t['last']}" if t.get("first") else y.trend_span
    if t["apc"] is None or (t["n"] or 0) < MIN_TREND_YEARS:
        why = t.get("reason") or (
            f"only {t['n']} complete year{'s' * (t['n'] != 1)} of figures"
            if t["n"] is not None
            else "no complete years"
        )
        f.add(
            "trend_since_break",
            label,
            unit="percent a year",
            text="not available",
            period=span,
            source=src,
            caveat=f"not available: {why}" + (f"; left out: {left}" if left else ""),
        )
        f.say(f"No trend since 2017/18 is given for {name}: {why}.")
        return
    nat = y.national_trend
    nat_left = left_out_years(y.national)
    f.add(
        "trend_since_break",
        label,
        value=t["apc"],
        lower=t["lower_95"],
        upper=t["upper_95"],
        unit="percent a year",
        text=f"{t['n']} complete financial years; log-linear quasi-Poisson fit; "
        f"p = {t['pvalue']:.2g}",
        period=span,
        comparison=None if nat is None else ctx.comparator,
        source=src,
        caveat=("left out: " + str(left)) if left else None,
    )
    if nat is not None and nat.get("apc") is not None:
        f.add(
            "national_trend_since_break",
            f"{ctx.comparator}: annual percent change since 2017/18 (log-linear trend)",
            value=nat["apc"],
            lower=nat["lower_95"],
            upper=nat["upper_95"],
            unit="percent a year",
            text=f"{nat['n']} complete financial years; log-linear quasi-Poisson fit",
            period=f"{nat['first']} to {nat['last']}",
            source=src,
            caveat=("left out: " + nat_left) if nat_left else None,
        )
    sig = (
        "statistically significant"
        if t["lower_95"] is not None and (t["lower_95"] > 0 or t["upper_95"] < 0)
        else "not statistically significant"
    )
    direction = "rose" if t["apc"] > 0 else "fell"
    sentence = (
        f"Over the {t['n']} complete financial years from {span}, offences in {name} "
        f"{direction} by {abs(t['apc']):.1f}% a year on a log-linear trend (95% CI "
        f"{t['lower_95']:+.1f}% to {t['upper_95']:+.1f}%, quasi-Poisson; {sig})"
    )
    if nat is not None and nat.get("apc") is not None:
        sentence += (
            f", against {nat['apc']:+.1f}% a year for {ctx.comparator} (95% CI "
            f"{nat['lower_95']:+.1f}% to {nat['upper_95']:+.1f}%, {nat['n']} complete "
            f"years from {nat['first']} to {nat['last']})"
        )
    sentence += "."
    if left:
        sentence += f" Left out of the trend: {left}."
    f.say(sentence)


# -- report sections --------------------------------------------------------------------------


def _year_table(rows: pl.DataFrame, count_label: str) -> pl.DataFrame:
    return rows.select(
        pl.col("financial_year").alias("Year"),
        pl.col("q1").alias("Q1"),
        pl.col("q2").alias("Q2"),
        pl.col("q3").alias("Q3"),
        pl.col("q4").alias("Q4"),
        pl.col("offences").alias(count_label),
        pl.col("note").fill_null("").alias("Note"),
    )


def national_section(doc: Document, ctx: Context) -> None:
    """England and Wales (or the forces summed) by financial year: table, trend and chart."""
    y = ctx.years
    if y is None or not y.multi_year:
        return
    from groomstats.report.sourcing import chart_source, years_label

    doc.heading("Offences by financial year", 3, anchor="offences-by-financial-year")
    nat = y.national
    table = nat.select(
        pl.col("financial_year").alias("Year"),
        pl.col("quarters").alias("Quarters in the data"),
        pl.col("offences").alias(f"Offences ({ctx.forces_label})"),
        pl.col("all").alias("Offences (with BTP)"),
        pl.col("note").fill_null("").alias("Note"),
    )
    if not (ctx.grooming["force"] == BTP).any():  # no BTP row at all: no column "with" it
        table = table.drop("Offences (with BTP)")
    if y.like_for_like is not None:  # the like-for-like sums beside the national ones
        k = len(y.like_for_like_forces)
        table = table.join(
            y.like_for_like.select(
                pl.col("financial_year").alias("Year"),
                pl.col("offences").alias(f"Offences (like for like: {k} forces)"),
            ),
            on="Year",
            how="left",
        )
        table = table.select([c for c in table.columns if c != "Note"] + ["Note"])
    editions = editions_by_year(ctx.grooming)
    if editions is not None:  # several releases: say which one each year's figures are from
        table = table.join(
            editions.rename({"financial_year": "Year", "edition": "Edition"}),
            on="Year",
            how="left",
        )
    doc.table(table)
    text = [
        f"Financial years {years_label(ctx, latest_only=False)} are in the data. Years before "
        "2017/18 are shown as published but not compared with later ones: 88A then held only "
        "meeting a child following sexual grooming (s.15); sexual communication with a child "
        "(s.15A) was not yet an offence."
        if any(nat["before_break"])
        else f"Financial years {years_label(ctx, latest_only=False)} are in the data."
    ]
    t = y.national_trend
    if t is not None and t.get("apc") is not None:
        sig = (
            "statistically significant"
            if t["lower_95"] > 0 or t["upper_95"] < 0
            else "not statistically significant"
        )
        text.append(
            f"Trend over the complete years from {t['first']} to {t['last']} ({t['n']} years): "
            f"{t['apc']:+.1f}% a year (95% CI {t['lower_95']:+.1f}% to {t['upper_95']:+.1f}%, "
            f"log-linear quasi-Poisson fit; {sig})."
        )
        left = left_out_years(nat)
        if left:
            text.append(f"Left out of the trend: {left}.")
    elif y.trend_reason:
        text.append(f"No trend is fitted: {y.trend_reason}.")
    elif t is not None:  # enough complete years overall, too few with every force's figures
        text.append(
            f"No trend is fitted for the {ctx.forces_label}: "
            f"{t.get('reason') or 'the fit did not converge'}."
        )
        left = left_out_years(nat)
        if left:
            text.append(f"Left out: {left}.")
    like = _like_for_like_sentence(y)
    if like:
        text.append(like)
    if editions is not None:
        text.append(
            "The data join several Home Office releases: each year's figures are those of the "
            "release named beside it (where releases overlap, the latest; the figures it "
            "revised are not counted)."
        )
    doc.paragraph(" ".join(text))
    shown = nat.filter(~pl.col("before_break"))
    if shown.height >= 2:
        doc.chart(
            "england-and-wales-years",
            lambda: national_chart(ctx),
            f"Sexual grooming offences by financial year, {ctx.comparator}, since 2017/18",
            f"Annual 88A offences, {ctx.forces_label}, {shown['financial_year'][0]} to "
            f"{shown['financial_year'][-1]}, with the log-linear trend; incomplete years as "
            "open markers"
            + (
                f"; grey squares: like for like, {y.like_for_like_label}"
                if y.like_for_like is not None
                else ""
            )
            + f". {chart_source(ctx, latest_only=False)}",
        )


def _like_for_like_sentence(y: Years) -> str:
    """The like-for-like trend beside the national one, naming what it sums ("" when the
    national trend is like for like already, or there is no trend at all)."""
    t = y.like_for_like_trend
    if y.like_for_like is None or t is None:
        return ""
    label = y.like_for_like_label
    if t.get("apc") is None or t.get("lower_95") is None:
        return (
            f"Like for like ({label}): no trend is fitted: "
            f"{t.get('reason') or 'the fit did not converge'}."
        )
    sig = (
        "statistically significant"
        if t["lower_95"] > 0 or t["upper_95"] < 0
        else "not statistically significant"
    )
    return (
        f"Like for like ({label}): {t['apc']:+.1f}% a year over the {t['n']} complete years "
        f"{t['first']} to {t['last']} (95% CI {t['lower_95']:+.1f}% to "
        f"{t['upper_95']:+.1f}%, log-linear quasi-Poisson fit; {sig})."
    )


def editions_by_year(g: pl.DataFrame) -> pl.DataFrame | None:
    """``financial_year`` and ``edition`` (the release dates of its rows, e.g.
    ``"20 October 2022"``) when the rows come from more than one Home Office release; None
    when they come from one (or carry no edition).

    Examples
    --------
    >>> import datetime as dt
    >>> g = pl.DataFrame({"financial_year": ["2017/18", "2018/19", "2018/19"],
    ...                   "edition": [dt.date(2021, 7, 20), dt.date(2022, 10, 20), None]})
    >>> editions_by_year(g).rows()
    [('2017/18', '20 July 2021'), ('2018/19', '20 October 2022; not known')]
    """
    if "edition" not in g.columns or g["edition"].drop_nulls().n_unique() < 2:
        return None
    rows = []
    for (fy,), part in g.group_by("financial_year"):
        eds = part["edition"].unique().sort(nulls_last=True).to_list()
        texts = [
            "not known"
            if e is None
            else (f"{e.day} {e:%B %Y}" if hasattr(e, "strftime") else str(e))
            for e in eds
        ]
        rows.append((str(fy), "; ".join(texts)))
    return pl.DataFrame(
        sorted(rows), schema={"financial_year": pl.String, "edition": pl.String}, orient="row"
    )


def _series_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows since the break with exact Poisson 95% limits and the note of incomplete years."""
    counts = rows["offences"].cast(pl.Float64).clip(lower_bound=0).fill_null(0.0).to_numpy()
    ci = poisson_ci(counts)
    return rows.with_columns(
        lower=pl.when(pl.col("offences").is_null()).then(None).otherwise(ci["lower_95"]),
        upper=pl.when(pl.col("offences").is_null()).then(None).otherwise(ci["upper_95"]),
        incomplete=pl.when(pl.col("complete"))
        .then(None)
        .otherwise(pl.coalesce(pl.col("mark"), pl.lit("incomplete"))),
    )


def _fit_for_plot(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None or row.get("coef") is None or row.get("apc") is None:
        return None
    return row


def national_chart(ctx: Context) -> Figure:
    """Offences by financial year since 2017/18 for the forces summed, with the trend.

    Examples
    --------
    >>> from groomstats.report.context import context
    >>> national_chart(context())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    groomstats.GroomstatsError: national_chart: the data hold one financial year ...
    """
    from groomstats.report.sourcing import chart_source

    y = ctx.years
    assert y is not None
    rows = y.national.filter(~pl.col("before_break"))
    if rows.height < 2:
        raise GroomstatsError(
            f"national_chart: the data hold one financial year since 2017/18 "
            f"({', '.join(rows['financial_year'].to_list())}): no series to draw"
        )
    series = _series_frame(rows)
    first, last = rows["financial_year"][0], rows["financial_year"][-1]
    like = y.like_for_like
    return plot.trend(
        series,
        x="financial_year",
        y="offences",
        lower="lower",
        upper="upper",
        fit=_fit_for_plot(y.national_trend),
        # the like-for-like sums beside the national ones, named by what they sum
        comparator=None if like is None else like.select("financial_year", "offences"),
        comparator_label=None if like is None else like_for_like_legend(y),
        incomplete="incomplete",
        series_break=None,
        title=f"Sexual grooming offences by financial year, {ctx.comparator_counted}, "
        f"{first} to {last}",
        xlabel="Financial year",
        label="offences recorded (complete years)",
        source=chart_source(ctx, latest_only=False),
    )


def like_for_like_legend(y: Years) -> str:
    """The legend of the like-for-like line: the forces it sums, and those it leaves out (by
    name up to three, else how many); ``""`` when there is no like-for-like sum.

    Examples
    --------
    >>> fy = ["2017/18", "2018/19"]
    >>> y = Years(years=fy, since_break=fy, complete=fy, partial={}, latest_complete=fy[-1],
    ...           by_force=pl.DataFrame(), national=pl.DataFrame(),
    ...           like_for_like=pl.DataFrame({"financial_year": fy}),
    ...           like_for_like_forces=["Essex", "Kent"], like_for_like_excluded=["Dorset"])
    >>> print(like_for_like_legend(y))
    like for like: the 2 forces with figures for every
    year 2017/18 to 2018/19 (excludes Dorset)
    """
    if y.like_for_like is None:
        return ""
    k, left = len(y.like_for_like_forces), y.like_for_like_excluded
    out = ", ".join(left) if len(left) <= 3 else f"{len(left)} forces, named in the text"
    return (
        f"like for like: the {k} force{'s' * (k != 1)} with figures for every\n"
        f"year {y.trend_span} (excludes {out})"
    )


def force_chart(ctx: Context, name: str) -> Figure:
    """One force's offences by financial year since 2017/18, with its trend; partial and
    incomplete years as open markers with their notes, never joined.

    Examples
    --------
    >>> from groomstats.report.context import context
    >>> force_chart(context(), "Kent")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    groomstats.GroomstatsError: force_chart: the data hold one financial year ...
    """
    from groomstats.report.sourcing import chart_source

    y = ctx.years
    assert y is not None
    rows = y.force_series(name)
    if rows.height < 2:
        raise GroomstatsError(
            f"force_chart: the data hold one financial year since 2017/18 for {name}: no "
            "series to draw"
        )
    fit = None
    if y.trends is not None:
        hit = y.trends.filter(pl.col("force") == name)
        fit = _fit_for_plot(hit.row(0, named=True) if hit.height else None)
    first, last = rows["financial_year"][0], rows["financial_year"][-1]
    return plot.trend(
        _series_frame(rows),
        x="financial_year",
        y="offences",
        lower="lower",
        upper="upper",
        fit=fit,
        incomplete="incomplete",
        series_break=None,
        title=f"Sexual grooming offences by financial year, {name}, {first} to {last}",
        xlabel="Financial year",
        label="offences recorded (complete years)",
        source=chart_source(ctx, latest_only=False),
    )


def force_section(doc: Document, ctx: Context, name: str) -> None:
    """A force's table by financial year (quarters and total) and its chart."""
    y = ctx.years
    if y is None or not y.multi_year:
        return
    from groomstats.report.document import slug
    from groomstats.report.sourcing import chart_source

    rows = y.force_series(name, since_break=False)
    if rows.height == 0:
        return
    doc.paragraph(
        f"{name} by financial year: offences in each quarter and the year's total. A blank "
        f"quarter is not in the data or not available ({NA_WORDS}), never 0; a year with one "
        "is incomplete, says so, and is left out of the trend."
    )
    doc.table(_year_table(rows, "Offences"))
    if y.force_series(name).height >= 2:
        doc.chart(
            f"{slug(name)}-years",
            lambda: force_chart(ctx, name),
            f"Sexual grooming offences by financial year, {name}, since 2017/18",
            f"Annual 88A offences, {name}, since 2017/18, with the log-linear trend; partial "
            f"and incomplete years as open markers. {chart_source(ctx, latest_only=False)}",
        )

"""The report behind ``groomstats report``: England and Wales plus one section per force.

:func:`write_report` computes a :class:`~groomstats.report.context.Context` once (the
statistics), then each section here turns its results into headings, tables, sentences and
charts (:mod:`groomstats.plot`) of a :class:`~groomstats.report.document.Document`, written as
Markdown or HTML with PNG charts. Sections compute nothing themselves.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     res = write_report(pathlib.Path(d), force="Gwent")
...     text = res.path.read_text()
>>> "4,429" in text and "## Gwent" in text
True
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import polars as pl

from groomstats import plot
from groomstats._util import check_option
from groomstats.areas import BTP, match_force
from groomstats.exceptions import GroomstatsError, UnknownAreaError
from groomstats.io import RowReport, read_prc
from groomstats.io._sheets import NULL_PUBLISHED, check_source
from groomstats.periods import SERIES_BREAK
from groomstats.report import years as years_report
from groomstats.report.context import Context, context, forces_in, not_profiled
from groomstats.report.document import Document, fact_table, slug
from groomstats.report.profile import profile
from groomstats.report.sourcing import chart_source, files_source, prc_source, years_label
from groomstats.report.wording import ABSENT_WORDS, NA_WORDS, fmt_int, missing_words

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["ATTRIBUTION", "ReportResult", "force_chart", "force_funnel", "write_report"]

Format = Literal["md", "html"]


Progress = Callable[[str, int, int], None]


#: The mark of a quarter whose total misses a force's figure, in tables (explained in a note).
INCOMPLETE_MARK = "†"

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Home Office; Office for National Statistics)."
)


@dataclass
class ReportResult:
    """What :func:`write_report` wrote (displays as HTML in a notebook)."""

    path: Path
    charts: list[Path]
    forces: list[str]
    year: str
    national: int
    national_with_btp: int
    rows_read: int = 0
    n_forces: int = 43
    by_quarter: list[tuple[str, int]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    n_charts: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)
    comparator: str = "England and Wales"
    years: str = ""
    period: str = ""
    unreported: str = ""
    btp_in_data: bool = True
    incomplete_words: str = NA_WORDS

    def summary(self, seconds: float | None = None) -> str:
        """A few lines for the terminal."""
        n = len(self.forces)
        inline = " (inline)" if self.path.suffix == ".html" else ""
        span = self.years or self.year
        lines = [
            f"groomstats report: {self.comparator} and {n} force section{'s' * (n != 1)}, "
            f"{self.n_charts or len(self.charts)} charts{inline} -> {self.path}",
            f"  rows read: {self.rows_read:,} (Home Office police recorded crime, {span})",
            f"  sexual grooming (88A) offences: {fmt_int(self.national_with_btp)} "
            f"({fmt_int(self.national)} by the {self.n_forces} territorial "
            f"force{'s' * (self.n_forces != 1)}, "
            + (
                f"{fmt_int(self.national_with_btp - self.national)} by British Transport Police)"
                if self.btp_in_data
                else "British Transport Police not in the data)"
            ),
        ]
        lines[2:2] = [f"    not counted {n:,}: {why}" for why, n in self.excluded.items()]
        if self.period and (self.period != self.year or span != self.year or self.unreported):
            latest = (
                "the latest year in the data"
                if not self.unreported
                else f"the latest with figures; every figure for {self.unreported} is N/a"
            )
            lines.insert(2, f"  figures below: {self.period} ({latest})")
        if self.incomplete:
            lines.append(
                f"    incomplete: figures not available ({self.incomplete_words}) for "
                f"{', '.join(self.incomplete)}; left out of the totals, never counted as 0"
            )
        lines += [f"    {q}: {fmt_int(v)}" for q, v in self.by_quarter]
        if seconds is not None:
            lines.append(f"  done in {seconds:.1f} s")
        return "\n".join(lines)

    def timing_lines(self) -> str:
        """The time each stage took, one line each (``groomstats report --timings``)."""
        total = sum(self.timings.values())
        lines = [f"  {what:<28} {secs:7.3f} s" for what, secs in self.timings.items()]
        return "\n".join(["timings:", *lines, f"  {'total':<28} {total:7.3f} s"])

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(q)}</td><td style='text-align:right'>{fmt_int(v)}</td></tr>"
            for q, v in self.by_quarter
        )
        n = len(self.forces)
        # the period the figures cover: a part year is named by its quarters, as in the report
        period = self.period or self.year
        btp = (
            f"{fmt_int(self.national_with_btp - self.national)} by British Transport Police"
            if self.btp_in_data
            else "British Transport Police not in the data"
        )
        notes = ""
        if self.incomplete:
            notes += (
                f"<p>Incomplete: figures not available ({e(self.incomplete_words)}) for "
                f"{e(', '.join(self.incomplete))}; left out of the totals, never counted as "
                "0.</p>"
            )
        if self.unreported:
            notes += (
                f"<p>Every figure for {e(self.unreported)} is not available: left out of the "
                "report, never counted as 0.</p>"
            )
        col = "Offences (with BTP)" if self.btp_in_data else "Offences (no BTP in the data)"
        return (
            f"<div><strong>groomstats report</strong>: {e(self.comparator)} and {n} force "
            f"section{'s' * (n != 1)}, {self.n_charts or len(self.charts)} charts, written to "
            f"<code>{e(str(self.path))}</code>"
            f"<p>Sexual grooming (88A) offences, {e(period)}: "
            f"{fmt_int(self.national_with_btp)} ({fmt_int(self.national)} by the "
            f"{self.n_forces} territorial force{'s' * (self.n_forces != 1)}, {btp}); "
            f"{self.rows_read:,} rows read.</p>{notes}"
            f"<table><thead><tr><th>Quarter</th><th>{col}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )


def _load(
    data: Sequence[Path | str], tick: Progress | None = None
) -> tuple[pl.DataFrame | None, RowReport | None]:
    """The ``--data`` files as one frame: :func:`read_prc` on the list, so a file given twice or
    two editions overlapping are counted once (the latest edition wins), never summed."""
    if not data:
        return None, None
    paths = []
    for i, p in enumerate(data):
        path = check_source(p)
        if tick is not None:
            tick(f"reading {path.name}", i, len(data))
        paths.append(path)
    frame, rep = read_prc(paths if len(paths) > 1 else paths[0], report=True)
    if tick is not None:
        tick("data read", len(data), len(data))
    return frame, rep


def write_report(
    out: Path | str,
    *,
    data: Sequence[Path | str] = (),
    force: str | None = None,
    fmt: Format = "md",
    progress: Progress | None = None,
) -> ReportResult:
    """Write the report into directory ``out`` (created if needed).

    Parameters
    ----------
    out
        Output directory; the report is ``report.md`` or ``report.html`` with charts in
        ``charts/``.
    data
        Home Office PRC open-data files to use instead of the embedded 2017/18 table.
    force
        Only this force's section (after the England and Wales section).
    fmt
        ``"md"`` or ``"html"``.
    progress
        Called as ``progress(what, done, total)`` while the sections are written.

    Returns
    -------
    ReportResult

    Raises
    ------
    UnknownAreaError
        ``force`` is not a known force (the message suggests the closest).
    DataFormatError
        A data file cannot be read.
    """
    check_option(fmt, ("md", "html"), "format")
    out = Path(out)
    clock = _Clock()
    tick = progress or (lambda what, done, total: None)
    wanted = match_force(force) if force is not None else None
    prc, read_report = _load(data, tick)
    clock.lap("read data")
    tick("statistics", 0, 1)
    ctx = context(prc)
    if data:
        ctx.data_source = files_source(data)
    clock.lap("statistics (context)")
    forces = [f for f in forces_in(ctx) if wanted is None or f == wanted]
    if wanted is not None and not forces:
        raise UnknownAreaError(not_profiled(ctx, str(force), wanted))
    total = len(forces)

    doc = Document(ctx.title)
    _front(doc, ctx, data)
    _national(doc, ctx)
    _nspcc_section(doc, ctx)
    _forces_overview(doc, ctx, forces)
    for i, name in enumerate(forces, start=1):
        _force_section(doc, ctx, name)
        tick(f"section: {name}", i, total)
    _sources(doc, ctx)
    clock.lap("sections (text and tables)")

    created: set[Path] = set()
    if not out.exists():
        out.mkdir(parents=True)
        created.add(out)
    elif not out.is_dir():
        raise GroomstatsError(f"--out {out} exists and is not a directory")
    rendered = doc.render_charts(fmt, progress=tick)
    clock.lap(f"charts ({len(rendered)}, {'PNG' if fmt == 'md' else 'inline SVG'})")
    path, charts = doc.write(out, fmt, rendered=rendered, created=created)
    clock.lap("write files")
    return ReportResult(
        path=path,
        charts=charts,
        forces=forces,
        year=ctx.year,
        national=ctx.national,
        national_with_btp=ctx.national_with_btp,
        rows_read=read_report.rows_read if read_report is not None else ctx.rows_read,
        excluded=dict(read_report.excluded) if read_report is not None else {},
        n_forces=ctx.n_forces,
        by_quarter=_by_quarter(ctx),
        incomplete=ctx.incomplete_forces,
        timings=clock.laps,
        n_charts=len(rendered),
        comparator=ctx.comparator,
        years=years_label(ctx, latest_only=False),
        period=ctx.period,
        unreported=ctx.unreported,
        btp_in_data=btp_in_data(ctx),
        incomplete_words=_incomplete_words(ctx),
    )


class _Clock:
    """Wall time of each stage of the report, in order."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        self.laps[what] = now - self.last
        self.last = now


def _front(doc: Document, ctx: Context, data: Sequence[Path | str]) -> None:
    src = (
        "the Home Office police recorded crime open data table embedded in groomstats "
        "(police force area level, 2017/18 sheet, 2019 edition)"
        if not data
        else "the Home Office police recorded crime files " + ", ".join(str(p) for p in data)
    )
    doc.paragraph(
        f"Sexual grooming offences (Home Office classification 88A) recorded by the police, "
        f"computed by groomstats from {src}. Generated {dt.date.today():%d %B %Y}."
    )
    doc.paragraph(ATTRIBUTION)
    doc.paragraph(
        "Series break: from 1 April 2017 classification 88A also counts sexual communication "
        "with a child (Sexual Offences Act 2003 s.15A, in force 3 April 2017). Earlier figures "
        "count only meeting a child following sexual grooming and are not comparable, so no "
        "comparison in this report crosses that date."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _incomplete_words(ctx: Context) -> str:
    """Why the incomplete forces' figures for the report's year are missing: ``"N/a, blank or
    suppressed"``, ``"not in the data"`` (a force absent from a quarter) or both."""
    rows = ctx.grooming.filter(
        pl.col("force").is_in(ctx.incomplete_forces) & (pl.col("financial_year") == ctx.year)
    )
    return missing_words(rows) or NA_WORDS


def _incomplete_note(ctx: Context) -> str:
    """A sentence naming the forces whose figures are missing from the totals ('' if none)."""
    missing = ctx.incomplete_forces
    if not missing:
        return ""
    why = _incomplete_words(ctx)
    how = {
        NA_WORDS: NULL_PUBLISHED,
        ABSENT_WORDS: "not in the data",
    }.get(why, f"{NULL_PUBLISHED}, or not in the data")
    return (
        f" These totals are incomplete: figures for {', '.join(missing)} are not available "
        f"({how}) for some or all quarters and are left out, never "
        "counted as 0; blank cells in the tables below are not available."
    )


def btp_in_data(ctx: Context) -> bool:
    """Whether the data hold any British Transport Police row for the report's year (without
    one, a total "with BTP" would show its unknown figure as 0)."""
    g = ctx.grooming
    rows = g.filter((pl.col("force") == BTP) & (pl.col("financial_year") == ctx.year))
    return rows.height > 0


def _unreported_note(ctx: Context) -> str:
    """A sentence naming the later period of the data whose every figure is N/a, blank or
    suppressed."""
    if not ctx.unreported:
        return ""
    return (
        f" The data also hold {ctx.unreported}, but every figure for it is not available "
        f"({NULL_PUBLISHED}): it is left out of this report, which covers the "
        f"data up to {ctx.period}, never counted as 0."
    )


def _national(doc: Document, ctx: Context) -> None:
    doc.heading(ctx.comparator, 2, anchor="england-and-wales")
    with_btp = (
        f"with British Transport Police ({fmt_int(ctx.btp)}) the total is "
        f"{'' if ctx.national_complete else 'at least '}{fmt_int(ctx.national_with_btp)}."
        if btp_in_data(ctx)
        else "British Transport Police is not in the data, so there is no total with it "
        "(its figure is not known, not 0)."
    )
    doc.paragraph(
        f"In {ctx.period_phrase} the {ctx.forces_phrase} recorded "
        # a total with figures not available is a floor, never the count itself
        f"{'' if ctx.national_complete else 'at least '}"
        f"{fmt_int(ctx.national)} sexual grooming offences; {with_btp}"
        + _incomplete_note(ctx)
        + _unreported_note(ctx)
    )
    q43 = ctx.quarters
    marked = pl.col("mark").is_not_null()
    table = q43.select(
        pl.when(marked)
        .then(pl.col("period") + f" {INCOMPLETE_MARK}")
        .otherwise(pl.col("period"))
        .alias("Quarter"),
        pl.col("period_start").cast(pl.String).alias("From"),
        pl.col("offences").alias(f"Offences ({ctx.forces_label})"),
        pl.col("lower").alias("95% CI lower"),
        pl.col("upper").alias("95% CI upper"),
        pl.col("all").alias("Offences (with BTP)"),
        pl.when(marked)
        .then(pl.lit(f"{INCOMPLETE_MARK} incomplete: ") + pl.col("note"))
        .otherwise(pl.col("note").fill_null(""))
        .alias("Note"),
    )
    totals = pl.DataFrame(
        {
            "Quarter": [f"{ctx.period} total" + ("" if ctx.national_complete else " (incomplete)")],
            "From": [""],
            f"Offences ({ctx.forces_label})": [ctx.national],
            "95% CI lower": [None],
            "95% CI upper": [None],
            "Offences (with BTP)": [ctx.national_with_btp],
            "Note": [
                ""
                if ctx.national_complete
                else f"incomplete: excludes the figures of {', '.join(ctx.incomplete_forces)} "
                f"not available ({_incomplete_words(ctx)})"
            ],
        },
        schema=table.schema,
    )
    before = int((q43["period_start"] < SERIES_BREAK).sum())
    if 0 < before < q43.height:  # the quarters span 1 April 2017: a row says where it falls
        cut = pl.DataFrame(
            {
                "Quarter": [f"{SERIES_BREAK:%-d %B %Y}: series break"],
                "Note": [
                    "quarters above: 88A held only meeting a child following sexual grooming "
                    "(s.15); not comparable with those below"
                ],
            }
        )
        table = pl.concat([table.head(before), cut, table.slice(before)], how="diagonal")
    both = pl.concat([table, totals])
    if q43["note"].is_null().all() and ctx.national_complete and not 0 < before < q43.height:
        both = both.drop("Note")  # every figure complete, no break: no notes to give
    if not (ctx.grooming["force"] == BTP).any():  # no BTP row at all: no column "with" it
        both = both.drop("Offences (with BTP)")
    doc.heading("Offences by quarter", 3)
    doc.table(both, decimals={"95% CI lower": 0, "95% CI upper": 0})
    doc.paragraph(
        "Intervals are exact Poisson 95% limits: the range of underlying rates consistent with "
        "each count."
        + (
            f" Quarters marked {INCOMPLETE_MARK} are incomplete: their totals exclude the "
            "forces named in the note, whose figures are not available "
            f"({missing_words(ctx.grooming.filter(pl.col('territorial'))) or NA_WORDS}); the "
            "chart draws them as open markers, not joined to the other quarters."
            if q43["mark"].is_not_null().any()
            else ""
        )
    )
    span = years_label(ctx, latest_only=False)
    doc.chart(
        "england-and-wales-quarters",
        lambda: plot.trend(
            q43,
            x="period",
            y="offences",
            lower="lower",
            upper="upper",
            incomplete="mark",
            title=f"Sexual grooming offences by quarter, {ctx.comparator_counted}, {span}",
            xlabel="Financial quarter",
            label="offences recorded",
            source=chart_source(ctx, latest_only=False),
        ),
        f"Sexual grooming offences by quarter, {ctx.comparator}",
        f"Quarterly 88A offences, {ctx.forces_label}, {span}, with exact Poisson 95% limits",
    )
    years_report.national_section(doc, ctx)

    regions = (
        ctx.regions.select(
            pl.col("region").alias("Region"),
            pl.col("forces").alias("Forces"),
            pl.col("offences").alias("Offences"),
        )
        .with_columns((100.0 * pl.col("Offences") / ctx.national).alias("Share (%)"))
        .sort("Offences", descending=True)
    )
    doc.heading("Offences by region", 3)
    doc.table(regions, decimals={"Share (%)": 1})

    table = (
        ctx.by_force.filter(pl.col("territorial"))
        .sort("offences", descending=True)
        .select(
            pl.col("force").alias("Force"),
            pl.col("q1").alias("Q1"),
            pl.col("q2").alias("Q2"),
            pl.col("q3").alias("Q3"),
            pl.col("q4").alias("Q4"),
            pl.col("offences").alias(f"Offences {ctx.period}"),
            (100.0 * pl.col("offences") / ctx.national).alias("Share (%)"),
        )
    )
    doc.heading("Offences by force", 3)
    doc.table(table, decimals={"Share (%)": 1})
    _rates_section(doc, ctx)


def _rates_section(doc: Document, ctx: Context) -> None:
    if ctx.rates is None:
        return
    nat = ctx.national_rate
    year = nat.get("year")
    doc.heading("Rates per 100,000 children", 3)
    comparator = ctx.comparator
    if not nat.get("complete", True):
        comparator = f"The {nat.get('forces')} forces with complete figures"
    partial = (
        " These are rates for part of the year only, not annual rates."
        if ctx.quarters_in_window < 4
        else ""
    )
    vintage = f", {nat['vintage']}" if nat.get("vintage") else ""
    doc.paragraph(
        f"Offences in {ctx.period_phrase} per 100,000 children aged 0-17 (ONS mid-{year} "
        f"estimates{vintage}; {nat.get('note') or f'the mid-year inside {ctx.year}'})."
        f"{partial} Limits: Byar's method for counts of 10 or more, exact Poisson below. "
        f"{comparator}: {nat['value']:.1f} (95% CI {nat['lower_95']:.1f} to "
        f"{nat['upper_95']:.1f}). Rank 1 is the highest rate; areas with fewer than 10,000 "
        "children are flagged and not ranked, and so are forces whose figures are not "
        "available for the whole period."
    )
    table = ctx.rates.sort(pl.col("rank"), nulls_last=True).select(
        pl.col("force").alias("Force"),
        pl.col("offences").alias("Offences"),
        pl.col("population").alias(f"Children 0-17, mid-{year}"),
        pl.col("value").alias("Rate"),
        pl.col("lower_95").alias("95% lower"),
        pl.col("upper_95").alias("95% upper"),
        pl.col("lower_99_8").alias("99.8% lower"),
        pl.col("upper_99_8").alias("99.8% upper"),
        pl.col("rank").cast(pl.Int64).alias("Rank"),
        pl.coalesce(pl.col("reason"), pl.col("rank_reason")).alias("Note"),
    )
    doc.table(
        table,
        decimals={c: 1 for c in ("Rate", "95% lower", "95% upper", "99.8% lower", "99.8% upper")},
    )
    rates = ctx.rates
    alone = ctx.n_forces == 1
    doc.chart(
        "rates-ranked",
        lambda: plot.ranked(
            rates,
            # one force alone: no comparator line (it would be the force against itself)
            target=float(nat["value"]) if alone is False else None,
            target_lower=float(nat["lower_95"]) if alone is False else None,
            target_upper=float(nat["upper_95"]) if alone is False else None,
            target_label=(
                _capital(str(nat.get("area") or ctx.comparator)) if alone is False else None
            ),
            title=f"Sexual grooming offences per 100,000 children aged 0-17 by force, {ctx.period}",
            xlabel=f"Offences per 100,000 children aged 0-17 (ONS mid-{year})",
            source=chart_source(ctx, rates=True),
        ),
        "Rates per 100,000 children by force, ranked, with 95% intervals"
        + ("" if alone else f"; {ctx.comparator}"),
        f"88A offences per 100,000 children aged 0-17, {ctx.period}, ONS mid-{year} population",
    )
    _funnel_section(doc, ctx)


def _funnel_section(doc: Document, ctx: Context) -> None:
    if ctx.funnel is None or ctx.rates is None:
        return
    flagged = ctx.rates.filter(pl.col("flag"))["force"].to_list()
    missing = ctx.funnel.filter(~pl.col("force").is_in(flagged) & pl.col("value").is_null())[
        "force"
    ].to_list()
    shown = ctx.funnel.filter(~pl.col("force").is_in(flagged) & pl.col("value").is_not_null())
    curves = ctx.funnel_curves
    xlabel, ylabel, target_label = _funnel_labels(ctx)
    left_out = ctx.funnel.filter(pl.col("force").is_in(flagged))

    def draw() -> Figure:
        fig = plot.funnel(
            pl.concat([shown, left_out], how="diagonal_relaxed").with_columns(
                flag=pl.col("force").is_in(flagged)
            ),
            limits=curves,
            title=f"Sexual grooming offences per 100,000 children by force, {ctx.period}",
            xlabel=xlabel,
            ylabel=ylabel,
            target_label=target_label,
            source=chart_source(ctx, rates=True),
        )
        return fig

    doc.heading("Funnel plot", 3)
    counts = dict(ctx.funnel["significance"].value_counts().iter_rows())
    od_counts = (
        dict(ctx.funnel_od["significance"].value_counts().iter_rows())
        if ctx.funnel_od is not None
        else {}
    )
    order = ["High (0.001)", "High (0.025)", "Not significant", "Low (0.025)", "Low (0.001)"]
    doc.table(
        pl.DataFrame(
            {
                "Significance": order,
                "Forces (exact Poisson limits)": [int(counts.get(k, 0)) for k in order],
                "Forces (overdispersion-adjusted)": [int(od_counts.get(k, 0)) for k in order],
            }
        )
    )
    phi = ctx.funnel_od["phi"][0] if ctx.funnel_od is not None else None
    doc.paragraph(
        f"Exact Poisson limits around the rate of {ctx.comparator} at 95% and 99.8% (PHE "
        "convention). "
        + (
            f"The forces vary far more than chance alone would make them (dispersion ratio "
            f"phi = {phi:.1f}), so the overdispersion-adjusted limits (Spiegelhalter 2005) are "
            "the fairer test of an individual force. "
            if phi is not None
            else ""
        )
        + (
            f"Not shown: {', '.join(flagged)} (too few children for a meaningful rate)."
            if flagged
            else ""
        )
        + (
            f" Not shown either: {', '.join(missing)} (figures not available for the whole "
            "period, so no rate)."
            if missing
            else ""
        )
    )
    doc.chart(
        "funnel",
        draw,
        "Funnel plot of rates per 100,000 children by force",
        f"Funnel plot of 88A rates per 100,000 children aged 0-17, {ctx.period}, exact Poisson "
        f"95% and 99.8% limits around the rate of {ctx.comparator}",
    )


def _nspcc_section(doc: Document, ctx: Context) -> None:
    """NSPCC national series (with trend), platforms and victims, as published."""
    if not ctx.nspcc_series:
        return
    doc.heading("NSPCC figures: sexual communication with a child", 3)
    doc.paragraph(
        "The Home Office series cannot be followed back past 1 April 2017, and the Home "
        f"Office data here cover {years_label(ctx, latest_only=False)}. The NSPCC's Freedom "
        "of Information requests "
        "count offences of sexual communication with a child (s.15A) from April 2017. A "
        "year's figure is revised between releases and the number of forces answering "
        "varies; each whole year is taken from its latest release, and England and Wales "
        "figures are never mixed with UK-wide ones."
    )
    rows = []
    for area, series in ctx.nspcc_series.items():
        if series.height == 0:
            continue
        rows.append(series.select("area", "financial_year", "offences", "release", "source_url"))
        fit = ctx.nspcc_trends.get(area)
        if fit is not None and fit["apc"] is not None:
            sig = (
                "statistically significant"
                if fit["pvalue"] is not None and fit["pvalue"] < 0.05
                else "not statistically significant"
            )
            doc.paragraph(
                f"{area}: {series.height} whole years from {fit['first']} to {fit['last']}; "
                f"annual percent change {fit['apc']:+.1f}% (95% CI {fit['lower_95']:+.1f}% to "
                f"{fit['upper_95']:+.1f}%, log-linear quasi-Poisson fit; {sig})."
            )
    if rows:
        table = pl.concat(rows).rename(
            {
                "area": "Area",
                "financial_year": "Year",
                "offences": "Offences",
                "release": "Release",
                "source_url": "Source",
            }
        )
        doc.table(table)
        uk = ctx.nspcc_series.get("United Kingdom")
        if uk is not None and uk.height > 1:
            ew = ctx.nspcc_series.get("England and Wales")
            fit = ctx.nspcc_trends.get("United Kingdom")
            doc.chart(
                "nspcc-united-kingdom",
                lambda: plot.trend(
                    uk,
                    x="financial_year",
                    y="offences",
                    fit=fit if fit is not None and fit.get("coef") is not None else None,
                    comparator=ew if ew is not None and ew.height else None,
                    series_break=None,
                    xlabel="Financial year",
                    title="Sexual communication with a child, United Kingdom "
                    "(NSPCC FOI, latest release of each year)",
                    label="United Kingdom",
                    source=plot.SOURCE_NSPCC,
                ),
                "Sexual communication with a child, United Kingdom, NSPCC figures, with the "
                "fitted trend and England and Wales",
                "NSPCC FOI annual counts of sexual communication with a child, UK, with the "
                "log-linear trend and its 95% interval; England and Wales for comparison",
            )

    s, latest = ctx.platforms, ctx.platforms_published
    if s is not None and latest is not None and latest.height:
        base = int(latest["offences_with_method_recorded"][0])
        doc.heading("Platforms", 3)
        doc.paragraph(
            f"Share of offences in which each platform was used, of the {base:,} where police "
            f"recorded the method ({latest['area'][0]}, "
            f"{latest['period_start'][0]:%B %Y}-{latest['period_end'][0]:%B %Y}, NSPCC release "
            f"{latest['release'][0]}). One offence can involve several platforms. Wilson 95% "
            "intervals from counts rebuilt from the published rounded percentages "
            "(approximate)."
        )
        doc.table(
            s.select(
                pl.col("platform").alias("Platform"),
                pl.col("offences").alias("Offences (rebuilt)"),
                pl.col("value").alias("Share (%)"),
                pl.col("lower_95").alias("95% lower"),
                pl.col("upper_95").alias("95% upper"),
            ),
            decimals={"Share (%)": 1, "95% lower": 1, "95% upper": 1},
        )
        shares = s
        doc.chart(
            "platforms",
            lambda: plot.shares(
                shares,
                category="platform",
                share="value",
                lower="lower_95",
                upper="upper_95",
                title=f"Platforms used where police recorded one ({latest['area'][0]}, "
                f"NSPCC release {latest['release'][0]})",
                note=f"of {base:,} offences where the method was recorded",
                source=plot.SOURCE_NSPCC,
            ),
            "Platforms used in offences where police recorded the method",
            "Platform shares with Wilson 95% intervals, NSPCC FOI",
        )

    victims = ctx.victims
    if victims is not None and victims.height:
        doc.heading("Victims", 3)
        doc.table(
            victims.select(
                pl.col("area").alias("Area"),
                pl.col("period_start").cast(pl.String).alias("From"),
                pl.col("period_end").cast(pl.String).alias("To"),
                pl.col("fact").str.replace_all("_", " ").alias("Fact"),
                pl.col("value").alias("Value"),
                pl.col("unit").alias("Unit"),
                pl.col("release").alias("Release"),
            )
        )


def _wales_chart(doc: Document, ctx: Context) -> None:
    w = ctx.nspcc_wales
    if w is None or w.height == 0:
        return
    doc.chart(
        "nspcc-wales",
        lambda: plot.panels(
            w,
            facet="force",
            x="financial_year",
            y="offences",
            ncols=4,
            title="Sexual communication with a child, Welsh forces (NSPCC FOI)",
            source=plot.SOURCE_NSPCC,
        ),
        "NSPCC figures for the four Welsh forces",
        "NSPCC FOI annual counts, four Welsh forces",
    )


def _forces_overview(doc: Document, ctx: Context, forces: Sequence[str]) -> None:
    """One chart of every force's quarters, by region, on one scale (each force links to it)."""
    region_of = ctx.by_force.filter(pl.col("territorial")).select("force", "region")
    quarters = (
        ctx.force_quarters.filter(
            pl.col("force").is_in(list(forces)) & pl.col("period").str.starts_with(ctx.year)
        )
        .join(region_of, on="force", how="inner")
        .with_columns(pl.col("region").fill_null("No region"))
        .sort("region", "force", "period_start")
    )
    if quarters.height == 0:
        return
    doc.heading("Forces by quarter", 3, anchor="forces-by-quarter")
    doc.paragraph(
        f"Offences recorded by each force in each quarter of {ctx.year}, by region, all on "
        "one scale, with exact Poisson 95% intervals. Each force's section below gives its "
        "figures."
    )
    doc.chart(
        "forces-by-quarter",
        lambda: plot.panels(
            quarters,
            facet="force",
            x="period",
            y="offences",
            lower="lower",
            upper="upper",
            group="region",
            title=f"Sexual grooming offences by quarter and force, {ctx.year}",
            source=chart_source(ctx),
        ),
        "Sexual grooming offences by quarter for each force, by region",
        f"Quarterly 88A offences for each force, {ctx.year}, with exact Poisson 95% limits",
    )


def _force_section(doc: Document, ctx: Context, name: str) -> None:
    p = profile(force=name, ctx=ctx)
    doc.heading(name, 2, anchor=slug(name), group="Forces")
    doc.bullets(p.sentences())
    doc.table(fact_table(p.frame))
    years_report.force_section(doc, ctx, name)
    doc.chart(
        "forces-by-quarter",
        None,
        "Sexual grooming offences by quarter for each force, by region",
    )
    on_funnel = None if ctx.funnel is None else ctx.funnel.filter(pl.col("value").is_not_null())
    if on_funnel is not None and name in on_funnel["force"].to_list():
        doc.chart("funnel", None, "Funnel plot of rates per 100,000 children by force")
    if name in ctx.welsh_forces:
        _wales_chart(doc, ctx)


def force_funnel(ctx: Context, name: str) -> Figure | None:
    """The funnel plot with one force ringed and named; None when the force is not on it.

    Examples
    --------
    >>> ctx = context()
    >>> [t.get_text() for t in force_funnel(ctx, "Kent").axes[0].texts]
    ['Kent']
    >>> force_funnel(ctx, "City of London") is None
    True
    """
    if ctx.funnel is None or ctx.rates is None:
        return None
    flagged = ctx.rates.filter(pl.col("flag"))["force"].to_list()
    if name in flagged:
        return None
    shown = ctx.funnel.filter(~pl.col("force").is_in(flagged) & pl.col("value").is_not_null())
    if name not in shown["force"].to_list():
        return None
    return plot.funnel(
        shown,
        limits=ctx.funnel_curves,
        highlight=name,
        annotate=False,
        title=f"{name} among the forces: offences per 100,000 children, {ctx.period}",
        xlabel=_funnel_labels(ctx)[0],
        ylabel=_funnel_labels(ctx)[1],
        target_label=_funnel_labels(ctx)[2],
        source=chart_source(ctx, rates=True),
    )


def _funnel_labels(ctx: Context) -> tuple[str, str, str]:
    """x label, y label and target label of the funnel, from the data in the context."""
    year = ctx.national_rate.get("year")
    target = ctx.comparator_counted
    if not ctx.national_rate.get("complete", True):
        target = f"The {ctx.national_rate.get('forces')} forces with complete figures"
    return (
        f"Children aged 0-17 (ONS mid-{year})",
        "Offences per 100,000 children",
        target,
    )


def force_chart(ctx: Context, name: str) -> Figure:
    """The quarterly chart of a force's section: counts with exact Poisson 95% limits.

    Examples
    --------
    >>> fig = force_chart(context(), "Kent")
    >>> [float(v) for v in fig.axes[0].lines[0].get_ydata()]
    [18.0, 9.0, 14.0, 4.0]
    """
    q = _force_quarters(ctx, name)
    return plot.trend(
        q,
        x="period",
        y="offences",
        lower="lower",
        upper="upper",
        title=f"Sexual grooming offences by quarter, {name}, {years_label(ctx, latest_only=False)}",
        xlabel="Financial quarter",
        label="offences recorded",
        source=chart_source(ctx, latest_only=False),
    )


def _sources(doc: Document, ctx: Context) -> None:
    doc.heading("Sources and methods", 2, anchor="sources")
    doc.bullets(
        [
            f"{prc_source(ctx, latest_only=False)}. Open Government Licence v3.0.",
            f"Office for National Statistics, mid-year population estimates, "
            f"mid-{ctx.national_rate.get('year')}"
            + (f" ({ctx.national_rate['vintage']})" if ctx.national_rate.get("vintage") else "")
            + ", summed to police force areas with the ONS local authority to police force "
            "area lookup (December 2023; districts abolished since mapped to their force "
            "area). Open Government Licence v3.0.",
            "NSPCC Freedom of Information figures on sexual communication with a child, as "
            "published (each figure's web page is given beside it).",
            "Local news reports of force figures, as listed beside each figure.",
            ATTRIBUTION,
        ]
    )


def _by_quarter(ctx: Context) -> list[tuple[str, int]]:
    """The territorial forces (with British Transport Police) by quarter of the latest year."""
    latest = ctx.quarters.filter(pl.col("period").str.starts_with(ctx.year))
    return [
        (f"quarter {label[-1]}", int(v)) for label, v in latest.select("period", "all").iter_rows()
    ]


def _force_quarters(ctx: Context, name: str) -> pl.DataFrame:
    return ctx.force_quarters.filter(pl.col("force") == name)

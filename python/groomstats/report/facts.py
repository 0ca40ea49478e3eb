"""Facts a profile computes from the police recorded crime data: counts, rates, funnel position,
changes against the previous year and within the year, and caveats.

Each builder takes the :class:`Facts` being collected, the shared
:class:`~groomstats.report.context.Context` and a force name; it adds rows (see
:data:`FACT_SCHEMA`) and the sentences that word them. The figures come from the context
(computed there by the public statistics); the exact tests of a force's change against the
national change call :func:`groomstats.rate_ratio_test`.

Examples
--------
>>> from groomstats.report.context import context
>>> ctx = context()
>>> kent = ctx.by_force.filter(pl.col("force") == "Kent").row(0, named=True)
>>> facts = Facts()
>>> counts(facts, ctx, "Kent", kent)
>>> facts.frame()["fact"].to_list()
['offences_year', 'national_offences_year', 'share_of_national', 'offences_latest_quarter']
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from groomstats.compare import rate_ratio_test
from groomstats.periods import describe_period, parse_period
from groomstats.report.context import Context, halves, previous_year, quarters_phrase
from groomstats.report.sourcing import prc_source
from groomstats.report.wording import (
    ABSENT_WORDS,
    fmt_int,
    fmt_pct,
    moved,
    offences,
    ordinal,
    p_text,
    police_in,
    significance_phrase,
    the_force,
    times_phrase,
)

__all__ = [
    "FACT_SCHEMA",
    "SOURCE_POP",
    "SOURCE_PRC",
    "Facts",
    "caveats",
    "counts",
    "population_note",
    "rate",
    "same_period_last_year",
    "source_pop",
    "source_prc",
    "within_year",
]

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


#: Source of every fact computed from the police recorded crime data.
SOURCE_PRC = "Home Office police recorded crime open data (PFA tables, 2019 vintage; OGL v3.0)"
#: Source of the population denominators.
SOURCE_POP = "ONS mid-year population estimates by police force area (OGL v3.0)"


def source_prc(ctx: Context) -> str:
    """The Home Office source of a fact: the data used (shipped table or files given), the
    years and editions they hold (:mod:`groomstats.report.sourcing`)."""
    return f"{prc_source(ctx, latest_only=False)} (OGL v3.0)"


def source_pop(ctx: Context) -> str:
    """The population source line of a rate: the ONS mid-year used and its vintage."""
    nat = ctx.national_rate
    year, vintage = nat.get("year"), nat.get("vintage")
    if year is None:
        return "population as given (year not stated in the population frame)"
    extra = f", {vintage}" if vintage else ""
    return f"ONS mid-{year} population estimates by police force area{extra} (OGL v3.0)"


def population_note(ctx: Context) -> str:
    """What the denominator of a rate is: children aged 0-17 in the mid-year used, and why."""
    nat = ctx.national_rate
    year = nat.get("year")
    if year is None:
        return (
            f"denominator: the population frame given (no year in it); counts are for {ctx.period}"
        )
    text = f"denominator: ONS estimates of children aged 0-17, mid-{year}"
    if nat.get("vintage"):
        text += f" ({nat['vintage']})"
    return text + (f"; {nat['note']}" if nat.get("note") else f", the mid-year inside {ctx.year}")


class Facts:
    """The facts of one profile as they are collected: rows of :data:`FACT_SCHEMA` and sentences.

    Examples
    --------
    >>> f = Facts()
    >>> f.add("offences_year", "Offences", value=42, unit="offences")
    >>> f.say("42 offences.")
    >>> f.frame().select("fact", "value").row(0), f.sentences
    (('offences_year', 42.0), ['42 offences.'])
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.sentences: list[str] = []

    def add(self, fact: str, label: str, **kw: Any) -> None:
        """Add one fact; ``kw`` are the other columns of :data:`FACT_SCHEMA`."""
        row = dict.fromkeys(FACT_SCHEMA)
        row.update(fact=fact, label=label, **kw)
        for k in ("value", "lower", "upper", "baseline"):
            v = row[k]
            if v is not None:
                row[k] = float(v)
        self.rows.append(row)

    def add_change(
        self,
        fact: str,
        label: str,
        pct: float,
        test: dict[str, Any] | None,
        new: int,
        old: int,
        **kw: Any,
    ) -> None:
        """Add the percentage change ``pct`` of the count ``new`` against ``old``: its interval
        is the 95% interval of the rate ratio in ``test`` (a row of
        :func:`groomstats.rate_ratio_test` or :func:`groomstats.change`; None for a change
        given without a test) as percentages, and ``text`` gives both counts and the p-value;
        ``kw`` are the other columns."""
        text = f"{fmt_int(new)} against {fmt_int(old)}"
        lower = upper = None
        if test is not None:
            text += f"; {p_text(test['pvalue'])}"
            lower = None if test["lower_95"] is None else 100.0 * (test["lower_95"] - 1.0)
            upper = None if test["upper_95"] is None else 100.0 * (test["upper_95"] - 1.0)
        self.add(
            fact,
            label,
            value=pct,
            lower=lower,
            upper=upper,
            baseline=old,
            unit="percent",
            text=text,
            **kw,
        )

    def say(self, text: str) -> None:
        """Add a sentence for the reader."""
        self.sentences.append(text)

    def frame(self) -> pl.DataFrame:
        """The facts so far as a frame with the columns of :data:`FACT_SCHEMA`."""
        return pl.DataFrame(self.rows, schema=FACT_SCHEMA, orient="row")


def _quarters_of(ctx: Context, k: int) -> str:
    """``"three of the four quarters of 2017/18"``, or of the part of the year in the data."""
    total = ctx.quarters_in_window
    if total >= 4:
        return f"{quarters_phrase(k)} of {ctx.year}"
    return f"{k} of the {total} quarter{'s' * (total != 1)} of {ctx.year} in the data"


def _national_words(ctx: Context) -> str:
    """The national total for sentences, flagged when a force's figures are missing from it."""
    text = f"the {fmt_int(ctx.national)} recorded by the {ctx.forces_phrase}"
    missing = ctx.incomplete_forces
    if ctx.national_complete or not missing:
        return text
    return (
        f"{text}, an incomplete total: figures for {', '.join(missing)} are not available for "
        "the whole period"
    )


def counts(facts: Facts, ctx: Context, name: str, row: dict[str, Any]) -> None:
    """The force's offences in the latest year (or its part in the data) and quarter, and its
    share of the nation's. A figure not available (N/a, blank or suppressed) is said to be so,
    never 0; a total missing a quarter is given as such, without a share."""
    n = row["offences"]
    complete = bool(row.get("complete", True)) and n is not None
    missing = int(row.get("quarters_missing") or 0)
    period = ctx.period
    why = ctx.missing_words(name, [ctx.year])
    if n is None:
        facts.add(
            "offences_year",
            f"Sexual grooming offences (88A), {period}",
            unit="offences",
            text="not available",
            period=period,
            source=source_prc(ctx),
            caveat=(
                f"not available: {name} is not in the data for {period}"
                if why == ABSENT_WORDS
                else f"not available: every quarterly figure is {why} in the data"
            ),
        )
        facts.say(
            f"The number of sexual grooming offences (Home Office code 88A) recorded in {name} "
            f"in {ctx.period_phrase} is not available: "
            + (
                f"{name} is not in the data for {period}"
                if why == ABSENT_WORDS
                else f"the data give every quarterly count as {why}"
            )
            + ", so no count, rate or rank is given for it."
        )
        return
    share = 100.0 * n / ctx.national if ctx.national and complete else math.nan
    facts.add(
        "offences_year",
        f"Sexual grooming offences (88A), {period}",
        value=n,
        unit="offences",
        period=period,
        source=source_prc(ctx),
        caveat=None
        if complete
        else f"incomplete: {_quarters_of(ctx, ctx.quarters_in_window - missing)} only; the "
        f"figures for {missing or 'some'} quarter{'s' * (missing != 1)} are not available",
    )
    facts.add(
        "national_offences_year",
        f"{ctx.comparator_counted}, {period}",
        value=ctx.national,
        unit="offences",
        period=period,
        source=source_prc(ctx),
        caveat=f"excludes British Transport Police ({fmt_int(ctx.btp)}); "
        f"{fmt_int(ctx.national_with_btp)} with it"
        + (
            ""
            if ctx.national_complete
            else "; incomplete: figures not available for " + ", ".join(ctx.incomplete_forces)
        ),
    )
    if complete and ctx.national_complete:
        facts.add(
            "share_of_national",
            f"Share of the total of {ctx.comparator}",
            value=share,
            unit="percent",
            period=period,
            comparison=f"{ctx.n_forces} territorial forces",
            source=source_prc(ctx),
        )
        facts.say(
            f"{police_in(name)} recorded {offences(n, 'sexual grooming')} (Home Office code "
            f"88A) in {ctx.period_phrase}, {fmt_pct(share)} of {_national_words(ctx)}."
        )
    elif complete:
        facts.say(
            f"{police_in(name)} recorded {offences(n, 'sexual grooming')} (Home Office code "
            f"88A) in {ctx.period_phrase}; {_national_words(ctx)}, so no share of it is given."
        )
    else:
        k = ctx.quarters_in_window - missing
        facts.say(
            f"{police_in(name)} recorded {offences(n, 'sexual grooming')} (Home Office code "
            f"88A) in the {_quarters_of(ctx, k)} with figures; its figures for the other "
            f"{missing or 'quarters'} quarter{'s' * (missing != 1)} are not available ({why}), "
            f"so its total for {period} is not known and no share, rate or rank is "
            "given for it."
        )
    q = ctx.quarter
    qn = row[f"q{q}"]
    facts.add(
        "offences_latest_quarter",
        f"Offences in the latest quarter ({ctx.year} Q{q})",
        value=qn,
        unit="offences",
        text=None if qn is not None else "not available",
        period=f"{ctx.year} Q{q}",
        source=source_prc(ctx),
    )


def rate(facts: Facts, ctx: Context, name: str) -> None:
    """Rate per 100,000 children against the national rate, funnel position and rank."""
    if ctx.rates is None:
        return
    hit = ctx.rates.filter(pl.col("force") == name)
    if hit.height == 0:
        return
    r = hit.row(0, named=True)
    nat = ctx.national_rate
    pop_year = nat.get("year")
    pop_note = population_note(ctx)
    unit = "per 100,000 children aged 0-17"
    src = f"{source_prc(ctx)}; {source_pop(ctx)}"
    if ctx.quarters_in_window < 4:
        pop_note += (
            f"; a rate for {quarters_phrase(ctx.quarters_in_window)} of {ctx.year} only, "
            "not an annual rate"
        )
    comparator = ctx.comparator
    if not nat.get("complete", True):
        k = int(nat.get("forces") or 0)
        comparator = f"the {k} force{'s' * (k != 1)} with complete figures"
    if r["value"] is None:
        facts.add(
            "rate",
            f"Offences per 100,000 children aged 0-17, {ctx.period}",
            unit=unit,
            text="not available",
            period=ctx.period,
            source=src,
            caveat=f"not available: {r.get('reason') or 'no count'}",
        )
        return
    facts.add(
        "rate",
        f"Offences per 100,000 children aged 0-17, {ctx.period}",
        value=r["value"],
        lower=r.get("lower_95"),
        upper=r.get("upper_95"),
        unit=unit,
        text=f"99.8% limits {r['lower_99_8']:.1f} to {r['upper_99_8']:.1f}; {r['method']} method",
        period=ctx.period,
        baseline=r.get("population"),
        comparison=comparator,
        source=src,
        caveat="; ".join(x for x in (pop_note, r.get("reason")) if x),
    )
    facts.add(
        "national_rate",
        f"{comparator[0].upper()}{comparator[1:]}: offences per 100,000 children "
        f"aged 0-17, {ctx.period}",
        value=nat["value"],
        lower=nat.get("lower_95"),
        upper=nat.get("upper_95"),
        unit=unit,
        period=ctx.period,
        baseline=nat.get("children"),
        source=src,
        caveat=pop_note,
    )
    against = (
        f", against {nat['value']:.1f} for {comparator} (children counted in mid-{pop_year})."
        if ctx.n_forces > 1
        else f" (children counted in mid-{pop_year}); the data hold no other force to compare "
        "it with (England and Wales has 43)."
    )
    sentence = (
        f"That is {r['value']:,.1f} offences per 100,000 children aged 0-17 (95% confidence "
        f"interval {r['lower_95']:,.1f} to {r['upper_95']:,.1f}){against}"
    )
    if ctx.quarters_in_window < 4:
        sentence += (
            f" Both are rates for {ctx.period_phrase.split(' (')[0]} only "
            f"({quarters_phrase(ctx.quarters_in_window)} of {ctx.year}), not annual rates."
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
    if r.get("rank") is not None and ranked.height > 1:
        facts.add(
            "rank",
            "Rank by rate (1 = highest)",
            value=r["rank"],
            unit="rank",
            text=f"{ordinal(int(r['rank']))} of {ranked.height}",
            period=ctx.period,
            comparison=f"{ranked.height} territorial forces with a reliable rate",
            source=src,
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


def _funnel_facts(facts: Facts, ctx: Context, name: str) -> None:
    if ctx.funnel is None:
        return
    src = f"{source_prc(ctx)}; {source_pop(ctx)}"
    hit = ctx.funnel.filter(pl.col("force") == name)
    if hit.height == 0 or hit["significance"][0] is None:
        return
    f = hit.row(0, named=True)
    label = str(f["significance"])
    facts.add(
        "funnel_significance",
        f"Funnel plot against the rate of {ctx.comparator} (exact Poisson limits)",
        value=f["value"],
        lower=f.get("funnel_lower_95"),
        upper=f.get("funnel_upper_95"),
        unit="per 100,000 children aged 0-17",
        text=label,
        period=ctx.period,
        comparison=f"{ctx.comparator} {f['target']:.1f}",
        source=src,
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
                period=ctx.period,
                comparison=f"{ctx.comparator} {o['target']:.1f}",
                source=src,
                caveat=f"phi = {o['phi']:.1f}: forces differ far more than chance alone "
                "would make them",
            )
    where = _FUNNEL_WORDS.get(label, label)
    than = ctx.comparator
    if not ctx.national_rate.get("complete", True):
        k = int(ctx.national_rate.get("forces") or 0)
        than = f"the {k} forces with complete figures"
    around = _nat(ctx, "rate") if than == ctx.comparator else f"the rate of {than}"
    if label == "Not significant":
        sentence = (
            f"On a funnel plot its rate is within the 95% control limits around {around}: not "
            "statistically significantly different from it."
        )
    else:
        direction = "higher" if label.startswith("High") else "lower"
        sentence = (
            f"On a funnel plot its rate is {where} around {around}: "
            f"statistically significantly {direction} than {than} ({label})."
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


def same_period_last_year(facts: Facts, ctx: Context, name: str) -> None:
    """The latest year against the previous one, or why no like-for-like comparison exists."""
    prev, crosses = previous_year(ctx.year)
    previous = prev.label
    current = ctx.year
    if ctx.quarters_in_window < 4:  # a partial year: the same quarters a year earlier
        cur = parse_period(ctx.period)
        current = describe_period(cur.start, cur.end)
        earlier = cur.shift_years(-1)
        previous = describe_period(earlier.start, earlier.end)
    row = None
    if ctx.year_on_year is not None and not crosses:
        hit = ctx.year_on_year.filter(pl.col("force") == name)
        row = hit.row(0, named=True) if hit.height else None
    if row is not None and row["baseline"] is not None and row["current"] is not None:
        _year_on_year(facts, ctx, name, row, previous, current)
        return
    if crosses:
        reason = (
            "the previous year lies before the 1 April 2017 series break (88A then held only "
            "meeting a child following sexual grooming, s.15), so it is not comparable"
        )
    elif name in ctx.change_left_out:
        why = ctx.missing_words(name, [ctx.year, prev.label])
        reason = f"some of {name}'s quarterly figures are not available ({why})"
    else:
        reason = f"the data hold no {previous} figures for {name}"
    facts.add(
        "same_period_last_year",
        f"Same period last year ({previous})",
        unit="offences",
        text="not available",
        period=previous,
        comparison=current,
        source=source_prc(ctx),
        caveat=f"not available: {reason}",
    )
    facts.say(f"No like-for-like comparison with {previous} is possible from these data: {reason}.")


def _why_no_change(c: dict[str, Any], baseline: int) -> str:
    """Why ``change()`` gave no percentage: its own note, else the baseline's sign."""
    note = c.get("note")
    if note:
        return str(note)
    if baseline < 0:
        return f"the baseline total is negative ({fmt_int(baseline)}, after adjustments)"
    return "the change is not defined for these totals"


_YOY_FACTS = (
    "same_period_last_year",
    "change_year_on_year",
    "national_change_year_on_year",
    "change_year_on_year_ratio",
)


def _year_on_year(
    facts: Facts,
    ctx: Context,
    name: str,
    c: dict[str, Any],
    previous: str,
    current: str,
    *,
    window: str | None = None,
    names: tuple[str, str, str, str] = _YOY_FACTS,
    left_out: list[str] | None = None,
    current_text: str | None = None,
) -> None:
    """The latest year (or its quarters in the data) against the same period a year earlier
    (data holding both, after the break); or, with ``window`` (a financial year), ``names``
    (of the four facts) and ``left_out`` (forces left out of the national side), another year
    against the one before it (``current_text``: how the sentence names ``current``)."""
    base_fact, change_fact, national_fact, ratio_fact = names
    left = ctx.change_left_out if left_out is None else left_out
    change_comparator = ctx.change_comparator
    if left_out is not None:
        k = ctx.n_forces - len(left_out)
        change_comparator = (
            f"the {k} force{'s' * (k != 1)} with complete figures" if left_out else ctx.comparator
        )
    x2, x1 = int(c["current"]), int(c["baseline"])
    n2, n1 = c["national_current"], c["national_baseline"]
    complete = bool(c["current_complete"]) and bool(c["baseline_complete"])
    facts.add(
        base_fact,
        f"Same period last year ({previous})" if window is None else f"Offences, {previous}",
        value=x1,
        unit="offences",
        period=previous,
        comparison=current,
        source=source_prc(ctx),
        caveat=None if complete else "a window is incomplete in the data",
    )
    if not x1:
        return
    if c["pct_change"] is None:
        facts.say(
            f"No percentage change against {previous} can be given for {name}: "
            f"{_why_no_change(c, x1)}."
        )
        return
    pct = float(c["pct_change"])
    facts.add_change(
        change_fact,
        f"Change, {current} against {previous}",
        pct,
        c,
        x2,
        x1,
        period=current,
        comparison=previous,
        source=source_prc(ctx),
        caveat="interval and p-value: exact test of the ratio of daily rates",
    )
    sentence = (
        f"{police_in(name)} recorded {offences(x2)} in {current_text or current} against "
        f"{fmt_int(x1)} in {previous}, {moved(pct)}"
    )
    if n1 and c["national_pct_change"] is not None:
        npct = float(c["national_pct_change"])
        facts.add_change(
            national_fact,
            f"{_cap(ctx.comparator)} change, {current} against {previous}",
            npct,
            None,
            n2,
            n1,
            period=current,
            comparison=previous,
            source=source_prc(ctx),
            caveat=str(c["national_source"]),
        )
        cur_p = parse_period(window or ctx.period)
        days = (cur_p.days, cur_p.shift_years(-1).days)
        national_ratio = (n2 / days[0]) / (n1 / days[1])
        vs = rate_ratio_test([x2], [x1], [days[0]], [days[1]], ratio=national_ratio)
        ratio = c["ratio_to_national"]
        if pct > 0 and npct > 0 and ratio is not None:
            facts.add(
                ratio_fact,
                "Force increase relative to the national increase",
                value=ratio,
                unit="ratio",
                text=times_phrase(ratio),
                period=current,
                comparison=previous,
                source=source_prc(ctx),
            )
            national = (
                _nat(ctx, "rate of increase")
                if not left
                else f"the rate of increase of {change_comparator}"
            )
            sentence += (
                f", {times_phrase(ratio)} {national} "
                f"({fmt_pct(npct)}: {fmt_int(n2)} against {fmt_int(n1)})."
            )
        else:
            nword = "rise" if npct >= 0 else "fall"
            whose = "a" if left or ctx.comparator != "England and Wales" else "a national"
            also = (
                f" for {change_comparator}" if left or ctx.comparator != "England and Wales" else ""
            )
            sentence += (
                f", against {whose} {nword} of {fmt_pct(abs(npct))}{also} "
                f"({fmt_int(n2)} against {fmt_int(n1)})."
            )
        what = _nat(ctx, "change") if not left else f"the change for {change_comparator}"
        sentence += " " + significance_phrase(vs["pvalue"][0], f"The difference from {what}") + "."
    else:
        sentence += "."
    facts.say(sentence)


def within_year(facts: Facts, ctx: Context, name: str, row: dict[str, Any]) -> None:
    """Second half of the latest year against the first half, set against the nation."""
    if ctx.within is None:
        return
    if name in ctx.change_left_out:
        facts.say(
            f"No change between the halves of {ctx.year} can be given for {name}: some of its "
            f"quarterly figures are not available ({ctx.missing_words(name, [ctx.year])})."
        )
        return
    hit = ctx.within.filter(pl.col("force") == name)
    if hit.height == 0:
        return
    c = hit.row(0, named=True)
    x2, x1, n2, n1 = c["current"], c["baseline"], c["national_current"], c["national_baseline"]
    if not x1 or not n1 or x2 is None:
        return
    if c["pct_change"] is None or c["national_pct_change"] is None:
        facts.say(
            f"No change between the halves of {ctx.year} can be given for {name}: "
            f"{_why_no_change(c, x1)}."
        )
        return
    if ctx.n_forces < 2:
        _within_year_alone(facts, ctx, name, c)
        return
    p1, p2 = halves(ctx.year)
    h1, h2 = (p1.start, p1.end), (p2.start, p2.end)
    t2, t1 = p2.days, p1.days
    national_ratio = (n2 / t2) / (n1 / t1)
    vs = rate_ratio_test([x2], [x1], [t2], [t1], ratio=national_ratio).row(0, named=True)
    pct, npct = float(c["pct_change"]), float(c["national_pct_change"])
    h1_label, h2_label = describe_period(*h1), describe_period(*h2)
    facts.add_change(
        "change_within_year",
        f"Second half of {ctx.year} against the first half",
        pct,
        c,
        x2,
        x1,
        period=h2_label,
        comparison=h1_label,
        source=source_prc(ctx),
        caveat=(
            "the first year of the new offence, when recording was bedding in; "
            if ctx.year == "2017/18"
            else ""
        )
        + "interval and p-value: exact test of the ratio of daily rates",
    )
    facts.add_change(
        "national_change_within_year",
        f"{_cap(ctx.change_comparator)}, second half of {ctx.year} against the first half",
        npct,
        None,
        n2,
        n1,
        period=h2_label,
        comparison=h1_label,
        source=source_prc(ctx),
        caveat=str(c["national_source"]),
    )
    ratio = c["ratio_to_national"]
    if pct > 0 and npct > 0 and ratio is not None:
        facts.add(
            "change_within_year_ratio",
            "Force increase relative to the national increase (halves of the year)",
            value=ratio,
            unit="ratio",
            text=f"{times_phrase(ratio)}; {p_text(vs['pvalue'])} against the national ratio",
            period=h2_label,
            comparison=h1_label,
            source=source_prc(ctx),
            caveat="p-value: exact test of the force's rate ratio against the national one",
        )
    first_year = ", the first year of the new offence" if ctx.year == "2017/18" else ""
    sentence = (
        f"Within {ctx.year}{first_year}, {the_force(name)} recorded "
        f"{offences(x2)} in {h2_label} against {fmt_int(x1)} in {h1_label}, "
        f"{moved(pct)}"
    )
    nword = "rise" if npct >= 0 else "fall"
    whole = ctx.n_forces == 43 and not ctx.change_left_out
    if pct > 0 and npct > 0 and ratio is not None and whole:
        sentence += f", {times_phrase(ratio)} the national rate of increase"
        sentence += f" ({fmt_pct(npct)}: {fmt_int(n2)} against {fmt_int(n1)})."
    elif whole:
        sentence += (
            f", against a national {nword} of {fmt_pct(abs(npct))} "
            f"({fmt_int(n2)} against {fmt_int(n1)})."
        )
    else:
        sentence += (
            f", against a {nword} of {fmt_pct(abs(npct))} for {ctx.change_comparator} "
            f"({fmt_int(n2)} against {fmt_int(n1)})."
        )
    what = "the national change" if whole else f"the change for {ctx.change_comparator}"
    sentence += " " + significance_phrase(vs["pvalue"], f"The difference from {what}") + "."
    facts.say(sentence)


def _nat(ctx: Context, what: str) -> str:
    """``"the national rate"`` when the data hold all 43 forces, else ``"the rate of <what was
    summed>"`` (a comparator says what it is)."""
    if ctx.comparator == "England and Wales":
        return f"the national {what}"
    return f"the {what} of {ctx.comparator}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _within_year_alone(facts: Facts, ctx: Context, name: str, c: dict[str, Any]) -> None:
    """The halves of the year for a force that is alone in the data: its own change only."""
    p1, p2 = halves(ctx.year)
    h1_label, h2_label = describe_period(p1.start, p1.end), describe_period(p2.start, p2.end)
    facts.say(
        f"Within {ctx.year}, {the_force(name)} recorded {offences(c['current'])} in {h2_label} "
        f"against {fmt_int(c['baseline'])} in {h1_label}, {moved(float(c['pct_change']))}; "
        "the data hold no other force to compare the change with (England and Wales has 43)."
    )


def caveats(facts: Facts, ctx: Context, name: str, row: dict[str, Any]) -> None:
    """Negative quarterly counts (adjustments) in the force's data, kept as published."""
    neg = int(row["negative_rows"])
    if neg:
        facts.add(
            "caveat_negative_adjustments",
            "Quarters with negative counts",
            value=neg,
            unit="quarters",
            period=ctx.period,
            source=source_prc(ctx),
            caveat="negative quarterly counts are adjustments for crimes reclassified out; "
            "kept, as the Home Office publishes them",
        )
        facts.say(
            f"{neg} of {name}'s quarterly counts in {ctx.period} are negative: adjustments for "
            "crimes reclassified out, kept as published."
        )

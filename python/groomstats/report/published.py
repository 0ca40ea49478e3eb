"""Facts a profile takes from published figures: local news reports of a force's figures (with
the change they reported, tested, and any revision since), the shares they gave, the NSPCC
Freedom of Information series of the Welsh forces, and the NSPCC national totals a force was
missing from.

Published figures are never "fixed": a figure the shipped data revise is shown beside the
revision, and a comparison across the 1 April 2017 series break is reported, not computed.

Examples
--------
>>> from groomstats.report.context import context
>>> from groomstats.report.facts import Facts
>>> facts = Facts()
>>> reported_shares(facts, context(), "Nottinghamshire")
>>> facts.frame().select("fact", "text").rows()
[('share_platform', '44 of 86'), ('share_age', '48 of 86')]
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

from groomstats.compare import rate_ratio_test
from groomstats.counts import totals
from groomstats.exceptions import PeriodError
from groomstats.periods import crosses_series_break, describe_period
from groomstats.proportions import shares
from groomstats.report.context import Context
from groomstats.report.facts import Facts, source_prc
from groomstats.report.sourcing import data_phrase
from groomstats.report.wording import (
    as_date,
    during,
    fmt_int,
    fmt_pct,
    p_text,
    police_in,
    row_dates,
    significance_phrase,
    source_name,
    times_phrase,
)

__all__ = [
    "SHARE_COLUMNS",
    "missing_from_national",
    "published_figures",
    "reported_shares",
    "wales",
]


def published_figures(facts: Facts, ctx: Context, name: str) -> None:
    """Figures for the force as published in the news: each figure, any revision of it in the
    shipped data, and the change it was reported with, tested exactly and set against the
    national change of the same release."""
    news = ctx.news
    if news is None or news.height == 0:
        return
    for r in news.filter(pl.col("force") == name).iter_rows(named=True):
        cur = row_dates(r, "")
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
        base = row_dates(r, "comparison_")
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
        revised = not nspcc and _revision(facts, ctx, name, cur, n, src)
        if base is None or r.get("comparison_offences") is None:
            tail = (
                "; the total spans the 1 April 2017 series break, so it mixes two definitions"
                if spans
                else ""
            )
            if not revised:
                facts.say(
                    f"{police_in(name)} recorded {fmt_int(n)} {what} {during(*cur)} ({whose}; "
                    f"source: {source_name(src)}){tail}."
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
                f"{source_name(src)} reported {fmt_int(n)} offences {during(*cur)} against "
                f"{fmt_int(b)} {during(*base)}; the two are not comparable, because from "
                "1 April 2017 the category also counts sexual communication with a child."
            )
            continue
        _reported_change(facts, ctx, name, r, cur, base, what, whose)


def _revision(
    facts: Facts, ctx: Context, name: str, cur: tuple[dt.date, dt.date], n: int, src: str
) -> bool:
    """A Home Office figure the shipped data revise: shown beside the revision, never fixed."""
    g = ctx.grooming
    cur_label = describe_period(*cur)
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
            source=source_prc(ctx),
            caveat="a revision between releases, not an error",
        )
        facts.say(
            f"For {cur_label}, {name} was first published with {fmt_int(n)} offences "
            f"({source_name(src)}); {data_phrase(ctx)} has "
            f"{fmt_int(shipped)}, a revision between releases."
        )
        return True
    return False


def _reported_change(
    facts: Facts,
    ctx: Context,
    name: str,
    r: dict[str, Any],
    cur: tuple[dt.date, dt.date],
    base: tuple[dt.date, dt.date],
    what: str,
    whose: str,
) -> None:
    """A published change, tested exactly (:func:`groomstats.rate_ratio_test` on daily rates)
    and set against the national change of the same NSPCC release."""
    n, b = int(r["offences"]), int(r["comparison_offences"])
    src, note = str(r["source"]), r.get("note")
    nspcc = str(r["measure"]).startswith("nspcc")
    cur_label, base_label = describe_period(*cur), describe_period(*base)
    days_cur = (cur[1] - cur[0]).days + 1
    days_base = (base[1] - base[0]).days + 1
    test = rate_ratio_test([n], [b], [days_cur], [days_base]).row(0, named=True)
    pct = 100.0 * (n - b) / b if b else math.nan
    facts.add_change(
        "reported_change",
        f"Change, {cur_label} against {base_label} ({whose})",
        pct,
        test,
        n,
        b,
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
        facts.add_change(
            "reported_national_change",
            f"England and Wales change, {cur_label} against {base_label} ({whose})",
            npct,
            None,
            nc,
            nb,
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
                text=f"{times_phrase(ratio)}; {p_text(vs['pvalue'])} against the national "
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
        after = " " + significance_phrase(vs["pvalue"], "The difference from the national change")
        after = after + "." if after.strip() else ""
    facts.say(sentence + f", according to {whose} reported by {source_name(src)}.{after}")


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
            and as_date(r["period_end"]) == p[1]
            and abs((as_date(r["period_start"]) - p[0]).days) <= 3
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


#: Structured share columns of the news figures: (kind, count column, what column).
SHARE_COLUMNS = (
    ("platform", "platform_offences", "platform"),
    ("age", "age_group_offences", "age_group"),
)


def reported_shares(facts: Facts, ctx: Context, name: str) -> None:
    """Platform and age shares a force's published figures give, with Wilson 95% intervals.

    The counts come from the structured columns of the news figures (``platform_offences``
    and ``platform``, ``age_group_offences`` and ``age_group``); the intervals from
    :func:`groomstats.shares` with the published total as denominator.
    """
    news = ctx.news
    if news is None or news.height == 0:
        return
    present = [c for c in SHARE_COLUMNS if c[1] in news.columns and c[2] in news.columns]
    for r in news.filter(pl.col("force") == name).iter_rows(named=True):
        total = r.get("offences")
        cur = row_dates(r, "")
        if not total or cur is None:
            continue
        parts = []
        for kind, count_col, what_col in present:
            k, what = r.get(count_col), r.get(what_col)
            if k is None or not what or k > total:
                continue
            k = int(k)
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
            sh = shares(b, kind, by="period", denominator=int(total), confidence=0.95).row(
                0, named=True
            )
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
                f"{source_name(str(r['source']))}, " + "; ".join(parts) + "."
            )


def _shipped_total(g: pl.DataFrame, name: str, start: dt.date, end: dt.date) -> int | None:
    """The force's 88A total over [start, end] (:func:`groomstats.totals`), if the data hold
    every quarter of it."""
    rows = g.filter(pl.col("force") == name)
    if rows.height == 0:
        return None
    try:
        t = totals(rows, by="force", window=(start, end), allow_series_break=True)
    except PeriodError:  # the window cuts through a quarter of the data
        return None
    if not bool(t["complete"][0]) or t["offences"][0] is None:
        return None
    return int(t["offences"][0])


def wales(facts: Facts, ctx: Context, name: str) -> None:
    """The NSPCC Freedom of Information series of a Welsh force: latest and first year, the
    year-on-year change (exact test) and the trend; years not provided stay visible."""
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
        facts.add_change(
            "nspcc_year_on_year",
            f"Change {prev['financial_year']} to {last['financial_year']} (NSPCC FOI)",
            pct,
            test,
            n,
            b,
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
            f"({sig}: exact test, {p_text(test['pvalue'])})"
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
    facts.say(sentence + f" (source: {source_name(src)}).")
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


def _wales_apc(facts: Facts, ctx: Context, name: str, src: str) -> None:
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
        lower=t["lower_95"],
        upper=t["upper_95"],
        unit="percent a year",
        text=f"{t['n']} years; {p_text(t['pvalue'])}",
        period=f"{t['first']} to {t['last']}",
        source=src,
        # which years were left out and why (no figure, or a part year), as trend() says it
        caveat="log-linear quasi-Poisson fit; "
        + (f"left out: {t['left_out']}" if t.get("left_out") else "no year left out")
        + (f"; {t['reason']}" if t.get("reason") else ""),
    )
    sig = t["pvalue"] is not None and t["pvalue"] < 0.05
    trend_word = "rising" if t["apc"] > 0 else "falling"
    sentence = (
        f"Over {t['first']} to {t['last']} the NSPCC series for {name} changed by "
        f"{t['apc']:+.1f}% a year on average (95% CI {t['lower_95']:+.1f}% to "
        f"{t['upper_95']:+.1f}%; {t['n']} years)"
    )
    if sig:
        sentence += f": a statistically significant {trend_word} trend ({p_text(t['pvalue'])})."
    else:
        sentence += (
            f": the trend is not statistically significant ({p_text(t['pvalue'])}); the "
            "year-to-year variation is too large to say."
        )
    facts.say(sentence)


def missing_from_national(facts: Facts, ctx: Context, name: str) -> None:
    """NSPCC national totals the force gave no figures for (column ``forces_missing``)."""
    nat = ctx.nspcc_national
    if nat is None or "forces_missing" not in nat.columns:
        return
    for r in nat.iter_rows(named=True):
        missing = [f.strip() for f in str(r.get("forces_missing") or "").split(";")]
        if name not in missing:
            continue
        note = str(r.get("note") or "")
        period = describe_period(as_date(r["period_start"]), as_date(r["period_end"]))
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

"""Comparing windows: the change between two windows per area against the national change,
with the exact test for the ratio of two Poisson rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._args import Confidence, by_columns, confidence_levels, interval_names, renamed
from groomstats._util import as_polars, check_option, refuse_non_counts
from groomstats.areas import _force_frame, comparator_label
from groomstats.counts import (
    _AREA_KEYS,
    NON_TERRITORIAL,
    _btp_expr,
    _check_series_break,
    _prepare,
    _Prepared,
    _territorial_expr,
    _totals,
    _with_row_numbers,
)
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
)
from groomstats.io._sheets import NULL_WORDS
from groomstats.periods import (
    Period,
    parse_period,
)

__all__ = ["Alternative", "change", "rate_ratio_test"]

Alternative = Literal["two-sided", "less", "greater"]
_ALTERNATIVES = ("two-sided", "less", "greater")


def _f64(x: Sequence[float] | np.ndarray | float, n: int | None = None) -> np.ndarray:
    try:  # text raised a bare ValueError (found by tests/test_hostile.py)
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise GroomstatsError(f"rate_ratio_test: counts and exposures must be numbers: {e}") from e
    if arr.ndim == 0 and n is not None:
        arr = np.full(n, float(arr))
    return np.ascontiguousarray(arr.ravel())


def rate_ratio_test(
    x1: Sequence[float] | np.ndarray,
    x2: Sequence[float] | np.ndarray,
    t1: Sequence[float] | np.ndarray | float = 1.0,
    t2: Sequence[float] | np.ndarray | float = 1.0,
    *,
    ratio: float = 1.0,
    alternative: Alternative = "two-sided",
    confidence: Confidence = 0.95,
) -> pl.DataFrame:
    """Exact conditional test and confidence interval for the ratio of two Poisson rates.

    With ``x1 ~ Poisson(l1 t1)`` and ``x2 ~ Poisson(l2 t2)``, ``x1`` given ``n = x1 + x2`` is
    ``Binomial(n, p)`` with ``p = R t1 / (R t1 + t2)`` and ``R = l1 / l2``. The p-value is that
    of ``scipy.stats.binomtest(x1, n, p0, alternative)`` (two-sided: the sum of probabilities
    no larger than the observed one); the interval is Clopper-Pearson for ``p`` mapped to ``R``.

    Parameters
    ----------
    x1, x2
        Counts in the current and baseline period: whole numbers of 0 or more. A negative,
        fractional or infinite count raises :class:`~groomstats.DataFormatError` naming it
        (the exact test has no meaning for it; ``scipy.stats.binomtest`` refuses it too); a
        missing count (NaN or None) gives a row of nulls, as does a total ``x1 + x2`` above
        10^10, beyond the exact method's numerical range. With no events in either
        (``x1 + x2 = 0``) there is nothing to test: ``pvalue`` is 1 and the interval 0 to
        infinity.
    t1, t2
        Exposures (e.g. days in each window, or person-years); scalars or arrays, positive and
        finite (anything else raises :class:`~groomstats.DataFormatError` naming it).
    ratio
        Rate ratio under the null hypothesis.
    alternative
        ``"two-sided"``, ``"less"`` or ``"greater"`` (of ``R`` against ``ratio``).
    confidence
        Confidence level(s) of the interval: a float or a tuple such as ``(0.95, 0.998)``.

    Returns
    -------
    polars.DataFrame
        ``x1``, ``x2``, ``statistic`` (estimated rate ratio), ``pvalue``, ``lower_95``,
        ``upper_95`` (one pair per level: ``lower_99_8``, ...), ``alternative``.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import rate_ratio_test
    >>> rate_ratio_test([274], [114]).select(pl.col("statistic", "lower_95", "upper_95").round(4))
    shape: (1, 3)
    ┌───────────┬──────────┬──────────┐
    │ statistic ┆ lower_95 ┆ upper_95 │
    │ ---       ┆ ---      ┆ ---      │
    │ f64       ┆ f64      ┆ f64      │
    ╞═══════════╪══════════╪══════════╡
    │ 2.4035    ┆ 1.925    ┆ 3.0173   │
    └───────────┴──────────┴──────────┘
    """
    alt = check_option(alternative, _ALTERNATIVES, "alternative")
    a1 = _f64(x1)
    a2 = _f64(x2)
    n = a1.shape[0]
    e1, e2 = _f64(t1, n), _f64(t2, n)
    for name, arr in (("x1", a1), ("x2", a2)):
        # NaN is a missing count: its row is null; a count is whole and 0 or more
        refuse_non_counts(arr, "rate_ratio_test", name, "the exact test on x1 + x2 events")
    for name, arr in (("t1", e1), ("t2", e2)):
        bad = ~(np.isfinite(arr) & (arr > 0))
        if bad.any():
            i = int(np.argmax(bad))
            raise DataFormatError(
                f"rate_ratio_test: {name}, row {i}: {float(arr[i])!r} is not an exposure: t1 "
                "and t2 must be positive and finite (days in each window, or person-years); a "
                "rate needs a time or population to be a rate of"
            )
    cols = _rate_ratio_columns(a1, a2, e1, e2, float(ratio), alt, confidence)
    return pl.DataFrame({"x1": a1, "x2": a2, **cols}).with_columns(
        pl.col("x1", "x2", *cols).fill_nan(None),
        pl.lit(alt).alias("alternative"),
    )


def _rate_ratio_columns(
    x1: np.ndarray,
    x2: np.ndarray,
    t1: np.ndarray,
    t2: np.ndarray,
    ratio: float,
    alt: str,
    confidence: Confidence,
) -> dict[str, np.ndarray]:
    """``statistic``, ``pvalue`` and ``lower_<c>``/``upper_<c>`` per confidence level."""
    out: dict[str, np.ndarray] = {}
    for c in confidence_levels(confidence):
        rr = _core.rate_ratio_test(x1, x2, t1, t2, ratio, alt, c)
        out.setdefault("statistic", rr.statistic)
        out.setdefault("pvalue", rr.pvalue)
        lower, upper = interval_names(c)
        out[lower], out[upper] = rr.lower, rr.upper
    return out


def _pct(cur: pl.Expr, base: pl.Expr) -> pl.Expr:
    return pl.when(base > 0).then(100.0 * (cur - base) / base).otherwise(None)


def _reporting_note(nat: pl.DataFrame, windows: tuple[Period, Period]) -> str | None:
    """A national frame's ``forces_reporting`` (NSPCC FOI figures: how many forces answered)
    when the two windows' figures come from different numbers of forces: not like for like."""
    if "forces_reporting" not in nat.columns or not nat.schema["forces_reporting"].is_numeric():
        return None
    told = []
    for w in windows:
        inside = nat.filter(
            (pl.col("period_start").cast(pl.Date) >= w.start)
            & (pl.col("period_end").cast(pl.Date) <= w.end)
        )
        told.append(inside.get_column("forces_reporting").to_list())
    if not all(told) or any(None in t for t in told):
        return None  # a window without rows, or a figure whose forces are not known
    cur, base = (sorted({int(v) for v in t}) for t in told)
    if cur == base and len(cur) == 1:
        return None
    said = [
        f"{'/'.join(str(v) for v in t)} forces in {w.label}"
        for t, w in zip((cur, base), windows, strict=True)
    ]
    return (
        f"the comparator's figures come from different numbers of forces reporting "
        f"({said[0]}, {said[1]}): its change is not like for like"
    )


def _national_from_frame(
    national: Any, windows: tuple[Period, Period], count: str
) -> tuple[pl.DataFrame, str, str, str | None]:
    """The comparator row of a national frame, its source text, its label (the frame's own
    ``area``, else ``"national frame"``) and a note when its two figures come from different
    numbers of forces reporting."""
    what = "change(national=...)"
    nat = as_polars(national, what)
    if "area" in nat.columns and nat.get_column("area").n_unique() > 1:
        areas = ", ".join(repr(a) for a in nat.get_column("area").unique(maintain_order=True))
        raise DataFormatError(
            f"{what}: the national frame holds several areas ({areas}); filter it to one "
            "(e.g. area == 'England and Wales')"
        )
    cur, base = _totals(
        _prepare(nat, [], what, include_btp=False, count=count), list(windows), None, what
    )
    label = "national frame"
    source = "national frame"
    if "area" in nat.columns and nat.height:
        label = str(nat.get_column("area")[0])
        source = f"national frame ({label})"
    row = pl.DataFrame(
        {
            "national_current": cur.get_column("offences"),
            "national_baseline": base.get_column("offences"),
            "national_current_complete": cur.get_column("complete"),
            "national_baseline_complete": base.get_column("complete"),
        }
    )
    return row, source, label, _reporting_note(nat, windows)


def _force_names(codes: pl.Expr) -> pl.Expr:
    """Force names for force codes (a code the reference does not know is kept as given)."""
    ref = _force_frame().filter(pl.col("force_code").is_not_null())
    return codes.cast(pl.String).replace(ref.get_column("force_code"), ref.get_column("force"))


def _named(values: list[Any]) -> list[str]:
    """Area names for a note, sorted; a blank area key is named as such, never 'None'."""
    names = sorted(str(n) for n in values if n is not None)
    return names + ["an area without a name"] * (len(names) < len(values))


def _summed_comparator(
    out: pl.DataFrame,
    prep: _Prepared,
    by_l: list[str],
    mode: str,
    like_for_like: bool,
    include_btp: bool,
) -> tuple[pl.DataFrame, str]:
    """The comparator summed from the data: over the territorial areas of the first area-like
    ``by`` column (per remaining ``by`` columns, and per region for ``mode="region"``), only
    over areas with counts in both windows when ``like_for_like``. Adds ``national_current``,
    ``national_baseline``, ``national_areas``, ``comparator`` (the label: what was summed),
    ``__self`` (the comparator is the row itself) and ``__left_out`` (a note)."""
    what = "change()"
    area = next((a for a in _AREA_KEYS if a in by_l), None)
    others = [b for b in by_l if b not in _AREA_KEYS]
    fine = prep.areas  # every area of the data, with or without rows in the windows
    forces = area in ("force", "force_code")
    if area is None:
        contrib, terr = pl.lit(True), pl.lit(True)
        name = pl.lit("this row")
    elif forces:
        # one flag per area, whatever the order of its rows: territorial when any of its rows
        # says so (a blank 'territorial' cell on one row does not drop the force)
        flags = fine.group_by(area).agg(
            _territorial_expr(fine).any().alias("__terr"),
            (_territorial_expr(fine) | (_btp_expr(fine) & include_btp)).any().alias("__t"),
        )
        out = out.join(flags, on=area, how="left", nulls_equal=True)
        contrib = pl.col("__t").fill_null(False)
        terr = pl.col("__terr").fill_null(False)
        name = pl.col(area).cast(pl.String) if area == "force" else _force_names(pl.col(area))
    else:
        contrib = terr = pl.col(area) != NON_TERRITORIAL
        name = pl.col(area).cast(pl.String)
    group = list(others)
    if mode == "region":
        if not forces:
            raise GroomstatsError(
                f"{what}: against='region' sums the forces of each row's region, so by= must "
                "name a force column ('force' or 'force_code')"
            )
        ref = _force_frame().filter(pl.col("territorial"))
        region = name.replace_strict(
            ref.get_column("force"), ref.get_column("region"), default=None
        )
        if "region" in fine.columns:
            regions = fine.group_by(area).agg(
                pl.col("region").cast(pl.String).drop_nulls().unique().sort().alias("__rg")
            )
            clash = regions.filter(pl.col("__rg").list.len() > 1).sort(area)
            if clash.height:
                who, names = clash.row(0)
                raise DataFormatError(
                    f"{what}: the region column puts {area} {who!r} in {len(names)} regions "
                    f"({', '.join(repr(n) for n in names)}): a force belongs to one region; "
                    "correct the column, or drop it to use the shipped force table's regions"
                )
            regions = regions.with_columns(pl.col("__rg").list.first())
            out = out.join(regions, on=area, how="left", nulls_equal=True)
            region = pl.coalesce(pl.col("__rg"), region)
        out = out.with_columns(pl.when(terr).then(region).otherwise(None).alias("__region"))
        group.append("__region")
    # like for like: a count in both windows, each whole (an area whose window misses a
    # quarter or holds an N/a cell would make the comparator's sum incomplete, unsaid)
    counted = pl.col("current").is_not_null() & pl.col("baseline").is_not_null()
    whole = pl.col("current_complete").fill_null(False) & pl.col("baseline_complete").fill_null(
        False
    )
    both = counted & whole
    out = out.with_columns(
        contrib.alias("__c"),
        (contrib & both if like_for_like else contrib).alias("__use"),
        (contrib & terr).alias("__terr_c"),
        name.alias("__name"),
    )
    use = pl.col("__use")
    aggs = [
        pl.col("current").filter(use).sum().alias("national_current"),
        pl.col("baseline").filter(use).sum().alias("national_baseline"),
        use.sum().cast(pl.Int32).alias("national_areas"),
        pl.col("__name").filter(use & pl.col("__terr_c")).alias("__names"),
        (use & ~pl.col("__terr_c")).any().alias("__btp"),
        pl.col("__name").filter(pl.col("__c") & ~use & ~counted).alias("__left"),
        pl.col("__name").filter(pl.col("__c") & ~use & counted).alias("__cut"),
        pl.col("__name").filter(use & ~whole).alias("__part"),
        (pl.col("__c") & counted).any().alias("__counted"),
    ]
    if not group:  # one comparator over every row
        out = out.with_columns(pl.lit(True).alias("__all"))
        group = ["__all"]
    nat = out.group_by(group).agg(aggs)
    labels, left = [], []
    for row in nat.iter_rows(named=True):
        # a blank area key (a row without a force name) is named as such, never 'None'
        names = [str(n) for n in row["__names"] if n is not None]
        blank = " + an area without a name" if len(names) < len(row["__names"]) else ""
        if not row["national_areas"]:
            label = (
                "nothing (no area with complete counts in both windows)"
                if row["__counted"]
                else "nothing (no area with counts in both windows)"
            )
        elif area is None:
            label = "this row"
        elif not names:
            label = blank.removeprefix(" + ")
        elif forces:
            label = comparator_label(names) + blank
        else:
            label = (
                f"{len(names)} {area} value{'s' * (len(names) != 1)}: {', '.join(sorted(names))}"
            ) + blank
        if row["__btp"]:
            label += " + British Transport Police"
        labels.append(label)
        gone, cut, part = (_named(row[k]) for k in ("__left", "__cut", "__part"))
        bits = []
        if gone or cut:
            why = [
                f"{', '.join(names)} ({reason})"
                for names, reason in (
                    (gone, "no count in both windows"),
                    (cut, "a window incomplete: a quarter or cell without figures"),
                )
                if names
            ]
            bits.append(f"the comparator is like-for-like: it leaves out {' and '.join(why)}")
        if part:  # comparable_only=False: summed anyway, and said to be so
            bits.append(f"the comparator's sums include incomplete windows of {', '.join(part)}")
        left.append("; ".join(bits) or None)
    nat = nat.with_columns(
        pl.Series("comparator", labels, dtype=pl.String),
        pl.Series("__left_out", left),
        pl.when(pl.col("national_areas") > 0)
        .then(pl.col("national_current"))
        .alias("national_current"),
        pl.when(pl.col("national_areas") > 0)
        .then(pl.col("national_baseline"))
        .alias("national_baseline"),
    ).drop("__names", "__btp", "__left", "__cut", "__part", "__counted")
    out = out.join(nat, on=group, how="left", nulls_equal=True, maintain_order="left")
    out = out.with_columns((use & (pl.col("national_areas") == 1)).alias("__self"))
    if mode == "region":
        # a row without a region has no comparator, and its note says why
        unknown = (
            "no region known for {} (neither in the data's region column nor in the shipped "
            "force table): no regional comparator"
            if "region" in fine.columns
            else "no region known for {} (not in the shipped force table; a region column in "
            "the data would give one): no regional comparator"
        )
        no_region = pl.col("__region").is_null()
        out = out.with_columns(
            *(
                pl.when(no_region).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("national_current", "national_baseline", "comparator")
            ),
            pl.when(no_region & terr)
            .then(pl.format(unknown, pl.col("__name")))
            .when(no_region)
            .then(
                pl.format(
                    "{} is not a territorial force and belongs to no region: no regional "
                    "comparator",
                    pl.col("__name"),
                )
            )
            .otherwise(pl.col("__left_out"))
            .alias("__left_out"),
        )
    parts = [f"sum over {area or 'all rows'} in data"]
    if mode == "region":
        parts.append("per region")
    if forces:
        parts.append("territorial forces" + (" + BTP" if include_btp else ", excluding BTP"))
    if like_for_like:
        parts.append("areas with counts in both windows only")
    return out, "; ".join(parts)


def _gap_text(t: pl.DataFrame, label: str) -> pl.Expr:
    """What a window's total misses, in words, from :func:`totals` coverage columns:
    ``"2017/18: 3 of 4 quarters with figures, 1 cell(s) N/a, blank or suppressed (left out,
    not counted as 0)"`` or ``"2017/18: 2 day(s) without figures"``; a group summing several
    areas adds the areas short of figures (``"short of figures: Surrey (3 of 4 quarters with
    figures)"``)."""
    unit = str(t["coverage_unit"][0]) if t.height and "coverage_unit" in t.columns else "period"
    unit = unit.replace("_", " ")
    periods = pl.format(
        "{} of {} " + unit + "s with figures", pl.col("periods_present"), pl.col("periods_expected")
    )
    days = pl.format("{} day(s) without figures", pl.col("days_missing"))
    cells = pl.format(
        f"{{}} cell(s) {NULL_WORDS} (left out, not counted as 0)", pl.col("null_rows")
    )
    return pl.concat_str(
        [
            pl.lit(f"{label}: "),
            pl.concat_str(
                [
                    pl.when(pl.col("periods_present") < pl.col("periods_expected"))
                    .then(periods)
                    .when(pl.col("days_missing") > 0)
                    .then(days),
                    pl.when(pl.col("null_rows") > 0).then(cells),
                    *(
                        [
                            pl.when(pl.col("partial_rows") > 0).then(
                                pl.format(
                                    "{} row(s) marked complete=False (a part-period figure)",
                                    pl.col("partial_rows"),
                                )
                            )
                        ]
                        if "partial_rows" in t.columns
                        else []
                    ),
                    *(
                        [pl.format("short of figures: {}", pl.col("incomplete_areas"))]
                        if "incomplete_areas" in t.columns
                        else []
                    ),
                ],
                separator=", ",
                ignore_nulls=True,
            ),
        ]
    )


@renamed(was_positional=("by",), df="data")
def change(
    data: Any,
    current: str | Period | tuple[date, date],
    baseline: str | Period | tuple[date, date] = "previous_year",
    *,
    by: str | Sequence[str] | None = None,
    count: str = "offences",
    against: Literal["national", "region"] | Any = "national",
    national: Any = None,
    comparable_only: bool | None = None,
    include_btp: bool = False,
    allow_series_break: bool = False,
    alternative: Alternative = "two-sided",
    confidence: Confidence = 0.95,
) -> pl.DataFrame:
    """Change between two windows per area, against the national change, with an exact test.

    For each group: the counts in the current and baseline windows, the absolute and percent
    change, the national percent change over the same windows, the ratio of the two ("almost
    four times the national rate of increase"), and the exact conditional-binomial test and
    interval for the ratio of the two Poisson rates (exposure = days in each window; see
    :func:`rate_ratio_test`).

    Parameters
    ----------
    data
        A frame with ``period_start``, ``period_end``, the count column and the ``by`` columns
        (see :func:`totals`).
    current
        The current window: a spelling (``"2018/19"``, ``"April to December 2017"``), a
        :class:`~groomstats.Period` or a ``(start, end)`` pair of dates.
    baseline
        ``"previous_year"`` (the current window a year earlier) or another window.
    by
        Group column(s), as for :func:`totals` (default ``None``: one row over every row).
    count
        The count column (default ``"offences"``), in ``data`` and in a ``national`` frame.
    against
        The comparator: ``"national"`` (default) sums the territorial areas of the first
        area-like ``by`` column in ``data`` (per remaining ``by`` columns); ``"region"`` sums
        the territorial forces of each row's region (``by`` must name a force column); a
        frame holding one national series (``period_start``, ``period_end``, the count column;
        e.g. the NSPCC national figures of one release) is used as given. A summed comparator
        is labelled ``"England and Wales"`` only when it covers all 43 territorial forces, else
        by what was summed (a region's name, or ``"4 forces: ..."``).
    national
        The older spelling of ``against=<frame>``.
    comparable_only
        A summed comparator is like-for-like by default: only areas with a count (non-null)
        in both windows are summed ("where forces could be directly compared") and the rest
        are listed in ``note``. ``False`` sums every area with a count in either window.
        ``True`` with a national frame is refused.
    include_btp
        Count British Transport Police in the national sum.
    allow_series_break
        Windows crossing the 1 April 2017 break in 88A raise :class:`PeriodError` unless this
        is True (then a :class:`~groomstats.SeriesBreakWarning` is issued).
    alternative, confidence
        Of the rate-ratio test, in scipy's vocabulary; ``confidence`` a float or a tuple.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``current_period``, ``baseline_period`` (labels), ``current``,
        ``baseline``, ``change``, ``pct_change``, ``current_complete``,
        ``baseline_complete``, ``comparator`` (what the comparator is), ``national_current``,
        ``national_baseline`` (the comparator's counts), ``national_pct_change``,
        ``ratio_to_national`` (``pct_change / national_pct_change``; null, with the reason in
        ``note``, when the two moved in opposite directions or the comparator is the row
        itself), ``national_areas`` (areas summed, or null for a national frame),
        ``national_source``,
        ``statistic`` (rate ratio), ``pvalue``, ``lower_95``, ``upper_95`` (per level),
        ``alternative``, and
        ``note`` saying why a figure is missing or needs care (no data, negative total, zero
        baseline, incomplete window, opposite directions, a comparator that did not change or
        has no percent change, a row without a region for ``against="region"``, areas the
        like-for-like comparator leaves out, a national frame whose ``forces_reporting``
        differs between the two windows), null otherwise.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import groomstats
    >>> df = pl.DataFrame({
    ...     "force": ["A", "A", "B", "B"],
    ...     "period_start": [date(2017, 4, 1), date(2018, 4, 1)] * 2,
    ...     "period_end": [date(2018, 3, 31), date(2019, 3, 31)] * 2,
    ...     "offences": [100, 150, 200, 210],
    ... })
    >>> c = groomstats.change(df, current="2018/19", by="force")
    >>> c.select("force", "current", "baseline", "pct_change", "ratio_to_national",
    ...          pl.col("pvalue").round(3))
    shape: (2, 6)
    ┌───────┬─────────┬──────────┬────────────┬───────────────────┬────────┐
    │ force ┆ current ┆ baseline ┆ pct_change ┆ ratio_to_national ┆ pvalue │
    │ ---   ┆ ---     ┆ ---      ┆ ---        ┆ ---               ┆ ---    │
    │ str   ┆ i64     ┆ i64      ┆ f64        ┆ f64               ┆ f64    │
    ╞═══════╪═════════╪══════════╪════════════╪═══════════════════╪════════╡
    │ A     ┆ 150     ┆ 100      ┆ 50.0       ┆ 2.5               ┆ 0.002  │
    │ B     ┆ 210     ┆ 200      ┆ 5.0        ┆ 0.25              ┆ 0.657  │
    └───────┴─────────┴──────────┴────────────┴───────────────────┴────────┘
    >>> c["national_pct_change"].to_list()
    [20.0, 20.0]
    """
    what = "change()"
    alt = check_option(alternative, _ALTERNATIVES, "alternative")
    by_l = by_columns(by)
    cur = parse_period(current)
    if isinstance(baseline, str) and baseline.strip().lower().replace(" ", "_") in (
        "previous_year",
        "same_period_last_year",
    ):
        base = cur.shift_years(-1)
    else:
        base = parse_period(baseline)
    if cur.start <= base.end and base.start <= cur.end:
        raise PeriodError(
            f"{what}: the current window '{cur.label}' and the baseline '{base.label}' overlap: "
            "the comparison needs two separate windows"
        )
    mode = against if isinstance(against, str) else "frame"
    if isinstance(against, str):
        check_option(against, ("national", "region"), "against")
    if national is not None and not (isinstance(against, str) and against == "national"):
        raise GroomstatsError(
            f"{what}: give the comparator once: national=<frame> or against=<frame>, not both "
            f"(against={against!r} was given too)"
        )
    if national is not None:
        mode = "frame"
    if comparable_only and mode == "frame":
        raise GroomstatsError(
            f"{what}: comparable_only=True restricts a summed comparator to the areas of data "
            "present in both windows; it cannot be applied to a separate national frame (leave "
            "comparable_only unset, or filter the national frame yourself)"
        )
    like_for_like = comparable_only is not False
    against_frame = against if not isinstance(against, str) else national

    def run(row_numbers: bool) -> tuple[_Prepared, pl.DataFrame, pl.DataFrame]:
        prep = _prepare(
            data,
            by_l,
            what,
            include_btp,
            count,
            row_numbers=row_numbers,
            windows=[cur, base],
            # the summed comparator adds the forces' rows: a total row among them would count
            # them twice
            sums_forces=True if against_frame is None else None,
        )
        _check_series_break(prep, [cur, base], allow_series_break, what, refuse=True)
        # one aggregation of the frame, both windows' coverage in one Rust call
        tc, tb = _totals(prep, [cur, base], None, what)
        return prep, tc, tb

    prep, tc, tb = _with_row_numbers(data, run)
    keep = [*by_l, "offences", "complete"]
    both = tc.select(*keep, _gap_text(tc, cur.label).alias("__gap_cur")).rename(
        {"offences": "current", "complete": "current_complete"}
    )
    tb2 = tb.select(*keep, _gap_text(tb, base.label).alias("__gap_base")).rename(
        {"offences": "baseline", "complete": "baseline_complete"}
    )
    # Both come from the same group keys in the same order: a horizontal stack is exact.
    out = pl.concat([both, tb2.drop(by_l)], how="horizontal").with_columns(
        pl.lit(cur.label).alias("current_period"),
        pl.lit(base.label).alias("baseline_period"),
        (pl.col("current") - pl.col("baseline")).alias("change"),
        _pct(pl.col("current"), pl.col("baseline")).alias("pct_change"),
    )

    # The comparator.
    frame = against if not isinstance(against, str) else national
    if frame is not None:
        nat_row, source, label, reporting = _national_from_frame(frame, (cur, base), count)
        out = out.join(nat_row.select("national_current", "national_baseline"), how="cross")
        out = out.with_columns(
            pl.lit(None, dtype=pl.Int32).alias("national_areas"),
            pl.lit(label).alias("comparator"),
            pl.lit(reporting, pl.String).alias("__left_out"),
            pl.lit(False).alias("__self"),
        )
    else:
        out, source = _summed_comparator(out, prep, by_l, mode, like_for_like, include_btp)
    out = out.with_columns(
        _pct(pl.col("national_current"), pl.col("national_baseline")).alias("national_pct_change"),
        pl.lit(source).alias("national_source"),
    )
    pct, npct = pl.col("pct_change"), pl.col("national_pct_change")
    opposite = (pct * npct < 0).fill_null(False)
    out = out.with_columns(
        pl.when(pl.col("__self") | opposite | (npct == 0))
        .then(None)
        .otherwise(pct / npct)
        .alias("ratio_to_national"),
        pl.when(pl.col("__self"))
        .then(
            pl.lit("the comparator (")
            + pl.col("comparator")
            + pl.lit(") is this row itself: no comparison")
        )
        .when(opposite)
        .then(
            pl.format(
                "this row and the comparator moved in opposite directions ({}% against {}%): "
                "no ratio",
                pct.round(1),
                npct.round(1),
            )
        )
        .when(npct == 0)
        .then(pl.lit("the comparator did not change (0%): no ratio"))
        # (a comparator of nothing says so in its label)
        .when(
            pct.is_not_null()
            & npct.is_null()
            & pl.col("comparator").is_not_null()
            & (pl.col("national_areas") != 0).fill_null(True)
        )
        .then(
            pl.lit(
                "the comparator has no percent change (a window without a count, or a baseline "
                "of 0): no ratio"
            )
        )
        .otherwise(None)
        .alias("__cmp_note"),
    )

    # The exact test for the ratio of the two rates.
    x1 = out.get_column("current").cast(pl.Float64).fill_null(float("nan")).to_numpy()
    x2 = out.get_column("baseline").cast(pl.Float64).fill_null(float("nan")).to_numpy()
    test = _rate_ratio_columns(
        np.ascontiguousarray(x1),
        np.ascontiguousarray(x2),
        np.full(x1.shape[0], float(cur.days)),
        np.full(x1.shape[0], float(base.days)),
        1.0,
        alt,
        confidence,
    )
    out = out.with_columns(
        *[pl.Series(name, v).fill_nan(None) for name, v in test.items()],
        pl.lit(alt).alias("alternative"),
    )
    cur_v, base_v = pl.col("current"), pl.col("baseline")
    out = out.with_columns(
        pl.when(cur_v.is_null())
        .then(pl.lit("no data in the current window"))
        .when(base_v.is_null())
        .then(pl.lit("no data in the baseline window"))
        .when((cur_v < 0) | (base_v < 0))
        .then(pl.lit("negative total (reclassification adjustments): no test"))
        .when((cur_v == 0) & (base_v == 0))
        .then(pl.lit("no offences in either window"))
        .when(base_v == 0)
        .then(pl.lit("baseline is 0: percent change undefined"))
        .when(~pl.col("current_complete") | ~pl.col("baseline_complete"))
        .then(
            pl.concat_str(
                [
                    pl.lit("incomplete window: "),
                    pl.concat_str(
                        [
                            pl.when(~pl.col("current_complete")).then(pl.col("__gap_cur")),
                            pl.when(~pl.col("baseline_complete")).then(pl.col("__gap_base")),
                        ],
                        separator="; ",
                        ignore_nulls=True,
                    ),
                    pl.lit(" (totals() gives the coverage)"),
                ]
            )
        )
        .otherwise(None)
        .alias("__own_note")
    )
    note = pl.concat_str(
        [pl.col("__own_note"), pl.col("__cmp_note"), pl.col("__left_out")],
        separator="; ",
        ignore_nulls=True,
    )
    out = out.with_columns(pl.when(note == "").then(None).otherwise(note).alias("note"))
    return out.select(
        *by_l,
        "current_period",
        "baseline_period",
        "current",
        "baseline",
        "change",
        "pct_change",
        "current_complete",
        "baseline_complete",
        "comparator",
        "national_current",
        "national_baseline",
        "national_pct_change",
        "ratio_to_national",
        "national_areas",
        "national_source",
        *test,
        "alternative",
        "note",
    )

"""Rates, ranks and confidence intervals (PHEindicatormethods conventions).

* :func:`rates` — rates per 100,000 (or any ``per``) with Byar's limits for counts >= 10 and
  exact Poisson limits below, at 95% and 99.8% by default, as ``PHEindicatormethods::phe_rate``
  and ``PHStatsMethods.ph_rate``; zero counts handled, unusable rows kept with a ``reason``,
  tiny denominators flagged.
* shares of a categorical breakdown live in :mod:`groomstats.proportions` (:func:`shares`).
* :func:`rank_areas` — ranks with ties (``"min"``), never ranking flagged or unusable rows.
* :func:`poisson_ci` — exact (Garwood) limits for bare counts.

The arithmetic runs in the Rust core (``groomstats._core``), vectorised and multi-threaded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from groomstats import _core
from groomstats._args import (
    Confidence,
    by_columns,
    check_per,
    confidence_levels,
    confidence_suffix,
    interval_names,
    renamed,
)
from groomstats._cells import check_sums
from groomstats._popyears import (
    mid_year_expr,
    nearest_year,
    substitution_note,
    warn_substitutions,
)
from groomstats._util import (
    INCOMPLETE_REASON,
    as_polars,
    incomplete_rows,
    refuse_non_counts,
    require_columns,
    suggest,
    text_numbers_fix,
)
from groomstats.areas import match_force, other_nation, refuse_repeated_areas
from groomstats.datasets import population as shipped_population
from groomstats.exceptions import DataFormatError, GroomstatsError, UnknownAreaError

__all__ = ["confidence_suffix", "poisson_ci", "rank_areas", "rates"]

_METHODS = {0: "Byars", 1: "Exact"}
#: dtype of the ``method`` column.
METHOD = pl.Enum(["Byars", "Exact"])


def poisson_ci(counts: Sequence[float] | np.ndarray, confidence: Confidence = 0.95) -> pl.DataFrame:
    """Exact (Garwood) Poisson confidence limits for counts.

    Parameters
    ----------
    counts
        Counts, 0 or more. A negative or infinite count raises
        :class:`~groomstats.DataFormatError` naming its row and value (exact limits have no
        meaning for it); a missing count (NaN or None) gives null limits. A fractional count
        gets the same chi-square limits as a whole one (``chi2.ppf(a/2, 2x)/2`` to
        ``chi2.ppf(1-a/2, 2x+2)/2``), as :func:`rates` gives.
    confidence
        Two-sided confidence level(s), strictly between 0 and 1: a float or a tuple.

    Returns
    -------
    polars.DataFrame
        Columns ``count``, ``lower_95``, ``upper_95`` (one pair per level: ``lower_99_8``...).

    Examples
    --------
    >>> import groomstats
    >>> import polars as pl
    >>> groomstats.poisson_ci([0, 10], confidence=0.95).select(pl.all().round(4))
    shape: (2, 3)
    ┌───────┬──────────┬──────────┐
    │ count ┆ lower_95 ┆ upper_95 │
    │ ---   ┆ ---      ┆ ---      │
    │ f64   ┆ f64      ┆ f64      │
    ╞═══════╪══════════╪══════════╡
    │ 0.0   ┆ 0.0      ┆ 3.6889   │
    │ 10.0  ┆ 4.7954   ┆ 18.3904  │
    └───────┴──────────┴──────────┘
    """
    try:
        mixed = isinstance(counts, (list, tuple)) and any(
            isinstance(v, (str, bytes, bool, np.bool_)) for v in counts
        )  # numpy would turn [1, True] into [1, 1] and [1, "3"] into text
        raw = np.asarray(counts, dtype=object if mixed else None)
    except (TypeError, ValueError) as e:
        raise GroomstatsError(f"poisson_ci: counts must be numbers: {e}") from e
    if raw.dtype.kind in "iuf":
        arr = np.ascontiguousarray(raw, dtype=np.float64)
    elif raw.dtype.kind in "OUS" and raw.ndim == 1:
        # text, True/False or a missing value of another library among them: one by one
        arr = _counts_one_by_one(raw)
    else:
        raise GroomstatsError(
            f"poisson_ci: counts must be numbers, got {raw.dtype} values"
            + (" (True/False is not a count)" if raw.dtype.kind == "b" else "")
        )
    if arr.ndim != 1:
        raise GroomstatsError(f"poisson_ci: counts must be one-dimensional, got shape {arr.shape}")
    refuse_non_counts(arr, "poisson_ci", "counts", "an exact (Garwood) Poisson limit", whole=False)
    cols: dict[str, np.ndarray] = {}
    for c in confidence_levels(confidence):
        lim = _core.exact_poisson_ci(arr, c)
        lo_name, hi_name = interval_names(c)
        cols[lo_name], cols[hi_name] = lim.lower, lim.upper
    return pl.DataFrame({"count": arr, **cols}).with_columns(pl.col("count", *cols).fill_nan(None))


def _counts_one_by_one(items: np.ndarray) -> np.ndarray:
    """Counts that are not all numbers: a missing value of any library (``None``,
    ``pandas.NA``, ``NaN``) is missing; text, True/False or anything else that is no number is
    refused, naming its row and value (numpy would read ``'3'`` as 3 and ``True`` as 1)."""
    out = np.empty(len(items), dtype=np.float64)
    for i, v in enumerate(items.tolist()):
        if v is None or type(v).__name__ in ("NAType", "NaTType"):
            out[i] = np.nan
            continue
        if isinstance(v, (str, bytes, bool, np.bool_)) or not isinstance(
            v, (int, float, np.number)
        ):
            fix = (
                "; write counts as numbers (1234, not '1,234')"
                if isinstance(v, (str, bytes))
                else ""
            )
            raise DataFormatError(
                f"poisson_ci: counts, row {i}: {v!r} ({type(v).__name__}) is not a number{fix}"
            )
        out[i] = float(v)
    return np.ascontiguousarray(out)


def _numeric(df: pl.DataFrame, column: str, what: str) -> np.ndarray:
    """A numeric column as a contiguous float64 array, nulls as NaN."""
    dtype = df.schema[column]
    if not dtype.is_numeric():
        raise DataFormatError(
            f"{what}: column '{column}' must be numeric, got {dtype}; "
            + text_numbers_fix(df, column)
        )
    s = df.get_column(column).cast(pl.Float64).fill_null(float("nan"))
    return np.ascontiguousarray(s.to_numpy(), dtype=np.float64)


def _load_population(age_band: str) -> pl.DataFrame:
    frame: Any = shipped_population(age_band=age_band)
    return as_polars(frame, "population")


def _select_population(population: pl.DataFrame, age_band: str, on: str) -> pl.DataFrame:
    """The rows of one age band: ``on``, ``population`` and, when the frame has them,
    ``population_year`` and ``population_vintage``."""
    require_columns(population, [on, "age_band", "population"], "population")
    bands = population.get_column("age_band").unique().sort().to_list()
    if age_band not in bands:
        hint = suggest(age_band, [str(b) for b in bands])
        extra = f" — did you mean '{hint}'?" if hint else ""
        raise GroomstatsError(
            f"age_band={age_band!r} is not in the population frame (has {bands}){extra}"
        )
    pop = population.filter(pl.col("age_band") == age_band)
    keep = [pl.col(on), pl.col("population")]
    if "year" in pop.columns:
        keep.append(pl.col("year").cast(pl.Int16).alias("population_year"))
    if "vintage" in pop.columns:
        keep.append(pl.col("vintage").cast(pl.String).alias("population_vintage"))
    pop = pop.select(keep)
    key = [on, "population_year"] if "population_year" in pop.columns else [on]
    dup = pop.filter(pl.struct(key).is_duplicated()).get_column(on).unique().sort().to_list()
    if dup:
        raise DataFormatError(
            f"population: several rows for {on} {dup} in age band {age_band!r}"
            + (" and one year" if len(key) > 1 else "")
            + "; keep one row per area"
        )
    return pop


def _population_years(
    df: pl.DataFrame, pop: pl.DataFrame, year: int | None, age_band: str
) -> pl.DataFrame:
    """Each row's ``population_year`` (and ``note`` when it is not the year its period asks
    for); rows of the frame keep their order. See :mod:`groomstats._popyears`."""
    if "population_year" not in pop.columns:
        if year is not None:
            raise GroomstatsError("year=... given but the population frame has no 'year' column")
        return df.drop("_pop_lo", "_pop_hi", strict=False)
    have = sorted(int(y) for y in pop.get_column("population_year").unique())
    if year is not None:
        asked = pl.lit(year, pl.Int32)
        span_note: pl.Expr = pl.lit(None, pl.String)
        if "_pop_lo" in df.columns:  # the counts' own mid-year, when their period gives one
            own = (pl.col("_pop_lo") + pl.col("_pop_hi")) // 2
            span_note = (
                pl.when(own.is_not_null() & (own != year))
                .then(
                    pl.format(
                        "year={} given: population of mid-{} used for counts whose own "
                        "mid-year is {}",
                        pl.lit(year),
                        pl.lit(year),
                        own,
                    )
                )
                .otherwise(None)
            )
    elif "_pop_lo" in df.columns and df.get_column("_pop_lo").null_count() == 0:
        lo, hi = pl.col("_pop_lo"), pl.col("_pop_hi")
        asked = (lo + hi) // 2
        span_note = (
            pl.when(lo != hi)
            .then(
                pl.format(
                    "counts span the financial years starting April {} to April {}: "
                    "population of mid-{} (the middle year) used",
                    lo,
                    hi,
                    asked,
                )
            )
            .otherwise(None)
        )
    elif len(have) == 1:
        asked = pl.lit(have[0], pl.Int32)
        span_note = pl.lit(None, pl.String)
    elif "_pop_lo" in df.columns:
        bad = df.filter(pl.col("_pop_lo").is_null()).height
        raise GroomstatsError(
            f"rates: {bad} row(s) have a period that names no financial year (financial_year "
            "like '2017/18', or period_start and period_end dates), so the population's "
            f"mid-year cannot be chosen among {have}: fix those rows or pass year=..."
        )
    else:
        raise GroomstatsError(
            "rates: the frame has no financial_year (or period_start and period_end) column "
            "to choose the population's mid-year from, and the population frame holds "
            f"several years {have}: pass year=... (mid-2017 for 2017/18 counts) or keep the "
            "financial_year column"
        )
    df = df.with_columns(asked.cast(pl.Int32).alias("_pop_asked"), span_note.alias("_pop_span"))
    asked_years = sorted(int(y) for y in df.get_column("_pop_asked").unique())
    used = {y: nearest_year(y, have) for y in asked_years}
    notes = {
        y: substitution_note(y, u, f"age band {age_band}", have) for y, u in used.items() if u != y
    }
    # user -> renamed wrapper -> rates -> _population_years -> warn_substitutions
    warn_substitutions(list(notes.values()), "rates", stacklevel=5)
    spans = df.get_column("_pop_span").drop_nulls().unique().to_list()
    warn_substitutions([str(x) for x in spans], "rates", stacklevel=5)
    df = df.with_columns(
        pl.col("_pop_asked").replace_strict(used, return_dtype=pl.Int16).alias("population_year"),
        pl.concat_str(
            [
                pl.col("_pop_span"),
                pl.col("_pop_asked").replace_strict(notes, default=None, return_dtype=pl.String),
            ],
            separator="; ",
            ignore_nulls=True,
        ).alias("_pop_note"),
    )
    return df.drop("_pop_lo", "_pop_hi", "_pop_asked", "_pop_span", strict=False)


def _check_areas(df: pl.DataFrame, population: pl.DataFrame, on: str, what: str) -> pl.DataFrame:
    """Every area of ``df`` is in the population frame (else each is named, with a hint)."""
    if "population" in df.columns:
        raise DataFormatError(
            f"{what}: the frame already has a 'population' column; pass "
            "denominator='population' to use it, or drop it to join the population frame"
        )
    df = df.with_columns(pl.col(on).cast(pl.String))
    pop = population.with_columns(pl.col(on).cast(pl.String))
    label = "force" if "force" in df.columns and on != "force" else on
    if label in df.columns:
        names = df.get_column(label).cast(pl.String).unique().drop_nulls().to_list()
        outside = sorted(n for n in names if other_nation(n) is not None)
        known = set(pop.get_column(on).drop_nulls().to_list())
        missing = [n for n in outside if on != label or n not in known]
        if missing:
            raise UnknownAreaError(
                f"{what}: {', '.join(missing)} police(s) {other_nation(missing[0])}, outside the "
                "England and Wales population groomstats ships (ONS mid-year estimates): pass "
                "its population yourself, population=<frame with a row for it> (on='force') "
                "or denominator='<column>'"
            )
    nulls = df.filter(pl.col(on).is_null())
    if nulls.height:
        names = sorted({str(v) for v in nulls.get_column(label).to_list()})
        raise UnknownAreaError(
            f"{what}: {nulls.height} row(s) have no {on} (e.g. {', '.join(names[:5])}): "
            "non-territorial bodies have no population; drop them first, e.g. "
            "df.filter(pl.col('territorial'))"
        )
    known = set(pop.get_column(on).to_list())
    unmatched = df.filter(~pl.col(on).is_in(list(known)))
    if unmatched.height:
        keys = sorted(set(unmatched.get_column(on).to_list()))
        parts = []
        for k in keys[:10]:
            hint = _canonical(k, known) if on == "force" else None
            hint = hint or suggest(k, [str(x) for x in known])
            parts.append(f"'{k}'" + (f" (did you mean '{hint}'?)" if hint else ""))
        fix = (
            "; names vary between products: map them to canonical names first with "
            "df.with_columns(force=groomstats.match_forces(df['force'])['force'])"
            if on == "force"
            else ""
        )
        raise UnknownAreaError(
            f"{what}: {len(keys)} {on} value(s) not in the population frame: "
            f"{', '.join(parts)}{fix}"
        )
    return df


def _canonical(name: str, known: set[Any]) -> str | None:
    """The population frame's spelling of a force written another way ('London, City of',
    'Devon & Cornwall'), when :func:`groomstats.match_force` knows it."""
    try:
        hit = match_force(name)
    except GroomstatsError:
        return None
    return hit if hit in known else None


def _join_population(df: pl.DataFrame, pop: pl.DataFrame, on: str) -> pl.DataFrame:
    pop = pop.with_columns(pl.col(on).cast(pl.String))
    key = [on, "population_year"] if "population_year" in df.columns else [on]
    return df.join(pop, on=key, how="left", maintain_order="left")


def _note_shared_population(df: pl.DataFrame, on: str, count: str) -> pl.DataFrame:
    """Rows sharing one area's population (Kent's boys and Kent's girls, say) each get a
    note: each rate is over the whole population, and adding their populations (for a total
    rate) would count that population twice."""
    key = [on, "population_year"] if "population_year" in df.columns else [on]
    shared = pl.len().over(key)
    if not df.select((shared > 1).any()).item():
        return df
    skip = {count, on, "population", "population_year", "population_vintage", "_pop_note"}
    skip |= {"force", "force_code", "region", "territorial", "unit", "note"}
    differ = [
        c
        for c in df.columns
        if c not in skip and df.select((pl.col(c).n_unique().over(key) > 1).any()).item()
    ]
    apart = (
        f"told apart by {', '.join(differ)}"
        if differ
        else "told apart by no column: the same area twice? sum its rows with by="
    )
    text = pl.format(
        "the population of {} is the denominator of {} rows (" + apart + "): each rate is "
        "over the whole population, so do not add their populations",
        pl.col(on),
        shared,
    )
    note: pl.Expr = pl.when(shared > 1).then(text)
    if "_pop_note" in df.columns:
        before = pl.when(pl.col("_pop_note") != "").then(pl.col("_pop_note"))
        note = pl.concat_str([before, note], separator="; ", ignore_nulls=True)
    return df.with_columns(note.alias("_pop_note"))


def _sum_keep_null(column: str) -> pl.Expr:
    """Sum that is null when any value is null (PHE's ``sum(skipna=False)``)."""
    return (
        pl.when(pl.col(column).null_count() > 0)
        .then(None)
        .otherwise(pl.col(column).sum())
        .alias(column)
    )


@renamed(df="data")
def rates(
    data: Any,
    population: Any = None,
    *,
    count: str = "offences",
    denominator: str | None = None,
    per: float = 100_000,
    confidence: Confidence = (0.95, 0.998),
    age_band: str = "0-17",
    year: int | None = None,
    on: str | None = None,
    by: str | Sequence[str] | None = None,
    min_denominator: float = 10_000,
) -> pl.DataFrame:
    """Rates per ``per`` with Byar's / exact Poisson confidence limits, one row per area.

    Counts of 10 or more get Byar's limits, smaller counts exact (chi-square) Poisson limits,
    as PHEindicatormethods ``phe_rate`` and PHStatsMethods ``ph_rate``. A zero count gets
    lower limit 0 and the exact upper limit. Rows whose count is missing or negative, or whose
    denominator is missing or not positive, are kept with null value and limits and a
    ``reason``. Rows whose denominator is below ``min_denominator`` (City of London has 642
    residents aged 0-17) keep their rate but get ``flag = True`` and a ``reason``:
    :func:`rank_areas` never ranks them. Rows whose ``complete`` column (as
    :func:`groomstats.totals` gives) is False count a period with a quarter or cell not
    available: they get no rate (null, with the ``reason``) and no rank, never a rate over a
    partial count.

    Parameters
    ----------
    data
        polars or pandas frame (or pyarrow, DuckDB: any frame narwhals knows) with a count
        column (``offences`` by default) and either an
        area key (``force_code``, else ``force``) to join the population frame on, or a
        denominator column named by ``denominator=``.
    population
        The population frame (``force_code``, ``force``, ``region``, ``age_band``,
        ``population``, ``year``, optionally ``vintage``); by default the ONS estimates shipped
        (:func:`groomstats.datasets.population`: children mid-2017 to mid-2023, all ages
        mid-2011 to mid-2023). Each count is divided by the population of the mid-year inside
        its financial year (mid-2017 for 2017/18), read from ``financial_year`` or from
        ``period_start``/``period_end``; when that year is not in the frame the nearest is
        used, with a ``note`` and a :class:`~groomstats.PopulationYearWarning`. Giving both
        this and ``denominator`` is an error.
    count
        Name of the count column.
    denominator
        Name of a denominator column in ``df``; no population join then.
    per
        Multiplier: rates per ``per`` people (default 100,000).
    confidence
        One level or several (default 95% and 99.8%); columns ``lower_95``, ``upper_95``,
        ``lower_99_8``, ``upper_99_8``.
    age_band
        Population age band to join (``"0-17"`` by default: children).
    year
        Population mid-year for every row, instead of each row's own; needed when the frame
        has no period column and the population frame holds several years. A row whose own
        period asks for another mid-year gets a ``note`` and a
        :class:`~groomstats.PopulationYearWarning` saying so.
    on
        Join key between ``df`` and the population frame (default ``force_code`` when present,
        else ``force``).
    by
        Columns to group by before computing, summing counts (a missing count in a group makes
        the group's count missing, as PHEindicatormethods does). Default: one rate per row.
    min_denominator
        Denominators below this are flagged (default 10,000).

    Returns
    -------
    polars.DataFrame
        The input columns (or ``by``), the count, the denominator (``population`` when joined),
        ``value``, ``lower_<c>``/``upper_<c>`` per level, ``method`` (``"Byars"`` or
        ``"Exact"``), ``flag``, ``reason`` and ``unit`` (what the rate counts, e.g.
        ``"offences per 100,000 population aged 0-17"``; a ``unit`` column of the input is
        kept); when the population was joined and
        has years, also ``population_year``, ``population_vintage`` (when known) and ``note``
        (null unless the population is not of the year the count asks for, or one area's
        population is the denominator of several rows, e.g. its boys and its girls).

    Raises
    ------
    UnknownAreaError
        An area of ``df`` is not in the population frame (every one is named), or has no code.
    DataFormatError
        A column is missing or not numeric.

    Examples
    --------
    >>> import groomstats
    >>> import polars as pl
    >>> df = pl.DataFrame({"force": ["A", "B", "C", "D"], "offences": [0, 5, 351, -1],
    ...                    "children": [90_000, 642, 325_140, 1_000]})
    >>> out = groomstats.rates(df, denominator="children")
    >>> out.select("force", pl.col("value", "lower_95", "upper_95").round(2), "method", "flag")
    shape: (4, 6)
    ┌───────┬────────┬──────────┬──────────┬────────┬───────┐
    │ force ┆ value  ┆ lower_95 ┆ upper_95 ┆ method ┆ flag  │
    │ ---   ┆ ---    ┆ ---      ┆ ---      ┆ ---    ┆ ---   │
    │ str   ┆ f64    ┆ f64      ┆ f64      ┆ enum   ┆ bool  │
    ╞═══════╪════════╪══════════╪══════════╪════════╪═══════╡
    │ A     ┆ 0.0    ┆ 0.0      ┆ 4.1      ┆ Exact  ┆ false │
    │ B     ┆ 778.82 ┆ 252.88   ┆ 1817.5   ┆ Exact  ┆ true  │
    │ C     ┆ 107.95 ┆ 96.95    ┆ 119.86   ┆ Byars  ┆ false │
    │ D     ┆ null   ┆ null     ┆ null     ┆ null   ┆ false │
    └───────┴────────┴──────────┴──────────┴────────┴───────┘
    >>> out.get_column("reason").to_list()[1:]
    ['denominator 642 is below min_denominator=10000: rate unreliable, not ranked', None,
     'negative count (-1)']
    """
    df = as_polars(data, "rates")
    levels = confidence_levels(confidence)
    per_f = check_per(per)
    if (
        isinstance(min_denominator, bool)
        or not isinstance(min_denominator, (int, float))
        or not math.isfinite(min_denominator)
        or min_denominator < 0
    ):
        raise GroomstatsError(
            f"min_denominator={min_denominator!r} must be a finite number >= 0 "
            "(0 turns small-denominator flagging off)"
        )
    require_columns(df, [count], "rates", numeric=[count])
    if not df.schema[count].is_numeric():  # before any by= sum (polars' own error came first)
        _numeric(df, count, "rates")

    if denominator is not None:
        if population is not None:
            raise GroomstatsError(
                "give either population=... (joined on the area) or denominator='column', not both"
            )
        require_columns(df, [denominator], "rates", numeric=[denominator])
        if not df.schema[denominator].is_numeric():
            _numeric(df, denominator, "rates")
        denom_col = denominator
    else:
        denom_col = "population"
        if on is None:
            if "force_code" in df.columns:
                on = "force_code"
            elif "force" in df.columns:
                on = "force"
            else:
                raise DataFormatError(
                    "rates: no 'force_code' or 'force' column to join the population on; "
                    "pass on='column' or denominator='column'"
                )
        require_columns(df, [on], "rates")

    keys = by_columns(by)
    target = mid_year_expr(df.columns) if denominator is None else None
    if target is not None:
        df = df.with_columns(target.alias("_pop_lo"), target.alias("_pop_hi"))
    if keys:
        require_columns(df, keys, "rates")
        sums = [_sum_keep_null(count)]
        if "complete" in df.columns and "complete" not in keys:
            sums.append(pl.col("complete").all())
        if denominator is not None and denominator not in keys:
            sums.append(_sum_keep_null(denominator))
        if target is not None:
            sums += [pl.col("_pop_lo").min(), pl.col("_pop_hi").max()]
        if df.schema[count].is_integer():  # checked: an integer sum wraps around silently
            sums.append(pl.col(count).cast(pl.Float64).sum().alias("__fsum"))
        df = df.group_by(keys, maintain_order=True).agg(sums)
        if "__fsum" in df.columns:
            check_sums(df, "rates", count)
            df = df.drop("__fsum")

    if denominator is None:
        assert on is not None
        if on not in df.columns:
            raise DataFormatError(f"rates: by=... must keep the join column '{on}'")
        pop = population if population is not None else _load_population(age_band)
        pop = _select_population(as_polars(pop, "population"), age_band, on)
        df = _check_areas(df, pop, on, "rates")
        df = _population_years(df, pop, year, age_band)
        df = _join_population(df, pop, on)
        df = _note_shared_population(df, on, count)

    x = _numeric(df, count, "rates")
    n = _numeric(df, denom_col, "rates")
    partial = incomplete_rows(df)
    if partial is not None:  # a total missing a quarter or cell is not the period's figure
        x = x.astype(np.float64, copy=True)
        x[partial] = np.nan
    ri = _core.rate_ci(x, n, per_f, levels)
    value, lowers, uppers, method = ri.value, ri.lower, ri.upper, ri.method
    invalid = bool((method == 2).any())

    def col(name: str, arr: np.ndarray) -> pl.Series:
        return pl.Series(name, arr, nan_to_null=invalid)

    cols = [col("value", value)]
    for c, lo, hi in zip(levels, lowers, uppers, strict=True):
        s = confidence_suffix(c)
        cols += [col(f"lower_{s}", lo), col(f"upper_{s}", hi)]
    cols.append(
        pl.Series("method", method).replace_strict(_METHODS, default=None, return_dtype=METHOD)
    )
    flag, reason = _flag_and_reason(df, x, n, count, denom_col, float(min_denominator))
    if partial is not None:
        reason = reason.scatter(partial, INCOMPLETE_REASON)
    unit = [] if "unit" in df.columns else [pl.lit(_unit(count, per_f, denominator, age_band))]
    out: pl.DataFrame = df.with_columns([*cols, flag, reason, *(u.alias("unit") for u in unit)])
    if "_pop_note" in out.columns:
        note = pl.col("_pop_note")
        if "note" in out.columns:
            note = pl.concat_str([pl.col("note"), note], separator="; ", ignore_nulls=True)
        empty = note.fill_null("") == ""
        out = out.with_columns(pl.when(empty).then(None).otherwise(note).alias("note"))
        out = out.drop("_pop_note")
    return out


def _unit(count: str, per: float, denominator: str | None, age_band: str) -> str:
    """What the rate counts: ``"offences per 100,000 population aged 0-17"``, from the
    arguments (the charts and tables take their labels from it)."""
    base = f"{per:,.0f}" if per == int(per) else f"{per:,}"
    if denominator is not None:
        of = denominator
    elif age_band == "all ages":
        of = "population (all ages)"
    else:
        of = f"population aged {age_band}"
    return f"{count} per {base} {of}"


def _flag_and_reason(
    df: pl.DataFrame, x: np.ndarray, n: np.ndarray, count: str, denom: str, min_denom: float
) -> tuple[pl.Series, pl.Series]:
    """``flag`` (small denominator) and ``reason`` columns; reasons built only where needed."""
    with np.errstate(invalid="ignore"):
        x_bad = ~(x >= 0) | ~np.isfinite(x)
        n_bad = ~(n > 0) | ~np.isfinite(n)
        small = ~x_bad & ~n_bad & (n < min_denom)
    flag = pl.Series("flag", small)
    need = np.flatnonzero(x_bad | n_bad | small)
    reason = pl.repeat(None, df.height, dtype=pl.String, eager=True).alias("reason")
    if need.size:
        sub = df[need].with_columns(**_reason_exprs(count, denom, min_denom))
        reason = reason.scatter(need, sub.get_column("reason"))
    return flag, reason


def _fmt_num(column: str) -> pl.Expr:
    """Format a numeric column for messages: whole numbers without decimals."""
    c = pl.col(column).cast(pl.Float64)
    whole = c.cast(pl.Int64, strict=False).cast(pl.String)
    return pl.when(c.is_finite() & (c == c.round(0))).then(whole).otherwise(c.cast(pl.String))


def _reason_exprs(count: str, denom: str, min_denominator: float) -> dict[str, pl.Expr]:
    x, n = pl.col(count).cast(pl.Float64), pl.col(denom).cast(pl.Float64)
    x_bad = x.is_null() | x.is_nan() | x.is_infinite() | (x < 0)
    n_bad = n.is_null() | n.is_nan() | n.is_infinite() | (n <= 0)
    small = ~x_bad & ~n_bad & (n < min_denominator)
    min_txt = (
        f"{min_denominator:.0f}"
        if min_denominator == int(min_denominator)
        else str(min_denominator)
    )
    reason = (
        pl.when(x.is_null() | x.is_nan())
        .then(pl.lit(f"missing {count}"))
        .when(x < 0)
        .then(pl.format("negative count ({})", _fmt_num(count)))
        .when(x.is_infinite())
        .then(pl.lit(f"{count} is not finite"))
        .when(n.is_null() | n.is_nan())
        .then(pl.lit(f"missing {denom}"))
        .when(n.is_infinite())
        .then(pl.lit(f"{denom} is not finite"))
        .when(n <= 0)
        .then(pl.format("{} {} is not positive", pl.lit(denom), _fmt_num(denom)))
        .when(small)
        .then(
            pl.format(
                "denominator {} is below min_denominator={}: rate unreliable, not ranked",
                _fmt_num(denom),
                pl.lit(min_txt),
            )
        )
        .otherwise(None)
    )
    return {"reason": reason}


@renamed(df="data")
def rank_areas(
    data: Any,
    column: str = "value",
    *,
    descending: bool = True,
    by: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """Rank areas by a column, ties sharing the lowest rank (``"min"``: 1, 2, 2, 4).

    Rows with ``flag = True`` (tiny denominators) or a null ``column`` are never ranked: their
    ``rank`` is null and ``rank_reason`` says why.

    Parameters
    ----------
    data
        A frame from :func:`rates` (or any frame with ``column`` and optionally ``flag``).
    column
        Column to rank on.
    descending
        Rank 1 is the highest value (default).
    by
        Rank within groups (e.g. ``"financial_year"``).

    Returns
    -------
    polars.DataFrame
        ``df`` with ``rank`` (UInt32) and ``rank_reason`` (String).

    Examples
    --------
    >>> import groomstats
    >>> import polars as pl
    >>> df = pl.DataFrame({"force": ["A", "B", "C", "D", "E"],
    ...                    "value": [5.0, 9.0, 5.0, 40.0, None],
    ...                    "flag": [False, False, False, True, False]})
    >>> groomstats.rank_areas(df).select("force", "rank", "rank_reason")
    shape: (5, 3)
    ┌───────┬──────┬────────────────────────────┐
    │ force ┆ rank ┆ rank_reason                │
    │ ---   ┆ ---  ┆ ---                        │
    │ str   ┆ u32  ┆ str                        │
    ╞═══════╪══════╪════════════════════════════╡
    │ A     ┆ 2    ┆ null                       │
    │ B     ┆ 1    ┆ null                       │
    │ C     ┆ 2    ┆ null                       │
    │ D     ┆ null ┆ flagged: small denominator │
    │ E     ┆ null ┆ no value                   │
    └───────┴──────┴────────────────────────────┘
    """
    df = as_polars(data, "rank_areas")
    require_columns(df, [column], "rank_areas")
    if not df.schema[column].is_numeric():
        raise DataFormatError(
            f"rank_areas: column '{column}' holds {df.schema[column]}, not numbers"
        )
    flag = pl.col("flag").fill_null(False) if "flag" in df.columns else pl.lit(False)
    v = pl.col(column)
    if df.schema[column].is_float():
        v = v.fill_nan(None)
    usable = pl.when(~flag).then(v).otherwise(None)
    r = usable.rank(method="min", descending=descending).cast(pl.UInt32)
    keys = by_columns(by)
    if keys:
        require_columns(df, keys, "rank_areas")
        r = r.over(keys)
    refuse_repeated_areas(df, "rank_areas()", within=keys)  # an area ranked twice
    reason = (
        pl.when(flag)
        .then(pl.lit("flagged: small denominator"))
        .when(v.is_null())
        .then(
            pl.col("reason").fill_null(pl.lit("no value"))
            if "reason" in df.columns
            else pl.lit("no value")
        )
        .otherwise(None)
    )
    out: pl.DataFrame = df.with_columns(rank=r, rank_reason=reason)
    return out

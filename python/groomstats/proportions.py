"""Shares of a categorical breakdown (e.g. platform) with Wilson score limits, over the offences
*where the category was recorded* (:func:`shares`).

The module is named ``proportions`` so that it never shadows the function
``groomstats.shares``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

import polars as pl

from groomstats import _core
from groomstats._args import (
    Confidence,
    by_columns,
    check_per,
    confidence_levels,
    confidence_suffix,
    renamed,
)
from groomstats._util import as_polars, require_columns, suggest
from groomstats.exceptions import DataFormatError, GroomstatsError
from groomstats.intervals import _numeric

__all__ = ["UNKNOWN_LABELS", "shares", "shares_from_percentages"]


#: Labels treated as "category not recorded" by :func:`shares` (matched case-insensitively).
UNKNOWN_LABELS = ("unknown", "not known", "not recorded", "no method recorded", "none recorded")


@renamed(df="data")
def shares(
    data: Any,
    category: str = "platform",
    *,
    by: str | Sequence[str] | None = None,
    count: str = "offences",
    groups: Mapping[str, Sequence[str]] | None = None,
    denominator: str | float | Any = None,
    multi_response: bool = False,
    unknown: Sequence[str] = UNKNOWN_LABELS,
    confidence: Confidence = (0.95, 0.998),
    per: float = 100,
) -> pl.DataFrame:
    """Shares of a categorical breakdown with Wilson score limits, where the category was recorded.

    Works on the breakdown frame of FOI returns (``force``, ``force_code``, ``period``,
    ``period_start``, ``period_end``, ``category``, ``value``, ``offences``, ``suppressed``).
    The denominator is explicit: offences *where the category was recorded*. Rows labelled
    unknown / not recorded are left out of the denominator and counted in ``unknown``;
    suppressed cells (``*``) and cells not provided (``N/a``) are left out, never read as 0,
    and counted in ``suppressed_cells`` and ``missing_cells``.

    Parameters
    ----------
    data
        The breakdown frame (polars or pandas).
    category
        Which breakdown, e.g. ``"platform"``, ``"age_band"``, ``"gender"``.
    by
        Columns to compute shares within: ``None`` (default) pools every row; ``"period"``
        gives all forces pooled per period, ``["force", "period"]`` each force.
    count
        The count column (default ``"offences"``); the output's count column keeps its name.
    groups
        Named groups of categories reported as extra rows, e.g.
        ``{"Meta": ["Facebook", "Messenger", "Instagram", "WhatsApp"]}``. A group's count is
        the sum of its members' counts; with multi-response data that can count an offence
        twice (the ``note`` column says so).
    denominator
        Offences with the category recorded, per ``by`` group: ``None`` (default) = the sum of
        the recorded categories (single-response data only); a label of ``value`` whose rows
        hold that total (e.g. ``"Method recorded"``); a number; or a frame with the ``by``
        columns and a ``denominator`` column.
    multi_response
        True when one offence can fall in several categories (platforms): shares may then sum
        to more than 100%, and an explicit ``denominator`` is required.
    unknown
        Labels (case-insensitive) meaning "not recorded".
    confidence
        Confidence level(s) of the Wilson limits (default 95% and 99.8%).
    per
        Multiplier: 100 (default) gives percentages, 1 proportions.

    Returns
    -------
    polars.DataFrame
        ``by`` columns, a column named after ``category`` (the label), ``members`` (for
        groups), ``offences``, ``denominator``, ``value``, ``lower_<c>``/``upper_<c>``,
        ``method`` (``"Wilson"``), ``multi_response``, ``unknown``, ``suppressed_cells``,
        ``missing_cells``, ``note``. Sorted by ``by`` and then by offences, largest first.

    Examples
    --------
    >>> import groomstats
    >>> import polars as pl
    >>> b = pl.DataFrame({
    ...     "force": ["A"] * 5 + ["B"] * 5,
    ...     "period": "2023/24",
    ...     "category": "platform",
    ...     "value": ["Snapchat", "Instagram", "WhatsApp", "Unknown", "Method recorded"] * 2,
    ...     "offences": [30, 8, 5, 40, 40, 20, None, 4, 25, 30],
    ...     "suppressed": [False, False, False, False, False, False, True, False, False, False],
    ... })
    >>> s = groomstats.shares(b, denominator="Method recorded", multi_response=True,
    ...                       groups={"Meta": ["Instagram", "WhatsApp"]})
    >>> s.select("platform", "offences", "denominator", pl.col("value", "lower_95").round(1),
    ...          "unknown", "suppressed_cells")
    shape: (4, 7)
    ┌───────────┬──────────┬─────────────┬───────┬──────────┬─────────┬──────────────────┐
    │ platform  ┆ offences ┆ denominator ┆ value ┆ lower_95 ┆ unknown ┆ suppressed_cells │
    │ ---       ┆ ---      ┆ ---         ┆ ---   ┆ ---      ┆ ---     ┆ ---              │
    │ str       ┆ i64      ┆ i64         ┆ f64   ┆ f64      ┆ i64     ┆ u32              │
    ╞═══════════╪══════════╪═════════════╪═══════╪══════════╪═════════╪══════════════════╡
    │ Snapchat  ┆ 50       ┆ 70          ┆ 71.4  ┆ 59.9     ┆ 65      ┆ 0                │
    │ Meta      ┆ 17       ┆ 70          ┆ 24.3  ┆ 15.8     ┆ 65      ┆ 1                │
    │ WhatsApp  ┆ 9        ┆ 70          ┆ 12.9  ┆ 6.9      ┆ 65      ┆ 0                │
    │ Instagram ┆ 8        ┆ 70          ┆ 11.4  ┆ 5.9      ┆ 65      ┆ 1                │
    └───────────┴──────────┴─────────────┴───────┴──────────┴─────────┴──────────────────┘
    """
    df = as_polars(data, "shares")
    levels = confidence_levels(confidence)
    per_f = check_per(per)
    keys = by_columns(by)
    if not isinstance(count, str):
        raise GroomstatsError(f"shares: count={count!r} must name a column, e.g. 'offences'")
    require_columns(df, ["category", "value", count, "suppressed", *keys], "shares")
    if category in keys or category in ("members", count, "offences", "denominator"):
        raise GroomstatsError(f"category={category!r} clashes with an output column name")
    if count in keys:
        raise GroomstatsError(f"shares: count='{count}' is also a by column")
    if not df.select((pl.col("category") == category).any()).item():
        cats = sorted({str(c) for c in df.get_column("category").drop_nulls().unique().to_list()})
        hint = suggest(category, cats)
        extra = f" — did you mean '{hint}'?" if hint else ""
        raise GroomstatsError(f"category={category!r} is not in the frame (has {cats}){extra}")
    if not df.schema[count].is_integer() and not df.schema[count].is_float():
        raise DataFormatError(f"shares: column '{count}' must be numeric, got {df.schema[count]}")
    if count != "offences":  # the count column is called offences inside, its own name outside
        df = df.drop("offences", strict=False).rename({count: "offences"})

    d = df.filter(pl.col("category") == category).with_columns(
        pl.col("suppressed").fill_null(False)
    )
    bad = d.with_row_index("row").filter(pl.col("offences") < 0)
    if bad.height:
        r = bad.row(0, named=True)
        raise DataFormatError(
            f"shares: {bad.height} {category} row(s) have a negative 'offences' (first: row "
            f"{r['row']}, value {r['value']!r}, offences {r['offences']!r}); a count of "
            "offences by category cannot be negative"
        )
    label = pl.col("value").cast(pl.String)
    is_unknown = _is_unknown(d, label, unknown)
    is_total = label == denominator if isinstance(denominator, str) else pl.lit(False)
    d = d.with_columns(
        _unknown=is_unknown, _total=is_total, _kept=~pl.col("suppressed") & ~is_unknown
    )

    if isinstance(denominator, str) and d.filter(pl.col("_total")).height == 0:
        hint = suggest(denominator, [str(v) for v in d.get_column("value").unique().to_list()])
        extra = f" — did you mean '{hint}'?" if hint else ""
        raise GroomstatsError(
            f"denominator={denominator!r} is not a {category} value in the frame{extra}"
        )

    cat_rows = d.filter(~pl.col("_unknown") & ~pl.col("_total"))
    # what each cell brings to its group's figures; a group's figure is the sum over its cells
    cat_rows = cat_rows.with_columns(
        suppressed_cells=pl.col("suppressed").cast(pl.UInt32),
        missing_cells=(pl.col("offences").is_null() & ~pl.col("suppressed")).cast(pl.UInt32),
    )
    summed = ["offences", "suppressed_cells", "missing_cells"]
    # every cell suppressed or not provided -> unknown count (null), never 0
    agg = [pl.when(pl.col(c).count() > 0).then(pl.col(c).sum()).alias(c) for c in summed]
    gk = [*keys, "value"]
    per_cat = _per_category(cat_rows, gk, summed, agg).with_columns(members=pl.lit(None, pl.String))

    frames = [per_cat]
    present = {str(v) for v in cat_rows.get_column("value").unique().to_list()} if groups else set()
    for name, members in (groups or {}).items():
        members = list(members)
        missing = [m for m in members if m not in present]
        if missing:
            hints = [
                f"'{m}'" + (f" (did you mean '{h}'?)" if (h := suggest(m, present)) else "")
                for m in missing
            ]
            raise GroomstatsError(
                f"groups[{name!r}]: {', '.join(hints)} not among the {category} values "
                f"{sorted(present)}"
            )
        if name in present:
            raise GroomstatsError(f"groups: {name!r} is already a {category} value; rename it")
        g = cat_rows.filter(pl.col("value").is_in(members))
        g = (
            g.group_by(keys, maintain_order=True).agg(agg) if keys else g.select(agg)
        ).with_columns(value=pl.lit(name), members=pl.lit(", ".join(members)))
        frames.append(g.select(per_cat.columns))
    out = pl.concat(frames, how="vertical_relaxed")

    # unknown offences per by group
    unk = d.filter(pl.col("_unknown"))
    unk_agg = pl.col("offences").sum().alias("unknown")
    unk = unk.group_by(keys).agg(unk_agg) if keys else unk.select(unk_agg)

    # the denominator per by group
    if multi_response and denominator is None:
        raise GroomstatsError(
            "multi_response=True: the sum of category counts double-counts offences with "
            "several categories; pass denominator= (a value label, a number or a frame) with "
            "the number of offences where the category was recorded"
        )
    if denominator is None:
        den_agg = pl.col("offences").sum().alias("denominator")
        den = cat_rows.group_by(keys).agg(den_agg) if keys else cat_rows.select(den_agg)
    elif isinstance(denominator, str):
        t = d.filter(pl.col("_total"))
        if t.get_column("offences").is_null().any():
            raise DataFormatError(
                f"shares: a {denominator!r} row is suppressed or not provided; the "
                "denominator must be known"
            )
        den_agg = pl.col("offences").sum().alias("denominator")
        den = t.group_by(keys).agg(den_agg) if keys else t.select(den_agg)
    elif isinstance(denominator, (int, float)) and not isinstance(denominator, bool):
        den = (
            out.select(keys).unique().with_columns(denominator=pl.lit(denominator))
            if keys
            else pl.DataFrame({"denominator": [denominator]})
        )
    else:
        den = as_polars(denominator, "denominator")
        require_columns(den, [*keys, "denominator"], "denominator")
        den = den.select(*keys, "denominator")

    if keys:
        out = _join_by_group(out, den, unk, keys, heads_are_den=denominator is None)
    else:
        out = out.join(den, how="cross").join(unk, how="cross")
        out = out.sort("offences", descending=True, maintain_order=True)
    out = out.with_columns(pl.col("unknown").fill_null(0)).rename({"value": category})

    x = _numeric(out, "offences", "shares")
    n = _numeric(out, "denominator", "shares")
    pi = _core.wilson_ci(x, n, levels)
    value, lowers, uppers = pi.value, pi.lower, pi.upper
    cols = [pl.Series("value", value * per_f, nan_to_null=True)]
    for c, lo, hi in zip(levels, lowers, uppers, strict=True):
        sfx = confidence_suffix(c)
        cols += [
            pl.Series(f"lower_{sfx}", lo * per_f, nan_to_null=True),
            pl.Series(f"upper_{sfx}", hi * per_f, nan_to_null=True),
        ]
    note_group = (
        "sum of member counts: an offence naming several members is counted more than once"
        if multi_response
        else "sum of member counts"
    )
    left_out = pl.col("suppressed_cells") + pl.col("missing_cells")
    partial = pl.format(
        "{} suppressed or not provided cell(s) left out: the count is a lower bound", left_out
    )
    note = _first_note(
        out,
        [  # (when, note): the first that holds gives a row its note
            (pl.col("offences").is_null(), "every cell suppressed or not provided: count unknown"),
            (pl.col("denominator").is_null(), "no denominator for this group"),
            (pl.col("offences") > pl.col("denominator"), "count exceeds denominator: no share"),
            (
                pl.col("members").is_not_null() & (left_out > 0),
                pl.concat_str(pl.lit(note_group + "; "), partial),
            ),
            (pl.col("members").is_not_null(), note_group),
            (left_out > 0, partial),
        ],
    )
    out = out.with_columns(
        cols,
        method=pl.lit("Wilson"),
        multi_response=pl.lit(multi_response),
        note=note,
    )
    lead = [*keys, category, "members", "offences", "denominator"]
    stats_cols = ["value"] + [
        f"{side}_{confidence_suffix(c)}" for c in levels for side in ("lower", "upper")
    ]
    tail = ["method", "multi_response", "unknown", "suppressed_cells", "missing_cells", "note"]
    result: pl.DataFrame = out.select([*lead, *stats_cols, *tail])
    return result.rename({"offences": count}) if count != "offences" else result


def _is_unknown(d: pl.DataFrame, label: pl.Expr, unknown: Sequence[str]) -> pl.Expr:
    """Rows whose label means "not recorded": matched on the distinct labels, not every row."""
    unknown_set = [u.strip().lower() for u in unknown]
    labels = d.select(label.unique()).to_series()
    spellings = labels.filter(labels.str.strip_chars().str.to_lowercase().is_in(unknown_set))
    if spellings.len() == 0:  # no unknown label: a null label stays null, as is_in gives
        return pl.when(label.is_null()).then(None).otherwise(pl.lit(False))
    return label.is_in(spellings.to_list())


def _per_category(
    rows: pl.DataFrame, gk: list[str], summed: list[str], agg: list[pl.Expr]
) -> pl.DataFrame:
    """One row per ``gk`` group: the aggregates ``agg`` (sums of the ``summed`` columns).

    When every ``gk`` group is a single row (checked on a hash of the rows; a hash collision
    only sends the data the long way round) a group's sums are its one row's values, so the
    group-by is skipped.
    """
    h = rows.select(gk).hash_rows()
    if h.n_unique() < h.len():
        return rows.group_by(gk, maintain_order=True).agg(agg)
    grouped = rows.head(0).group_by(gk).agg(agg)  # the group-by's column types, on no rows
    return rows.select(*gk, *summed).cast(dict(grouped.schema))  # type: ignore[arg-type]


def _join_by_group(
    out: pl.DataFrame, den: pl.DataFrame, unk: pl.DataFrame, keys: list[str], *, heads_are_den: bool
) -> pl.DataFrame:
    """``out`` with its by group's ``denominator`` and ``unknown``, sorted by the ``keys`` and
    then by offences (largest first).

    The two are joined onto one row per by group (``heads``), which is sorted and numbered, and
    then onto every row at once, so that the sort of every row is on that number, not on the
    (text) keys. A row whose key is null gets no denominator (as a join never matches null).
    """
    if heads_are_den:  # the denominator was summed over out's own rows: one row per by group
        heads = den
    else:
        heads = out.select(keys).unique().join(den, on=keys, how="left")
    if unk.height:
        heads = heads.join(unk, on=keys, how="left")
    else:
        heads = heads.with_columns(unknown=pl.lit(None, unk.schema["unknown"]))
    heads = heads.sort(keys).with_row_index("_group")
    null_key = pl.any_horizontal(pl.col(keys).is_null())
    any_null = heads.select(null_key.any()).item()
    if any_null:
        heads = heads.with_columns(
            pl.when(~null_key).then(pl.col(c)) for c in ("denominator", "unknown")
        )
    joined = out.join(heads, on=keys, how="left", nulls_equal=any_null, maintain_order="left")
    return joined.sort(["_group", "offences"], descending=[False, True], maintain_order=True).drop(
        "_group"
    )


def _first_note(out: pl.DataFrame, notes: list[tuple[pl.Expr, str | pl.Expr]]) -> pl.Expr:
    """Each row's note: the first of ``notes`` whose condition holds, else null. When no row of
    ``out`` needs a note the column is null without building a string per row."""
    if not out.select(pl.any_horizontal(when for when, _ in notes).any()).item():
        return pl.lit(None, pl.String)
    chain: Any = pl
    for when, note in notes:
        chain = chain.when(when).then(pl.lit(note) if isinstance(note, str) else note)
    return cast(pl.Expr, chain.otherwise(None))


_PERCENT_OF = re.compile(
    r"^\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*(?:of\s+(?P<base>\d{1,3}(?:,\d{3})+|\d+))?\s*$", re.I
)


def _published_percent(value: Any, name: str) -> tuple[float, int, int | None]:
    """(percent, decimals as published, base or None) from 52, 52.5, "52%" or "52% of 956"."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise GroomstatsError(f"{name}: expected a published percentage, got {value!r}")
    text = value if isinstance(value, str) else repr(value)
    m = _PERCENT_OF.match(text if "%" in text else f"{text}%")
    if m is None:
        raise GroomstatsError(
            f"{name}: {value!r} is not a published percentage (write 52, '52%' or '52% of 956')"
        )
    pct_text = m.group("pct")
    decimals = len(pct_text.split(".")[1]) if "." in pct_text else 0
    if isinstance(value, float) and pct_text.endswith(".0"):
        decimals = 0  # 52.0 as a float is 52 as published
    pct = float(pct_text)
    if pct > 100:
        raise GroomstatsError(f"{name}: {value!r} is above 100%")
    base = int(m.group("base").replace(",", "")) if m.group("base") else None
    return pct, decimals, base


def shares_from_percentages(
    percentages: Mapping[str, Any],
    base: int | None = None,
    *,
    category: str = "platform",
    period: str = "published",
    multi_response: bool = True,
    confidence: Confidence = (0.95, 0.998),
    per: float = 100,
) -> pl.DataFrame:
    """Shares with Wilson limits from published percentages and their base ("52% of 956").

    Each count is rebuilt as the whole number nearest ``percent / 100 * base``; every count
    that the published, rounded percentage allows is given too (``count_min``..``count_max``),
    and ``note`` says how the count was rebuilt, so the rounding is never hidden.

    Parameters
    ----------
    percentages : mapping of str to number or str
        Category -> published percentage: ``52``, ``52.5``, ``"52%"`` or ``"52% of 956"``.
        The number of decimals written is the rounding assumed (``52`` = 51.5 to 52.5).
    base : int, optional
        The number the percentages are of (e.g. offences where the platform was recorded);
        needed unless every percentage carries its own ``"of N"``, which must then agree.
    category : str
        Name of the category column in the result.
    period : str
        Label for the ``period`` column.
    multi_response : bool
        True (default) when one offence can involve several categories, so the percentages
        may sum to more than 100.
    confidence, per
        As in :func:`shares`.

    Returns
    -------
    polars.DataFrame
        The :func:`shares` columns plus ``published_percent``, ``count_min``, ``count_max``
        and ``note``.

    Examples
    --------
    >>> import groomstats
    >>> s = groomstats.shares_from_percentages({"Snapchat": "48%", "Instagram": "13%"}, 500)
    >>> s.select("platform", "offences", "count_min", "count_max").rows()
    [('Snapchat', 240, 238, 242), ('Instagram', 65, 63, 67)]
    """
    if not isinstance(percentages, Mapping) or not percentages:
        raise GroomstatsError(
            "percentages: expected a non-empty mapping of category to published percentage"
        )
    parsed = {str(k): _published_percent(v, f"percentages[{k!r}]") for k, v in percentages.items()}
    bases = {b for _, _, b in parsed.values() if b is not None}
    if base is not None:
        if isinstance(base, bool) or not isinstance(base, int) or base <= 0:
            raise GroomstatsError(f"base must be a positive whole number, got {base!r}")
        bases.add(base)
    if not bases:
        raise GroomstatsError("percentages need their base: pass base=956 or write '52% of 956'")
    if len(bases) > 1:
        raise GroomstatsError(
            f"the percentages give different bases ({', '.join(str(b) for b in sorted(bases))}): "
            "shares of different totals cannot be put in one table"
        )
    n = bases.pop()
    rows = []
    for value, (pct, decimals, _) in parsed.items():
        half = 0.5 * 10.0 ** (-decimals)
        lo = max(0, math.ceil((pct - half) / 100 * n - 1e-9))
        hi = min(n, math.floor((pct + half) / 100 * n + 1e-9))
        exact = lo <= hi
        if not exact:
            # no whole count of the base rounds to the published figure (a different base or
            # rounding was used): keep the two nearest counts, and say so
            lo, hi = math.floor(pct / 100 * n), math.ceil(pct / 100 * n)
        count = min(max(round(pct / 100 * n), lo), hi)
        rows.append((value, pct, count, lo, hi, exact))
    label = "__published_base__"
    breakdown = pl.DataFrame(
        {
            "period": [period] * (len(rows) + 1),
            "category": [category] * (len(rows) + 1),
            "value": [r[0] for r in rows] + [label],
            "offences": [r[2] for r in rows] + [n],
            "suppressed": [False] * (len(rows) + 1),
        },
        schema_overrides={"offences": pl.Int64},
    )
    out = shares(
        breakdown,
        category,
        by="period",
        denominator=label,
        multi_response=multi_response,
        confidence=confidence,
        per=per,
    )
    extra = pl.DataFrame(
        {
            category: [r[0] for r in rows],
            "published_percent": [r[1] for r in rows],
            "count_min": [r[3] for r in rows],
            "count_max": [r[4] for r in rows],
            "_rebuilt": [
                f"count rebuilt from {r[1]:g}% of {n:,}: {r[2]:,}"
                + _rounding_note(n, r[1], r[3], r[4], exact=r[5])
                for r in rows
            ],
        },
        schema_overrides={"count_min": pl.Int64, "count_max": pl.Int64},
    )
    joined = out.join(extra, on=category, how="left", maintain_order="left")
    note = (
        pl.when(pl.col("note").is_null() | (pl.col("note") == ""))
        .then(pl.col("_rebuilt"))
        .otherwise(pl.concat_str([pl.col("note"), pl.lit("; "), pl.col("_rebuilt")]))
        if "note" in joined.columns
        else pl.col("_rebuilt")
    )
    return joined.with_columns(note.alias("note")).drop("_rebuilt")


def _rounding_note(n: int, pct: float, lo: int, hi: int, *, exact: bool) -> str:
    """What the published rounding allows for a rebuilt count."""
    if not exact:
        return (
            f" (no whole count of {n:,} rounds to {pct:g}%: the publisher's base or rounding "
            f"differs; {lo:,} to {hi:,} are the nearest)"
        )
    return f" (any of {lo:,} to {hi:,} rounds to {pct:g}%)" if lo != hi else ""

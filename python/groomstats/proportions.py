"""Shares of a categorical breakdown (e.g. platform) with Wilson score limits, over the offences
*where the category was recorded* (:func:`shares`).

The module is named ``proportions`` so that it never shadows the function
``groomstats.shares``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from groomstats import _core
from groomstats._args import Confidence, check_per, confidence_levels, confidence_suffix
from groomstats._util import as_polars, require_columns, suggest
from groomstats.exceptions import DataFormatError, GroomstatsError
from groomstats.intervals import _numeric

__all__ = ["UNKNOWN_LABELS", "shares"]


#: Labels treated as "category not recorded" by :func:`shares` (matched case-insensitively).
UNKNOWN_LABELS = ("unknown", "not known", "not recorded", "no method recorded", "none recorded")


def shares(
    df: Any,
    category: str = "platform",
    *,
    by: str | Sequence[str] = "period",
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
    df
        The breakdown frame (polars or pandas).
    category
        Which breakdown, e.g. ``"platform"``, ``"age_band"``, ``"gender"``.
    by
        Columns to compute shares within (default ``"period"``: all forces pooled per
        period). Use ``["force", "period"]`` for each force, ``[]`` for everything pooled.
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
    df = as_polars(df, "shares")
    levels = confidence_levels(confidence)
    per_f = check_per(per)
    keys = [by] if isinstance(by, str) else list(by)
    require_columns(df, ["category", "value", "offences", "suppressed", *keys], "shares")
    if category in keys or category in ("members", "offences", "denominator"):
        raise GroomstatsError(f"category={category!r} clashes with an output column name")
    cats = sorted({str(c) for c in df.get_column("category").drop_nulls().unique().to_list()})
    if category not in cats:
        hint = suggest(category, cats)
        extra = f" — did you mean '{hint}'?" if hint else ""
        raise GroomstatsError(f"category={category!r} is not in the frame (has {cats}){extra}")
    if not df.schema["offences"].is_integer() and not df.schema["offences"].is_float():
        raise DataFormatError(
            f"shares: column 'offences' must be numeric, got {df.schema['offences']}"
        )

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
    unknown_set = [u.strip().lower() for u in unknown]
    label = pl.col("value").cast(pl.String)
    is_unknown = label.str.strip_chars().str.to_lowercase().is_in(unknown_set)
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
    known = pl.col("offences").filter(pl.col("offences").is_not_null())
    agg = [
        # every cell suppressed or not provided -> unknown count (null), never 0
        pl.when(known.count() > 0).then(known.sum()).otherwise(None).alias("offences"),
        pl.col("suppressed").sum().cast(pl.UInt32).alias("suppressed_cells"),
        (pl.col("offences").is_null() & ~pl.col("suppressed"))
        .sum()
        .cast(pl.UInt32)
        .alias("missing_cells"),
    ]
    gk = [*keys, "value"]
    per_cat = (
        cat_rows.group_by(gk, maintain_order=True)
        .agg(agg)
        .with_columns(members=pl.lit(None, pl.String))
    )

    frames = [per_cat]
    present = {str(v) for v in cat_rows.get_column("value").unique().to_list()}
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
        out = out.join(den, on=keys, how="left", maintain_order="left").join(
            unk, on=keys, how="left", maintain_order="left"
        )
    else:
        out = out.join(den, how="cross").join(unk, how="cross")
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
    note = (
        pl.when(pl.col("offences").is_null())
        .then(pl.lit("every cell suppressed or not provided: count unknown"))
        .when(pl.col("denominator").is_null())
        .then(pl.lit("no denominator for this group"))
        .when(pl.col("offences") > pl.col("denominator"))
        .then(pl.lit("count exceeds denominator: no share"))
        .when(pl.col("members").is_not_null() & (left_out > 0))
        .then(pl.concat_str(pl.lit(note_group + "; "), partial))
        .when(pl.col("members").is_not_null())
        .then(pl.lit(note_group))
        .when(left_out > 0)
        .then(partial)
        .otherwise(None)
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
    result: pl.DataFrame = out.select([*lead, *stats_cols, *tail]).sort(
        [*keys, "offences"], descending=[*([False] * len(keys)), True], maintain_order=True
    )
    return result

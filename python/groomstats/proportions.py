"""Shares of a categorical breakdown (e.g. platform) with Wilson score limits, over the offences
*where the category was recorded* (:func:`shares`).

The module is named ``proportions`` so that it never shadows the function
``groomstats.shares``.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import Any, cast

import numpy as np
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
from groomstats._util import as_polars, require_columns, suggest, text_numbers_fix
from groomstats.exceptions import DataFormatError, GroomstatsError
from groomstats.intervals import _numeric
from groomstats.io._totals import TOTAL_LABELS

__all__ = ["UNKNOWN_LABELS", "shares", "shares_from_percentages"]


#: Labels treated as "category not recorded" by :func:`shares` (matched case-insensitively).
UNKNOWN_LABELS = ("unknown", "not known", "not recorded", "no method recorded", "none recorded")


#: Words of a label that may mean "not recorded" without being one of ``unknown``'s labels
#: (``'Unknown gender'``, ``'Not stated'``): read either way, the denominator differs.
_UNKNOWN_WORDS = r"\b(unknown|not known|not recorded|unrecorded|not stated|missing)\b"


def _refuse_blank_or_respelled(labels: pl.Series, category: str, rows: pl.DataFrame) -> None:
    """A row of the category with no label, or one label written two ways ('Female' and
    'female ', its share split in two), is refused: dropped, a row's offences would vanish
    from the denominator; kept, a blank would be a category without a name. ``labels`` are
    the distinct labels (or a superset of them); ``rows`` the category's rows, to name one."""
    text = labels if labels.dtype == pl.String else labels.cast(pl.String)
    stripped = text.str.strip_chars()
    if text.null_count() or (stripped == "").any():
        label = pl.col("value").cast(pl.String)
        bad = rows.with_row_index("__row").filter(label.is_null() | (label.str.strip_chars() == ""))
        first = bad.row(0, named=True)
        raise DataFormatError(
            f"shares: {bad.height} {category} row(s) have no label in column 'value' (first: "
            f"row {first['__row']}, value {first['value']!r}, count {first['offences']!r}). "
            "Two readings: the category was not recorded (label those rows 'Unknown', which is "
            "left out of the denominator and counted in unknown) or the label was lost (fill "
            "it in); left as it is, the row would vanish from the shares or be a category "
            "without a name"
        )
    distinct = text.unique()
    folded = distinct.str.strip_chars().str.to_lowercase()
    if folded.n_unique() == distinct.len():
        return
    seen: dict[str, list[str]] = {}
    for key, spelled in zip(folded.to_list(), distinct.to_list(), strict=True):
        seen.setdefault(key, []).append(spelled)
    twice = sorted(sorted(v) for v in seen.values() if len(v) > 1)
    raise DataFormatError(
        f"shares: the {category} labels {' and '.join(repr(v) for v in twice[0])} differ only "
        "in case or spaces. Two readings: one category written two ways, whose share would be "
        "split in two (write it one way, e.g. pl.col('value').str.strip_chars()), or two "
        "categories (rename one so that they differ in words)"
    )


def _refuse_unknown_looking(
    labels: pl.Series,
    unknown: Sequence[str],
    category: str,
    *,
    explicit: bool,
    rows: pl.DataFrame | None = None,
) -> None:
    """Raise :class:`GroomstatsError` when, with the default ``unknown``, a label of the
    category reads like "not recorded" (``'Unknown gender'``, ``'Not stated'``) without being
    one of those labels: left out of the denominator or counted as a category, its shares
    differ, so the caller chooses (``explicit``: ``unknown=`` was given, the choice made).
    Given the category's ``rows``, a blank label or one written two ways is refused first
    (:func:`_refuse_blank_or_respelled`), whatever ``explicit``."""
    if rows is not None:
        _refuse_blank_or_respelled(labels, category, rows)
    if explicit or labels.len() == 0:
        return
    known = {u.strip().lower() for u in unknown}
    norm = labels.drop_nulls().unique().cast(pl.String)
    folded = norm.str.strip_chars().str.to_lowercase()
    odd = norm.filter(folded.str.contains(_UNKNOWN_WORDS) & ~folded.is_in(list(known)))
    if odd.len() == 0:
        return
    listed = ", ".join(repr(t) for t in sorted(odd.to_list()))
    raise GroomstatsError(
        f"shares: the {category} label(s) {listed} read like 'not recorded' but are not among "
        f"the labels left out of the denominator ({', '.join(repr(u) for u in unknown)}): read "
        "as 'not recorded', they leave the denominator (shares of the offences where the "
        f"{category} was recorded); read as a {category}, they stay in it. Say which: "
        f"unknown=[*groomstats.proportions.UNKNOWN_LABELS, {listed}] to leave them out, or "
        "unknown=groomstats.proportions.UNKNOWN_LABELS to count them as categories"
    )


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
    unknown: Sequence[str] | None = None,
    confidence: Confidence = (0.95, 0.998),
    per: float = 100,
    suppressed: tuple[int, int] = (1, 4),
) -> pl.DataFrame:
    """Shares of a categorical breakdown with Wilson score limits, where the category was recorded.

    Works on the breakdown frame of FOI returns (``force``, ``force_code``, ``period``,
    ``period_start``, ``period_end``, ``category``, ``value``, ``offences``, ``suppressed``).
    The denominator is explicit: offences *where the category was recorded*. Rows labelled
    unknown / not recorded are left out of the denominator and counted in ``unknown``.
    Suppressed cells (``*``) are never dropped silently: each holds between ``suppressed[0]``
    and ``suppressed[1]`` offences (or, with the ``total`` column :func:`read_breakdown` gives
    when the table had a total, the remainder that total implies), so a share with suppressed
    cells in play is a range, ``value_min``..``value_max`` (``value`` is null unless the two
    agree), the Wilson limits are widened to cover the whole range, and the ``note`` says how
    many cells were suppressed. Cells not provided (``N/a``) have no range: they are left
    out, never read as 0, and counted in ``missing_cells``. A two-way breakdown (columns
    ``age_band`` and ``gender``, say) works too: ``category`` names one of its columns and
    ``by`` may name the other. The same cell twice (two rows alike in every column but the
    count, ``suppressed`` and ``total``) is refused: summed, it would be counted twice.

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
        Labels (case-insensitive) meaning "not recorded", left out of the denominator and
        counted in ``unknown``. Default :data:`UNKNOWN_LABELS`; with the default, a label that
        only reads like one (``'Unknown gender'``, ``'Not stated'``) is refused, listing both
        readings: give ``unknown=`` to say which.
    confidence
        Confidence level(s) of the Wilson limits (default 95% and 99.8%).
    per
        Multiplier: 100 (default) gives percentages, 1 proportions.
    suppressed
        The range of offences a suppressed cell may hold, both ends included (default
        ``(1, 4)``: forces suppress counts under 5 and show zeros as ``-``).

    Returns
    -------
    polars.DataFrame
        ``by`` columns, a column named after ``category`` (the label), ``members`` (for
        groups), ``offences`` (the cells shown), ``denominator`` (null when suppressed cells
        leave it uncertain), ``value``, ``value_min``, ``value_max``,
        ``lower_<c>``/``upper_<c>``,
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
    >>> s.select("platform", "offences", "denominator",
    ...          pl.col("value", "value_min", "value_max", "lower_95").round(1))
    shape: (4, 7)
    ┌───────────┬──────────┬─────────────┬───────┬───────────┬───────────┬──────────┐
    │ platform  ┆ offences ┆ denominator ┆ value ┆ value_min ┆ value_max ┆ lower_95 │
    │ ---       ┆ ---      ┆ ---         ┆ ---   ┆ ---       ┆ ---       ┆ ---      │
    │ str       ┆ i64      ┆ i64         ┆ f64   ┆ f64       ┆ f64       ┆ f64      │
    ╞═══════════╪══════════╪═════════════╪═══════╪═══════════╪═══════════╪══════════╡
    │ Snapchat  ┆ 50       ┆ 70          ┆ 71.4  ┆ 71.4      ┆ 71.4      ┆ 59.9     │
    │ Meta      ┆ 17       ┆ 70          ┆ null  ┆ 25.7      ┆ 30.0      ┆ 16.9     │
    │ WhatsApp  ┆ 9        ┆ 70          ┆ 12.9  ┆ 12.9      ┆ 12.9      ┆ 6.9      │
    │ Instagram ┆ 8        ┆ 70          ┆ null  ┆ 12.9      ┆ 17.1      ┆ 6.9      │
    └───────────┴──────────┴─────────────┴───────┴───────────┴───────────┴──────────┘
    >>> s.filter(pl.col("platform") == "Instagram")["note"].item()
    '1 cell(s) suppressed (1-4 each): the share is a range'
    """
    df = as_polars(data, "shares")
    if "category" not in df.columns and "value" not in df.columns and category in df.columns:
        # a two-way breakdown (age_band x gender): the named column is the category
        df = df.with_columns(pl.lit(category).alias("category"), pl.col(category).alias("value"))
    lo, hi = _suppression_range(suppressed)
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
    if "value" in keys:
        raise GroomstatsError(
            "shares: by names 'value', the column of category labels: a share within one "
            "label is always the whole. Group by other columns, e.g. by=['force', 'period']"
        )
    in_category = df.select((pl.col("category") == category).sum()).item()
    if not in_category:
        cats = sorted({str(c) for c in df.get_column("category").drop_nulls().unique().to_list()})
        hint = suggest(category, cats)
        extra = f" — did you mean '{hint}'?" if hint else ""
        raise GroomstatsError(f"category={category!r} is not in the frame (has {cats}){extra}")
    if not df.schema[count].is_integer() and not df.schema[count].is_float():
        raise DataFormatError(
            f"shares: column '{count}' must be numeric, got {df.schema[count]}; "
            + text_numbers_fix(df, count)
        )
    if df.schema["suppressed"] == pl.Null:  # every flag missing: no cell marked suppressed
        df = df.with_columns(pl.col("suppressed").cast(pl.Boolean))
    if df.schema["suppressed"] != pl.Boolean:
        raise DataFormatError(
            f"shares: column 'suppressed' must be true/false (as read_breakdown gives it: true "
            f"where the cell was '*'), got {df.schema['suppressed']}"
        )
    if count != "offences":  # the count column is called offences inside, its own name outside
        df = df.drop("offences", strict=False).rename({count: "offences"})
    _refuse_overlapping_periods(df, keys)
    explicit = unknown is not None  # unknown= given: labels that read like them are categories
    unknown = UNKNOWN_LABELS if unknown is None else unknown

    if keys and not groups and denominator is None and not multi_response:
        every_row = in_category == df.height  # no row of another breakdown (or a null one)
        fast = _contiguous_shares(
            df, category, keys, unknown, levels, per_f, every_row, explicit=explicit
        )
        if fast is not None:
            return fast.rename({"offences": count}) if count != "offences" else fast
    _refuse_repeated_cells(df, category, keys)
    d, cat_rows, out = _cells(
        df,
        category,
        keys,
        groups=groups,
        denominator=denominator,
        multi_response=multi_response,
        unknown=unknown,
        explicit=explicit,
    )
    out = _suppression_bounds(
        out, d, cat_rows, keys, lo, hi, explicit=denominator is not None or multi_response
    )

    # the four corners: the category's suppressed cells at their least / most, and the other
    # categories' at their least / most (a fixed denominator does not move)
    fixed = _numeric(out, "_n_fixed", "shares")
    x_shown, n_shown = _numeric(out, "offences", "shares"), _numeric(out, "denominator", "shares")
    exact = _core.wilson_ci(x_shown, n_shown, levels)
    corners = []  # with no suppressed cell in play every corner is the exact share
    for xc in ("_x_lo", "_x_hi"):
        x = _numeric(out, xc, "shares")
        for oc in ("_o_lo", "_o_hi"):
            n = np.where(np.isnan(fixed), x + _numeric(out, oc, "shares"), fixed)
            corners.append(_core.wilson_ci(x, np.ascontiguousarray(n), levels))
    determined = out.get_column("_determined").to_numpy()

    vmin: np.ndarray = np.fmin.reduce([c.value for c in corners])
    vmax: np.ndarray = np.fmax.reduce([c.value for c in corners])
    point = np.where(determined, exact.value, np.where(vmin == vmax, vmin, np.nan))
    cols = [
        pl.Series("value", point * per_f, nan_to_null=True),
        pl.Series("value_min", vmin * per_f, nan_to_null=True),
        pl.Series("value_max", vmax * per_f, nan_to_null=True),
    ]
    for k, c in enumerate(levels):
        sfx = confidence_suffix(c)
        lower: np.ndarray = np.fmin.reduce([corner.lower[k] for corner in corners])
        upper: np.ndarray = np.fmax.reduce([corner.upper[k] for corner in corners])
        cols += [
            pl.Series(f"lower_{sfx}", lower * per_f, nan_to_null=True),
            pl.Series(f"upper_{sfx}", upper * per_f, nan_to_null=True),
        ]
    note_group = (
        "sum of member counts: an offence naming several members is counted more than once"
        if multi_response
        else "sum of member counts"
    )
    sup = pl.col("suppressed_cells")
    if lo != hi:
        own_text = f" ({lo}-{hi} each): the share is a range"
        other_text = ": the denominator is a range"
    else:  # suppressed=(3, 3): one value, so one share, as exact as that value
        taken = f", each taken as {lo} (suppressed=({lo}, {hi}))"
        own_text = f"{taken}: one share, exact if each holds {lo}"
        other_text = f"{taken}: the denominator is one number"
    sup_note = (
        pl.when(pl.col("_remainder").is_not_null() & (sup > 0))
        .then(
            pl.format(
                "{} cell(s) suppressed: the published total leaves {} for the {} suppressed "
                "cell(s) of the group",
                sup,
                pl.col("_remainder"),
                pl.col("_k_all"),
            )
        )
        .when(sup > 0)
        .then(pl.format("{} cell(s) suppressed{}", sup, pl.lit(own_text)))
        .when((pl.col("_k_all") > 0) & pl.col("_n_fixed").is_null())
        .then(
            pl.format(
                "{} cell(s) suppressed in other categories{}",
                pl.col("_k_all"),
                pl.lit(other_text),
            )
        )
    )
    na_note = pl.when(pl.col("missing_cells") > 0).then(
        pl.format(
            "{} cell(s) not provided left out: the count is a lower bound", pl.col("missing_cells")
        )
    )
    detail = pl.concat_str([sup_note, na_note], separator="; ", ignore_nulls=True)
    detail = pl.when(detail == "").then(None).otherwise(detail)
    if not (out.get_column("_k_all").max() or out.get_column("missing_cells").max()):
        detail = pl.lit(None, pl.String)  # no cell suppressed or missing: no row needs one
    note = _first_note(
        out,
        [  # (when, note): the first that holds gives a row its note
            (pl.col("offences").is_null() & (sup == 0), "every cell not provided: count unknown"),
            (
                pl.col("_n_fixed").is_null() & pl.col("_o_lo").is_null(),
                "no denominator for this group",
            ),
            (pl.col("_x_lo") > pl.col("_n_fixed"), "count exceeds denominator: no share"),
            (
                pl.col("members").is_not_null() & detail.is_not_null(),
                pl.concat_str(pl.lit(note_group + "; "), detail),
            ),
            (pl.col("members").is_not_null(), note_group),
            (detail.is_not_null(), detail),
        ],
    )
    out = out.with_columns(
        cols,
        method=pl.lit("Wilson"),
        multi_response=pl.lit(multi_response),
        note=note,
    )
    lead = [*keys, category, "members", "offences", "denominator"]
    stats_cols = ["value", "value_min", "value_max"] + [
        f"{side}_{confidence_suffix(c)}" for c in levels for side in ("lower", "upper")
    ]
    tail = ["method", "multi_response", "unknown", "suppressed_cells", "missing_cells", "note"]
    result: pl.DataFrame = out.select([*lead, *stats_cols, *tail])
    return result.rename({"offences": count}) if count != "offences" else result


#: Switch for the contiguous-groups short cut of :func:`shares` (tests compare both ways).
_CONTIGUOUS = True


def _contiguous_shares(
    df: pl.DataFrame,
    category: str,
    keys: list[str],
    unknown: Sequence[str],
    levels: list[float],
    per_f: float,
    every_row: bool,
    *,
    explicit: bool = True,
) -> pl.DataFrame | None:
    """What :func:`shares` gives (the count column still called ``offences``), without a
    group-by or join on the text keys, for the common frame: every ``by`` group's rows next to
    each other (as breakdown tables are written), each category once per group, whole counts,
    none negative, suppressed or not provided, no null key or label, no unknown or total label
    (so every share is exact and no row needs a note). The groups are the runs of equal keys
    (found by comparing each row with the one before); the denominators are sums over the runs;
    the runs are sorted on their keys (unless they already come in key order, as tables are
    often written) and the rows within a run on offences, as :func:`_join_by_group` sorts.
    None for any other frame (the long way then gives it, with
    its errors, ranges and notes). ``every_row``: every row of ``df`` is of ``category`` (as
    :func:`shares` counted them), so none need filtering out. ``explicit``: ``unknown`` was
    given, so a label that only reads like "not recorded" is not refused.
    """
    schema = df.schema
    if not _CONTIGUOUS or not schema["offences"].is_integer():
        return None
    plain = (pl.String, pl.Categorical, pl.Enum, pl.Date, pl.Boolean)
    if not all(schema[k].is_integer() or isinstance(schema[k], plain) for k in keys):
        return None  # float keys (NaN) or nested ones: equality as the group-by sees it differs
    d = df if every_row else df.filter(pl.col("category") == category)
    n = d.height
    # the small checks in one pass: a null key, label or count, a negative count, a suppressed
    # cell
    refused = d.select(
        pl.any_horizontal(
            pl.col(*keys, "value", "offences").is_null().any(),
            (pl.col("offences") < 0).any(),
            pl.col("suppressed").any(),
        )
    ).item()
    if refused:
        return None
    # where each run of equal keys starts: row 0 and every row whose keys differ from the row
    # before (each key column compared with itself one row on, as two slices: no copy)
    columns = [d.get_column(k) for k in keys]
    differs = reduce(operator.or_, (c.slice(1) != c.head(n - 1) for c in columns))
    starts = np.concatenate(([0], np.flatnonzero(differs.to_numpy()) + 1, [n])).astype(np.int64)
    # the distinct labels, from the rows whose label differs from the label `step` rows before
    # (and the first `step` rows): a label's first row is always one of them, so none is
    # missed; with `step` the first run's length, a table whose groups list their categories
    # in the same order leaves only the first group's rows to look at
    label = d.get_column("value")
    label = label if label.dtype == pl.String else label.cast(pl.String)
    step = int(starts[1])
    later = label.slice(step)
    candidates = pl.concat([label.head(step), later.filter(later != label.head(n - step))])
    _refuse_unknown_looking(candidates, unknown, category, explicit=explicit, rows=d)
    refused_labels = [u.strip().lower() for u in unknown] + list(TOTAL_LABELS)
    norm = pl.first().unique().str.strip_chars().str.to_lowercase()
    if candidates.to_frame().select(norm.is_in(refused_labels).any()).item():
        return None  # an unknown or total label
    heads = d.select(keys)[starts[:-1]]
    in_key_order = _increasing(heads, keys)
    if in_key_order:  # the runs are already in key order (as tables are written): no sort
        order = np.arange(len(starts) - 1, dtype=np.int64)
    else:
        by_keys = heads.select(pl.arg_sort_by(keys, maintain_order=True)).to_series()
        # two runs with the same keys sit next to each other once sorted: a group's rows are
        # not all together
        if reduce(operator.and_, _next_to_before(heads, keys, by_keys, operator.eq)).any():
            return None
        order = by_keys.to_numpy().astype(np.int64)
    # the runs in key order, the rows of a run by offences (largest first), the denominators
    # and the Wilson limits in one core call; a label twice in a run (equal hashes, perhaps two
    # colliding) sends the frame the long way
    off = d.get_column("offences")
    counts = off.to_numpy()
    runs = _core.shares_in_runs(
        starts,
        order,
        counts if counts.dtype == np.int64 else counts.astype(np.int64),
        label.hash().to_numpy(),
        levels,
        per_f,
    )
    if runs is None:
        return None
    # the long way's types: a sum of counts (Int64 for small integer types), cells as UInt32
    den_type = off.clear().to_frame().select(pl.all().sum()).dtypes[0]
    # no share is missing (NaN) unless a run's total is 0 (every count 0)
    missing = bool((runs.totals == 0).any())
    value = pl.Series("value", runs.value, nan_to_null=missing)
    stats = [value, value.alias("value_min"), value.alias("value_max")]
    for k, c in enumerate(levels):
        sfx = confidence_suffix(c)
        stats += [
            pl.Series(f"lower_{sfx}", runs.lower[k], nan_to_null=missing),
            pl.Series(f"upper_{sfx}", runs.upper[k], nan_to_null=missing),
        ]
    # every output row is an input row (`runs.rows`: runs in key order, counts largest first):
    # its label and count are that row's, gathered (DataFrame.gather is newer than the polars
    # floor, 1.28); so are its keys, unless the runs were in key order already: the keys are
    # then those of the input rows as they stand (a run's rows share them). One select builds
    # the whole output.
    rows = pl.Series(runs.rows)
    zero = pl.lit(0, pl.UInt32)
    return d.select(
        *(pl.col(k) if in_key_order else pl.col(k).gather(rows) for k in keys),
        pl.col("value").gather(rows).alias(category),
        pl.lit(None, pl.String).alias("members"),
        pl.col("offences").gather(rows).cast(den_type),
        pl.Series("denominator", runs.denominators).cast(den_type),
        *stats,
        method=pl.lit("Wilson"),
        multi_response=pl.lit(False),
        unknown=pl.lit(0, den_type),
        suppressed_cells=zero,
        missing_cells=zero,
        note=pl.lit(None, pl.String),
    )


def _next_to_before(
    heads: pl.DataFrame,
    keys: list[str],
    order: pl.Series | None,
    compare: Callable[[pl.Series, pl.Series], pl.Series],
) -> list[pl.Series]:
    """For each key, ``compare(row, row before)`` on every row of ``heads`` but the first (in
    the order ``order`` when given): Series operations, no frame query."""
    out = []
    for k in keys:
        c = heads.get_column(k)
        c = c if order is None else c.gather(order)
        out.append(compare(c.slice(1), c.head(len(c) - 1)))
    return out


def _increasing(heads: pl.DataFrame, keys: list[str]) -> bool:
    """True when every row of ``heads`` comes after the one before in the order
    ``arg_sort_by(keys)`` sorts them (strictly: no two rows alike), so that sort would leave
    them as they are. Only for key types whose comparison operators order values as the sort
    does (text byte by byte, numbers, dates, booleans); False for any other (categoricals)."""
    schema = heads.schema
    if not all(
        schema[k].is_integer() or isinstance(schema[k], (pl.String, pl.Date, pl.Boolean))
        for k in keys
    ):
        return False
    greater = _next_to_before(heads, keys, None, operator.gt)
    equal = _next_to_before(heads, keys[:-1], None, operator.eq)
    # this row's keys, from the last one back, come after the row before's
    after = greater[-1]
    for gt, eq in zip(greater[-2::-1], equal[::-1], strict=True):
        after = gt | (eq & after)
    return bool(after.all())


def _cells(
    df: pl.DataFrame,
    category: str,
    keys: list[str],
    *,
    groups: Mapping[str, Sequence[str]] | None,
    denominator: Any,
    multi_response: bool,
    unknown: Sequence[str],
    explicit: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The category's rows (``d``), those counted in a share (``cat_rows``) and one row per
    ``by`` group and category or group of categories (``out``): its cells' count, suppressed and
    missing cells, the group's denominator and unknown count, sorted as :func:`shares` returns
    them (the long way: any frame)."""
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
    # with a denominator from the sum of the labels recorded, a label that only reads like
    # "not recorded" is refused (``explicit``: unknown= given, the choice made)
    is_unknown = _is_unknown(d, label, unknown, category, explicit or denominator is not None)
    is_total = label == denominator if isinstance(denominator, str) else pl.lit(False)
    d = d.with_columns(_unknown=is_unknown, _total=is_total)

    labels = d.filter(~pl.col("_total")).select(label.unique()).to_series()
    totals = labels.filter(labels.str.strip_chars().str.to_lowercase().is_in(TOTAL_LABELS))
    if totals.len():
        name = totals[0]
        raise GroomstatsError(
            f"shares: the {category} value {name!r} is a total, not a category: counted as one "
            f"it would double the denominator (the issue's 'Total 50%'). Pass "
            f"denominator={name!r} to divide by it, or leave it out (read_breakdown checks "
            "totals against their cells and leaves them out)"
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
        g = (g.group_by(keys).agg(agg) if keys else g.select(agg)).with_columns(
            value=pl.lit(name), members=pl.lit(", ".join(members))
        )
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
        out = _join_by_group(out, den, unk, keys)
    else:
        out = out.join(den, how="cross").join(unk, how="cross")
        out = out.sort("offences", descending=True, nulls_last=True, maintain_order=True)
    out = out.with_columns(pl.col("unknown").fill_null(0)).rename({"value": category})
    return d, cat_rows, out


def _suppression_range(suppressed: Any) -> tuple[int, int]:
    """The ``suppressed=`` range as two whole numbers, checked."""
    ok = (
        isinstance(suppressed, tuple | list)
        and len(suppressed) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in suppressed)
    )
    if not ok or not 0 <= suppressed[0] <= suppressed[1]:
        raise GroomstatsError(
            f"suppressed={suppressed!r}: expected the range a suppressed cell may hold, two "
            "whole numbers low <= high, e.g. (1, 4) for counts under 5"
        )
    return int(suppressed[0]), int(suppressed[1])


def _suppression_bounds(
    out: pl.DataFrame,
    d: pl.DataFrame,
    cat_rows: pl.DataFrame,
    keys: list[str],
    lo: int,
    hi: int,
    *,
    explicit: bool,
) -> pl.DataFrame:
    """Add the count and denominator bounds of every row: ``_x_lo``/``_x_hi`` (the count with
    its suppressed cells at their least / most), ``_n_lo``/``_n_hi`` (the denominator with the
    other categories' suppressed cells at their least / most), ``_determined`` (no suppressed
    cell in play), ``_remainder`` and ``_k_all`` (the group's suppressed cells).

    An explicit denominator is fixed. Without one it is the sum of the categories, so the other
    categories' suppressed cells move it, unless the frame carries the published ``total`` of
    each force and period (no cell not provided, no suppressed unknown cell): then the total
    fixes the denominator and leaves a known remainder for the suppressed cells between them.
    """
    if not cat_rows.select(pl.col("suppressed").any()).item():  # nothing suppressed: exact
        x = pl.col("offences").cast(pl.Float64)
        fixed = pl.col("denominator") if explicit else pl.lit(None)
        return out.with_columns(
            x.alias("_x_lo"),
            x.alias("_x_hi"),
            fixed.cast(pl.Float64).alias("_n_fixed"),
            *[(pl.col("denominator") - x).alias(c) for c in ("_o_lo", "_o_hi")],
            pl.lit(True).alias("_determined"),
            pl.lit(None, pl.Int64).alias("_remainder"),
            pl.lit(0, pl.Int64).alias("_k_all"),
        )
    known = pl.col("offences").fill_null(0)
    group = cat_rows.group_by(keys).agg if keys else cat_rows.select
    agg = group(
        known.sum().alias("_known_all"),
        pl.col("suppressed").sum().cast(pl.Int64).alias("_k_all"),
        (pl.col("offences").is_null() & ~pl.col("suppressed")).sum().alias("_na_all"),
    )
    remainder = _remainder_from_totals(d, keys) if not explicit else None

    def join(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
        if not keys:
            return a.join(b, how="cross", maintain_order="left")
        # a null key matches nothing (no denominator), as in _join_by_group
        return a.join(b, on=keys, how="left", maintain_order="left")

    out = join(out, agg)
    if remainder is not None:
        out = join(out, remainder)
    else:
        out = out.with_columns(
            pl.lit(None, pl.Int64).alias("_remainder"), pl.lit(None, pl.Int64).alias("_total_den")
        )
    k = pl.col("suppressed_cells").cast(pl.Int64)
    k_all = pl.col("_k_all").fill_null(0)
    x = pl.col("offences").fill_null(0)
    others_known = pl.col("_known_all") - x
    others_k = k_all - k
    rem = pl.col("_remainder")
    # with a remainder: each suppressed cell in [lo, hi] and all of them summing to it; when
    # the stated range cannot give that sum, the remainder alone binds (each cell 0..R)
    fits = (rem >= lo * k_all) & (rem <= hi * k_all)
    r_lo = pl.when(fits).then(pl.lit(lo)).otherwise(pl.lit(0))
    r_hi = pl.when(fits).then(pl.lit(hi)).otherwise(rem)
    s_lo = pl.max_horizontal(r_lo * k, rem - r_hi * others_k)
    s_hi = pl.min_horizontal(r_hi * k, rem - r_lo * others_k)
    with_rem = rem.is_not_null()
    x_lo = pl.when(with_rem).then(x + s_lo).otherwise(x + lo * k)
    x_hi = pl.when(with_rem).then(x + s_hi).otherwise(x + hi * k)
    if explicit:
        fixed = pl.col("denominator")
        x_hi = pl.min_horizontal(x_hi, pl.max_horizontal(fixed, x_lo))  # never past the total
    else:
        fixed = pl.when(with_rem).then(pl.col("_total_den")).otherwise(None)
    determined = (k == 0) & (pl.lit(explicit) | with_rem | (k_all == 0))
    out = out.with_columns(
        x_lo.cast(pl.Float64).alias("_x_lo"),
        x_hi.cast(pl.Float64).alias("_x_hi"),
        fixed.cast(pl.Float64).alias("_n_fixed"),
        (others_known + lo * others_k).cast(pl.Float64).alias("_o_lo"),
        (others_known + hi * others_k).cast(pl.Float64).alias("_o_hi"),
        determined.alias("_determined"),
    )
    if not explicit:
        den = pl.when(with_rem).then(pl.col("_total_den")).when(k_all == 0)
        out = out.with_columns(den.then(pl.col("denominator")).otherwise(None).alias("denominator"))
    return out


def _remainder_from_totals(d: pl.DataFrame, keys: list[str]) -> pl.DataFrame | None:
    """Per ``by`` group: the published total's denominator (total less the unknown rows) and
    the remainder it leaves for the suppressed cells; None when the frame has no usable totals
    (no ``total`` column, a row without one, a cell not provided, a suppressed unknown cell)."""
    owners = [c for c in ("force", "period") if c in d.columns]
    if "total" not in d.columns or not owners:
        return None
    known = pl.col("offences").fill_null(0)
    group = d.group_by(keys).agg if keys else d.select
    per = group(
        pl.col("total").is_null().any().alias("_no_total"),
        (pl.col("offences").is_null() & ~pl.col("suppressed")).any().alias("_na"),
        (pl.col("_unknown") & pl.col("suppressed")).any().alias("_sup_unknown"),
        known.sum().alias("_known"),
        known.filter(pl.col("_unknown")).sum().alias("_known_unknown"),
    )
    # each force and period's total once (its first row's)
    firsts = d.group_by([*dict.fromkeys([*keys, *owners])]).agg(pl.col("total").first())
    tot = (
        firsts.group_by(keys).agg(pl.col("total").sum().alias("_t"))
        if keys
        else firsts.select(pl.col("total").sum().alias("_t"))
    )
    per = per.join(tot, on=keys, how="left") if keys else per.join(tot, how="cross")
    rem = pl.col("_t") - pl.col("_known")
    usable = ~pl.col("_no_total") & ~pl.col("_na") & ~pl.col("_sup_unknown") & (rem >= 0)
    return per.select(
        *keys,
        pl.when(usable).then(rem).otherwise(None).cast(pl.Int64).alias("_remainder"),
        pl.when(usable)
        .then(pl.col("_t") - pl.col("_known_unknown"))
        .otherwise(None)
        .cast(pl.Int64)
        .alias("_total_den"),
    )


def _is_unknown(
    d: pl.DataFrame, label: pl.Expr, unknown: Sequence[str], category: str, explicit: bool
) -> pl.Expr:
    """Rows whose label means "not recorded": matched on the distinct labels, not every row
    (which :func:`_refuse_unknown_looking` checks too, unless ``explicit``)."""
    unknown_set = [u.strip().lower() for u in unknown]
    labels = d.select(label.unique()).to_series()
    _refuse_unknown_looking(labels, unknown, category, explicit=explicit, rows=d)
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
    if rows.select(gk).hash_rows().is_duplicated().any():
        return rows.group_by(gk, maintain_order=True).agg(agg)
    grouped = rows.clear().group_by(gk).agg(agg)  # the group-by's column types, on no rows
    return rows.select(*gk, *summed).cast(dict(grouped.schema))  # type: ignore[arg-type]


def _join_by_group(
    out: pl.DataFrame, den: pl.DataFrame, unk: pl.DataFrame, keys: list[str]
) -> pl.DataFrame:
    """``out`` with its by group's ``denominator`` and ``unknown``, sorted by the ``keys`` and
    then by offences (largest first, unknown counts last; ties keep their order).

    One group-by lists each by group's rows (``heads``); the denominator and unknown are joined
    onto those few rows, which are sorted by the keys; the rows are then taken group by group
    in that order and ordered by offences within their group in the core
    (``_core.order_within_groups``), so no sort or join runs over every row on the text keys.
    A row whose key is null gets no denominator (as a join never matches null).
    """
    heads = out.select(keys).with_row_index("_r").group_by(keys).agg(pl.col("_r"))
    heads = heads.join(den, on=keys, how="left")  # null keys never match: no denominator
    if unk.height:
        heads = heads.join(unk, on=keys, how="left")
    else:
        heads = heads.with_columns(unknown=pl.lit(None, unk.schema["unknown"]))
    heads = heads.sort(keys)
    lengths = heads.get_column("_r").list.len().to_numpy().astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    rows = heads.get_column("_r").explode().to_numpy().astype(np.int64)
    offences = out.get_column("offences").gather(rows)
    values = offences.cast(pl.Float64).fill_null(float("nan")).to_numpy().astype(np.float64)
    order = _core.order_within_groups(
        starts, values, offences.is_null().to_numpy(), descending=True
    )
    group_of_row = np.repeat(np.arange(heads.height), lengths)
    per_group = heads.select("denominator", "unknown")[group_of_row]
    return out.drop("denominator", "unknown", strict=False)[rows[order]].hstack(per_group)


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
    bound = re.match(r"^\s*(<|>|less than|under|fewer than|more than|over)\s*[\d.]", text, re.I)
    if m is None and bound is not None:
        raise GroomstatsError(
            f"{name}: {value!r} is a bound, not a published percentage: no count can be "
            "rebuilt from it (a share under 1% of 956 is any of 0 to 9 offences). Leave the "
            "category out and say so (its offences stay in the base), or build the breakdown "
            "with that cell suppressed and its range, then call shares()"
        )
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
        may sum to more than 100. False: percentages whose smallest counts (as their rounding
        allows) add to more than the base are refused, naming both readings (several
        categories per offence, or different bases).
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
    names: dict[str, list[Any]] = {}
    for k in percentages:
        names.setdefault(str(k), []).append(k)
    twice = {n: ks for n, ks in names.items() if len(ks) > 1}
    if twice:
        name, keys = next(iter(twice.items()))
        raise GroomstatsError(
            f"percentages: the categories {' and '.join(repr(k) for k in keys)} are both "
            f"{name!r} once written as text, so one would replace the other: give each "
            "category once, under one spelling"
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
    least = sum(r[3] for r in rows)
    if not multi_response and least > n:
        total = math.fsum(r[1] for r in rows)
        raise GroomstatsError(
            f"the percentages add to {total:g}%: with multi_response=False (each offence in one "
            f"category) their counts would add to at least {least:,} of {n:,}, more than the "
            "published rounding allows. Two readings: one offence can fall in several "
            "categories (pass multi_response=True), or the percentages are of different "
            "bases (give each its own, '52% of 956', in separate calls)"
        )
    label = "__published_base__"
    breakdown = pl.DataFrame(
        {
            "period": [period] * (len(rows) + 1),
            "category": [category] * (len(rows) + 1),
            "value": [r[0] for r in rows] + [label],
            "offences": [r[2] for r in rows] + [n],
            "suppressed": [False] * (len(rows) + 1),
        },
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
    # the published figures beside each category's row (shares() gives every category once)
    position = {r[0]: i for i, r in enumerate(rows)}
    extra = pl.DataFrame(
        {
            "published_percent": [r[1] for r in rows],
            "count_min": [r[3] for r in rows],
            "count_max": [r[4] for r in rows],
            "_rebuilt": [
                f"count rebuilt from {r[1]:g}% of {n:,}: {r[2]:,}"
                + _rounding_note(n, r[1], r[3], r[4], exact=r[5])
                for r in rows
            ],
        },
    )[[position[v] for v in out.get_column(category).to_list()]]
    # shares() writes no note on the rebuilt table (no suppressed, unknown or missing cell, no
    # count above the base); one it did write would come first
    note = pl.concat_str([pl.col("note"), pl.col("_rebuilt")], separator="; ", ignore_nulls=True)
    return out.hstack(extra).with_columns(note.alias("note")).drop("_rebuilt")


def _rounding_note(n: int, pct: float, lo: int, hi: int, *, exact: bool) -> str:
    """What the published rounding allows for a rebuilt count."""
    if not exact:
        return (
            f" (no whole count of {n:,} rounds to {pct:g}%: the publisher's base or rounding "
            f"differs; {lo:,} to {hi:,} are the nearest)"
        )
    return f" (any of {lo:,} to {hi:,} rounds to {pct:g}%)" if lo != hi else ""


def _refuse_repeated_cells(df: pl.DataFrame, category: str, keys: Sequence[str]) -> None:
    """The same cell twice (two rows of ``category`` alike in every column but the count,
    ``suppressed`` and ``total``: e.g. Snapchat 5 for one force and period, twice) would be
    summed and its offences counted twice: refused, naming the rows, the cell and the fix.
    Rows that differ in any other column (another force, period or the other category of a
    two-way table) are separate cells, and pooling them is what ``by`` asks for. The short cut
    for groups in runs never reaches here with such a frame: a label twice in a run sends it
    the long way."""
    rows = df.with_row_index("_row").filter(pl.col("category") == category)
    counted = ("_row", "offences", "suppressed", "total")
    # (a column of Python objects cannot be compared, so it cannot tell rows apart either)
    identity = [c for c, t in rows.schema.items() if c not in counted and t != pl.Object]
    repeated = rows.select(pl.struct(identity).is_duplicated()).to_series()
    if not repeated.any():
        return
    first = rows.filter(repeated).row(0, named=True)
    same = rows.filter(pl.all_horizontal(pl.col(c).eq_missing(first[c]) for c in identity))
    named = [c for c in dict.fromkeys([*keys, "force", "period", "value"]) if c in identity]
    cell = ", ".join(f"{c} {first[c]!r}" for c in named or identity)
    counts = ", ".join(
        "*" if sup else str(n) for n, sup in same.select("offences", "suppressed").rows()
    )
    where = ", ".join(str(r) for r in same.get_column("_row").to_list())
    raise DataFormatError(
        f"shares: the {category} cell {cell} appears {same.height} times (rows {where} of the "
        f"frame, counting from 0; offences {counts}): summed, its offences would be counted "
        "more than once. Keep one row per cell (data.unique() drops exact copies), or add a "
        "column that tells the rows apart (e.g. the source of each)"
    )


def _refuse_overlapping_periods(df: pl.DataFrame, keys: Sequence[str]) -> None:
    """Rows of one force pooled into one share whose periods overlap without being the same
    (``2023/24`` and calendar ``2023``, read from one file) would count its offences of the
    months they share twice: refused, naming the force and both periods."""
    if "period" in keys or not {"period_start", "period_end"} <= set(df.columns):
        return
    group = [k for k in keys if k not in ("period_start", "period_end")]
    if "force" in df.columns and "force" not in group:
        group.append("force")
    spans = (
        df.select(*group, "period_start", "period_end")
        .drop_nulls(["period_start", "period_end"])
        .unique()
        .sort([*group, "period_start", "period_end"], nulls_last=True)
    )
    prev = [pl.col(c).shift(1) for c in ("period_start", "period_end")]
    if group:
        prev = [p.over(group) for p in prev]
    hit = spans.with_columns(prev[0].alias("_prev_start"), prev[1].alias("_prev_end")).filter(
        pl.col("_prev_end").is_not_null() & (pl.col("period_start") <= pl.col("_prev_end"))
    )
    if hit.height == 0:
        return
    row = hit.row(0, named=True)
    where = ", ".join(f"{k} {row[k]!r}" for k in group) or "the rows"
    raise DataFormatError(
        f"shares: {where} has rows for periods that overlap without being the same "
        f"({row['_prev_start']}..{row['_prev_end']} and {row['period_start']}.."
        f"{row['period_end']}, e.g. a calendar year and a financial year): pooled into one "
        "share they would count the offences of the months they share twice. Keep one "
        "series of periods, or pass by='period' for a share per period"
    )

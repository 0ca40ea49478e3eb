"""Total rows and columns of FOI tables: recognised, checked against their parts, left out.

A published table often carries its own totals (a ``Total`` row under the categories, a
``Totals`` column beside them, an ``England and Wales`` row under the forces). Kept as a
category, a total doubles the denominator of every share (the issue's ``Total`` 50%, Snapchat
31.25% where the right share was 62.5%). :func:`check_totals` takes the long frame of a
breakdown (one entry per cell, totals flagged per dimension), checks each total against the
sum of the cells it totals, and returns the cells without the totals, with each cell's
published total beside it (for one-way tables) so that the remainder a total implies for
suppressed cells can be used later (:func:`groomstats.shares`).
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import polars as pl

from groomstats._util import _where
from groomstats.exceptions import TotalMismatchWarning

__all__ = [
    "TOTAL_LABELS",
    "area_total_labels",
    "check_totals",
    "is_total_label",
    "warn_mismatches",
]

#: Labels of total rows, columns and category values (matched case-insensitively).
TOTAL_LABELS = ("total", "totals", "all", "grand total", "overall", "overall total")


@lru_cache(maxsize=1)
def area_total_labels() -> tuple[str, ...]:
    """Lower-cased region and nation names that are not also a force's name (``West
    Midlands`` is a force in the Home Office tables): rows so named total their forces.

    Examples
    --------
    >>> "london" in area_total_labels(), "west midlands" in area_total_labels()
    (True, False)
    """
    from groomstats.areas import _force_frame

    ref = _force_frame()
    forces = {str(f).lower() for f in ref.get_column("force")}
    names = {str(r).lower() for r in ref.get_column("region").drop_nulls()} | {"england", "wales"}
    return tuple(sorted(names - forces))


def area_of_forces(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (with ``force_code``) with ``_reg`` and ``_nat``: the lower-cased region and
    nation of each force, for checking region and nation totals."""
    from groomstats.areas import _force_frame

    regions = (
        _force_frame()
        .select("force_code", pl.col("region").str.to_lowercase().alias("_reg"))
        .drop_nulls("force_code")
    )
    return frame.join(regions, on="force_code", how="left", maintain_order="left").with_columns(
        pl.when(pl.col("force_code").str.starts_with("E"))
        .then(pl.lit("england"))
        .when(pl.col("force_code").str.starts_with("W"))
        .then(pl.lit("wales"))
        .alias("_nat")
    )


def warn_mismatches(
    mismatches: list[str],
    what: str,
    kept: str,
    notes: list[str],
    stacklevel: int,
    shown: int = 3,
) -> None:
    """Totals that are not the sum of their parts: each in ``notes`` ("total mismatch: ...")
    and one :class:`TotalMismatchWarning` naming the first ``shown``, ``what`` saying which
    totals ("total row(s)") and ``kept`` what is kept as published."""
    if not mismatches:
        return
    notes.extend(f"total mismatch: {m}" for m in mismatches)
    warnings.warn(
        f"{len(mismatches)} {what} do not add up: "
        + "; ".join(mismatches[:shown])
        + ("; ..." if len(mismatches) > shown else "")
        + f". {kept}",
        TotalMismatchWarning,
        stacklevel=stacklevel + 1,
    )


def is_total_label(expr: pl.Expr) -> pl.Expr:
    """True where a label names a total (``Total``, ``Totals``, ``All``, ``Grand total``)."""
    return expr.cast(pl.String).str.strip_chars().str.to_lowercase().is_in(list(TOTAL_LABELS))


def _describe(row: dict[str, object], dims: list[tuple[str, str]]) -> str:
    parts = [str(row["period"])] if row.get("period") and not row.get("_totperiod") else []
    for col, name in dims:
        v = row.get(col)
        if v is None or row.get(f"_tot{col}"):
            continue
        if col == "_fkey":
            parts.insert(0, str(v))
        else:
            parts.append(f"{name} '{v}'")
    return " ".join(parts) or "the table"


def check_totals(
    long: pl.DataFrame,
    dims: list[tuple[str, str]],
    label: str,
    notes: list[str],
    *,
    one_way: bool,
) -> pl.DataFrame:
    """Check every total entry against its parts; return the parts with a ``total`` column.

    ``long`` has ``period``, the dimension columns of ``dims`` (``(column, name)``; ``_fkey``
    is the force), a Boolean ``_tot<column>`` per dimension, ``offences`` (null when
    suppressed or not provided), ``suppressed``, ``_row``, ``_column``, ``_sheet``. A total
    whose parts hold no unknown cell must equal their sum (else a :class:`TotalMismatchWarning`
    with both figures); with suppressed cells the remainder they hold between them is noted
    (and a negative remainder warned). ``total`` holds, for one-way tables, the published total
    of the cell's force and period (null without one).
    """
    flags = [f"_tot{c}" for c, _ in dims]
    any_total = pl.any_horizontal(flags) if flags else pl.lit(False)
    totals = long.filter(any_total)
    parts = long.filter(~any_total)
    if totals.height == 0:
        return parts.with_columns(pl.lit(None, pl.Int64).alias("total"))
    checked = 0
    remainders: list[str] = []
    mismatches: list[str] = []
    for pattern in totals.select(flags).unique(maintain_order=True).iter_rows():
        summed = [c for (c, _), f in zip(dims, pattern, strict=True) if f]
        fixed = [] if any(c == "period" for c, _ in dims) else ["period"]
        keys = [*fixed, *[c for c, _ in dims if c not in summed]]
        these = totals.filter(
            pl.all_horizontal([pl.col(f) == v for f, v in zip(flags, pattern, strict=True)])
        )
        sums = parts.group_by(keys).agg(
            pl.col("offences").sum().alias("_known"),
            pl.col("suppressed").sum().alias("_k_sup"),
            (pl.col("offences").is_null() & ~pl.col("suppressed")).sum().alias("_k_na"),
            pl.len().alias("_n"),
        )
        joined = these.join(sums, on=keys, how="left", nulls_equal=True)
        for r in joined.iter_rows(named=True):
            total = r["offences"]
            if total is None or r["_n"] is None:
                continue  # a total suppressed or not provided, or totalling nothing
            checked += 1
            where = _where(label, row=r["_row"], column=r["_column"], sheet=r["_sheet"])
            what = _describe(r, dims)
            known, k_sup, k_na = int(r["_known"] or 0), int(r["_k_sup"]), int(r["_k_na"])
            cells = f"{r['_n']} cell(s)"
            if k_sup == 0 and k_na == 0:
                if known != total:
                    mismatches.append(
                        f"the total {total:,} for {what} ({where}) is not the sum of its "
                        f"{cells}, {known:,}"
                    )
            elif known > total:
                mismatches.append(
                    f"the total {total:,} for {what} ({where}) is less than its {cells} "
                    f"already shown, {known:,}, before {k_sup + k_na} unknown cell(s)"
                )
            else:
                held = " and ".join(
                    w
                    for w in (
                        f"{k_sup} suppressed" * bool(k_sup),
                        f"{k_na} not provided" * bool(k_na),
                    )
                    if w
                )
                remainders.append(
                    f"{what}: {held} cell(s) hold {total - known:,} between them "
                    f"(total {total:,} less {known:,} shown)"
                )
    warn_mismatches(
        mismatches,
        "total(s)",
        "The cells are kept as published; check the table (a revised cell or a total over "
        "other rows)",
        notes,
        stacklevel=4,
        shown=5,
    )
    notes.append(f"{checked} total(s) checked against their cells and left out as categories")
    notes.extend(f"suppressed remainder: {m}" for m in remainders)
    if not one_way:
        return parts.with_columns(pl.lit(None, pl.Int64).alias("total"))
    # one-way tables: each cell's force-and-period total (the category summed)
    cat = next(c for c, _ in dims if c.startswith("_d"))
    others = [f"_tot{c}" for c, _ in dims if c != cat]
    own = (
        totals.filter(pl.col(f"_tot{cat}") & ~pl.any_horizontal(others))
        .select("period", "_fkey", pl.col("offences").alias("total"))
        .unique(subset=["period", "_fkey"], keep="first", maintain_order=True)
    )
    return parts.join(own, on=["period", "_fkey"], how="left", maintain_order="left")

"""Editions of the Home Office tables: the edition date of a file, several files combined without
counting anything twice, and the figures one edition revised (:func:`revisions`).

The Home Office republishes ``prc-pfa-mar2013-onwards-tables-DDMMYY.ods`` every quarter; each
edition revises earlier figures (Derbyshire's April-December 2017 count was 47 when first
published and 46 two years later). The rules, in one place:

* every row carries its ``edition`` (the ``DDMMYY`` date of its file name, or ``edition=``);
* rows of several files that describe the same figure (financial year, quarter, force, offence
  code) are counted once: identical rows, or the same edition read twice, are kept once; of
  different editions the latest wins and the rows it replaced are reported (row accounting
  ``superseded by the edition of ...``);
* two different figures that cannot be ordered (same edition, or an edition unknown) are
  refused, listing both readings.

Examples
--------
>>> edition_from_name("prc-pfa-mar2013-onwards-tables-180719.ods")
datetime.date(2019, 7, 18)
>>> edition_from_name("prc-pfa-mar2013-onwards-tables-2017-18.csv") is None
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from groomstats._util import _where
from groomstats.exceptions import DataFormatError, GroomstatsError

__all__ = ["edition_from_name", "parse_edition", "revisions"]

#: ``-DDMMYY`` at the end of a file name (before its extensions), as the Home Office names them;
#: a browser's mark for a second download of the same file (``-180719 (1).ods``) is allowed.
_DDMMYY = re.compile(r"(?:^|[^0-9])(\d{2})(\d{2})(\d{2})(?:\s*\(\d{1,3}\))?(?:\.[A-Za-z]+)+$")

#: Columns naming one published figure: a figure of one edition replaces the same figure of
#: another. Combined codes (containing '/', e.g. homicide's ``1/4.1/4.10/4.2``) hold several
#: offences, told apart by their description.
FIGURE_KEY = ("financial_year", "quarter", "force", "offence_code")


def edition_from_name(name: str | os.PathLike[str]) -> date | None:
    """The edition date in a Home Office file name (``...-tables-DDMMYY.ods``), or None.

    Parameters
    ----------
    name : str or path
        The file name (or path); only the last component is looked at.

    Returns
    -------
    datetime.date or None
        The date of the ``DDMMYY`` suffix (years 2000-2099), or None when the name has none.

    Examples
    --------
    >>> edition_from_name("data/prc-pfa-mar2013-onwards-tables-210125.xlsx")
    datetime.date(2025, 1, 21)
    >>> edition_from_name("prc-2017-18.csv.gz") is None
    True
    """
    m = _DDMMYY.search(Path(os.fspath(name)).name)
    if m is None:
        return None
    dd, mm, yy = (int(g) for g in m.groups())
    try:
        return date(2000 + yy, mm, dd)
    except ValueError:
        return None


def parse_edition(value: Any, what: str = "edition") -> date | None:
    """An edition given by the user: a date, ``"DDMMYY"`` or ``"YYYY-MM-DD"``, or None.

    Examples
    --------
    >>> parse_edition("180719"), parse_edition("2019-07-18")
    (datetime.date(2019, 7, 18), datetime.date(2019, 7, 18))
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if re.fullmatch(r"\d{6}", text):
                return date(2000 + int(text[4:]), int(text[2:4]), int(text[:2]))
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text)
        except ValueError:
            pass
    raise GroomstatsError(
        f"{what}={value!r} is not an edition date: give a date, 'DDMMYY' as in the Home Office "
        "file names (e.g. '180719' for 18 July 2019) or 'YYYY-MM-DD'"
    )


def _figure_id() -> pl.Expr:
    """One string per published figure: the key columns, plus the description of a combined code."""
    desc = pl.when(pl.col("offence_code").str.contains("/", literal=True)).then(pl.col("offence"))
    return pl.concat_str(
        [pl.col(c).cast(pl.String) for c in FIGURE_KEY] + [desc.otherwise(pl.lit(""))],
        separator="\x1f",
        ignore_nulls=False,
    ).alias("__figure")


def _number_repeats(df: pl.DataFrame, within: str | None) -> pl.DataFrame:
    """Tell apart the rows a file repeats under one figure id (the Home Office writes homicide
    as several rows of the same combined code and description): the k-th such row of one file
    is the same figure as the k-th of another."""
    over = ["__figure", within] if within else ["__figure"]
    occ = pl.int_range(pl.len(), dtype=pl.Int32).over(over)
    return df.with_columns(pl.concat_str([pl.col("__figure"), occ.cast(pl.String)], separator="#"))


def fmt_edition(d: date | None) -> str:
    """``the edition of 18 July 2019`` (or ``an unknown edition``)."""
    return _fmt_edition(d)


def _fmt_edition(d: date | None) -> str:
    return "an unknown edition" if d is None else f"the edition of {d:%-d %B %Y}"


def combine(
    frames: Sequence[pl.DataFrame],
    labels: Sequence[str],
    excluded: dict[str, int],
    notes: list[str],
) -> pl.DataFrame:
    """Stack the frames of several files (each with ``edition``, ``_row``, ``_sheet``) so that
    every published figure is counted once; see the module docstring for the rules."""
    stacked = pl.concat(
        [f.with_columns(pl.lit(i, dtype=pl.Int32).alias("__file")) for i, f in enumerate(frames)],
        how="vertical_relaxed",
    ).with_columns(_figure_id())
    stacked = _number_repeats(stacked, "__file")
    dup = stacked.get_column("__figure").is_duplicated()
    if not dup.any():
        return stacked.drop("__figure", "__file")
    clash = stacked.filter(dup)
    # the latest edition of each figure wins (an unknown edition ranks below every known one)
    best = clash.group_by("__figure").agg(pl.col("edition").max().alias("__best"))
    clash = clash.join(best, on="__figure", how="left")
    winners = clash.filter(pl.col("edition").eq_missing(pl.col("__best")))
    # two readings of the winning edition (or of an unknown one) must agree
    conflict = winners.group_by("__figure").agg(
        pl.col("offences").n_unique().alias("__values"), pl.len().alias("__n")
    )
    bad = conflict.filter(pl.col("__values") > 1)
    if bad.height:
        _refuse_conflict(winners.filter(pl.col("__figure") == bad["__figure"][0]), labels)
    win = winners.group_by("__figure").agg(pl.col("offences").first().alias("__win"))
    unknown_loser = clash.join(win, on="__figure", how="left").filter(
        pl.col("edition").is_null()
        & pl.col("__best").is_not_null()
        & ~pl.col("offences").eq_missing(pl.col("__win"))
    )
    if unknown_loser.height:
        fig = unknown_loser["__figure"][0]
        _refuse_conflict(clash.filter(pl.col("__figure") == fig), labels, unknown=True)
    # keep the first row of the winning edition; drop the rest with their reason
    keep_row = (
        winners.sort("__file", "_row")
        .group_by("__figure", maintain_order=True)
        .first()
        .select("__file", "_row", "_sheet")
        .with_columns(pl.lit(True).alias("__keep"))
    )
    flagged = stacked.join(
        keep_row, on=["__file", "_row", "_sheet"], how="left", nulls_equal=True
    ).with_columns(pl.col("__keep").fill_null(False) | ~dup)
    dropped = flagged.filter(~pl.col("__keep")).join(best, on="__figure", how="left")
    same = dropped.filter(pl.col("edition").eq_missing(pl.col("__best")))
    if same.height:
        why = "read twice: the same figure of the same edition in another file (counted once)"
        excluded[why] = same.height
    older = dropped.filter(~pl.col("edition").eq_missing(pl.col("__best")))
    for (old, new), part in older.group_by(["edition", "__best"], maintain_order=True):
        changed = part.height
        why = f"superseded by {_fmt_edition(new)} ({_fmt_edition(old)} replaced)"
        excluded[why] = excluded.get(why, 0) + changed
    if older.height:
        notes.append(
            f"{older.height:,} row(s) of earlier editions replaced by the latest edition of the "
            "same figure (groomstats.revisions(old, new) lists the figures that changed)"
        )
    return flagged.filter(pl.col("__keep")).drop("__figure", "__file", "__keep")


def _refuse_conflict(rows: pl.DataFrame, labels: Sequence[str], *, unknown: bool = False) -> None:
    readings = "; ".join(
        f"{r['offences']!r} at {_where(labels[r['__file']], row=r['_row'], sheet=r['_sheet'])} "
        f"({_fmt_edition(r['edition'])})"
        for r in rows.sort("__file", "_row").head(4).iter_rows(named=True)
    )
    first = rows.row(0, named=True)
    fix = (
        "say which edition each file is: name it like the Home Office does "
        "('...-tables-DDMMYY.ods') or pass edition=[...], one per file"
        if unknown or first["edition"] is None
        else "two files of the same edition disagree: check that they are both the published "
        "file, or pass edition=[...] to say which is newer"
    )
    raise DataFormatError(
        f"the files give different figures for {first['financial_year']} quarter "
        f"{first['quarter']} {first['force']} offence {first['offence_code']}: {readings}. "
        f"Summing them would count the figure twice and choosing one silently could pick the "
        f"superseded one; {fix}"
    )


def revisions(old: Any, new: Any) -> pl.DataFrame:
    """The figures that changed between two editions: old, new and the difference.

    Parameters
    ----------
    old, new
        Two editions: paths (read with :func:`groomstats.read_prc`) or tidy PRC frames.

    Returns
    -------
    polars.DataFrame
        One row per figure present in both whose count changed (a count that became or stopped
        being available counts as a change): ``financial_year``, ``quarter``, ``force``,
        ``offence_code``, ``offence``, ``old``, ``new``, ``difference`` (null when either is
        missing), ``old_edition``, ``new_edition``; sorted by year, quarter, force and code.
        Figures in only one of the two are not listed (the row reports of the reads say how
        many rows each holds).

    Examples
    --------
    >>> import polars as pl, groomstats
    >>> row = dict(financial_year="2017/18", quarter=1, force="Derbyshire", offence_code="88A",
    ...            offence="Sexual grooming")
    >>> a = pl.DataFrame([{**row, "offences": 47}]).with_columns(quarter=pl.lit(1, pl.Int8))
    >>> b = a.with_columns(offences=pl.lit(46))
    >>> groomstats.revisions(a, b).select("force", "old", "new", "difference").row(0)
    ('Derbyshire', 47, 46, -1)
    """
    from groomstats.io.prc import read_prc

    frames = []
    for side, data in (("old", old), ("new", new)):
        df = read_prc(data) if isinstance(data, str | os.PathLike) else data
        if not isinstance(df, pl.DataFrame):
            raise GroomstatsError(
                f"revisions(): {side} must be a path or a polars DataFrame from read_prc(), "
                f"got {type(df).__name__}"
            )
        missing = [c for c in (*FIGURE_KEY, "offence", "offences") if c not in df.columns]
        if missing:
            raise DataFormatError(
                f"revisions(): the {side} frame lacks column(s) {', '.join(missing)}; "
                "read it with groomstats.read_prc()"
            )
        if "edition" not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.Date).alias("edition"))
        frames.append(
            _number_repeats(df.with_columns(_figure_id()), None).select(
                "__figure",
                *FIGURE_KEY,
                "offence",
                pl.col("offences").alias(side),
                pl.col("edition").alias(f"{side}_edition"),
            )
        )
    a, b = frames
    both = a.join(b.drop(*FIGURE_KEY, "offence"), on="__figure", how="inner", maintain_order="left")
    changed = both.filter(~pl.col("old").eq_missing(pl.col("new")))
    return (
        changed.with_columns((pl.col("new") - pl.col("old")).alias("difference"))
        .select(
            *FIGURE_KEY,
            "offence",
            "old",
            "new",
            "difference",
            "old_edition",
            "new_edition",
        )
        .sort("financial_year", "quarter", "force", "offence_code")
    )

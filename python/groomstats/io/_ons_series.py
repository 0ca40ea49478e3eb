"""The ONS population series shipped with groomstats, summed per police force area.

Two kinds of file, both copies of ONS tables (``groomstats/data/SOURCES.md``):

* children by single year of age (0-17) by local authority district, one file per mid-year
  (mid-2017 to mid-2022), each on the district codes of its own year: districts abolished since
  (mergers inside one force area) are mapped to their force area with the crosswalk
  ``predecessor_lad_to_pfa23.csv``; every district of every year maps to exactly one of the 43
  force areas and the England and Wales total of the file is kept (checked);
* ``MYE4``: all ages by local authority (2023 districts), mid-2011 to mid-2023.

:func:`district_children` and :func:`mye4_all_ages` return the long frame of
:data:`groomstats.io.POPULATION_SCHEMA` plus ``vintage``.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from groomstats._util import _label, _where
from groomstats.exceptions import DataFormatError
from groomstats.io._sheets import _read_csv_strings
from groomstats.io.population import POPULATION_SCHEMA, _force_areas, _read_lookup

__all__ = ["CENSUS_BASED", "FIRST_PUBLISHED", "district_children", "mye4_all_ages"]

#: Vintage of the estimates published before ONS rebased its series on the 2021 Census.
FIRST_PUBLISHED = "first published, before the Census 2021 rebasing"
#: Vintage of estimates based on (or rebased to) the 2021 Census.
CENSUS_BASED = "Census 2021-based"


def _district_map(lookup: Path, crosswalk: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """District code -> force area code (2023 lookup plus abolished districts), and the force
    areas of the lookup matched to the force reference."""
    lk = _read_lookup(lookup, _label(lookup))
    pfa = _force_areas(lk, _label(lookup))
    cw = _read_csv_strings(crosswalk, _label(crosswalk))
    for c in ("lad_code", "pfa23_code"):
        if c not in cw.columns:
            raise DataFormatError(f"{_where(_label(crosswalk))}: missing column '{c}'")
    codes = pl.concat(
        [
            lk.select("lad", "pfa"),
            cw.select(
                pl.col("lad_code").str.strip_chars().alias("lad"),
                pl.col("pfa23_code").str.strip_chars().alias("pfa"),
            ),
        ]
    ).unique(maintain_order=True)
    twice = codes.filter(pl.col("lad").is_duplicated())
    if twice.height:
        raise DataFormatError(
            f"district {twice['lad'][0]!r} maps to two force areas in '{_label(lookup)}' and "
            f"'{_label(crosswalk)}'"
        )
    return codes, pfa


def _whole(df: pl.DataFrame, col: str, label: str) -> pl.Series:
    """A column of whole non-negative numbers written ``123`` or ``123.0``."""
    s = df.get_column(col).str.strip_chars().str.replace(r"\.0+$", "")
    n: pl.Series = s.cast(pl.Int64, strict=False)
    bad = n.is_null() | (n < 0).fill_null(True)
    if bad.any():
        i = int(bad.arg_max() or 0)
        raise DataFormatError(
            f"{_where(label, row=i + 2, column=col)}: population {df[col][i]!r} is not a whole "
            "number >= 0"
        )
    return n


def district_children(
    path: Path, lookup: Path, crosswalk: Path, *, year: int, vintage: str
) -> pl.DataFrame:
    """Children by single year of age (``"0"`` .. ``"17"``) and ``"0-17"`` per force area.

    Raises
    ------
    DataFormatError
        A district in no force area, a row whose ages do not add up to ``age_0_17``, a year that
        does not cover the 43 force areas.
    """
    label = _label(path)
    raw = _read_csv_strings(path, label)
    code = next((c for c in raw.columns if re.fullmatch(r"lad\d{2}_code", c)), None)
    ages = [str(a) for a in range(18)]
    missing = [c for c in ("age_0_17", *ages) if c not in raw.columns]
    if code is None or missing:
        raise DataFormatError(
            f"{_where(label)}: expected columns ladNN_code, age_0_17, 0..17; missing "
            f"{missing or ['ladNN_code']}"
        )
    df = raw.select(
        pl.col(code).str.strip_chars().alias("lad"),
        *[_whole(raw, c, label).alias(c) for c in ("age_0_17", *ages)],
    )
    off = df.filter(pl.sum_horizontal(ages) != pl.col("age_0_17"))
    if off.height:
        raise DataFormatError(
            f"{_where(label)}: district {off['lad'][0]!r}: ages 0..17 do not add up to age_0_17"
        )
    codes, pfa = _district_map(lookup, crosswalk)
    df = df.join(codes, on="lad", how="left")
    lost = df.filter(pl.col("pfa").is_null())
    if lost.height:
        raise DataFormatError(
            f"{_where(label)}: district {lost['lad'][0]!r} is in no police force area of "
            f"'{_label(lookup)}' or the crosswalk '{_label(crosswalk)}'"
        )
    sums = df.group_by("pfa").agg(pl.col("age_0_17", *ages).sum())
    if sums.height != pfa.height or int(sums["age_0_17"].sum()) != int(df["age_0_17"].sum()):
        raise DataFormatError(  # pragma: no cover - the lookup is checked above
            f"{_where(label)}: summed into {sums.height} force areas, expected {pfa.height}"
        )
    long = sums.rename({"age_0_17": "0-17"}).unpivot(
        index="pfa", variable_name="age_band", value_name="population"
    )
    return _finish(long, pfa, year, vintage)


def mye4_all_ages(path: Path, lookup: Path, *, vintage: str) -> pl.DataFrame:
    """All ages per force area for every mid-year of the ``MYE4`` sheet (a CSV of it)."""
    label = _label(path)
    grid = _read_csv_strings(path, label, has_header=False)
    first = grid.get_column(grid.columns[0]).str.strip_chars()
    header_at = first.eq("Code").arg_max()
    if header_at is None or first[header_at] != "Code":
        raise DataFormatError(f"{_where(label)}: no header row starting 'Code'")
    header = [str(v).strip() if v is not None else "" for v in grid.row(header_at)]
    years = {
        i: int(m.group(1)) for i, h in enumerate(header) if (m := re.fullmatch(r"Mid-(\d{4})", h))
    }
    if not years:
        raise DataFormatError(f"{_where(label)}: no 'Mid-YYYY' columns in the header row")
    body = grid.slice(header_at + 1).select(
        pl.col(grid.columns[0]).str.strip_chars().alias("lad"),
        *[pl.col(grid.columns[i]).alias(str(y)) for i, y in years.items()],
    )
    lk = _read_lookup(lookup, _label(lookup))
    pfa = _force_areas(lk, _label(lookup))
    body = body.filter(pl.col("lad").is_in(lk.get_column("lad").implode()))
    if body.height != lk.height:
        raise DataFormatError(
            f"{_where(label)}: {lk.height - body.height} districts of '{_label(lookup)}' missing"
        )
    body = body.with_columns([_whole(body, str(y), label).alias(str(y)) for y in years.values()])
    long = (
        body.join(lk.select("lad", "pfa"), on="lad")
        .unpivot(index=["lad", "pfa"], variable_name="year", value_name="population")
        .group_by("pfa", "year")
        .agg(pl.col("population").sum())
        .with_columns(pl.lit("all ages").alias("age_band"))
    )
    frames = [
        _finish(long.filter(pl.col("year") == str(y)).drop("year"), pfa, y, vintage)
        for y in sorted(years.values())
    ]
    return pl.concat(frames)


def _finish(long: pl.DataFrame, pfa: pl.DataFrame, year: int, vintage: str) -> pl.DataFrame:
    order = {b: i for i, b in enumerate(["all ages", "0-17", *[str(a) for a in range(18)]])}
    return (
        long.join(pfa.select("pfa", "force", "region"), on="pfa", how="left")
        .rename({"pfa": "force_code"})
        .with_columns(pl.lit(year).alias("year"), pl.lit(vintage).alias("vintage"))
        .sort(pl.col("force_code"), pl.col("age_band").replace_strict(order, default=99))
        .select(
            *[pl.col(c).cast(t) for c, t in POPULATION_SCHEMA.items()],
            pl.col("vintage").cast(pl.String),
        )
    )

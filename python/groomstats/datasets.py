"""Real data shipped with groomstats, ready to use.

Every dataset is a copy of a public file (see ``groomstats/data/SOURCES.md``) read through the
package's own readers; :func:`provenance` says where each came from. Frames are cached: call
freely.

Contains public sector information licensed under the Open Government Licence v3.0 (Home
Office; Office for National Statistics).

Examples
--------
>>> from groomstats import datasets
>>> datasets.prc().height
23068
>>> print(datasets.provenance("population").splitlines()[0])
ONS mid-year population estimates by police force area: children by single year of age, ...
"""

from __future__ import annotations

import numbers
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from groomstats import _fetch
from groomstats._popyears import nearest_year, substitution_note, warn_substitutions
from groomstats._util import check_option
from groomstats.areas import _force_frame
from groomstats.exceptions import GroomstatsError
from groomstats.io import POPULATION_SCHEMA, read_population, read_prc
from groomstats.io._ons_series import (
    CENSUS_BASED,
    FIRST_PUBLISHED,
    district_children,
    mye4_all_ages,
)

__all__ = [
    "fetch_prc",
    "forces",
    "news_figures",
    "nspcc_national",
    "nspcc_wales",
    "path",
    "platform_shares",
    "population",
    "prc",
    "prc_editions",
    "provenance",
    "victim_facts",
]

_OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Home Office; Office for National Statistics)."
)

_PROVENANCE: dict[str, str] = {
    "prc": (
        "Home Office, Police recorded crime open data tables, police force area level, "
        "2017/18 sheet, all offences (vintage mid-2019), as exported to CSV "
        "(prc-pfa-mar2013-onwards-tables-2017-18.csv).\n" + _OGL
    ),
    "population": (
        "ONS mid-year population estimates by police force area: children by single year of "
        "age, mid-2017 to mid-2022 (district files as first published for mid-2017 to "
        "mid-2020, Census 2021-based from mid-2021; abolished districts mapped to their force "
        "area), mid-2023 (published 15 July 2024, sheet 'MYE2 - Persons'), all ages mid-2011 "
        "to mid-2023 (sheet 'MYE4', Census 2021-based); summed per police force area with the "
        "ONS Open Geography lookup LAD23 -> CSP23 -> PFA23 (December 2023). Sources per file in "
        "groomstats/data/SOURCES.md.\n" + _OGL
    ),
    "forces": (
        "Police force areas: ONS codes, names as used by ONS, the Home Office PRC open data and "
        "workforce tables, and regions from the ONS police force area data tables; plus the "
        "non-territorial bodies named in Home Office PRC tables.\n" + _OGL
    ),
    "nspcc_national": (
        "NSPCC Freedom-of-Information figures on sexual communication with a child (s.15A), "
        "national totals by release, as quoted in the pages named per row (source_url)."
    ),
    "nspcc_wales": (
        "NSPCC Freedom-of-Information figures on sexual communication with a child for the four "
        "Welsh forces, 2017/18-2023/24, as quoted in the page named per row (source_url)."
    ),
    "platform_shares": (
        "NSPCC: shares of offences by communication method, where the method was recorded, "
        "by release, as quoted in the pages named per row (source_url)."
    ),
    "victim_facts": (
        "NSPCC: victim age and gender facts by release, as quoted in the pages named per row "
        "(source_url)."
    ),
    "news_figures": (
        "Force-level grooming figures as reported in local news, with their comparison "
        "periods; source per row."
    ),
}


def provenance(name: str) -> str:
    """Return where a shipped dataset comes from (and its licence).

    Parameters
    ----------
    name : {"prc", "population", "forces", "nspcc_national", "nspcc_wales", \
"platform_shares", "victim_facts", "news_figures"}

    Examples
    --------
    >>> "Open Government Licence" in provenance("prc")
    True
    """
    check_option(name, list(_PROVENANCE), "name")
    return _PROVENANCE[name]


#: The raw files shipped in ``groomstats/data``, by the name :func:`path` takes.
_FILES = {
    "prc": "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz",
    "population_sheet": "ons-mye2-persons-mid2023.csv.gz",
    "lad_pfa_lookup": "lad23_csp23_pfa23_lookup_dec2023.csv.gz",
    "forces": "forces.csv",
}


def path(name: str) -> Path:
    """The path of a raw file shipped with groomstats, to read it yourself as a published file.

    Parameters
    ----------
    name : {"prc", "population_sheet", "lad_pfa_lookup", "forces"}
        ``"prc"``: the Home Office police recorded crime table, 2017/18 (CSV, gzip);
        ``"population_sheet"``: the ONS mid-2023 MYE2 persons sheet; ``"lad_pfa_lookup"``: the
        ONS local authority to police force area lookup; ``"forces"``: the force reference.
        Where each comes from: :func:`provenance` and ``data/SOURCES.md``.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> path("prc").name
    'prc-pfa-mar2013-onwards-tables-2017-18.csv.gz'
    """
    check_option(name, list(_FILES), "name")
    return Path(str(resources.files("groomstats").joinpath("data").joinpath(_FILES[name])))


@contextmanager
def _data_path(*parts: str) -> Iterator[Path]:
    ref = resources.files("groomstats").joinpath("data", *parts)
    with resources.as_file(ref) as p:
        yield p


@lru_cache(maxsize=1)
def prc() -> pl.DataFrame:
    """Home Office police recorded crime, 2017/18, every offence and force, as the tidy frame.

    23,068 rows (four quarters, 43 territorial forces plus British Transport Police, Action
    Fraud, CIFAS, UK Finance and Financial Fraud Action UK); read with
    :func:`groomstats.read_prc` from the shipped CSV.

    Examples
    --------
    >>> import polars as pl
    >>> df = prc()
    >>> df.filter(pl.col("offence_code") == "88A", pl.col("territorial"))["offences"].sum()
    4429
    """
    with _data_path("prc-pfa-mar2013-onwards-tables-2017-18.csv.gz") as p:
        return read_prc(p)


#: Shipped children (0-17) by district, per mid-year: file name and vintage.
_CHILD_FILES: dict[int, tuple[str, str]] = {
    2017: ("mye_mid2017_lad21_age0_17.csv.gz", FIRST_PUBLISHED),
    2018: ("mye_mid2018_lad19_age0_17.csv.gz", FIRST_PUBLISHED),
    2019: ("mye_mid2019_lad20_age0_17.csv.gz", FIRST_PUBLISHED),
    2020: ("mye_mid2020_lad21_age0_17.csv.gz", FIRST_PUBLISHED),
    2021: ("mye_mid2021_lad21_age0_17.csv.gz", CENSUS_BASED),
    2022: ("mye_mid2022_lad23_age0_17.csv.gz", CENSUS_BASED),
}
_CHILD_AGES = [str(a) for a in range(18)]
_POP_COLUMNS = [*POPULATION_SCHEMA, "vintage", "note"]


@lru_cache(maxsize=1)
def _children_and_all_ages() -> pl.DataFrame:
    """Children by single year of age and 0-17 (mid-2017 to mid-2023), all ages (mid-2011 to
    mid-2023), per force area: the long frame with ``vintage``."""
    frames = []
    with (
        _data_path("lad23_csp23_pfa23_lookup_dec2023.csv.gz") as lk,
        _data_path("predecessor_lad_to_pfa23.csv.gz") as cw,
    ):
        for y, (file, vintage) in _CHILD_FILES.items():
            with _data_path(file) as p:
                frames.append(district_children(p, lk, cw, year=y, vintage=vintage))
        with _data_path("ons-mye2-persons-mid2023.csv.gz") as wb:
            frames.append(
                read_population(wb, lk, bands=("0-17", *_CHILD_AGES)).with_columns(
                    pl.lit(CENSUS_BASED).alias("vintage")
                )
            )
        with _data_path("ons-mye4-all-ages-mid2011-mid2023.csv.gz") as p:
            frames.append(mye4_all_ages(p, lk, vintage=CENSUS_BASED))
    return pl.concat(frames)


@lru_cache(maxsize=64)
def _band(label: str) -> pl.DataFrame:
    """One age band per force area and every mid-year the shipped files hold it for."""
    table = _children_and_all_ages()
    if label in ("all ages", "0-17"):
        return table.filter(pl.col("age_band") == label)
    lo, hi = _band_ages(label)
    if hi is not None and hi <= 17:
        ages = [str(a) for a in range(lo, hi + 1)]
        return (
            table.filter(pl.col("age_band").is_in(ages))
            .group_by("force_code", "force", "region", "year", "vintage", maintain_order=True)
            .agg(pl.col("population").sum())
            .with_columns(pl.lit(label).alias("age_band"))
            .select(table.columns)
        )
    with (  # beyond 17: the single years of age of mid-2023 only
        _data_path("ons-mye2-persons-mid2023.csv.gz") as wb,
        _data_path("lad23_csp23_pfa23_lookup_dec2023.csv.gz") as lk,
    ):
        out = read_population(wb, lk, bands=(label,))
    return out.with_columns(pl.lit(CENSUS_BASED).alias("vintage"))


def _band_ages(label: str) -> tuple[int, int | None]:
    m = re.fullmatch(r"(\d+)(?:-(\d+)|(\+))?", label)
    if not m:
        raise GroomstatsError(
            f"age_band={label!r} is not 'all ages', 'a-b' (e.g. '0-17'), 'a+' or a single age"
        )
    lo = int(m.group(1))
    hi = None if m.group(3) else int(m.group(2) or lo)
    if hi is not None and hi < lo:
        raise GroomstatsError(f"age_band={label!r} ends before it starts")
    return lo, hi


def _mid_years(year: Any) -> list[int] | None:
    """The mid-years asked for: an integer (numpy's too) or several, each once."""
    if year is None:
        return None
    many = [year] if isinstance(year, numbers.Integral) or isinstance(year, str | float) else year
    try:
        years = list(many)
    except TypeError:
        years = [year]
    ok = all(isinstance(y, numbers.Integral) and not isinstance(y, bool) for y in years)
    if not years or not ok:
        raise GroomstatsError(f"year={year!r} must be a mid-year such as 2017, or several")
    return list(dict.fromkeys(int(y) for y in years))


def population(
    year: int | Sequence[int] | None = None,
    age_band: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """ONS mid-year population per police force area, by mid-year and age band.

    Shipped (``data/SOURCES.md``): children by single year of age, 0-17, mid-2017 to mid-2023
    (districts summed into force areas; districts abolished since mid-2017 mapped with the
    ONS successor); all ages mid-2011 to mid-2023 (the ``MYE4`` sheet); every single year of
    age for mid-2023 only. Each row carries its ``vintage``: mid-2017 to mid-2020 children are
    the estimates as first published, before ONS rebased its series on the 2021 Census;
    mid-2021 onward, and the all-ages series, are Census 2021-based. The step from mid-2020
    to mid-2021 is largely that rebasing, not a real change.

    Parameters
    ----------
    year : int or sequence of int, optional
        Mid-year(s). Default: every year the files hold for each band. A year not held for a
        band is replaced by the nearest one that is: ``year`` is then the year used, ``note``
        says so and a :class:`~groomstats.PopulationYearWarning` is raised.
    age_band : str or sequence of str, optional
        ``"all ages"``, ``"a-b"`` (inclusive), ``"a"`` or ``"a+"``. Default
        ``("all ages", "0-17", "0-15")``.

    Returns
    -------
    polars.DataFrame
        ``force_code``, ``force``, ``region``, ``age_band``, ``population``, ``year``,
        ``vintage``, ``note`` (null unless a year was replaced); 43 rows per year and band.

    Examples
    --------
    >>> import polars as pl
    >>> kids = population(2017, "0-17")
    >>> kids.height, kids["population"].sum(), kids["vintage"][0]
    (43, 12495246, 'first published, before the Census 2021 rebasing')
    >>> df = population(2023)
    >>> df.group_by("age_band").agg(pl.col("population").sum()).sort("age_band").rows()
    [('0-15', 11196865), ('0-17', 12618614), ('all ages', 60854727)]
    >>> sorted(population(age_band="0-17")["year"].unique())
    [2017, 2018, 2019, 2020, 2021, 2022, 2023]
    """
    bands = ["all ages", "0-17", "0-15"] if age_band is None else age_band
    labels = [bands] if isinstance(bands, str) else list(bands)
    if not labels:
        raise GroomstatsError("age_band=() asks for no age band; pass e.g. '0-17'")
    years = _mid_years(year)
    frames: list[pl.DataFrame] = []
    notes: list[str] = []
    seen: set[str] = set()
    for raw in labels:
        if not isinstance(raw, str):
            raise GroomstatsError(f"age_band {raw!r} is not a string like '0-17'")
        label = re.sub(r"\s*([-+])\s*", r"\1", " ".join(raw.split()).lower()).strip()
        if label in seen:  # asked twice: one set of rows, never the same people twice
            continue
        seen.add(label)
        band = _band(label)
        have = sorted(int(y) for y in band["year"].unique())
        if years is None:
            frames.append(band.with_columns(pl.lit(None, pl.String).alias("note")))
            continue
        used_for: dict[int, int] = {}
        for y in years:
            used = nearest_year(y, have)
            if used in used_for:
                raise GroomstatsError(
                    f"year={list(years)!r} (age band {label}): mid-{used_for[used]} and "
                    f"mid-{y} would both use the population of mid-{used} (the files hold "
                    f"mid-{have[0]} to mid-{have[-1]}), so the same people would appear "
                    "twice; ask for each available year once"
                )
            used_for[used] = y
            note = None if used == y else substitution_note(y, used, label, have)
            if note:
                notes.append(note)
            frames.append(
                band.filter(pl.col("year") == used).with_columns(
                    pl.lit(note, pl.String).alias("note")
                )
            )
    warn_substitutions(notes, "datasets.population")
    return pl.concat(frames).select(_POP_COLUMNS)


@lru_cache(maxsize=1)
def forces() -> pl.DataFrame:
    """The police force reference: 43 territorial forces of England and Wales, then the other
    bodies (British Transport Police, the fraud-reporting bodies, Police Scotland, the PSNI).

    Columns ``force`` (canonical name), ``force_code`` (ONS code, null for non-territorial
    bodies), ``region`` (English region or ``Wales``), ``territorial``, ``nation``.

    Examples
    --------
    >>> df = forces()
    >>> df["territorial"].sum(), df.height
    (43, 50)
    >>> df.filter(df["force"] == "Dyfed-Powys").row(0)
    ('Dyfed-Powys', 'W15000004', 'Wales', True, 'Wales')
    """
    return _force_frame()


def _published(file: str) -> pl.DataFrame:
    with _data_path("published", file) as p:
        return pl.read_csv(p, try_parse_dates=True)


@lru_cache(maxsize=1)
def nspcc_national() -> pl.DataFrame:
    """NSPCC national counts of sexual communication with a child, by release.

    One row per published figure: ``area``, ``period_start``, ``period_end``, ``offences``,
    ``forces_reporting``, ``release``, ``source_url``, ``note`` and ``forces_missing`` (the
    forces the note says gave no figures, ``;``-separated). Figures for the same period differ
    between releases (revisions): keep the release.

    Examples
    --------
    >>> df = nspcc_national()
    >>> df.filter(df["period_end"].dt.year() == 2018)["offences"].to_list()[:2]
    [3171, 3217]
    """
    return _published("nspcc_scwc_national.csv")


@lru_cache(maxsize=1)
def nspcc_wales() -> pl.DataFrame:
    """NSPCC FOI counts for the four Welsh forces, 2017/18 to 2023/24 (null = not provided).

    ``complete`` is False for a figure its source says covers only part of the year (the
    ``note`` says which: Dyfed-Powys 2017/18 could only provide six months), so
    :func:`groomstats.trend`, :func:`groomstats.totals` and :func:`groomstats.change` never
    take it for a whole year.

    Examples
    --------
    >>> df = nspcc_wales()
    >>> df.filter(df["financial_year"] == "2023/24")["offences"].sum()
    564
    >>> df.filter(~df["complete"]).select("force", "financial_year", "offences").row(0)
    ('Dyfed-Powys', '2017/18', 19)
    """
    df = _published("nspcc_scwc_wales_forces.csv")
    part = pl.col("note").str.contains(r"(?i)\b(\w+ months?|part of the year)\b period")
    return df.with_columns(complete=~part.fill_null(False))


@lru_cache(maxsize=1)
def platform_shares() -> pl.DataFrame:
    """NSPCC platform shares (percent of offences where the method was recorded), by release.

    Examples
    --------
    >>> df = platform_shares()
    >>> df.filter(df["release"] == "2024-10").select("platform", "share_percent").row(0)
    ('Snapchat', 48.0)
    """
    return _published("nspcc_platform_shares.csv")


@lru_cache(maxsize=1)
def victim_facts() -> pl.DataFrame:
    """NSPCC victim facts (youngest victim, shares by age and gender), by release.

    Examples
    --------
    >>> df = victim_facts()
    >>> df.filter(df["fact"] == "youngest_victim_age")["value"].min()
    2
    """
    return _published("nspcc_victim_facts.csv")


@lru_cache(maxsize=1)
def news_figures() -> pl.DataFrame:
    """Force-level grooming figures as reported in local news, with comparison periods.

    Beside each figure: the comparison figure when one was reported, and the counts the
    report quoted of offences involving given platforms (``platform_offences``,
    ``platform``) or victims of an age group (``age_group_offences``, ``age_group``).

    Examples
    --------
    >>> df = news_figures()
    >>> df.filter(df["force"] == "Northamptonshire").row(0)[4:8]
    (33, datetime.date(2016, 4, 1), datetime.date(2016, 12, 31), 5)
    """
    return _published("news_force_figures.csv")


def prc_editions() -> pl.DataFrame:
    """The Home Office editions groomstats knows, newest first, and the address of each file.

    From ``data/prc_editions.json`` (built from the addresses quoted in public code; the release
    page lists the current edition). ``url`` is null where the file's address is not known:
    pass ``url=`` to :func:`fetch_prc` for those.

    Examples
    --------
    >>> df = prc_editions()
    >>> df.columns
    ['edition', 'released', 'covers', 'url']
    >>> df.filter(df["url"].is_not_null())["edition"][0]
    '300125'
    """
    return pl.DataFrame(
        _fetch.edition_table(),
        schema={"edition": pl.String, "released": pl.String, "covers": pl.String, "url": pl.String},
    ).with_columns(pl.col("released").str.to_date())


def fetch_prc(
    edition: str = "latest",
    *,
    url: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> pl.DataFrame:
    """Download an official Home Office edition (ODS) and read it with :func:`read_prc`.

    The file (``prc-pfa-mar2013-onwards-tables-DDMMYY.ods``, about 13 MB) is downloaded over
    HTTPS with pooch into the user cache directory (or ``cache_dir``), with a progress bar on
    stderr. The SHA256 of the first download is recorded beside it
    (``groomstats-downloads.json``) and checked on every later use: a changed or corrupted
    download raises :class:`~groomstats.CorruptDownloadError` and never replaces the cached copy.

    Parameters
    ----------
    edition : str, default "latest"
        ``"latest"`` (the newest edition whose address is known, see :func:`prc_editions`; a
        warning names any newer one) or a release date ``"DDMMYY"`` such as ``"300125"``.
    url : str, optional
        The file's address, for an edition groomstats does not know (https only; http only
        from this machine).
    cache_dir : path, optional
        Where to keep the download; default the user cache directory (``pooch.os_cache``).
    progress : bool, default True
        Show a progress bar while downloading.

    Returns
    -------
    polars.DataFrame
        As :func:`groomstats.read_prc`.

    Raises
    ------
    DownloadError
        No network or the address failed: the message names the address and how to download
        the file by hand (then ``read_prc(FILE)`` or ``groomstats report --data FILE``).
    CorruptDownloadError
        The download does not match the recorded SHA256, or is not a readable table.
    GroomstatsError
        An unknown edition, or one whose address is not known (pass ``url=``).

    Examples
    --------
    >>> import groomstats
    >>> from groomstats import datasets
    >>> prc = datasets.fetch_prc("latest")  # doctest: +SKIP
    >>> try:
    ...     datasets.fetch_prc("191023")
    ... except groomstats.GroomstatsError as e:
    ...     print(str(e)[:60])
    edition 191023 (released 2023-10-19) is known but the addres
    """
    path, _label, _url, frame = _fetch.fetch_file(
        edition, url, cache_dir, progress=progress, validate=read_prc
    )
    return frame if frame is not None else read_prc(path)

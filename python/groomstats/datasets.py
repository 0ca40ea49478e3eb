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
ONS Mid-Year Population Estimates, England and Wales, mid-2023 (published 15 July 2024), ...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

import polars as pl

from groomstats._util import check_option
from groomstats.areas import _force_frame
from groomstats.io import read_population, read_prc

__all__ = [
    "forces",
    "news_figures",
    "nspcc_national",
    "nspcc_wales",
    "platform_shares",
    "population",
    "prc",
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
        "ONS Mid-Year Population Estimates, England and Wales, mid-2023 (published 15 July "
        "2024), sheet 'MYE2 - Persons', summed per police force area with the ONS Open "
        "Geography lookup LAD23 -> CSP23 -> PFA23 (December 2023).\n" + _OGL
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


@lru_cache(maxsize=1)
def population() -> pl.DataFrame:
    """ONS mid-2023 population per police force area: all ages, 0-17 and 0-15.

    Read with :func:`groomstats.read_population` from the shipped copy of the workbook's
    ``MYE2 - Persons`` sheet and the ONS LAD -> PFA lookup.

    Examples
    --------
    >>> import polars as pl
    >>> df = population()
    >>> df.group_by("age_band").agg(pl.col("population").sum()).sort("age_band").rows()
    [('0-15', 11196865), ('0-17', 12618614), ('all ages', 60854727)]
    """
    with (
        _data_path("ons-mye2-persons-mid2023.csv.gz") as wb,
        _data_path("lad23_csp23_pfa23_lookup_dec2023.csv.gz") as lk,
    ):
        return read_population(wb, lk)


@lru_cache(maxsize=1)
def forces() -> pl.DataFrame:
    """The police force reference: 43 territorial forces, then the non-territorial bodies.

    Columns ``force`` (canonical name), ``force_code`` (ONS code, null for non-territorial
    bodies), ``region`` (English region or ``Wales``), ``territorial``, ``nation``.

    Examples
    --------
    >>> df = forces()
    >>> df["territorial"].sum(), df.height
    (43, 48)
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

    Examples
    --------
    >>> df = nspcc_wales()
    >>> df.filter(df["financial_year"] == "2023/24")["offences"].sum()
    564
    """
    return _published("nspcc_scwc_wales_forces.csv")


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

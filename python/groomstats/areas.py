"""Police forces: the reference list (``data/forces.csv``, embedded in the Rust core) and
matching any published spelling of a force name to it.

This is the one list of forces: the territorial forces, their codes, regions and nations, and
the non-territorial bodies are all read from it.

Examples
--------
>>> import groomstats
>>> groomstats.match_force("Devon & Cornwall Police")
'Devon and Cornwall'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import polars as pl

from groomstats import _core
from groomstats._util import _where
from groomstats.exceptions import (
    DataFormatError,
    GroomstatsError,
    UnknownAreaError,
)

__all__ = [
    "BTP",
    "OTHER_NATIONS",
    "comparator_label",
    "match_force",
    "match_forces",
    "non_territorial_names",
    "other_nation",
    "refuse_repeated_areas",
    "refuse_total_and_repeated_names",
]

#: Canonical name of British Transport Police (counted in a national roll-up on request).
BTP = "British Transport Police"
#: The UK nations outside England and Wales: their forces (Police Scotland, the PSNI) are known
#: by name (NSPCC UK-wide figures name them) but are not territorial forces of England and
#: Wales, and their offences are their own, not 88A.
OTHER_NATIONS = ("Scotland", "Northern Ireland")


@lru_cache(maxsize=1)
def _force_frame() -> pl.DataFrame:
    ref = _core.force_reference()
    code, force, region = ref.force_code, ref.force, ref.region
    nation, territorial = ref.nation, ref.territorial
    return pl.DataFrame(
        {
            "force": force,
            "force_code": code,
            "region": region,
            "territorial": territorial,
            "nation": nation,
        },
        schema={
            "force": pl.String,
            "force_code": pl.String,
            "region": pl.String,
            "territorial": pl.Boolean,
            "nation": pl.String,
        },
    )


def match_force(name: str) -> str:
    """Return the canonical name of a police force from any of its spellings.

    Matching ignores case and punctuation, ``&``/``and``, ``(pfa)`` and a trailing
    ``Police``/``Constabulary``. Non-territorial bodies (British Transport Police, Action
    Fraud, CIFAS, UK Finance, Financial Fraud Action UK) are known too. A force's ONS code
    (``E23000032``, ``W15000002``) names it; any other ONS code is refused (a local
    authority district code is named as one).

    Parameters
    ----------
    name : str
        A force name as written in any Home Office, ONS or FOI product, or its ONS code.

    Returns
    -------
    str
        The canonical name (the Home Office PRC spelling; ``City of London``).

    Raises
    ------
    UnknownAreaError
        The name matches nothing; the message suggests the closest name.

    Examples
    --------
    >>> match_force("London, City of")
    'City of London'
    >>> match_force("Dyfed Powys")
    'Dyfed-Powys'
    >>> match_force("E23000032")
    'Kent'
    >>> match_force("Thames Vally")
    Traceback (most recent call last):
    ...
    groomstats.UnknownAreaError: Unknown force 'Thames Vally' — did you mean 'Thames Valley'?
    """
    if not isinstance(name, str):
        raise UnknownAreaError(f"Unknown force {name!r}: expected a string")
    by_code = _code_index(name)
    if by_code is not None:
        if isinstance(by_code, str):
            raise UnknownAreaError(by_code)
        return str(_force_frame()["force"][by_code])
    try:
        idx = _core.match_force_index(_visible(name))
    except UnknownAreaError as e:
        odd = _odd_characters(name)
        if not odd:
            raise
        raise UnknownAreaError(str(e) + odd) from e
    return str(_force_frame()["force"][idx])


def _visible(name: str) -> str:
    """The name without invisible format characters (zero-width space or joiner, soft hyphen,
    byte order mark, direction marks): copied from web pages, they never change a name."""
    if name.isascii():
        return name
    return "".join(ch for ch in name if unicodedata.category(ch) != "Cf")


def _odd_characters(name: str) -> str:
    """For a name that matched nothing: the characters in it that look like others (a Cyrillic
    'е' for 'e') or are invisible, which a reader of the message cannot see."""
    odd = [
        (i, ch)
        for i, ch in enumerate(name)
        if not ch.isascii() and (unicodedata.category(ch) == "Cf" or not _latin(ch))
    ]
    if not odd:
        return ""
    listed = ", ".join(
        f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')} at position {i + 1}"
        for i, ch in odd[:3]
    )
    return (
        f" (the name holds {listed}: a character that looks like another or cannot be seen; "
        "retype the name)"
    )


def _latin(ch: str) -> bool:
    """Latin letters (é, ô) and common punctuation (en dash, curly quote, no-break space)."""
    name = unicodedata.name(ch, "")
    return name.startswith("LATIN") or unicodedata.category(ch)[0] in "PZ"


#: An ONS (GSS) area code: a letter and eight digits (``E23000032``).
_GSS = re.compile(r"[A-Z]\d{8}")
#: Local authority district codes: unitary (E06), non-metropolitan (E07), metropolitan (E08),
#: London boroughs (E09), Welsh unitary authorities (W06).
_DISTRICT = re.compile(r"(?:E0[6789]|W06)\d{6}")


@lru_cache(maxsize=1)
def _code_rows() -> dict[str, int]:
    codes = _force_frame().get_column("force_code").to_list()
    return {c: i for i, c in enumerate(codes) if c}


def _code_index(name: str) -> int | str | None:
    """A force's ONS code (``E23000032``) -> its row in the force reference; a code that is no
    force's -> the reason (a district code is named as one); not a code -> None."""
    if not isinstance(name, str):
        return None
    code = " ".join(name.split()).upper()
    if not _GSS.fullmatch(code):
        return None
    hit = _code_rows().get(code)
    if hit is not None:
        return hit
    if _DISTRICT.fullmatch(code):
        return (
            f"Unknown force {name!r}: an ONS local authority district code, not a police force "
            "area; to sum figures by district into force areas, join them on LAD23CD to the ONS "
            "district-to-force lookup groomstats ships (pl.read_csv(groomstats.datasets.path("
            "'lad_pfa_lookup')), columns LAD23CD and PFA23CD; read_population does this for "
            "population estimates)"
        )
    return f"Unknown force {name!r}: not the ONS code of any police force area groomstats knows"


def match_forces(names: Sequence[str] | pl.Series) -> pl.DataFrame:
    """Match many force names at once and return their reference rows.

    Parameters
    ----------
    names : sequence of str or polars Series
        Force names in any spelling.

    Returns
    -------
    polars.DataFrame
        One row per input name, in order: ``name`` (as given), ``force``, ``force_code``,
        ``region``, ``territorial``, ``nation``.

    Raises
    ------
    UnknownAreaError
        For the first name that matches nothing, naming its position.

    Examples
    --------
    >>> match_forces(["Avon & Somerset", "BTP"]).select("force", "force_code", "territorial")
    shape: (2, 3)
    ┌──────────────────────────┬────────────┬─────────────┐
    │ force                    ┆ force_code ┆ territorial │
    │ ---                      ┆ ---        ┆ ---         │
    │ str                      ┆ str        ┆ bool        │
    ╞══════════════════════════╪════════════╪═════════════╡
    │ Avon and Somerset        ┆ E23000036  ┆ true        │
    │ British Transport Police ┆ null       ┆ false       │
    └──────────────────────────┴────────────┴─────────────┘
    """
    s = (
        names
        if isinstance(names, pl.Series)
        else pl.Series("name", list(names), pl.String, strict=False)
    )
    s = s.rename("name")
    rows = pl.Series("_row", range(1, s.len() + 1), pl.Int64)
    idx = _match_column(s, rows, None, "<names>", "name", row_word="position")
    ref = _force_frame().with_row_index("_idx")
    out = pl.DataFrame({"name": s, "_idx": idx}).join(ref, on="_idx", how="left")
    return out.drop("_idx")


def _failure_text(name: str, hint: str | None) -> str:
    """The core's own words for a name that matched nothing: ambiguous (listing every force
    it could mean) or unknown (with the closest suggestion)."""
    try:
        _core.match_force_index(name)
    except UnknownAreaError as e:
        return str(e)
    extra = f" — did you mean '{hint}'?" if hint else ""  # pragma: no cover - matched above
    return f"Unknown force '{name}'{extra}"


def _match_column(
    names: pl.Series,
    rows: pl.Series,
    sheets: pl.Series | None,
    label: str,
    column: str,
    *,
    row_word: str = "row",
) -> pl.Series:
    """Indices into the force reference for a column of names (one Rust call on the uniques)."""
    if names.null_count():
        i = int(names.is_null().arg_true()[0])
        sheet = sheets[i] if sheets is not None else None
        above = names[i - 1] if i > 0 else None
        merged = (
            f" (the row above says {above!r}: merged cells, written once for a group of rows? "
            "write the force on every row; groomstats does not fill it down)"
            if above is not None
            else ""
        )
        raise DataFormatError(
            f"missing force name at {_where(label, row=int(rows[i]), column=column, sheet=sheet)}"
            f"; every row needs a force{merged}"
        )
    uniq = names.unique(maintain_order=True)

    def refuse(bad: str, text: str) -> UnknownAreaError:
        i = int((names == bad).arg_true()[0])
        sheet = sheets[i] if sheets is not None else None
        where = _where(label, row=int(rows[i]), column=column, sheet=sheet)
        if row_word != "row":
            where = where.replace("row ", f"{row_word} ")
        return UnknownAreaError(
            f"{text} ({where}); see groomstats.datasets.forces() for the names known"
        )

    by_code = {n: _code_index(n) for n in uniq.to_list()}
    for n, got in by_code.items():
        if isinstance(got, str):
            raise refuse(n, got)
    plain = [n for n, got in by_code.items() if got is None]
    visible = {n: _visible(n) for n in plain}  # 'Ke\u200bnt' is Kent: the mark is invisible
    matches = _core.match_forces(list(visible.values()))
    found = dict(zip(plain, matches.indices, strict=False))
    if matches.failure is not None:
        bad_visible, hint = matches.failure.name, matches.failure.suggestion
        bad = next(n for n, v in visible.items() if v == bad_visible)
        raise refuse(bad, _failure_text(bad_visible, hint) + _odd_characters(bad))
    idx = [found[n] if got is None else got for n, got in by_code.items()]
    mapping = pl.DataFrame({"_name": uniq, "_idx": pl.Series(idx, dtype=pl.UInt32)})
    return (
        pl.DataFrame({"_name": names})
        .join(mapping, on="_name", how="left", maintain_order="left")
        .get_column("_idx")
    )


def all_force_names(names: Sequence[str]) -> bool:
    """True when every one of ``names`` is a force known to the reference (in any spelling,
    or by its ONS code); a column of them is a force column, whatever its header."""
    if not names:
        return False
    plain = []
    for n in names:
        got = _code_index(n)
        if isinstance(got, str):
            return False
        if got is None:
            plain.append(_visible(n))
    return not plain or _core.match_forces(plain).failure is None


@lru_cache(maxsize=1)
def non_territorial_names() -> tuple[str, ...]:
    """The non-territorial bodies of the force reference, lower-cased.

    Examples
    --------
    >>> non_territorial_names()[:2]
    ('british transport police', 'action fraud')
    """
    ref = _force_frame().filter(~pl.col("territorial"))
    return tuple(str(f).lower() for f in ref.get_column("force"))


#: The name of a sum over all 43 territorial forces (and only of such a sum).
ENGLAND_AND_WALES = "England and Wales"


@lru_cache(maxsize=4096)
def _canonical(name: str) -> str:
    try:
        return match_force(name)
    except GroomstatsError:  # a name the reference does not know is named as given
        return name


def comparator_label(forces: Iterable[str | None]) -> str:
    """What a sum over these territorial forces is called: a comparator says what it is.

    ``"England and Wales"`` only for all 43 territorial forces; a region's name (or
    ``"England"``) when the forces are exactly that region's (nation's); otherwise
    ``"N forces: ..."`` naming them (or, for most of the 43, the ones left out).

    Parameters
    ----------
    forces : iterable of str
        Force names in any spelling (non-territorial bodies should be left out by the caller;
        unknown names are kept as given, nulls ignored).

    Returns
    -------
    str

    Examples
    --------
    >>> comparator_label(["Kent", "Surrey", "Sussex"])
    '3 forces: Kent, Surrey, Sussex'
    >>> comparator_label(["Gwent", "North Wales", "South Wales", "Dyfed Powys"])
    'Wales'
    >>> comparator_label(["Kent"])
    '1 force: Kent'
    """
    return _label(frozenset(_canonical(str(f)) for f in forces if f is not None))


@lru_cache(maxsize=1)
def _areas() -> tuple[frozenset[str], dict[frozenset[str], str]]:
    """The 43 territorial forces, and each region's / nation's set of forces."""
    ref = _force_frame().filter(pl.col("territorial"))
    named: dict[frozenset[str], str] = {}
    for key in ("nation", "region"):  # a region's name wins (Wales is both)
        for area, members in ref.group_by(key).agg(pl.col("force")).iter_rows():
            named[frozenset(members)] = str(area)
    return frozenset(ref.get_column("force").to_list()), named


@lru_cache(maxsize=1024)
def _label(names: frozenset[str]) -> str:
    every, named = _areas()
    if names == every:
        return ENGLAND_AND_WALES
    if names in named:
        return named[names]
    n = len(names)
    if n == 0:
        return "no forces"
    missing = sorted(every - names)
    if names <= every and n > len(every) // 2:
        return f"{n} forces: England and Wales except {', '.join(missing)}"
    return f"{n} force{'s' * (n != 1)}: {', '.join(sorted(names))}"


#: Names of totals and areas that are not forces (matched case-insensitively, and only when
#: the name is no force's spelling: "West Midlands" is a region and a force).
_TOTAL_NAMES = frozenset(
    {
        "total",
        "totals",
        "grand total",
        "all",
        "all forces",
        "all police forces",
        "overall",
        "national",
        "national total",
        "england and wales",
        "england & wales",
        "england",
        "wales",
        "united kingdom",
        "uk",
        "great britain",
    }
)


@lru_cache(maxsize=1)
def _region_names() -> frozenset[str]:
    return frozenset(
        str(r).lower() for r in _force_frame().get_column("region").drop_nulls().unique()
    )


def _is_total_name(name: str) -> bool:
    """Whether ``name`` is a total's or an area's (``Total``, ``England and Wales``, a region),
    not any spelling of a force."""
    key = " ".join(name.split()).lower()
    if key not in _TOTAL_NAMES and key not in _region_names():
        return False
    try:
        match_force(name)
    except GroomstatsError:
        return True
    return False


def refuse_total_and_repeated_names(cells: pl.DataFrame, *, summed: bool, what: str) -> None:
    """Refuse a ``force`` column that would count figures twice: one force under two
    spellings (``Devon & Cornwall`` and ``Devon and Cornwall``: split apart by force, and a
    quarter given under both counted twice in any sum), and, when the forces' rows are
    ``summed`` together (a national, nation or region roll-up, or one total), a row naming a
    total or an area (``Total``, ``England and Wales``, ``South East``) added to its own parts.

    ``cells`` holds a ``force`` column and, when known, ``__row`` (the first row of a cell).

    Raises
    ------
    DataFormatError
        Naming the spellings or the total's name, its first row when known, and the fix.

    Examples
    --------
    >>> refuse_total_and_repeated_names(pl.DataFrame({"force": ["Kent", "Total"]}),
    ...                                 summed=True, what="totals()")
    Traceback (most recent call last):
    ...
    groomstats.DataFormatError: totals(): column 'force' holds 'Total', a total ...
    """
    if "force" not in cells.columns or cells.height == 0:
        return
    names = [str(n) for n in cells.get_column("force").cast(pl.String).drop_nulls().unique()]

    def first_row(name: str) -> str:
        if "__row" not in cells.columns:
            return ""
        rows = cells.filter(pl.col("force").cast(pl.String) == name).get_column("__row")
        return f" (row {int(rows.min())})" if rows.len() else ""  # type: ignore[arg-type]

    if summed:
        for name in sorted(names):
            if _is_total_name(name):
                raise DataFormatError(
                    f"{what}: column 'force' holds '{name}'{first_row(name)}, a total or an "
                    "area, not a force: summed with the forces' own rows it would count their "
                    "figures twice. Leave its rows out (e.g. "
                    f"df.filter(pl.col('force') != '{name}')) and let groomstats sum the forces"
                )
    spellings: dict[str, list[str]] = {}
    for name in names:
        spellings.setdefault(_canonical(name), []).append(name)
    for canonical, group in sorted(spellings.items()):
        if len(group) > 1:
            listed = " and ".join(f"'{n}'{first_row(n)}" for n in sorted(group))
            raise DataFormatError(
                f"{what}: column 'force' names one force in {len(group)} spellings, {listed}, "
                f"{'both' if len(group) == 2 else 'all'} {canonical}: summed apart they split "
                "its figures, and a period given under two would be counted twice. Write one "
                "spelling (groomstats."
                "match_forces(df['force'])['force'] gives the reference names)"
            )


def refuse_repeated_areas(df: pl.DataFrame, what: str, within: Sequence[str] = ()) -> None:
    """Refuse a frame of areas (one row each: funnels, ranks) naming an area twice (within
    each ``within`` group): a force in two rows (two periods or releases stacked, or two
    spellings of it) would be counted twice in a national value and ranked twice.

    The area is the first of ``force`` (any spelling: matched to the reference), ``force_code``,
    ``area``, ``region`` the frame has; a frame with none is not checked.

    Examples
    --------
    >>> refuse_repeated_areas(pl.DataFrame({"force": ["Kent", "Kent Police"]}), "funnel")
    Traceback (most recent call last):
    ...
    groomstats.DataFormatError: funnel: rows 0 and 1 are both Kent ...
    """
    col = next((c for c in ("force", "force_code", "area", "region") if c in df.columns), None)
    if col is None or df.height < 2:
        return
    names = df.get_column(col).cast(pl.String)
    if col == "force":
        uniq = names.drop_nulls().unique().to_list()
        mapping = {n: _canonical(str(n)) for n in uniq}
        names = names.replace_strict(mapping, default=None, return_dtype=pl.String)
    keys = pl.DataFrame({"__area": names}).hstack(df.select(*within)).with_row_index("__i")
    dup = keys.filter(pl.col("__area").is_not_null() & pl.struct(*within, "__area").is_duplicated())
    if dup.height == 0:
        return
    area = dup["__area"][0]
    rows = dup.filter(pl.col("__area") == area)["__i"].to_list()[:2]
    raise DataFormatError(
        f"{what}: rows {rows[0]} and {rows[1]} are both {area} (column '{col}'"
        + (f", within the same {', '.join(within)}" if within else "")
        + "): each row must be one area, or its figures would be counted twice in the "
        "national value and it would be ranked twice. Keep one row per area (one period, "
        "one release)"
        + (", or pass by= to rank within groups" if what.startswith("rank_areas") else "")
    )


def forces_summed(df: pl.DataFrame, territorial: pl.Expr) -> list[str] | None:
    """The territorial forces a frame's rows name (``force``, else ``force_code``), or None
    when the frame names no force."""
    if "force" in df.columns:
        col = df.filter(territorial).get_column("force").cast(pl.String)
        return [str(f) for f in col.unique().drop_nulls()]
    if "force_code" in df.columns:
        codes = df.filter(territorial).get_column("force_code").cast(pl.String).unique()
        ref = _force_frame().filter(pl.col("force_code").is_in(codes.to_list()))
        known = set(ref.get_column("force_code").to_list())
        return ref.get_column("force").to_list() + [
            str(c) for c in codes.drop_nulls() if c not in known
        ]
    return None


@lru_cache(maxsize=4096)
def other_nation(name: str) -> str | None:
    """The nation (``"Scotland"``, ``"Northern Ireland"``) of a force or area outside England
    and Wales, in any spelling; None for anything else (an England and Wales force, a
    non-territorial body, an unknown name).

    Examples
    --------
    >>> other_nation("PSNI"), other_nation("Police Scotland"), other_nation("Kent")
    ('Northern Ireland', 'Scotland', None)
    """
    if not isinstance(name, str):
        return None
    if name.strip() in OTHER_NATIONS:
        return name.strip()
    try:
        idx = _core.match_force_index(name)
    except GroomstatsError:
        return None
    nation = _force_frame()["nation"][idx]
    return str(nation) if nation in OTHER_NATIONS else None


def other_nations_in(df: pl.DataFrame) -> dict[str, str]:
    """The frame's force names of forces outside England and Wales, and their nations."""
    if "force" not in df.columns:
        return {}
    names = df.get_column("force").cast(pl.String).unique().drop_nulls().to_list()
    found = {n: other_nation(n) for n in names}
    return {n: v for n, v in found.items() if v is not None}


def other_nation_expr(df: pl.DataFrame) -> pl.Expr:
    """The nation of a row of Police Scotland / the PSNI (null for any other row)."""
    found = other_nations_in(df)
    if not found:
        return pl.lit(None, dtype=pl.String)
    return (
        pl.col("force")
        .cast(pl.String)
        .replace_strict(list(found), list(found.values()), default=None, return_dtype=pl.String)
    )


def rollup_labels(rolled: pl.DataFrame, by: list[str], territorial: pl.Expr) -> pl.DataFrame | None:
    """What each region / nation roll-up summed: its name only when the data hold all its
    forces, else the forces ("4 forces: ..."; :func:`comparator_label`)."""
    if "force" in rolled.columns:
        name = pl.col("force").cast(pl.String)
    elif "force_code" in rolled.columns:
        ref = _force_frame().filter(pl.col("force_code").is_not_null())
        name = pl.col("force_code").cast(pl.String).replace(ref["force_code"], ref["force"])
    else:
        return None
    groups = rolled.filter(territorial).group_by(by).agg(name.unique().drop_nulls().alias("__f"))
    labels = [comparator_label(f) for f in groups.get_column("__f").to_list()]
    return groups.drop("__f").with_columns(pl.Series("forces_summed", labels, dtype=pl.String))


# ---------------------------------------------------------------------------------------------
# A column of force codes beside the force names (read_breakdown, read_prc)

#: Headers of a column of police force area codes beside the force names (checked against the
#: names, never a category); ``PFA23CD`` and the like are matched by pattern.
FORCE_CODE_HEADERS = (
    "force code",
    "pfa code",
    "force area code",
    "police force code",
    "police force area code",
    "force ons code",
)
#: Headers that hold force codes only when every cell is an ONS code (``E23000032``).
_MAYBE_CODE_HEADERS = ("code", "ons code", "area code", "gss code", "geography code", "geo code")


def force_code_column(df: pl.DataFrame, columns: Sequence[str]) -> str | None:
    """The column of police force area codes beside the force names (``Force Code``,
    ``PFA23CD``, ``force_code``; ``Code`` when every cell is an ONS code), or None. Read as a
    category it would split each force's counts by its code; ignored, a wrong code would go
    unchecked. Headers compare as every reader compares them (:func:`~groomstats.io._sheets.
    tidy_header`: ``Force Code [note 1]`` and ``force_code`` are ``Force Code``)."""
    from groomstats.io._sheets import tidy_header  # the io package imports this module

    for c in columns:
        h = tidy_header(c)
        if h in FORCE_CODE_HEADERS or re.fullmatch(r"pfa ?\d{2} ?cd", h):
            return c
        if h in _MAYBE_CODE_HEADERS:
            cells = df.get_column(c).cast(pl.String).str.strip_chars().replace("", None)
            cells = cells.drop_nulls()
            if cells.len() and cells.str.contains(r"^[A-Za-z]\d{8}$").all():
                return c
    return None


def check_force_codes(
    df: pl.DataFrame, code_col: str, force_col: str, label: str, *, given: str
) -> None:
    """Each row's code (column ``_fcode``) must be the code of its force (``force``,
    ``force_code`` from the force reference; ``given`` the name as written): a code naming
    another force, a district or nothing known is refused with both readings, the file, row
    and column."""
    rows = df.filter(
        pl.col("_fcode").is_not_null()
        & (pl.col("_fcode") != "")
        & pl.col("_fcode").str.to_uppercase().ne_missing(pl.col("force_code"))
    )
    if rows.height == 0:
        return
    r = rows.row(0, named=True)
    code = r["_fcode"]
    code_col = r.get("_fcode_col") or code_col  # its own sheet's header (read_prc: per sheet)
    where = _where(label, row=r["_row"], column=code_col, sheet=r["_sheet"])
    other = _code_rows().get(code.upper())
    if other is not None:
        is_what = f"{code!r} is the code of {_force_frame()['force'][other]}"
    elif _DISTRICT.fullmatch(code.upper()):
        is_what = f"{code!r} is a local authority district code, not a police force area code"
    else:
        is_what = f"{code!r} is not the code of any police force area groomstats knows"
    own = r["force_code"] or "no ONS code"
    raise DataFormatError(
        f"force code {code!r} at {where} does not agree with the force of that row: "
        f"{r[given]!r} (column '{force_col}') is {r['force']} ({own}), while {is_what}. "
        "One of the two is wrong: correct the code or the force name"
    )

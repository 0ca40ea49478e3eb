"""Offence codes stored as numbers.

A spreadsheet cell holding a number, or a column read as floats, drops the trailing zero of
a Home Office code: ``4.10`` becomes ``4.1`` (``8.10`` becomes ``8.1``), and both are codes of
different offences (the shipped table's homicide row is ``1/4.1/4.10/4.2``). A whole number is
safe (``88.0`` is ``88``). A code of one decimal place stored as a number is read by its
offence description, against the codes and descriptions of the Home Office table groomstats
ships (``data/prc-pfa-mar2013-onwards-tables-2017-18.csv.gz``): as written when the table gives
the description to that code alone, with the trailing zero when it gives it to that one
alone; when the description does not tell which code it is, the reader refuses the cell,
listing both readings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import resources

import polars as pl

from groomstats.io._sheets import _first_bad

#: A code with one decimal place: stored as a number it may have lost a trailing zero.
_ONE_DECIMAL = r"^\d+\.\d$"
#: A whole number written with a decimal point, as a float column writes it (``88.0``).
_FLOAT_WHOLE = r"^\d+\.0+$"
#: The shipped Home Office table (every offence, 2017/18): the codes and descriptions known.
_SHIPPED = "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz"


def _fold(text: pl.Expr) -> pl.Expr:
    """A description compared without case or spacing."""
    return text.str.strip_chars().str.replace_all(r"\s+", " ").str.to_lowercase()


@lru_cache(maxsize=1)
def known_codes() -> pl.DataFrame:
    """The (code, description) pairs of the shipped Home Office table, description folded
    (lower case, spaces collapsed); a combined code (``1/4.1/4.10/4.2``) gives each part.

    Examples
    --------
    >>> known = known_codes()
    >>> known.filter(pl.col("code") == "37.1").get_column("description").to_list()
    ['causing death by aggravated vehicle taking']
    >>> sorted(known.filter(pl.col("description") == "homicide").get_column("code"))
    ['1', '4.1', '4.10', '4.2']
    """
    ref = resources.files("groomstats").joinpath("data").joinpath(_SHIPPED)
    with resources.as_file(ref) as p:
        raw = pl.read_csv(p, columns=["Offence Code", "Offence Description"], infer_schema=False)
    return (
        raw.select(
            pl.col("Offence Code").str.strip_chars().str.split("/").alias("code"),
            _fold(pl.col("Offence Description")).alias("description"),
        )
        .explode("code")
        .unique()
        .sort("code", "description")
    )


def read_numeric_codes(
    df: pl.DataFrame,
    label: str,
    column: str,
    notes: list[str],
    stored_as_numbers: Callable[[], pl.Series] | None = None,
) -> pl.DataFrame:
    """``df`` (a reader's table of text cells with ``offence_code``, ``offence``, ``_row`` and
    ``_sheet``) with its offence codes read as the codes they are.

    * ``88.0`` (a whole number written from a float) is ``88``, noted;
    * a code of one decimal place (``4.1``) reads ``4.1`` or ``4.10``: when its description
      is the shipped table's description of ``4.1`` and not of ``4.10``, it is ``4.1``.
      Otherwise a text cell is kept as written; a number cell is read as ``4.10`` (noted)
      when the description is that of ``4.10`` and not of ``4.1``, and refused with
      :class:`~groomstats.exceptions.DataFormatError` naming file, row, column ``column``,
      value and both readings when the description is of neither or of both.

    ``stored_as_numbers`` gives, only when needed, True for each row whose code cell was
    stored as a number (a spreadsheet's number cell, a float column). Without it (a CSV, all
    text) a column holding a whole number written like ``88.0`` was written from numbers:
    its decimal codes are taken as numbers too.

    Examples
    --------
    >>> df = pl.DataFrame({"offence_code": ["88.0", "37.1", "88A"], "offence": ["Sexual "
    ...     "grooming", "Causing death by aggravated vehicle taking", "Sexual grooming"],
    ...     "_row": [2, 3, 4], "_sheet": [None, None, None]})
    >>> notes = []
    >>> read_numeric_codes(df, "x.csv", "Offence Code", notes)["offence_code"].to_list()
    ['88', '37.1', '88A']
    >>> notes
    ["1 offence code(s) written as whole numbers with a decimal point ('88.0') read as '88'"]
    """
    raw = df.get_column("offence_code")
    uniq = raw.unique().str.strip_chars()  # decided on the distinct codes: a few hundred
    whole_seen = bool(uniq.str.contains(_FLOAT_WHOLE).fill_null(False).any())
    one_uniq = uniq.filter(
        uniq.str.contains(_ONE_DECIMAL).fill_null(False)
        & ~uniq.str.contains(_FLOAT_WHOLE).fill_null(False)
    )
    if not whole_seen and one_uniq.is_empty():
        return df  # the usual case
    code = raw.str.strip_chars()
    if whole_seen:
        whole = code.str.contains(_FLOAT_WHOLE).fill_null(False)
        read = code.str.replace(r"\.0+$", "")
        shown = ", ".join(repr(t) for t in code.filter(whole).unique(maintain_order=True).head(3))
        as_read = ", ".join(repr(t) for t in read.filter(whole).unique(maintain_order=True).head(3))
        notes.append(
            f"{int(whole.sum()):,} offence code(s) written as whole numbers with a decimal "
            f"point ({shown}) read as {as_read}"
        )
        code = read
        df = df.with_columns(code.alias("offence_code"))
    if one_uniq.is_empty():
        return df
    # the (code, description) pairs of one decimal place, each once: settled when the shipped
    # table gives the description to the code as written and not to it with a trailing zero
    known = known_codes().with_columns(pl.lit(True).alias("_known"))
    pairs = (
        pl.DataFrame({"code": code, "offence": df.get_column("offence")})
        .filter(pl.col("code").is_in(one_uniq.implode()))
        .unique()
        .with_columns(_fold(pl.col("offence")).alias("description"))
    )
    written = pairs.join(known, on=["code", "description"], how="left")
    both = written.with_columns((pl.col("code") + "0").alias("_longer")).join(
        known.rename({"_known": "_known_longer"}),
        left_on=["_longer", "description"],
        right_on=["code", "description"],
        how="left",
    )
    as_written = pl.col("_known").fill_null(False)
    as_longer = pl.col("_known_longer").fill_null(False)
    # a number reads as the longer code when the description is that code's alone; neither
    # or both: refused (a text cell is what it says, whatever its description)
    unsettled = both.filter(~(as_written & ~as_longer)).select(
        "code",
        "offence",
        pl.when(as_longer & ~as_written)
        .then(pl.lit("longer"))
        .otherwise(pl.lit("open"))
        .alias("_how"),
    )
    if unsettled.is_empty():
        return df
    how = (
        pl.DataFrame({"code": code, "offence": df.get_column("offence")})
        .join(
            unsettled, on=["code", "offence"], how="left", nulls_equal=True, maintain_order="left"
        )
        .select(
            pl.col("_how").eq("longer").fill_null(False).alias("longer"),
            pl.col("_how").eq("open").fill_null(False).alias("open"),
        )
    )
    if stored_as_numbers is not None:
        numbers = stored_as_numbers()
    else:  # a CSV: written from numbers if a whole number was written like '88.0'
        numbers = pl.Series([whole_seen] * df.height, dtype=pl.Boolean)
    refused = how.get_column("open") & numbers
    if refused.any():
        i = int(refused.arg_true()[0])
        value, desc = code[i], df.get_column("offence")[i]
        raise _first_bad(
            df.with_columns(code.alias("offence_code")),
            "offence_code",
            refused,
            label,
            column,
            "offence code stored as a number",
            f"it reads '{value}' or '{value}0' (a number drops the trailing zero of a code "
            f"such as 4.10), and its description {desc!r} does not tell which; store the "
            f"{column} column as text (format the column as Text and type the codes again: "
            f"a text cell keeps '{value}0')",
        )
    longer = how.get_column("longer") & numbers
    if longer.any():
        shown = ", ".join(
            f"'{c}' as '{c}0'" for c in code.filter(longer).unique(maintain_order=True).head(3)
        )
        notes.append(
            f"{int(longer.sum()):,} offence code(s) stored as numbers read by their "
            f"description as the code with a trailing zero: {shown}"
        )
        df = df.with_columns(pl.when(longer).then(code + "0").otherwise(code).alias("offence_code"))
    return df

"""Exception and warning classes raised by groomstats.

Every error groomstats raises on bad input is a :class:`GroomstatsError`, itself a
:class:`ValueError`, so ``except ValueError`` keeps working. The classes are defined once in
the compiled core so that Rust and Python raise the very same types.

Examples
--------
>>> import groomstats
>>> issubclass(groomstats.UnknownAreaError, ValueError)
True
"""

from __future__ import annotations

from groomstats._core import (
    DataFormatError,
    FitError,
    GroomstatsError,
    PeriodError,
    UnknownAreaError,
)

__all__ = [
    "CountOverflowError",
    "DataFormatError",
    "FileAccessError",
    "FitError",
    "GroomstatsError",
    "MissingFileError",
    "PeriodError",
    "SeriesBreakWarning",
    "UnknownAreaError",
]


class SeriesBreakWarning(UserWarning):
    """A comparison or trend crosses the 1 April 2017 break in classification 88A.

    Before that date 88A held only *meeting a child following sexual grooming*; from it, it
    also holds *sexual communication with a child*. ONS says the two are not comparable.
    """


class FileAccessError(DataFormatError, OSError):
    """A path that cannot be read as a data file: a directory, a FIFO or device, an empty path,
    a name too long, or no permission. The message names the path and the likely fix; it is
    also an :class:`OSError`, as ``open()`` would raise.

    Examples
    --------
    >>> import groomstats
    >>> try:
    ...     groomstats.read_prc(".")
    ... except groomstats.FileAccessError as e:
    ...     print(str(e).split(":")[0])
    cannot read '.'
    """


class MissingFileError(FileAccessError, FileNotFoundError):
    """A data file that does not exist (also a :class:`FileNotFoundError`)."""


class CountOverflowError(DataFormatError, OverflowError):
    """A sum of counts beyond the 64-bit integer range: never a wrapped-around (negative)
    total. Also an :class:`OverflowError`.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import groomstats
    >>> df = pl.DataFrame({"period_start": [date(2017, 4, 1)] * 2,
    ...                    "period_end": [date(2017, 6, 30)] * 2,
    ...                    "offences": [2**63 - 1, 1]})
    >>> try:
    ...     groomstats.totals(df)
    ... except groomstats.CountOverflowError as e:
    ...     print(str(e).split(";")[0])
    totals(): the sum of column 'offences' is beyond the 64-bit integer range (about 9.22e+18)
    """

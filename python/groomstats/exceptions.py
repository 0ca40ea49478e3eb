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
    "CorruptDownloadError",
    "CountOverflowError",
    "DataFormatError",
    "DownloadError",
    "FileAccessError",
    "FitError",
    "GroomstatsError",
    "MissingFileError",
    "PeriodCoverageWarning",
    "PeriodError",
    "PopulationYearWarning",
    "SeriesBreakWarning",
    "TotalMismatchWarning",
    "UnknownAreaError",
    "WorkbookTooLargeError",
]


class SeriesBreakWarning(UserWarning):
    """A comparison or trend crosses the 1 April 2017 break in classification 88A.

    Before that date 88A held only *meeting a child following sexual grooming*; from it, it
    also holds *sexual communication with a child*. ONS says the two are not comparable.
    """


class PopulationYearWarning(UserWarning):
    """A rate's population is not of the mid-year its count asks for (or not of the age band
    asked): the nearest available was used, and the row's ``note`` says which and why.

    Examples
    --------
    >>> import groomstats
    >>> issubclass(groomstats.PopulationYearWarning, UserWarning)
    True
    """


class PeriodCoverageWarning(UserWarning):
    """Record-level data whose first or last period the records may cover only in part (they
    begin after its first day or end before its last): counted whole, with the choice named
    (``count_records(..., covers=)``).

    Examples
    --------
    >>> import groomstats
    >>> issubclass(groomstats.PeriodCoverageWarning, UserWarning)
    True
    """


class TotalMismatchWarning(UserWarning):
    """A published total (a ``Total`` row or column, an ``England and Wales`` row) that is not
    the sum of the cells it totals: both figures are given and the cells kept as published."""


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


class WorkbookTooLargeError(DataFormatError):
    """An ODS/XLSX file whose cells would expand past the reader's limits (a "zip bomb" of
    repeated cells, or values at the far corner of a sheet): refused before the spreadsheet
    reader opens it, naming the file, the sheet and the figures (limits in
    ``groomstats.io._limits``). Save the sheet you need as CSV and read that instead.

    Examples
    --------
    >>> import groomstats
    >>> issubclass(groomstats.WorkbookTooLargeError, groomstats.DataFormatError)
    True
    """


class DownloadError(GroomstatsError, OSError):
    """A Home Office edition could not be downloaded (no network, a refused address, an HTTP
    error). The message names the address and how to download the file by hand and use it with
    ``read_prc(FILE)`` or ``groomstats report --data FILE``. Also an :class:`OSError`.

    Examples
    --------
    >>> import groomstats
    >>> issubclass(groomstats.DownloadError, OSError)
    True
    """


class CorruptDownloadError(DownloadError):
    """A downloaded edition does not match the SHA256 recorded at its first download, or the
    first download is not a readable table: nothing from it is kept in the cache."""


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

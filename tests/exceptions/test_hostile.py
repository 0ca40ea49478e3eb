"""Hostile input against the exception classes.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import pytest
from hostile import Case, params, run_case

import groomstats
from groomstats import (
    GroomstatsError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append

    for exc in ("FileAccessError", "MissingFileError"):
        add(
            Case(
                exc,
                "is a DataFormatError and an OSError",
                lambda e=exc: getattr(groomstats, e),
                lambda t: (
                    (issubclass(t, groomstats.DataFormatError) and issubclass(t, OSError))
                    or pytest.fail(str(t))
                ),
            )
        )
    add(
        Case(
            "WorkbookTooLargeError",
            "is a DataFormatError",
            lambda: groomstats.WorkbookTooLargeError,
            lambda t: issubclass(t, groomstats.DataFormatError) or pytest.fail(str(t)),
        )
    )
    add(
        Case(
            "CountOverflowError",
            "is a DataFormatError and an OverflowError",
            lambda: groomstats.CountOverflowError,
            lambda t: (
                (issubclass(t, groomstats.DataFormatError) and issubclass(t, OverflowError))
                or pytest.fail(str(t))
            ),
        )
    )
    for exc in ("DataFormatError", "FitError", "PeriodError", "UnknownAreaError"):
        add(
            Case(
                exc,
                "is a GroomstatsError and ValueError",
                lambda e=exc: getattr(groomstats, e),
                lambda t: (
                    (issubclass(t, GroomstatsError) and issubclass(t, ValueError))
                    or pytest.fail(str(t))
                ),
            )
        )
    add(
        Case(
            "GroomstatsError",
            "is a ValueError",
            lambda: groomstats.GroomstatsError,
            lambda t: issubclass(t, ValueError) or pytest.fail(str(t)),
        )
    )
    add(
        Case(
            "TotalMismatchWarning",
            "is a UserWarning",
            lambda: groomstats.TotalMismatchWarning,
            lambda t: issubclass(t, UserWarning) or pytest.fail(str(t)),
        )
    )
    add(
        Case(
            "SeriesBreakWarning",
            "is a UserWarning",
            lambda: groomstats.SeriesBreakWarning,
            lambda t: issubclass(t, UserWarning) or pytest.fail(str(t)),
        )
    )
    for name in ("DownloadError", "CorruptDownloadError"):
        add(
            Case(
                name,
                "a GroomstatsError and an OSError",
                lambda n=name: getattr(groomstats, n),
                lambda t: (
                    (issubclass(t, (groomstats.GroomstatsError)) and issubclass(t, OSError))
                    or pytest.fail(str(t))
                ),
            )
        )
    add(
        Case(
            "PeriodCoverageWarning",
            "is a UserWarning",
            lambda: groomstats.PeriodCoverageWarning,
            lambda t: issubclass(t, UserWarning) or pytest.fail(str(t)),
        )
    )
    add(
        Case(
            "PopulationYearWarning",
            "is a UserWarning",
            lambda: groomstats.PopulationYearWarning,
            lambda t: issubclass(t, UserWarning) or pytest.fail(str(t)),
        )
    )
    return c


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)

"""groomstats: statistics and trends on child grooming crimes, as polars DataFrames.

Reads Home Office police recorded crime tables, ONS population estimates and force FOI
returns; computes totals, like-for-like changes, rates with confidence intervals, funnel-plot
limits and trends, with the statistics done in a Rust core.

Examples
--------
>>> import groomstats
>>> isinstance(groomstats.__version__, str)
True
"""

from __future__ import annotations

from groomstats import datasets, plot
from groomstats._version import __version__
from groomstats.areas import match_force, match_forces
from groomstats.compare import change, rate_ratio_test
from groomstats.counts import grooming, totals
from groomstats.exceptions import (
    CorruptDownloadError,
    CountOverflowError,
    DataFormatError,
    DownloadError,
    FileAccessError,
    FitError,
    GroomstatsError,
    MissingFileError,
    PeriodCoverageWarning,
    PeriodError,
    PopulationYearWarning,
    SeriesBreakWarning,
    TotalMismatchWarning,
    UnknownAreaError,
    WorkbookTooLargeError,
)
from groomstats.funnels import funnel, funnel_limits
from groomstats.intervals import poisson_ci, rank_areas, rates
from groomstats.io import RowReport, read_breakdown, read_population, read_prc, revisions
from groomstats.periods import SERIES_BREAK, Period, parse_period
from groomstats.proportions import shares, shares_from_percentages
from groomstats.records import count_records
from groomstats.report.profile import Profile, profile
from groomstats.trends import comparability, interrupted, joinpoint, trend

forces = datasets.forces

__all__ = [
    "SERIES_BREAK",
    "CorruptDownloadError",
    "CountOverflowError",
    "DataFormatError",
    "DownloadError",
    "FileAccessError",
    "FitError",
    "GroomstatsError",
    "MissingFileError",
    "Period",
    "PeriodCoverageWarning",
    "PeriodError",
    "PopulationYearWarning",
    "Profile",
    "RowReport",
    "SeriesBreakWarning",
    "TotalMismatchWarning",
    "UnknownAreaError",
    "WorkbookTooLargeError",
    "__version__",
    "change",
    "comparability",
    "count_records",
    "datasets",
    "forces",
    "funnel",
    "funnel_limits",
    "grooming",
    "interrupted",
    "joinpoint",
    "match_force",
    "match_forces",
    "parse_period",
    "plot",
    "poisson_ci",
    "profile",
    "rank_areas",
    "rate_ratio_test",
    "rates",
    "read_breakdown",
    "read_population",
    "read_prc",
    "revisions",
    "shares",
    "shares_from_percentages",
    "totals",
    "trend",
]

# rich display in notebooks (groomstats._display), attached to the class wherever it is defined
from groomstats import _display as _display  # noqa: E402
from groomstats.trends import JoinpointResult as _JoinpointResult  # noqa: E402

setattr(_JoinpointResult, "_repr_html_", _display.joinpoint_html)  # noqa: B010

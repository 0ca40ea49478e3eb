"""Force profiles and the report behind ``groomstats report``.

The package is layered so each job has one home:

- :mod:`~groomstats.report.context`: the statistics pipeline. :func:`context` reads the data
  once and calls the public statistics (totals, change, rates, funnel, trend, shares,
  poisson_ci); nothing below it computes a statistic again.
- :mod:`~groomstats.report.facts` and :mod:`~groomstats.report.published`: the facts of a
  profile, from the police recorded crime data and from published figures.
- :mod:`~groomstats.report.profile`: :class:`~groomstats.Profile` and
  :func:`groomstats.profile`.
- :mod:`~groomstats.report.years`: several financial years in the data: each force's series,
  the latest complete year against the year before, the trend since 2017/18 (computed once
  by :func:`context`, worded in profiles, drawn in the report).
- :mod:`~groomstats.report.wording`: English wording of numbers, changes, periods and forces.
- :mod:`~groomstats.report.sections`: the report's sections and :func:`write_report`.
- :mod:`~groomstats.report.document`: the document model rendered to Markdown or HTML.

Examples
--------
>>> from groomstats.report import write_report
>>> callable(write_report)
True
"""

from __future__ import annotations

from groomstats.report.sections import ReportResult, force_chart, force_funnel, write_report

__all__ = ["ReportResult", "force_chart", "force_funnel", "write_report"]

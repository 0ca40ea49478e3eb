"""Readers for the files the Home Office, ONS and police forces publish, as they really are.

Every reader returns a tidy polars DataFrame (the contracts in ``docs/DEVELOPING.md``) and keeps
a :class:`RowReport` of what it read: rows read, kept and excluded with the reason, so nothing
is ever lost silently. Get it with ``report=True`` (the reader then returns ``(frame, report)``).

* :mod:`groomstats.io.prc`: Home Office police recorded crime tables (:func:`read_prc`);
* :mod:`groomstats.io.editions`: editions combined without double counting, and
  :func:`revisions` between two editions;
* :mod:`groomstats.io.population`: ONS mid-year population estimates (:func:`read_population`);
* :mod:`groomstats.io.breakdown`: FOI breakdowns by platform, age, ... (:func:`read_breakdown`);
* :mod:`groomstats.io._sheets`: the spreadsheet-grid toolkit they share, and :class:`RowReport`.

Examples
--------
>>> from groomstats import io
>>> [n for n in io.__all__ if n.startswith('read_')]
['read_breakdown', 'read_population', 'read_prc']
"""

from __future__ import annotations

from groomstats.io._sheets import RowReport
from groomstats.io.breakdown import BREAKDOWN_SCHEMA, read_breakdown
from groomstats.io.editions import revisions
from groomstats.io.population import POPULATION_SCHEMA, read_population
from groomstats.io.prc import PRC_SCHEMA, read_prc

__all__ = [
    "BREAKDOWN_SCHEMA",
    "POPULATION_SCHEMA",
    "PRC_SCHEMA",
    "RowReport",
    "read_breakdown",
    "read_population",
    "read_prc",
    "revisions",
]

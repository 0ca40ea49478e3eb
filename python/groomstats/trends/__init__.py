"""Trends in counts: annual percent change, joinpoint and interrupted time series.

* :func:`trend` and :func:`annual_series` in ``_loglinear.py``; :func:`joinpoint` in
  ``_joinpoint.py``; :func:`comparability` (two joinpoint series) in ``_comparability.py``;
  :func:`interrupted` in ``_interrupted.py``; the series preparation they share (time
  values, groups, offset, the series-break rule) in ``_series.py``.

The fits run in the Rust core, one group per task in parallel; this module prepares the
design (time, quarter effects, denominator offset) with polars and lays the results out as
polars DataFrames.

Conventions
-----------
* Time is measured in years. ``"2017/18"`` is 2017.0 (the year the financial year starts),
  an integer year is itself, a date is its decimal calendar year. With a ``quarter`` column
  (PRC Q1 = April-June) quarter q of financial year s is ``s + (q - 1) / 4``. The slope ``b``
  is therefore per year and APC = 100 (e^b - 1) is an annual percent change.
* Where a period is placed on the calendar (the 1 April 2017 series break, ``interrupted``'s
  ``at=``), an integer year ``y`` is the financial year starting 1 April ``y``, as
  ``"y/y+1"`` is (its quarter 1 is April-June): one rule, ``_series._time_to_date``.
* Poisson and quasi-Poisson fits match ``statsmodels`` ``GLM(..., family=Poisson())``
  (``fit()`` and ``fit(scale="X2")``); negative binomial matches
  ``statsmodels.discrete.discrete_model.NegativeBinomial`` (NB2, α by maximum likelihood).
  Confidence intervals and p-values are Wald (normal), as statsmodels.
* Every input row is counted: ``n`` rows fitted, ``n_excluded`` rows left out (missing count,
  time or denominator); a group that cannot be fitted keeps its row with a ``reason``.
"""

from __future__ import annotations

from groomstats.trends._comparability import comparability
from groomstats.trends._interrupted import interrupted
from groomstats.trends._joinpoint import JoinpointResult, joinpoint
from groomstats.trends._loglinear import annual_series, trend

__all__ = ["JoinpointResult", "annual_series", "comparability", "interrupted", "joinpoint", "trend"]

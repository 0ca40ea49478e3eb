"""Charts for grooming statistics (matplotlib, optional extra ``plot``).

Every function takes a polars (or pandas) DataFrame, draws one chart and returns the
:class:`matplotlib.figure.Figure`. Figures are built without :mod:`matplotlib.pyplot`, so they
work headless (rendering goes through Agg), nothing accumulates in pyplot's registry and there is
nothing to close. In Jupyter, run ``%matplotlib inline`` once and a returned figure displays.

Conventions on every chart: the colour-blind-safe Okabe-Ito palette, labelled axes, a title and a
source line at the bottom-left (``source=``: none unless given, since only the caller knows where
the data come from; :data:`SOURCE_PRC`, :data:`SOURCE_PRC_ONS` and :data:`SOURCE_NSPCC` are the
attributions of the shipped data, without years: add the years and edition of your data).
:func:`save` writes a PNG of a fixed pixel size with the title, description and source in the
PNG text chunks; :func:`to_png` and :func:`to_svg` give the bytes or inline SVG text.

Charts that don't mislead: periods (financial years, quarters, dates) sit in proportion to time;
a missing period, or one without a figure, is a hatched gap that no line crosses; the 1 April
2017 break is marked where a series spans it; labels, units, years and comparators come from the
data or from the caller, never from a default that may not fit. :func:`trend` can add the fitted
log-linear trend with its interval (``fit=``) and a named comparator (``comparator=``);
:func:`ranked` ranks areas with their intervals against a national value; :func:`funnel` leaves
out and lists areas too small for a meaningful value; :func:`panels` puts dozens of small series
on one shared scale.

matplotlib is imported inside the functions, so ``import groomstats`` does not need it.

Examples
--------
>>> import polars as pl
>>> from groomstats import plot
>>> df = pl.DataFrame({"period": ["Q1", "Q2", "Q3", "Q4"], "offences": [895, 942, 1242, 1365]})
>>> fig = plot.trend(df, x="period", y="offences", series_break=None, title="88A by quarter")
>>> fig.axes[0].get_title()
'88A by quarter'
"""

from __future__ import annotations

from groomstats.plot._bars import ranked, shares
from groomstats.plot._base import OKABE_ITO, SOURCE_NSPCC, SOURCE_PRC, SOURCE_PRC_ONS
from groomstats.plot._funnel import funnel
from groomstats.plot._output import save, to_png, to_svg
from groomstats.plot._series import panels, small_multiples, trend

__all__ = [
    "OKABE_ITO",
    "SOURCE_NSPCC",
    "SOURCE_PRC",
    "SOURCE_PRC_ONS",
    "funnel",
    "panels",
    "ranked",
    "save",
    "shares",
    "small_multiples",
    "to_png",
    "to_svg",
    "trend",
]

"""Charts for grooming statistics (matplotlib, optional extra ``plot``).

Every function takes a polars (or pandas) DataFrame, draws one chart and returns the
:class:`matplotlib.figure.Figure`. Figures are built without :mod:`matplotlib.pyplot`, so they
work headless (rendering goes through Agg), nothing accumulates in pyplot's registry and there is
nothing to close. In Jupyter, run ``%matplotlib inline`` once and a returned figure displays.

Conventions on every chart: the colour-blind-safe Okabe-Ito palette, labelled axes, a title and a
source line at the bottom-left (``source=``; defaults to the Home Office police recorded crime
attribution under the Open Government Licence v3.0). :func:`save` writes a PNG of a fixed pixel
size with the title, description and source in the PNG text chunks; :func:`to_png` and
:func:`to_svg` give the bytes or inline SVG text.

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

import datetime as dt
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import GroomstatsError
from groomstats.periods import SERIES_BREAK

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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

#: The Okabe-Ito colour-blind-safe palette (Okabe and Ito 2008), in its usual order.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Attribution for charts of the embedded Home Office police recorded crime data.
SOURCE_PRC = (
    "Source: Home Office police recorded crime open data (88A sexual grooming). "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
#: Attribution for charts of rates (crime counts over ONS population estimates).
SOURCE_PRC_ONS = (
    "Source: Home Office police recorded crime (88A); ONS mid-year population "
    "estimates. Contains public sector information licensed under the Open Government "
    "Licence v3.0."
)
#: Attribution for charts of NSPCC Freedom-of-Information figures.
SOURCE_NSPCC = (
    "Source: NSPCC Freedom of Information requests to police forces, as published "
    "(sexual communication with a child, s.15A)."
)

#: Figure size in inches and resolution used by :func:`save`: 1000 x 600 pixels.
FIGSIZE = (10.0, 6.0)
DPI = 100

_SIGNIFICANCE_COLOURS = {
    "high (0.001)": OKABE_ITO["vermillion"],
    "high (0.025)": OKABE_ITO["orange"],
    "high": OKABE_ITO["vermillion"],
    "low (0.001)": OKABE_ITO["blue"],
    "low (0.025)": OKABE_ITO["sky_blue"],
    "low": OKABE_ITO["blue"],
    "not significant": "#7F7F7F",
}


def _new_figure(
    figsize: tuple[float, float] = FIGSIZE,
    *,
    left: float = 0.8,
    right: float = 0.25,
    top: float = 0.55,
    bottom: float = 1.15,
) -> Figure:
    """A figure with fixed margins in inches (no layout solver: charts render much faster).

    ``bottom`` includes the strip for the source line.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:  # pragma: no cover - matplotlib is a dependency
        raise GroomstatsError(
            f"groomstats.plot needs matplotlib ({e}); install it with "
            "pip install 'groomstats[plot]'"
        ) from e

    w, h = figsize
    fig = Figure(figsize=figsize, dpi=DPI)
    fig.subplots_adjust(
        left=min(left / w, 0.45),
        right=1.0 - right / w,
        top=1.0 - top / h,
        bottom=min(bottom / h, 0.45),
    )
    FigureCanvasAgg(fig)
    return fig


def _finish(fig: Figure, title: str | None, source: str | None, *, suptitle: bool = True) -> Figure:
    if title and suptitle:
        fig.suptitle(title, fontsize=13, x=0.01, ha="left", fontweight="bold")
    if source:
        fig.text(
            0.01,
            0.012,
            _wrap(source, 150),
            fontsize=7.5,
            color="#444444",
            ha="left",
            va="bottom",
            gid="source",
        )
    fig.groomstats_source = source  # type: ignore[attr-defined]
    fig.groomstats_title = title  # type: ignore[attr-defined]
    return fig


def _thousands(ax: Axes, which: str) -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
    (ax.xaxis if which == "x" else ax.yaxis).set_major_formatter(fmt)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _decimal_year(d: dt.date) -> float:
    """A date as a year with a fraction, by month: 1 April 2017 is 2017.25.

    Months count as twelfths of a year (days within a month as fractions of it), so financial
    years sit exactly one apart, as in :func:`groomstats.trend`, and time stays proportional.
    """
    days = (dt.date(d.year + d.month // 12, d.month % 12 + 1, 1) - dt.date(d.year, d.month, 1)).days
    return d.year + (d.month - 1 + (d.day - 1) / days) / 12


def _span(value: Any) -> tuple[dt.date, dt.date] | None:
    """First and last day of a period given as a date or a label ("2017/18", "2017/18 Q1")."""
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, str) and value.strip():
        from groomstats.periods import Period

        try:
            p = Period.parse(value)
        except (GroomstatsError, ValueError):
            return None
        return p.start, p.end
    return None


@dataclass
class _TimeAxis:
    """Where each row goes on x, and the stretches of x with no figures.

    ``kind`` is ``"time"`` (periods or dates: x in years, proportional to time), ``"number"``
    (plain numbers: x as given) or ``"category"`` (labels that are not periods: evenly spaced).
    """

    pos: list[float]
    labels: list[str]
    kind: str
    starts: list[dt.date | None]
    gaps: list[tuple[float, float, str]] = field(default_factory=list)

    def break_at(self, when: dt.date) -> float | None:
        """x of a series break at ``when`` if the periods span it, else None."""
        known = [s for s in self.starts if s is not None]
        if self.kind != "time" or not known or not (min(known) < when <= max(known)):
            return None
        return _decimal_year(when)


def _time_axis(values: Sequence[Any], present: Sequence[bool]) -> _TimeAxis:
    """Positions proportional to time and the gaps between periods that have figures.

    ``present[i]`` is False where row ``i`` has no value (its period is shown as a gap).
    """
    labels = [str(v) for v in values]
    n = len(values)
    if n and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        pos = [float(v) for v in values]
        diffs = sorted({b - a for a, b in zip(sorted(pos), sorted(pos)[1:], strict=False) if b > a})
        step = diffs[0] if diffs else 1.0
        ax = _TimeAxis(pos, [f"{v:g}" for v in pos], "number", [None] * n)
        ax.gaps = _gaps(ax, present, lambda i: pos[i] - step / 2, lambda i: pos[i] + step / 2)
        if all(isinstance(v, int) and 1800 <= v <= 2200 for v in values):  # calendar years
            ax.labels = [str(v) for v in values]
        return ax
    spans = [_span(v) for v in values]
    if n == 0 or any(sp is None for sp in spans):
        return _TimeAxis([float(i) for i in range(n)], labels, "category", [None] * n)
    known = [sp for sp in spans if sp is not None]
    if all(a == b for a, b in known) and n > 1:  # plain dates: a period runs to the next date
        ordered = sorted({a for a, _ in known})
        gap = min((b - a for a, b in itertools.pairwise(ordered)), default=None)
        if gap is not None:
            known = [(a, a + gap - dt.timedelta(days=1)) for a, _ in known]
            if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
                labels = [f"{v:%d %b %Y}" for v in values]
    starts = [a for a, _ in known]
    ends = [b for _, b in known]
    pos = [(_decimal_year(a) + _decimal_year(b + dt.timedelta(days=1))) / 2 for a, b in known]
    ax = _TimeAxis(pos, labels, "time", list(starts))
    ax.gaps = _gaps(
        ax,
        present,
        lambda i: _decimal_year(starts[i]),
        lambda i: _decimal_year(ends[i] + dt.timedelta(days=1)),
        adjacent=lambda i, j: starts[j] <= ends[i] + dt.timedelta(days=1),
        missing=lambda i, j: _missing_label(labels[i], labels[j], starts[i], starts[j]),
    )
    return ax


def _missing_label(a: str, b: str, start_a: dt.date, start_b: dt.date) -> str:
    """The periods between two labels when both are financial years, else the dates."""
    fy = re.compile(r"^\d{4}/\d{2}$")
    if fy.match(a) and fy.match(b):
        years = range(start_a.year + 1, start_b.year)
        names = [f"{y}/{(y + 1) % 100:02d}" for y in years]
        if names:
            return names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
    return f"between {a} and {b}"


def _gaps(
    ax: _TimeAxis,
    present: Sequence[bool],
    lo: Any,
    hi: Any,
    *,
    adjacent: Any = None,
    missing: Any = None,
) -> list[tuple[float, float, str]]:
    """Spans of x without figures: rows without a value, and holes between rows."""
    order = sorted(range(len(ax.pos)), key=lambda i: ax.pos[i])
    gaps: list[tuple[float, float, str]] = []
    for i in order:
        if not present[i]:
            gaps.append((lo(i), hi(i), ax.labels[i]))
    for i, j in itertools.pairwise(order):
        if adjacent is not None:
            touching = adjacent(i, j)
        else:
            touching = lo(j) - hi(i) < 1e-9 * max(1.0, abs(hi(i)))
        if not touching and hi(i) < lo(j):
            what = (
                missing(i, j)
                if missing is not None
                else f"between {ax.labels[i]} and {ax.labels[j]}"
            )
            gaps.append((hi(i), lo(j), what))
    return sorted(gaps)


def _broken(
    xs: Sequence[float], ys: Sequence[float], gaps: Sequence[tuple[float, float, str]]
) -> tuple[list[float], list[float]]:
    """The points in x order with a NaN inserted inside every gap, so no line joins across."""
    pts = sorted((x, y) for x, y in zip(xs, ys, strict=True))
    out_x: list[float] = []
    out_y: list[float] = []
    for k, (x, y) in enumerate(pts):
        if k and any(pts[k - 1][0] < (g0 + g1) / 2 < x for g0, g1, _ in gaps):
            out_x.append(math.nan)
            out_y.append(math.nan)
        out_x.append(x)
        out_y.append(y)
    return out_x, out_y


def _draw_gaps(
    ax: Axes,
    gaps: Sequence[tuple[float, float, str]],
    *,
    legend: bool = True,
    series: str | None = None,
) -> None:
    what = "no figures" + (f" for {series}" if series else "") + ": "
    for k, (g0, g1, _what) in enumerate(gaps):
        ax.axvspan(
            g0,
            g1,
            facecolor="#F2F2F2",
            edgecolor="#BBBBBB",
            hatch="///",
            linewidth=0,
            zorder=0,
            gid="gap",
            label=(what + "; ".join(w for _, _, w in gaps) if legend and k == 0 else None),
        )


def _set_time_ticks(
    ax: Axes, axis: _TimeAxis, *, fontsize: float | None = None, max_ticks: int = 12
) -> None:
    pairs = sorted(zip(axis.pos, axis.labels, strict=True))
    if len(pairs) > max_ticks:
        k = math.ceil(len(pairs) / max_ticks)
        pairs = pairs[::k]
    many = len(pairs) > 6 or max((len(lab) for _, lab in pairs), default=0) * len(pairs) > 60
    ax.set_xticks(
        [p for p, _ in pairs],
        [lab for _, lab in pairs],
        rotation=35 if many else 0,
        ha="right" if many else "center",
        fontsize=fontsize,
    )


def _column(df: pl.DataFrame, name: str | None) -> list[Any] | None:
    if name is None:
        return None
    return df.get_column(name).to_list()


def _floats(values: Sequence[Any]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _fit_curves(
    fit: Any, xs: Sequence[float], ys: Sequence[float], confidence: float
) -> tuple[list[float], list[float], list[float], list[float], dict[str, Any]]:
    """Fitted log-linear line exp(a + b t) over ``xs`` (t in years) and its band for b's CI.

    The intercept solves the Poisson score equation sum(y) = sum(exp(a + b t)), as in the fit
    itself; the band holds every line whose slope lies in b's confidence interval (each with
    its own intercept, from the same equation), so it shows the uncertainty of the trend.
    """
    from statistics import NormalDist

    row = _fit_row(fit)
    b = float(row["coef"])
    se = row.get("se")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if not math.isnan(y)]
    if not pts:
        raise GroomstatsError("trend: fit= given but the series has no values to fit")
    centre = sum(x for x, _ in pts) / len(pts)
    total = sum(y for _, y in pts)
    if total <= 0:
        raise GroomstatsError("trend: fit= needs positive counts to place the fitted line")
    lo_x, hi_x = min(x for x, _ in pts), max(x for x, _ in pts)
    grid = [lo_x + (hi_x - lo_x) * k / 40 for k in range(41)]

    def line(slope: float) -> list[float]:
        a = math.log(total) - math.log(sum(math.exp(slope * (x - centre)) for x, _ in pts))
        return [math.exp(a + slope * (g - centre)) for g in grid]

    mid = line(b)
    if se is None or not math.isfinite(float(se)):
        return grid, mid, [], [], row
    lo = line(b - z * float(se))
    hi = line(b + z * float(se))
    band_lo = [min(p, q) for p, q in zip(lo, hi, strict=True)]
    band_hi = [max(p, q) for p, q in zip(lo, hi, strict=True)]
    row = dict(row)
    row["_apc_lower"] = 100 * math.expm1(b - z * float(se))
    row["_apc_upper"] = 100 * math.expm1(b + z * float(se))
    return grid, mid, band_lo, band_hi, row


def _fit_row(fit: Any) -> dict[str, Any]:
    if isinstance(fit, Mapping):
        row = dict(fit)
    else:
        df = as_polars(fit, "fit")
        if df.height != 1:
            raise GroomstatsError(
                f"trend: fit= must be one row of groomstats.trend() output, got {df.height} rows"
            )
        row = df.row(0, named=True)
    missing = [c for c in ("coef", "apc") if c not in row]
    if missing:
        raise GroomstatsError(
            f"trend: fit= lacks {missing}: pass one row of groomstats.trend() output"
        )
    if row["coef"] is None:
        raise GroomstatsError(f"trend: the fit has no slope ({row.get('reason')})")
    return row


def trend(
    data: Any,
    *,
    x: str = "period",
    y: str = "offences",
    lower: str | None = None,
    upper: str | None = None,
    fitted: str | None = None,
    fit: Any = None,
    confidence: float = 0.95,
    comparator: Any = None,
    comparator_y: str | None = None,
    comparator_label: str | None = None,
    comparator_axis: str = "left",
    series_break: dt.date | None = SERIES_BREAK,
    title: str | None = None,
    xlabel: str = "Period",
    ylabel: str = "Offences recorded",
    label: str | None = None,
    interval_label: str = "95% confidence interval",
    source: str | None = SOURCE_PRC,
) -> Figure:
    """Plot a series over time: gaps for missing periods, a fitted trend, a comparator.

    Periods (financial years such as ``"2017/18"``, quarters such as ``"2017/18 Q1"``, any
    label :meth:`groomstats.periods.Period.parse` reads, dates or numbers) are placed in
    proportion to time. A period with no figure, or missing between two that have one, is
    drawn as a hatched gap listed in the legend, and the line never joins across it.

    Parameters
    ----------
    data
        polars or pandas DataFrame, one row per period.
    x
        Column of periods: dates, numbers or period labels such as ``"2017/18"``.
    y
        Column of values (counts or rates); null values are gaps, never zero.
    lower, upper
        Columns with the interval around ``y`` (drawn as a shaded band).
    fitted
        Column with fitted values (e.g. from a model), drawn as a dashed line.
    fit
        One row of :func:`groomstats.trend` output (a frame or a mapping with ``coef``,
        ``se``, ``apc``, ``model``): the log-linear trend exp(a + b·t) is drawn over the
        periods with its band for the confidence interval of b, and the legend gives the
        annual percent change with that interval.
    confidence
        Level of the band drawn for ``fit``.
    comparator
        A second series with the same ``x`` column (e.g. England and Wales), drawn in grey.
    comparator_y
        Value column of ``comparator`` (default: ``y``).
    comparator_label
        Legend label of the comparator; default: the single value of its ``area`` (or
        ``force``) column, so a comparator is named by its own data.
    comparator_axis
        ``"left"`` (same scale) or ``"right"`` (own scale on a right-hand axis, for a count
        of a much larger area).
    series_break
        Date of a break in the series. A vertical dotted line marks it when the periods span
        it; None draws no marker.
    title, xlabel, ylabel
        Chart title and axis labels.
    label
        Legend label of the series (default: ``y``).
    interval_label
        Legend label of the band.
    source
        Source line printed at the bottom of the chart (None for none).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot

    Northamptonshire, April-December 2016 and 2017, as published (news_force_figures): the
    two periods straddle the 1 April 2017 series break, which the chart marks.

    >>> import datetime as dt
    >>> df = pl.DataFrame({"start": [dt.date(2016, 4, 1), dt.date(2017, 4, 1)],
    ...                    "offences": [5, 33]})
    >>> fig = plot.trend(df, x="start", title="Northamptonshire, April-December")
    >>> ax = fig.axes[0]
    >>> ax.get_ylabel()
    'Offences recorded'
    >>> [line.get_gid() for line in ax.lines]
    ['series', 'series-break']

    Three financial years missing between two that have figures: a gap, never a joined line.

    >>> uk = pl.DataFrame({"financial_year": ["2017/18", "2021/22"], "offences": [3728, 6156]})
    >>> ax = plot.trend(uk, x="financial_year", series_break=None).axes[0]
    >>> [round(float(v), 2) for v in ax.lines[0].get_xdata()]  # mid-points, in years
    [2017.75, nan, 2021.75]
    """
    df = as_polars(data, "trend data")
    require_columns(df, [c for c in (x, y, lower, upper, fitted) if c is not None], "trend data")
    if (lower is None) != (upper is None):
        raise GroomstatsError("trend: give both lower= and upper= columns, or neither")
    check_option(comparator_axis, ("left", "right"), "comparator_axis")
    xs_raw = _column(df, x) or []
    ys = _floats(_column(df, y) or [])
    axis = _time_axis(xs_raw, [not math.isnan(v) for v in ys])
    xs = axis.pos
    fig = _new_figure()
    ax = fig.add_subplot()
    _draw_gaps(ax, axis.gaps, series=(label or y) if comparator is not None else None)
    if lower is not None and upper is not None:
        bx, blo = _broken(xs, _floats(_column(df, lower) or []), axis.gaps)
        _, bhi = _broken(xs, _floats(_column(df, upper) or []), axis.gaps)
        ax.fill_between(
            bx,
            blo,
            bhi,
            color=OKABE_ITO["sky_blue"],
            alpha=0.35,
            linewidth=0,
            label=interval_label,
            gid="interval",
        )
    lx, ly = _broken(xs, ys, axis.gaps)
    ax.plot(
        lx, ly, marker="o", color=OKABE_ITO["blue"], label=label or y, gid="series", linewidth=2
    )
    if fitted is not None:
        fx, fy = _broken(xs, _floats(_column(df, fitted) or []), axis.gaps)
        ax.plot(
            fx,
            fy,
            linestyle="--",
            color=OKABE_ITO["vermillion"],
            label="fitted trend",
            gid="fitted",
        )
    if fit is not None:
        if axis.kind == "category":
            raise GroomstatsError(
                f"trend: fit= needs periods or numbers in column '{x}' to place the line in "
                f"time; got labels such as {axis.labels[0]!r}"
            )
        grid, mid, band_lo, band_hi, row = _fit_curves(fit, xs, ys, confidence)
        model = f", {row['model']}" if row.get("model") else ""
        if band_lo:
            ax.fill_between(
                grid,
                band_lo,
                band_hi,
                color=OKABE_ITO["vermillion"],
                alpha=0.15,
                linewidth=0,
                label=f"{confidence:.0%} interval of the trend "
                f"({row['_apc_lower']:+.1f}% to {row['_apc_upper']:+.1f}% a year)",
                gid="fit-interval",
            )
        ax.plot(
            grid,
            mid,
            linestyle="--",
            color=OKABE_ITO["vermillion"],
            linewidth=1.5,
            label=f"fitted trend: {float(row['apc']):+.1f}% a year (log-linear{model})",
            gid="fit",
        )
    twin = None
    caxis: _TimeAxis | None = None
    if comparator is not None:
        cdf = as_polars(comparator, "comparator")
        cy = comparator_y or y
        require_columns(cdf, [x, cy], "comparator")
        name = comparator_label
        if name is None:
            for col in ("area", "force", "label"):
                if col in cdf.columns and cdf.get_column(col).n_unique() == 1:
                    name = str(cdf.get_column(col)[0])
                    break
        if name is None:
            raise GroomstatsError(
                "trend: name the comparator: give comparator_label= or an 'area' column "
                "with one value (e.g. 'England and Wales')"
            )
        cvals = _floats(_column(cdf, cy) or [])
        caxis = _time_axis(_column(cdf, x) or [], [not math.isnan(v) for v in cvals])
        if caxis.kind != axis.kind:
            raise GroomstatsError(
                f"trend: comparator periods in '{x}' are not of the same kind as the series"
            )
        cx, cyy = _broken(caxis.pos, cvals, caxis.gaps)
        target_ax = ax
        if comparator_axis == "right":
            twin = ax.twinx()
            target_ax = twin
            twin.set_ylabel(f"{name}: {ylabel.lower()}", color="#555555")
            twin.tick_params(axis="y", colors="#555555")
        target_ax.plot(
            cx,
            cyy,
            marker="s",
            markersize=4,
            color="#777777",
            linewidth=1.5,
            label=name + (" (right-hand scale)" if twin is not None else ""),
            gid="comparator",
        )
        if twin is not None:
            twin.set_ylim(bottom=0)
            _thousands(twin, "y")
    if series_break is not None:
        pos = axis.break_at(series_break)
        if pos is not None:
            ax.axvline(
                pos,
                linestyle=":",
                color=OKABE_ITO["black"],
                linewidth=1.2,
                gid="series-break",
                label=f"series break ({series_break:%-d %B %Y})",
            )
    if axis.kind == "category":
        ax.set_xticks(xs, axis.labels, rotation=45 if len(xs) > 8 else 0)
    else:
        ticks = axis
        if caxis is not None:  # the comparator's periods are labelled too
            seen = dict(zip(axis.pos, axis.labels, strict=True))
            seen.update(
                (p, lab) for p, lab in zip(caxis.pos, caxis.labels, strict=True) if p not in seen
            )
            ticks = _TimeAxis(list(seen), list(seen.values()), axis.kind, [])
        _set_time_ticks(ax, ticks)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    _thousands(ax, "y")
    ax.grid(axis="y", color="#DDDDDD")
    ax.set_title(title or "")
    handles, labels = ax.get_legend_handles_labels()
    if twin is not None:
        h2, l2 = twin.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="upper left", frameon=False, fontsize=9)
    return _finish(fig, title, source, suptitle=False)


def small_multiples(
    data: Any,
    *,
    facet: str = "force",
    x: str = "quarter",
    y: str = "offences",
    lower: str | None = None,
    upper: str | None = None,
    ncols: int = 4,
    sharey: bool = True,
    title: str | None = None,
    xlabel: str = "Quarter",
    ylabel: str = "Offences recorded",
    source: str | None = SOURCE_PRC,
) -> Figure:
    """One small panel per group (e.g. each force in a region), on a shared scale.

    Every panel uses the same time axis (see :func:`trend`); a period a group lacks, or has no
    figure for, is a hatched gap in its panel and is listed under the title. For dozens of
    groups, :func:`panels` is much faster (one axes instead of one per group).

    Parameters
    ----------
    data
        polars or pandas DataFrame in long format: one row per group and period.
    facet
        Column naming the panel (e.g. ``"force"``); panels are in order of first appearance.
    x, y
        Period and value columns.
    lower, upper
        Optional interval columns, drawn as a band in each panel.
    ncols
        Panels per row.
    sharey
        Use one y scale for every panel (recommended for comparing forces).
    title, xlabel, ylabel, source
        As in :func:`trend`.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per group, each titled with the group's name.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> df = pl.DataFrame({
    ...     "force": ["Gwent"] * 2 + ["South Wales"] * 2,
    ...     "quarter": [1, 2, 1, 2],
    ...     "offences": [12, 16, 46, 26],  # 2017/18, embedded PRC
    ... })
    >>> fig = plot.small_multiples(df, ncols=2, title="Wales")
    >>> [ax.get_title() for ax in fig.axes]
    ['Gwent', 'South Wales']
    """
    df = as_polars(data, "small-multiples data")
    require_columns(
        df, [c for c in (facet, x, y, lower, upper) if c is not None], "small-multiples data"
    )
    if ncols < 1:
        raise GroomstatsError(f"small_multiples: ncols={ncols} must be at least 1")
    groups = df.get_column(facet).unique(maintain_order=True).to_list()
    if not groups:
        raise GroomstatsError("small_multiples: the data have no rows to plot")
    ncols = min(ncols, len(groups))
    nrows = math.ceil(len(groups) / ncols)
    fig = _new_figure((min(3.2 * ncols, 14.0), 2.4 * nrows + 1.3), left=0.75, top=0.75, bottom=1.35)
    fig.subplots_adjust(wspace=0.25, hspace=0.75)
    axes = fig.subplots(nrows, ncols, sharey=sharey, squeeze=False)
    # one time axis over every panel: the same periods at the same places, so a period one
    # force lacks shows as a gap in that panel
    every = df.get_column(x).unique(maintain_order=True).to_list()
    whole = _time_axis(every, [True] * len(every))
    where = dict(zip(every, whole.pos, strict=True))
    all_gaps: list[str] = []
    for i, name in enumerate(groups):
        ax = axes[i // ncols][i % ncols]
        part = df.filter(pl.col(facet) == name)
        xs_raw = _column(part, x) or []
        ys = _floats(_column(part, y) or [])
        axis = _time_axis(xs_raw, [not math.isnan(v) for v in ys])
        if axis.kind == "category":  # labels: place them as on the shared axis
            axis.pos = [where[v] for v in xs_raw]
        # periods present in other panels but absent here (before or after this panel's
        # own periods) are gaps too
        mine = set(xs_raw)
        for v in every:
            if v in mine or whole.kind == "category":
                continue
            k = every.index(v)
            if any(g0 < whole.pos[k] < g1 for g0, g1, _ in axis.gaps):
                continue
            half = _half_width(whole, k)
            axis.gaps.append((whole.pos[k] - half, whole.pos[k] + half, str(v)))
        axis.gaps = _merge_gaps(axis.gaps)
        _draw_gaps(ax, axis.gaps, legend=False)
        all_gaps += [f"{name}: {w}" for _, _, w in axis.gaps]
        if lower is not None and upper is not None:
            bx, blo = _broken(axis.pos, _floats(_column(part, lower) or []), axis.gaps)
            _, bhi = _broken(axis.pos, _floats(_column(part, upper) or []), axis.gaps)
            ax.fill_between(
                bx,
                blo,
                bhi,
                color=OKABE_ITO["sky_blue"],
                alpha=0.35,
                linewidth=0,
                gid="interval",
            )
        lx, ly = _broken(axis.pos, ys, axis.gaps)
        ax.plot(lx, ly, marker="o", markersize=4, color=OKABE_ITO["blue"], gid="series")
        if whole.kind == "category":
            ax.set_xticks(whole.pos, whole.labels, fontsize=8)
        elif whole.kind == "number" and all(isinstance(v, int) for v in every):
            ax.set_xticks(whole.pos, whole.labels, fontsize=8)
        else:
            _set_time_ticks(ax, whole, fontsize=8, max_ticks=5)
        ax.set_title(str(name), fontsize=10)
        ax.grid(axis="y", color="#DDDDDD")
    top = max([v for v in _floats(df.get_column(y).to_list()) if not math.isnan(v)] + [0.0])
    if upper is not None:
        top = max([v for v in _floats(df.get_column(upper).to_list()) if not math.isnan(v)] + [top])
    for row in axes:
        for ax in row:
            ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)
            _thousands(ax, "y")
    for j in range(len(groups), nrows * ncols):
        fig.delaxes(axes[j // ncols][j % ncols])
    for i in range(len(groups)):
        ax = axes[i // ncols][i % ncols]
        if i + ncols >= len(groups):  # nothing below it: bottom of its column
            ax.set_xlabel(xlabel, fontsize=9)
        if i % ncols == 0:
            ax.set_ylabel(ylabel, fontsize=9)
    if all_gaps:
        fig.text(
            0.01,
            1.0 - 0.42 / fig.get_figheight(),
            _wrap("Hatched: no figures (" + "; ".join(all_gaps) + ").", 170),
            fontsize=8,
            color="#444444",
            ha="left",
            va="top",
            gid="gaps-note",
        )
    fig.groomstats_gaps = all_gaps  # type: ignore[attr-defined]
    return _finish(fig, title, source)


def _half_width(axis: _TimeAxis, k: int) -> float:
    """Half the width of period ``k`` on a time axis (half the usual step otherwise)."""
    if axis.kind == "time" and axis.starts[k] is not None:
        start = axis.starts[k]
        assert start is not None
        return axis.pos[k] - _decimal_year(start)
    ordered = sorted(axis.pos)
    steps = [b - a for a, b in itertools.pairwise(ordered) if b > a]
    return (min(steps) if steps else 1.0) / 2


def _merge_gaps(gaps: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Join touching or overlapping gap spans (their descriptions joined)."""
    out: list[tuple[float, float, str]] = []
    for g0, g1, what in sorted(gaps):
        if out and g0 <= out[-1][1] + 1e-9:
            p0, p1, pw = out[-1]
            out[-1] = (p0, max(p1, g1), pw if what in pw else f"{pw}, {what}")
        else:
            out.append((g0, g1, what))
    return out


def panels(
    data: Any,
    *,
    facet: str = "force",
    x: str = "period",
    y: str = "offences",
    lower: str | None = None,
    upper: str | None = None,
    group: str | None = None,
    ncols: int = 6,
    title: str | None = None,
    unit: str = "offences",
    source: str | None = SOURCE_PRC,
) -> Figure:
    """Many small series in one chart, on one shared scale: one cell per group of rows.

    A compact alternative to :func:`small_multiples` for dozens of areas (e.g. the quarterly
    counts of all 43 forces): every cell is drawn on a single axes (no axes per area, so it
    renders in a fraction of the time), on the same vertical scale, with its interval band,
    hatched gaps for missing periods, the area's name and its total. With ``group`` (e.g.
    ``"region"``), each group is one row, named on the left.

    Parameters
    ----------
    data
        Long format: one row per area and period.
    facet, x, y
        Area, period and value columns.
    lower, upper
        Optional interval columns (a band in each cell).
    group
        Optional column grouping the areas into rows (its value is written at the left).
    ncols
        Cells per row (a group with more areas wraps onto more rows).
    title, source
        Title and source line.
    unit
        What the values count, for the scale note (e.g. ``"offences"``).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.groomstats_cells`` lists the areas in drawing order; ``fig.groomstats_top`` is
        the top of the shared scale.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> df = pl.DataFrame({
    ...     "force": ["Gwent"] * 4 + ["South Wales"] * 4,
    ...     "period": ["2017/18 Q1", "2017/18 Q2", "2017/18 Q3", "2017/18 Q4"] * 2,
    ...     "offences": [12, 16, 12, 6, 46, 26, 53, 47],  # 2017/18, embedded PRC
    ... })
    >>> fig = plot.panels(df, title="Welsh forces")
    >>> fig.groomstats_cells, fig.groomstats_top
    (['Gwent', 'South Wales'], 53.0)
    """
    df = as_polars(data, "panels data")
    require_columns(
        df, [c for c in (facet, x, y, lower, upper, group) if c is not None], "panels data"
    )
    if (lower is None) != (upper is None):
        raise GroomstatsError("panels: give both lower= and upper= columns, or neither")
    if ncols < 1:
        raise GroomstatsError(f"panels: ncols={ncols} must be at least 1")
    if df.height == 0:
        raise GroomstatsError("panels: the data have no rows to plot")
    every = df.get_column(x).unique(maintain_order=True).to_list()
    whole = _time_axis(every, [True] * len(every))
    order = sorted(range(len(every)), key=lambda i: whole.pos[i])
    every = [every[i] for i in order]
    where = {v: whole.pos[i] for v, i in zip(every, order, strict=True)}
    x0, x1 = min(where.values()), max(where.values())
    half = _half_width(whole, order[0]) if len(every) > 1 else 0.5
    x0, x1 = x0 - half, x1 + half
    vals = _floats(df.get_column(y).to_list())
    top = max([v for v in vals if not math.isnan(v)] + [0.0])
    if upper is not None:
        top = max([v for v in _floats(df.get_column(upper).to_list()) if not math.isnan(v)] + [top])
    top = top if top > 0 else 1.0

    # rows: (group label or None, [areas])
    rows: list[tuple[str | None, list[Any]]] = []
    if group is not None:
        for g in df.get_column(group).unique(maintain_order=True).to_list():
            members = df.filter(pl.col(group) == g).get_column(facet)
            names_l = members.unique(maintain_order=True).to_list()
            for k in range(0, len(names_l), ncols):
                rows.append((str(g) if k == 0 else "", names_l[k : k + ncols]))
    else:
        names_l = df.get_column(facet).unique(maintain_order=True).to_list()
        rows = [(None, names_l[k : k + ncols]) for k in range(0, len(names_l), ncols)]
    lead = 1.0 if group is not None else 0.0  # width (in cells) of the group labels
    width_cells = lead + ncols
    fig_w = min(1.75 * width_cells + 0.6, 14.0)
    cell_h = 1.05
    fig_h = cell_h * len(rows) + 1.9
    fig = _new_figure((fig_w, fig_h), left=0.3, right=0.3, top=0.85, bottom=1.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, width_cells)
    ax.set_ylim(-len(rows), 0.05)

    cells: list[str] = []
    band_colour = OKABE_ITO["sky_blue"]
    gaps_note: list[str] = []
    for r, (glabel, row_names) in enumerate(rows):
        if glabel:
            ax.text(
                0.0,
                -r - 0.45,
                _wrap(glabel, 16),
                fontsize=9,
                fontweight="bold",
                ha="left",
                va="center",
                gid="group",
            )
        for c, name in enumerate(row_names):
            cells.append(str(name))
            left = lead + c + 0.06
            right = lead + c + 0.94
            bottom = -r - 0.92
            height = 0.62

            def tx(v: float, _l: float = left, _r: float = right) -> float:
                return _l + (v - x0) / (x1 - x0) * (_r - _l)

            def ty(v: float, _b: float = bottom, _h: float = height) -> float:
                return _b + v / top * _h

            part = df.filter(pl.col(facet) == name)
            xs_raw = part.get_column(x).to_list()
            ys = _floats(part.get_column(y).to_list())
            axis = _time_axis(xs_raw, [not math.isnan(v) for v in ys])
            axis.pos = [where[v] for v in xs_raw]
            mine = set(xs_raw)
            spans: list[tuple[float, float, str]] = []
            for v in every:
                if v not in mine or (v in mine and math.isnan(ys[xs_raw.index(v)])):
                    w = where[v]
                    spans.append((w - half, w + half, str(v)))
            spans = _merge_gaps(spans)
            for g0, g1, what in spans:
                ax.fill_between(
                    [tx(g0), tx(g1)],
                    [bottom] * 2,
                    [bottom + height] * 2,
                    facecolor="#F2F2F2",
                    edgecolor="#BBBBBB",
                    hatch="///",
                    linewidth=0,
                    gid="gap",
                )
                gaps_note.append(f"{name}: {what}")
            ax.plot([left, right], [bottom, bottom], color="#999999", linewidth=0.6)
            if lower is not None and upper is not None:
                bx, blo = _broken(axis.pos, _floats(part.get_column(lower).to_list()), spans)
                _, bhi = _broken(axis.pos, _floats(part.get_column(upper).to_list()), spans)
                ax.fill_between(
                    [tx(v) for v in bx],
                    [ty(v) for v in blo],
                    [ty(v) for v in bhi],
                    color=band_colour,
                    alpha=0.35,
                    linewidth=0,
                    gid="interval",
                )
            lx, ly = _broken(axis.pos, ys, spans)
            ax.plot(
                [tx(v) for v in lx],
                [ty(v) for v in ly],
                color=OKABE_ITO["blue"],
                marker="o",
                markersize=2.5,
                linewidth=1.3,
                gid=f"series:{name}",
            )
            total = sum(v for v in ys if not math.isnan(v))
            ax.text(left, -r - 0.12, str(name), fontsize=8, ha="left", va="top", gid="name")
            ax.text(
                right,
                -r - 0.12,
                f"{total:,.0f}",
                fontsize=7.5,
                color="#444444",
                ha="right",
                va="top",
                gid="total",
            )
    first, last = str(every[0]), str(every[-1])
    note = (
        f"Each cell: {unit} by period from {first} to {last}, on the same scale "
        f"(baseline 0, top of a cell {top:,.0f}); the number at the top right is the total."
    )
    if lower is not None:
        note += " Band: 95% interval."
    if gaps_note:
        note += " Hatched: no figures (" + "; ".join(gaps_note) + ")."
    fig.text(
        0.01,
        1.0 - 0.62 / fig_h,
        _wrap(note, 170),
        fontsize=8,
        color="#444444",
        ha="left",
        va="top",
        gid="scale-note",
    )
    fig.groomstats_cells = cells  # type: ignore[attr-defined]
    fig.groomstats_top = top  # type: ignore[attr-defined]
    return _finish(fig, title, source)


def _significance_colour(label: Any) -> str:
    key = str(label).strip().lower() if label is not None else "not significant"
    if key in _SIGNIFICANCE_COLOURS:
        return _SIGNIFICANCE_COLOURS[key]
    if key.startswith("high"):
        return OKABE_ITO["vermillion"]
    if key.startswith("low"):
        return OKABE_ITO["blue"]
    return "#7F7F7F"


def funnel(
    data: Any,
    *,
    x: str = "denominator",
    y: str = "value",
    label: str = "force",
    significance: str | None = "significance",
    target: float | None = None,
    target_label: str | None = None,
    limits: Any = None,
    limits_x: str = "denominator",
    limit_columns: Mapping[str, str] | None = None,
    leave_out: str | Sequence[str] | None = "flag",
    min_denominator: float | None = None,
    annotate: bool = True,
    highlight: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    source: str | None = SOURCE_PRC_ONS,
) -> Figure:
    """Funnel plot: each area's value against its size, with control limits around a target.

    Areas too small for a meaningful value (flagged, or under ``min_denominator``) are left
    out of the plot and listed under it, so they neither stretch the axes nor look like
    outliers; areas outside the 99.8% limits are named.

    Parameters
    ----------
    data
        One row per area with its size ``x``, its value ``y``, a ``label`` and optionally a
        ``significance`` label (e.g. ``"High (0.001)"``, ``"Not significant"``) that sets the
        colour of its point.
    x, y, label, significance
        Column names in ``data``.
    target
        The central value (e.g. the national rate), drawn as a solid line. When None and the
        limits (or the data) have a ``target`` column, that is used.
    target_label
        Legend label of the target, e.g. ``"England and Wales (43 forces)"``; default
        ``"overall value"``: a comparator says what it is, and only the caller knows.
    limits
        Optional DataFrame of control limits on a grid of sizes (column ``limits_x``); when
        None, limit columns are looked for in ``data`` itself.
    limits_x
        Size column of ``limits``.
    limit_columns
        Map from legend label to limit column. Default: whichever of ``lower_99_8``,
        ``upper_99_8`` (99.8%) and ``lower_95``, ``upper_95`` (95%) exist.
    leave_out
        Areas not to plot: the name of a boolean column (default ``"flag"``, as
        :func:`groomstats.rates` marks denominators too small; ignored when absent) or a list
        of area names. They are listed in a note on the chart.
    min_denominator
        Also leave out areas whose ``x`` is below this.
    annotate
        Name the areas outside the 99.8% limits (or flagged "High (0.001)"/"Low (0.001)").
    highlight
        An area to ring and name whatever its position (e.g. the force a profile is about).
    title, xlabel, ylabel, source
        As in :func:`trend`; the axis labels default to the column names given (with the
        ``age_band`` and population ``year`` when the data carry them).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.groomstats_left_out`` lists the areas not plotted.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> df = pl.DataFrame({
    ...     "force": ["A", "B", "C", "D"],
    ...     "denominator": [10_000.0, 50_000.0, 200_000.0, 600.0],
    ...     "value": [60.0, 33.0, 34.0, 300.0],
    ...     "significance": ["High (0.001)", "Not significant", "Not significant", "High"],
    ...     "flag": [False, False, False, True],
    ... })
    >>> fig = plot.funnel(df, target=35.0, title="Rate per 100,000 children")
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.texts]
    ['A']
    >>> [c.get_gid() for c in ax.collections]
    ['areas']
    >>> fig.groomstats_left_out
    ['D']
    """
    df = as_polars(data, "funnel data")
    needed = [x, y, label] + ([significance] if significance else [])
    require_columns(df, needed, "funnel data")
    left_out: list[str] = []
    keep = pl.lit(True)
    if isinstance(leave_out, str):
        if leave_out in df.columns:
            if df.schema[leave_out] != pl.Boolean:
                raise GroomstatsError(
                    f"funnel: leave_out='{leave_out}' must name a boolean column, "
                    f"got {df.schema[leave_out]}"
                )
            keep = keep & ~pl.col(leave_out).fill_null(False)
    elif leave_out is not None:
        keep = keep & ~pl.col(label).is_in([str(v) for v in leave_out])
    if min_denominator is not None:
        keep = keep & (pl.col(x) >= min_denominator)
    dropped = df.filter(~keep)
    df = df.filter(keep)
    left_out = [str(v) for v in dropped.get_column(label).to_list()]

    lim = as_polars(limits, "funnel limits") if limits is not None else None
    lim_src = lim if lim is not None else df
    lx = limits_x if lim is not None else x
    if lim is not None:
        require_columns(lim, [limits_x], "funnel limits")
    if limit_columns is None:
        pairs = [
            ("99.8% limits", ("lower_99_8", "upper_99_8")),
            ("95% limits", ("lower_95", "upper_95")),
        ]
        limit_map = {
            f"{name} ({side})": col
            for name, cols in pairs
            for side, col in zip(("lower", "upper"), cols, strict=True)
            if col in lim_src.columns
        }
    else:
        require_columns(lim_src, list(limit_columns.values()), "funnel limits")
        limit_map = dict(limit_columns)
    if target is None:
        for src in (lim_src, df):
            if "target" in src.columns:
                t = src.get_column("target").drop_nulls()
                if t.len():
                    target = float(t[0])
                    break

    fig = _new_figure(bottom=1.35)
    ax = fig.add_subplot()
    ordered = lim_src.sort(lx)
    grid = _floats(ordered.get_column(lx).to_list())
    styles = {"99.8": ("-", OKABE_ITO["black"]), "95": ("--", "#555555")}
    seen: set[str] = set()
    xs = _floats(df.get_column(x).to_list())
    ys = _floats(df.get_column(y).to_list())
    # the y range: the points shown and the limits over the sizes shown (not the limits at
    # sizes no area has, which run off towards infinity near zero)
    x_lo = min([v for v in xs if not math.isnan(v)], default=0.0)
    y_top = max([v for v in ys if not math.isnan(v)] + [target or 0.0, 0.0])
    for name, col in limit_map.items():
        level = "99.8" if "99.8" in name or "99_8" in col else "95"
        ls, colour = styles[level]
        legend = f"{level}% limits"
        lys = _floats(ordered.get_column(col).to_list())
        ax.plot(
            grid,
            lys,
            linestyle=ls,
            color=colour,
            linewidth=1,
            label=None if legend in seen else legend,
            gid=f"limit:{col}",
        )
        seen.add(legend)
        inside = [v for g, v in zip(grid, lys, strict=True) if g >= x_lo and not math.isnan(v)]
        y_top = max([y_top, *inside])
    if target is not None:
        ax.axhline(
            target,
            color=OKABE_ITO["bluish_green"],
            linewidth=1.5,
            label=f"{target_label or 'overall value'} ({target:,.1f})",
            gid="target",
        )
    sig = df.get_column(significance).to_list() if significance else [None] * df.height
    colours = [_significance_colour(s) for s in sig]
    ax.scatter(xs, ys, c=colours, s=36, edgecolors="white", linewidths=0.6, zorder=3, gid="areas")
    names = df.get_column(label).to_list()
    upper998 = limit_map.get("99.8% limits (upper)")
    lower998 = limit_map.get("99.8% limits (lower)")
    named: list[int] = []
    for i, name in enumerate(names):
        flag = str(sig[i]).lower() if sig[i] is not None else ""
        outside = flag.endswith("(0.001)")
        if not outside and lim is None and (upper998 or lower998):
            hi = df.get_column(upper998)[i] if upper998 else None
            lo = df.get_column(lower998)[i] if lower998 else None
            outside = (hi is not None and ys[i] > hi) or (lo is not None and ys[i] < lo)
        if (annotate and outside) or name == highlight:
            named.append(i)
    x_top = max([v for v in xs if not math.isnan(v)] + [1.0]) * 1.08
    y_top = y_top * 1.08 if y_top > 0 else 1.0
    _label_points(ax, [(xs[i], ys[i], str(names[i])) for i in named], x_top, y_top)
    if highlight is not None and highlight in names:
        i = names.index(highlight)
        ax.scatter(
            [xs[i]],
            [ys[i]],
            s=140,
            facecolors="none",
            edgecolors=OKABE_ITO["black"],
            linewidths=1.5,
            zorder=4,
            gid="highlight",
        )
    # legend entries for the significance colours that occur
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    order = ["high (0.001)", "high (0.025)", "not significant", "low (0.025)", "low (0.001)"]
    present = dict.fromkeys(str(v) for v in sig if v is not None)
    for s in sorted(present, key=lambda v: order.index(v.lower()) if v.lower() in order else 9):
        handles.append(
            Line2D([], [], marker="o", linestyle="", color=_significance_colour(s), label=s)
        )
        labels.append(s)
    ax.legend(handles, labels, loc="upper right", frameon=False, fontsize=8)
    ax.set_xlabel(xlabel or _size_label(df, x))
    ax.set_ylabel(ylabel or y)
    ax.set_xlim(0, x_top)
    ax.set_ylim(0, y_top)
    _thousands(ax, "x")
    ax.grid(color="#EEEEEE")
    ax.set_title(title or f"{ylabel or y} by {label}")
    if left_out:
        parts = [
            f"{n} ({_fmt_num(d)}; {_fmt_num(v, 1)})"
            for n, d, v in dropped.select(label, x, y).iter_rows()
        ]
        fig.text(
            0.01,
            0.5 / fig.get_figheight(),
            _wrap(
                f"Not shown, too small for a meaningful value ({x}; {y}): " + ", ".join(parts),
                150,
            ),
            fontsize=8,
            color="#444444",
            ha="left",
            va="top",
            gid="left-out",
        )
    fig.groomstats_left_out = left_out  # type: ignore[attr-defined]
    return _finish(fig, title, source, suptitle=False)


def _fmt_num(v: Any, decimals: int = 0) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{float(v):,.{decimals}f}"


def _size_label(df: pl.DataFrame, x: str) -> str:
    """An axis label for the size column from what the data say about it."""
    what = "population" if "population" in df.columns else x
    extra = []
    for col in ("age_band", "population_age_band"):
        if col in df.columns and df.get_column(col).n_unique() == 1:
            extra.append(f"aged {df.get_column(col)[0]}")
    for col in ("population_year", "year"):
        if col in df.columns and df.get_column(col).n_unique() == 1:
            extra.append(f"mid-{df.get_column(col)[0]}")
    return what.capitalize() + (f" ({', '.join(extra)})" if extra else "")


def _label_points(
    ax: Axes, points: Sequence[tuple[float, float, str]], x_top: float, y_top: float
) -> None:
    """Name points, moving labels apart so that none sits on another."""
    placed: list[tuple[float, float]] = []
    dy = 0.04 * y_top

    def clash(x: float, y: float) -> bool:
        return any(abs(y - qy) < dy and abs(x - qx) < 0.15 * x_top for qx, qy in placed)

    for px, py, text in sorted(points, key=lambda p: -p[1]):
        # the nearest free height, below first, within the axes
        ty = py
        for k in range(1, 40):
            if not clash(px, ty):
                break
            for cand in (py - k * dy, py + k * dy):
                if 0.03 * y_top < cand < 0.95 * y_top and not clash(px, cand):
                    ty = cand
                    break
        placed.append((px, ty))
        right = px < 0.8 * x_top
        ax.annotate(
            text,
            (px, py),
            xytext=(px + (0.012 if right else -0.012) * x_top, ty + 0.01 * y_top),
            textcoords="data",
            fontsize=8,
            ha="left" if right else "right",
            va="bottom",
            arrowprops=(
                {"arrowstyle": "-", "color": "#999999", "linewidth": 0.6} if ty != py else None
            ),
        )


def ranked(
    data: Any,
    *,
    label: str = "force",
    y: str = "value",
    lower: str | None = "lower_95",
    upper: str | None = "upper_95",
    target: float | None = None,
    target_lower: float | None = None,
    target_upper: float | None = None,
    target_label: str | None = None,
    leave_out: str | Sequence[str] | None = "flag",
    interval_label: str = "95% confidence interval",
    title: str | None = None,
    xlabel: str | None = None,
    source: str | None = SOURCE_PRC_ONS,
) -> Figure:
    """Ranked bars of a value per area with interval whiskers and the national value.

    The chart public-health analysts know from Fingertips' area comparisons: areas sorted from
    the highest value down, each bar coloured by how its interval compares with the target
    (higher, similar, lower), the target drawn as a vertical line with its own interval. Areas
    too small for a meaningful value are left out and listed (see :func:`funnel`).

    Parameters
    ----------
    data
        One row per area, e.g. :func:`groomstats.rates` output.
    label, y, lower, upper
        Columns: area name, value and interval (None for no whiskers).
    target, target_lower, target_upper
        The comparator's value and interval (e.g. the England and Wales rate).
    target_label
        What the target is, e.g. ``"England and Wales"`` (default ``"overall value"``).
    leave_out
        A boolean column (default ``"flag"``, when present) or names of areas not to chart.
    interval_label, title, xlabel, source
        Legend label of the whiskers, title, value axis label (default ``y``) and source line.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.groomstats_order`` lists the areas from the top; ``fig.groomstats_left_out``
        the areas not charted.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> df = pl.DataFrame({"force": ["A", "B", "C"], "value": [20.0, 50.0, 35.0],
    ...                    "lower_95": [15.0, 44.0, 30.0], "upper_95": [26.0, 57.0, 41.0]})
    >>> fig = plot.ranked(df, target=35.0, target_label="All three", title="Rates")
    >>> fig.groomstats_order
    ['B', 'C', 'A']
    >>> [float(p.get_width()) for p in fig.axes[0].patches]
    [50.0, 35.0, 20.0]
    """
    df = as_polars(data, "ranked data")
    require_columns(df, [c for c in (label, y, lower, upper) if c is not None], "ranked data")
    if (lower is None) != (upper is None):
        raise GroomstatsError("ranked: give both lower= and upper= columns, or neither")
    keep = pl.lit(True)
    if isinstance(leave_out, str):
        if leave_out in df.columns:
            keep = ~pl.col(leave_out).fill_null(False)
    elif leave_out is not None:
        keep = ~pl.col(label).is_in([str(v) for v in leave_out])
    dropped = df.filter(~keep)
    df = df.filter(keep)
    no_value = df.filter(pl.col(y).is_null())
    df = df.filter(pl.col(y).is_not_null()).sort(y, descending=True, maintain_order=True)
    names = [str(v) for v in df.get_column(label).to_list()]
    vals = _floats(df.get_column(y).to_list())
    lo = _floats(df.get_column(lower).to_list()) if lower else None
    hi = _floats(df.get_column(upper).to_list()) if upper else None
    longest = max((len(n) for n in names), default=5)
    height = max(3.0, 0.24 * len(names) + 2.2)
    fig = _new_figure((10.0, height), left=0.2 + 0.075 * longest, top=0.6, bottom=1.2)
    ax = fig.add_subplot()
    pos = list(range(len(names)))
    colours = []
    for i, _v in enumerate(vals):
        if target is None or lo is None or hi is None:
            colours.append(OKABE_ITO["blue"])
        elif lo[i] > target:
            colours.append(OKABE_ITO["vermillion"])
        elif hi[i] < target:
            colours.append(OKABE_ITO["sky_blue"])
        else:
            colours.append("#BBBBBB")
    xerr = None
    if lo is not None and hi is not None:
        xerr = [
            [max(v - a, 0.0) for v, a in zip(vals, lo, strict=True)],
            [max(b - v, 0.0) for v, b in zip(vals, hi, strict=True)],
        ]
    ax.barh(pos, vals, color=colours, height=0.7, gid="bars")
    if xerr is not None:
        ax.errorbar(
            vals,
            pos,
            xerr=xerr,
            fmt="none",
            ecolor=OKABE_ITO["black"],
            elinewidth=0.8,
            capsize=2,
            label=interval_label,
            gid="intervals",
        )
    if target is not None:
        name = target_label or "overall value"
        if target_lower is not None and target_upper is not None:
            ax.axvspan(
                target_lower, target_upper, color=OKABE_ITO["bluish_green"], alpha=0.15, lw=0
            )
        ax.axvline(
            target,
            color=OKABE_ITO["bluish_green"],
            linewidth=1.5,
            label=f"{name} ({target:,.1f})",
            gid="target",
        )
        from matplotlib.patches import Patch

        handles, labels = ax.get_legend_handles_labels()
        if lo is not None:
            for colour, what in (
                (OKABE_ITO["vermillion"], f"higher than {name}"),
                ("#BBBBBB", f"similar to {name}"),
                (OKABE_ITO["sky_blue"], f"lower than {name}"),
            ):
                if colour in colours:
                    handles.append(Patch(color=colour, label=what))
                    labels.append(what)
        ax.legend(handles, labels, loc="lower right", frameon=True, fontsize=8)
    ax.set_yticks(pos, names, fontsize=8)
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlabel(xlabel or y)
    ax.set_xlim(left=0)
    ax.set_axisbelow(True)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_title(title or "")
    notes = []
    if dropped.height:
        notes.append(
            "Not shown, too small for a meaningful value: "
            + ", ".join(str(v) for v in dropped.get_column(label).to_list())
        )
    if no_value.height:
        notes.append("No value: " + ", ".join(str(v) for v in no_value.get_column(label).to_list()))
    if notes:
        fig.text(
            0.01,
            0.45 / height,
            _wrap(". ".join(notes) + ".", 150),
            fontsize=8,
            color="#444444",
            ha="left",
            va="bottom",
            gid="left-out",
        )
    fig.groomstats_order = names  # type: ignore[attr-defined]
    fig.groomstats_left_out = [str(v) for v in dropped.get_column(label).to_list()]  # type: ignore[attr-defined]
    return _finish(fig, title, source, suptitle=False)


def shares(
    data: Any,
    *,
    category: str = "category",
    share: str = "share",
    lower: str | None = None,
    upper: str | None = None,
    percent: bool = True,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str = "",
    note: str | None = None,
    source: str | None = SOURCE_NSPCC,
) -> Figure:
    """Horizontal bars of shares (e.g. platforms, victim age bands) with interval whiskers.

    Parameters
    ----------
    data
        One row per category, in the order to draw them (top to bottom).
    category, share
        Column names for the bar labels and the shares.
    lower, upper
        Optional interval columns (e.g. Wilson 95% limits), drawn as whiskers.
    percent
        Whether shares are percentages (0-100); otherwise proportions (0-1) shown as percent.
    title, xlabel, ylabel, source
        As in :func:`trend`; ``xlabel`` defaults to "Share of offences (%)".
    note
        A line under the chart, e.g. the base: "of 1,824 offences where the method was recorded".

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> df = pl.DataFrame({"platform": ["Snapchat", "WhatsApp"], "share": [48.0, 12.0]})
    >>> fig = plot.shares(df, category="platform", title="Platforms")
    >>> ax = fig.axes[0]
    >>> [float(p.get_width()) for p in ax.patches]
    [48.0, 12.0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Snapchat', 'WhatsApp']
    """
    df = as_polars(data, "share data")
    require_columns(df, [c for c in (category, share, lower, upper) if c is not None], "share data")
    if (lower is None) != (upper is None):
        raise GroomstatsError("shares: give both lower= and upper= columns, or neither")
    scale = 1.0 if percent else 100.0
    cats = [str(c) for c in df.get_column(category).to_list()]
    vals = [v * scale for v in _floats(df.get_column(share).to_list())]
    longest = max((len(c) for c in cats), default=5)
    fig = _new_figure(
        (10.0, max(3.0, 0.45 * len(cats) + 1.8)), left=0.3 + 0.075 * longest, bottom=1.0
    )
    ax = fig.add_subplot()
    pos = list(range(len(cats)))
    xerr = None
    if lower is not None and upper is not None:
        lo = [v * scale for v in _floats(df.get_column(lower).to_list())]
        hi = [v * scale for v in _floats(df.get_column(upper).to_list())]
        xerr = [
            [max(v - a, 0.0) for v, a in zip(vals, lo, strict=True)],
            [max(b - v, 0.0) for v, b in zip(vals, hi, strict=True)],
        ]
    ax.barh(
        pos,
        vals,
        xerr=xerr,
        color=OKABE_ITO["blue"],
        ecolor=OKABE_ITO["black"],
        capsize=3,
        gid="shares",
    )
    ends = xerr[1] if xerr is not None else [0.0] * len(vals)
    for p, v, e in zip(pos, vals, ends, strict=True):
        if not math.isnan(v):
            ax.text(v + e, p, f"  {v:.0f}%", va="center", ha="left", fontsize=8, gid="value")
    ax.set_yticks(pos, cats)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or "Share of offences (%)")
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, min(100.0, max([v for v in vals if not math.isnan(v)] + [1.0]) * 1.25))
    ax.set_axisbelow(True)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_title(title or "")
    if note:
        ax.text(
            0.99,
            0.02,
            note,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            gid="note",
        )
    return _finish(fig, title, source, suptitle=False)


def to_svg(fig: Figure, *, id_prefix: str = "") -> str:
    """The chart as an SVG document (text kept as text), for inlining in an HTML page.

    Parameters
    ----------
    fig
        A figure returned by this module.
    id_prefix
        Prepended to every ``id`` in the SVG (and to the references to them), so that
        several charts inlined in one page never share an id.

    Returns
    -------
    str
        ``<svg ...>...</svg>`` without the XML prolog, with a ``<title>`` from the chart's
        title, ready to paste into HTML.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> fig = plot.trend(pl.DataFrame({"period": [1, 2], "offences": [3, 4]}))
    >>> svg = plot.to_svg(fig, id_prefix="c1-")
    >>> svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    True
    >>> 'id="c1-' in svg and 'id="patch' not in svg
    True
    """
    import io
    from html import escape

    from matplotlib import rc_context

    _check_figure(fig)
    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "groomstats"}):
        fig.savefig(buf, format="svg", dpi=DPI, metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    if id_prefix:
        text = re.sub(r'\bid="([^"]+)"', rf'id="{id_prefix}\1"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{id_prefix}\1)", text)
        text = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{id_prefix}\1"', text)
    title = getattr(fig, "groomstats_title", None) or ""
    if title:
        head = text.index(">") + 1
        text = f"{text[:head]}<title>{escape(title)}</title>{text[head:]}"
    return text


def _check_figure(fig: Any) -> None:
    from matplotlib.figure import Figure as _Figure

    if not isinstance(fig, _Figure):
        raise GroomstatsError(
            f"save: expected a matplotlib Figure (from groomstats.plot), got {type(fig).__name__}"
        )


def to_png(fig: Figure, *, title: str | None = None, description: str | None = None) -> bytes:
    """The chart as PNG bytes (1000 x 600 pixels at the default size) with its metadata.

    The PNG text chunks hold ``Title`` (default: the chart's title), ``Description`` and
    ``Source`` (the chart's source line); :func:`save` writes these bytes to a file.

    Parameters
    ----------
    fig
        A figure returned by this module.
    title, description
        Text for the PNG metadata.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> png = plot.to_png(plot.trend(pl.DataFrame({"period": [1, 2], "offences": [3, 4]})))
    >>> png[:4] == bytes([0x89]) + b"PNG"
    True
    """
    import io

    _check_figure(fig)
    if title is None:
        title = getattr(fig, "groomstats_title", None)
        if not title:
            axes: list[Axes] = list(fig.axes)
            title = axes[0].get_title() if axes else ""
    meta = {
        "Title": title or "",
        "Description": description or "",
        "Source": getattr(fig, "groomstats_source", None) or "",
        "Software": "groomstats",
    }
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata=meta, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def save(
    fig: Figure,
    path: str | Path,
    *,
    title: str | None = None,
    description: str | None = None,
) -> Path:
    """Write ``fig`` as a PNG of exactly 1000 x 600 pixels (for the default size) with metadata.

    The PNG text chunks hold ``Title`` (default: the axes title or figure title),
    ``Description`` and ``Source`` (the chart's source line), so a chart found on disk says what
    it shows and where the numbers come from.

    Parameters
    ----------
    fig
        A figure returned by this module.
    path
        Output file; its parent directory must exist.
    title, description
        Text for the PNG metadata.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import polars as pl
    >>> from groomstats import plot
    >>> fig = plot.trend(pl.DataFrame({"period": [1, 2], "offences": [3, 4]}), title="T")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = plot.save(fig, pathlib.Path(d) / "t.png", description="test")
    ...     p.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    _check_figure(fig)
    out = Path(path)
    if not out.parent.is_dir():
        raise GroomstatsError(f"save: directory {out.parent} does not exist — create it first")
    data = to_png(fig, title=title, description=description)
    import os
    import tempfile

    # atomically: a temporary file in the same directory, then a rename over the target (a
    # symlink planted at the target is replaced, never written through)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # as open() would create it, not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out

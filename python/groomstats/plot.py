"""Charts for grooming statistics (matplotlib, optional extra ``plot``).

Every function takes a polars (or pandas) DataFrame, draws one chart and returns the
:class:`matplotlib.figure.Figure`. Figures are built without :mod:`matplotlib.pyplot`, so they
work headless (rendering goes through Agg), nothing accumulates in pyplot's registry and there is
nothing to close. In Jupyter, run ``%matplotlib inline`` once and a returned figure displays.

Conventions on every chart: the colour-blind-safe Okabe-Ito palette, labelled axes, a title and a
source line at the bottom-left (``source=``; defaults to the Home Office police recorded crime
attribution under the Open Government Licence v3.0). :func:`save` writes a PNG of a fixed pixel
size with the title, description and source in the PNG text chunks.

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
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from groomstats._util import as_polars, require_columns
from groomstats.exceptions import GroomstatsError
from groomstats.periods import SERIES_BREAK, label_start

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "SOURCE_NSPCC",
    "SOURCE_PRC",
    "SOURCE_PRC_ONS",
    "funnel",
    "save",
    "shares",
    "small_multiples",
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
    "Source: Home Office police recorded crime open data, 2017/18 (88A sexual grooming). "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
#: Attribution for charts of rates (crime counts over ONS population estimates).
SOURCE_PRC_ONS = (
    "Source: Home Office police recorded crime, 2017/18 (88A); ONS mid-2023 population "
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


def _new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.layout_engine import ConstrainedLayoutEngine
    except ImportError as e:  # pragma: no cover - matplotlib is a dependency
        raise GroomstatsError(
            f"groomstats.plot needs matplotlib ({e}); install it with "
            "pip install 'groomstats[plot]'"
        ) from e

    # constrained layout, leaving a strip at the bottom for the source line
    strip = min(0.5 / figsize[1], 0.2)  # about half an inch for the source line
    fig = Figure(
        figsize=figsize,
        dpi=DPI,
        layout=ConstrainedLayoutEngine(rect=(0.0, strip, 1.0, 1.0 - strip)),
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


def _x_positions(values: Sequence[Any]) -> tuple[list[Any], list[str] | None]:
    """Numeric/date x positions, and tick labels when x is categorical."""
    if all(isinstance(v, dt.date | int | float) and not isinstance(v, bool) for v in values):
        return list(values), None
    return list(range(len(values))), [str(v) for v in values]


def _break_position(values: Sequence[Any], when: dt.date) -> Any | None:
    """Where to draw the series-break marker, or None if the data do not span it."""
    starts = [label_start(v) for v in values]
    if any(s is None for s in starts):
        return None
    known = [s for s in starts if s is not None]
    if not known or not (min(known) < when <= max(known)):
        return None
    if all(isinstance(v, dt.date) for v in values):
        return dt.datetime.combine(when, dt.time()) if isinstance(values[0], dt.datetime) else when
    first_after = next(i for i, s in enumerate(known) if s >= when)
    return first_after - 0.5


def _column(df: pl.DataFrame, name: str | None) -> list[Any] | None:
    if name is None:
        return None
    return df.get_column(name).to_list()


def _floats(values: Sequence[Any]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def trend(
    data: Any,
    *,
    x: str = "period",
    y: str = "offences",
    lower: str | None = None,
    upper: str | None = None,
    fitted: str | None = None,
    series_break: dt.date | None = SERIES_BREAK,
    title: str | None = None,
    xlabel: str = "Period",
    ylabel: str = "Offences recorded",
    label: str | None = None,
    interval_label: str = "95% confidence interval",
    source: str | None = SOURCE_PRC,
) -> Figure:
    """Plot a series over time with an optional confidence band, fitted line and break marker.

    Parameters
    ----------
    data
        polars or pandas DataFrame, one row per period, sorted by ``x``.
    x
        Column of periods: dates, numbers or labels such as ``"2017/18"``.
    y
        Column of values (counts or rates).
    lower, upper
        Columns with the interval around ``y`` (drawn as a shaded band).
    fitted
        Column with fitted values (e.g. from a trend model), drawn as a dashed line.
    series_break
        Date of a break in the series. A vertical dotted line marks it when the periods span
        it (dates, or financial-year labels); None draws no marker.
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
    """
    df = as_polars(data, "trend data")
    require_columns(df, [c for c in (x, y, lower, upper, fitted) if c is not None], "trend data")
    if (lower is None) != (upper is None):
        raise GroomstatsError("trend: give both lower= and upper= columns, or neither")
    xs_raw = _column(df, x) or []
    xs, ticks = _x_positions(xs_raw)
    ys = _floats(_column(df, y) or [])
    fig = _new_figure()
    ax = fig.add_subplot()
    if lower is not None and upper is not None:
        ax.fill_between(
            xs,
            _floats(_column(df, lower) or []),
            _floats(_column(df, upper) or []),
            color=OKABE_ITO["sky_blue"],
            alpha=0.35,
            linewidth=0,
            label=interval_label,
            gid="interval",
        )
    ax.plot(
        xs, ys, marker="o", color=OKABE_ITO["blue"], label=label or y, gid="series", linewidth=2
    )
    if fitted is not None:
        ax.plot(
            xs,
            _floats(_column(df, fitted) or []),
            linestyle="--",
            color=OKABE_ITO["vermillion"],
            label="fitted trend",
            gid="fitted",
        )
    if series_break is not None:
        pos = _break_position(xs_raw, series_break)
        if pos is not None:
            ax.axvline(
                pos,
                linestyle=":",
                color=OKABE_ITO["black"],
                linewidth=1.2,
                gid="series-break",
                label=f"series break ({series_break:%-d %B %Y})",
            )
    if ticks is not None:
        ax.set_xticks(xs, ticks, rotation=45 if len(ticks) > 8 else 0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    _thousands(ax, "y")
    ax.grid(axis="y", color="#DDDDDD")
    ax.set_title(title or "")
    ax.legend(loc="upper left", frameon=False, fontsize=9)
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
    fig = _new_figure((min(3.2 * ncols, 14.0), 2.4 * nrows + 1.0))
    axes = fig.subplots(nrows, ncols, sharey=sharey, squeeze=False)
    for i, name in enumerate(groups):
        ax = axes[i // ncols][i % ncols]
        part = df.filter(pl.col(facet) == name)
        xs_raw = _column(part, x) or []
        xs, ticks = _x_positions(xs_raw)
        if lower is not None and upper is not None:
            ax.fill_between(
                xs,
                _floats(_column(part, lower) or []),
                _floats(_column(part, upper) or []),
                color=OKABE_ITO["sky_blue"],
                alpha=0.35,
                linewidth=0,
                gid="interval",
            )
        ax.plot(
            xs,
            _floats(_column(part, y) or []),
            marker="o",
            color=OKABE_ITO["blue"],
            gid="series",
        )
        if ticks is not None:
            many = len(ticks) > 4
            ax.set_xticks(
                xs, ticks, rotation=45 if many else 0, ha="right" if many else "center", fontsize=8
            )
        elif all(isinstance(v, int) for v in xs_raw):
            ax.set_xticks(xs_raw)
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
    limits: Any = None,
    limits_x: str = "denominator",
    limit_columns: Mapping[str, str] | None = None,
    annotate: bool = True,
    highlight: str | None = None,
    title: str | None = None,
    xlabel: str = "Children aged 0-17 (ONS mid-2023)",
    ylabel: str = "Offences per 100,000 children",
    source: str | None = SOURCE_PRC_ONS,
) -> Figure:
    """Funnel plot: each area's value against its size, with control limits around a target.

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
        limits have a ``target`` column, that is used.
    limits
        Optional DataFrame of control limits on a grid of sizes (column ``limits_x``); when
        None, limit columns are looked for in ``data`` itself.
    limits_x
        Size column of ``limits``.
    limit_columns
        Map from legend label to limit column. Default: whichever of ``lower_99_8``,
        ``upper_99_8`` (99.8%) and ``lower_95``, ``upper_95`` (95%) exist.
    annotate
        Name the areas outside the 99.8% limits (or flagged "High (0.001)"/"Low (0.001)").
    highlight
        An area to ring and name whatever its position (e.g. the force a profile is about).
    title, xlabel, ylabel, source
        As in :func:`trend`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> df = pl.DataFrame({
    ...     "force": ["A", "B", "C"],
    ...     "denominator": [10_000.0, 50_000.0, 200_000.0],
    ...     "value": [60.0, 33.0, 34.0],
    ...     "significance": ["High (0.001)", "Not significant", "Not significant"],
    ... })
    >>> fig = plot.funnel(df, target=35.0, title="Rate per 100,000 children")
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.texts]
    ['A']
    >>> [c.get_gid() for c in ax.collections]
    ['areas']
    """
    df = as_polars(data, "funnel data")
    needed = [x, y, label] + ([significance] if significance else [])
    require_columns(df, needed, "funnel data")
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
    if target is None and "target" in lim_src.columns:
        t = lim_src.get_column("target").drop_nulls()
        target = float(t[0]) if t.len() else None

    fig = _new_figure()
    ax = fig.add_subplot()
    ordered = lim_src.sort(lx)
    grid = _floats(ordered.get_column(lx).to_list())
    styles = {"99.8": ("-", OKABE_ITO["black"]), "95": ("--", "#555555")}
    seen: set[str] = set()
    for name, col in limit_map.items():
        level = "99.8" if "99.8" in name or "99_8" in col else "95"
        ls, colour = styles[level]
        legend = f"{level}% limits"
        ax.plot(
            grid,
            _floats(ordered.get_column(col).to_list()),
            linestyle=ls,
            color=colour,
            linewidth=1,
            label=None if legend in seen else legend,
            gid=f"limit:{col}",
        )
        seen.add(legend)
    if target is not None:
        ax.axhline(
            target,
            color=OKABE_ITO["bluish_green"],
            linewidth=1.5,
            label=f"England and Wales ({target:,.1f})",
            gid="target",
        )
    xs = _floats(df.get_column(x).to_list())
    ys = _floats(df.get_column(y).to_list())
    sig = df.get_column(significance).to_list() if significance else [None] * df.height
    colours = [_significance_colour(s) for s in sig]
    ax.scatter(xs, ys, c=colours, s=36, edgecolors="white", linewidths=0.6, zorder=3, gid="areas")
    names = df.get_column(label).to_list()
    upper998 = limit_map.get("99.8% limits (upper)")
    lower998 = limit_map.get("99.8% limits (lower)")
    for i, name in enumerate(names):
        flag = str(sig[i]).lower() if sig[i] is not None else ""
        outside = flag.endswith("(0.001)")
        if not outside and lim is None and (upper998 or lower998):
            hi = df.get_column(upper998)[i] if upper998 else None
            lo = df.get_column(lower998)[i] if lower998 else None
            outside = (hi is not None and ys[i] > hi) or (lo is not None and ys[i] < lo)
        if (annotate and outside) or name == highlight:
            ax.annotate(
                str(name),
                (xs[i], ys[i]),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
            )
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
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    _thousands(ax, "x")
    ax.grid(color="#EEEEEE")
    ax.set_title(title or "")
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
    fig = _new_figure((10.0, max(3.0, 0.45 * len(cats) + 1.8)))
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
    from matplotlib.figure import Figure as _Figure

    if not isinstance(fig, _Figure):
        raise GroomstatsError(
            f"save: expected a matplotlib Figure (from groomstats.plot), got {type(fig).__name__}"
        )
    out = Path(path)
    if not out.parent.is_dir():
        raise GroomstatsError(f"save: directory {out.parent} does not exist — create it first")
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
    fig.savefig(out, format="png", dpi=DPI, metadata=meta)
    return out

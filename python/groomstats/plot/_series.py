"""groomstats.plot: _series (see groomstats.plot for the public functions)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from groomstats._util import as_polars, check_option, require_columns
from groomstats.exceptions import GroomstatsError
from groomstats.periods import SERIES_BREAK

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

from groomstats.plot._base import (
    OKABE_ITO,
    _column,
    _finish,
    _floats,
    _new_figure,
    _thousands,
    _wrap,
)
from groomstats.plot._time import (
    _broken,
    _draw_gaps,
    _fit_curves,
    _half_width,
    _merge_gaps,
    _set_time_ticks,
    _time_axis,
    _TimeAxis,
)


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
    source: str | None = None,
    incomplete: str | None = None,
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
        Source line printed at the bottom of the chart: say where the data come from (e.g.
        :data:`SOURCE_PRC` for the Home Office tables); default None, no line (a chart never
        claims a source it was not given).
    incomplete
        Column marking rows whose figure is incomplete: a note saying what it misses (e.g.
        ``"excludes Kent: N/a"``; null when complete) or a boolean. Such a point is drawn as
        an open marker with its note beside it, is not joined to its neighbours and is left
        out of ``fit``: an incomplete total is never shown as one of the series.

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

    Quarters either side of 1 April 2017 are never joined, and a quarter whose total misses a
    force (2017/18 Q1 here, synthetic figures) is an open marker with its note:

    >>> q = pl.DataFrame({"period": ["2016/17 Q4", "2017/18 Q1", "2017/18 Q2"],
    ...                   "offences": [120, 875, 942],
    ...                   "note": [None, "excludes Kent: N/a", None]})
    >>> ax = plot.trend(q, incomplete="note").axes[0]
    >>> [float(v) for v in ax.lines[0].get_ydata()]
    [120.0, nan, nan, 942.0]
    >>> [t.get_text() for t in ax.texts]
    ['excludes Kent: N/a']
    """
    df = as_polars(data, "trend data")
    require_columns(df, [c for c in (x, y, lower, upper, fitted) if c is not None], "trend data")
    if (lower is None) != (upper is None):
        raise GroomstatsError("trend: give both lower= and upper= columns, or neither")
    check_option(comparator_axis, ("left", "right"), "comparator_axis")
    if incomplete is not None:
        require_columns(df, [incomplete], "trend data")
    xs_raw = _column(df, x) or []
    ys = _floats(_column(df, y) or [])
    axis = _time_axis(xs_raw, [not math.isnan(v) for v in ys])
    xs = axis.pos
    notes = _incomplete_notes(df, incomplete)
    # an incomplete figure is no point of the line (nor of a fit); a series break cuts it
    ys_all, ys = ys, [math.nan if n is not None else v for v, n in zip(ys, notes, strict=True)]
    cut_at = axis.break_at(series_break) if series_break is not None else None
    cuts = [*axis.gaps, (cut_at, cut_at, "")] if cut_at is not None else list(axis.gaps)
    fig = _new_figure()
    ax = fig.add_subplot()
    _draw_gaps(ax, axis.gaps, series=(label or y) if comparator is not None else None)
    if lower is not None and upper is not None:
        held = [n is None for n in notes]
        los = [
            v if k else math.nan
            for v, k in zip(_floats(_column(df, lower) or []), held, strict=True)
        ]
        his = [
            v if k else math.nan
            for v, k in zip(_floats(_column(df, upper) or []), held, strict=True)
        ]
        bx, blo = _broken(xs, los, cuts)
        _, bhi = _broken(xs, his, cuts)
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
    lx, ly = _broken(xs, ys, cuts)
    ax.plot(
        lx, ly, marker="o", color=OKABE_ITO["blue"], label=label or y, gid="series", linewidth=2
    )
    _draw_incomplete(ax, xs, ys_all, notes)
    if fitted is not None:
        fx, fy = _broken(xs, _floats(_column(df, fitted) or []), cuts)
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
        ccut = caxis.break_at(series_break) if series_break is not None else None
        cx, cyy = _broken(
            caxis.pos, cvals, [*caxis.gaps, (ccut, ccut, "")] if ccut is not None else caxis.gaps
        )
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
    if caxis is None and all(math.isnan(v) for v in ys_all):
        # no figure at all: no scale to read (matplotlib's default 0 to 0.06 was one)
        ax.set_ylim(0, 1)
        ax.set_yticks([])
    ax.grid(axis="y", color="#DDDDDD")
    ax.set_title(title or "")
    handles, labels = ax.get_legend_handles_labels()
    if twin is not None:
        h2, l2 = twin.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    if handles:  # headroom for the legend (about 6% of the height an entry) above the data
        ax.set_ylim(top=ax.get_ylim()[1] * (1 + 0.065 * len(handles)))
    ax.legend(handles, labels, loc="best", frameon=True, framealpha=0.9, fontsize=9)
    return _finish(fig, title, source, suptitle=False)


def _fit_name(name: str, total: str, inches: float) -> str:
    """A panel's name cut (with an ellipsis) so that it and the total beside it fit the cell's
    width (at most about 0.065 in a character of a name at 8 pt, 0.05 of a figure at 7.5 pt,
    as measured): long names overlapped the total and the next panel's name."""
    room = int((inches - 0.05 - 0.05 * len(total)) / 0.065)
    if len(name) <= room:
        return name
    return name[: max(room - 1, 3)].rstrip() + "\u2026"


def _incomplete_notes(df: pl.DataFrame, column: str | None) -> list[str | None]:
    """Per row: the note of an incomplete figure (None when complete)."""
    if column is None:
        return [None] * df.height
    out: list[str | None] = []
    for v in df.get_column(column).to_list():
        if v is None or v is False or (isinstance(v, str) and not v.strip()):
            out.append(None)
        else:
            out.append("incomplete" if v is True else str(v))
    return out


def _draw_incomplete(
    ax: Any, xs: Sequence[float], ys: Sequence[float], notes: Sequence[str | None]
) -> None:
    """Open markers for the incomplete figures, each with its note, in the legend once."""
    hit = [
        (x, y, n)
        for x, y, n in zip(xs, ys, notes, strict=True)
        if n is not None and not math.isnan(y)
    ]
    if not hit:
        return
    ax.plot(
        [x for x, _, _ in hit],
        [y for _, y, _ in hit],
        linestyle="none",
        marker="o",
        markersize=8,
        markerfacecolor="white",
        markeredgecolor=OKABE_ITO["reddish_purple"],
        markeredgewidth=1.8,
        label="incomplete figure (not joined; see note beside it)",
        gid="incomplete",
    )
    finite = [(a, b) for a, b in zip(xs, ys, strict=True) if not math.isnan(b)]
    x_lo, x_hi = min(a for a, _ in finite), max(a for a, _ in finite)
    y_hi = max(max(b for _, b in finite), 1e-9)
    for x, y, n in hit:
        right = x_hi > x_lo and (x - x_lo) / (x_hi - x_lo) > 0.7  # keep the text inside
        low = y / y_hi < 0.1
        ax.annotate(
            n,
            (x, y),
            xytext=(-14 if right else 14, 26 if low else -24),
            textcoords="offset points",
            ha="right" if right else "left",
            va="bottom" if low else "top",
            arrowprops={"arrowstyle": "-", "color": "#8C3B6E", "linewidth": 0.7, "shrinkB": 5},
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            fontsize=7.5,
            color="#8C3B6E",
            gid="incomplete-note",
        )


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
    source: str | None = None,
    series_break: dt.date | None = SERIES_BREAK,
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
    series_break
        Date of a break in the series: no line joins the periods either side of it (None:
        no cut).

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
    cut_at = whole.break_at(series_break) if series_break is not None else None
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
        cuts = [*axis.gaps, (cut_at, cut_at, "")] if cut_at is not None else axis.gaps
        all_gaps += [f"{name}: {w}" for _, _, w in axis.gaps]
        if lower is not None and upper is not None:
            bx, blo = _broken(axis.pos, _floats(_column(part, lower) or []), cuts)
            _, bhi = _broken(axis.pos, _floats(_column(part, upper) or []), cuts)
            ax.fill_between(
                bx,
                blo,
                bhi,
                color=OKABE_ITO["sky_blue"],
                alpha=0.35,
                linewidth=0,
                gid="interval",
            )
        lx, ly = _broken(axis.pos, ys, cuts)
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


def _completeness(part: pl.DataFrame) -> list[bool]:
    """Each row's ``complete`` flag (True when the frame has no such column, or it is null)."""
    if "complete" not in part.columns or part.schema["complete"] != pl.Boolean:
        return [True] * part.height
    return [ok is not False for ok in part.get_column("complete").to_list()]


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
    source: str | None = None,
    series_break: dt.date | None = SERIES_BREAK,
) -> Figure:
    """Many small series in one chart, on one shared scale: one cell per group of rows.

    A compact alternative to :func:`small_multiples` for dozens of areas (e.g. the quarterly
    counts of all 43 forces): every cell is drawn on a single axes (no axes per area, so it
    renders in a fraction of the time), on the same vertical scale, with its interval band,
    hatched gaps for missing periods, an open marker (and a dagger on the total) for a figure
    covering part of its period only (a ``complete`` column False, as
    :func:`groomstats.datasets.nspcc_wales` gives for a six-month year), the area's name and
    its total. With ``group`` (e.g.
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
    series_break
        Date of a break in the series: no line joins the periods either side of it (None:
        no cut).

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
    cut_at = whole.break_at(series_break) if series_break is not None else None
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
    # a line more of scale note, above the cells, when a figure covers part of its period
    flagged = "complete" in df.columns and df.schema["complete"] == pl.Boolean
    part_rows = ~pl.col("complete").fill_null(True) & pl.col(y).is_not_null()
    extra = 0.16 if flagged and df.filter(part_rows).height else 0.0
    fig_h = cell_h * len(rows) + 1.9 + extra
    fig = _new_figure((fig_w, fig_h), left=0.3, right=0.3, top=0.85 + extra, bottom=1.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, width_cells)
    ax.set_ylim(-len(rows), 0.05)

    cells: list[str] = []
    band_colour = OKABE_ITO["sky_blue"]
    gaps_note: list[str] = []
    parts_note: list[str] = []  # figures for part of their period only
    partial_totals = False  # a total over some of the periods only
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
            cuts = [*spans, (cut_at, cut_at, "")] if cut_at is not None else spans
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
                bx, blo = _broken(axis.pos, _floats(part.get_column(lower).to_list()), cuts)
                _, bhi = _broken(axis.pos, _floats(part.get_column(upper).to_list()), cuts)
                ax.fill_between(
                    [tx(v) for v in bx],
                    [ty(v) for v in blo],
                    [ty(v) for v in bhi],
                    color=band_colour,
                    alpha=0.35,
                    linewidth=0,
                    gid="interval",
                )
            lx, ly = _broken(axis.pos, ys, cuts)
            ax.plot(
                [tx(v) for v in lx],
                [ty(v) for v in ly],
                color=OKABE_ITO["blue"],
                marker="o",
                markersize=2.5,
                linewidth=1.3,
                gid=f"series:{name}",
            )
            # a figure its source marks as covering part of its period only (complete=False,
            # e.g. a force that could give six months): an open marker, a dagger on the total
            part_of_period = [
                (xv, v)
                for xv, v, ok in zip(axis.pos, ys, _completeness(part), strict=True)
                if not ok and not math.isnan(v)
            ]
            if part_of_period:
                ax.plot(
                    [tx(xv) for xv, _ in part_of_period],
                    [ty(v) for _, v in part_of_period],
                    linestyle="none",
                    marker="o",
                    markersize=4.5,
                    markerfacecolor="white",
                    markeredgecolor=OKABE_ITO["blue"],
                    markeredgewidth=1.2,
                    gid="part",
                )
                parts_note.append(
                    f"{name}: "
                    + ", ".join(
                        str(xr)
                        for xr, ok in zip(xs_raw, _completeness(part), strict=True)
                        if not ok
                    )
                )
            known = [v for v in ys if not math.isnan(v)]
            # a total over the periods with figures only says so; none is no total, never 0
            if not known:
                total_text = "no figures"
            elif len(known) < len(every):
                total_text = f"{sum(known):,.0f} ({len(known)}/{len(every)})"
                partial_totals = True
            else:
                total_text = f"{sum(known):,.0f}"
            if part_of_period:
                total_text += "\u2020"
            ax.text(
                left,
                -r - 0.12,
                _fit_name(str(name), total_text, (fig_w - 0.6) / width_cells * (right - left)),
                fontsize=8,
                ha="left",
                va="top",
                gid="name",
            )
            ax.text(
                right,
                -r - 0.12,
                total_text,
                fontsize=7.5,
                color="#444444",
                ha="right",
                va="top",
                gid="total",
            )
    first, last = str(every[0]), str(every[-1])
    note = (
        f"Each cell: {unit} by period from {first} to {last}, on the same scale "
        f"(baseline 0, top of a cell {top:,.0f}); top right: the total"
        + (", '(3/4)' when 3 of 4 periods have figures." if partial_totals else ".")
    )
    if lower is not None:
        note += " Band: 95% interval."
    if gaps_note:
        note += " Hatched: no figures (" + "; ".join(gaps_note) + ")."
    if parts_note:
        note += (
            " Open marker, \u2020 on the total: a figure for part of its period only ("
            + "; ".join(parts_note)
            + ")."
        )
    fig.text(
        0.01,
        1.0 - 0.62 / fig_h,
        _wrap(note, min(170, int((fig_w - 0.2) / 0.06))),  # within the figure's width
        fontsize=8,
        color="#444444",
        ha="left",
        va="top",
        gid="scale-note",
    )
    fig.groomstats_cells = cells  # type: ignore[attr-defined]
    fig.groomstats_top = top  # type: ignore[attr-defined]
    return _finish(fig, title, source)

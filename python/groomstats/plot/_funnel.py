"""groomstats.plot: _funnel (see groomstats.plot for the public functions)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from groomstats._util import as_polars, require_columns
from groomstats.exceptions import GroomstatsError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from groomstats.plot._base import (
    OKABE_ITO,
    _finish,
    _floats,
    _fmt_num,
    _new_figure,
    _significance_colour,
    _thousands,
    _unit,
    _wrap,
)


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
    source: str | None = None,
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
        As in :func:`trend`; the axis labels default to what the data say: the ``unit``
        column :func:`groomstats.rates` writes (``"x per 1,000 n"``), else the column names
        given, with the ``age_band`` and population ``year`` when the data carry them.

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
    ylabel = ylabel or _unit(df) or y
    ax.set_ylabel(_wrap(ylabel, 45))
    ax.set_xlim(0, x_top)
    ax.set_ylim(0, y_top)
    _thousands(ax, "x")
    ax.grid(color="#EEEEEE")
    ax.set_title(title or f"{ylabel[0].upper()}{ylabel[1:]} by {label}")
    note = None
    if left_out:
        parts = [
            f"{n} ({_fmt_num(d)}; {_fmt_num(v, 1)})"
            for n, d, v in dropped.select(label, x, y).iter_rows()
        ]
        head = f"Not shown, too small for a meaningful value ({x}; {y}): "
        # at most three lines, then "and k more"
        shown_parts = list(parts)
        while (
            len(shown_parts) > 1
            and len(_wrap(_listing(head, shown_parts, len(parts)), 150).splitlines()) > 3
        ):
            shown_parts.pop()
        note = _listing(head, shown_parts, len(parts))
    fig.groomstats_left_out = left_out  # type: ignore[attr-defined]
    return _finish(fig, title, source, suptitle=False, note=note)


def _listing(head: str, parts: list[str], total: int) -> str:
    more = total - len(parts)
    return head + ", ".join(parts) + (f" and {more} more" if more else "")


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

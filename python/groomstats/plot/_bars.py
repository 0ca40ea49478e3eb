"""groomstats.plot: _bars (see groomstats.plot for the public functions)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from groomstats._util import as_polars, require_columns
from groomstats.exceptions import GroomstatsError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

from groomstats.plot._base import (
    OKABE_ITO,
    _finish,
    _fit_labels,
    _floats,
    _new_figure,
    _unit,
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
    source: str | None = None,
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
        Legend label of the whiskers, title, value axis label (default: the data's ``unit``
        column as :func:`groomstats.rates` writes it, else ``y``) and source line (none
        unless given).

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
    ticks, left, lines = _fit_labels(names, 10.0, 0.075, 0.2)
    height = max(3.0, max(0.24, 0.13 * lines + 0.06) * len(names) + 2.2)
    fig = _new_figure((10.0, height), left=left, top=0.6, bottom=1.2)
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
    ax.set_yticks(pos, ticks, fontsize=8)
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlabel(xlabel or _unit(df) or y)
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
    fig.groomstats_order = names  # type: ignore[attr-defined]
    fig.groomstats_left_out = [str(v) for v in dropped.get_column(label).to_list()]  # type: ignore[attr-defined]
    note = ". ".join(notes) + "." if notes else None
    return _finish(fig, title, source, suptitle=False, note=note)


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
    source: str | None = None,
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
    ticks, left, lines = _fit_labels(cats, 10.0, 0.085, 0.3)
    fig = _new_figure(
        (10.0, max(3.0, max(0.45, 0.16 * lines + 0.15) * len(cats) + 1.8)), left=left, bottom=1.0
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
    # bars for the shares that are numbers; a share that is a range (null value) is drawn by
    # _share_ranges, and NaN bars would only make matplotlib warn ("All-NaN axis encountered")
    shown = [i for i, v in enumerate(vals) if not math.isnan(v)]
    if shown:
        ax.barh(
            [pos[i] for i in shown],
            [vals[i] for i in shown],
            xerr=None if xerr is None else [[side[i] for i in shown] for side in xerr],
            color=OKABE_ITO["blue"],
            ecolor=OKABE_ITO["black"],
            capsize=3,
            gid="shares",
        )
    ends = xerr[1] if xerr is not None else [0.0] * len(vals)
    for p, v, e in zip(pos, vals, ends, strict=True):
        if not math.isnan(v):
            ax.text(v + e, p, f"  {v:.0f}%", va="center", ha="left", fontsize=8, gid="value")
    widest = _share_ranges(ax, df, pos, vals, share, lower, upper, scale)
    ax.set_yticks(pos, ticks)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or "Share of offences (%)")
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, min(100.0, max([v for v in vals if not math.isnan(v)] + [widest, 1.0]) * 1.25))
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


def _share_ranges(
    ax: Any,
    df: Any,
    pos: list[int],
    vals: list[float],
    share: str,
    lower: str | None,
    upper: str | None,
    scale: float,
) -> float:
    """Shares that are ranges (``shares()`` with suppressed cells: ``value`` null,
    ``value_min``..``value_max`` given) drawn as hatched bars over the range, with their
    widened interval as whiskers and the range written beside them. Returns the largest x."""
    lo_col, hi_col = f"{share}_min", f"{share}_max"
    if lo_col not in df.columns or hi_col not in df.columns:
        return 0.0
    rmin = [v * scale for v in _floats(df.get_column(lo_col).to_list())]
    rmax = [v * scale for v in _floats(df.get_column(hi_col).to_list())]
    ci_lo = _floats(df.get_column(lower).to_list()) if lower else [math.nan] * len(pos)
    ci_hi = _floats(df.get_column(upper).to_list()) if upper else [math.nan] * len(pos)
    widest = 0.0
    for p, v, a, b, cl, ch in zip(pos, vals, rmin, rmax, ci_lo, ci_hi, strict=True):
        if not math.isnan(v) or math.isnan(a) or math.isnan(b):
            continue
        ax.barh(
            p,
            b - a,
            left=a,
            facecolor="none",
            edgecolor=OKABE_ITO["blue"],
            hatch="///",
            gid="share-range",
        )
        end, start = b, a
        if not math.isnan(cl) and not math.isnan(ch):
            cl, ch = cl * scale, ch * scale
            start = min(a, cl)
            mid = (a + b) / 2
            ax.errorbar(
                mid,
                p,
                xerr=[[max(mid - cl, 0.0)], [max(ch - mid, 0.0)]],
                fmt="none",
                ecolor=OKABE_ITO["black"],
                capsize=3,
                gid="share-range-interval",
            )
            end = max(end, ch)
        text = f"{a:.0f}-{b:.0f}% (suppressed cells)"
        if end > 70:  # no room on the right: write it on the left of the range
            ax.text(start, p, text + "  ", va="center", ha="right", fontsize=8, gid="value")
        else:
            ax.text(end, p, "  " + text, va="center", ha="left", fontsize=8, gid="value")
        widest = max(widest, end * 1.3)
    return widest

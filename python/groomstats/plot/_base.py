"""groomstats.plot: _base (see groomstats.plot for the public functions)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from groomstats.exceptions import GroomstatsError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


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


def _fit_labels(
    names: Sequence[str], fig_width: float, per_char: float, pad: float
) -> tuple[list[str], float, int]:
    """Axis labels wrapped so that they fit the left margin, which :func:`_new_figure` caps at
    45% of the width (a long area name was cut at the figure's edge): the labels, the margin
    in inches and the most lines of one label."""
    import textwrap

    room = max(8, int((0.45 * fig_width - pad) / per_char))
    wrapped = ["\n".join(textwrap.wrap(n, room)) or n for n in names]
    longest = max((len(line) for w in wrapped for line in w.split("\n")), default=5)
    lines = max((w.count("\n") + 1 for w in wrapped), default=1)
    return wrapped, pad + per_char * longest, lines


def _finish(
    fig: Figure,
    title: str | None,
    source: str | None,
    *,
    suptitle: bool = True,
    note: str | None = None,
) -> Figure:
    """Title, then the footer: the source line at the bottom, a note (areas left out...) above
    it, and room for both under the axes (they never overlap each other or the axis label)."""
    if title and suptitle:
        fig.suptitle(title, fontsize=13, x=0.01, ha="left", fontweight="bold")
    h = fig.get_figheight()
    y = 0.1  # inches from the bottom
    if source:
        text = _wrap(source, 150)
        fig.text(0.01, y / h, text, fontsize=7.5, color="#444444", ha="left", va="bottom",
                 gid="source")  # fmt: skip
        y += 0.13 * len(text.splitlines()) + 0.06
    if note:
        text = _wrap(note, 150)
        fig.text(0.01, y / h, text, fontsize=8, color="#444444", ha="left", va="bottom",
                 gid="left-out")  # fmt: skip
        y += 0.14 * len(text.splitlines()) + 0.06
    if fig.axes and len(fig.axes) == 1:
        # tick labels and the axis label sit above the footer: measured, as rotated labels
        # (e.g. "2012/13 Q1" at 35 degrees) reach further down than upright ones
        below = max(0.62, _depth_below(fig) + 0.08)
        needed = (y + below) / h
        if fig.subplotpars.bottom < needed:
            fig.subplots_adjust(bottom=min(needed, 0.45))
    fig.groomstats_source = source  # type: ignore[attr-defined]
    fig.groomstats_title = title  # type: ignore[attr-defined]
    return fig


def _depth_below(fig: Figure) -> float:
    """How far (inches) the tick labels and axis label of the figure's one axes reach below it."""
    ax = fig.axes[0]
    get_renderer = getattr(fig.canvas, "get_renderer", None)
    if get_renderer is None:  # pragma: no cover - every figure here has an Agg canvas
        return 0.0
    box = ax.xaxis.get_tightbbox(get_renderer())
    if box is None:
        return 0.0
    bottom_px = ax.get_position().y0 * fig.get_figheight() * fig.dpi
    return max(0.0, float(bottom_px - box.y0) / float(fig.dpi))


def _unit(df: pl.DataFrame) -> str | None:
    """The ``unit`` the data say their values are in (as :func:`groomstats.rates` writes it),
    when one unit holds for every row."""
    if "unit" in df.columns and df.schema["unit"] == pl.String:
        units = df.get_column("unit").drop_nulls().unique()
        if units.len() == 1:
            return str(units[0])
    return None


def _thousands(ax: Axes, which: str) -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
    (ax.xaxis if which == "x" else ax.yaxis).set_major_formatter(fmt)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _column(df: pl.DataFrame, name: str | None) -> list[Any] | None:
    if name is None:
        return None
    return df.get_column(name).to_list()


def _floats(values: Sequence[Any]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _significance_colour(label: Any) -> str:
    key = str(label).strip().lower() if label is not None else "not significant"
    if key in _SIGNIFICANCE_COLOURS:
        return _SIGNIFICANCE_COLOURS[key]
    if key.startswith("high"):
        return OKABE_ITO["vermillion"]
    if key.startswith("low"):
        return OKABE_ITO["blue"]
    return "#7F7F7F"


def _fmt_num(v: Any, decimals: int = 0) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{float(v):,.{decimals}f}"


def _check_figure(fig: Any) -> None:
    from matplotlib.figure import Figure as _Figure

    if not isinstance(fig, _Figure):
        raise GroomstatsError(
            f"save: expected a matplotlib Figure (from groomstats.plot), got {type(fig).__name__}"
        )

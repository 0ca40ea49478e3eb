"""groomstats.plot: _time (see groomstats.plot for the public functions)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from groomstats._util import as_polars
from groomstats.exceptions import GroomstatsError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


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

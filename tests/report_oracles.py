"""Independent answers for the report's statistics (test helper; issue 18 item 2).

Nothing here calls groomstats' statistics: counts are summed with the ``csv`` module from the
shipped Home Office table, children from the shipped ONS district files (``ons_sums``), and the
statistics are computed with scipy / statsmodels or written out from their definitions:

- funnel labels: an area is above (below) the exact Poisson limits at level ``c`` exactly when
  its own exact interval (chi-square form, Garwood) lies wholly above (below) the expected count
  ``E = national rate x its children`` (PHE funnel-plot convention);
- overdispersion-adjusted labels: Spiegelhalter (2005) as FunnelPlotR: z-scores of
  ``sqrt(O / E)`` with ``s = 1 / (2 sqrt(E))``, winsorised at the 10% / 90% quantiles (numpy's
  default, type 7), ``phi = mean(z^2)``, DerSimonian-Laird ``tau2``, limits
  ``1 +/- z sqrt(s^2 + tau2)`` on the square-root scale;
- Byar's approximation of the exact Poisson interval (PHE: counts of 10 or more);
- the quasi-Poisson log-linear trend: statsmodels' GLM with Pearson-scaled errors.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import stats

DATA = Path(str(resources.files("groomstats") / "data"))
PRC_2017_18 = "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz"


def _forces() -> list[dict[str, str]]:
    with (DATA / "forces.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def territorial_forces() -> dict[str, str]:
    """Force name -> force area code, for the 43 territorial forces (``forces.csv``)."""
    return {r["force"]: r["force_code"] for r in _forces() if r["territorial"] == "true"}


def grooming_counts(quarters: tuple[int, ...] = (1, 2, 3, 4)) -> dict[str, int]:
    """Offence code 88A (sexual grooming) in 2017/18 per force (the names of ``forces.csv``;
    the table's own spellings, such as "London, City of", are its listed aliases), summed by
    hand."""
    name = {}
    for r in _forces():
        name[r["force"]] = r["force"]
        for alias in filter(None, r["aliases"].split("|")):
            name[alias] = r["force"]
    sums: dict[str, int] = defaultdict(int)
    with gzip.open(DATA / PRC_2017_18, "rt", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["Offence Code"].strip() == "88A" and int(r["Financial Quarter"]) in quarters:
                force = r["Force Name"].strip()
                sums[name.get(force, force)] += int(r["Number of Offences"].strip())
    return dict(sums)


def label(c: float, side: str) -> str:
    return f"{side} ({(1 - c) / 2:.4g})"


def exact_poisson_ci(x: float, c: float) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson count, from chi-square quantiles."""
    a = (1 - c) / 2
    lo = stats.chi2.ppf(a, 2 * x) / 2 if x > 0 else 0.0
    return float(lo), float(stats.chi2.ppf(1 - a, 2 * x + 2) / 2)


def byar_ci(x: float, c: float = 0.95) -> tuple[float, float]:
    """Byar's approximation (Breslow and Day 1987), as PHE uses it for counts of 10 or more."""
    z = stats.norm.ppf(1 - (1 - c) / 2)
    lo = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return lo, hi


def funnel_labels(
    counts: dict[str, int], population: dict[str, int], levels: tuple[float, ...] = (0.95, 0.998)
) -> dict[str, str]:
    """PHE labels around the national rate sum(counts) / sum(population), exact limits."""
    national = sum(counts.values()) / sum(population[k] for k in counts)
    out = {}
    for area, x in counts.items():
        expected = national * population[area]
        out[area] = "Not significant"
        for c in sorted(levels):  # the widest level passed wins
            lo, hi = exact_poisson_ci(x, c)
            if lo > expected:
                out[area] = label(c, "High")
            elif hi < expected:
                out[area] = label(c, "Low")
    return out


def funnel_labels_overdispersed(
    counts: dict[str, int],
    population: dict[str, int],
    levels: tuple[float, ...] = (0.95, 0.998),
    trim: float = 0.1,
) -> tuple[dict[str, str], float, float]:
    """Spiegelhalter (2005) labels (as FunnelPlotR), ``phi`` and ``tau2``; with ``tau2 = 0``
    the exact labels (no overdispersion to allow for)."""
    areas = list(counts)
    national = sum(counts.values()) / sum(population[k] for k in areas)
    e = np.array([national * population[k] for k in areas], dtype=float)
    x = np.array([counts[k] for k in areas], dtype=float)
    s = 1 / (2 * np.sqrt(e))
    z = (np.sqrt(x / e) - 1) / s
    lz, uz = np.quantile(z, [trim, 1 - trim])
    phi = float(np.mean(np.clip(z, lz, uz) ** 2))
    n = len(areas)
    w = 1 / s**2
    tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    if tau2 == 0:
        return funnel_labels(counts, population, levels), phi, tau2
    y = np.sqrt(x / e)
    out = dict.fromkeys(areas, "Not significant")
    for c in sorted(levels):
        zc = stats.norm.ppf(1 - (1 - c) / 2)
        sd = np.sqrt(s**2 + tau2)
        for k, yi, lo, hi in zip(areas, y, np.maximum(1 - zc * sd, 0), 1 + zc * sd, strict=True):
            if yi > hi:
                out[k] = label(c, "High")
            elif yi < lo:
                out[k] = label(c, "Low")
    return out, phi, tau2


def quasipoisson_trend(financial_years: list[str], counts: list[float]) -> dict[str, float]:
    """Annual percent change of a log-linear quasi-Poisson fit on the years' first calendar
    years ("2017/18" -> 2017; statsmodels GLM, Pearson chi-square scale, normal quantiles),
    with its 95% limits and p-value."""
    import statsmodels.api as sm

    t = np.array([int(y[:4]) for y in financial_years], dtype=float)
    res = sm.GLM(
        np.asarray(counts, dtype=float), sm.add_constant(t), family=sm.families.Poisson()
    ).fit(scale="X2")
    lo, hi = res.conf_int()[1]
    return {
        "apc": 100 * math.expm1(res.params[1]),
        "lower_95": 100 * math.expm1(lo),
        "upper_95": 100 * math.expm1(hi),
        "pvalue": float(res.pvalues[1]),
    }

"""Joinpoint location intervals: the program's rule, worked out by hand and against its exports.

The NCI program prints each joinpoint with limits, e.g. 1993 (1989-1996). Its documentation
that we could read does not say how; this rule reproduces all 63 limits of the 19 reference
series (``Joinpoint 95% LCL/UCL`` in the model-estimates exports), and ``joinpoint()``
implements it:

* Lerman's (1980, "Fitting segmented regression models by grid search", Applied Statistics 29:
  77-84) joint confidence region for the k joinpoints over the grid of data points,
  {tau : (Q(tau) - Q) / (Q / (n - 2k - 2)) <= k F(k, n - 2k - 2; 0.95)}, Q the minimum
  (weighted) SSE and n - 2k - 2 the program's degrees of freedom (a jump not counted);
* projected on joinpoint j: the data points x with Q(x, j) in the region, Q(x, j) the minimum
  SSE over the allowed joinpoint sets whose j-th joinpoint is x (the help pages' Q_{x,j,k});
* printed as the data points just outside that projection on either side, kept within the
  grid range of the j-th joinpoint (2 points to either end, 2 between joinpoints).

Ruled out on the way (each misses limits the program prints): a level set of the profile with
one degree of freedom, F(1, n - 2k - 2), printed as its own first and last points (1991-1994
where the program prints 1989-1996); Hudson's delta-method interval (1991.6-1994.4); Fieller's
interval for where the separately fitted segment lines cross (1991.6-1994.7).
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl
from scipy import stats

import groomstats

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "joinpoint"
JUMP = 1998.5  # analyses 01 and 03: the program's jump model (ICD-9 to ICD-10)


def _profile(
    t: np.ndarray, y: np.ndarray, se: np.ndarray, k: int, jump: float | None
) -> tuple[float, list[dict[int, float]]]:
    """Q and, per joinpoint j, {year x: Q(x, j)}: every allowed set (2 points to either end,
    2 between joinpoints), weights y^2 / se^2 on ln y, the jump step in every fit."""
    n = len(t)
    z, sw = np.log(y), y / se
    base = [np.ones(n), t - t[0]] + ([(t > jump).astype(float)] if jump else [])
    prof: list[dict[int, float]] = [{} for _ in range(k)]
    best = np.inf
    for c in combinations(range(2, n - 2), k):
        if any(c[m + 1] - c[m] < 3 for m in range(k - 1)):
            continue
        x = np.column_stack([*base, *[np.maximum(t - t[j], 0.0) for j in c]]) * sw[:, None]
        beta, *_ = np.linalg.lstsq(x, z * sw, rcond=None)
        q = float(np.sum((z * sw - x @ beta) ** 2))
        best = min(best, q)
        for m, j in enumerate(c):
            year = int(t[j])
            prof[m][year] = min(prof[m].get(year, np.inf), q)
    return best, prof


def _f_units(q: float, prof: dict[int, float], df: int) -> dict[int, float]:
    return {x: (v - q) / (q / df) for x, v in prof.items()}


def _series(folder: str, key: tuple[str, str] | None) -> tuple[np.ndarray, ...]:
    data = pl.read_csv(FIX / folder / "input.csv")
    if key is None:
        return tuple(
            data[c].to_numpy().astype(float) for c in ("year", "opioid_rr", "opioid_rr_sd")
        )
    data = data.filter((pl.col("opioid_type") == key[0]) & (pl.col("race") == key[1])).sort("year")
    return tuple(data[c].to_numpy().astype(float) for c in ("year", "std_rate", "sd"))


def _program_limits(folder: str, key: tuple[str, str] | None) -> list[tuple[int, int, int]]:
    est = pl.read_csv(
        FIX / folder / f"{folder}.modelestimates.txt", separator=";", null_values="NA"
    )
    if key is not None:
        est = est.filter((pl.col("opioid_type") == key[0]) & (pl.col("race") == key[1]))
    est = est.drop_nulls("Joinpoint")
    return est.select("Joinpoint", "Joinpoint 95% LCL", "Joinpoint 95% UCL").rows()


CASES = [
    ("02_opioid_rate_ratio", None, None),
    ("01_opioid_rates_long", ("drug", "black"), JUMP),
    ("03_opioid_rates_by_type", ("heroin", "black"), JUMP),
]


def _hand_worked(folder: str, key: tuple[str, str] | None, jump: float | None) -> list:
    """The rule above, with numpy least squares over every allowed joinpoint set."""
    t, y, se = _series(folder, key)
    k = len(_program_limits(folder, key))
    df = len(t) - 2 * k - 2
    crit = k * stats.f.ppf(0.95, k, df)
    q, prof = _profile(t, y, se, k, jump)
    years = [int(v) for v in t]
    out = []
    for m in range(k):
        grid = sorted(prof[m])  # the j-th joinpoint's grid range, in years
        inside = [x for x, s in _f_units(q, prof[m], df).items() if s <= crit]
        lo = max(years[years.index(min(inside)) - 1], grid[0])
        hi = min(years[years.index(max(inside)) + 1], grid[-1])
        out.append((lo, hi))
    return out


def test_the_rule_worked_by_hand_gives_the_programs_limits() -> None:
    for folder, key, jump in CASES:
        want = [(lo, hi) for _, lo, hi in _program_limits(folder, key)]
        assert _hand_worked(folder, key, jump) == want, f"{folder} {key}"


def test_joinpoint_gives_the_programs_limits_in_all_19_series() -> None:
    """k fixed at the program's choice; 63 joinpoints, every limit as printed."""
    n_limits = 0
    for folder, keys, jump in (
        ("02_opioid_rate_ratio", [None], None),
        ("01_opioid_rates_long", None, JUMP),
        ("03_opioid_rates_by_type", None, JUMP),
    ):
        if keys is None:
            data = pl.read_csv(FIX / folder / "input.csv")
            keys = sorted(set(data.select("opioid_type", "race").rows()))
        for key in keys:
            t, y, se = _series(folder, key)
            want = _program_limits(folder, key)
            k = len(want)
            if k == 0:
                continue
            res = groomstats.joinpoint(
                pl.DataFrame({"year": t.astype(int), "v": y, "se": se}),
                time="year",
                count="v",
                se="se",
                min_joins=k,
                max_joins=k,
                selection="bic",
                jump_before=None if jump is None else 1999,
            )
            got = res.joinpoints.select("lower_95", "upper_95").rows()
            assert got == [(lo, hi) for _, lo, hi in want], f"{folder} {key}"
            n_limits += 2 * k
    assert n_limits == 2 * 63


def test_a_one_degree_of_freedom_level_set_would_not_do() -> None:
    """Why the joint region: 01 drug/black, joinpoint 1994, printed 1981-2001. A level set of
    the profile at any one threshold cannot give it (2001 at 11.46 in F units, but 2002 at
    11.40 and 2003 at 11.01 out); the bracket of the joint region at 4 F(4, 27) = 10.91
    (2000 at 9.64 the last point in, 2001 the first out) does."""
    key = ("drug", "black")
    t, y, se = _series("01_opioid_rates_long", key)
    limits = _program_limits("01_opioid_rates_long", key)
    assert limits[0] == (1994, 1981, 2001)
    q, prof = _profile(t, y, se, len(limits), JUMP)
    s = _f_units(q, prof[0], len(t) - 2 * len(limits) - 2)
    assert round(s[2001], 2) == 11.46 and round(s[2002], 2) == 11.40 and round(s[2003], 2) == 11.01
    crit = 4 * stats.f.ppf(0.95, 4, 27)
    assert round(crit, 2) == 10.91
    assert max(x for x, v in s.items() if v <= crit) == 2000

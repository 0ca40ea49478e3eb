"""Ways of permuting under the jump model, against the NCI program's p-values (a script).

Not a test (pytest does not collect it): it documents how the way the program permutes under
its jump model was found (the program's documentation does not say). For one reference series
(analysis 01, drug deaths, black) it runs the program's sequential-test statistic
T = (SSE_null - SSE_alt) / SSE_alt for two of the program's tests with several ways of
building the permuted data sets, by brute force in numpy (every allowed joinpoint set: 2
points to either end, 2 between; weights y^2 / se^2 on ln y; jump step at 1998.5), and prints
each p-value beside the program's.

    python tests/trends/jump_permutation_variants.py [n_permutations]

Result with 2,000 permutations (30 November 2026, seed 1):

    test    program  step_in_resid  full_fit  raw     null_nojump  stratified
    2 vs 4  0.0075   0.0100         0.0505    0.0620  0.0695       0.0565
    3 vs 4  0.0048   0.0065         0.0355    0.0600  0.0455       0.0450

    test    program  alt_resid  fixed_each  ignore_jump  jump_fixed
    2 vs 4  0.0075   0.0665     0.0165      0.0015       0.0020
    3 vs 4  0.0048   0.0625     0.0365      0.0010       0.0170

step_in_resid (what the package does, and the only variant within Monte Carlo error of both
program p-values): residuals and fitted values of the null fit *less its jump*, so the
residuals carry the level shift; the weighted residuals sqrt(w) (z - fit) are permuted over
all points and added back (divided by sqrt(w)), and both models are refitted with the jump.
full_fit: the same with the residuals of the full null fit (jump included), as matches the
program without a jump (analysis 02) and as the package did before; raw: unweighted residuals
z - fit permuted; null_nojump: residuals and fitted values of the null model fitted without
the jump, refitted with it; stratified: residuals permuted only within each side of the jump;
alt_resid: the alternative fit's residuals added to the null fit; fixed_each: in the permuted
fits each model's jump fixed at its estimate on the data; ignore_jump: the jump left out of
every fit (observed statistic too); jump_fixed: the data less the jump of the program's final
model (4 joinpoints), then everything without a jump. Standard errors at 2,000 permutations:
about 0.0016 at p = 0.005, 0.005 at p = 0.05. The package, with 10,000 permutations, gives
0.0085 and 0.0049 (full_fit: 0.044 and 0.034); tests/trends/test_joinpoint_nci.py checks
every test of two series and all 18 jump-model series against the program.
"""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "joinpoint" / "01_opioid_rates_long"
JUMP = 1998.5
VARIANTS = (
    "step_in_resid",
    "full_fit",
    "raw",
    "null_nojump",
    "stratified",
    "alt_resid",
    "fixed_each",
    "ignore_jump",
    "jump_fixed",
)


def _bases(t: np.ndarray, sw: np.ndarray, k: int, jump: bool) -> tuple[list, np.ndarray]:
    n = len(t)
    sets = [
        c
        for c in combinations(range(2, n - 2), k)
        if all(c[m + 1] - c[m] >= 3 for m in range(k - 1))
    ]
    base = [np.ones(n), t - t[0]] + ([(t > JUMP).astype(float)] if jump else [])
    qs = np.empty((len(sets), n, len(base) + k))
    for i, c in enumerate(sets):
        x = np.column_stack([*base, *[np.maximum(t - t[j], 0.0) for j in c]]) * sw[:, None]
        qs[i] = np.linalg.qr(x)[0]
    return sets, qs


def _min_sse(qs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Minimum SSE over the sets, per column of y (weighted data)."""
    total = np.sum(y * y, axis=0)
    best = np.full(y.shape[1], np.inf)
    for s in range(0, len(qs), 400):
        proj = np.einsum("cnp,nP->cpP", qs[s : s + 400], y, optimize=True)
        best = np.minimum(best, (total[None, :] - np.sum(proj * proj, axis=1)).min(axis=0))
    return best


def _fit(t: np.ndarray, sw: np.ndarray, z: np.ndarray, c: tuple, jump: bool) -> np.ndarray:
    n = len(t)
    base = [np.ones(n), t - t[0]] + ([(t > JUMP).astype(float)] if jump else [])
    x = np.column_stack([*base, *[np.maximum(t - t[j], 0.0) for j in c]])
    beta = np.linalg.lstsq(x * sw[:, None], z * sw, rcond=None)[0]
    return x @ beta


def pvalue(k0: int, k1: int, variant: str, n_perm: int, seed: int = 1) -> float:
    data = pl.read_csv(FIX / "input.csv")
    data = data.filter((pl.col("opioid_type") == "drug") & (pl.col("race") == "black"))
    data = data.sort("year")
    t = data["year"].to_numpy().astype(float)
    y, se = data["std_rate"].to_numpy(), data["sd"].to_numpy()
    z, sw = np.log(y), y / se
    with_jump = variant not in ("ignore_jump", "jump_fixed")
    if variant == "jump_fixed":  # data less the jump of the program's final model (k = 4)
        sets, qs = _bases(t, sw, 4, True)
        zs = (z * sw)[:, None]
        best = sets[int(np.argmin([_min_sse(qs[i : i + 1], zs)[0] for i in range(len(qs))]))]
        z = z - _jump_of(t, sw, z, best) * (t > JUMP).astype(float)
    s0, q0 = _bases(t, sw, k0, with_jump)
    _, q1 = _bases(t, sw, k1, with_jump)
    zs = (z * sw)[:, None]
    a, b = _min_sse(q0, zs)[0], _min_sse(q1, zs)[0]
    stat = (a - b) / b
    null_set = s0[int(np.argmin([_min_sse(q0[i : i + 1], zs)[0] for i in range(len(q0))]))]
    fitted = _fit(t, sw, z, null_set, with_jump)
    resid = sw * (z - fitted)
    if variant == "step_in_resid":  # the null fit less its jump: residuals carry the step
        fitted = fitted - _jump_of(t, sw, z, null_set) * (t > JUMP).astype(float)
        resid = sw * (z - fitted)
    if variant == "raw":
        resid = z - fitted
    if variant == "alt_resid":  # residuals of the alternative's fit
        s1, _ = _bases(t, sw, k1, True)
        alt_set = s1[int(np.argmin([_min_sse(q1[i : i + 1], zs)[0] for i in range(len(q1))]))]
        resid = sw * (z - _fit(t, sw, z, alt_set, True))
    if variant == "null_nojump":
        s_n, q_n = _bases(t, sw, k0, False)
        set_n = s_n[int(np.argmin([_min_sse(q_n[i : i + 1], zs)[0] for i in range(len(q_n))]))]
        fitted = _fit(t, sw, z, set_n, False)
        resid = sw * (z - fitted)
    rng = np.random.default_rng(seed)
    pre, post = np.flatnonzero(t < JUMP), np.flatnonzero(t > JUMP)

    def shuffle() -> np.ndarray:
        if variant != "stratified":
            return rng.permutation(resid)
        e = resid.copy()
        e[pre], e[post] = resid[rng.permutation(pre)], resid[rng.permutation(post)]
        return e

    e = np.stack([shuffle() for _ in range(n_perm)], axis=1)
    ys = (fitted * sw)[:, None] + (e * sw[:, None] if variant == "raw" else e)
    if variant == "fixed_each":  # each model's jump fixed at its estimate on the data
        s1, _ = _bases(t, sw, k1, True)
        alt_set = s1[int(np.argmin([_min_sse(q1[i : i + 1], zs)[0] for i in range(len(q1))]))]
        step = ((t > JUMP).astype(float) * sw)[:, None]
        _, r0 = _bases(t, sw, k0, False)
        _, r1 = _bases(t, sw, k1, False)
        a = _min_sse(r0, ys - _jump_of(t, sw, z, null_set) * step)
        b = _min_sse(r1, ys - _jump_of(t, sw, z, alt_set) * step)
    else:
        a, b = _min_sse(q0, ys), _min_sse(q1, ys)
    return float((1 + np.sum((a - b) / b >= stat * (1 - 1e-10))) / (n_perm + 1))


def _jump_of(t: np.ndarray, sw: np.ndarray, z: np.ndarray, c: tuple) -> float:
    n = len(t)
    x = np.column_stack(
        [np.ones(n), t - t[0], (t > JUMP).astype(float), *[np.maximum(t - t[j], 0.0) for j in c]]
    )
    return float(np.linalg.lstsq(x * sw[:, None], z * sw, rcond=None)[0][2])


def main() -> None:
    n_perm = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    sel = pl.read_csv(FIX / "01_opioid_rates_long.modelselection.txt", separator=";")
    sel = sel.filter((pl.col("opioid_type") == "drug") & (pl.col("race") == "black"))
    print("test    program  " + "  ".join(VARIANTS))
    for k0, k1 in ((2, 4), (3, 4)):
        row = sel.filter((pl.col("Null Hypothesis") == k0) & (pl.col("Alt Hypothesis") == k1))
        theirs = float(str(row["P-Value"][0]).strip())
        ours = [pvalue(k0, k1, v, n_perm) for v in VARIANTS]
        print(f"{k0} vs {k1}  {theirs:<7.4f}  " + "  ".join(f"{p:.4f}" for p in ours))


if __name__ == "__main__":
    main()

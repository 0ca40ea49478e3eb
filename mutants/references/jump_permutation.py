"""Independent numpy reference for the jump-model permutation test of joinpoint.rs fit_series
(one test, 0 vs 1 joinpoint), written from its documented procedure: SplitMix64 streams
seeded per permutation, Fisher-Yates with Lemire's bounded draw, permuted weighted residuals of
the null fit *less its jump* added back to that jump-free fit, and the statistic
(SSE_0 - SSE_1) / SSE_1 minimised over the grid; p = (#exceeding + 1) / (n_perm + 1).

Run: python mutants/references/jump_permutation.py
"""

import itertools

import numpy as np

M = (1 << 64) - 1


class SM:
    def __init__(s, x):
        s.x = x & M

    def next(s):
        s.x = (s.x + 0x9E3779B97F4A7C15) & M
        z = s.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)

    def below(s, m):
        r = s.next() * m
        if (r & M) < m:
            t = (-m % (1 << 64)) % m
            while (r & M) < t:
                r = s.next() * m
        return r >> 64


def perm_seed(seed, group, ka, kb, i):
    h = SM(seed ^ 0x6A09E667F3BCC908).next()
    for v in (group, ka, kb, i):
        h = SM(h ^ ((v * 0x9E3779B97F4A7C15) & M)).next()
    return h


def design(t, joins, c):
    cols = [np.ones_like(t), t - t[0]] + [np.maximum(t - t[j], 0) for j in joins]
    if c is not None:
        cols.append((t > c).astype(float))
    return np.column_stack(cols)


def wls(X, z, w):
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(X * sw[:, None], z * sw, rcond=None)
    f = X @ beta
    return beta, f, float(np.sum(w * (z - f) ** 2))


def configs(n, k, min_end, min_between):
    pos = range(min_end, n - min_end)
    return [
        c
        for c in itertools.combinations(pos, k)
        if all(b - a > min_between for a, b in itertools.pairwise(c))
    ]


def best_sse(t, z, w, k, c, min_end=2, min_between=2):
    return min(
        wls(design(t, list(js), c), z, w)[2] for js in configs(len(t), k, min_end, min_between)
    )


def pvalue(t, y, w, c, n_perm, seed, flip=False):
    z = np.log(y)
    n = len(t)
    s0, s1 = best_sse(t, z, w, 0, c), best_sse(t, z, w, 1, c)
    stat = (s0 - s1) / s1
    beta, fit, _ = wls(design(t, [], c), z, w)
    step = (t > c).astype(float)
    fit = fit - (-1 if flip else 1) * beta[-1] * step
    sw = np.sqrt(w)
    resid = sw * (z - fit)
    count = 0
    for i in range(n_perm):
        rng = SM(perm_seed(seed, 0, 0, 1, i))
        e = resid.copy()
        for m in range(n - 1, 0, -1):
            j = rng.below(m + 1)
            e[m], e[j] = e[j], e[m]
        zs = fit + e / sw
        a, b = best_sse(t, zs, w, 0, c), best_sse(t, zs, w, 1, c)
        st = (a - b) / b
        count += st >= stat - 1e-10 * abs(stat) or np.isnan(st)
    return stat, count, (count + 1) / (n_perm + 1)


if __name__ == "__main__":
    # the case of joinpoint::mutant_tests::jump_model_permutation_test_matches_a_reference
    t = np.arange(12.0)
    y = np.array([10, 12, 11, 13, 12, 14, 30, 29, 31, 30, 32, 31.0])
    w = np.array([1, 2, 1, 1.5, 1, 2, 1, 1, 2, 1, 1.5, 1.0])
    print("statistic, exceeding, p:", pvalue(t, y, w, 5.5, 199, 7))
    # the survivor joinpoint.rs:871:32 (`-=` written `+=`: residuals of the fit *plus* its jump)
    print("with the jump added instead:", pvalue(t, y, w, 5.5, 199, 7, flip=True))

//! Does the maximum likelihood estimate of a log-linear count model exist?
//!
//! For Poisson counts `y` with log mean `Xβ` (+ offset) the log-likelihood
//! `Σ yᵢηᵢ − exp(ηᵢ)` is concave; its maximum is at infinity exactly when there is a
//! direction `d` with `Xd ≠ 0`, `(Xd)ᵢ ≤ 0` wherever `yᵢ = 0` and `(Xd)ᵢ = 0` wherever
//! `yᵢ > 0`: moving along `d` drives the fitted counts of some zeros to 0 and leaves every
//! other fitted count alone, so the likelihood rises for ever (Haberman 1974, *The Analysis of
//! Frequency Data*, Theorem 2.3; Santner & Duffy 1986; Correia, Guimarães & Zylkin 2021,
//! "Verifying the existence of maximum likelihood estimates for generalized linear models",
//! which also covers the negative binomial: same condition). Such zeros are *separated*: for
//! a single slope on time, counts that are all zero at one end of the series; with quarter
//! dummies, a quarter with zeros in every year.
//!
//! An extreme but finite fit (counts `[4410, 1, 1, 1]`: fitted counts down to 1e-5) is
//! not separation and is fitted as statsmodels fits it.
//!
//! The check is exact up to rounding: the directions with `Xd = 0` on the positive counts are
//! the null space of those rows (`d = Nc`), and a linear programme over `c` finds the zeros
//! that some direction can push down (`A = X_zero N`, maximise `Σ (Ac)ᵢ` subject to
//! `0 ≤ (Ac)ᵢ ≤ 1` over the zeros not yet found; its optimum is 0 or at least 1).
#![allow(clippy::needless_range_loop)] // index arithmetic mirrors the textbook algorithms

/// Entries below this (relative to the largest) are taken as zero.
const TOL: f64 = 1e-9;

/// Indices (0-based, rising) of the zero counts whose fitted count is 0 at the supremum of the
/// likelihood; empty when the maximum likelihood estimate exists. `x` is n×p row-major.
pub(crate) fn separated_zeros(y: &[f64], x: &[f64], p: usize) -> Vec<usize> {
    let n = y.len();
    let zeros: Vec<usize> = (0..n).filter(|&i| y[i] == 0.0).collect();
    if zeros.is_empty() || p == 0 || x.len() != n * p {
        return Vec::new();
    }
    // scale the columns to a largest entry of 1 (the question is invariant under it)
    let scale: Vec<f64> = (0..p)
        .map(|j| {
            let m = (0..n).map(|i| x[i * p + j].abs()).fold(0.0, f64::max);
            if m > 0.0 && m.is_finite() {
                1.0 / m
            } else {
                1.0
            }
        })
        .collect();
    let row = |i: usize| -> Vec<f64> { (0..p).map(|j| x[i * p + j] * scale[j]).collect() };
    let positive: Vec<Vec<f64>> = (0..n).filter(|&i| y[i] > 0.0).map(row).collect();
    let null = null_space(&positive, p);
    if null.is_empty() {
        return Vec::new();
    }
    // A = X_zero N (m × k), small entries (rounding of exact zeros) set to 0
    let k = null.len();
    let mut a: Vec<Vec<f64>> = zeros
        .iter()
        .map(|&i| {
            let r = row(i);
            null.iter()
                .map(|v| r.iter().zip(v).map(|(s, t)| s * t).sum::<f64>())
                .collect()
        })
        .collect();
    let big = a.iter().flatten().fold(0.0_f64, |m, v| m.max(v.abs()));
    if big <= 0.0 || !big.is_finite() {
        return Vec::new();
    }
    for r in &mut a {
        for v in r.iter_mut() {
            *v = if v.abs() <= TOL * big { 0.0 } else { *v / big };
        }
    }
    // grow the separated set until no further zero can be pushed down
    let mut found = vec![false; a.len()];
    while let Some(ac) = push_down(&a, k, &found) {
        let mut more = false;
        for (i, v) in ac.iter().enumerate() {
            if !found[i] && *v > 1e-7 {
                found[i] = true;
                more = true;
            }
        }
        if !more {
            break;
        }
    }
    zeros
        .iter()
        .zip(&found)
        .filter(|(_, f)| **f)
        .map(|(i, _)| *i)
        .collect()
}

/// Basis of `{d : r·d = 0 for every row r}` by Gauss-Jordan elimination with partial
/// pivoting (`rows` have p columns scaled to at most 1 in absolute value).
fn null_space(rows: &[Vec<f64>], p: usize) -> Vec<Vec<f64>> {
    let mut m: Vec<Vec<f64>> = rows.to_vec();
    let mut pivots: Vec<usize> = Vec::new(); // pivot column of each reduced row
    let mut r = 0;
    for col in 0..p {
        let Some((best, val)) = (r..m.len())
            .map(|i| (i, m[i][col].abs()))
            .max_by(|a, b| a.1.total_cmp(&b.1))
        else {
            break;
        };
        if val <= TOL {
            continue;
        }
        m.swap(r, best);
        let piv = m[r][col];
        for v in m[r].iter_mut() {
            *v /= piv;
        }
        for i in 0..m.len() {
            if i != r {
                let f = m[i][col];
                if f != 0.0 {
                    for j in 0..p {
                        let t = m[r][j];
                        m[i][j] -= f * t;
                    }
                }
            }
        }
        pivots.push(col);
        r += 1;
    }
    (0..p)
        .filter(|c| !pivots.contains(c))
        .map(|free| {
            let mut v = vec![0.0; p];
            v[free] = 1.0;
            for (ri, &pc) in pivots.iter().enumerate() {
                v[pc] = -m[ri][free];
            }
            v
        })
        .collect()
}

/// Maximise `Σ_{i not found} (Ac)ᵢ` subject to `(Ac)ᵢ ≥ 0` for every row and `(Ac)ᵢ ≤ 1` for
/// the rows not found, `c` free. Returns `Ac` at the optimum when it is positive (at least 1
/// in exact arithmetic), `None` when it is 0.
fn push_down(a: &[Vec<f64>], k: usize, found: &[bool]) -> Option<Vec<f64>> {
    // variables: c⁺ (k), c⁻ (k), then one slack per constraint; all constraints are ≤ with a
    // right-hand side ≥ 0, so the origin is a feasible basis and no phase 1 is needed.
    let mut cons: Vec<(Vec<f64>, f64)> = Vec::new();
    for (i, r) in a.iter().enumerate() {
        if r.iter().all(|v| *v == 0.0) {
            continue;
        }
        cons.push((r.iter().map(|v| -v).collect(), 0.0)); // -(Ac)_i <= 0
        if !found[i] {
            cons.push((r.clone(), 1.0)); // (Ac)_i <= 1
        }
    }
    let m = cons.len();
    let nv = 2 * k + m;
    let width = nv + 1; // last column: right-hand side
    let mut t = vec![vec![0.0; width]; m];
    for (ci, (coef, rhs)) in cons.iter().enumerate() {
        for j in 0..k {
            t[ci][j] = coef[j];
            t[ci][k + j] = -coef[j];
        }
        t[ci][2 * k + ci] = 1.0;
        t[ci][nv] = *rhs;
    }
    // reduced costs (maximisation: enter while some cost is positive)
    let mut cost = vec![0.0; width];
    for (i, r) in a.iter().enumerate() {
        if !found[i] {
            for j in 0..k {
                cost[j] += r[j];
                cost[k + j] -= r[j];
            }
        }
    }
    let mut basis: Vec<usize> = (0..m).map(|ci| 2 * k + ci).collect();
    // Bland's rule: never cycles, so the loop ends; the cap is a guard against rounding
    for _ in 0..10_000 {
        let Some(enter) = (0..nv).find(|&j| cost[j] > TOL) else {
            break;
        };
        let mut leave: Option<usize> = None;
        for ci in 0..m {
            if t[ci][enter] > TOL {
                let ratio = t[ci][nv] / t[ci][enter];
                leave = match leave {
                    None => Some(ci),
                    Some(l) => {
                        let lr = t[l][nv] / t[l][enter];
                        if ratio < lr - 1e-12 || (ratio <= lr + 1e-12 && basis[ci] < basis[l]) {
                            Some(ci)
                        } else {
                            Some(l)
                        }
                    }
                };
            }
        }
        // unbounded cannot happen (the objective is at most the number of rows)
        let l = leave?;
        let piv = t[l][enter];
        for v in t[l].iter_mut() {
            *v /= piv;
        }
        let pivot_row = t[l].clone();
        for ci in 0..m {
            if ci != l {
                let f = t[ci][enter];
                if f != 0.0 {
                    for j in 0..width {
                        t[ci][j] -= f * pivot_row[j];
                    }
                }
            }
        }
        let f = cost[enter];
        for j in 0..width {
            cost[j] -= f * pivot_row[j];
        }
        basis[l] = enter;
    }
    let mut c = vec![0.0; 2 * k];
    for (ci, &b) in basis.iter().enumerate() {
        if b < 2 * k {
            c[b] = t[ci][nv];
        }
    }
    let ac: Vec<f64> = a
        .iter()
        .map(|r| (0..k).map(|j| r[j] * (c[j] - c[k + j])).sum())
        .collect();
    let objective: f64 = ac
        .iter()
        .zip(found)
        .filter(|(_, f)| !**f)
        .map(|(v, _)| v)
        .sum();
    (objective > 0.5).then_some(ac)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Intercept and slope on t = 0..n-1.
    fn line(n: usize) -> Vec<f64> {
        (0..n).flat_map(|t| [1.0, t as f64]).collect()
    }

    #[test]
    fn zeros_at_one_end_are_separated() {
        assert_eq!(
            separated_zeros(&[0.0, 0.0, 0.0, 0.0, 7.0], &line(5), 2),
            vec![0, 1, 2, 3]
        );
        assert_eq!(separated_zeros(&[5.0, 0.0, 0.0], &line(3), 2), vec![1, 2]);
    }

    #[test]
    fn zeros_inside_or_at_both_ends_are_not() {
        for y in [
            [0.0, 3.0, 0.0, 5.0, 0.0],
            [0.0, 3.0, 4.0, 5.0, 0.0],
            [4410.0, 1.0, 1.0, 1.0, 1.0],
            [2.0, 3.0, 0.0, 5.0, 6.0],
            // zeros at one end but counts at two points: the slope is pinned, finite
            [3.0, 1.0, 0.0, 0.0, 0.0],
        ] {
            assert!(separated_zeros(&y, &line(5), 2).is_empty(), "{y:?}");
        }
        // one positive count fixes only the intercept: the slope is free, but zeros on both
        // sides of it bound it
        assert!(separated_zeros(&[0.0, 0.0, 9.0, 0.0], &line(4), 2).is_empty());
    }

    #[test]
    fn a_quarter_of_zeros_is_separated() {
        // intercept, time and three quarter dummies (Q2..Q4); Q3 is zero in every year
        let mut x = Vec::new();
        let mut y = Vec::new();
        for t in 0..8 {
            let q = t % 4;
            x.extend([1.0, t as f64]);
            x.extend((1..4).map(|d| if q == d { 1.0 } else { 0.0 }));
            y.push(if q == 2 { 0.0 } else { 5.0 + t as f64 });
        }
        assert_eq!(separated_zeros(&y, &x, 5), vec![2, 6]);
        // one Q3 count present: no separation
        y[6] = 1.0;
        assert!(separated_zeros(&y, &x, 5).is_empty());
    }

    #[test]
    fn a_level_change_after_zeros_is_separated() {
        // interrupted design: intercept, t, step at t >= 3, (t - 3) after it
        let ts = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let x: Vec<f64> = ts
            .iter()
            .flat_map(|&t| {
                let s = if t >= 3.0 { 1.0 } else { 0.0 };
                [1.0, t, s, s * (t - 3.0)]
            })
            .collect();
        assert_eq!(
            separated_zeros(&[0.0, 0.0, 0.0, 0.0, 0.0, 9.0], &x, 4),
            vec![0, 1, 2, 3, 4]
        );
        // zeros before the break only, counts after: the level change runs to +inf
        assert_eq!(
            separated_zeros(&[0.0, 0.0, 0.0, 4.0, 6.0, 9.0], &x, 4),
            vec![0, 1, 2]
        );
        assert!(separated_zeros(&[1.0, 0.0, 2.0, 4.0, 6.0, 9.0], &x, 4).is_empty());
    }
}

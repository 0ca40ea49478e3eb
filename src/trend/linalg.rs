//! Small dense linear algebra for trend fits: Householder QR least squares and
//! Cholesky inversion of tiny symmetric matrices (p is at most a dozen or so).
//!
//! Matrices are plain `&[f64]`, row-major unless said otherwise.
#![allow(clippy::needless_range_loop)] // index arithmetic mirrors the textbook algorithms

/// Result of a (weighted) least-squares solve.
#[derive(Debug, Clone)]
pub struct LsSolution {
    /// Coefficients, length p.
    pub beta: Vec<f64>,
    /// (X'WX)^{-1}, p×p row-major.
    pub xtwx_inv: Vec<f64>,
}

/// Relative tolerance below which a column is taken as linearly dependent on earlier ones.
const RANK_TOL: f64 = 1e-10;

/// Weighted least squares min Σ w_i (z_i - x_i'b)² by Householder QR of sqrt(W)X.
///
/// `x` is n×p row-major. Returns `None` when the weighted design is rank deficient.
pub fn wls(x: &[f64], n: usize, p: usize, w: &[f64], z: &[f64]) -> Option<LsSolution> {
    let mut work = WlsWork::default();
    if work.solve(x, n, p, w, z) {
        Some(LsSolution {
            beta: work.beta,
            xtwx_inv: work.inv,
        })
    } else {
        None
    }
}

/// The buffers of [`wls`], kept between solves of the same shape (an IRLS loop solves one
/// per iteration): [`WlsWork::solve`] does exactly what [`wls`] does without allocating.
#[derive(Debug, Default, Clone)]
pub struct WlsWork {
    a: Vec<f64>,
    b: Vec<f64>,
    norms: Vec<f64>,
    rdiag: Vec<f64>,
    v: Vec<f64>,
    rinv: Vec<f64>,
    /// Coefficients of the last successful solve, length p.
    pub beta: Vec<f64>,
    /// (X'WX)^{-1} of the last successful solve, p×p row-major.
    pub inv: Vec<f64>,
}

impl WlsWork {
    /// Solve as [`wls`] into `self.beta` and `self.inv`; false when [`wls`] gives `None`.
    pub fn solve(&mut self, x: &[f64], n: usize, p: usize, w: &[f64], z: &[f64]) -> bool {
        if n < p || x.len() != n * p || w.len() != n || z.len() != n {
            return false;
        }
        for (buf, len) in [
            (&mut self.a, n * p),
            (&mut self.b, n),
            (&mut self.norms, p),
            (&mut self.rdiag, p),
            (&mut self.v, n),
            (&mut self.rinv, p * p),
            (&mut self.beta, p),
            (&mut self.inv, p * p),
        ] {
            buf.clear();
            buf.resize(len, 0.0);
        }
        let (a, b, v) = (&mut self.a, &mut self.b, &mut self.v);
        // column-major copy of sqrt(w) X
        for i in 0..n {
            let s = w[i].max(0.0).sqrt();
            for j in 0..p {
                a[j * n + i] = x[i * p + j] * s;
            }
            b[i] = z[i] * s;
        }
        for j in 0..p {
            self.norms[j] = a[j * n..(j + 1) * n]
                .iter()
                .map(|v| v * v)
                .sum::<f64>()
                .sqrt();
        }
        let rdiag = &mut self.rdiag;
        for k in 0..p {
            let norm = a[k * n + k..(k + 1) * n]
                .iter()
                .map(|t| t * t)
                .sum::<f64>()
                .sqrt();
            if !norm.is_finite() || norm <= RANK_TOL * self.norms[k] {
                return false;
            }
            let akk = a[k * n + k];
            let alpha = if akk > 0.0 { -norm } else { norm };
            for i in k..n {
                v[i] = a[k * n + i];
            }
            v[k] -= alpha;
            let vnorm2: f64 = v[k..n].iter().map(|t| t * t).sum();
            rdiag[k] = alpha;
            if vnorm2 > 0.0 {
                for j in (k + 1)..p {
                    let col = &mut a[j * n..(j + 1) * n];
                    let dot: f64 = (k..n).map(|i| v[i] * col[i]).sum();
                    let f = 2.0 * dot / vnorm2;
                    for i in k..n {
                        col[i] -= f * v[i];
                    }
                }
                let dot: f64 = (k..n).map(|i| v[i] * b[i]).sum();
                let f = 2.0 * dot / vnorm2;
                for i in k..n {
                    b[i] -= f * v[i];
                }
            }
        }
        // R (upper, p×p row-major): R[k][k] = rdiag[k], R[k][j] = a[j*n + k] for j > k
        let r = |k: usize, j: usize| if k == j { rdiag[k] } else { a[j * n + k] };
        let beta = &mut self.beta;
        for k in (0..p).rev() {
            let mut s = b[k];
            for j in (k + 1)..p {
                s -= r(k, j) * beta[j];
            }
            beta[k] = s / rdiag[k];
        }
        // R^{-1} (upper triangular)
        let rinv = &mut self.rinv;
        for col in 0..p {
            for k in (0..=col).rev() {
                let mut s = if k == col { 1.0 } else { 0.0 };
                for j in (k + 1)..=col {
                    s -= r(k, j) * rinv[j * p + col];
                }
                rinv[k * p + col] = s / rdiag[k];
            }
        }
        // (X'WX)^{-1} = R^{-1} R^{-T}
        let inv = &mut self.inv;
        for i in 0..p {
            for j in i..p {
                let s: f64 = (j..p).map(|k| rinv[i * p + k] * rinv[j * p + k]).sum();
                inv[i * p + j] = s;
                inv[j * p + i] = s;
            }
        }
        true
    }
}

/// Inverse of a symmetric positive-definite p×p matrix by Cholesky; `None` if not positive definite.
pub fn spd_inverse(m: &[f64], p: usize) -> Option<Vec<f64>> {
    if m.len() != p * p {
        return None;
    }
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = m[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                if !s.is_finite() || s <= RANK_TOL * m[i * p + i].abs() {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    // L^{-1}
    let mut li = vec![0.0; p * p];
    for col in 0..p {
        for i in col..p {
            let mut s = if i == col { 1.0 } else { 0.0 };
            for k in col..i {
                s -= l[i * p + k] * li[k * p + col];
            }
            li[i * p + col] = s / l[i * p + i];
        }
    }
    // M^{-1} = L^{-T} L^{-1}
    let mut inv = vec![0.0; p * p];
    for i in 0..p {
        for j in i..p {
            let s: f64 = (j..p).map(|k| li[k * p + i] * li[k * p + j]).sum();
            inv[i * p + j] = s;
            inv[j * p + i] = s;
        }
    }
    Some(inv)
}

/// Solve the symmetric positive-definite system M x = b; `None` if M is not positive definite.
pub fn spd_solve(m: &[f64], p: usize, b: &[f64]) -> Option<Vec<f64>> {
    let inv = spd_inverse(m, p)?;
    Some(
        (0..p)
            .map(|i| (0..p).map(|j| inv[i * p + j] * b[j]).sum())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn wls_recovers_exact_line_and_inverse() {
        // y = 1 + 2x exactly, unit weights
        let xs = [0.0, 1.0, 2.0, 3.0];
        let x: Vec<f64> = xs.iter().flat_map(|&t| [1.0, t]).collect();
        let z: Vec<f64> = xs.iter().map(|t| 1.0 + 2.0 * t).collect();
        let s = wls(&x, 4, 2, &[1.0; 4], &z).unwrap();
        assert!((s.beta[0] - 1.0).abs() < 1e-12 && (s.beta[1] - 2.0).abs() < 1e-12);
        // X'X = [[4, 6], [6, 14]], det 20, inverse [[0.7, -0.3], [-0.3, 0.2]]
        let want = [0.7, -0.3, -0.3, 0.2];
        for (a, b) in s.xtwx_inv.iter().zip(want) {
            assert!((a - b).abs() < 1e-12);
        }
        let inv = spd_inverse(&[4.0, 6.0, 6.0, 14.0], 2).unwrap();
        for (a, b) in inv.iter().zip(want) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn rank_deficiency_is_refused() {
        let x = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0];
        assert!(wls(&x, 3, 2, &[1.0; 3], &[1.0, 2.0, 3.0]).is_none());
        assert!(spd_inverse(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }

    #[test]
    fn reused_buffers_give_the_fresh_solve_of_every_shape() {
        // one WlsWork through solves of different sizes (larger, smaller, a refused one in
        // between): each gives bit for bit what a fresh wls gives, so nothing stale is read
        let mut work = WlsWork::default();
        let shapes = [(7, 3), (3, 2), (5, 1), (9, 4), (2, 2)];
        for (round, &(n, p)) in shapes.iter().enumerate() {
            let x: Vec<f64> = (0..n * p)
                .map(|k| ((k * 7 + round * 3) % 11) as f64 - 4.5 + (k / p) as f64 * 0.25)
                .collect();
            let w: Vec<f64> = (0..n).map(|i| 0.5 + i as f64).collect();
            let z: Vec<f64> = (0..n)
                .map(|i| (i as f64).sin() * 3.0 + round as f64)
                .collect();
            let fresh = wls(&x, n, p, &w, &z).unwrap();
            assert!(work.solve(&x, n, p, &w, &z));
            assert_eq!(work.beta, fresh.beta);
            assert_eq!(work.inv, fresh.xtwx_inv);
            assert!(!work.solve(&[1.0, 2.0, 1.0, 2.0], 2, 2, &[1.0; 2], &[1.0; 2]));
        }
    }
}

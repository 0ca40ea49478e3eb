//! Joinpoint regression, as NCI's Joinpoint program with its defaults:
//!
//! * log-linear model: ln(y) = b0 + b1 t + Σ d_i (t - τ_i)+ fitted by ordinary least squares
//!   (NCI's "constant variance" option), a continuous piecewise-linear trend;
//! * joinpoints τ on data points, found by exhaustive grid search (minimum SSE), at least
//!   `min_end` observations between a joinpoint and either end and `min_between` between two
//!   joinpoints (the joinpoints themselves excluded; NCI's defaults are 2 and 2);
//! * number of joinpoints by the sequential permutation tests of Kim et al. (2000): test
//!   H0: k = ka against H1: k = kb starting at ka = 0, kb = K; reject → ka + 1, else kb - 1,
//!   until ka = kb; each test at level α / (K - ka) (NCI since version 3.0); p-value
//!   (1 + #{T* ≥ T}) / (N + 1) with T = (SSE_a - SSE_b) / SSE_b and permuted data
//!   ŷ_a + permuted residuals of the ka fit; or by BIC(k) = ln(SSE_k / n) + 2(k+1) ln(n) / n;
//! * inference conditional on the joinpoints with σ² = SSE / (n - 2k - 2) and Student t on
//!   n - 2k - 2 degrees of freedom (NCI counts each joinpoint as a parameter, p = 2k + 2).
#![allow(clippy::needless_range_loop)] // index arithmetic over observations and coefficients

use super::linalg::wls;
use crate::error::{CoreError, CoreResult};
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Refuse permutation runs above this many multiply-adds per series (about a minute).
const WORK_LIMIT: f64 = 1e11;

/// How the number of joinpoints is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Selection {
    Permutation {
        n_perm: usize,
        alpha: f64,
        seed: u64,
    },
    Bic,
}

/// The name of a model-selection method, as the `selection=` option spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectionMethod {
    Permutation,
    Bic,
}

impl std::str::FromStr for SelectionMethod {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s {
            "permutation" => Ok(Self::Permutation),
            "bic" => Ok(Self::Bic),
            other => Err(CoreError::InvalidArgument(format!(
                "selection={other:?} is not one of 'permutation', 'bic'"
            ))),
        }
    }
}

impl SelectionMethod {
    /// The selection rule; the permutation settings are ignored for BIC.
    pub fn with(self, n_perm: usize, alpha: f64, seed: u64) -> Selection {
        match self {
            Self::Permutation => Selection::Permutation {
                n_perm,
                alpha,
                seed,
            },
            Self::Bic => Selection::Bic,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct JoinpointOptions {
    pub max_joins: usize,
    pub min_end: usize,
    pub min_between: usize,
    pub selection: Selection,
    /// Level of the confidence intervals of the segment slopes.
    pub confidence: f64,
}

/// One permutation test of the sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct PermTest {
    pub k_null: usize,
    pub k_alt: usize,
    pub statistic: f64,
    pub pvalue: f64,
    pub level: f64,
    pub reject: bool,
}

/// The selected model for one series.
#[derive(Debug, Clone)]
pub struct JoinpointFit {
    /// Indices (into the sorted series) of the joinpoints.
    pub joins: Vec<usize>,
    /// Coefficients b0, b1, d_1..d_k and their covariance ((k+2)×(k+2)).
    pub coef: Vec<f64>,
    pub cov: Vec<f64>,
    /// Slope of ln(y) per segment, its standard error, two-sided t p-value.
    pub slope: Vec<f64>,
    pub slope_se: Vec<f64>,
    pub slope_p: Vec<f64>,
    /// Confidence limits of the segment slopes (t on `df` degrees of freedom).
    pub slope_lower: Vec<f64>,
    pub slope_upper: Vec<f64>,
    /// Residual degrees of freedom n - 2k - 2 (t quantiles use it).
    pub df: f64,
    pub sse: f64,
    /// Minimum SSE and BIC for each k = 0..=K tried.
    pub sse_by_k: Vec<f64>,
    pub bic_by_k: Vec<f64>,
    pub tests: Vec<PermTest>,
    /// K actually used (max_joins reduced when the series is too short), with a note.
    pub max_joins_used: usize,
    pub note: Option<String>,
}

/// SplitMix64: a tiny, well-tested 64-bit generator (Steele, Lea & Flood 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform integer in 0..m (m > 0), without modulo bias (Lemire's method).
    pub fn below(&mut self, m: u64) -> u64 {
        let threshold = m.wrapping_neg() % m;
        loop {
            let r = (self.next_u64() as u128) * (m as u128);
            if (r as u64) >= threshold {
                return (r >> 64) as u64;
            }
        }
    }
}

/// Seed of the RNG of one permutation: depends only on (seed, group, test, permutation), so
/// results do not depend on threads.
fn perm_seed(seed: u64, group: usize, ka: usize, kb: usize, i: usize) -> u64 {
    let mut s = SplitMix64::new(seed ^ 0x6A09_E667_F3BC_C908);
    let mut h = s.next_u64();
    for v in [group, ka, kb, i] {
        h = SplitMix64::new(h ^ (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64();
    }
    h
}

/// All joinpoint index sets of size k allowed by the spacing rules (lexicographic order).
pub fn configurations(n: usize, k: usize, min_end: usize, min_between: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    if k == 0 {
        out.push(Vec::new());
        return out;
    }
    if n < 2 * min_end + 1 {
        return out;
    }
    let lo = min_end;
    let hi = n - 1 - min_end; // inclusive
    let mut cur = Vec::with_capacity(k);
    fn rec(
        cur: &mut Vec<usize>,
        start: usize,
        hi: usize,
        k: usize,
        gap: usize,
        out: &mut Vec<Vec<usize>>,
    ) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        let mut j = start;
        while j <= hi {
            cur.push(j);
            rec(cur, j + gap + 1, hi, k, gap, out);
            cur.pop();
            j += 1;
        }
    }
    rec(&mut cur, lo, hi, k, min_between, &mut out);
    out
}

/// Number of joinpoint sets `configurations` would list: C(L - (k-1)·gap, k) with
/// L = n - 2·min_end candidate points (as f64: it can be huge).
pub fn count_configurations(n: usize, k: usize, min_end: usize, min_between: usize) -> f64 {
    if k == 0 {
        return 1.0;
    }
    let free = n as f64 - 2.0 * min_end as f64 - (k as f64 - 1.0) * min_between as f64;
    if free < k as f64 {
        return 0.0;
    }
    (0..k).fold(1.0, |acc, i| acc * (free - i as f64) / (i as f64 + 1.0))
}

/// Minimum number of points for k joinpoints (NCI's formula) plus one residual df.
pub fn min_points(k: usize, min_end: usize, min_between: usize) -> usize {
    let grid = if k == 0 {
        0
    } else {
        2 * min_end + (k - 1) * min_between + k
    };
    grid.max(2 * k + 3)
}

fn design(t: &[f64], joins: &[usize]) -> Vec<f64> {
    let n = t.len();
    let p = 2 + joins.len();
    let mut x = vec![0.0; n * p];
    for i in 0..n {
        x[i * p] = 1.0;
        x[i * p + 1] = t[i] - t[0];
        for (m, &j) in joins.iter().enumerate() {
            x[i * p + 2 + m] = (t[i] - t[j]).max(0.0);
        }
    }
    x
}

/// Orthonormal basis (n×p, column-major) of the design's column space, by modified
/// Gram-Schmidt; `None` if the design is singular.
fn basis(t: &[f64], joins: &[usize]) -> Option<Vec<f64>> {
    let n = t.len();
    let p = 2 + joins.len();
    let x = design(t, joins);
    let mut q = vec![0.0; n * p];
    for j in 0..p {
        for i in 0..n {
            q[j * n + i] = x[i * p + j];
        }
    }
    for j in 0..p {
        let norm0: f64 = q[j * n..(j + 1) * n]
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt();
        for _pass in 0..2 {
            for k in 0..j {
                let dot: f64 = (0..n).map(|i| q[k * n + i] * q[j * n + i]).sum();
                for i in 0..n {
                    q[j * n + i] -= dot * q[k * n + i];
                }
            }
        }
        let norm: f64 = q[j * n..(j + 1) * n]
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt();
        if !norm.is_finite() || norm <= 1e-10 * norm0.max(1e-300) {
            return None;
        }
        for i in 0..n {
            q[j * n + i] /= norm;
        }
    }
    Some(q)
}

/// Precomputed bases of every configuration for one k.
struct Grid {
    configs: Vec<Vec<usize>>,
    bases: Vec<Vec<f64>>,
    p: usize,
}

impl Grid {
    fn new(t: &[f64], k: usize, min_end: usize, min_between: usize) -> Grid {
        let mut configs = Vec::new();
        let mut bases = Vec::new();
        for c in configurations(t.len(), k, min_end, min_between) {
            if let Some(b) = basis(t, &c) {
                configs.push(c);
                bases.push(b);
            }
        }
        Grid {
            configs,
            bases,
            p: k + 2,
        }
    }

    /// (minimum SSE, index of the best configuration); first best in lexicographic order.
    fn best(&self, y: &[f64], yy: f64) -> (f64, usize) {
        let n = y.len();
        let mut best = (f64::INFINITY, 0);
        for (c, q) in self.bases.iter().enumerate() {
            let mut proj = 0.0;
            for j in 0..self.p {
                let col = &q[j * n..(j + 1) * n];
                let dot: f64 = col.iter().zip(y).map(|(a, b)| a * b).sum();
                proj += dot * dot;
            }
            let sse = (yy - proj).max(0.0);
            if sse < best.0 - 1e-12 * yy.abs().max(1e-300) {
                best = (sse, c);
            }
        }
        best
    }

    /// Fitted values of configuration c.
    fn fitted(&self, c: usize, y: &[f64]) -> Vec<f64> {
        let n = y.len();
        let q = &self.bases[c];
        let mut f = vec![0.0; n];
        for j in 0..self.p {
            let col = &q[j * n..(j + 1) * n];
            let dot: f64 = col.iter().zip(y).map(|(a, b)| a * b).sum();
            for i in 0..n {
                f[i] += dot * col[i];
            }
        }
        f
    }
}

fn t_two_sided(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) if t.is_finite() => 2.0 * d.sf(t.abs()),
        _ => f64::NAN,
    }
}

/// Fit one series: `t` strictly increasing times, `y` positive values (counts or rates).
pub fn fit_series(
    t: &[f64],
    y: &[f64],
    opts: &JoinpointOptions,
    group: usize,
) -> CoreResult<JoinpointFit> {
    let n = t.len();
    if y.len() != n {
        return Err(CoreError::InvalidArgument(format!(
            "{n} times but {} values",
            y.len()
        )));
    }
    if let Some(i) = (0..n).find(|&i| !(y[i].is_finite() && y[i] > 0.0)) {
        return Err(CoreError::Fit(format!(
            "value {} at point {}: the log-linear joinpoint model needs positive counts",
            y[i],
            i + 1
        )));
    }
    if t.windows(2).any(|w| w[1] <= w[0]) || t.iter().any(|v| !v.is_finite()) {
        return Err(CoreError::Fit(
            "times must be finite and strictly increasing".into(),
        ));
    }
    if n < min_points(0, opts.min_end, opts.min_between) {
        return Err(CoreError::Fit(format!(
            "too few points: {n} (at least 3 needed for a line with a residual degree of freedom)"
        )));
    }
    let mut kmax = opts.max_joins;
    while kmax > 0 && n < min_points(kmax, opts.min_end, opts.min_between) {
        kmax -= 1;
    }
    let note = (kmax < opts.max_joins).then(|| {
        format!(
            "max_joins reduced from {} to {kmax}: {n} points allow at most {kmax} joinpoint(s) with at least {} points to either end and {} between joinpoints",
            opts.max_joins, opts.min_end, opts.min_between
        )
    });
    let sizes: Vec<f64> = (0..=kmax)
        .map(|k| count_configurations(n, k, opts.min_end, opts.min_between))
        .collect();
    // the grids keep an n×(k+2) basis per candidate set: refuse above ~500 MB
    let cells: f64 = sizes
        .iter()
        .enumerate()
        .map(|(k, &c)| c * (n * (k + 2)) as f64)
        .sum();
    if cells > 6e7 {
        return Err(CoreError::Fit(format!(
            "{n} points with up to {kmax} joinpoints give {} candidate joinpoint sets: too many for an exhaustive grid search; lower max_joins",
            sizes.iter().sum::<f64>()
        )));
    }
    if let Selection::Permutation { n_perm, .. } = opts.selection {
        // each test runs two grid searches per permutation; at most K tests
        let per_perm: f64 = sizes
            .iter()
            .enumerate()
            .map(|(k, &c)| c * (n * (k + 2)) as f64)
            .sum();
        let work = per_perm * n_perm as f64 * kmax as f64;
        if work > WORK_LIMIT {
            return Err(CoreError::Fit(format!(
                "{n} points with up to {kmax} joinpoints need {} candidate joinpoint sets per grid search: \
                 the permutation tests would take too long; lower max_joins, use selection='bic', or fewer permutations",
                sizes.iter().sum::<f64>()
            )));
        }
    }
    let ly: Vec<f64> = y.iter().map(|v| v.ln()).collect();
    let grids: Vec<Grid> = (0..=kmax)
        .map(|k| Grid::new(t, k, opts.min_end, opts.min_between))
        .collect();
    let yy: f64 = ly.iter().map(|v| v * v).sum();
    let fits: Vec<(f64, usize)> = grids.iter().map(|g| g.best(&ly, yy)).collect();
    let nf = n as f64;
    let sse_by_k: Vec<f64> = fits.iter().map(|f| f.0).collect();
    let bic_by_k: Vec<f64> = sse_by_k
        .iter()
        .enumerate()
        .map(|(k, &s)| (s / nf).ln() + 2.0 * (k as f64 + 1.0) * nf.ln() / nf)
        .collect();
    let mut tests = Vec::new();
    let k = match opts.selection {
        Selection::Bic => {
            let mut best = 0;
            for k in 1..=kmax {
                if bic_by_k[k] < bic_by_k[best] {
                    best = k;
                }
            }
            best
        }
        Selection::Permutation {
            n_perm,
            alpha,
            seed,
        } => {
            let (mut ka, mut kb) = (0usize, kmax);
            while ka < kb {
                let (sa, ca) = fits[ka];
                let sb = fits[kb].0;
                let stat = (sa - sb) / sb;
                let fit_a = grids[ka].fitted(ca, &ly);
                let resid: Vec<f64> = ly.iter().zip(&fit_a).map(|(a, b)| a - b).collect();
                let (ga, gb) = (&grids[ka], &grids[kb]);
                let exceed: usize = (0..n_perm)
                    .into_par_iter()
                    .map(|i| {
                        let mut rng = SplitMix64::new(perm_seed(seed, group, ka, kb, i));
                        let mut e = resid.clone();
                        for m in (1..n).rev() {
                            let j = rng.below(m as u64 + 1) as usize;
                            e.swap(m, j);
                        }
                        let ys: Vec<f64> = fit_a.iter().zip(&e).map(|(f, r)| f + r).collect();
                        let yys: f64 = ys.iter().map(|v| v * v).sum();
                        let s_a = ga.best(&ys, yys).0;
                        let s_b = gb.best(&ys, yys).0;
                        let st = (s_a - s_b) / s_b;
                        // ties within rounding count as exceeding
                        usize::from(st >= stat - 1e-12 * stat.abs() || st.is_nan())
                    })
                    .sum();
                let pvalue = (exceed as f64 + 1.0) / (n_perm as f64 + 1.0);
                let level = alpha / (kmax - ka) as f64;
                let reject = pvalue < level;
                tests.push(PermTest {
                    k_null: ka,
                    k_alt: kb,
                    statistic: stat,
                    pvalue,
                    level,
                    reject,
                });
                if reject {
                    ka += 1;
                } else {
                    kb -= 1;
                }
            }
            ka
        }
    };
    let joins = grids[k].configs[fits[k].1].clone();
    let p = k + 2;
    let x = design(t, &joins);
    let sol = wls(&x, n, p, &vec![1.0; n], &ly)
        .ok_or_else(|| CoreError::Fit("joinpoint design is singular".into()))?;
    let sse = fits[k].0;
    let df = (n - 2 * k - 2) as f64;
    let sigma2 = sse / df;
    let cov: Vec<f64> = sol.xtwx_inv.iter().map(|v| v * sigma2).collect();
    let mut slope = Vec::with_capacity(k + 1);
    let mut slope_se = Vec::with_capacity(k + 1);
    let mut slope_p = Vec::with_capacity(k + 1);
    for m in 0..=k {
        // slope of segment m: b1 + d_1 + ... + d_m
        let idx: Vec<usize> = std::iter::once(1).chain(2..2 + m).collect();
        let s: f64 = idx.iter().map(|&i| sol.beta[i]).sum();
        let v: f64 = idx
            .iter()
            .flat_map(|&i| idx.iter().map(move |&j| (i, j)))
            .map(|(i, j)| cov[i * p + j])
            .sum();
        let se = v.max(0.0).sqrt();
        slope.push(s);
        slope_se.push(se);
        slope_p.push(t_two_sided(s / se, df));
    }
    let tq = t_quantile(0.5 + opts.confidence / 2.0, df);
    let slope_lower = slope
        .iter()
        .zip(&slope_se)
        .map(|(s, e)| s - tq * e)
        .collect();
    let slope_upper = slope
        .iter()
        .zip(&slope_se)
        .map(|(s, e)| s + tq * e)
        .collect();
    Ok(JoinpointFit {
        slope_lower,
        slope_upper,
        joins,
        coef: sol.beta,
        cov,
        slope,
        slope_se,
        slope_p,
        df,
        sse,
        sse_by_k,
        bic_by_k,
        tests,
        max_joins_used: kmax,
        note,
    })
}

/// Fit every group (rows `starts[g]..starts[g+1]`) in parallel.
pub fn fit_groups(
    t: &[f64],
    y: &[f64],
    starts: &[usize],
    opts: &JoinpointOptions,
) -> CoreResult<Vec<CoreResult<JoinpointFit>>> {
    let n = t.len();
    if y.len() != n
        || starts.is_empty()
        || starts[0] != 0
        || starts[starts.len() - 1] != n
        || starts.windows(2).any(|w| w[1] < w[0])
    {
        return Err(CoreError::InvalidArgument(
            "times, values and group starts do not line up".into(),
        ));
    }
    if let Selection::Permutation { n_perm, alpha, .. } = opts.selection {
        if n_perm == 0 || !(alpha > 0.0 && alpha < 1.0) {
            return Err(CoreError::InvalidArgument(format!(
                "permutation test needs n_permutations >= 1 and 0 < alpha < 1, got {n_perm} and {alpha}"
            )));
        }
    }
    Ok(starts
        .par_windows(2)
        .enumerate()
        .map(|(g, w)| fit_series(&t[w[0]..w[1]], &y[w[0]..w[1]], opts, g))
        .collect())
}

/// Average annual percent change over a range, as a slope of ln(y).
#[derive(Debug, Clone, PartialEq)]
pub struct Aapc {
    pub slope: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
    pub pvalue: f64,
    /// Whether the range lies within one segment (then t on the model df, else normal).
    pub one_segment: bool,
}

/// AAPC over [start, end] (NaN for either end = the series' end): the slopes of the
/// segments weighted by the length of their overlap with the range (NCI's definition).
pub fn aapc(
    t: &[f64],
    fit: &JoinpointFit,
    start: f64,
    end: f64,
    confidence: f64,
) -> CoreResult<Aapc> {
    let n = t.len();
    if n < 2 || fit.coef.len() != fit.joins.len() + 2 {
        return Err(CoreError::InvalidArgument(
            "fit and times do not match".into(),
        ));
    }
    let lo = if start.is_nan() { t[0] } else { start };
    let hi = if end.is_nan() { t[n - 1] } else { end };
    if !(lo >= t[0] && hi <= t[n - 1] && lo < hi) {
        return Err(CoreError::Period(format!(
            "AAPC range {lo}..{hi} must lie within the series {}..{} and not be empty",
            t[0],
            t[n - 1]
        )));
    }
    let k = fit.joins.len();
    let p = k + 2;
    let mut bounds = vec![t[0]];
    bounds.extend(fit.joins.iter().map(|&j| t[j]));
    bounds.push(t[n - 1]);
    let mut c = vec![0.0; p];
    let mut used = 0;
    for m in 0..=k {
        let w = (hi.min(bounds[m + 1]) - lo.max(bounds[m])).max(0.0) / (hi - lo);
        if w > 0.0 {
            used += 1;
            c[1] += w;
            for i in 0..m {
                c[2 + i] += w;
            }
        }
    }
    let slope: f64 = c.iter().zip(&fit.coef).map(|(a, b)| a * b).sum();
    let var: f64 = (0..p)
        .flat_map(|i| (0..p).map(move |j| (i, j)))
        .map(|(i, j)| c[i] * c[j] * fit.cov[i * p + j])
        .sum();
    let se = var.max(0.0).sqrt();
    let one_segment = used == 1;
    let (q, pvalue) = if one_segment {
        (
            t_quantile(0.5 + confidence / 2.0, fit.df),
            t_two_sided(slope / se, fit.df),
        )
    } else {
        let d = statrs::distribution::Normal::new(0.0, 1.0)
            .map_err(|e| CoreError::InvalidArgument(e.to_string()))?;
        let z = slope / se;
        (
            d.inverse_cdf(0.5 + confidence / 2.0),
            if z.is_finite() {
                2.0 * d.sf(z.abs())
            } else {
                f64::NAN
            },
        )
    };
    Ok(Aapc {
        slope,
        se,
        lower: slope - q * se,
        upper: slope + q * se,
        pvalue,
        one_segment,
    })
}

/// Quantile of Student t (used for confidence intervals).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn grid_respects_nci_spacing() {
        // n = 5, one joinpoint: only the middle point has 2 points on either side
        assert_eq!(configurations(5, 1, 2, 2), vec![vec![2]]);
        // NCI's minimum: 2*2 + (2-1)*2 + 2 = 8 points for two joinpoints
        assert_eq!(configurations(8, 2, 2, 2), vec![vec![2, 5]]);
        assert!(configurations(7, 2, 2, 2).is_empty());
        assert_eq!(min_points(2, 2, 2), 8);
        for (n, k) in [(8, 2), (20, 3), (15, 1), (7, 2), (30, 4)] {
            let listed = configurations(n, k, 2, 2).len() as f64;
            assert_eq!(count_configurations(n, k, 2, 2), listed, "n={n} k={k}");
        }
    }

    #[test]
    fn rng_is_reproducible_and_unbiased_enough() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        assert_eq!(a.next_u64(), b.next_u64());
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[a.below(3) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| (9_500..10_500).contains(&c)));
    }

    #[test]
    fn finds_a_planted_joinpoint_exactly() {
        // ln y rises by 0.1 a year to t = 6, then falls by 0.05 a year
        let t: Vec<f64> = (0..14).map(f64::from).collect();
        let y: Vec<f64> = t
            .iter()
            .map(|&v| (1.0 + 0.1 * v.min(6.0) - 0.05 * (v - 6.0).max(0.0)).exp())
            .collect();
        let opts = JoinpointOptions {
            max_joins: 2,
            min_end: 2,
            min_between: 2,
            selection: Selection::Bic,
            confidence: 0.95,
        };
        let f = fit_series(&t, &y, &opts, 0).unwrap();
        assert_eq!(f.joins, vec![6]);
        assert!((f.slope[0] - 0.1).abs() < 1e-9 && (f.slope[1] + 0.05).abs() < 1e-9);
        // AAPC over the whole range: (6 * 0.1 + 7 * -0.05) / 13
        let a = aapc(&t, &f, f64::NAN, f64::NAN, 0.95).unwrap();
        assert!((a.slope - (0.6 - 0.35) / 13.0).abs() < 1e-9 && !a.one_segment);
        let a = aapc(&t, &f, 0.0, 5.0, 0.95).unwrap();
        assert!((a.slope - 0.1).abs() < 1e-9 && a.one_segment);
        assert!(aapc(&t, &f, 5.0, 20.0, 0.95).is_err());
    }

    #[test]
    fn refuses_hopeless_permutation_runs() {
        let t: Vec<f64> = (0..60).map(f64::from).collect();
        let y: Vec<f64> = t.iter().map(|v| 10.0 + v).collect();
        let opts = JoinpointOptions {
            max_joins: 6,
            min_end: 2,
            min_between: 2,
            selection: Selection::Permutation {
                n_perm: 4499,
                alpha: 0.05,
                seed: 1,
            },
            confidence: 0.95,
        };
        let e = fit_series(&t, &y, &opts, 0).unwrap_err().to_string();
        assert!(e.contains("lower max_joins"), "{e}");
        let bic = JoinpointOptions {
            max_joins: 12,
            selection: Selection::Bic,
            ..opts
        };
        let e = fit_series(&t, &y, &bic, 0).unwrap_err().to_string();
        assert!(e.contains("too many for an exhaustive grid search"), "{e}");
    }
}

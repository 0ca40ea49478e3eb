//! Joinpoint regression after NCI's Joinpoint Regression Program (checked against exports of
//! version 4.5.0.1 in `tests/fixtures/joinpoint/`):
//!
//! * log-linear model ln(y) = b0 + b1 t + Σ d_i (t - τ_i)+ [+ J·1(t > c) for a jump model],
//!   fitted by (weighted) least squares: constant variance (weights 1), heteroscedastic
//!   (weights y² / se², the program's delta-method weights for a log response), or Poisson
//!   (weights = counts: the delta-method variance of a log Poisson rate, an approximation of
//!   the program's Poisson option, not checked against it);
//! * joinpoints τ on data points by exhaustive grid search (minimum weighted SSE), at least
//!   `min_end` observations between a joinpoint and either end and `min_between` between two
//!   joinpoints, the joinpoints themselves excluded (the program's defaults 2 and 2); the search
//!   walks a prefix tree of candidate sets (`jp_search`), all k at once;
//! * the number of joinpoints between `min_joins` and `max_joins` by the sequential permutation
//!   tests of Kim et al. (2000) (level α / (K - k_null), p = (1 + #{T* ≥ T}) / (N + 1); the
//!   null fit's weighted residuals permuted and added back to its fitted values; in a jump
//!   model residuals and fitted values are those of the null fit less its jump, so the level
//!   shift is permuted with the residuals, as the program's p-values show),
//!   by BIC, BIC3-weighted WBIC (help page "Weighted BIC") or fixed (min_joins = max_joins);
//! * parametric inference as the program computes it (help page "Estimated Regression
//!   Coefficients"): the segment slopes are those of the joined model, their standard errors
//!   come from fitting each segment separately (observations on joinpoints dropped; a jump is
//!   ignored there), pooling those SSEs with n - k - 2(k+1) degrees of freedom; Student t for
//!   segments, a normal quantile for an AAPC spanning several segments (segments independent);
//!   a jump's standard error from the same separate fits with the jump in its segment and one
//!   degree of freedom fewer; the comparability ratio exp(J) by the delta method;
//! * or empirical-quantile intervals (Joinpoint 5's idea: resample standardised residuals of
//!   the final model, refit the k-joinpoint model including its joinpoints, take quantiles);
//!   seeded, one stream per group and replicate;
//! * joinpoint location intervals as the program prints them (found on the reference exports,
//!   not in its documentation): the projection of Lerman's (1980) joint confidence region
//!   {tau : (Q(tau) - Q) / (Q / (n - 2k - 2)) <= k F(k, n - 2k - 2)} on each joinpoint (the
//!   profile Q(x, j), minimum SSE with the j-th joinpoint at x), widened to the data points
//!   just outside it and kept within the joinpoint's grid range; the empirical one takes
//!   quantiles of the resampled joinpoints.
#![allow(clippy::needless_range_loop)] // index arithmetic over observations and coefficients

use super::jp_search::{JoinGrid, LaneScratch, LANES, MAX_JOINS};
use super::linalg::wls;
use crate::error::{CoreError, CoreResult};
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// Refuse runs above this many node visits (about a few minutes on one core).
const WORK_LIMIT: f64 = 2e12;
/// Refuse grids above this many candidate sets (memory: ~80 bytes each).
pub(crate) const GRID_LIMIT: f64 = 4e6;
/// Replicates between two checks of the cancel callback.
const CHUNK: usize = 1024;

/// How the response's variance is modelled (the weights of the least-squares fit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variance {
    Constant,
    Heteroscedastic,
    Poisson,
}

impl Variance {
    pub fn parse(s: &str) -> CoreResult<Variance> {
        match s {
            "constant" => Ok(Variance::Constant),
            "heteroscedastic" => Ok(Variance::Heteroscedastic),
            "poisson" => Ok(Variance::Poisson),
            other => Err(CoreError::InvalidArgument(format!(
                "variance={other:?} is not one of 'constant', 'heteroscedastic', 'poisson'"
            ))),
        }
    }
}

/// How the number of joinpoints is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Selection {
    Permutation {
        n_perm: usize,
        alpha: f64,
        seed: u64,
    },
    Bic,
    Wbic,
}

impl Selection {
    pub fn parse(s: &str, n_perm: usize, alpha: f64, seed: u64) -> CoreResult<Selection> {
        match s {
            "permutation" => {
                if n_perm == 0 || !(alpha > 0.0 && alpha < 1.0) {
                    return Err(CoreError::InvalidArgument(format!(
                        "the permutation test needs n_permutations >= 1 and 0 < alpha < 1, got {n_perm} and {alpha}"
                    )));
                }
                Ok(Selection::Permutation {
                    n_perm,
                    alpha,
                    seed,
                })
            }
            "bic" => Ok(Selection::Bic),
            "wbic" => Ok(Selection::Wbic),
            other => Err(CoreError::InvalidArgument(format!(
                "selection={other:?} is not one of 'permutation', 'bic', 'wbic'"
            ))),
        }
    }
}

/// How confidence intervals are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiMethod {
    Parametric,
    Empirical { n_resamples: usize, seed: u64 },
}

impl CiMethod {
    pub fn parse(s: &str, n_resamples: usize, seed: u64) -> CoreResult<CiMethod> {
        match s {
            "parametric" => Ok(CiMethod::Parametric),
            "empirical" => {
                if n_resamples < 10 {
                    return Err(CoreError::InvalidArgument(format!(
                        "empirical intervals need n_resamples >= 10, got {n_resamples}"
                    )));
                }
                Ok(CiMethod::Empirical { n_resamples, seed })
            }
            other => Err(CoreError::InvalidArgument(format!(
                "ci={other:?} is not one of 'parametric', 'empirical'"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct JoinpointOptions {
    pub min_joins: usize,
    pub max_joins: usize,
    pub min_end: usize,
    pub min_between: usize,
    pub selection: Selection,
    /// Level of the confidence intervals.
    pub confidence: f64,
    /// Location of a jump (between two observation times), or None.
    pub jump_at: Option<f64>,
    pub ci: CiMethod,
}

impl JoinpointOptions {
    /// The program's defaults: 0 to `max_joins` joinpoints, spacing 2 and 2, permutation test
    /// with 4,499 permutations at α = 0.05, 95% parametric intervals, no jump.
    pub fn new(max_joins: usize) -> JoinpointOptions {
        JoinpointOptions {
            min_joins: 0,
            max_joins,
            min_end: 2,
            min_between: 2,
            selection: Selection::Permutation {
                n_perm: 4499,
                alpha: 0.05,
                seed: 2000,
            },
            confidence: 0.95,
            jump_at: None,
            ci: CiMethod::Parametric,
        }
    }
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
    /// Degrees of freedom as the program prints them: 2(k_alt - k_null) and n - 2 k_alt - 2.
    pub df_num: usize,
    pub df_den: usize,
    pub n_perm: usize,
}

/// One segment of the selected model, on the ln scale (APC = 100 (e^slope - 1)).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Observation indices of its first and last point (joinpoints shared).
    pub start: usize,
    pub end: usize,
    pub slope: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
    pub statistic: f64,
    pub pvalue: f64,
}

/// The estimated jump of a jump model and its comparability ratio exp(jump).
#[derive(Debug, Clone, PartialEq)]
pub struct Jump {
    pub location: f64,
    pub value: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
    pub statistic: f64,
    pub pvalue: f64,
    pub df: f64,
    pub ratio: f64,
    pub ratio_se: f64,
    pub ratio_lower: f64,
    pub ratio_upper: f64,
    pub ratio_statistic: f64,
    pub ratio_pvalue: f64,
}

/// One resampled fit (empirical intervals): joinpoint indices and segment slopes.
#[derive(Debug, Clone, PartialEq)]
pub struct Replicate {
    pub joins: Vec<usize>,
    pub slopes: Vec<f64>,
}

/// The selected model for one series.
#[derive(Debug, Clone)]
pub struct JoinpointFit {
    /// Indices (into the sorted series) of the joinpoints.
    pub joins: Vec<usize>,
    /// Confidence limits of the joinpoint locations (in time units).
    pub join_lower: Vec<f64>,
    pub join_upper: Vec<f64>,
    /// Coefficients of the joined model: b0 (at t_0), b1, d_1..d_k [, jump].
    pub coef: Vec<f64>,
    pub segments: Vec<Segment>,
    /// Fitted ln(y) of the joined model.
    pub fitted: Vec<f64>,
    /// Degrees of freedom of the parametric intervals: n - k - 2(k+1).
    pub df: f64,
    /// Weighted SSE of the joined model and its df as the program prints them (n - 2k - 2).
    pub sse: f64,
    pub model_df: f64,
    /// Minimum SSE and information criteria for each k = 0..=K (NaN where not allowed).
    pub sse_by_k: Vec<f64>,
    pub bic_by_k: Vec<f64>,
    pub bic3_by_k: Vec<f64>,
    pub wbic_by_k: Vec<f64>,
    /// Weight of BIC3 in WBIC (the maximal partial R²), NaN for k = 0.
    pub wbic_weight_by_k: Vec<f64>,
    pub tests: Vec<PermTest>,
    pub jump: Option<Jump>,
    /// Resampled fits (empirical intervals only).
    pub replicates: Vec<Replicate>,
    /// Confidence level and interval method used.
    pub confidence: f64,
    pub empirical: bool,
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
    /// Uniform integer in 0..m (m > 0), without modulo bias (Lemire's method). The threshold
    /// (a division) is computed only when the low word falls below m: it is below m, so the
    /// draws accepted, and the numbers drawn, are those of testing every draw against it.
    pub fn below(&mut self, m: u64) -> u64 {
        let mut r = (self.next_u64() as u128) * (m as u128);
        if (r as u64) < m {
            let threshold = m.wrapping_neg() % m;
            while (r as u64) < threshold {
                r = (self.next_u64() as u128) * (m as u128);
            }
        }
        (r >> 64) as u64
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

/// Minimum number of points for k joinpoints: the grid's spacing rules and at least one
/// degree of freedom for the program's parametric intervals (n - 3k - 2 >= 1). Saturating, so
/// absurd spacings from the caller give "too few points", never an overflow.
pub fn min_points(k: usize, min_end: usize, min_between: usize) -> usize {
    let grid = if k == 0 {
        0
    } else {
        min_end
            .saturating_mul(2)
            .saturating_add((k - 1).saturating_mul(min_between))
            .saturating_add(k)
    };
    grid.max(k.saturating_mul(3).saturating_add(3))
}

/// Least-squares weights for `variance`: 1, y² / se², or the counts.
pub fn weights(
    variance: Variance,
    y: &[f64],
    se: Option<&[f64]>,
    counts: Option<&[f64]>,
) -> CoreResult<Vec<f64>> {
    let n = y.len();
    match variance {
        Variance::Constant => Ok(vec![1.0; n]),
        Variance::Heteroscedastic => {
            let se = se.ok_or_else(|| {
                CoreError::InvalidArgument(
                    "variance='heteroscedastic' needs standard errors (se=)".into(),
                )
            })?;
            if se.len() != n {
                return Err(CoreError::InvalidArgument(format!(
                    "{n} values but {} standard errors",
                    se.len()
                )));
            }
            (0..n)
                .map(|i| {
                    if se[i].is_finite() && se[i] > 0.0 {
                        Ok(y[i] * y[i] / (se[i] * se[i]))
                    } else {
                        Err(CoreError::DataFormat(format!(
                            "standard error {} at point {}: it must be positive and finite",
                            se[i],
                            i + 1
                        )))
                    }
                })
                .collect()
        }
        Variance::Poisson => {
            let c = counts.ok_or_else(|| {
                CoreError::InvalidArgument("variance='poisson' needs the counts".into())
            })?;
            if c.len() != n {
                return Err(CoreError::InvalidArgument(format!(
                    "{n} values but {} counts",
                    c.len()
                )));
            }
            (0..n)
                .map(|i| {
                    if c[i].is_finite() && c[i] > 0.0 {
                        Ok(c[i])
                    } else {
                        Err(CoreError::DataFormat(format!(
                            "count {} at point {}: Poisson weights need positive counts",
                            c[i],
                            i + 1
                        )))
                    }
                })
                .collect()
        }
    }
}

fn step(t: &[f64], c: f64) -> Vec<f64> {
    t.iter().map(|&v| if v > c { 1.0 } else { 0.0 }).collect()
}

/// Design of the joined model: 1, t - t_0, (t - τ_i)+ ..., [jump step].
fn design(t: &[f64], joins: &[usize], jump: Option<f64>) -> (Vec<f64>, usize) {
    let n = t.len();
    let p = 2 + joins.len() + usize::from(jump.is_some());
    let mut x = vec![0.0; n * p];
    for i in 0..n {
        x[i * p] = 1.0;
        x[i * p + 1] = t[i] - t[0];
        for (m, &j) in joins.iter().enumerate() {
            x[i * p + 2 + m] = (t[i] - t[j]).max(0.0);
        }
        if let Some(c) = jump {
            x[i * p + p - 1] = if t[i] > c { 1.0 } else { 0.0 };
        }
    }
    (x, p)
}

/// Joined-model fit at given joinpoints: coefficients, fitted values, weighted SSE.
fn joined_fit(
    t: &[f64],
    z: &[f64],
    w: &[f64],
    joins: &[usize],
    jump: Option<f64>,
) -> CoreResult<(Vec<f64>, Vec<f64>, f64)> {
    joined_fit_cov(t, z, w, joins, jump).map(|(b, f, s, _)| (b, f, s))
}

/// As `joined_fit`, with (X'WX)^-1 too.
#[allow(clippy::type_complexity)]
fn joined_fit_cov(
    t: &[f64],
    z: &[f64],
    w: &[f64],
    joins: &[usize],
    jump: Option<f64>,
) -> CoreResult<(Vec<f64>, Vec<f64>, f64, Vec<f64>)> {
    let n = t.len();
    let (x, p) = design(t, joins, jump);
    let sol =
        wls(&x, n, p, w, z).ok_or_else(|| CoreError::Fit("joinpoint design is singular".into()))?;
    let fitted: Vec<f64> = (0..n)
        .map(|i| (0..p).map(|c| x[i * p + c] * sol.beta[c]).sum())
        .collect();
    let sse = (0..n).map(|i| w[i] * (z[i] - fitted[i]).powi(2)).sum();
    Ok((sol.beta, fitted, sse, sol.xtwx_inv))
}

/// Slopes of the segments from the joined model's coefficients.
fn slopes_of(coef: &[f64], k: usize) -> Vec<f64> {
    let mut s = Vec::with_capacity(k + 1);
    let mut acc = coef[1];
    s.push(acc);
    for m in 0..k {
        acc += coef[2 + m];
        s.push(acc);
    }
    s
}

/// Separate weighted line fits per segment (observations on joinpoints dropped; with `jump`,
/// the segment whose points lie on both sides of it gets the step too). Returns per segment
/// (SSE, Var-factor of the slope, Var-factor of the jump if fitted there), and the points used.
struct SegFits {
    sse: f64,
    points: usize,
    slope_var: Vec<f64>,
    jump_var: Option<f64>,
}

fn separate_fits(t: &[f64], z: &[f64], w: &[f64], joins: &[usize], jump: Option<f64>) -> SegFits {
    let n = t.len();
    let k = joins.len();
    let mut bounds = vec![0usize];
    bounds.extend(joins);
    bounds.push(n - 1);
    let mut out = SegFits {
        sse: 0.0,
        points: 0,
        slope_var: vec![f64::NAN; k + 1],
        jump_var: None,
    };
    for m in 0..=k {
        let lo = if m == 0 { bounds[0] } else { bounds[m] + 1 };
        let hi = if m == k {
            bounds[k + 1]
        } else {
            bounds[m + 1] - 1
        };
        if hi < lo {
            continue;
        }
        let idx: Vec<usize> = (lo..=hi).collect();
        out.points += idx.len();
        let with_jump = jump.filter(|&c| t[lo] < c && t[hi] > c).is_some();
        let p = 2 + usize::from(with_jump);
        if idx.len() < p {
            continue;
        }
        let mut x = Vec::with_capacity(idx.len() * p);
        for &i in &idx {
            x.push(1.0);
            x.push(t[i] - t[lo]);
            if with_jump {
                x.push(if t[i] > jump.unwrap_or(f64::NAN) {
                    1.0
                } else {
                    0.0
                });
            }
        }
        let ww: Vec<f64> = idx.iter().map(|&i| w[i]).collect();
        let zz: Vec<f64> = idx.iter().map(|&i| z[i]).collect();
        if let Some(sol) = wls(&x, idx.len(), p, &ww, &zz) {
            let sse: f64 = (0..idx.len())
                .map(|r| {
                    let f: f64 = (0..p).map(|c| x[r * p + c] * sol.beta[c]).sum();
                    ww[r] * (zz[r] - f).powi(2)
                })
                .sum();
            out.sse += sse;
            out.slope_var[m] = sol.xtwx_inv[p + 1];
            if with_jump {
                out.jump_var = Some(sol.xtwx_inv[p * p - 1]);
            }
        }
    }
    out
}

fn t_two_sided(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) if t.is_finite() => 2.0 * d.sf(t.abs()),
        _ => f64::NAN,
    }
}

fn norm_two_sided(z: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(d) if z.is_finite() => 2.0 * d.sf(z.abs()),
        _ => f64::NAN,
    }
}

/// Quantile of Student t (used for confidence intervals).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

fn z_quantile(p: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Linear-interpolation quantile (type 7) of sorted values.
fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Weighted partial R² of (t - τ_i)+ given a line, over the points after the previous joinpoint
/// up to the next one (series ends for the outer joinpoints), maximised over the joinpoints
/// (the "Weighted BIC" help page's R²_max).
fn r2_max(t: &[f64], z: &[f64], w: &[f64], joins: &[usize]) -> f64 {
    let n = t.len();
    let k = joins.len();
    let mut best = 0.0f64;
    for i in 0..k {
        let lo = if i == 0 { 0 } else { joins[i - 1] + 1 };
        let hi = if i + 1 == k { n - 1 } else { joins[i + 1] };
        let idx: Vec<usize> = (lo..=hi).collect();
        if idx.len() < 3 {
            continue;
        }
        // residualise y and z on (1, t) with weights
        let sw: f64 = idx.iter().map(|&r| w[r]).sum();
        let mt: f64 = idx.iter().map(|&r| w[r] * t[r]).sum::<f64>() / sw;
        let stt: f64 = idx.iter().map(|&r| w[r] * (t[r] - mt).powi(2)).sum();
        let resid = |v: &dyn Fn(usize) -> f64| -> Vec<f64> {
            let mv: f64 = idx.iter().map(|&r| w[r] * v(r)).sum::<f64>() / sw;
            let b: f64 = idx.iter().map(|&r| w[r] * (t[r] - mt) * v(r)).sum::<f64>() / stt;
            idx.iter().map(|&r| v(r) - mv - b * (t[r] - mt)).collect()
        };
        let tau = t[joins[i]];
        let ry = resid(&|r| z[r]);
        let rz = resid(&|r| (t[r] - tau).max(0.0));
        let (mut yz, mut yy, mut zz) = (0.0, 0.0, 0.0);
        for (a, &r) in idx.iter().enumerate() {
            yz += w[r] * ry[a] * rz[a];
            yy += w[r] * ry[a] * ry[a];
            zz += w[r] * rz[a] * rz[a];
        }
        if yy > 0.0 && zz > 0.0 {
            best = best.max(yz * yz / (yy * zz));
        }
    }
    best
}

/// Seed of one replicate's RNG: depends only on (seed, group, a, b, i), so results do not
/// depend on threads.
fn rep_seed(seed: u64, group: usize, a: usize, b: usize, i: usize) -> u64 {
    perm_seed(seed, group, a, b, i)
}

/// Working space of one thread's permutation replicates (reused, so a replicate allocates
/// nothing).
#[derive(Default)]
struct PermScratch {
    e: Vec<f64>,
    zs: [Vec<f64>; LANES],
    search: LaneScratch,
}

/// As [`chunked`], with a working space per rayon job made by `init` and reused by the `f`
/// calls of that job.
pub(crate) fn chunked_with<T: Send, S>(
    total: usize,
    cancel: &(dyn Fn() -> bool + Sync),
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize) -> T + Sync + Send,
) -> CoreResult<Vec<T>> {
    let mut out = Vec::with_capacity(total);
    let mut start = 0;
    while start < total {
        if cancel() {
            return Err(CoreError::Fit("interrupted".into()));
        }
        let end = (start + CHUNK).min(total);
        let part: Vec<T> = (start..end).into_par_iter().map_init(&init, &f).collect();
        out.extend(part);
        start = end;
    }
    Ok(out)
}

/// Run `f(i)` for i in 0..total in parallel, in chunks, checking `cancel` between chunks.
fn chunked<T: Send>(
    total: usize,
    cancel: &(dyn Fn() -> bool + Sync),
    f: impl Fn(usize) -> T + Sync + Send,
) -> CoreResult<Vec<T>> {
    let mut out = Vec::with_capacity(total);
    let mut start = 0;
    while start < total {
        if cancel() {
            return Err(CoreError::Fit("interrupted".into()));
        }
        let end = (start + CHUNK).min(total);
        let part: Vec<T> = (start..end).into_par_iter().map(&f).collect();
        out.extend(part);
        start = end;
    }
    Ok(out)
}

/// Fit one series: `t` strictly increasing times, `y` positive values (counts or rates), `w`
/// positive least-squares weights (see [`weights`]). `cancel` is polled between chunks of
/// permutations or resamples; when it returns true the fit stops with an error.
pub fn fit_series(
    t: &[f64],
    y: &[f64],
    w: &[f64],
    opts: &JoinpointOptions,
    group: usize,
    cancel: &(dyn Fn() -> bool + Sync),
) -> CoreResult<JoinpointFit> {
    let n = t.len();
    if y.len() != n || w.len() != n {
        return Err(CoreError::InvalidArgument(format!(
            "{n} times but {} values and {} weights",
            y.len(),
            w.len()
        )));
    }
    if let Some(i) = (0..n).find(|&i| !(y[i].is_finite() && y[i] > 0.0)) {
        return Err(CoreError::Fit(format!(
            "value {} at point {}: the log-linear joinpoint model needs positive values",
            y[i],
            i + 1
        )));
    }
    if let Some(i) = (0..n).find(|&i| !(w[i].is_finite() && w[i] > 0.0)) {
        return Err(CoreError::Fit(format!(
            "weight {} at point {}: weights must be positive and finite",
            w[i],
            i + 1
        )));
    }
    if t.windows(2).any(|v| v[1] <= v[0]) || t.iter().any(|v| !v.is_finite()) {
        return Err(CoreError::Fit(
            "times must be finite and strictly increasing".into(),
        ));
    }
    if !(opts.confidence > 0.0 && opts.confidence < 1.0) {
        return Err(CoreError::InvalidArgument(format!(
            "confidence must be strictly between 0 and 1, got {}",
            opts.confidence
        )));
    }
    if opts.max_joins > MAX_JOINS || opts.min_joins > opts.max_joins {
        return Err(CoreError::InvalidArgument(format!(
            "need 0 <= min_joins <= max_joins <= {MAX_JOINS}, got {} and {}",
            opts.min_joins, opts.max_joins
        )));
    }
    let jump = opts.jump_at;
    if let Some(c) = jump {
        if !(c.is_finite() && c > t[0] && c < t[n - 1]) || t.contains(&c) {
            return Err(CoreError::InvalidArgument(format!(
                "jump_at={c} must lie strictly between two observation times of the series {}..{}",
                t[0],
                t[n - 1]
            )));
        }
    }
    let extra = usize::from(jump.is_some());
    if n < min_points(0, opts.min_end, opts.min_between) + extra {
        return Err(CoreError::Fit(format!(
            "too few points: {n} (at least {} needed for a line with a residual degree of freedom)",
            3 + extra
        )));
    }
    let mut kmax = opts.max_joins;
    while kmax > 0 && n < min_points(kmax, opts.min_end, opts.min_between).saturating_add(extra) {
        kmax -= 1;
    }
    if kmax < opts.min_joins {
        return Err(CoreError::Fit(format!(
            "{n} points allow at most {kmax} joinpoint(s) with at least {} points to either end and {} between joinpoints; min_joins={} cannot be met",
            opts.min_end, opts.min_between, opts.min_joins
        )));
    }
    let note = (kmax < opts.max_joins).then(|| {
        format!(
            "max_joins reduced from {} to {kmax}: {n} points allow at most {kmax} joinpoint(s) with at least {} points to either end and {} between joinpoints",
            opts.max_joins, opts.min_end, opts.min_between
        )
    });
    let kmin = opts.min_joins;
    let sets: f64 = (1..=kmax)
        .map(|k| count_configurations(n, k, opts.min_end, opts.min_between))
        .sum();
    if sets > GRID_LIMIT {
        return Err(CoreError::Fit(format!(
            "{n} points with up to {kmax} joinpoints give {sets:.0} candidate joinpoint sets: too many for an exhaustive grid search (limit {GRID_LIMIT:.0}); lower max_joins"
        )));
    }
    let replicates_needed = match (opts.selection, opts.ci) {
        (Selection::Permutation { n_perm, .. }, CiMethod::Empirical { n_resamples, .. }) => {
            n_perm * (kmax - kmin) + n_resamples
        }
        (Selection::Permutation { n_perm, .. }, _) => n_perm * (kmax - kmin),
        (_, CiMethod::Empirical { n_resamples, .. }) => n_resamples,
        _ => 0,
    };
    let work = sets * (kmax as f64 + 2.0) * replicates_needed as f64;
    if work > WORK_LIMIT {
        return Err(CoreError::Fit(format!(
            "{n} points with up to {kmax} joinpoints ({sets:.0} candidate sets) and {replicates_needed} permutations/resamples would take too long; lower max_joins, use selection='bic' or 'wbic', or fewer permutations"
        )));
    }
    let z: Vec<f64> = y.iter().map(|v| v.ln()).collect();
    let fixed: Vec<Vec<f64>> = jump.iter().map(|&c| step(t, c)).collect();
    let grid = JoinGrid::new(t, w, &fixed, kmax, opts.min_end, opts.min_between)
        .ok_or_else(|| CoreError::Fit("the line (and jump) design is singular".into()))?;
    let best = grid.search(&z, kmax);
    let nf = n as f64;
    let ln_n = nf.ln();
    let sse_by_k: Vec<f64> = best
        .sse
        .iter()
        .map(|&s| if s.is_finite() { s } else { f64::NAN })
        .collect();
    let bic_by_k: Vec<f64> = sse_by_k
        .iter()
        .enumerate()
        .map(|(k, &s)| (s / nf).ln() + (2.0 * k as f64 + 2.0) * ln_n / nf)
        .collect();
    let bic3_by_k: Vec<f64> = sse_by_k
        .iter()
        .enumerate()
        .map(|(k, &s)| (s / nf).ln() + (3.0 * k as f64 + 2.0) * ln_n / nf)
        .collect();
    let wbic_weight_by_k: Vec<f64> = (0..=kmax)
        .map(|k| {
            if k == 0 || best.joins[k].len() != k {
                f64::NAN
            } else {
                r2_max(t, &z, w, &best.joins[k])
            }
        })
        .collect();
    let wbic_by_k: Vec<f64> = (0..=kmax)
        .map(|k| {
            let r = if k == 0 { 0.0 } else { wbic_weight_by_k[k] };
            (sse_by_k[k] / nf).ln() + ((2.0 + r) * k as f64 + 2.0) * ln_n / nf
        })
        .collect();
    let argmin = |v: &[f64]| {
        let mut b = kmin;
        for k in kmin..=kmax {
            if v[k] < v[b] || !v[b].is_finite() {
                b = k;
            }
        }
        b
    };
    let mut tests = Vec::new();
    let k = match opts.selection {
        Selection::Bic => argmin(&bic_by_k),
        Selection::Wbic => argmin(&wbic_by_k),
        Selection::Permutation {
            n_perm,
            alpha,
            seed,
        } => {
            let (mut ka, mut kb) = (kmin, kmax);
            while ka < kb {
                let (sa, sb) = (best.sse[ka], best.sse[kb]);
                let stat = (sa - sb) / sb;
                let (coef_a, mut fit_a, _) = joined_fit(t, &z, w, &best.joins[ka], jump)?;
                // jump model: the permuted data sets are built from the null fit *without* its
                // jump, so the residuals carry the level shift and the jump is estimated again
                // in every refit; what reproduces the program's p-values in the reference jump
                // analyses (tests/trends/test_joinpoint_nci.py; permuting the residuals of the
                // full fit gives p-values 5-10 times the program's there)
                if let Some(c) = jump {
                    let j = coef_a[coef_a.len() - 1];
                    for (f, &ti) in fit_a.iter_mut().zip(t) {
                        if ti > c {
                            *f -= j;
                        }
                    }
                }
                let sw: Vec<f64> = w.iter().map(|v| v.sqrt()).collect();
                let resid: Vec<f64> = (0..n).map(|i| sw[i] * (z[i] - fit_a[i])).collect();
                // permutations in batches of LANES, searched together (the tree read once)
                let batches = n_perm.div_ceil(LANES);
                let exceed: Vec<[bool; LANES]> =
                    chunked_with(batches, cancel, PermScratch::default, |ps, b| {
                        for l in 0..LANES {
                            let i = (b * LANES + l).min(n_perm - 1); // a short last batch repeats
                            let mut rng = SplitMix64::new(perm_seed(seed, group, ka, kb, i));
                            let e = &mut ps.e;
                            e.clear();
                            e.extend_from_slice(&resid);
                            for m in (1..n).rev() {
                                let j = rng.below(m as u64 + 1) as usize;
                                e.swap(m, j);
                            }
                            ps.zs[l].clear();
                            ps.zs[l].extend((0..n).map(|i| fit_a[i] + e[i] / sw[i]));
                        }
                        let zs: [&[f64]; LANES] = std::array::from_fn(|l| ps.zs[l].as_slice());
                        let b = grid.search_sse_lanes(zs, kb, &mut ps.search);
                        std::array::from_fn(|l| {
                            let st = (b[ka][l] - b[kb][l]) / b[kb][l];
                            // ties within rounding count as exceeding
                            st >= stat - 1e-10 * stat.abs() || st.is_nan()
                        })
                    })?;
                let exceed: Vec<bool> = exceed.into_iter().flatten().take(n_perm).collect();
                let count = exceed.iter().filter(|&&e| e).count();
                let pvalue = (count as f64 + 1.0) / (n_perm as f64 + 1.0);
                let level = alpha / (kmax - ka) as f64;
                let reject = pvalue < level;
                tests.push(PermTest {
                    k_null: ka,
                    k_alt: kb,
                    statistic: stat,
                    pvalue,
                    level,
                    reject,
                    df_num: 2 * (kb - ka),
                    df_den: n.saturating_sub(2 * kb + 2),
                    n_perm,
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
    let joins = best.joins[k].clone();
    if joins.len() != k {
        return Err(CoreError::Fit(format!(
            "no allowed set of {k} joinpoints for {n} points"
        )));
    }
    let by_k = ByK {
        sse: sse_by_k,
        bic: bic_by_k,
        bic3: bic3_by_k,
        wbic: wbic_by_k,
        wbic_weight: wbic_weight_by_k,
    };
    finish(
        t, &z, w, joins, opts, group, cancel, &grid, by_k, tests, kmax, note,
    )
}

/// Minimum SSE and criteria per k (see `JoinpointFit`).
struct ByK {
    sse: Vec<f64>,
    bic: Vec<f64>,
    bic3: Vec<f64>,
    wbic: Vec<f64>,
    wbic_weight: Vec<f64>,
}

/// Inference at the given joinpoints, as `fit_series` does after choosing them (public for
/// checks against the program when two joinpoint sets tie, see `fit_series`).
pub fn fit_at(
    t: &[f64],
    y: &[f64],
    w: &[f64],
    joins: &[usize],
    opts: &JoinpointOptions,
) -> CoreResult<JoinpointFit> {
    let k = joins.len();
    let z: Vec<f64> = y.iter().map(|v| v.ln()).collect();
    let fixed: Vec<Vec<f64>> = opts.jump_at.iter().map(|&c| step(t, c)).collect();
    let grid = JoinGrid::new(t, w, &fixed, k, opts.min_end, opts.min_between)
        .ok_or_else(|| CoreError::Fit("the line (and jump) design is singular".into()))?;
    let nan = vec![f64::NAN; k + 1];
    let by_k = ByK {
        sse: nan.clone(),
        bic: nan.clone(),
        bic3: nan.clone(),
        wbic: nan.clone(),
        wbic_weight: nan,
    };
    finish(
        t,
        &z,
        w,
        joins.to_vec(),
        opts,
        0,
        &|| false,
        &grid,
        by_k,
        Vec::new(),
        k,
        None,
    )
}

#[allow(clippy::too_many_arguments)]
fn finish(
    t: &[f64],
    z: &[f64],
    w: &[f64],
    joins: Vec<usize>,
    opts: &JoinpointOptions,
    group: usize,
    cancel: &(dyn Fn() -> bool + Sync),
    grid: &JoinGrid,
    by_k: ByK,
    tests: Vec<PermTest>,
    kmax: usize,
    note: Option<String>,
) -> CoreResult<JoinpointFit> {
    let n = t.len();
    let nf = n as f64;
    let k = joins.len();
    let jump = opts.jump_at;
    let (coef, fitted, sse, xtwx_inv) = joined_fit_cov(t, z, w, &joins, jump)?;
    let slopes = slopes_of(&coef, k);
    let df = nf - k as f64 - 2.0 * (k as f64 + 1.0);
    let model_df = nf - 2.0 * k as f64 - 2.0;
    let conf = opts.confidence;
    let tq = t_quantile(0.5 + conf / 2.0, df);
    let sep = separate_fits(t, z, w, &joins, None);
    let sigma2 = sep.sse / df;
    let mut bounds = vec![0usize];
    bounds.extend(&joins);
    bounds.push(n - 1);
    let mut segments: Vec<Segment> = (0..=k)
        .map(|m| {
            let se = (sigma2 * sep.slope_var[m]).sqrt();
            let s = slopes[m];
            Segment {
                start: bounds[m],
                end: bounds[m + 1],
                slope: s,
                se,
                lower: s - tq * se,
                upper: s + tq * se,
                statistic: s / se,
                pvalue: t_two_sided(s / se, df),
            }
        })
        .collect();
    let jump_est = match jump {
        None => None,
        Some(c) => {
            let sj = separate_fits(t, z, w, &joins, Some(c));
            let value = coef[coef.len() - 1];
            // the jump inside a segment: that segment's separate fit gets the step (one df
            // fewer); between a joinpoint and the next point no segment holds it, and the
            // program then uses the joined model's covariance with its MSE (both checked on
            // the reference exports)
            let (se, dfj) = match sj.jump_var {
                Some(v) => ((sj.sse / (df - 1.0) * v).sqrt(), df - 1.0),
                None => {
                    let p = coef.len();
                    ((sse / model_df * xtwx_inv[p * p - 1]).sqrt(), df)
                }
            };
            let q = t_quantile(0.5 + conf / 2.0, dfj);
            let ratio = value.exp();
            let ratio_se = ratio * se;
            Some(Jump {
                location: c,
                value,
                se,
                lower: value - q * se,
                upper: value + q * se,
                statistic: value / se,
                pvalue: t_two_sided(value / se, dfj),
                df: dfj,
                ratio,
                ratio_se,
                ratio_lower: ratio - q * ratio_se,
                ratio_upper: ratio + q * ratio_se,
                ratio_statistic: (ratio - 1.0) / ratio_se,
                ratio_pvalue: t_two_sided((ratio - 1.0) / ratio_se, dfj),
            })
        }
    };
    // joinpoint locations (parametric), as the program prints them: Lerman's (1980) joint
    // confidence region for the k joinpoints, {tau : (Q(tau) - Q) / (Q / (n - 2k - 2)) <= k
    // F(k, n - 2k - 2)}, projected on each joinpoint (the profile Q(x, j) over the grid), and
    // the limits are the data points just outside that projection on either side, kept within
    // the joinpoint's own grid range (reproduces all 63 limits of the reference exports)
    let mut join_lower = vec![f64::NAN; k];
    let mut join_upper = vec![f64::NAN; k];
    if k > 0 && model_df > 0.0 {
        if let Ok(fd) = FisherSnedecor::new(k as f64, model_df) {
            let crit = k as f64 * fd.inverse_cdf(conf);
            for m in 0..k {
                let prof = grid.profile(z, k, m);
                let (Some(first), Some(last)) = (
                    prof.iter().map(|(i, _)| *i).min(),
                    prof.iter().map(|(i, _)| *i).max(),
                ) else {
                    continue;
                };
                let inside: Vec<usize> = prof
                    .iter()
                    .filter(|(_, q)| (q - sse) / (sse / model_df) <= crit)
                    .map(|(i, _)| *i)
                    .collect();
                if let (Some(lo), Some(hi)) = (inside.iter().min(), inside.iter().max()) {
                    join_lower[m] = t[lo.saturating_sub(1).max(first)];
                    join_upper[m] = t[(hi + 1).min(last)];
                }
            }
        }
    }
    let mut replicates = Vec::new();
    if let CiMethod::Empirical { n_resamples, seed } = opts.ci {
        let sw: Vec<f64> = w.iter().map(|v| v.sqrt()).collect();
        let resid: Vec<f64> = (0..n).map(|i| sw[i] * (z[i] - fitted[i])).collect();
        let reps = chunked(n_resamples, cancel, |b| {
            let mut rng = SplitMix64::new(rep_seed(seed, group, usize::MAX, k, b));
            let zs: Vec<f64> = (0..n)
                .map(|i| fitted[i] + resid[rng.below(n as u64) as usize] / sw[i])
                .collect();
            let bb = grid.search(&zs, k);
            let js = bb.joins[k].clone();
            match joined_fit(t, &zs, w, &js, jump) {
                Ok((c, _, _)) if js.len() == k => Some(Replicate {
                    slopes: slopes_of(&c, k),
                    joins: js,
                }),
                _ => None,
            }
        })?;
        replicates = reps.into_iter().flatten().collect();
        let (ql, qu) = (0.5 - conf / 2.0, 0.5 + conf / 2.0);
        for m in 0..=k {
            let mut v: Vec<f64> = replicates.iter().map(|r| r.slopes[m]).collect();
            v.sort_by(f64::total_cmp);
            let seg = &mut segments[m];
            seg.lower = quantile_sorted(&v, ql);
            seg.upper = quantile_sorted(&v, qu);
            // two-sided empirical p-value of slope = 0
            let below = v.iter().filter(|&&x| x <= 0.0).count() as f64;
            let above = v.iter().filter(|&&x| x >= 0.0).count() as f64;
            let nb = v.len() as f64;
            seg.pvalue = (2.0 * below.min(above) / nb).min(1.0);
            seg.statistic = f64::NAN;
            seg.se = {
                let mean = v.iter().sum::<f64>() / nb;
                (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nb - 1.0)).sqrt()
            };
        }
        for m in 0..k {
            let mut v: Vec<f64> = replicates.iter().map(|r| t[r.joins[m]]).collect();
            v.sort_by(f64::total_cmp);
            join_lower[m] = quantile_sorted(&v, ql);
            join_upper[m] = quantile_sorted(&v, qu);
        }
    }
    Ok(JoinpointFit {
        joins,
        join_lower,
        join_upper,
        coef,
        segments,
        fitted,
        df,
        sse,
        model_df,
        sse_by_k: by_k.sse,
        bic_by_k: by_k.bic,
        bic3_by_k: by_k.bic3,
        wbic_by_k: by_k.wbic,
        wbic_weight_by_k: by_k.wbic_weight,
        tests,
        jump: jump_est,
        replicates,
        confidence: conf,
        empirical: matches!(opts.ci, CiMethod::Empirical { .. }),
        max_joins_used: kmax,
        note,
    })
}

/// Fit every group (rows `starts[g]..starts[g+1]`) in parallel; `w` as [`weights`]. Each
/// group's random streams are keyed by its index `g`; see [`fit_groups_keyed`] for keys that
/// do not depend on the other groups.
pub fn fit_groups(
    t: &[f64],
    y: &[f64],
    w: &[f64],
    starts: &[usize],
    opts: &JoinpointOptions,
    cancel: &(dyn Fn() -> bool + Sync),
) -> CoreResult<Vec<CoreResult<JoinpointFit>>> {
    fit_groups_keyed(t, y, w, starts, None, opts, cancel)
}

/// As [`fit_groups`], with group `g`'s permutation and resampling streams keyed by `keys[g]`
/// (e.g. a stable hash of the group's key text) instead of its index, so that adding,
/// removing, renaming or reordering other groups never changes a group's result.
pub fn fit_groups_keyed(
    t: &[f64],
    y: &[f64],
    w: &[f64],
    starts: &[usize],
    keys: Option<&[u64]>,
    opts: &JoinpointOptions,
    cancel: &(dyn Fn() -> bool + Sync),
) -> CoreResult<Vec<CoreResult<JoinpointFit>>> {
    let n = t.len();
    if y.len() != n
        || w.len() != n
        || starts.is_empty()
        || starts[0] != 0
        || starts[starts.len() - 1] != n
        || starts.windows(2).any(|v| v[1] < v[0])
        || keys.is_some_and(|k| k.len() + 1 != starts.len())
    {
        return Err(CoreError::InvalidArgument(
            "times, values, weights, group starts and group keys do not line up".into(),
        ));
    }
    let fits: Vec<CoreResult<JoinpointFit>> = starts
        .par_windows(2)
        .enumerate()
        .map(|(g, v)| {
            let r = v[0]..v[1];
            let key = keys.map_or(g, |k| k[g] as usize);
            fit_series(&t[r.clone()], &y[r.clone()], &w[r], opts, key, cancel)
        })
        .collect();
    if cancel() {
        return Err(CoreError::Fit("interrupted".into()));
    }
    Ok(fits)
}

/// Average annual percent change over a range, as a slope of ln(y).
#[derive(Debug, Clone, PartialEq)]
pub struct Aapc {
    pub slope: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
    pub statistic: f64,
    pub pvalue: f64,
    /// Whether the range lies within one segment (then the segment's interval).
    pub one_segment: bool,
}

fn range_weights(bounds: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    (0..bounds.len() - 1)
        .map(|m| (hi.min(bounds[m + 1]) - lo.max(bounds[m])).max(0.0) / (hi - lo))
        .collect()
}

/// AAPC over [start, end] (NaN for either end = the series' end): the segment slopes weighted
/// by the length of their overlap with the range. Parametric: segments independent, normal
/// quantile (the program's method); a range inside one segment gives that segment's interval.
/// Empirical: quantiles of the replicates' AAPCs.
pub fn aapc(t: &[f64], fit: &JoinpointFit, start: f64, end: f64) -> CoreResult<Aapc> {
    let n = t.len();
    let k = fit.joins.len();
    if n < 2 || fit.segments.len() != k + 1 || fit.fitted.len() != n {
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
    let mut bounds = vec![t[0]];
    bounds.extend(fit.joins.iter().map(|&j| t[j]));
    bounds.push(t[n - 1]);
    let wts = range_weights(&bounds, lo, hi);
    let used: Vec<usize> = (0..=k).filter(|&m| wts[m] > 0.0).collect();
    let slope: f64 = (0..=k).map(|m| wts[m] * fit.segments[m].slope).sum();
    let conf = fit.confidence;
    if used.len() == 1 {
        let s = &fit.segments[used[0]];
        return Ok(Aapc {
            slope: s.slope,
            se: s.se,
            lower: s.lower,
            upper: s.upper,
            statistic: s.statistic,
            pvalue: s.pvalue,
            one_segment: true,
        });
    }
    if fit.empirical {
        let mut v: Vec<f64> = fit
            .replicates
            .iter()
            .map(|r| {
                let mut b = vec![t[0]];
                b.extend(r.joins.iter().map(|&j| t[j]));
                b.push(t[n - 1]);
                let w = range_weights(&b, lo, hi);
                (0..=k).map(|m| w[m] * r.slopes[m]).sum()
            })
            .collect();
        v.sort_by(f64::total_cmp);
        let nb = v.len() as f64;
        let below = v.iter().filter(|&&x| x <= 0.0).count() as f64;
        let above = v.iter().filter(|&&x| x >= 0.0).count() as f64;
        let mean = v.iter().sum::<f64>() / nb;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nb - 1.0)).sqrt();
        return Ok(Aapc {
            slope,
            se: sd,
            lower: quantile_sorted(&v, 0.5 - conf / 2.0),
            upper: quantile_sorted(&v, 0.5 + conf / 2.0),
            statistic: f64::NAN,
            pvalue: (2.0 * below.min(above) / nb).min(1.0),
            one_segment: false,
        });
    }
    let var: f64 = (0..=k)
        .map(|m| wts[m] * wts[m] * fit.segments[m].se.powi(2))
        .sum();
    let se = var.max(0.0).sqrt();
    let q = z_quantile(0.5 + conf / 2.0);
    Ok(Aapc {
        slope,
        se,
        lower: slope - q * se,
        upper: slope + q * se,
        statistic: slope / se,
        pvalue: norm_two_sided(slope / se),
        one_segment: false,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn never() -> bool {
        false
    }

    #[test]
    fn grid_respects_nci_spacing() {
        // n = 5, one joinpoint: only the middle point has 2 points on either side
        assert_eq!(configurations(5, 1, 2, 2), vec![vec![2]]);
        assert_eq!(configurations(8, 2, 2, 2), vec![vec![2, 5]]);
        assert!(configurations(7, 2, 2, 2).is_empty());
        // the grid needs 8 points for two joinpoints, the program's df n - 3k - 2 one more
        assert_eq!(min_points(2, 2, 2), 9);
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

    fn planted() -> (Vec<f64>, Vec<f64>) {
        // ln y rises by 0.1 a year to t = 6, then falls by 0.05 a year
        let t: Vec<f64> = (0..14).map(f64::from).collect();
        let y: Vec<f64> = t
            .iter()
            .map(|&v| (1.0 + 0.1 * v.min(6.0) - 0.05 * (v - 6.0).max(0.0)).exp())
            .collect();
        (t, y)
    }

    #[test]
    fn finds_a_planted_joinpoint_exactly() {
        let (t, y) = planted();
        // exact data: every k >= 1 fits perfectly, so fix k = 1
        let opts = JoinpointOptions {
            min_joins: 1,
            max_joins: 1,
            selection: Selection::Bic,
            ..JoinpointOptions::new(1)
        };
        let f = fit_series(&t, &y, &[1.0; 14], &opts, 0, &never).unwrap();
        assert_eq!(f.joins, vec![6]);
        assert!((f.segments[0].slope - 0.1).abs() < 1e-9);
        assert!((f.segments[1].slope + 0.05).abs() < 1e-9);
        // AAPC over the whole range: (6 * 0.1 + 7 * -0.05) / 13
        let a = aapc(&t, &f, f64::NAN, f64::NAN).unwrap();
        assert!((a.slope - (0.6 - 0.35) / 13.0).abs() < 1e-9 && !a.one_segment);
        let a = aapc(&t, &f, 0.0, 5.0).unwrap();
        assert!((a.slope - 0.1).abs() < 1e-9 && a.one_segment);
        assert!(aapc(&t, &f, 5.0, 20.0).is_err());
        // min_joins forces more joinpoints
        let forced = JoinpointOptions {
            min_joins: 2,
            max_joins: 2,
            ..opts
        };
        let f2 = fit_series(&t, &y, &[1.0; 14], &forced, 0, &never).unwrap();
        assert_eq!(f2.joins.len(), 2);
    }

    #[test]
    fn wbic_is_bic_and_bic3_weighted_by_the_partial_r2() {
        let (t, mut y) = planted();
        for (i, v) in y.iter_mut().enumerate() {
            *v *= 1.0 + 0.02 * ((i * 7 % 5) as f64 - 2.0);
        }
        let opts = JoinpointOptions {
            selection: Selection::Wbic,
            ..JoinpointOptions::new(2)
        };
        let f = fit_series(&t, &y, &[1.0; 14], &opts, 0, &never).unwrap();
        for k in 1..=2 {
            let r = f.wbic_weight_by_k[k];
            assert!((0.0..=1.0).contains(&r));
            // the help page's simplified form: BIC (1 - weight) + BIC3 weight
            let want = f.bic_by_k[k] * (1.0 - r) + f.bic3_by_k[k] * r;
            assert!((f.wbic_by_k[k] - want).abs() < 1e-12, "k={k}");
        }
        assert!(f.wbic_weight_by_k[0].is_nan());
        assert!((f.wbic_by_k[0] - f.bic_by_k[0]).abs() < 1e-12);
    }

    #[test]
    fn empirical_intervals_are_seeded_and_cover_the_estimate() {
        let (t, mut y) = planted();
        for (i, v) in y.iter_mut().enumerate() {
            *v *= 1.0 + 0.03 * ((i * 5 % 7) as f64 - 3.0) / 3.0;
        }
        let opts = JoinpointOptions {
            min_joins: 1,
            max_joins: 1,
            selection: Selection::Bic,
            ci: CiMethod::Empirical {
                n_resamples: 200,
                seed: 7,
            },
            ..JoinpointOptions::new(1)
        };
        let a = fit_series(&t, &y, &[1.0; 14], &opts, 3, &never).unwrap();
        let b = fit_series(&t, &y, &[1.0; 14], &opts, 3, &never).unwrap();
        assert_eq!(a.replicates, b.replicates);
        assert_eq!(a.replicates.len(), 200);
        let c = fit_series(&t, &y, &[1.0; 14], &opts, 4, &never).unwrap();
        assert_ne!(a.replicates, c.replicates, "groups get their own streams");
        for s in &a.segments {
            assert!(s.lower < s.slope && s.slope < s.upper, "{s:?}");
        }
        assert!(a.join_lower[0] <= t[a.joins[0]] && t[a.joins[0]] <= a.join_upper[0]);
        let g = aapc(&t, &a, f64::NAN, f64::NAN).unwrap();
        assert!(g.lower < g.slope && g.slope < g.upper);
    }

    #[test]
    fn keyed_groups_do_not_depend_on_the_other_groups() {
        let (t, mut y) = planted();
        for (i, v) in y.iter_mut().enumerate() {
            *v *= 1.0 + 0.05 * ((i * 5 % 7) as f64 - 3.0) / 3.0;
        }
        let opts = JoinpointOptions {
            ci: CiMethod::Empirical {
                n_resamples: 50,
                seed: 11,
            },
            ..JoinpointOptions::new(1)
        };
        let w = [1.0; 14];
        let alone = fit_groups_keyed(&t, &y, &w, &[0, 14], Some(&[99]), &opts, &never).unwrap();
        // the same series second of two, under the same key: the same result
        let (t2, y2) = (
            [t.clone(), t.clone()].concat(),
            [y.clone(), y.clone()].concat(),
        );
        let w2 = [1.0; 28];
        let two =
            fit_groups_keyed(&t2, &y2, &w2, &[0, 14, 28], Some(&[5, 99]), &opts, &never).unwrap();
        let (a, b) = (alone[0].as_ref().unwrap(), two[1].as_ref().unwrap());
        assert_eq!(a.replicates, b.replicates);
        assert_eq!(a.tests.len(), b.tests.len());
        // unkeyed, the second group's streams were those of index 1, not of the series alone
        let unkeyed = fit_groups(&t2, &y2, &w2, &[0, 14, 28], &opts, &never).unwrap();
        assert_ne!(unkeyed[1].as_ref().unwrap().replicates, a.replicates);
        assert!(fit_groups_keyed(&t, &y, &w, &[0, 14], Some(&[1, 2]), &opts, &never).is_err());
    }

    #[test]
    fn cancel_stops_a_permutation_run() {
        let (t, y) = planted();
        let opts = JoinpointOptions::new(2);
        let e = fit_series(&t, &y, &[1.0; 14], &opts, 0, &|| true).unwrap_err();
        assert!(e.to_string().contains("interrupted"), "{e}");
    }

    #[test]
    fn refuses_hopeless_runs_and_bad_options() {
        let t: Vec<f64> = (0..80).map(f64::from).collect();
        let y: Vec<f64> = t.iter().map(|v| 10.0 + v).collect();
        let w = vec![1.0; 80];
        let opts = JoinpointOptions::new(6);
        let e = fit_series(&t, &y, &w, &opts, 0, &never)
            .unwrap_err()
            .to_string();
        assert!(e.contains("lower max_joins"), "{e}");
        let bic = JoinpointOptions {
            max_joins: 12,
            selection: Selection::Bic,
            ..opts
        };
        let e = fit_series(&t, &y, &w, &bic, 0, &never)
            .unwrap_err()
            .to_string();
        assert!(e.contains("too many for an exhaustive grid search"), "{e}");
        assert!(Selection::parse("aic", 10, 0.05, 1).is_err());
        assert!(Selection::parse("permutation", 0, 0.05, 1).is_err());
        // a valid test is accepted as given (cargo-mutants: `!` deleted survived)
        assert_eq!(
            Selection::parse("permutation", 100, 0.05, 7).unwrap(),
            Selection::Permutation {
                n_perm: 100,
                alpha: 0.05,
                seed: 7
            }
        );
        assert!(Selection::parse("permutation", 100, 0.0, 7).is_err());
        assert!(Selection::parse("permutation", 100, 1.0, 7).is_err());
        assert_eq!(Selection::parse("bic", 0, 0.0, 7).unwrap(), Selection::Bic);
        assert_eq!(
            Selection::parse("wbic", 0, 0.0, 7).unwrap(),
            Selection::Wbic
        );
        assert!(Variance::parse("Poisson").is_err());
        assert!(CiMethod::parse("bootstrap", 100, 1).is_err());
        assert!(weights(Variance::Heteroscedastic, &[1.0], None, None).is_err());
        assert!(weights(Variance::Heteroscedastic, &[1.0], Some(&[0.0]), None).is_err());
        assert!(weights(Variance::Poisson, &[1.0], None, Some(&[-1.0])).is_err());
        let w2 = weights(Variance::Heteroscedastic, &[2.0], Some(&[0.5]), None).unwrap();
        assert_eq!(w2, vec![16.0]);
        let jump = JoinpointOptions {
            jump_at: Some(3.0),
            selection: Selection::Bic,
            ..JoinpointOptions::new(1)
        };
        let e = fit_series(&t[..14], &y[..14], &w[..14], &jump, 0, &never).unwrap_err();
        assert!(e.to_string().contains("strictly between"), "{e}");
        let few = JoinpointOptions {
            min_joins: 3,
            ..JoinpointOptions::new(3)
        };
        let e = fit_series(&t[..9], &y[..9], &w[..9], &few, 0, &never).unwrap_err();
        assert!(e.to_string().contains("min_joins=3"), "{e}");
    }
}

/// Tests written for cargo-mutants survivors (mutants/SURVIVORS.md, issue 18).
#[cfg(test)]
mod mutant_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    /// R²_max of the weighted BIC: for each joinpoint, the weighted partial R² of the hinge
    /// (t - τ_i)+ given a line, over the points after the previous joinpoint up to the next one,
    /// maximised over the joinpoints. Reference: statsmodels 0.15.0 WLS on the same window,
    /// (ssr(1, t) - ssr(1, t, hinge)) / ssr(1, t), with
    /// `sm.WLS(z[lo:hi+1], X, weights=w[lo:hi+1]).fit().ssr` (survivor joinpoint.rs:616:38,
    /// a wrong residualisation, gave other values).
    #[test]
    fn r2_max_is_the_largest_weighted_partial_r2() {
        let t: Vec<f64> = (0..12).map(f64::from).collect();
        let w = [1.0, 2.0, 1.5, 1.0, 3.0, 2.0, 1.0, 1.0, 2.5, 1.0, 2.0, 1.0];
        let ln = |v: [f64; 12]| -> Vec<f64> { v.iter().map(|x| x.ln()).collect() };
        let z1 = ln([
            20.0, 23.0, 25.0, 31.0, 30.0, 36.0, 35.0, 33.0, 30.0, 28.0, 27.0, 22.0,
        ]);
        let z2 = ln([
            30.0, 29.0, 31.0, 30.0, 32.0, 31.0, 33.0, 40.0, 47.0, 55.0, 61.0, 70.0,
        ]);
        // joins at t = 4 and 8: windows 0..=8 (R² 0.661894560324321, the maximum) and
        // 5..=11 (0.21613456162434058)
        let r = r2_max(&t, &z1, &w, &[4, 8]);
        assert!(rel(r, 0.661_894_560_324_321) < 1e-10, "{r}");
        // one joinpoint at t = 6: the whole series
        let r = r2_max(&t, &z1, &w, &[6]);
        assert!(rel(r, 0.919_456_099_301_608_5) < 1e-10, "{r}");
        // joins at t = 3 and 6: windows 0..=6 (4.005976148542793e-06) and 4..=11
        // (0.7818098812601247, the maximum)
        let r = r2_max(&t, &z2, &w, &[3, 6]);
        assert!(rel(r, 0.781_809_881_260_124_7) < 1e-10, "{r}");
        // no joinpoint: nothing to maximise
        assert_eq!(r2_max(&t, &z2, &w, &[]), 0.0);
    }

    fn never() -> bool {
        false
    }

    /// No absurd option or mismatched argument panics: spacings that would overflow the point
    /// count give "too few points" (the saturating min_points), max_joins above MAX_JOINS is
    /// refused, and aapc refuses times that are not the fit's (it indexed past their end).
    #[test]
    fn absurd_options_and_mismatched_times_are_refused() {
        assert_eq!(min_points(3, usize::MAX, 2), usize::MAX);
        assert_eq!(min_points(2, 2, usize::MAX), usize::MAX);
        assert_eq!(min_points(0, usize::MAX, usize::MAX), 3);
        let t: Vec<f64> = (0..12).map(f64::from).collect();
        let y: Vec<f64> = t.iter().map(|v| 10.0 + v).collect();
        let w = vec![1.0; 12];
        // min_end too large for any joinpoint: the line alone, with the note saying why
        let wide = JoinpointOptions {
            min_end: usize::MAX,
            ..JoinpointOptions::new(2)
        };
        let f = fit_series(&t, &y, &w, &wide, 0, &never).unwrap();
        assert_eq!((f.joins.len(), f.max_joins_used), (0, 0));
        assert!(f
            .note
            .as_deref()
            .unwrap_or("")
            .contains("max_joins reduced"));
        let e = fit_series(&t, &y, &w, &JoinpointOptions::new(MAX_JOINS + 1), 0, &never)
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("max_joins <= {MAX_JOINS}")), "{e}");
        // a fit with a joinpoint at t = 6 (t[6]): its AAPC needs the fit's own 12 times
        let f = fit_at(&t, &y, &w, &[6], &JoinpointOptions::new(1)).unwrap();
        assert!(aapc(&t, &f, f64::NAN, f64::NAN).is_ok());
        for short in [&t[..6], &t[..2], &t[..0]] {
            let e = aapc(short, &f, f64::NAN, f64::NAN).unwrap_err().to_string();
            assert!(e.contains("do not match"), "{e}");
        }
    }
    /// SplitMix64 and the unbiased bounded draw against a transcription of the published
    /// algorithms in Python (splitmix64.c by Vigna, after Steele, Lea & Flood 2014: add
    /// 0x9E3779B97F4A7C15, then xor-shift-multiply by 0xBF58476D1CE4E5B9 and 0x94D049BB133111EB;
    /// Lemire 2019, algorithm 5, for `below`), run in Python's exact integers with every
    /// product reduced mod 2^64. m = 2^63 + 1 rejects about half the draws, so the rejection
    /// loop is exercised.
    #[test]
    fn splitmix64_and_below_match_the_published_algorithms() {
        let mut g = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| g.next_u64()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821
            ]
        );
        let mut g = SplitMix64::new(0);
        let got: Vec<u64> = (0..3).map(|_| g.next_u64()).collect();
        assert_eq!(
            got,
            [
                16_294_208_416_658_607_535,
                7_960_286_522_194_355_700,
                487_617_019_471_545_679
            ]
        );
        let mut g = SplitMix64::new(42);
        let small: Vec<u64> = (0..10).map(|_| g.below(3)).collect();
        assert_eq!(small, [2, 0, 0, 1, 0, 2, 0, 2, 1, 1]);
        let mid: Vec<u64> = (0..3).map(|_| g.below(1_000_003)).collect();
        assert_eq!(mid, [204_902, 492_990, 513_397]);
        let mut g = SplitMix64::new(7);
        let big: Vec<u64> = (0..4).map(|_| g.below((1 << 63) + 1)).collect();
        assert_eq!(
            big,
            [
                3_595_544_800_446_187_243,
                8_308_050_873_407_804_673,
                2_300_599_727_732_774_152,
                1_238_314_238_945_538_992
            ]
        );
    }
    /// Empirical (resampling) intervals summarise the replicates by their definitions, worked
    /// here from `fit.replicates` with textbook formulas: each segment's se is the sample
    /// standard deviation (n - 1) of its replicate slopes, its limits the 2.5% and 97.5%
    /// linear-interpolation quantiles (numpy's default), its p-value 2 min(#<=0, #>=0) / n
    /// capped at 1. The second segment is flat, so its replicates straddle 0 and the p-value
    /// is strictly between 0 and 1 (survivor joinpoint.rs:1136:50, `/ nb` written `* nb`).
    #[test]
    fn empirical_intervals_summarise_the_replicates() {
        let t: Vec<f64> = (0..14).map(f64::from).collect();
        let y = [
            10.0, 12.0, 15.0, 17.0, 21.0, 24.0, 30.0, 29.0, 31.0, 28.0, 30.0, 32.0, 29.0, 30.0,
        ];
        let w = [1.0; 14];
        let opts = JoinpointOptions {
            min_joins: 1,
            selection: Selection::Bic,
            ci: CiMethod::Empirical {
                n_resamples: 199,
                seed: 5,
            },
            ..JoinpointOptions::new(1)
        };
        let f = fit_series(&t, &y, &w, &opts, 0, &never).unwrap();
        assert_eq!(f.joins.len(), 1);
        let nb = f.replicates.len();
        assert!(nb > 150, "{nb}");
        let quantile = |v: &[f64], q: f64| {
            let h = (v.len() - 1) as f64 * q;
            let (i, frac) = (h.floor() as usize, h - h.floor());
            if i + 1 < v.len() {
                v[i] + frac * (v[i + 1] - v[i])
            } else {
                v[i]
            }
        };
        let mut straddles = false;
        for (m, seg) in f.segments.iter().enumerate() {
            let mut v: Vec<f64> = f.replicates.iter().map(|r| r.slopes[m]).collect();
            v.sort_by(f64::total_cmp);
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let sd = (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)).sqrt();
            assert!((seg.se - sd).abs() <= 1e-12 * sd, "{m}: {} vs {sd}", seg.se);
            assert!((seg.lower - quantile(&v, 0.025)).abs() < 1e-15, "{m}");
            assert!((seg.upper - quantile(&v, 0.975)).abs() < 1e-15, "{m}");
            let below = v.iter().filter(|&&x| x <= 0.0).count() as f64;
            let above = v.iter().filter(|&&x| x >= 0.0).count() as f64;
            let p = (2.0 * below.min(above) / n).min(1.0);
            assert_eq!(seg.pvalue, p, "{m}");
            straddles |= p > 0.0 && p < 1.0;
        }
        assert!(straddles, "{:?}", f.segments);
    }
    /// The jump model's permutation test against an independent numpy implementation of the
    /// documented procedure (`python mutants/references/jump_permutation.py`: same SplitMix64
    /// streams and Fisher-Yates draws, the null fit less its jump, exhaustive least squares
    /// over the grid): statistic 0.4657805000772464, 37 of 199 permuted statistics at least as
    /// large, p = 38 / 200. Adding the jump instead of removing it (survivor
    /// joinpoint.rs:871:32) gives 43 (p = 0.22) there.
    #[test]
    fn jump_model_permutation_test_matches_a_reference() {
        let t: Vec<f64> = (0..12).map(f64::from).collect();
        let y = [
            10.0, 12.0, 11.0, 13.0, 12.0, 14.0, 30.0, 29.0, 31.0, 30.0, 32.0, 31.0,
        ];
        let w = [1.0, 2.0, 1.0, 1.5, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.5, 1.0];
        let opts = JoinpointOptions {
            selection: Selection::Permutation {
                n_perm: 199,
                alpha: 0.05,
                seed: 7,
            },
            jump_at: Some(5.5),
            ..JoinpointOptions::new(1)
        };
        let f = fit_series(&t, &y, &w, &opts, 0, &never).unwrap();
        assert_eq!(f.tests.len(), 1);
        let test = &f.tests[0];
        assert_eq!((test.k_null, test.k_alt, test.n_perm), (0, 1, 199));
        assert!(
            rel(test.statistic, 0.465_780_500_077_246_4) < 1e-10,
            "{test:?}"
        );
        assert_eq!(test.pvalue, 38.0 / 200.0, "{test:?}");
    }
}

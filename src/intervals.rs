//! Confidence intervals for counts, rates and proportions (PHEindicatormethods conventions).
//!
//! * Rates: Byar's approximation for counts >= 10, exact (Garwood, chi-square) Poisson limits
//!   below 10, as `PHEindicatormethods::phe_rate` / `PHStatsMethods.ph_rate`. A zero count gets
//!   lower limit 0 and the exact upper limit (the references fail on 0).
//! * Proportions: Wilson score limits, as `phe_proportion` / `ph_proportion`.
//!
//! Pure functions over plain slices; no pyo3 here. Invalid rows (negative, missing or
//! non-finite counts, non-positive denominators) give NaN; the caller reports the reason.

use crate::error::{CoreError, CoreResult};
use rayon::prelude::*;
use statrs::distribution::{ChiSquared, Continuous, ContinuousCDF, Normal};

/// Rows per parallel chunk: below this the work runs on the calling thread.
pub const PAR_CHUNK: usize = 16_384;

/// Counts below this use exact Poisson limits instead of Byar's method.
pub const BYAR_MIN_COUNT: f64 = 10.0;

/// Above this count exact Poisson limits are computed by the Wilson-Hilferty form.
const EXACT_MAX_COUNT: f64 = 1e8;

/// Check a confidence level is strictly between 0 and 1.
pub fn check_confidence(confidence: f64) -> CoreResult<()> {
    if confidence.is_finite() && confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(CoreError::InvalidArgument(format!(
            "confidence must be strictly between 0 and 1, got {confidence}"
        )))
    }
}

/// Two-sided standard normal critical value: the `0.5 + confidence / 2` quantile.
pub fn z_two_sided(confidence: f64) -> CoreResult<f64> {
    check_confidence(confidence)?;
    Ok(Normal::standard().inverse_cdf(confidence + (1.0 - confidence) / 2.0))
}

/// Exact (Garwood, chi-square) Poisson interval for one count.
///
/// Lower = qchisq(alpha/2, 2x)/2 (0 when x = 0), upper = qchisq(1-alpha/2, 2x+2)/2.
/// Returns NaNs for a negative or non-finite count (the caller reports the reason).
pub fn exact_poisson(count: f64, confidence: f64) -> (f64, f64) {
    if !count.is_finite() || count < 0.0 {
        return (f64::NAN, f64::NAN);
    }
    if count > EXACT_MAX_COUNT {
        // statrs' chi-square quantile costs O(sqrt(df)): minutes near 2^62 (found by
        // tests/test_hostile.py). Here the Wilson-Hilferty form (Byar's) equals the exact
        // limits to double precision (< 1e-11 relative from 1e8, as scipy's own chi2.ppf).
        return match z_two_sided(confidence) {
            Ok(z) => (byar_lower(count, z), byar_upper(count, z)),
            Err(_) => (f64::NAN, f64::NAN),
        };
    }
    let alpha = 1.0 - confidence;
    let lower = if count == 0.0 {
        0.0
    } else {
        chisq_quantile(alpha / 2.0, 2.0 * count) / 2.0
    };
    let upper = chisq_quantile(1.0 - alpha / 2.0, 2.0 * count + 2.0) / 2.0;
    (lower, upper)
}

/// Chi-square quantile: statrs' inverse, then Newton steps on the regularised incomplete gamma
/// function to bring it to full double precision (statrs stops at about 1e-10 relative).
fn chisq_quantile(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let d = match ChiSquared::new(df) {
        Ok(d) => d,
        Err(_) => return f64::NAN,
    };
    let mut x = d.inverse_cdf(p);
    if p == 0.0 || p == 1.0 || !x.is_finite() || x <= 0.0 {
        return x;
    }
    for _ in 0..3 {
        let pdf = d.pdf(x);
        if !(pdf.is_finite() && pdf > 0.0) {
            break;
        }
        // work on whichever tail is smaller, for relative accuracy in the far tails
        let step = if p < 0.5 {
            (d.cdf(x) - p) / pdf
        } else {
            ((1.0 - p) - d.sf(x)) / pdf
        };
        let next = x - step;
        if !next.is_finite() || next <= 0.0 {
            break;
        }
        let done = (next - x).abs() <= 1e-16 * x;
        x = next;
        if done {
            break;
        }
    }
    x
}

/// Exact Poisson limits for every count of a slice.
pub fn exact_poisson_many(counts: &[f64], confidence: f64) -> CoreResult<(Vec<f64>, Vec<f64>)> {
    check_confidence(confidence)?;
    let table = SmallCountTable::new(confidence);
    Ok(counts.iter().map(|&x| table.exact(x)).unzip())
}

/// Byar's lower limit for a count `x >= 1` at normal critical value `z`.
pub fn byar_lower(x: f64, z: f64) -> f64 {
    x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3)
}

/// Byar's upper limit for a count `x >= 0` at normal critical value `z`.
pub fn byar_upper(x: f64, z: f64) -> f64 {
    let y = x + 1.0;
    y * (1.0 - 1.0 / (9.0 * y) + z / (3.0 * y.sqrt())).powi(3)
}

/// Exact limits of the integer counts below [`BYAR_MIN_COUNT`] at one confidence level, computed
/// once. The table is sized from the constant and looked up with `get`, so changing the
/// constant can never index out of bounds (a fixed 10-slot array panicked when it was 11).
#[derive(Debug, Clone)]
struct SmallCountTable {
    confidence: f64,
    limits: Vec<(f64, f64)>,
}

impl SmallCountTable {
    fn new(confidence: f64) -> Self {
        let slots = BYAR_MIN_COUNT.ceil().max(0.0) as usize;
        let limits = (0..slots)
            .map(|i| exact_poisson(i as f64, confidence))
            .collect();
        Self { confidence, limits }
    }

    /// Exact limits for any count, from the table when the count is a small integer.
    fn exact(&self, x: f64) -> (f64, f64) {
        // whole non-negative counts only: a negative count has no slot (try_from fails), NaN
        // and infinities have no whole part
        let slot = if x.fract() == 0.0 {
            usize::try_from(x as i64).ok()
        } else {
            None
        };
        slot.and_then(|i| self.limits.get(i).copied())
            .unwrap_or_else(|| exact_poisson(x, self.confidence))
    }
}

/// How a row's limits were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RateMethod {
    /// Byar's approximation (count >= 10).
    Byars = 0,
    /// Exact Poisson limits (count < 10).
    Exact = 1,
    /// Count or denominator unusable: value and limits are NaN.
    Invalid = 2,
}

/// Rates with limits at several confidence levels, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct RateIntervals {
    /// count / denominator * per.
    pub value: Vec<f64>,
    /// One vector of lower limits per confidence level, in the order asked.
    pub lower: Vec<Vec<f64>>,
    /// One vector of upper limits per confidence level, in the order asked.
    pub upper: Vec<Vec<f64>>,
    /// `RateMethod` of each row, as u8.
    pub method: Vec<u8>,
}

fn check_lengths(a: usize, b: usize, what: &str) -> CoreResult<()> {
    if a == b {
        Ok(())
    } else {
        Err(CoreError::InvalidArgument(format!(
            "{what}: counts has {a} values but denominators has {b}"
        )))
    }
}

fn check_levels(confidences: &[f64]) -> CoreResult<Vec<f64>> {
    if confidences.is_empty() {
        return Err(CoreError::InvalidArgument(
            "at least one confidence level is needed".into(),
        ));
    }
    confidences.iter().map(|&c| z_two_sided(c)).collect()
}

fn rate_row_valid(x: f64, n: f64) -> bool {
    x.is_finite() && x >= 0.0 && n.is_finite() && n > 0.0
}

/// Rates per `per` with Byar / exact limits (PHEindicatormethods `phe_rate`).
///
/// Rows whose count is negative or not finite, or whose denominator is not a positive finite
/// number, get NaN value and limits and method `Invalid`. Work is split across threads in
/// chunks of [`PAR_CHUNK`] rows.
pub fn rate_intervals(
    counts: &[f64],
    denominators: &[f64],
    per: f64,
    confidences: &[f64],
) -> CoreResult<RateIntervals> {
    check_lengths(counts.len(), denominators.len(), "rates")?;
    if !(per.is_finite() && per > 0.0) {
        return Err(CoreError::InvalidArgument(format!(
            "per must be a positive number, got {per}"
        )));
    }
    let zs = check_levels(confidences)?;
    let tables: Vec<SmallCountTable> = confidences
        .iter()
        .map(|&c| SmallCountTable::new(c))
        .collect();
    let n = counts.len();
    let k = zs.len();

    let mut value = vec![0.0; n];
    let mut method = vec![0u8; n];
    let mut lower = vec![vec![0.0; n]; k];
    let mut upper = vec![vec![0.0; n]; k];

    // One pass over the rows computes every level: chunk c of each output vector is handed to
    // the same task (disjoint mutable slices, no unsafe).
    let mut lo_chunks: Vec<_> = lower.iter_mut().map(|v| v.chunks_mut(PAR_CHUNK)).collect();
    let mut hi_chunks: Vec<_> = upper.iter_mut().map(|v| v.chunks_mut(PAR_CHUNK)).collect();
    let mut jobs = Vec::with_capacity(n.div_ceil(PAR_CHUNK));
    for (((v, m), xs), ns) in value
        .chunks_mut(PAR_CHUNK)
        .zip(method.chunks_mut(PAR_CHUNK))
        .zip(counts.chunks(PAR_CHUNK))
        .zip(denominators.chunks(PAR_CHUNK))
    {
        let los: Vec<&mut [f64]> = lo_chunks.iter_mut().filter_map(Iterator::next).collect();
        let his: Vec<&mut [f64]> = hi_chunks.iter_mut().filter_map(Iterator::next).collect();
        jobs.push((v, m, xs, ns, los, his));
    }
    jobs.into_par_iter()
        .for_each(|(v, m, xs, ns, mut los, mut his)| {
            for i in 0..xs.len() {
                let (x, d) = (xs[i], ns[i]);
                if !rate_row_valid(x, d) {
                    v[i] = f64::NAN;
                    m[i] = RateMethod::Invalid as u8;
                    for j in 0..k {
                        los[j][i] = f64::NAN;
                        his[j][i] = f64::NAN;
                    }
                    continue;
                }
                v[i] = x / d * per;
                if x < BYAR_MIN_COUNT {
                    m[i] = RateMethod::Exact as u8;
                    for j in 0..k {
                        let (l, u) = tables[j].exact(x);
                        // same order of operations as the references: limit / denominator * per
                        los[j][i] = l / d * per;
                        his[j][i] = u / d * per;
                    }
                } else {
                    m[i] = RateMethod::Byars as u8;
                    // Byar's terms shared by every level, evaluated as the references do
                    let y = x + 1.0;
                    let (a, b) = (1.0 - 1.0 / (9.0 * x), 1.0 - 1.0 / (9.0 * y));
                    let (tx, ty) = (3.0 * x.sqrt(), 3.0 * y.sqrt());
                    for j in 0..k {
                        let z = zs[j];
                        los[j][i] = x * (a - z / tx).powi(3) / d * per;
                        his[j][i] = y * (b + z / ty).powi(3) / d * per;
                    }
                }
            }
        });
    Ok(RateIntervals {
        value,
        lower,
        upper,
        method,
    })
}

/// Wilson score limits for one proportion `x / n` at normal critical value `z`.
///
/// Same algebra as PHEindicatormethods: `(2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / 2 / (n + z^2)`.
pub fn wilson(x: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let t = z2 + 4.0 * x * (1.0 - x / n);
    // max(t, 0) written as a comparison (NaN gives 0, as f64::max), which packs into one
    // instruction; t is at least z^2 on every valid row, so this only guards the others
    let root = z * (if t > 0.0 { t } else { 0.0 }).sqrt();
    let denom = 2.0 * (n + z2);
    ((2.0 * x + z2 - root) / denom, (2.0 * x + z2 + root) / denom)
}

/// Proportions, then lower and upper limits (one vector per confidence level).
pub type ProportionIntervals = (Vec<f64>, Vec<Vec<f64>>, Vec<Vec<f64>>);

fn proportion_row_valid(x: f64, n: f64) -> bool {
    // 0 < n < inf and 0 <= x <= n (so x is finite too; NaN fails every comparison): plain
    // comparisons, which pack into vector instructions
    n > 0.0 && n < f64::INFINITY && x >= 0.0 && x <= n
}

/// Proportions with Wilson limits at several confidence levels (not multiplied).
///
/// Rows with a negative, missing or non-finite count, a non-positive denominator or a count
/// above its denominator get NaN value and limits.
pub fn proportion_intervals(
    counts: &[f64],
    denominators: &[f64],
    confidences: &[f64],
) -> CoreResult<ProportionIntervals> {
    check_lengths(counts.len(), denominators.len(), "proportions")?;
    let zs = wilson_levels(confidences)?;
    let n = counts.len();
    let mut value = vec![0.0; n];
    let mut lower: Vec<Vec<f64>> = zs.iter().map(|_| vec![0.0; n]).collect();
    let mut upper: Vec<Vec<f64>> = zs.iter().map(|_| vec![0.0; n]).collect();
    let mut lo: Vec<&mut [f64]> = lower.iter_mut().map(Vec::as_mut_slice).collect();
    let mut hi: Vec<&mut [f64]> = upper.iter_mut().map(Vec::as_mut_slice).collect();
    proportion_intervals_into(counts, denominators, &zs, &mut value, &mut lo, &mut hi)?;
    Ok((value, lower, upper))
}

/// The normal critical values of [`proportion_intervals_into`], one per confidence level
/// (at least one level, each strictly between 0 and 1).
pub fn wilson_levels(confidences: &[f64]) -> CoreResult<Vec<f64>> {
    check_levels(confidences)
}

/// [`proportion_intervals`] written into slices the caller owns: `value[i]`, and for each level
/// `j` (normal critical value `zs[j]`, from [`wilson_levels`]) `lower[j][i]` and `upper[j][i]`.
///
/// One pass over the rows computes the value and every level of a row; the rows are split
/// across threads in chunks of [`PAR_CHUNK`] (each task owns the same chunk of every output).
/// Every slice must be as long as `counts`.
pub fn proportion_intervals_into(
    counts: &[f64],
    denominators: &[f64],
    zs: &[f64],
    value: &mut [f64],
    lower: &mut [&mut [f64]],
    upper: &mut [&mut [f64]],
) -> CoreResult<()> {
    let n = counts.len();
    check_lengths(n, denominators.len(), "proportions")?;
    let k = zs.len();
    if value.len() != n
        || lower.len() != k
        || upper.len() != k
        || lower.iter().chain(upper.iter()).any(|s| s.len() != n)
    {
        return Err(CoreError::InvalidArgument(format!(
            "proportions: the outputs do not match {n} rows at {k} level(s)"
        )));
    }
    let mut lo_chunks: Vec<_> = lower.iter_mut().map(|v| v.chunks_mut(PAR_CHUNK)).collect();
    let mut hi_chunks: Vec<_> = upper.iter_mut().map(|v| v.chunks_mut(PAR_CHUNK)).collect();
    let mut jobs = Vec::with_capacity(n.div_ceil(PAR_CHUNK));
    for ((v, xs), ns) in value
        .chunks_mut(PAR_CHUNK)
        .zip(counts.chunks(PAR_CHUNK))
        .zip(denominators.chunks(PAR_CHUNK))
    {
        let los: Vec<&mut [f64]> = lo_chunks.iter_mut().filter_map(Iterator::next).collect();
        let his: Vec<&mut [f64]> = hi_chunks.iter_mut().filter_map(Iterator::next).collect();
        jobs.push((v, xs, ns, los, his));
    }
    let one = |(v, xs, ns, mut los, mut his): Job<'_>| {
        wilson_rows(xs, ns, zs, 1.0, 0, v, &mut los, &mut his)
    };
    if jobs.len() <= 1 {
        jobs.into_iter().for_each(one);
    } else {
        jobs.into_par_iter().for_each(one);
    }
    Ok(())
}

/// One task of [`proportion_intervals_into`]: a chunk of the value, counts, denominators, lower
/// and upper limits.
type Job<'a> = (
    &'a mut [f64],
    &'a [f64],
    &'a [f64],
    Vec<&'a mut [f64]>,
    Vec<&'a mut [f64]>,
);

/// Rows per block of [`wilson_rows`]: the shared part of a row's limits is kept on the stack
/// for a block at a time.
const WILSON_BLOCK: usize = 256;

/// Value (`x / n * per`) and Wilson limits (times `per`) of the rows `xs[i]` of `ns[i]` (NaN
/// for an invalid row), written to rows `at..at + xs.len()` of the outputs.
///
/// The quotient `x / n` and `4x(1 - x/n)` are computed once per row for the value and every
/// level (each level then costs one square root and two divisions); the loops run over plain
/// slices, without branches, so the compiler can use packed instructions. Every row is
/// evaluated as [`wilson`] evaluates it (the same operations in the same order), so with `per`
/// 1 the results are those of `x / n` and [`wilson`] bit for bit.
#[allow(clippy::too_many_arguments)]
fn wilson_rows(
    xs: &[f64],
    ns: &[f64],
    zs: &[f64],
    per: f64,
    at: usize,
    value: &mut [f64],
    lower: &mut [&mut [f64]],
    upper: &mut [&mut [f64]],
) {
    let mut shared = [0.0f64; WILSON_BLOCK];
    let mut valid = [false; WILSON_BLOCK];
    for (b, (xs, ns)) in xs
        .chunks(WILSON_BLOCK)
        .zip(ns.chunks(WILSON_BLOCK))
        .enumerate()
    {
        let from = at + b * WILSON_BLOCK;
        let to = from + xs.len();
        let (shared, valid) = (&mut shared[..xs.len()], &mut valid[..xs.len()]);
        for ((v, (s, ok)), (&x, &n)) in value[from..to]
            .iter_mut()
            .zip(shared.iter_mut().zip(valid.iter_mut()))
            .zip(xs.iter().zip(ns))
        {
            let q = x / n;
            // as in `wilson`: 4.0 * x * (1.0 - x / n)
            *s = 4.0 * x * (1.0 - q);
            *ok = proportion_row_valid(x, n);
            *v = if *ok { q * per } else { f64::NAN };
        }
        let all_valid = valid.iter().fold(true, |a, &ok| a & ok);
        for ((lo, hi), &z) in lower.iter_mut().zip(upper.iter_mut()).zip(zs) {
            let z2 = z * z;
            let (lo, hi) = (&mut lo[from..to], &mut hi[from..to]);
            // every row first (`wilson` with its shared part computed once; no branch, so the
            // loop packs), then the invalid rows, if any, set to NaN
            let rows = lo
                .iter_mut()
                .zip(hi.iter_mut())
                .zip(xs.iter().zip(ns).zip(shared.iter()));
            for ((l, u), ((&x, &n), &s)) in rows {
                let t = z2 + s;
                let root = z * (if t > 0.0 { t } else { 0.0 }).sqrt();
                let denom = 2.0 * (n + z2);
                *l = (2.0 * x + z2 - root) / denom * per;
                *u = (2.0 * x + z2 + root) / denom * per;
            }
            if !all_valid {
                for ((l, u), &ok) in lo.iter_mut().zip(hi.iter_mut()).zip(valid.iter()) {
                    *l = if ok { *l } else { f64::NAN };
                    *u = if ok { *u } else { f64::NAN };
                }
            }
        }
    }
}

/// The outputs of [`shares_in_order`] for a stretch of output rows: one slice per column, and
/// for `lower` and `upper` one slice per confidence level, all of the same length.
#[derive(Debug)]
pub struct RunSharesOut<'a> {
    /// Input position of each output row.
    pub rows: &'a mut [u32],
    /// `count / denominator * per` (NaN when the total is 0).
    pub value: &'a mut [f64],
    /// Wilson lower limits times `per`, one slice per level.
    pub lower: Vec<&'a mut [f64]>,
    /// Wilson upper limits times `per`, one slice per level.
    pub upper: Vec<&'a mut [f64]>,
}

/// The error of outputs that do not match `rows` rows at `k` levels.
fn shape_error(rows: usize, k: usize) -> CoreError {
    CoreError::InvalidArgument(format!(
        "shares: the outputs do not hold the {rows} rows of the runs at {k} level(s)"
    ))
}

/// Where each run of `order` starts among the output rows (`order.len() + 1` offsets from 0,
/// the last the number of output rows), checked: every entry of `order` is one of the runs of
/// `starts` (which [`check_starts`] has checked).
fn run_offsets(starts: &[usize], order: &[usize]) -> CoreResult<Vec<usize>> {
    let runs = starts.len() - 1;
    let mut offsets = Vec::with_capacity(order.len() + 1);
    offsets.push(0usize);
    for &g in order {
        if g >= runs {
            return Err(CoreError::InvalidArgument(format!(
                "shares: run {g} is not one of the {runs} runs"
            )));
        }
        offsets.push(offsets[offsets.len() - 1].saturating_add(starts[g + 1] - starts[g]));
    }
    Ok(offsets)
}

impl<'a> RunSharesOut<'a> {
    /// Every output holds `rows` rows, with one lower and one upper slice per level (`k`).
    fn check_shape(&self, rows: usize, k: usize) -> CoreResult<()> {
        let mut levels = self.lower.iter().chain(self.upper.iter());
        if self.rows.len() != rows
            || self.value.len() != rows
            || self.lower.len() != k
            || self.upper.len() != k
            || levels.any(|s| s.len() != rows)
        {
            return Err(shape_error(rows, k));
        }
        Ok(())
    }

    fn split_at(self, mid: usize) -> (RunSharesOut<'a>, RunSharesOut<'a>) {
        fn halves(v: Vec<&mut [f64]>, mid: usize) -> (Vec<&mut [f64]>, Vec<&mut [f64]>) {
            v.into_iter().map(|s| s.split_at_mut(mid)).unzip()
        }
        let (rows, rows2) = self.rows.split_at_mut(mid);
        let (value, value2) = self.value.split_at_mut(mid);
        let (lower, lower2) = halves(self.lower, mid);
        let (upper, upper2) = halves(self.upper, mid);
        (
            RunSharesOut {
                rows,
                value,
                lower,
                upper,
            },
            RunSharesOut {
                rows: rows2,
                value: value2,
                lower: lower2,
                upper: upper2,
            },
        )
    }
}

/// The size of each run of `order`, checked: `starts` runs from 0 to `n` without going back,
/// and `order` names each run (`0..starts.len() - 1`) at most once.
pub fn run_sizes(starts: &[usize], order: &[usize], n: usize) -> CoreResult<Vec<usize>> {
    check_starts(starts, n)?;
    let runs = starts.len() - 1;
    let mut seen = vec![false; runs];
    order
        .iter()
        .map(|&g| {
            if g >= runs || std::mem::replace(&mut seen[g], true) {
                Err(CoreError::InvalidArgument(format!(
                    "shares: run {g} is not one of the {runs} runs or comes twice"
                )))
            } else {
                Ok(starts[g + 1] - starts[g])
            }
        })
        .collect()
}

/// `starts` runs from 0 to `n` without going back.
fn check_starts(starts: &[usize], n: usize) -> CoreResult<()> {
    if starts.first() != Some(&0)
        || starts.last() != Some(&n)
        || starts.windows(2).any(|w| w[1] < w[0])
    {
        return Err(CoreError::InvalidArgument(format!(
            "shares: the run starts do not run from 0 to the {n} rows"
        )));
    }
    Ok(())
}

/// True when no two of `hashes` are equal.
fn all_distinct(hashes: &[u64]) -> bool {
    if hashes.len() <= 32 {
        return hashes
            .iter()
            .enumerate()
            .all(|(i, h)| !hashes[..i].contains(h));
    }
    let mut sorted = hashes.to_vec();
    sorted.sort_unstable();
    sorted.windows(2).all(|w| w[0] != w[1])
}

/// Runs up to this long are checked and ordered on the stack (pairwise label check, each row's
/// place counted); longer ones by sorting.
const SMALL_RUN: usize = 32;

/// Counts below this (2^27) are ordered by 32-bit keys in a short run (the count above 5 bits
/// of place).
const SMALL_COUNT: i64 = 134_217_728;

/// One run, rows `a..a + within.len()`: their positions by count, largest first, ties in input
/// order (a stable sort), into `within`; returns the run's total (its counts summed), or `None`
/// when two of its rows have the same label hash (not looked for when `distinct`: the caller
/// knows them distinct). Positions fit in u32 (the callers check).
fn sort_run(
    counts: &[i64],
    labels: &[u64],
    a: usize,
    within: &mut [u32],
    distinct: bool,
) -> Option<i64> {
    let k = within.len();
    let (counts, labels) = (&counts[a..a + k], &labels[a..a + k]);
    let total = counts.iter().fold(0i64, |s, &c| s.wrapping_add(c));
    if k <= SMALL_RUN {
        if !distinct {
            // pairwise; no branch depends on the data, so nothing is mispredicted
            let mut twice = false;
            for (j, &h) in labels.iter().enumerate() {
                for &hi in &labels[..j] {
                    twice |= hi == h;
                }
            }
            if twice {
                return None;
            }
        }
        // counts below 2^27 (any breakdown table's): each row's key holds its count reversed
        // (largest first) above its place in the run (ties in input order), so the keys are
        // distinct and a row's place in the stable sort is the number of keys below its own,
        // counted over whole blocks of 8 (the padding, u32::MAX, is below none): no branch, and
        // the compiler packs the comparisons
        if counts.iter().all(|&c| (0..SMALL_COUNT).contains(&c)) {
            let mut keys = [u32::MAX; SMALL_RUN];
            for (j, (key, &c)) in keys.iter_mut().zip(counts).enumerate() {
                *key = (((SMALL_COUNT - 1 - c) as u32) << 5) + j as u32;
            }
            let m = k.div_ceil(8) * 8;
            for (j, &kj) in keys[..k].iter().enumerate() {
                let before: u32 = keys[..m].iter().map(|&ki| u32::from(ki < kj)).sum();
                within[before as usize] = (a + j) as u32;
            }
            return Some(total);
        }
        // any other counts: each row's place by counting the rows that go before it (a larger
        // count, or the same count earlier in the run)
        let mut place = [0usize; SMALL_RUN];
        for (j, &c) in counts.iter().enumerate() {
            let mut before = 0usize;
            for &ci in &counts[..j] {
                before += usize::from(ci >= c);
            }
            for &ci in &counts[j + 1..] {
                before += usize::from(ci > c);
            }
            place[j] = before;
        }
        // the places are a permutation of 0..k
        for (j, &p) in place[..k].iter().enumerate() {
            within[p] = (a + j) as u32;
        }
        return Some(total);
    }
    if !distinct && !all_distinct(labels) {
        return None;
    }
    for (w, i) in within.iter_mut().zip(a..) {
        *w = i as u32;
    }
    within.sort_by(|&i, &j| counts[j as usize - a].cmp(&counts[i as usize - a]));
    Some(total)
}

/// Shares within groups whose rows sit in runs, in one pass over the output: for the runs
/// `order` (a stretch of the output's runs, each a run of `starts`: rows `starts[g]..starts[g +
/// 1]` are run `g`), each run's rows by count (largest first, ties in input order: a stable
/// sort) into `out.rows`, their shares `count / total * per` (the run's total, its counts
/// summed, as denominator) and Wilson limits at each critical value of `zs` times `per` into
/// `out`, evaluated as [`proportion_intervals`] does (NaN for a total of 0), each run's total
/// into `run_totals` (one per run of `order`, in that order) and each output row's denominator
/// (its run's total) into `denominators`. `labels` is a hash of each row's label. Returns
/// `Ok(false)` (the outputs then unspecified) when two rows of one run have the same label
/// hash: a category twice in a group, which the caller sums another way. Stretches of about
/// [`PAR_CHUNK`] output rows run in parallel.
#[allow(clippy::too_many_arguments)]
pub fn shares_in_order(
    starts: &[usize],
    order: &[usize],
    counts: &[i64],
    labels: &[u64],
    zs: &[f64],
    per: f64,
    out: RunSharesOut<'_>,
    run_totals: &mut [i64],
    denominators: &mut [i64],
) -> CoreResult<bool> {
    let n = counts.len();
    check_lengths(n, labels.len(), "shares")?;
    check_starts(starts, n)?;
    if u32::try_from(n).is_err() {
        return Err(CoreError::InvalidArgument(format!(
            "shares: {n} rows are more than the 32-bit row positions hold"
        )));
    }
    let offsets = run_offsets(starts, order)?;
    let rows = offsets[order.len()];
    out.check_shape(rows, zs.len())?;
    if run_totals.len() != order.len() || denominators.len() != rows {
        return Err(shape_error(rows, zs.len()));
    }
    let step = SharesInOrder {
        starts,
        counts,
        labels,
        zs,
        per,
    };
    Ok(step.fill(order, &offsets, out, run_totals, denominators))
}

struct SharesInOrder<'a> {
    starts: &'a [usize],
    counts: &'a [i64],
    labels: &'a [u64],
    zs: &'a [f64],
    per: f64,
}

impl SharesInOrder<'_> {
    /// Runs `order` into `out`; `offsets[i] - offsets[0]` is where run `order[i]` starts in `out`.
    fn fill(
        &self,
        order: &[usize],
        offsets: &[usize],
        out: RunSharesOut<'_>,
        totals: &mut [i64],
        den: &mut [i64],
    ) -> bool {
        let rows = offsets[order.len()] - offsets[0];
        if rows <= PAR_CHUNK || order.len() < 2 {
            return self.fill_serial(order, out, totals, den);
        }
        let half = offsets[0] + rows / 2;
        let g = offsets
            .partition_point(|&o| o < half)
            .clamp(1, order.len() - 1);
        let (a, b) = out.split_at(offsets[g] - offsets[0]);
        let (t1, t2) = totals.split_at_mut(g);
        let (d1, d2) = den.split_at_mut(offsets[g] - offsets[0]);
        let (left, right) = rayon::join(
            || self.fill(&order[..g], &offsets[..=g], a, t1, d1),
            || self.fill(&order[g..], &offsets[g..], b, t2, d2),
        );
        left && right
    }

    fn fill_serial(
        &self,
        order: &[usize],
        out: RunSharesOut<'_>,
        totals: &mut [i64],
        den_out: &mut [i64],
    ) -> bool {
        let RunSharesOut {
            rows,
            value,
            mut lower,
            mut upper,
        } = out;
        // counts and denominators gathered into small buffers on the stack (no allocation),
        // the limits computed buffer by buffer
        const BUF: usize = 1024;
        let (mut xs, mut ns) = ([0.0f64; BUF], [0.0f64; BUF]);
        let (mut p, mut k) = (0, 0);
        // the last run whose labels were checked distinct: a run with the same labels in the
        // same order (as a table whose groups list their categories alike) needs no check
        let mut checked: &[u64] = &[];
        for (&g, run_total) in order.iter().zip(totals.iter_mut()) {
            let (a, b) = (self.starts[g], self.starts[g + 1]);
            let within = &mut rows[p..p + (b - a)];
            let labels = &self.labels[a..b];
            let distinct = labels == checked;
            let Some(total) = sort_run(self.counts, self.labels, a, within, distinct) else {
                return false;
            };
            checked = labels;
            *run_total = total;
            den_out[p..p + (b - a)].fill(total);
            let den = total as f64;
            for (j, &i) in within.iter().enumerate() {
                xs[k] = self.counts[i as usize] as f64;
                ns[k] = den;
                k += 1;
                if k == BUF {
                    let at = p + j + 1 - k;
                    wilson_rows(
                        &xs, &ns, self.zs, self.per, at, value, &mut lower, &mut upper,
                    );
                    k = 0;
                }
            }
            p += b - a;
        }
        wilson_rows(
            &xs[..k],
            &ns[..k],
            self.zs,
            self.per,
            p - k,
            value,
            &mut lower,
            &mut upper,
        );
        true
    }
}

/// Shares with Wilson limits within groups whose rows sit in runs, the runs taken in `order`
/// (each once): [`shares_in_order`] over every row in one call. `None` when a label hash repeats within a run.
pub fn shares_in_runs(
    starts: &[usize],
    order: &[usize],
    counts: &[i64],
    labels: &[u64],
    zs: &[f64],
    per: f64,
) -> CoreResult<Option<RunShares>> {
    let n = counts.len();
    let sizes = run_sizes(starts, order, n)?;
    if sizes.iter().sum::<usize>() != n {
        return Err(CoreError::InvalidArgument(
            "shares: the order does not take every run".into(),
        ));
    }
    let mut r = RunShares::zeros(n, zs.len());
    let mut in_order = vec![0i64; order.len()];
    let mut den = vec![0i64; n];
    let out = r.out();
    if !shares_in_order(
        starts,
        order,
        counts,
        labels,
        zs,
        per,
        out,
        &mut in_order,
        &mut den,
    )? {
        return Ok(None);
    }
    r.denominators = den;
    r.totals = vec![0i64; starts.len() - 1];
    for (&g, t) in order.iter().zip(in_order) {
        r.totals[g] = t;
    }
    Ok(Some(r))
}

/// What [`shares_in_runs`] gives: one value per output row (`lower` and `upper` one vector per
/// confidence level).
#[derive(Debug, Clone, PartialEq)]
pub struct RunShares {
    /// Input position of each output row.
    pub rows: Vec<u32>,
    /// Each run's total (the denominator of its rows), in the runs' input order.
    pub totals: Vec<i64>,
    /// Each output row's denominator, its run's total (filled by [`shares_in_runs`]; empty
    /// from [`RunShares::zeros`]).
    pub denominators: Vec<i64>,
    /// The share times `per`.
    pub value: Vec<f64>,
    /// Wilson lower limits times `per`, one vector per level.
    pub lower: Vec<Vec<f64>>,
    /// Wilson upper limits times `per`, one vector per level.
    pub upper: Vec<Vec<f64>>,
}

impl RunShares {
    /// Zeros for `n` rows at `k` levels.
    pub fn zeros(n: usize, k: usize) -> Self {
        RunShares {
            rows: vec![0; n],
            totals: Vec::new(),
            denominators: Vec::new(),
            value: vec![0.0; n],
            lower: (0..k).map(|_| vec![0.0; n]).collect(),
            upper: (0..k).map(|_| vec![0.0; n]).collect(),
        }
    }

    /// The outputs of rows `r` to write into.
    pub fn out_rows(&mut self, r: std::ops::Range<usize>) -> RunSharesOut<'_> {
        RunSharesOut {
            rows: &mut self.rows[r.clone()],
            value: &mut self.value[r.clone()],
            lower: self.lower.iter_mut().map(|v| &mut v[r.clone()]).collect(),
            upper: self.upper.iter_mut().map(|v| &mut v[r.clone()]).collect(),
        }
    }

    /// The outputs of every row.
    pub fn out(&mut self) -> RunSharesOut<'_> {
        self.out_rows(0..self.rows.len())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    // Reference values: scipy.stats.chi2.ppf(q, df) / 2, computed independently.
    #[test]
    fn exact_poisson_matches_reference() {
        let (lo, hi) = exact_poisson(10.0, 0.95);
        assert!((lo - 4.795_388_696_132_434).abs() < 1e-9, "{lo}");
        assert!((hi - 18.390_356_042_017_78).abs() < 1e-9, "{hi}");
        let (lo0, hi0) = exact_poisson(0.0, 0.95);
        assert_eq!(lo0, 0.0);
        assert!((hi0 - 3.688_879_454_113_935).abs() < 1e-9, "{hi0}");
        // closed form for a zero count: upper = -ln(alpha / 2)
        for c in [0.95, 0.998, 0.5] {
            let (_, hi) = exact_poisson(0.0, c);
            assert!(close(hi, -((1.0 - c) / 2.0_f64).ln(), 1e-14), "{c} {hi}");
        }
    }

    #[test]
    fn bad_input_gives_nan_or_error() {
        let (lo, hi) = exact_poisson(-1.0, 0.95);
        assert!(lo.is_nan() && hi.is_nan());
        assert!(exact_poisson_many(&[1.0], 1.5).is_err());
        assert!(rate_intervals(&[1.0], &[1.0, 2.0], 1.0, &[0.95]).is_err());
        assert!(rate_intervals(&[1.0], &[1.0], 0.0, &[0.95]).is_err());
        assert!(rate_intervals(&[1.0], &[1.0], 1.0, &[]).is_err());
    }

    // z for 95%: scipy.stats.norm.ppf(0.975).
    #[test]
    fn z_matches_reference() {
        assert!(close(
            z_two_sided(0.95).unwrap(),
            1.959_963_984_540_054,
            1e-14
        ));
        assert!(close(
            z_two_sided(0.998).unwrap(),
            3.090_232_306_167_813_5,
            1e-13
        ));
    }

    // Hand-worked: count 100, z = 1.959963984540054.
    // lower = 100 (1 - 1/900 - z/30)^3, upper = 101 (1 - 1/909 + z/(3 sqrt 101))^3.
    #[test]
    fn byar_hand_worked() {
        let z = 1.959_963_984_540_054_f64;
        let lo = 100.0 * (1.0 - 1.0 / 900.0 - z / 30.0_f64).powi(3);
        let hi = 101.0 * (1.0 - 1.0 / 909.0 + z / (3.0 * 101.0_f64.sqrt())).powi(3);
        let r = rate_intervals(&[100.0], &[1000.0], 1000.0, &[0.95]).unwrap();
        assert!(close(r.lower[0][0], lo, 1e-12));
        assert!(close(r.upper[0][0], hi, 1e-12));
        assert!(close(r.value[0], 100.0, 1e-15));
        assert_eq!(r.method[0], RateMethod::Byars as u8);
        // Byar's is close to exact at 100: 81.36 and 121.63 (exact chi-square limits).
        assert!(
            (lo - 81.36).abs() < 0.05 && (hi - 121.63).abs() < 0.05,
            "{lo} {hi}"
        );
    }

    #[test]
    fn zero_negative_and_small_counts() {
        let r = rate_intervals(
            &[0.0, -1.0, 3.0, f64::NAN, 5.0],
            &[10.0, 10.0, 10.0, 10.0, 0.0],
            1.0,
            &[0.95],
        )
        .unwrap();
        assert_eq!(r.lower[0][0], 0.0);
        assert!(close(r.upper[0][0], 0.368_887_945_411_393_5, 1e-9));
        assert_eq!(r.method, vec![1, 2, 1, 2, 2]);
        assert!(r.value[1].is_nan() && r.lower[0][1].is_nan() && r.upper[0][4].is_nan());
        // table lookup equals direct computation
        let (l3, u3) = exact_poisson(3.0, 0.95);
        assert_eq!(r.lower[0][2], l3 / 10.0);
        assert_eq!(r.upper[0][2], u3 / 10.0);
    }

    #[test]
    fn parallel_chunks_equal_serial() {
        let counts: Vec<f64> = (0..50_000).map(|i| (i % 37) as f64).collect();
        let denoms: Vec<f64> = (0..50_000).map(|i| 100.0 + i as f64).collect();
        let r = rate_intervals(&counts, &denoms, 1e5, &[0.95, 0.998]).unwrap();
        for i in [0, 16_383, 16_384, 49_999] {
            let x = counts[i];
            let z = z_two_sided(0.998).unwrap();
            let expect = if x < 10.0 {
                exact_poisson(x, 0.998).1
            } else {
                byar_upper(x, z)
            } / denoms[i]
                * 1e5;
            assert!(close(r.upper[1][i], expect, 1e-14));
        }
    }

    // Wilson 95% for 48 / 100: statsmodels proportion_confint(48, 100, method="wilson").
    #[test]
    fn wilson_reference() {
        let (v, lo, hi) =
            proportion_intervals(&[48.0, 0.0, 5.0], &[100.0, 10.0, 4.0], &[0.95]).unwrap();
        assert!(close(lo[0][0], 0.384_645_517_580_519, 1e-9), "{}", lo[0][0]);
        assert!(
            close(hi[0][0], 0.576_834_222_347_760_4, 1e-9),
            "{}",
            hi[0][0]
        );
        assert_eq!(v[1], 0.0);
        assert!(lo[0][1].abs() < 1e-15);
        assert!(v[2].is_nan());
    }
}

/// Reference values pinning the numerical switches (issue 18). Every expected value below was
/// computed outside this crate with scipy 1.17.1 / statsmodels 0.14; the call is named beside it.
#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::inconsistent_digit_grouping,
    clippy::type_complexity
)]
mod reference {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1e-300)
    }

    // scipy.stats.chi2.ppf(alpha / 2, 2x) / 2 and chi2.ppf(1 - alpha / 2, 2x + 2) / 2
    const EXACT_95: [(f64, f64, f64); 3] = [
        (9.0, 4.115_373_097_378_334, 17.084_803_451_419_166),
        (10.0, 4.795_388_696_132_433_5, 18.390_356_042_017_78),
        (11.0, 5.491_160_367_236_839, 19.682_038_513_301_954),
    ];
    const EXACT_998: [(f64, f64, f64); 3] = [
        (9.0, 2.452_424_404_363_775, 22.657_373_309_062_93),
        (10.0, 2.960_520_372_743_76, 24.133_971_145_417_59),
        (11.0, 3.491_484_220_615_278_3, 25.589_298_888_688_695),
    ];
    // Byar: x (1 - 1/(9x) - z/(3 sqrt x))^3 and (x+1)(1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3 with
    // z = scipy.stats.norm.ppf(0.975) / norm.ppf(0.999), evaluated in Python.
    const BYAR_95: [(f64, f64, f64); 2] = [
        (10.0, 4.787_449_913_967_563, 18.391_458_605_756_473),
        (11.0, 5.483_690_198_449_974, 19.683_237_116_146_39),
    ];
    const BYAR_998: [(f64, f64, f64); 2] = [
        (10.0, 2.916_318_374_695_686, 24.193_724_927_880_55),
        (11.0, 3.448_370_238_400_881_4, 25.646_520_516_557_427),
    ];

    /// The Byar/exact switch sits exactly between 9 and 10: 9 gets exact limits, 10 and 11 get
    /// Byar's. Byar's and the exact limits differ by > 1e-3 relative at 10, far above the
    /// 1e-12 tolerance, so moving the switch either way fails here.
    #[test]
    fn byar_exact_switch_is_between_9_and_10() {
        let counts = [9.0, 10.0, 11.0];
        let denoms = [1000.0; 3];
        let r = rate_intervals(&counts, &denoms, 1000.0, &[0.95, 0.998]).unwrap();
        assert_eq!(
            r.method,
            vec![
                RateMethod::Exact as u8,
                RateMethod::Byars as u8,
                RateMethod::Byars as u8
            ]
        );
        for (j, (exact, byar)) in [(EXACT_95, BYAR_95), (EXACT_998, BYAR_998)]
            .into_iter()
            .enumerate()
        {
            let (_, lo9, hi9) = exact[0];
            assert!(rel(r.lower[j][0], lo9) < 1e-12, "{j} {}", r.lower[j][0]);
            assert!(rel(r.upper[j][0], hi9) < 1e-12, "{j} {}", r.upper[j][0]);
            for (i, &(x, lo, hi)) in byar.iter().enumerate() {
                assert_eq!(counts[i + 1], x);
                assert!(rel(r.lower[j][i + 1], lo) < 1e-12, "{j} {x}");
                assert!(rel(r.upper[j][i + 1], hi) < 1e-12, "{j} {x}");
                // the test would notice the other method
                let (_, elo, ehi) = exact[i + 1];
                assert!(rel(lo, elo) > 1e-4 && rel(hi, ehi) > 5e-5, "{x}");
            }
        }
        assert!(r.value.iter().zip(counts).all(|(&v, x)| v == x));
    }

    /// Exact limits straight from `exact_poisson` and from the cached table agree with scipy on
    /// both sides of the table's edge, at both levels (a non-integer count bypasses the table).
    #[test]
    fn exact_limits_match_scipy_across_the_table_edge() {
        for (c, refs) in [(0.95, EXACT_95), (0.998, EXACT_998)] {
            let xs: Vec<f64> = refs.iter().map(|r| r.0).collect();
            let (lo, hi) = exact_poisson_many(&xs, c).unwrap();
            for (i, &(x, rlo, rhi)) in refs.iter().enumerate() {
                assert!(rel(lo[i], rlo) < 1e-12, "{c} {x} {}", lo[i]);
                assert!(rel(hi[i], rhi) < 1e-12, "{c} {x} {}", hi[i]);
                let (l, h) = exact_poisson(x, c);
                assert!(rel(l, rlo) < 1e-12 && rel(h, rhi) < 1e-12, "{c} {x}");
            }
        }
        // count 1 at 95% and 99.8%, and 9.5 (not in the table): scipy chi2.ppf as above
        let (lo, hi) = exact_poisson_many(&[1.0, 9.5, 0.0], 0.95).unwrap();
        assert!(rel(lo[0], 0.025_317_807_984_289_897) < 1e-12, "{}", lo[0]);
        assert!(rel(hi[0], 5.571_643_390_938_898) < 1e-12, "{}", hi[0]);
        assert!(rel(lo[1], 4.453_258_240_993_986) < 1e-12, "{}", lo[1]);
        assert!(rel(hi[1], 17.739_437_952_863_632) < 1e-12, "{}", hi[1]);
        assert_eq!(lo[2], 0.0);
        assert!(rel(hi[2], 3.688_879_454_113_935_4) < 1e-14, "{}", hi[2]);
        let (l1, h1) = exact_poisson(1.0, 0.998);
        assert!(rel(l1, 0.001_000_500_333_583_534_6) < 1e-10, "{l1}");
        assert!(rel(h1, 9.233_413_476_451_585) < 1e-12, "{h1}");
        // negative, NaN and infinite counts are NaN (not a table slot)
        let (lo, hi) = exact_poisson_many(&[-1.0, f64::NAN, f64::INFINITY], 0.95).unwrap();
        assert!(lo.iter().chain(&hi).all(|v| v.is_nan()), "{lo:?} {hi:?}");
    }

    /// Zero counts at both levels: value 0, lower 0, upper = -ln(alpha/2) per denominator
    /// (scipy.stats.chi2.ppf(0.975, 2) / 2 = 3.6888794541139354; chi2.ppf(0.999, 2) / 2 =
    /// 6.907755278982137), method Exact.
    #[test]
    fn zero_counts_at_both_levels() {
        let r = rate_intervals(&[0.0, 0.0], &[10.0, 1e5], 1e5, &[0.95, 0.998]).unwrap();
        assert_eq!(r.value, vec![0.0, 0.0]);
        assert_eq!(r.method, vec![RateMethod::Exact as u8; 2]);
        for j in 0..2 {
            assert_eq!(r.lower[j], vec![0.0, 0.0]);
        }
        assert!(rel(r.upper[0][0], 3.688_879_454_113_935_4 / 10.0 * 1e5) < 1e-14);
        assert!(rel(r.upper[0][1], 3.688_879_454_113_935_4) < 1e-14);
        assert!(rel(r.upper[1][0], 6.907_755_278_982_137 / 10.0 * 1e5) < 1e-14);
        assert!(rel(r.upper[1][1], 6.907_755_278_982_137) < 1e-14);
        // per scales value and limits alike: count 9 per 1000 against per 1
        let a = rate_intervals(&[9.0], &[200.0], 1.0, &[0.95]).unwrap();
        let b = rate_intervals(&[9.0], &[200.0], 1000.0, &[0.95]).unwrap();
        assert!(rel(a.value[0], 0.045) < 1e-15 && rel(b.value[0], 45.0) < 1e-15);
        assert!(rel(b.lower[0][0], 4.115_373_097_378_334 / 200.0 * 1000.0) < 1e-12);
        assert!(rel(a.upper[0][0], 17.084_803_451_419_166 / 200.0) < 1e-12);
    }

    /// Around the Wilson-Hilferty switch (counts above 1e8) both forms agree with scipy's
    /// chi2.ppf(0.025, 2x) / 2 and chi2.ppf(0.975, 2x + 2) / 2 to 1e-11 relative.
    #[test]
    fn wilson_hilferty_switch_matches_scipy() {
        let refs = [
            (99_999_999.0, 99_980_400.307_422_73, 100_019_600.586_981_15),
            (1e8, 99_980_401.307_324_74, 100_019_601.587_079_14),
            (100_000_001.0, 99_980_402.307_226_73, 100_019_602.587_177_14),
            (3e8, 299_966_053.375_140_6, 300_033_949.519_221_9),
        ];
        for (x, lo, hi) in refs {
            let (l, h) = exact_poisson(x, 0.95);
            assert!(rel(l, lo) < 1e-11, "{x} {l} {lo}");
            assert!(rel(h, hi) < 1e-11, "{x} {h} {hi}");
        }
    }

    /// Wilson limits at both levels and at the edges x = 0 and x = n:
    /// statsmodels.stats.proportion.proportion_confint(x, n, alpha, method="wilson").
    #[test]
    fn wilson_matches_statsmodels() {
        let (v, lo, hi) = proportion_intervals(
            &[0.0, 10.0, 48.0, 1.0],
            &[10.0, 10.0, 100.0, 3.0],
            &[0.95, 0.998],
        )
        .unwrap();
        let refs_lo = [
            [
                0.0,
                0.722_467_200_137_110_7,
                0.384_645_517_580_519,
                0.061_491_944_720_396_21,
            ],
            [
                0.0,
                0.511_521_099_546_537_7,
                0.334_227_638_389_735_35,
                0.029_827_928_198_891_462,
            ],
        ];
        let refs_hi = [
            [
                0.277_532_799_862_889_2,
                1.0,
                0.576_834_222_347_760_3,
                0.792_340_399_197_952_2,
            ],
            [
                0.488_478_900_453_462_2,
                1.0,
                0.629_259_199_101_462_9,
                0.890_487_848_940_555_8,
            ],
        ];
        for j in 0..2 {
            for i in 0..4 {
                assert!(
                    (lo[j][i] - refs_lo[j][i]).abs() < 1e-13,
                    "{j} {i} {}",
                    lo[j][i]
                );
                assert!(
                    (hi[j][i] - refs_hi[j][i]).abs() < 1e-13,
                    "{j} {i} {}",
                    hi[j][i]
                );
            }
        }
        assert_eq!(v, vec![0.0, 1.0, 0.48, 1.0 / 3.0]);
        // count above the denominator, negative count, zero denominator: NaN
        // (0 of 0 too: not 0 with limits 0 and 1)
        let (v, lo, hi) =
            proportion_intervals(&[11.0, -1.0, 1.0, 0.0], &[10.0, 10.0, 0.0, 0.0], &[0.95])
                .unwrap();
        assert!(
            v.iter().chain(&lo[0]).chain(&hi[0]).all(|x| x.is_nan()),
            "{v:?} {lo:?} {hi:?}"
        );
        assert!(proportion_intervals(&[1.0], &[2.0, 3.0], &[0.95]).is_err());
        assert!(proportion_intervals(&[1.0], &[2.0], &[]).is_err());
    }

    /// Shares within runs: the runs in the order given, a run's rows by count (largest first,
    /// ties in input order), the run's total as denominator, and Wilson limits times `per` as
    /// statsmodels.stats.proportion.proportion_confint(x, n, alpha=0.05, method="wilson").
    #[test]
    fn shares_in_runs_matches_statsmodels() {
        // run 0: rows 0..3 (5, 9, 1), run 1: rows 3..5 (3, 3); run 1 first
        let z = wilson_levels(&[0.95]).unwrap();
        let r = shares_in_runs(
            &[0, 3, 5],
            &[1, 0],
            &[5, 9, 1, 3, 3],
            &[1, 2, 3, 1, 2],
            &z,
            100.0,
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.rows, vec![3, 4, 1, 0, 2]);
        assert_eq!(r.totals, vec![15, 6]);
        let value = [50.0, 50.0, 60.0, 100.0 / 3.0, 100.0 / 15.0];
        let refs = [
            (0.187_616_306_482_650_54, 0.812_383_693_517_349_4),
            (0.187_616_306_482_650_54, 0.812_383_693_517_349_4),
            (0.357_468_301_206_245_95, 0.801_755_038_586_584_3),
            (0.151_763_244_397_147_2, 0.582_864_522_614_802_3),
            (0.011_866_895_493_268_553, 0.298_165_298_737_800_3),
        ];
        for (i, (lo, hi)) in refs.into_iter().enumerate() {
            assert!(rel(r.value[i], value[i]) < 1e-15, "{i} {}", r.value[i]);
            assert!(
                rel(r.lower[0][i], lo * 100.0) < 1e-13,
                "{i} {}",
                r.lower[0][i]
            );
            assert!(
                rel(r.upper[0][i], hi * 100.0) < 1e-13,
                "{i} {}",
                r.upper[0][i]
            );
        }
        // bit for bit what proportion_intervals gives, times per
        let (v, lo, hi) = proportion_intervals(
            &[3.0, 3.0, 9.0, 5.0, 1.0],
            &[6.0, 6.0, 15.0, 15.0, 15.0],
            &[0.95],
        )
        .unwrap();
        for i in 0..5 {
            assert_eq!(r.value[i], v[i] * 100.0);
            assert_eq!(r.lower[0][i], lo[0][i] * 100.0);
            assert_eq!(r.upper[0][i], hi[0][i] * 100.0);
        }
    }

    /// A label hash twice in one run gives None (the caller sums the category the long way);
    /// the same label in two runs is fine; a run whose total is 0 has no share (NaN); an empty
    /// frame gives empty outputs.
    #[test]
    fn shares_in_runs_edges() {
        let z = wilson_levels(&[0.95, 0.998]).unwrap();
        assert!(
            shares_in_runs(&[0, 3], &[0], &[1, 2, 3], &[7, 8, 7], &z, 1.0)
                .unwrap()
                .is_none()
        );
        // a long run (past the pairwise check) with a repeat, and one without
        let long: Vec<u64> = (0..40).collect();
        let mut twice = long.clone();
        twice[39] = 3;
        let counts = vec![1i64; 40];
        assert!(shares_in_runs(&[0, 40], &[0], &counts, &twice, &z, 1.0)
            .unwrap()
            .is_none());
        let r = shares_in_runs(&[0, 40], &[0], &counts, &long, &z, 1.0)
            .unwrap()
            .unwrap();
        assert_eq!(r.rows, (0..40).collect::<Vec<u32>>());
        assert!(r.value.iter().all(|&v| v == 1.0 / 40.0));
        let r = shares_in_runs(&[0, 2, 4], &[0, 1], &[0, 0, 2, 1], &[1, 2, 1, 2], &z, 100.0)
            .unwrap()
            .unwrap();
        assert_eq!(r.totals, vec![0, 3]);
        assert!(r.value[..2].iter().all(|v| v.is_nan()));
        assert!((0..2).all(|j| r.lower[j][..2]
            .iter()
            .chain(&r.upper[j][..2])
            .all(|v| v.is_nan())));
        assert!(rel(r.value[2], 200.0 / 3.0) < 1e-15 && rel(r.value[3], 100.0 / 3.0) < 1e-15);
        let r = shares_in_runs(&[0], &[], &[], &[], &z, 1.0)
            .unwrap()
            .unwrap();
        assert!(r.rows.is_empty() && r.lower.len() == 2 && r.lower[0].is_empty());
    }

    /// Runs, order and rows that do not line up are errors, never a panic.
    #[test]
    fn shares_in_runs_refuses_what_does_not_line_up() {
        let z = wilson_levels(&[0.95]).unwrap();
        let c = [1i64, 2, 3];
        let h = [1u64, 2, 3];
        for (starts, order) in [
            (&[0usize, 2][..], &[0usize][..]),   // does not reach the rows' end
            (&[1, 3][..], &[0][..]),             // does not start at 0
            (&[0, 2, 1, 3][..], &[0, 1, 2][..]), // goes back
            (&[0, 1, 3][..], &[0, 0][..]),       // a run twice
            (&[0, 1, 3][..], &[0, 2][..]),       // no run 2
            (&[0, 1, 3][..], &[1][..]),          // run 0 left out
        ] {
            assert!(
                shares_in_runs(starts, order, &c, &h, &z, 1.0).is_err(),
                "{starts:?} {order:?}"
            );
        }
        assert!(shares_in_runs(&[0, 3], &[0], &c, &h[..2], &z, 1.0).is_err());
        // a stretch on its own: outputs, totals or denominators of the wrong size, a run that
        // is not one of the runs
        let stretch = |order: &[usize], rows: usize, k: usize, runs: usize, den: usize| {
            let mut r = RunShares::zeros(rows, k);
            let (mut totals, mut den) = (vec![0i64; runs], vec![0i64; den]);
            shares_in_order(
                &[0, 3],
                order,
                &c,
                &h,
                &z,
                1.0,
                r.out(),
                &mut totals,
                &mut den,
            )
        };
        assert!(stretch(&[0], 2, 1, 1, 3).is_err()); // two output rows for a run of three
        assert!(stretch(&[0], 3, 2, 1, 3).is_err()); // two levels for one critical value
        assert!(stretch(&[0], 3, 1, 2, 3).is_err()); // two totals for one run
        assert!(stretch(&[0], 3, 1, 1, 2).is_err()); // two denominators for three rows
        assert!(stretch(&[1], 3, 1, 1, 3).is_err()); // no run 1
        assert!(stretch(&[0], 3, 1, 1, 3).unwrap());
        assert!(stretch(&[], 0, 1, 0, 0).unwrap()); // an empty stretch
        let (mut v, mut lo, mut hi) = (vec![0.0; 3], vec![0.0; 3], vec![0.0; 2]);
        assert!(proportion_intervals_into(
            &[1.0, 2.0, 3.0],
            &[4.0, 4.0, 4.0],
            &z,
            &mut v,
            &mut [&mut lo[..]],
            &mut [&mut hi[..]],
        )
        .is_err());
    }

    /// Many runs of uneven sizes (split across threads, and in stretches of the order given to
    /// [`shares_in_order`] one by one as the binding does) give what a plain loop gives: the
    /// stable sort within each run, the run totals, and proportion_intervals' limits times per.
    #[test]
    fn shares_in_runs_in_stretches_equal_a_plain_loop() {
        let mut starts = vec![0usize];
        let mut counts = Vec::new();
        let mut labels = Vec::new();
        for g in 0..9_000usize {
            let size = (g * 7) % 13; // 0 to 12 rows, some runs empty
            for k in 0..size {
                counts.push(((g * 31 + k * 17) % 11) as i64);
                labels.push(k as u64);
            }
            starts.push(counts.len());
        }
        let runs = starts.len() - 1;
        let order: Vec<usize> = (0..runs).map(|g| (g * 4_001) % runs).collect(); // a permutation
        let z = wilson_levels(&[0.95, 0.998]).unwrap();
        let whole = shares_in_runs(&starts, &order, &counts, &labels, &z, 100.0)
            .unwrap()
            .unwrap();
        // the plain loop
        let mut rows = Vec::new();
        let mut den = Vec::new();
        for &g in &order {
            let mut r: Vec<usize> = (starts[g]..starts[g + 1]).collect();
            r.sort_by_key(|&i| std::cmp::Reverse(counts[i]));
            let total: i64 = counts[starts[g]..starts[g + 1]].iter().sum();
            den.extend(std::iter::repeat_n(total, r.len()));
            rows.extend(r);
        }
        let xs: Vec<f64> = rows.iter().map(|&i| counts[i] as f64).collect();
        let ns: Vec<f64> = den.iter().map(|&t| t as f64).collect();
        let (v, lo, hi) = proportion_intervals(&xs, &ns, &[0.95, 0.998]).unwrap();
        assert_eq!(
            whole.rows,
            rows.iter().map(|&i| i as u32).collect::<Vec<_>>()
        );
        let run_of_row: Vec<i64> = order
            .iter()
            .flat_map(|&g| std::iter::repeat_n(whole.totals[g], starts[g + 1] - starts[g]))
            .collect();
        assert_eq!(run_of_row, den);
        let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
        for i in 0..rows.len() {
            assert!(same(whole.value[i], v[i] * 100.0), "{i}");
            for j in 0..2 {
                assert!(same(whole.lower[j][i], lo[j][i] * 100.0), "{i} {j}");
                assert!(same(whole.upper[j][i], hi[j][i] * 100.0), "{i} {j}");
            }
        }
        // in stretches of the order, as the binding calls it
        let mut parts = RunShares::zeros(counts.len(), 2);
        let (mut in_order, mut den) = (vec![0i64; runs], vec![0i64; counts.len()]);
        let (mut row0, mut g0) = (0, 0);
        for g1 in [1, 2_000, 2_001, runs] {
            let rows_in: usize = order[g0..g1]
                .iter()
                .map(|&g| starts[g + 1] - starts[g])
                .sum();
            let out = parts.out_rows(row0..row0 + rows_in);
            assert!(shares_in_order(
                &starts,
                &order[g0..g1],
                &counts,
                &labels,
                &z,
                100.0,
                out,
                &mut in_order[g0..g1],
                &mut den[row0..row0 + rows_in],
            )
            .unwrap());
            (row0, g0) = (row0 + rows_in, g1);
        }
        assert_eq!(parts.rows, whole.rows);
        assert_eq!(den, whole.denominators);
        let totals: Vec<i64> = (0..runs).map(|g| whole.totals[order[g]]).collect();
        assert_eq!(in_order, totals);
        for i in 0..rows.len() {
            assert!(same(parts.value[i], whole.value[i]), "{i}");
            for j in 0..2 {
                assert!(same(parts.lower[j][i], whole.lower[j][i]), "{i} {j}");
                assert!(same(parts.upper[j][i], whole.upper[j][i]), "{i} {j}");
            }
        }
    }

    /// Confidence levels must be strictly inside (0, 1).
    #[test]
    fn confidence_domain() {
        for c in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            assert!(check_confidence(c).is_err(), "{c}");
            assert!(z_two_sided(c).is_err(), "{c}");
        }
        assert!(check_confidence(1e-9).is_ok() && check_confidence(1.0 - 1e-9).is_ok());
        assert!(rate_intervals(&[1.0], &[1.0], 1.0, &[0.95, 1.0]).is_err());
        assert!(rate_intervals(&[1.0], &[1.0], f64::NAN, &[0.95]).is_err());
        assert!(rate_intervals(&[1.0], &[1.0], f64::INFINITY, &[0.95]).is_err());
    }
}

/// The one-pass shares kernel and the shared Wilson loop against plain, independent loops.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod one_pass {
    use super::*;

    /// A small deterministic generator (no dependency): xorshift64.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Runs of every length from 0 to 70 (the stack path up to 32 rows, sorting beyond), counts
    /// drawn from a few values so ties are common, taken in a scrambled order: the rows are those
    /// of a stable sort by count (largest first) run by run, the totals the runs' sums, and each
    /// value and limit is `x / n * per` and `wilson(x, n, z) * per` bit for bit (`wilson` is
    /// checked against statsmodels in `reference::wilson_matches_statsmodels`).
    #[test]
    fn runs_of_every_length_equal_a_stable_sort_and_the_scalar_wilson() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut starts, mut counts, mut labels) = (vec![0usize], Vec::new(), Vec::new());
        for rep in 0..3 {
            for len in 0..=70usize {
                for k in 0..len {
                    counts.push(rng.below(if rep == 0 { 3 } else { 40 }) as i64);
                    labels.push((k as u64) * 7 + 1);
                }
                starts.push(counts.len());
            }
        }
        let runs = starts.len() - 1;
        let order: Vec<usize> = (0..runs).map(|g| (g * 37) % runs).collect(); // runs is 213
        let zs = wilson_levels(&[0.95, 0.998]).unwrap();
        let r = shares_in_runs(&starts, &order, &counts, &labels, &zs, 100.0)
            .unwrap()
            .unwrap();
        let (mut rows, mut totals) = (Vec::new(), vec![0i64; runs]);
        for &g in &order {
            let mut run: Vec<usize> = (starts[g]..starts[g + 1]).collect();
            run.sort_by(|&i, &j| counts[j].cmp(&counts[i])); // stable
            totals[g] = counts[starts[g]..starts[g + 1]].iter().sum();
            rows.extend(run.into_iter().map(|i| (i, g)));
        }
        assert_eq!(r.totals, totals);
        assert_eq!(r.rows.len(), rows.len());
        let den: Vec<i64> = rows.iter().map(|&(_, g)| totals[g]).collect();
        assert_eq!(r.denominators, den);
        for (p, &(i, g)) in rows.iter().enumerate() {
            assert_eq!(r.rows[p] as usize, i, "row {p}");
            let (x, n) = (counts[i] as f64, totals[g] as f64);
            if n == 0.0 {
                assert!(r.value[p].is_nan() && r.lower[1][p].is_nan() && r.upper[0][p].is_nan());
                continue;
            }
            assert_eq!(r.value[p], x / n * 100.0, "row {p}");
            for (j, &z) in zs.iter().enumerate() {
                let (lo, hi) = wilson(x, n, z);
                assert_eq!(r.lower[j][p], lo * 100.0, "row {p} level {j}");
                assert_eq!(r.upper[j][p], hi * 100.0, "row {p} level {j}");
            }
        }
    }

    /// Counts beyond 32 bits, negative ones and i32::MIN itself (the core takes any i64; shares()
    /// passes none below 0) in short runs: the rows are those of a stable sort all the same.
    #[test]
    fn counts_of_any_size_sort_as_a_stable_sort() {
        let big = 3_000_000_000i64;
        let runs: Vec<Vec<i64>> = vec![
            vec![big, 1, big + 1, big, 0],
            vec![i64::from(i32::MIN), 5, -1, i64::from(i32::MIN), 5],
            vec![-7, -7, 2, -9],
            vec![i64::from(i32::MAX), i64::from(i32::MAX) + 1, 0],
            // about 2^27, where short runs stop being ordered by 32-bit keys
            vec![(1 << 27) - 1, 0, (1 << 27) - 1, 5, (1 << 27) - 2],
            vec![1 << 27, (1 << 27) - 1, 1 << 27, 0],
        ];
        let mut starts = vec![0usize];
        let (mut counts, mut labels) = (Vec::new(), Vec::new());
        for run in &runs {
            counts.extend(run);
            labels.extend((0..run.len() as u64).map(|k| k + 100));
            starts.push(counts.len());
        }
        let zs = wilson_levels(&[0.95]).unwrap();
        let order = [2usize, 0, 5, 3, 1, 4];
        let r = shares_in_runs(&starts, &order, &counts, &labels, &zs, 1.0)
            .unwrap()
            .unwrap();
        let mut rows = Vec::new();
        for &g in &order {
            let mut run: Vec<usize> = (starts[g]..starts[g + 1]).collect();
            run.sort_by(|&i, &j| counts[j].cmp(&counts[i]));
            rows.extend(run.into_iter().map(|i| i as u32));
        }
        assert_eq!(r.rows, rows);
    }

    /// A label hash twice in a run is found wherever the two rows sit, in short and long runs.
    #[test]
    fn a_label_twice_is_found_anywhere_in_a_run() {
        let zs = wilson_levels(&[0.95]).unwrap();
        for len in [2usize, 3, 10, 31, 32, 33, 50] {
            for first in 0..len {
                for second in first + 1..len {
                    let mut labels: Vec<u64> = (0..len as u64).collect();
                    labels[second] = labels[first];
                    let counts = vec![1i64; len];
                    let got = shares_in_runs(&[0, len], &[0], &counts, &labels, &zs, 1.0).unwrap();
                    assert!(got.is_none(), "{len} {first} {second}");
                }
            }
        }
    }

    /// Runs listing the same labels in the same order are checked once (the first), yet a run
    /// whose labels differ, even by one repeated label, is checked again, in short and long runs.
    #[test]
    fn a_label_twice_after_runs_alike_is_found() {
        let zs = wilson_levels(&[0.95]).unwrap();
        for len in [3usize, 10, 32, 33, 40] {
            let alike: Vec<u64> = (0..len as u64).map(|h| h * 3 + 1).collect();
            let mut twice = alike.clone();
            twice[len - 1] = twice[0];
            for at in 0..4 {
                let (mut starts, mut labels) = (vec![0usize], Vec::new());
                for g in 0..4 {
                    labels.extend(if g == at { &twice } else { &alike });
                    starts.push(labels.len());
                }
                let counts = vec![2i64; labels.len()];
                let got =
                    shares_in_runs(&starts, &[0, 1, 2, 3], &counts, &labels, &zs, 1.0).unwrap();
                assert!(got.is_none(), "{len} {at}");
            }
            let starts: Vec<usize> = (0..=4).map(|g| g * len).collect();
            let labels = alike.repeat(4);
            let counts = vec![2i64; labels.len()];
            let got = shares_in_runs(&starts, &[3, 1, 0, 2], &counts, &labels, &zs, 1.0).unwrap();
            assert!(got.is_some(), "{len}");
        }
    }

    /// Invalid rows (a count above its denominator, negative, NaN, a zero or infinite
    /// denominator) scattered over several blocks of the Wilson loop are NaN, and every other row
    /// is `wilson` bit for bit, wherever the block boundaries fall.
    #[test]
    fn invalid_rows_in_any_block_are_nan_and_the_rest_exact() {
        let mut rng = Rng(12_345);
        let m = 3 * WILSON_BLOCK + 17;
        let mut xs = Vec::with_capacity(m);
        let mut ns = Vec::with_capacity(m);
        for i in 0..m {
            let n = (rng.below(200) + 1) as f64;
            let x = rng.below(n as u64 + 1) as f64;
            let (x, n) = match i % 97 {
                5 => (n + 1.0, n),
                6 => (-1.0, n),
                7 => (f64::NAN, n),
                8 => (x, 0.0),
                9 => (x, f64::INFINITY),
                _ => (x, n),
            };
            xs.push(x);
            ns.push(n);
        }
        let zs = wilson_levels(&[0.95, 0.998]).unwrap();
        let (v, lo, hi) = proportion_intervals(&xs, &ns, &[0.95, 0.998]).unwrap();
        for i in 0..m {
            let valid = [5, 6, 7, 8, 9].iter().all(|&k| i % 97 != k);
            if !valid {
                assert!(
                    v[i].is_nan() && lo[0][i].is_nan() && hi[1][i].is_nan(),
                    "{i}"
                );
                continue;
            }
            assert_eq!(v[i], xs[i] / ns[i], "{i}");
            for (j, &z) in zs.iter().enumerate() {
                assert_eq!((lo[j][i], hi[j][i]), wilson(xs[i], ns[i], z), "{i} {j}");
            }
        }
    }
}

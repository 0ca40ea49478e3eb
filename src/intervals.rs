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
    let root = z * (z2 + 4.0 * x * (1.0 - x / n)).max(0.0).sqrt();
    let denom = 2.0 * (n + z2);
    ((2.0 * x + z2 - root) / denom, (2.0 * x + z2 + root) / denom)
}

/// Proportions, then lower and upper limits (one vector per confidence level).
pub type ProportionIntervals = (Vec<f64>, Vec<Vec<f64>>, Vec<Vec<f64>>);

fn proportion_row_valid(x: f64, n: f64) -> bool {
    x.is_finite() && n.is_finite() && x >= 0.0 && n > 0.0 && x <= n
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
    let zs = check_levels(confidences)?;
    let value: Vec<f64> = counts
        .par_iter()
        .with_min_len(PAR_CHUNK)
        .zip(denominators.par_iter())
        .map(|(&x, &n)| {
            if proportion_row_valid(x, n) {
                x / n
            } else {
                f64::NAN
            }
        })
        .collect();
    let mut lower = Vec::with_capacity(zs.len());
    let mut upper = Vec::with_capacity(zs.len());
    for &z in &zs {
        let (lo, hi): (Vec<f64>, Vec<f64>) = counts
            .par_iter()
            .with_min_len(PAR_CHUNK)
            .zip(denominators.par_iter())
            .map(|(&x, &n)| {
                if proportion_row_valid(x, n) {
                    wilson(x, n, z)
                } else {
                    (f64::NAN, f64::NAN)
                }
            })
            .unzip();
        lower.push(lo);
        upper.push(hi);
    }
    Ok((value, lower, upper))
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

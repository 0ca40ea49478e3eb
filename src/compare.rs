//! Comparing two counts: the exact conditional-binomial test and interval for the ratio of two
//! Poisson rates.
//!
//! Given x1 ~ Poisson(l1 t1) and x2 ~ Poisson(l2 t2), x1 | x1 + x2 = n ~ Binomial(n, p) with
//! p = R t1 / (R t1 + t2), R = l1 / l2. The test of R = R0 is the binomial test of
//! p0 = R0 t1 / (R0 t1 + t2); the Clopper-Pearson interval for p maps to R = p t2 / ((1 - p) t1).
//! The two-sided p-value follows `scipy.stats.binomtest` exactly (the sum of the probabilities
//! no larger than the observed one, with scipy's relative tolerance 1 + 1e-7).

use crate::error::{CoreError, CoreResult};
use crate::intervals::check_confidence;
use rayon::prelude::*;
use statrs::distribution::{Binomial, Discrete, DiscreteCDF};
use statrs::function::beta::{beta_reg, inv_beta_reg};
use statrs::function::erf::erfc_inv;

/// The alternative hypothesis, in scipy's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternative {
    TwoSided,
    Less,
    Greater,
}

impl Alternative {
    pub fn from_name(name: &str) -> CoreResult<Alternative> {
        match name {
            "two-sided" => Ok(Alternative::TwoSided),
            "less" => Ok(Alternative::Less),
            "greater" => Ok(Alternative::Greater),
            _ => Err(CoreError::InvalidArgument(format!(
                "alternative '{name}' is not one of 'two-sided', 'less', 'greater'"
            ))),
        }
    }
}

/// Result of one binomial test: p-value and Clopper-Pearson limits for p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinomTest {
    pub pvalue: f64,
    pub lower: f64,
    pub upper: f64,
}

const NAN_TEST: BinomTest = BinomTest {
    pvalue: f64::NAN,
    lower: f64::NAN,
    upper: f64::NAN,
};

/// scipy's `_binary_search_for_binom_tst`: the index i in [lo, hi] with a(i) <= d < a(i+1).
fn binary_search(a: impl Fn(i64) -> f64, d: f64, mut lo: i64, mut hi: i64) -> i64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let midval = a(mid);
        if midval < d {
            lo = mid + 1;
        } else if midval > d {
            hi = mid - 1;
        } else {
            return mid;
        }
    }
    if a(lo) <= d {
        lo
    } else {
        lo - 1
    }
}

/// P(X <= x) for X ~ Binomial(n, p), with x possibly out of range.
fn cdf(b: &Binomial, n: i64, x: i64) -> f64 {
    if x < 0 {
        0.0
    } else if x >= n {
        1.0
    } else {
        b.cdf(x as u64)
    }
}

/// P(X > x).
fn sf(b: &Binomial, n: i64, x: i64) -> f64 {
    if x < 0 {
        1.0
    } else if x >= n {
        0.0
    } else {
        b.sf(x as u64)
    }
}

fn pmf(b: &Binomial, n: i64, x: i64) -> f64 {
    if x < 0 || x > n {
        0.0
    } else {
        b.pmf(x as u64)
    }
}

/// Starting point for the Beta(a, b) quantile at q: Carter's (1947) approximation (as in
/// AS 109) with an exact normal deviate when both shapes exceed 1, else statrs' AS 64 inverse.
fn beta_quantile_guess(a: f64, b: f64, q: f64) -> f64 {
    if a > 1.0 && b > 1.0 {
        // upper-tail standard normal deviate: P(Z > z) = q
        let z = std::f64::consts::SQRT_2 * erfc_inv(2.0 * q);
        let r = (z * z - 3.0) / 6.0;
        let s = 1.0 / (2.0 * a - 1.0);
        let t = 1.0 / (2.0 * b - 1.0);
        let h = 2.0 / (s + t);
        let w = z * (h + r).sqrt() / h - (t - s) * (r + 5.0 / 6.0 - 2.0 / (3.0 * h));
        let x = a / (a + b * (2.0 * w).exp());
        if x.is_finite() && x > 0.0 && x < 1.0 {
            return x;
        }
    }
    inv_beta_reg(a, b, q).clamp(0.0, 1.0)
}

/// Quantile of Beta(a, b) at q to near machine precision: safeguarded Newton steps on the
/// regularized incomplete beta function (bisection whenever a step leaves the bracket).
fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    if q <= 0.0 {
        return 0.0;
    }
    if q >= 1.0 {
        return 1.0;
    }
    let mut x = beta_quantile_guess(a, b, q);
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let ln_b = statrs::function::beta::ln_beta(a, b);
    for _ in 0..200 {
        let f = beta_reg(a, b, x) - q;
        if f == 0.0 {
            return x;
        }
        if f > 0.0 {
            hi = hi.min(x);
        } else {
            lo = lo.max(x);
        }
        let dens = ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_b).exp();
        let mut next = if dens.is_finite() && dens > 0.0 {
            x - f / dens
        } else {
            f64::NAN
        };
        let newton = next > lo && next < hi;
        if !newton {
            next = 0.5 * (lo + hi);
        }
        let step = (next - x).abs();
        x = next;
        // Newton converges quadratically: once a Newton step is below 1e-9 (relative) the
        // error left after it is of order 1e-18, far below what any caller can see.
        if (newton && step <= 1e-9 * x.abs()) || step <= 1e-300 || hi - lo <= f64::EPSILON * x {
            break;
        }
    }
    x
}

/// Exact binomial test of k successes in n trials against probability `p`, as
/// `scipy.stats.binomtest(k, n, p, alternative)`, with the Clopper-Pearson interval
/// (`proportion_ci(confidence, method="exact")`). NaNs for impossible input.
pub fn binom_test(k: i64, n: i64, p: f64, alternative: Alternative, confidence: f64) -> BinomTest {
    if n < 1 || k < 0 || k > n || !(0.0..=1.0).contains(&p) {
        return NAN_TEST;
    }
    let Ok(b) = Binomial::new(p, n as u64) else {
        return NAN_TEST;
    };
    let nf = n as f64;
    let pvalue = match alternative {
        Alternative::Less => cdf(&b, n, k),
        Alternative::Greater => sf(&b, n, k - 1),
        Alternative::TwoSided => {
            let d = pmf(&b, n, k);
            let rerr = 1.0 + 1e-7;
            let kf = k as f64;
            let pv = if kf == p * nf {
                1.0
            } else if kf < p * nf {
                let ix = binary_search(|x| -pmf(&b, n, x), -d * rerr, (p * nf).ceil() as i64, n);
                let y = n - ix + i64::from(d * rerr == pmf(&b, n, ix));
                cdf(&b, n, k) + sf(&b, n, n - y)
            } else {
                let ix = binary_search(|x| pmf(&b, n, x), d * rerr, 0, (p * nf).floor() as i64);
                let y = ix + 1;
                cdf(&b, n, y - 1) + sf(&b, n, k - 1)
            };
            pv.min(1.0)
        }
    };
    let (kf, nf) = (k as f64, n as f64);
    let (lower, upper) = match alternative {
        Alternative::TwoSided => {
            let alpha = (1.0 - confidence) / 2.0;
            let lo = if k == 0 {
                0.0
            } else {
                beta_quantile(kf, nf - kf + 1.0, alpha)
            };
            let hi = if k == n {
                1.0
            } else {
                beta_quantile(kf + 1.0, nf - kf, 1.0 - alpha)
            };
            (lo, hi)
        }
        Alternative::Less => {
            let hi = if k == n {
                1.0
            } else {
                beta_quantile(kf + 1.0, nf - kf, confidence)
            };
            (0.0, hi)
        }
        Alternative::Greater => {
            let lo = if k == 0 {
                0.0
            } else {
                beta_quantile(kf, nf - kf + 1.0, 1.0 - confidence)
            };
            (lo, 1.0)
        }
    };
    BinomTest {
        pvalue,
        lower,
        upper,
    }
}

/// Result of one rate-ratio comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateRatio {
    /// Estimated rate ratio (x1 / t1) / (x2 / t2).
    pub statistic: f64,
    pub pvalue: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Exact conditional test and interval for the ratio of two Poisson rates.
///
/// Counts must be whole and non-negative and exposures positive; otherwise every field is NaN
/// (the caller reports why). `ratio` is the rate ratio under the null hypothesis.
pub fn rate_ratio(
    x1: f64,
    x2: f64,
    t1: f64,
    t2: f64,
    ratio: f64,
    alternative: Alternative,
    confidence: f64,
) -> RateRatio {
    let nan = RateRatio {
        statistic: f64::NAN,
        pvalue: f64::NAN,
        lower: f64::NAN,
        upper: f64::NAN,
    };
    let whole = |x: f64| x.is_finite() && x >= 0.0 && x.fract() == 0.0;
    let positive = |t: f64| t.is_finite() && t > 0.0;
    if !(whole(x1) && whole(x2) && positive(t1) && positive(t2) && positive(ratio)) {
        return nan;
    }
    let statistic = if x2 == 0.0 {
        if x1 == 0.0 {
            f64::NAN
        } else {
            f64::INFINITY
        }
    } else {
        (x1 / t1) / (x2 / t2)
    };
    let n = x1 + x2;
    if n == 0.0 {
        return RateRatio {
            statistic,
            pvalue: 1.0,
            lower: 0.0,
            upper: f64::INFINITY,
        };
    }
    let p0 = ratio * t1 / (ratio * t1 + t2);
    let bt = binom_test(x1 as i64, n as i64, p0, alternative, confidence);
    let to_ratio = |p: f64| {
        if p >= 1.0 {
            f64::INFINITY
        } else {
            p * t2 / ((1.0 - p) * t1)
        }
    };
    RateRatio {
        statistic,
        pvalue: bt.pvalue,
        lower: to_ratio(bt.lower),
        upper: to_ratio(bt.upper),
    }
}

/// `rate_ratio` over arrays (in parallel). Lengths must agree.
#[allow(clippy::too_many_arguments)]
pub fn rate_ratio_many(
    x1: &[f64],
    x2: &[f64],
    t1: &[f64],
    t2: &[f64],
    ratio: f64,
    alternative: Alternative,
    confidence: f64,
) -> CoreResult<Vec<RateRatio>> {
    check_confidence(confidence)?;
    let n = x1.len();
    if x2.len() != n || t1.len() != n || t2.len() != n {
        return Err(CoreError::InvalidArgument(format!(
            "rate_ratio: arrays differ in length (x1 {}, x2 {}, t1 {}, t2 {})",
            n,
            x2.len(),
            t1.len(),
            t2.len()
        )));
    }
    if !(ratio.is_finite() && ratio > 0.0) {
        return Err(CoreError::InvalidArgument(format!(
            "the null rate ratio must be positive and finite, got {ratio}"
        )));
    }
    Ok((0..n)
        .into_par_iter()
        .map(|i| rate_ratio(x1[i], x2[i], t1[i], t2[i], ratio, alternative, confidence))
        .collect())
}

/// `binom_test` over arrays (in parallel).
pub fn binom_test_many(
    k: &[i64],
    n: &[i64],
    p: &[f64],
    alternative: Alternative,
    confidence: f64,
) -> CoreResult<Vec<BinomTest>> {
    check_confidence(confidence)?;
    if n.len() != k.len() || p.len() != k.len() {
        return Err(CoreError::InvalidArgument(format!(
            "binom_test: arrays differ in length (k {}, n {}, p {})",
            k.len(),
            n.len(),
            p.len()
        )));
    }
    Ok((0..k.len())
        .into_par_iter()
        .map(|i| binom_test(k[i], n[i], p[i], alternative, confidence))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from scipy.stats.binomtest (scipy 1.17.1), computed independently.
    #[test]
    fn matches_scipy_docstring_example() {
        let r = binom_test(3, 15, 0.1, Alternative::Greater, 0.95);
        assert!((r.pvalue - 0.184_061_069_106_391_14).abs() < 1e-12, "{r:?}");
        assert!((r.lower - 0.056_846_867_590_246_81).abs() < 1e-10, "{r:?}");
        assert_eq!(r.upper, 1.0);
    }

    #[test]
    fn two_sided_symmetry_and_edges() {
        let r = binom_test(5, 10, 0.5, Alternative::TwoSided, 0.95);
        assert_eq!(r.pvalue, 1.0);
        let a = binom_test(2, 10, 0.5, Alternative::TwoSided, 0.95);
        let b = binom_test(8, 10, 0.5, Alternative::TwoSided, 0.95);
        assert!((a.pvalue - b.pvalue).abs() < 1e-15);
        // 2 * P(X <= 2) for Binomial(10, 0.5) = 2 * 56 / 1024
        assert!((a.pvalue - 112.0 / 1024.0).abs() < 1e-14, "{a:?}");
        assert!(binom_test(11, 10, 0.5, Alternative::TwoSided, 0.95)
            .pvalue
            .is_nan());
    }

    #[test]
    fn rate_ratio_maps_interval() {
        // Equal exposures: R = x1 / x2 and p = R / (R + 1).
        let r = rate_ratio(274.0, 114.0, 365.0, 365.0, 1.0, Alternative::TwoSided, 0.95);
        assert!((r.statistic - 274.0 / 114.0).abs() < 1e-12);
        assert!(r.lower < r.statistic && r.statistic < r.upper);
        assert!(r.pvalue < 1e-10);
        let bt = binom_test(274, 388, 0.5, Alternative::TwoSided, 0.95);
        assert!((r.lower - bt.lower / (1.0 - bt.lower)).abs() < 1e-12);
        assert!(
            rate_ratio(-1.0, 3.0, 1.0, 1.0, 1.0, Alternative::Less, 0.95)
                .pvalue
                .is_nan()
        );
    }
}

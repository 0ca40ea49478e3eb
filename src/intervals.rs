//! Confidence intervals for counts and proportions (PHEindicatormethods conventions).
//!
//! Pure functions over plain slices; no pyo3 here.

use crate::error::{CoreError, CoreResult};
use statrs::distribution::{ChiSquared, ContinuousCDF};

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

/// Exact (Garwood, chi-square) Poisson interval for one count.
///
/// Lower = qchisq(alpha/2, 2x)/2 (0 when x = 0), upper = qchisq(1-alpha/2, 2x+2)/2.
/// Returns NaNs for a negative or non-finite count (the caller reports the reason).
pub fn exact_poisson(count: f64, confidence: f64) -> (f64, f64) {
    if !count.is_finite() || count < 0.0 {
        return (f64::NAN, f64::NAN);
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

fn chisq_quantile(p: f64, df: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Exact Poisson limits for every count of a slice.
pub fn exact_poisson_many(counts: &[f64], confidence: f64) -> CoreResult<(Vec<f64>, Vec<f64>)> {
    check_confidence(confidence)?;
    Ok(counts.iter().map(|&x| exact_poisson(x, confidence)).unzip())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values: scipy.stats.chi2.ppf(q, df) / 2, computed independently.
    #[test]
    fn exact_poisson_matches_reference() {
        let (lo, hi) = exact_poisson(10.0, 0.95);
        assert!((lo - 4.795_388_696_132_434).abs() < 1e-9, "{lo}");
        assert!((hi - 18.390_356_042_017_78).abs() < 1e-9, "{hi}");
        let (lo0, hi0) = exact_poisson(0.0, 0.95);
        assert_eq!(lo0, 0.0);
        assert!((hi0 - 3.688_879_454_113_935).abs() < 1e-9, "{hi0}");
    }

    #[test]
    fn bad_input_gives_nan_or_error() {
        let (lo, hi) = exact_poisson(-1.0, 0.95);
        assert!(lo.is_nan() && hi.is_nan());
        assert!(exact_poisson_many(&[1.0], 1.5).is_err());
    }
}

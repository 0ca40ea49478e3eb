//! Funnel-plot control limits around a national value (Spiegelhalter 2005; PHE Fingertips).
//!
//! * Rates (counts over a population): exact Poisson limits. At denominator `n` the expected
//!   count is `E = national * n`; the upper limit is the (continuous) count `x_U` whose exact
//!   lower confidence limit equals `E`, i.e. `P(x_U, E) = alpha / 2` with `P` the regularised
//!   lower incomplete gamma function; the lower limit `x_L` has exact upper confidence limit
//!   `E`: `P(x_L + 1, E) = 1 - alpha / 2` (0 when no such count exists). A count is outside the
//!   limits exactly when its own exact interval excludes the national value, which is the
//!   PHE convention (`PHStatsMethods.calculate_funnel_limits` draws the same curves).
//! * Proportions: the Wilson score limits inverted, `p0 +/- z sqrt(p0 (1 - p0) / n)` (PHE's
//!   `sigma_adjustment`), clipped to [0, 1].
//! * Overdispersion (Spiegelhalter 2005, as FunnelPlotR): z-scores on a variance-stabilising
//!   scale (square root of the standardised ratio for rates, arcsine square root for
//!   proportions), winsorised at `trim` / `1 - trim` (quantile type 7), `phi = mean(z^2)`,
//!   DerSimonian-Laird `tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w)`, `w = 1 / s^2`;
//!   limits `target +/- z sqrt(s^2 + tau^2)` transformed back.
//!
//! Pure Rust, no pyo3.

use crate::error::{CoreError, CoreResult};
use crate::intervals::z_two_sided;
use rayon::prelude::*;
use statrs::function::gamma::checked_gamma_lr;

/// What the funnel is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunnelKind {
    /// Counts over a population (Poisson).
    Rate,
    /// Counts over a number of trials (binomial).
    Proportion,
}

impl FunnelKind {
    /// Parse `"rate"` or `"proportion"`.
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "rate" => Ok(Self::Rate),
            "proportion" => Ok(Self::Proportion),
            other => Err(CoreError::InvalidArgument(format!(
                "statistic must be 'rate' or 'proportion', got '{other}'"
            ))),
        }
    }
}

impl std::str::FromStr for FunnelKind {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::parse(s)
    }
}

/// Regularised lower incomplete gamma `P(a, x)`; NaN outside its domain.
fn p_gamma(a: f64, x: f64) -> f64 {
    if a > 1e8 && x > 1e8 {
        // statrs' incomplete gamma costs O(sqrt(a)): a funnel with counts near 2^62 took
        // minutes (found by tests/test_hostile.py). Wilson-Hilferty is exact to ~1e-11 here.
        use statrs::distribution::{ContinuousCDF as _, Normal};
        let z = ((x / a).cbrt() - (1.0 - 1.0 / (9.0 * a))) * 3.0 * a.sqrt();
        return Normal::standard().cdf(z);
    }
    checked_gamma_lr(a, x).unwrap_or(f64::NAN)
}

/// Solve `P(a, e) = target` for the shape `a > 0` (`P` decreases in `a`).
///
/// Bracketed Illinois false position on `ln a`, falling back to bisection; relative
/// tolerance 1e-14 on `a`.
fn solve_shape(e: f64, target: f64) -> f64 {
    solve_shape_counted(e, target).0
}

/// [`solve_shape`] and the number of evaluations of `P` it took (the tests check that false
/// position needs far fewer than bisection would).
fn solve_shape_counted(e: f64, target: f64) -> (f64, usize) {
    let evals = std::cell::Cell::new(0_usize);
    let f = |ln_a: f64| {
        evals.set(evals.get() + 1);
        p_gamma(ln_a.exp(), e) - target
    };
    let mut lo = (1e-12_f64).ln();
    let mut f_lo = f(lo);
    if f_lo.is_nan() || f_lo <= 0.0 {
        // P(a, e) never rises above the target: the solution is below 1e-12.
        return (0.0, evals.get());
    }
    let mut hi = (e + 10.0 * e.sqrt() + 30.0).ln();
    let mut f_hi = f(hi);
    let mut guard = 0;
    while f_hi > 0.0 && guard < 60 {
        hi += std::f64::consts::LN_2;
        f_hi = f(hi);
        guard += 1;
    }
    if f_hi.is_nan() || f_hi > 0.0 {
        return (f64::NAN, evals.get());
    }
    let mut side = 0i8;
    for _ in 0..300 {
        if hi - lo <= 1e-14 * hi.abs().max(1.0) {
            break;
        }
        let mut mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
        if !mid.is_finite() || mid <= lo || mid >= hi {
            mid = 0.5 * (lo + hi);
        }
        let f_mid = f(mid);
        if f_mid.is_nan() {
            return (f64::NAN, evals.get());
        }
        if f_mid == 0.0 {
            return (mid.exp(), evals.get());
        }
        if f_mid > 0.0 {
            lo = mid;
            f_lo = f_mid;
            if side == -1 {
                f_hi /= 2.0;
            }
            side = -1;
        } else {
            hi = mid;
            f_hi = f_mid;
            if side == 1 {
                f_lo /= 2.0;
            }
            side = 1;
        }
    }
    ((0.5 * (lo + hi)).exp(), evals.get())
}

/// Exact Poisson control limits on the count scale around an expected count.
///
/// Returns `(x_L, x_U)`: counts below `x_L` are significantly low and counts above `x_U`
/// significantly high at the given two-sided confidence level.
pub fn poisson_count_limits(expected: f64, confidence: f64) -> CoreResult<(f64, f64)> {
    crate::intervals::check_confidence(confidence)?;
    if !expected.is_finite() || expected < 0.0 {
        return Ok((f64::NAN, f64::NAN));
    }
    if expected == 0.0 {
        return Ok((0.0, 0.0));
    }
    let alpha = 1.0 - confidence;
    let upper = solve_shape(expected, alpha / 2.0);
    let lower = (solve_shape(expected, 1.0 - alpha / 2.0) - 1.0).max(0.0);
    Ok((lower, upper))
}

/// Limits (lower per level, upper per level) at every denominator.
pub type Limits = (Vec<Vec<f64>>, Vec<Vec<f64>>);

fn check_national(kind: FunnelKind, national: f64) -> CoreResult<()> {
    let ok = match kind {
        FunnelKind::Rate => national.is_finite() && national >= 0.0,
        FunnelKind::Proportion => (0.0..=1.0).contains(&national),
    };
    if ok {
        Ok(())
    } else {
        Err(CoreError::InvalidArgument(format!(
            "the national value must be {}, got {national}",
            match kind {
                FunnelKind::Rate => "a non-negative rate per unit of denominator",
                FunnelKind::Proportion => "a proportion between 0 and 1",
            }
        )))
    }
}

fn check_tau2(tau2: f64) -> CoreResult<()> {
    if tau2.is_finite() && tau2 >= 0.0 {
        Ok(())
    } else {
        Err(CoreError::InvalidArgument(format!(
            "tau2 must be a non-negative number, got {tau2}"
        )))
    }
}

/// Control limits at each denominator, multiplied by `scale`.
///
/// `national` is per unit of denominator (a rate per person or a proportion). With
/// `tau2 = Some(t)` the limits are the overdispersion-adjusted ones (random effects with
/// between-area variance `t` on the transformed scale); with `None` they are exact Poisson
/// (rates) or Wilson (proportions). Denominators that are not positive give NaN limits.
pub fn funnel_limits(
    kind: FunnelKind,
    national: f64,
    denominators: &[f64],
    confidences: &[f64],
    scale: f64,
    tau2: Option<f64>,
) -> CoreResult<Limits> {
    check_national(kind, national)?;
    if let Some(t) = tau2 {
        check_tau2(t)?;
    }
    if !(scale.is_finite() && scale > 0.0) {
        return Err(CoreError::InvalidArgument(format!(
            "the multiplier must be a positive number, got {scale}"
        )));
    }
    if confidences.is_empty() {
        return Err(CoreError::InvalidArgument(
            "at least one confidence level is needed".into(),
        ));
    }
    let mut lower = Vec::with_capacity(confidences.len());
    let mut upper = Vec::with_capacity(confidences.len());
    for &conf in confidences {
        let z = z_two_sided(conf)?;
        let (lo, hi): (Vec<f64>, Vec<f64>) = denominators
            .par_iter()
            .with_min_len(32)
            .map(|&n| {
                if !(n.is_finite() && n > 0.0) {
                    return (f64::NAN, f64::NAN);
                }
                let (l, u) = match (kind, tau2) {
                    (FunnelKind::Rate, None) => {
                        let (xl, xu) = poisson_count_limits(national * n, conf)
                            .unwrap_or((f64::NAN, f64::NAN));
                        (xl / n, xu / n)
                    }
                    (FunnelKind::Rate, Some(t)) => {
                        let e = national * n;
                        let sd = (1.0 / (4.0 * e) + t).sqrt();
                        let lo = (1.0 - z * sd).max(0.0);
                        let hi = 1.0 + z * sd;
                        (national * lo * lo, national * hi * hi)
                    }
                    (FunnelKind::Proportion, None) => {
                        let half = z * (national * (1.0 - national) / n).sqrt();
                        ((national - half).max(0.0), (national + half).min(1.0))
                    }
                    (FunnelKind::Proportion, Some(t)) => {
                        let target = national.sqrt().asin();
                        let sd = (1.0 / (4.0 * n) + t).sqrt();
                        let half_pi = std::f64::consts::FRAC_PI_2;
                        let lo = (target - z * sd).clamp(0.0, half_pi).sin();
                        let hi = (target + z * sd).clamp(0.0, half_pi).sin();
                        (lo * lo, hi * hi)
                    }
                };
                (l * scale, u * scale)
            })
            .unzip();
        lower.push(lo);
        upper.push(hi);
    }
    Ok((lower, upper))
}

/// z-scores on the variance-stabilising scale and their standard errors.
///
/// Rates: `Y = sqrt(O / E)`, `E = national * n`, target 1, `s = 1 / (2 sqrt(E))`.
/// Proportions: `Y = asin(sqrt(p))`, target `asin(sqrt(national))`, `s = 1 / (2 sqrt(n))`.
/// Rows with unusable count or denominator give NaN.
pub fn transformed_zscores(
    kind: FunnelKind,
    counts: &[f64],
    denominators: &[f64],
    national: f64,
) -> CoreResult<(Vec<f64>, Vec<f64>)> {
    check_national(kind, national)?;
    if counts.len() != denominators.len() {
        return Err(CoreError::InvalidArgument(format!(
            "funnel: counts has {} values but denominators has {}",
            counts.len(),
            denominators.len()
        )));
    }
    Ok(counts
        .iter()
        .zip(denominators)
        .map(|(&x, &n)| {
            if !(x.is_finite() && x >= 0.0 && n.is_finite() && n > 0.0) {
                return (f64::NAN, f64::NAN);
            }
            match kind {
                FunnelKind::Rate => {
                    let e = national * n;
                    let s = 1.0 / (2.0 * e.sqrt());
                    (((x / e).sqrt() - 1.0) / s, s)
                }
                FunnelKind::Proportion => {
                    if x > n {
                        return (f64::NAN, f64::NAN);
                    }
                    let s = 1.0 / (2.0 * n.sqrt());
                    let y = (x / n).sqrt().asin();
                    ((y - national.sqrt().asin()) / s, s)
                }
            }
        })
        .unzip())
}

/// Quantile of sorted data, R type 7 (linear interpolation, numpy's default).
fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Result of the overdispersion estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Overdispersion {
    /// Dispersion ratio: mean of the squared winsorised z-scores.
    pub phi: f64,
    /// Between-area variance on the transformed scale (0 when `I phi <= I - 1`).
    pub tau2: f64,
    /// Number of areas used.
    pub areas: usize,
    /// Winsorised z-scores, aligned with the input (NaN where the input was NaN).
    pub winsorised: Vec<f64>,
}

/// Spiegelhalter (2005) overdispersion estimate from z-scores and standard errors.
///
/// NaN z-scores (unusable rows) are left out. Needs at least two areas.
pub fn overdispersion(z: &[f64], s: &[f64], trim: f64) -> CoreResult<Overdispersion> {
    if z.len() != s.len() {
        return Err(CoreError::InvalidArgument(format!(
            "overdispersion: {} z-scores but {} standard errors",
            z.len(),
            s.len()
        )));
    }
    if !(0.0..0.5).contains(&trim) {
        return Err(CoreError::InvalidArgument(format!(
            "trim must be in [0, 0.5), got {trim}"
        )));
    }
    let mut sorted: Vec<f64> = z.iter().copied().filter(|v| v.is_finite()).collect();
    let areas = sorted.len();
    if areas < 2 {
        return Err(CoreError::Fit(format!(
            "overdispersion needs at least 2 areas with a usable count and denominator, got {areas}"
        )));
    }
    sorted.sort_by(f64::total_cmp);
    let lz = quantile_type7(&sorted, trim);
    let uz = quantile_type7(&sorted, 1.0 - trim);
    let winsorised: Vec<f64> = z
        .iter()
        .map(|&v| {
            if v.is_finite() {
                v.clamp(lz, uz)
            } else {
                f64::NAN
            }
        })
        .collect();
    let i = areas as f64;
    let phi = winsorised
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| v * v)
        .sum::<f64>()
        / i;
    let tau2 = if i * phi < i - 1.0 {
        0.0
    } else {
        let (sw, sw2) =
            z.iter()
                .zip(s)
                .filter(|(v, _)| v.is_finite())
                .fold((0.0, 0.0), |(a, b), (_, &se)| {
                    let w = 1.0 / (se * se);
                    (a + w, b + w * w)
                });
        ((i * phi - (i - 1.0)) / (sw - sw2 / sw)).max(0.0)
    };
    Ok(Overdispersion {
        phi,
        tau2,
        areas,
        winsorised,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::intervals::exact_poisson;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn poisson_limits_invert_exact_intervals() {
        for &e in &[0.5, 3.0, 20.0, 351.0, 4429.0] {
            for &c in &[0.95, 0.998] {
                let (xl, xu) = poisson_count_limits(e, c).unwrap();
                // the exact lower limit of x_U, and the exact upper limit of x_L, equal E
                assert!(close(exact_poisson(xu, c).0, e, 1e-10), "{e} {c} {xu}");
                if xl > 0.0 {
                    assert!(close(exact_poisson(xl, c).1, e, 1e-10), "{e} {c} {xl}");
                }
                assert!(xl < e && e < xu);
            }
        }
        // with E = 0.5 even a zero count is not significantly low
        assert_eq!(poisson_count_limits(0.5, 0.95).unwrap().0, 0.0);
    }

    #[test]
    fn proportion_limits_are_score_limits() {
        let (lo, hi) =
            funnel_limits(FunnelKind::Proportion, 0.3, &[50.0], &[0.95], 1.0, None).unwrap();
        let half = 1.959_963_984_540_054 * (0.3_f64 * 0.7 / 50.0).sqrt();
        assert!(close(lo[0][0], 0.3 - half, 1e-12));
        assert!(close(hi[0][0], 0.3 + half, 1e-12));
    }

    #[test]
    fn od_with_zero_tau_is_close_to_exact() {
        let (lo, hi) =
            funnel_limits(FunnelKind::Rate, 1e-3, &[1e6], &[0.95], 1.0, Some(0.0)).unwrap();
        let (elo, ehi) = funnel_limits(FunnelKind::Rate, 1e-3, &[1e6], &[0.95], 1.0, None).unwrap();
        assert!(
            close(lo[0][0], elo[0][0], 2e-3) && close(hi[0][0], ehi[0][0], 2e-3),
            "{lo:?} {elo:?} {hi:?} {ehi:?}"
        );
    }

    // Hand-worked: z = [-2, -1, 0, 1, 2], trim 0.1 -> quantiles -1.6 and 1.6,
    // winsorised [-1.6, -1, 0, 1, 1.6], phi = (2.56 * 2 + 2) / 5 = 1.424,
    // all s = 0.1 -> w = 100, sum w = 500, sum w^2 / sum w = 100,
    // tau2 = (5 * 1.424 - 4) / 400 = 0.0078.
    #[test]
    fn overdispersion_hand_worked() {
        let od = overdispersion(&[-2.0, -1.0, 0.0, 1.0, 2.0], &[0.1; 5], 0.1).unwrap();
        assert!(close(od.phi, 1.424, 1e-12), "{}", od.phi);
        assert!(close(od.tau2, 0.0078, 1e-12), "{}", od.tau2);
        assert!(overdispersion(&[1.0], &[0.1], 0.1).is_err());
        let none = overdispersion(&[0.1, -0.1, 0.0], &[0.1; 3], 0.1).unwrap();
        assert_eq!(none.tau2, 0.0);
    }

    #[test]
    fn bad_arguments() {
        assert!(FunnelKind::parse("ratio").is_err());
        assert!(funnel_limits(FunnelKind::Proportion, 1.5, &[1.0], &[0.95], 1.0, None).is_err());
        assert!(funnel_limits(FunnelKind::Rate, 0.1, &[1.0], &[0.95], 1.0, Some(-1.0)).is_err());
        let (lo, _) = funnel_limits(FunnelKind::Rate, 0.1, &[0.0], &[0.95], 1.0, None).unwrap();
        assert!(lo[0][0].is_nan());
    }
}

/// Reference values (issue 18), computed outside this crate; the Python producing each table is
/// named above it.
#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::inconsistent_digit_grouping,
    clippy::type_complexity
)]
mod reference {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            (a - b).abs() / b.abs().max(1e-300)
        }
    }

    // (E, confidence, x_L, x_U): x_U = brentq(lambda a: scipy.special.gammainc(a, E) - alpha/2),
    // x_L = max(brentq(lambda a: gammainc(a, E) - (1 - alpha/2)) - 1, 0) (0 when no root),
    // brentq(rtol=1e-15), scipy 1.17.1. E = 2e8 is beyond the Wilson-Hilferty switch (1e8).
    #[rustfmt::skip]
    const COUNT_LIMITS: [(f64, f64, f64, f64); 12] = [
        (0.5, 0.95, 0.0, 2.715_690_892_455_020_5),
        (0.5, 0.998, 0.0, 4.249_522_442_434_223),
        (3.0, 0.95, 0.0, 7.294_287_991_380_628),
        (3.0, 0.998, 0.0, 10.075_787_624_579_77),
        (20.0, 0.95, 11.247_658_092_688_76, 29.706_323_735_061_25),
        (20.0, 0.998, 7.242_413_437_041_415_5, 35.650_286_708_087_65),
        (351.0, 0.95, 314.262_349_363_643_35, 388.685_191_713_103_9),
        (351.0, 0.998, 294.057_108_021_594_2, 410.795_027_826_776_7),
        (4429.0, 0.95, 4298.538_942_426_352, 4560.408_241_266_207),
        (4429.0, 0.998, 4224.275_239_390_723, 4636.574_786_763_272),
        (2e8, 0.95, 199_972_281.897_100_72, 200_027_719.050_052_23),
        (2e8, 0.998, 199_956_298.440_575, 200_043_704.409_270_23),
    ];

    #[test]
    fn poisson_count_limits_match_scipy() {
        for (e, c, xl, xu) in COUNT_LIMITS {
            let (l, u) = poisson_count_limits(e, c).unwrap();
            let tol = if e > 1e8 { 1e-10 } else { 1e-12 };
            assert!(rel(u, xu) < tol, "{e} {c}: {u} vs {xu}");
            assert!(l == xl || rel(l, xl) < tol, "{e} {c}: {l} vs {xl}");
        }
        assert_eq!(poisson_count_limits(0.0, 0.95).unwrap(), (0.0, 0.0));
        let (l, u) = poisson_count_limits(-1.0, 0.95).unwrap();
        assert!(l.is_nan() && u.is_nan());
        assert!(poisson_count_limits(5.0, 1.0).is_err());
    }

    /// Rate funnel without overdispersion: the count limits at E = national * n, divided by n,
    /// times the multiplier (E = 20 and 351 from the table above).
    #[test]
    fn rate_funnel_is_count_limits_over_denominator() {
        let (lo, hi) = funnel_limits(
            FunnelKind::Rate,
            0.002,
            &[10_000.0, 175_500.0, -1.0],
            &[0.95, 0.998],
            1e5,
            None,
        )
        .unwrap();
        let picks = [(0, 0, 4), (0, 1, 6), (1, 0, 5), (1, 1, 7)];
        for (level, row, k) in picks {
            let (_, _, xl, xu) = COUNT_LIMITS[k];
            let n = [10_000.0, 175_500.0][row];
            assert!(rel(lo[level][row], xl / n * 1e5) < 1e-12, "{level} {row}");
            assert!(rel(hi[level][row], xu / n * 1e5) < 1e-12, "{level} {row}");
        }
        assert!(lo[0][2].is_nan() && hi[1][2].is_nan());
    }

    // national 0.002, tau2 0.01, multiplier 1e5, z = scipy.stats.norm.ppf(0.975 / 0.999):
    // sd = sqrt(1/(4E) + tau2), limits 1e5 * national * (max(1 -/+ z sd, 0))^2 (Python).
    #[test]
    fn rate_funnel_with_overdispersion_matches_hand_formula() {
        let (lo, hi) = funnel_limits(
            FunnelKind::Rate,
            0.002,
            &[500.0, 10_000.0],
            &[0.95, 0.998],
            1e5,
            Some(0.01),
        )
        .unwrap();
        let want_lo = [
            [7.455_174_239_805_541e-5, 99.688_725_620_720_32],
            [0.0, 57.558_972_307_305_79],
        ];
        let want_hi = [
            [799.511_642_800_446_7, 334.884_403_765_526_77],
            [1326.862_049_943_709_5, 428.386_849_047_443_43],
        ];
        for j in 0..2 {
            for i in 0..2 {
                assert!(rel(lo[j][i], want_lo[j][i]) < 1e-9, "{j} {i} {}", lo[j][i]);
                assert!(rel(hi[j][i], want_hi[j][i]) < 1e-12, "{j} {i} {}", hi[j][i]);
            }
        }
    }

    // p0 = 0.3, multiplier 100, tau2 0.01: plain p0 -/+ z sqrt(p0 (1 - p0) / n) clipped to [0, 1];
    // overdispersed sin(clip(asin(sqrt p0) -/+ z sqrt(1/(4n) + tau2), 0, pi/2))^2 (Python).
    #[test]
    fn proportion_funnel_matches_hand_formula() {
        let ns = [8.0, 50.0, 400.0];
        let plain = funnel_limits(
            FunnelKind::Proportion,
            0.3,
            &ns,
            &[0.95, 0.998],
            100.0,
            None,
        )
        .unwrap();
        let od = funnel_limits(
            FunnelKind::Proportion,
            0.3,
            &ns,
            &[0.95, 0.998],
            100.0,
            Some(0.01),
        )
        .unwrap();
        #[rustfmt::skip]
        let want = [
            // (level, row, plain lo, plain hi, od lo, od hi)
            (0, 0, 0.0, 61.755_045_905_055_894, 3.260_667_104_007_130_2, 68.760_545_049_558_42),
            (0, 1, 17.297_981_637_977_64, 42.702_018_362_022_36, 11.095_857_719_294_763, 53.426_029_489_600_225),
            (0, 2, 25.509_158_340_728_97, 34.490_841_659_271_03, 13.594_049_435_962_411, 49.627_007_482_841_24),
            (1, 0, 0.0, 80.067_485_685_291_32, 0.0, 87.356_759_072_757_06),
            (1, 1, 9.973_005_725_883_475, 50.026_994_274_116_52, 3.992_447_341_115_329, 66.930_177_749_323_33),
            (1, 2, 22.919_388_270_994_023, 37.080_611_729_005_97, 6.664_096_343_715_863, 61.182_165_373_126_57),
        ];
        for (j, i, plo, phi, olo, ohi) in want {
            assert!(rel(plain.0[j][i], plo) < 1e-12, "{j} {i} {}", plain.0[j][i]);
            assert!(rel(plain.1[j][i], phi) < 1e-12, "{j} {i} {}", plain.1[j][i]);
            assert!(rel(od.0[j][i], olo) < 1e-12, "{j} {i} {}", od.0[j][i]);
            assert!(rel(od.1[j][i], ohi) < 1e-12, "{j} {i} {}", od.1[j][i]);
        }
        // clipping at 1: p0 = 0.9 at n = 4, 99.8%
        let (_, hi) =
            funnel_limits(FunnelKind::Proportion, 0.9, &[4.0], &[0.998], 1.0, None).unwrap();
        assert_eq!(hi[0][0], 1.0);
        let (_, hi) = funnel_limits(
            FunnelKind::Proportion,
            0.9,
            &[4.0],
            &[0.998],
            1.0,
            Some(0.5),
        )
        .unwrap();
        assert_eq!(hi[0][0], 1.0);
    }

    // national 0.002 (rates), 0.3 (proportions): Y = sqrt(O/E), z = (Y - 1) / s, s = 1/(2 sqrt E);
    // Y = asin(sqrt(x/n)), z = (Y - asin(sqrt 0.3)) / s, s = 1/(2 sqrt n) (Python, math module).
    #[test]
    fn transformed_zscores_match_hand_formula() {
        let (z, s) = transformed_zscores(
            FunnelKind::Rate,
            &[15.0, 0.0, 3.0, -1.0],
            &[5000.0, 5000.0, 500.0, 10.0],
            0.002,
        )
        .unwrap();
        let want = [
            (1.421_411_372_078_074_3, 0.158_113_883_008_418_97),
            (-6.324_555_320_336_758, 0.158_113_883_008_418_97),
            (1.464_101_615_137_754_4, 0.5),
        ];
        for (i, (wz, ws)) in want.into_iter().enumerate() {
            assert!(
                rel(z[i], wz) < 1e-13 && rel(s[i], ws) < 1e-13,
                "{i} {} {}",
                z[i],
                s[i]
            );
        }
        assert!(z[3].is_nan() && s[3].is_nan());
        // a zero denominator is unusable too: both NaN (not an infinite standard error)
        let (z, s) = transformed_zscores(FunnelKind::Rate, &[1.0], &[0.0], 0.002).unwrap();
        assert!(z[0].is_nan() && s[0].is_nan(), "{z:?} {s:?}");
        let (z, s) = transformed_zscores(FunnelKind::Proportion, &[0.0], &[0.0], 0.3).unwrap();
        assert!(z[0].is_nan() && s[0].is_nan(), "{z:?} {s:?}");
        let (z, s) = transformed_zscores(
            FunnelKind::Proportion,
            &[15.0, 0.0, 40.0, 41.0],
            &[40.0, 40.0, 40.0, 40.0],
            0.3,
        )
        .unwrap();
        let want = [
            1.004_570_806_201_450_5,
            -7.331_927_207_591_766,
            12.537_249_324_000_435,
        ];
        for (i, wz) in want.into_iter().enumerate() {
            assert!(rel(z[i], wz) < 1e-12, "{i} {}", z[i]);
            assert!(rel(s[i], 0.079_056_941_504_209_49) < 1e-14);
        }
        assert!(z[3].is_nan(), "a count above its denominator is unusable");
        assert!(transformed_zscores(FunnelKind::Rate, &[1.0], &[1.0, 2.0], 0.1).is_err());
        assert!(transformed_zscores(FunnelKind::Proportion, &[1.0], &[2.0], 1.5).is_err());
    }

    // Hand-worked: z = [3, NaN, -1, 0, 1], s = [0.1, 0.2, 0.2, 0.5, 0.25], trim 0 (no winsorising):
    // phi = (9 + 1 + 0 + 1) / 4 = 2.75; w = [100, 25, 4, 16] over the usable rows:
    // sum w = 145, sum w^2 = 10000 + 625 + 16 + 256 = 10897,
    // tau2 = (4 * 2.75 - 3) / (145 - 10897 / 145) = 8 / 69.848275862... = 0.114534...
    #[test]
    fn overdispersion_skips_unusable_rows_and_weights_by_se() {
        let z = [3.0, f64::NAN, -1.0, 0.0, 1.0];
        let s = [0.1, 0.2, 0.2, 0.5, 0.25];
        let od = overdispersion(&z, &s, 0.0).unwrap();
        assert_eq!(od.areas, 4);
        assert!(rel(od.phi, 2.75) < 1e-15, "{}", od.phi);
        let tau2 = 8.0 / (145.0 - 10_897.0 / 145.0);
        assert!(rel(od.tau2, tau2) < 1e-13, "{} {tau2}", od.tau2);
        assert!(od.winsorised[1].is_nan());
        assert_eq!(od.winsorised[0], 3.0);
        // exactly I phi = I - 1 gives tau2 = 0: z = [1, -1, 0, 1] -> phi = 3/4
        let od = overdispersion(&[1.0, -1.0, 0.0, 1.0], &[0.1; 4], 0.0).unwrap();
        assert!(rel(od.phi, 0.75) < 1e-15);
        assert_eq!(od.tau2, 0.0);
        assert!(overdispersion(&z, &s[1..], 0.1).is_err());
        assert!(overdispersion(&z, &s, 0.5).is_err());
        assert!(overdispersion(&z, &s, -0.1).is_err());
        assert!(overdispersion(&[f64::NAN, 1.0], &[0.1, 0.1], 0.1).is_err());
    }

    #[test]
    fn argument_checks() {
        assert_eq!(FunnelKind::parse("rate").unwrap(), FunnelKind::Rate);
        assert_eq!(
            FunnelKind::parse("proportion").unwrap(),
            FunnelKind::Proportion
        );
        assert!(funnel_limits(FunnelKind::Rate, -0.1, &[1.0], &[0.95], 1.0, None).is_err());
        assert!(
            funnel_limits(FunnelKind::Rate, f64::INFINITY, &[1.0], &[0.95], 1.0, None).is_err()
        );
        assert!(funnel_limits(FunnelKind::Proportion, -0.1, &[1.0], &[0.95], 1.0, None).is_err());
        assert!(funnel_limits(FunnelKind::Rate, 0.1, &[1.0], &[0.95], 0.0, None).is_err());
        assert!(funnel_limits(FunnelKind::Rate, 0.1, &[1.0], &[0.95], f64::NAN, None).is_err());
        assert!(funnel_limits(FunnelKind::Rate, 0.1, &[1.0], &[], 1.0, None).is_err());
        assert!(funnel_limits(FunnelKind::Rate, 0.1, &[1.0], &[1.0], 1.0, None).is_err());
        assert!(
            funnel_limits(FunnelKind::Rate, 0.1, &[1.0], &[0.95], 1.0, Some(f64::NAN)).is_err()
        );
        // boundary values are allowed: national 0 (rates), 0 and 1 (proportions), tau2 0
        assert!(funnel_limits(FunnelKind::Rate, 0.0, &[1.0], &[0.95], 1.0, None).is_ok());
        assert!(
            funnel_limits(FunnelKind::Proportion, 1.0, &[1.0], &[0.95], 1.0, Some(0.0)).is_ok()
        );
        assert!(funnel_limits(FunnelKind::Proportion, 0.0, &[1.0], &[0.95], 1.0, None).is_ok());
    }
}

/// Tests written for issue 18 (item 3: the core's numerical switches pinned by reference values).
#[cfg(test)]
mod mutant_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The incomplete gamma switches to the Wilson-Hilferty form when shape and expected count
    /// both exceed 1e8: the count limits just below, at and just above the switch agree with
    /// scipy to 1e-10 relative on both sides. Reference (scipy 1.17.1), with alpha = 1 - c:
    /// x_U = brentq(lambda a: scipy.special.gammainc(a, E) - alpha / 2, E - 10 sqrt(E),
    /// E + 10 sqrt(E), rtol=1e-15), x_L = that root for 1 - alpha / 2, minus 1.
    #[test]
    fn count_limits_either_side_of_the_wilson_hilferty_switch() {
        #[rustfmt::skip]
        let refs = [
            (99_999_999.0, 0.95, 99_980_399.333_844_96, 100_019_599.613_307_98),
            (99_999_999.0, 0.998, 99_969_097.602_065_03, 100_030_903.247_780_22),
            (1e8, 0.95, 99_980_400.333_746_97, 100_019_600.613_405_97),
            (1e8, 0.998, 99_969_098.601_910_52, 100_030_904.247_934_73),
            (100_000_001.0, 0.95, 99_980_401.333_648_96, 100_019_601.613_503_98),
            (100_000_001.0, 0.998, 99_969_099.601_756, 100_030_905.248_089_24),
        ];
        for (e, c, xl, xu) in refs {
            let (l, u) = poisson_count_limits(e, c).unwrap();
            assert!((l - xl).abs() < 1e-10 * xl, "{e} {c}: {l} vs {xl}");
            assert!((u - xu).abs() < 1e-10 * xu, "{e} {c}: {u} vs {xu}");
        }
    }

    /// Efficiency, not results: the shape solver is Illinois false position, which here takes
    /// 17 to 34 evaluations of P; falling back to bisection alone (what a wrong false-position
    /// step does: every step leaves the bracket) takes 55 to 72 for the same cases and gives
    /// the same roots to 1e-12, so only this count tells them apart (shard-0 and shard-1
    /// survivors funnel.rs:94:34). The roots themselves are pinned against scipy above and in
    /// `reference::poisson_count_limits_match_scipy`.
    #[test]
    fn shape_solver_is_false_position_not_bisection() {
        for e in [0.5, 3.0, 20.0, 351.0, 4429.0] {
            for target in [0.001, 0.025, 0.975] {
                let (a, evals) = solve_shape_counted(e, target);
                assert!(a > 0.0 && a.is_finite(), "{e} {target}: {a}");
                assert!(evals <= 40, "{e} {target}: {evals} evaluations");
            }
        }
    }
}

//! The core's trend fits pinned to statsmodels reference values (issue 18), so `cargo test`
//! (and `cargo mutants`) sees mistakes without the Python suite. Data are synthetic (typed
//! below); the expected values come from statsmodels 0.14 / scipy 1.17, run outside this
//! crate with the calls named beside them.

use crate::trend::glm::{fit_one, Family, GlmOptions};

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs().max(1e-300)
    }
}

const Y: [f64; 10] = [12.0, 15.0, 21.0, 19.0, 30.0, 34.0, 41.0, 38.0, 52.0, 60.0];

fn design() -> Vec<f64> {
    (0..10).flat_map(|t| [1.0, f64::from(t)]).collect()
}

fn opts(family: Family) -> GlmOptions {
    GlmOptions {
        family,
        ..GlmOptions::default()
    }
}

// sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-13): params, bse, tvalues, pvalues,
// llf, deviance, pearson_chi2
#[test]
fn poisson_matches_statsmodels_glm() {
    let f = fit_one(&Y, &design(), 2, &[0.0; 10], &opts(Family::Poisson)).unwrap();
    let want = [
        (f.coef[0], 2.610_770_782_364_360_4),
        (f.coef[1], 0.166_525_451_325_103_44),
        (f.se[0], 0.132_901_542_118_372_46),
        (f.se[1], 0.020_753_406_690_371_765),
        (f.z[0], 19.644_397_956_187_78),
        (f.z[1], 8.024_005_591_446_365),
        (f.pvalue[0], 6.455_769_038_880_706e-86),
        (f.pvalue[1], 1.023_516_407_095_556_7e-15),
        (f.loglik, -27.433_156_177_015_56),
        (f.deviance, 2.914_725_998_559_471_3),
        (f.pearson_chi2, 2.890_194_240_289_036_4),
    ];
    for (i, (got, exp)) in want.into_iter().enumerate() {
        assert!(rel(got, exp) < 1e-8, "{i}: {got} vs {exp}");
    }
    assert_eq!(f.scale, 1.0);
    assert_eq!(f.df_resid, 8.0);
    assert!(rel(f.dispersion, 2.890_194_240_289_036_4 / 8.0) < 1e-8);
    assert!(f.converged && f.note.is_none());
}

// .fit(scale="X2", tol=1e-13): the same coefficients, standard errors times sqrt(scale),
// scale = 0.361274280036131
#[test]
fn quasipoisson_matches_statsmodels_scale_x2() {
    let f = fit_one(&Y, &design(), 2, &[0.0; 10], &opts(Family::QuasiPoisson)).unwrap();
    let want = [
        (f.coef[1], 0.166_525_451_325_103_66),
        (f.se[0], 0.079_881_928_756_487_21),
        (f.se[1], 0.012_474_062_590_019_286),
        (f.z[1], 13.349_736_713_550_207),
        (f.pvalue[1], 1.188_683_005_710_87e-40),
        (f.scale, 0.361_274_280_036_131),
    ];
    for (i, (got, exp)) in want.into_iter().enumerate() {
        assert!(rel(got, exp) < 1e-8, "{i}: {got} vs {exp}");
    }
}

// offset = log([1000, 1100, 1150, 1200, 1300, 1320, 1400, 1500, 1550, 1600]):
// sm.GLM(y, X, family=Poisson(), offset=offset).fit(tol=1e-13)
#[test]
fn poisson_with_exposure_matches_statsmodels() {
    let exposure = [
        1000.0, 1100.0, 1150.0, 1200.0, 1300.0, 1320.0, 1400.0, 1500.0, 1550.0, 1600.0,
    ];
    let offset: Vec<f64> = exposure.iter().map(|e: &f64| e.ln()).collect();
    let f = fit_one(&Y, &design(), 2, &offset, &opts(Family::Poisson)).unwrap();
    let want = [
        (f.coef[0], -4.335_518_222_630_442_5),
        (f.coef[1], 0.116_891_548_109_847_31),
        (f.se[0], 0.133_389_075_529_406_63),
        (f.se[1], 0.020_845_743_707_789_77),
        (f.loglik, -27.424_002_754_914_75),
    ];
    for (i, (got, exp)) in want.into_iter().enumerate() {
        assert!(rel(got, exp) < 1e-8, "{i}: {got} vs {exp}");
    }
}

// statsmodels.discrete.discrete_model.NegativeBinomial(y, X, loglike_method="nb2"): fit, then
// Newton from there (score at the optimum below 4e-13): params (b0, b1, alpha), bse, llf
#[test]
fn negbin_matches_statsmodels_nb2() {
    let y = [12.0, 25.0, 9.0, 30.0, 14.0, 44.0, 20.0, 61.0, 25.0, 70.0];
    let f = fit_one(&y, &design(), 2, &[0.0; 10], &opts(Family::NegBin)).unwrap();
    let want = [
        (f.coef[0], 2.636_115_284_450_243),
        (f.coef[1], 0.155_150_580_367_494_07),
        (f.alpha, 0.165_108_388_704_687_64),
        (f.se[0], 0.274_002_339_013_430_1),
        (f.se[1], 0.049_417_291_165_557_674),
        (f.alpha_se, 0.089_011_742_785_588_43),
        (f.loglik, -38.930_340_244_486_36),
    ];
    for (i, (got, exp)) in want.into_iter().enumerate() {
        assert!(rel(got, exp) < 1e-6, "{i}: {got} vs {exp}");
    }
    assert!(rel(f.loglik, -38.930_340_244_486_36) < 1e-10);
    // Pearson chi-square of NB2 worked by hand at the fitted means, sum (y - mu)^2 / (mu +
    // alpha mu^2) (statsmodels: 9.010794457), and the dispersion it gives per residual degree
    // of freedom n - p = 8 (statsmodels' NegativeBinomial df_resid, and R's glm.nb
    // df.residual: alpha is not counted among the parameters).
    let x = design();
    let pearson: f64 = (0..10)
        .map(|i| {
            let mu = (f.coef[0] * x[2 * i] + f.coef[1] * x[2 * i + 1]).exp();
            (y[i] - mu).powi(2) / (mu + f.alpha * mu * mu)
        })
        .sum();
    assert!(rel(pearson, 9.010_794_457_111_961) < 1e-7, "{pearson}");
    assert!(rel(f.pearson_chi2, pearson) < 1e-10);
    assert_eq!(f.df_resid, 8.0);
    assert!(rel(f.dispersion, pearson / 8.0) < 1e-10);
}

// Joinpoint on ln(y) by least squares over the grid of observation times (NCI), one joinpoint
// chosen by BIC = ln(SSE_k / n) + 2 (k + 1) ln(n) / n. Reference: numpy.linalg.lstsq on
// [1, t, (t - t_j)+] for every allowed j (2..=9), the smallest SSE (j = 4), and the segment
// slopes of that fit. (Standard errors, p-values and limits follow the Joinpoint program's own
// method, segments fitted separately; they are checked against the program's exports in
// tests/trends/test_joinpoint_nci.py.)
#[test]
fn joinpoint_matches_least_squares_reference() {
    use crate::trend::joinpoint::{fit_series, CiMethod, JoinpointOptions, Selection};
    let y = [
        100.0, 112.0, 119.0, 135.0, 150.0, 141.0, 133.0, 128.0, 117.0, 110.0, 104.0, 99.0,
    ];
    let t: Vec<f64> = (0..12).map(f64::from).collect();
    let w = [1.0; 12];
    let opts = JoinpointOptions {
        min_joins: 0,
        max_joins: 1,
        min_end: 2,
        min_between: 2,
        selection: Selection::Bic,
        confidence: 0.95,
        jump_at: None,
        ci: CiMethod::Parametric,
    };
    let f = fit_series(&t, &y, &w, &opts, 0, &|| false).unwrap();
    assert_eq!(f.joins, vec![4]);
    assert!(rel(f.sse, 0.001_635_645_799_328_828) < 1e-9, "{}", f.sse);
    assert!(rel(f.sse_by_k[0], 0.196_449_623_502_718_83) < 1e-9);
    let n = 12.0_f64;
    for (k, sse) in [
        (0.0, 0.196_449_623_502_718_83),
        (1.0, 0.001_635_645_799_328_828),
    ] {
        let bic = (sse / n).ln() + 2.0 * (k + 1.0) * n.ln() / n;
        assert!(rel(f.bic_by_k[k as usize], bic) < 1e-9, "{k}");
    }
    // segment slopes of the lstsq fit
    let want = [0.101_394_928_957_698_17, -0.059_710_719_449_431_016];
    for (s, &e) in want.iter().enumerate() {
        let g = f.segments[s].slope;
        assert!(rel(g, e) < 1e-7, "segment {s}: {g} vs {e}");
    }
}

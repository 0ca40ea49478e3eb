//! Property tests (proptest) for the parsers that take user text: the period parser and the
//! force-name matcher. They run in `cargo test` with a modest case count; the open-ended
//! fuzzing of the same entry points lives in `fuzz/` (cargo-fuzz, run by hand).
//!
//! Properties: arbitrary text never panics either parser; every standard period round-trips
//! through its label; every spelling of every force in the reference matches that force, also
//! upper-cased, with `&` for `and` and with a `Police` suffix. Findings of the fuzzers are kept
//! as regression tests at the end.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;

use crate::areas::{normalise, reference};
use crate::period::{
    calendar_year, financial_year, fy_quarter, granules, iso, month, parse, ymd_to_days, Kind,
    Period,
};

/// Fragments users type in period spellings, glued together at random to reach the parser's
/// deeper branches (pure random strings rarely look like '2017/18 Q1').
const WORDS: [&str; 40] = [
    "2017",
    "2018",
    "18",
    "/",
    "-",
    "..",
    " ",
    " to ",
    " and ",
    "q1",
    "q5",
    "Q0",
    "fy",
    "cy",
    "year",
    "ending",
    "months",
    "twelve",
    "first",
    "from",
    "of",
    "april",
    "sept",
    "feb",
    "29",
    "31",
    "1st",
    "0",
    "9999",
    "4294967296",
    "2199",
    "1899",
    "quarter",
    "between",
    "until",
    "\u{2013}",
    "İ",
    "calendar year",
    "12",
    "999",
];

/// Day numbers of date(1, 1, 1) ..= date(9999, 12, 31): what Python can pass.
const PY_DATES: std::ops::RangeInclusive<i32> = -719_162..=2_932_896;

fn glued() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS.to_vec()), 0..8).prop_map(|w| w.join(" "))
}

fn glued_tight() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS.to_vec()), 0..8).prop_map(|w| w.concat())
}

fn standard_period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (1900i32..2199).prop_map(financial_year),
        (1900i32..2199, 1u32..=4).prop_map(|(y, q)| fy_quarter(y, q)),
        (1900i32..2200, 1u32..=12).prop_map(|(y, m)| month(y, m)),
        (1900i32..2200).prop_map(calendar_year),
    ]
}

fn day_in_range() -> impl Strategy<Value = i32> {
    // 1900-01-01 .. 2199-12-31
    let lo = ymd_to_days(1900, 1, 1).unwrap();
    let hi = ymd_to_days(2199, 12, 31).unwrap();
    lo..=hi
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_any_text(s in any::<String>()) {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_glued_fragments(s in glued(), t in glued_tight()) {
        let _ = parse(&s);
        let _ = parse(&t);
        let _ = parse(&format!("{s} to {t}"));
    }

    #[test]
    fn parsed_periods_are_well_formed(s in glued()) {
        if let Ok(p) = parse(&s) {
            prop_assert!(p.start <= p.end, "{s:?} -> {p:?}");
            prop_assert!(!p.label.is_empty());
            // the label is canonical: it parses back to the same period
            prop_assert_eq!(parse(&p.label).ok(), Some(p.clone()), "label of {:?}", s);
        }
    }

    #[test]
    fn standard_periods_round_trip_through_their_label(p in standard_period()) {
        let back = parse(&p.label).unwrap();
        prop_assert_eq!(&back, &p);
        // and through their bounds
        prop_assert_eq!(Period::from_bounds(p.start, p.end).unwrap(), p.clone());
        let iso_range = format!("{}..{}", iso(p.start), iso(p.end));
        prop_assert_eq!(parse(&iso_range).unwrap(), p);
    }

    #[test]
    fn windows_round_trip_through_their_label(a in day_in_range(), b in day_in_range()) {
        let (s, e) = (a.min(b), a.max(b));
        let p = Period::from_bounds(s, e).unwrap();
        prop_assert_eq!((p.start, p.end), (s, e));
        prop_assert_eq!(parse(&p.label).unwrap(), p);
        prop_assert!(Period::from_bounds(e + 1, s).is_err() || e < s);
    }

    #[test]
    fn quarters_tile_a_financial_year(y in 1900i32..2199) {
        let fy = financial_year(y);
        let qs = granules(fy.start, fy.end, Kind::Quarter).unwrap();
        prop_assert_eq!(qs.len(), 4);
        prop_assert_eq!(qs[0].start, fy.start);
        prop_assert_eq!(qs[3].end, fy.end);
        let months = granules(fy.start, fy.end, Kind::Month).unwrap();
        prop_assert_eq!(months.iter().map(Period::days).sum::<i32>(), fy.days());
    }

    #[test]
    fn shift_years_never_panics(p in standard_period(), n in any::<i32>()) {
        let _ = p.shift_years(n);
    }

    #[test]
    fn from_bounds_never_panics(a in PY_DATES, b in PY_DATES) {
        // every pair of Python dates (years 1 to 9999), as the bindings receive them
        let _ = Period::from_bounds(a, b);
    }

    #[test]
    fn matcher_never_panics_on_any_text(s in any::<String>()) {
        let r = reference().unwrap();
        let _ = normalise(&s);
        let _ = r.find(&s);
        let _ = r.suggest(&s);
        if let Err(e) = r.lookup(&s) {
            prop_assert!(!e.to_string().is_empty());
        }
        let m = r.match_many(&[s.as_str(), "Kent", s.as_str()]);
        prop_assert_eq!(m.indices.len(), 3);
        prop_assert!(m.indices[1] >= 0);
    }

    #[test]
    fn every_spelling_matches_its_force(i in 0usize..1000, upper in any::<bool>(),
                                        suffix in prop::sample::select(vec!["", " Police", " Constabulary", "  "])) {
        let r = reference().unwrap();
        let forces = r.forces();
        let f = &forces[i % forces.len()];
        for name in f.names() {
            let mut s = format!("{name}{suffix}");
            if upper {
                s = s.to_uppercase();
            }
            let amp = s.replace(" and ", " & ").replace(" AND ", " & ");
            for v in [s.as_str(), amp.as_str()] {
                let got = r.find(v).map(|j| forces[j].force.as_str());
                prop_assert_eq!(got, Some(f.force.as_str()), "spelling {:?}", v);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regression tests: inputs found by the fuzzers / property tests, kept.
// ---------------------------------------------------------------------------------------------

#[test]
fn regression_inputs_do_not_panic() {
    for s in [
        "",
        " ",
        "q",
        "q99999999999999999999 2017/18",
        "quarter 99999999999999999999 2017/18",
        "999 months to 2017-04-01",
        "first 999 months from 2199",
        "first 999 months of 2017/18",
        "twenty-four months to 1900-01-01",
        "12 months to 1900-01-01",
        "2199/00",
        "1899/00",
        "2199-12-31..1900-01-01",
        "31 february 2017",
        "january 99999999999 to december 2017",
        "İ2017",
        "fy",
        "fy/",
        "-",
        "..",
        "2017-18..",
    ] {
        let _ = parse(s);
        let _ = reference().unwrap().lookup(s);
    }
}

#[test]
fn regression_exact_poisson_huge_count_is_fast_and_continuous() {
    use crate::intervals::exact_poisson;
    // poisson_ci([2**62]) ran for minutes (statrs' chi-square quantile is O(sqrt(df))).
    let x = 4.611_686_018_427_388e18;
    let (lo, hi) = exact_poisson(x, 0.95);
    assert!(
        lo.is_finite() && hi.is_finite() && lo < x && x < hi,
        "{lo} {hi}"
    );
    // continuous where the exact computation hands over to Wilson-Hilferty
    let (a_lo, a_hi) = exact_poisson(1e8, 0.95);
    let (b_lo, b_hi) = exact_poisson(1e8 + 1.0, 0.95);
    assert!((b_lo - a_lo - 1.0).abs() < 1e-2, "{a_lo} {b_lo}");
    assert!((b_hi - a_hi - 1.0).abs() < 1e-2, "{a_hi} {b_hi}");
}

#[test]
fn regression_rate_ratio_huge_counts_terminate() {
    use crate::compare::{rate_ratio, Alternative};
    // rate_ratio_test([1e15], [1e15 + 2**20]) looped for ever inside statrs' inv_beta_reg; now
    // totals above 1e10 give NaN p-value and limits, the statistic is still computed.
    for (x1, x2) in [
        (1e15, 1e15 + 1_048_576.0),
        (4.611_686_018_427_388e18, 4.611_686_018_427_388e18),
    ] {
        let r = rate_ratio(x1, x2, 1.0, 1.0, 1.0, Alternative::TwoSided, 0.95);
        assert!(
            r.pvalue.is_nan() && r.lower.is_nan() && r.upper.is_nan(),
            "{r:?}"
        );
        assert!((r.statistic - x1 / x2).abs() < 1e-15, "{r:?}");
    }
    // just below the limit, the exact interval holds the estimate
    let r = rate_ratio(4e9, 4e9 + 2e5, 1.0, 1.0, 1.0, Alternative::TwoSided, 0.95);
    assert!(r.lower < r.statistic && r.statistic < r.upper, "{r:?}");
}

#[test]
fn regression_funnel_limits_huge_expected_count() {
    use crate::funnel::poisson_count_limits;
    // a funnel around counts near 2^62 took minutes (incomplete gamma is O(sqrt(a)))
    let e = 4.611_686_018_427_388e18;
    let (lo, hi) = poisson_count_limits(e, 0.95).unwrap();
    let half = 1.959_963_984_540_054 * e.sqrt();
    assert!(((e - lo) / half - 1.0).abs() < 1e-3, "{lo}");
    assert!(((hi - e) / half - 1.0).abs() < 1e-3, "{hi}");
    // continuous where the approximation takes over
    let (a_lo, a_hi) = poisson_count_limits(0.999e8, 0.95).unwrap();
    let (b_lo, b_hi) = poisson_count_limits(1.001e8, 0.95).unwrap();
    assert!(b_lo > a_lo && b_hi > a_hi && b_lo - a_lo < 2.1e5 && b_hi - a_hi < 2.1e5);
}

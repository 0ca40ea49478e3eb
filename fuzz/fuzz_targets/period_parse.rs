//! Fuzz `groomstats::period::parse`: any text must give a period or an error, never a panic
//! (overflow included: fuzz builds check arithmetic). A parsed period must be well formed and
//! its canonical label must parse back to the same period.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(p) = groomstats::period::parse(&text) {
        assert!(p.start <= p.end, "{text:?} -> {p:?}");
        let back = groomstats::period::parse(&p.label);
        assert_eq!(back.ok(), Some(p.clone()), "label of {text:?} does not round-trip");
        let _ = p.shift_years(-1);
    }
});

//! Fuzz the force-name matcher (`groomstats::areas`): any text must match a force or give an
//! `UnknownArea` error with at most a suggestion, never a panic. A match must be stable under
//! normalisation (matching the normalised text gives the same force).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(r) = groomstats::areas::reference() else {
        return;
    };
    let found = r.find(&text);
    if let Some(i) = found {
        let again = r.find(&groomstats::areas::normalise(&text));
        assert_eq!(again, Some(i), "{text:?} matches, its normalised form does not");
    } else {
        let _ = r.suggest(&text);
        assert!(r.lookup(&text).is_err());
    }
    let m = r.match_many(&[text.as_ref(), "Kent"]);
    assert_eq!(m.indices.len(), 2);
});

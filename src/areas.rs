//! The police force reference: the 43 territorial police force areas of England and Wales
//! (ONS code, canonical name, region, nation, every name variant seen in the source products)
//! plus the non-territorial bodies that appear in Home Office tables, and the forces of the
//! other two UK nations (Police Scotland, the PSNI), known by name for NSPCC UK-wide figures but
//! not territorial forces of England and Wales.
//!
//! The reference is `python/groomstats/data/forces.csv`, built from the ONS/Home Office
//! reference files (see `python/groomstats/data/SOURCES.md`), embedded at compile time and
//! parsed once. Matching is case- and punctuation-insensitive: `&` and `and` are the same,
//! `(pfa)` and a trailing `Police`/`Constabulary` are ignored, `Dyfed Powys` equals `Dyfed-Powys`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{CoreError, CoreResult};

const FORCES_CSV: &str = include_str!("../python/groomstats/data/forces.csv");

/// Words dropped from the end of a name before matching ("Kent Police", "Avon and Somerset
/// Constabulary", "Metropolitan Police Service").
const SUFFIXES: [&str; 4] = ["police", "constabulary", "service", "force"];

/// Words dropped from the start of a name before matching ("the Met", "Heddlu De Cymru":
/// *heddlu* is Welsh for police).
const PREFIXES: [&str; 2] = ["the", "heddlu"];

/// Jaro-Winkler similarity a name must reach to be offered as a suggestion.
const SUGGEST_CUTOFF: f64 = 0.8;

/// One row of the reference: a territorial force area or a non-territorial body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Force {
    /// ONS police force area code (`E23000001`..`E23000039`, `W15000001`..`W15000004`);
    /// `None` for non-territorial bodies.
    pub force_code: Option<String>,
    /// Canonical name (the Home Office PRC open-data spelling; `City of London`).
    pub force: String,
    /// English region or `Wales`; `None` for non-territorial bodies.
    pub region: Option<String>,
    /// `England` or `Wales`; `Scotland` / `Northern Ireland` for Police Scotland and the PSNI;
    /// `None` for non-territorial bodies.
    pub nation: Option<String>,
    /// True for the 43 territorial forces of England and Wales only: false for British
    /// Transport Police, Action Fraud, CIFAS, UK Finance, FFA UK, Police Scotland and the PSNI.
    pub territorial: bool,
    /// Other spellings, separated by `|`.
    aliases: String,
}

impl Force {
    /// Every spelling of this force: canonical name first, then the variants.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.force.as_str())
            .chain(self.aliases.split('|').filter(|a| !a.trim().is_empty()))
    }
}

/// The parsed reference and its lookup table from normalised spelling to row.
#[derive(Debug)]
pub struct Reference {
    forces: Vec<Force>,
    index: HashMap<String, usize>,
}

impl Reference {
    fn parse(text: &str) -> CoreResult<Self> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut forces: Vec<Force> = Vec::new();
        for (i, rec) in reader.deserialize::<Force>().enumerate() {
            let f = rec.map_err(|e| {
                CoreError::DataFormat(format!("force reference, row {}: {e}", i + 2))
            })?;
            forces.push(f);
        }
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, f) in forces.iter().enumerate() {
            for name in f.names() {
                let key = normalise(name);
                if let Some(&j) = index.get(&key) {
                    if j != i {
                        return Err(CoreError::DataFormat(format!(
                            "force reference: '{name}' names both '{}' and '{}'",
                            forces[j].force, f.force
                        )));
                    }
                }
                index.insert(key, i);
            }
        }
        Ok(Self { forces, index })
    }

    /// All rows, territorial forces first (in ONS code order), then the other bodies.
    pub fn forces(&self) -> &[Force] {
        &self.forces
    }

    /// Row index of `name`, or `None`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.index.get(&normalise(name)).copied()
    }

    /// The canonical name closest to `name`, if any is close enough.
    pub fn suggest(&self, name: &str) -> Option<String> {
        let key = normalise(name);
        let mut best: Option<(f64, usize)> = None;
        for (alias, &i) in &self.index {
            let s = strsim::jaro_winkler(&key, alias);
            let better = match best {
                Some((b, j)) => s > b || (s == b && i < j),
                None => true,
            };
            if better {
                best = Some((s, i));
            }
        }
        match best {
            Some((s, i)) if s >= SUGGEST_CUTOFF => Some(self.forces[i].force.clone()),
            _ => None,
        }
    }

    /// The forces a name that matches none of them could mean: every force whose name
    /// contains all the words of `name` ("Wales", "Yorkshire") or whose region is `name`
    /// ("London": the Metropolitan Police and the City of London). Empty when `name` matches a
    /// force exactly or no word of it is shared.
    pub fn candidates(&self, name: &str) -> Vec<String> {
        let key = normalise(name);
        if key.is_empty() || self.index.contains_key(&key) {
            return Vec::new();
        }
        let wanted: Vec<&str> = key.split_whitespace().collect();
        self.forces
            .iter()
            .filter(|f| {
                let in_region = f.region.as_deref().is_some_and(|r| normalise(r) == key);
                let by_words = f.names().any(|n| {
                    let n = normalise(n);
                    let words: Vec<&str> = n.split_whitespace().collect();
                    wanted.iter().all(|w| words.contains(w))
                });
                in_region || by_words
            })
            .map(|f| f.force.clone())
            .collect()
    }

    /// Why `name` matched nothing: ambiguous between several forces (with the candidates) or
    /// unknown (with the closest suggestion).
    fn failure(&self, name: &str) -> CoreError {
        let candidates = self.candidates(name);
        if candidates.len() > 1 {
            CoreError::AmbiguousArea {
                name: name.to_string(),
                candidates,
            }
        } else {
            CoreError::UnknownArea {
                name: name.to_string(),
                suggestion: candidates.into_iter().next().or_else(|| self.suggest(name)),
            }
        }
    }

    /// Row index of `name`, or `CoreError::UnknownArea` with the closest suggestion, or
    /// `CoreError::AmbiguousArea` listing the forces it could mean.
    pub fn lookup(&self, name: &str) -> CoreResult<usize> {
        self.find(name).ok_or_else(|| self.failure(name))
    }

    /// Match many names at once. Unknown names get index -1; the first one is reported with
    /// its position and the closest suggestion.
    pub fn match_many<S: AsRef<str>>(&self, names: &[S]) -> Matches {
        let mut indices = Vec::with_capacity(names.len());
        let mut first_failure = None;
        for (row, name) in names.iter().enumerate() {
            match self.find(name.as_ref()) {
                Some(i) => indices.push(i as i64),
                None => {
                    indices.push(-1);
                    if first_failure.is_none() {
                        let (suggestion, candidates) = match self.failure(name.as_ref()) {
                            CoreError::AmbiguousArea { candidates, .. } => (None, candidates),
                            CoreError::UnknownArea { suggestion, .. } => (suggestion, Vec::new()),
                            _ => (None, Vec::new()),
                        };
                        first_failure = Some(Failure {
                            row,
                            name: name.as_ref().to_string(),
                            suggestion,
                            candidates,
                        });
                    }
                }
            }
        }
        Matches {
            indices,
            first_failure,
        }
    }
}

/// The first name that matched nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// 0-based position in the input.
    pub row: usize,
    /// The value as given.
    pub name: String,
    /// The closest canonical name, if any is close.
    pub suggestion: Option<String>,
    /// The forces an ambiguous name could mean (two or more), else empty.
    pub candidates: Vec<String>,
}

/// Result of [`Reference::match_many`].
#[derive(Debug, Clone, PartialEq)]
pub struct Matches {
    /// Row of the reference per input name, -1 when unknown.
    pub indices: Vec<i64>,
    /// The first unknown name, if any.
    pub first_failure: Option<Failure>,
}

/// Normalise a force name for matching: lower case, `&` -> `and`, `(pfa)` dropped,
/// punctuation -> space, whitespace collapsed, a trailing `police`/`constabulary`/`service`
/// dropped.
pub fn normalise(name: &str) -> String {
    let lower = name
        .to_lowercase()
        .replace("(pfa)", " ")
        .replace('&', " and ");
    let cleaned: String = lower
        .chars()
        .filter(|c| *c != '\'' && *c != '\u{2019}')
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
        words.pop();
    }
    while words.len() > 1 && words.first().is_some_and(|w| PREFIXES.contains(w)) {
        words.remove(0);
    }
    words.join(" ")
}

static REFERENCE: OnceLock<CoreResult<Reference>> = OnceLock::new();

/// The embedded reference, parsed on first use.
pub fn reference() -> CoreResult<&'static Reference> {
    REFERENCE
        .get_or_init(|| Reference::parse(FORCES_CSV))
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn by_name(name: &str) -> &'static Force {
        let r = reference().unwrap();
        &r.forces()[r.lookup(name).unwrap()]
    }

    #[test]
    fn reference_has_43_territorial_forces_5_other_bodies_and_2_other_nations() {
        let r = reference().unwrap();
        let territorial: Vec<_> = r.forces().iter().filter(|f| f.territorial).collect();
        assert_eq!(territorial.len(), 43);
        assert_eq!(r.forces().len(), 50);
        let others: Vec<_> = r
            .forces()
            .iter()
            .filter(|f| matches!(f.nation.as_deref(), Some("Scotland" | "Northern Ireland")))
            .map(|f| f.force.as_str())
            .collect();
        assert_eq!(
            others,
            ["Police Scotland", "Police Service of Northern Ireland"]
        );
        assert_eq!(by_name("PSNI").force, "Police Service of Northern Ireland");
        assert!(territorial
            .iter()
            .all(|f| f.force_code.is_some() && f.region.is_some()));
        let wales = territorial
            .iter()
            .filter(|f| f.region.as_deref() == Some("Wales"))
            .count();
        assert_eq!(wales, 4);
        assert!(r
            .forces()
            .iter()
            .filter(|f| !f.territorial)
            .all(|f| f.force_code.is_none() && f.region.is_none()));
    }

    #[test]
    fn newsroom_shorthand_and_welsh_names_match() {
        for (name, canonical) in [
            ("GMP", "Greater Manchester"),
            ("Greater Manchester Police", "Greater Manchester"),
            ("Manchester", "Greater Manchester"),
            ("TVP", "Thames Valley"),
            ("the Met", "Metropolitan Police"),
            ("Met Police", "Metropolitan Police"),
            ("The Metropolitan Police Service", "Metropolitan Police"),
            ("Hants", "Hampshire"),
            ("Hampshire and Isle of Wight Constabulary", "Hampshire"),
            ("BTP", "British Transport Police"),
            ("Heddlu De Cymru", "South Wales"),
            ("Heddlu Gogledd Cymru", "North Wales"),
            ("Heddlu Dyfed-Powys", "Dyfed-Powys"),
            ("Heddlu Gwent", "Gwent"),
        ] {
            assert_eq!(by_name(name).force, canonical, "{name}");
        }
    }

    #[test]
    fn ambiguous_names_list_every_candidate() {
        let r = reference().unwrap();
        let err = r.lookup("Yorkshire").unwrap_err();
        assert_eq!(
            err,
            CoreError::AmbiguousArea {
                name: "Yorkshire".into(),
                candidates: vec![
                    "North Yorkshire".into(),
                    "West Yorkshire".into(),
                    "South Yorkshire".into()
                ],
            }
        );
        assert_eq!(
            err.to_string(),
            "Ambiguous force 'Yorkshire': it could mean 'North Yorkshire', 'West Yorkshire' or \
             'South Yorkshire' — name one of them"
        );
        // "London" is the region of two forces, not the City of London alone
        let london = r.lookup("London").unwrap_err();
        assert!(
            matches!(&london, CoreError::AmbiguousArea { candidates, .. }
                if candidates == &["Metropolitan Police", "City of London"]),
            "{london:?}"
        );
        let wales = r.lookup("Wales Police").unwrap_err();
        assert!(
            matches!(&wales, CoreError::AmbiguousArea { candidates, .. } if candidates.len() == 4),
            "{wales:?}"
        );
        // one candidate by its words: suggested, never matched silently
        assert_eq!(
            r.lookup("Cornwall").unwrap_err(),
            CoreError::UnknownArea {
                name: "Cornwall".into(),
                suggestion: Some("Devon and Cornwall".into())
            }
        );
        let m = r.match_many(&["Kent", "Yorkshire"]);
        let f = m.first_failure.unwrap();
        assert_eq!((f.row, f.candidates.len(), f.suggestion), (1, 3, None));
    }

    #[test]
    fn variants_match_the_same_force() {
        for (name, canonical, code) in [
            ("Devon & Cornwall", "Devon and Cornwall", "E23000035"),
            (
                "devon and cornwall police",
                "Devon and Cornwall",
                "E23000035",
            ),
            (
                "Avon & Somerset Constabulary",
                "Avon and Somerset",
                "E23000036",
            ),
            ("West Midlands (pfa)", "West Midlands", "E23000014"),
            ("Dyfed Powys", "Dyfed-Powys", "W15000004"),
            ("London, City of", "City of London", "E23000034"),
            (
                "Metropolitan Police Service",
                "Metropolitan Police",
                "E23000001",
            ),
            ("  KENT  ", "Kent", "E23000032"),
        ] {
            let f = by_name(name);
            assert_eq!(f.force, canonical, "{name}");
            assert_eq!(f.force_code.as_deref(), Some(code), "{name}");
        }
        assert!(!by_name("Cifas").territorial);
        assert_eq!(by_name("Cifas").force, "CIFAS");
        assert_eq!(by_name("British Transport Police").force_code, None);
    }

    #[test]
    fn unknown_force_suggests_closest() {
        let e = reference().unwrap().lookup("Thames Vally").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Unknown force 'Thames Vally' — did you mean 'Thames Valley'?"
        );
        let e = reference().unwrap().lookup("Atlantis").unwrap_err();
        assert_eq!(e.to_string(), "Unknown force 'Atlantis'");
    }

    #[test]
    fn match_many_reports_first_failure() {
        let m = reference()
            .unwrap()
            .match_many(&["Kent", "Kentt", "Surrey", "Nowhere"]);
        assert_eq!(m.indices[1], -1);
        assert_eq!(m.indices[3], -1);
        assert!(m.indices[0] >= 0 && m.indices[2] >= 0);
        let f = m.first_failure.unwrap();
        assert_eq!(f.row, 1);
        assert_eq!(f.name, "Kentt");
        assert_eq!(f.suggestion.as_deref(), Some("Kent"));
    }

    #[test]
    fn normalise_is_punctuation_insensitive() {
        assert_eq!(normalise("Dyfed-Powys Police"), "dyfed powys");
        assert_eq!(normalise("Police"), "police");
        assert_eq!(normalise("London, City of"), "london city of");
    }
}

//! The one error type of the core. No pyo3 here: `bindings::errors` converts it once.

use thiserror::Error;

/// Every way the core can refuse its input.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CoreError {
    /// A value in an input table is not what its column should hold.
    #[error("{0}")]
    DataFormat(String),
    /// A force, region or nation name that matches nothing known.
    #[error("Unknown force '{name}'{}", suggestion_text(.suggestion))]
    UnknownArea {
        name: String,
        suggestion: Option<String>,
    },
    /// A force name that could mean several forces ("Yorkshire", "London", "Wales").
    #[error("Ambiguous force '{name}': it could mean {} — name one of them", candidates_text(.candidates))]
    AmbiguousArea {
        name: String,
        candidates: Vec<String>,
    },
    /// A period spelling that cannot be parsed or does not exist.
    #[error("{0}")]
    Period(String),
    /// An argument outside its domain (confidence level, lengths that differ, ...).
    #[error("{0}")]
    InvalidArgument(String),
    /// A fit that could not be carried out (too few points, singular design, ...).
    #[error("{0}")]
    Fit(String),
}

fn suggestion_text(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" — did you mean '{s}'?"),
        None => String::new(),
    }
}

fn candidates_text(c: &[String]) -> String {
    let quoted: Vec<String> = c.iter().map(|s| format!("'{s}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Short alias used across the core.
pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_area_message_names_value_and_suggestion() {
        let e = CoreError::UnknownArea {
            name: "Thames Vally".into(),
            suggestion: Some("Thames Valley".into()),
        };
        assert_eq!(
            e.to_string(),
            "Unknown force 'Thames Vally' — did you mean 'Thames Valley'?"
        );
    }
}

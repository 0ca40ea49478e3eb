//! Bindings for `crate::areas`: the force reference and vectorised name matching.

use numpy::IntoPyArray;
use pyo3::prelude::*;

use crate::areas;
use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::bindings::results::{ForceAliases, ForceMatches, ForceReference, MatchFailure};

/// The force reference as columns.
#[pyfunction]
fn force_reference() -> PyResult<ForceReference> {
    let r = areas::reference().py()?;
    let f = r.forces();
    Ok(ForceReference {
        force_code: f.iter().map(|x| x.force_code.clone()).collect(),
        force: f.iter().map(|x| x.force.clone()).collect(),
        region: f.iter().map(|x| x.region.clone()).collect(),
        nation: f.iter().map(|x| x.nation.clone()).collect(),
        territorial: f.iter().map(|x| x.territorial).collect(),
    })
}

/// Every spelling known per reference row, as parallel lists of row index and name.
#[pyfunction]
fn force_aliases() -> PyResult<ForceAliases> {
    let r = areas::reference().py()?;
    let mut rows = Vec::new();
    let mut names = Vec::new();
    for (i, f) in r.forces().iter().enumerate() {
        for n in f.names() {
            rows.push(i as i64);
            names.push(n.to_string());
        }
    }
    Ok(ForceAliases {
        row: rows,
        name: names,
    })
}

/// Row of the reference for one name; raises UnknownAreaError with a suggestion.
#[pyfunction]
fn match_force_index(name: &str) -> PyResult<usize> {
    areas::reference().py()?.lookup(name).py()
}

/// Rows of the reference for many names (-1 when unknown) and the first failure, or None.
#[pyfunction]
fn match_forces(py: Python<'_>, names: Vec<String>) -> PyResult<ForceMatches> {
    let r = areas::reference().py()?;
    let m = parallel::detach(py, || r.match_many(&names))?;
    let failure = match m.first_failure {
        Some(f) => Some(Py::new(
            py,
            MatchFailure {
                position: f.row,
                name: f.name,
                suggestion: f.suggestion,
            },
        )?),
        None => None,
    };
    Ok(ForceMatches {
        indices: m.indices.into_pyarray(py).unbind(),
        failure,
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(force_reference, m)?)?;
    m.add_function(wrap_pyfunction!(force_aliases, m)?)?;
    m.add_function(wrap_pyfunction!(match_force_index, m)?)?;
    m.add_function(wrap_pyfunction!(match_forces, m)?)?;
    Ok(())
}

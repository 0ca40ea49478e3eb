//! Bindings for `crate::areas`: the force reference and vectorised name matching.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::areas;
use crate::bindings::errors::IntoPyResult;

/// Reference columns.
type ReferenceColumns = (
    Vec<Option<String>>,
    Vec<String>,
    Vec<Option<String>>,
    Vec<Option<String>>,
    Vec<bool>,
);

/// The force reference as columns: (force_code, force, region, nation, territorial).
#[pyfunction]
fn force_reference() -> PyResult<ReferenceColumns> {
    let r = areas::reference().py()?;
    let f = r.forces();
    Ok((
        f.iter().map(|x| x.force_code.clone()).collect(),
        f.iter().map(|x| x.force.clone()).collect(),
        f.iter().map(|x| x.region.clone()).collect(),
        f.iter().map(|x| x.nation.clone()).collect(),
        f.iter().map(|x| x.territorial).collect(),
    ))
}

/// Every spelling known per reference row, as (row index, name) pairs.
#[pyfunction]
fn force_aliases() -> PyResult<(Vec<i64>, Vec<String>)> {
    let r = areas::reference().py()?;
    let mut rows = Vec::new();
    let mut names = Vec::new();
    for (i, f) in r.forces().iter().enumerate() {
        for n in f.names() {
            rows.push(i as i64);
            names.push(n.to_string());
        }
    }
    Ok((rows, names))
}

/// Row of the reference for one name; raises UnknownAreaError with a suggestion.
#[pyfunction]
fn match_force_index(name: &str) -> PyResult<usize> {
    areas::reference().py()?.lookup(name).py()
}

/// Rows of the reference for many names (-1 when unknown) and the first failure as
/// (position, name, suggestion), or None.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn match_forces<'py>(
    py: Python<'py>,
    names: Vec<String>,
) -> PyResult<(
    Bound<'py, PyArray1<i64>>,
    Option<(usize, String, Option<String>)>,
)> {
    let r = areas::reference().py()?;
    let m = py.detach(|| r.match_many(&names));
    let failure = m.first_failure.map(|f| (f.row, f.name, f.suggestion));
    Ok((m.indices.into_pyarray(py), failure))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(force_reference, m)?)?;
    m.add_function(wrap_pyfunction!(force_aliases, m)?)?;
    m.add_function(wrap_pyfunction!(match_force_index, m)?)?;
    m.add_function(wrap_pyfunction!(match_forces, m)?)?;
    Ok(())
}

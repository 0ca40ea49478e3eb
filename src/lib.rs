//! groomstats core: pure-Rust statistics for police-recorded grooming crimes,
//! with thin pyo3 bindings (module `groomstats._core`).

pub mod aggregate;
pub mod areas;
pub mod bindings;
pub mod compare;
pub mod error;
pub mod funnel;
pub mod intervals;
pub mod period;
#[cfg(test)]
mod proptests;
pub mod trend;

use pyo3::prelude::*;

/// The compiled module. Only registration here.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    bindings::parallel::note_process(); // a forked child then knows it is one (parallel.rs)
    bindings::errors::register(m)?;
    bindings::intervals::register(m)?;
    bindings::areas::register(m)?;
    bindings::period::register(m)?;
    bindings::aggregate::register(m)?;
    bindings::compare::register(m)?;
    bindings::funnel::register(m)?;
    bindings::trend::register(m)?;
    Ok(())
}

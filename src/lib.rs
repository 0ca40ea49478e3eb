//! groomstats core: pure-Rust statistics for police-recorded grooming crimes.
//!
//! The core modules (everything except `bindings`) never see pyo3 or numpy: those
//! dependencies are optional and only compiled with the cargo feature `python`, which maturin
//! enables (pyproject.toml `[tool.maturin] features`). Plain `cargo build` / `cargo test`
//! build the core alone, so the compiler enforces the split.

pub mod aggregate;
pub mod areas;
#[cfg(feature = "python")]
pub mod bindings;
pub mod compare;
pub mod distinct;
pub mod error;
pub mod funnel;
pub mod intervals;
pub mod period;
#[cfg(test)]
mod proptests;
pub mod trend;

#[cfg(feature = "python")]
use pyo3::prelude::*;

/// The compiled module `groomstats._core`. Only registration here.
#[cfg(feature = "python")]
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    bindings::parallel::note_process(); // a forked child then knows it is one (parallel.rs)
    bindings::errors::register(m)?;
    bindings::results::register(m)?;
    bindings::intervals::register(m)?;
    bindings::areas::register(m)?;
    bindings::period::register(m)?;
    bindings::aggregate::register(m)?;
    bindings::compare::register(m)?;
    bindings::funnel::register(m)?;
    bindings::trend::register(m)?;
    bindings::comparability::register(m)?;
    Ok(())
}

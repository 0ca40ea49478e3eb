//! Thin #[pyfunction] wrappers: numpy in, numpy out, errors converted once (see `errors`).
//! Each submodule has a `register` function called from `lib.rs`.

pub mod aggregate;
pub mod areas;
pub mod compare;
pub mod errors;
pub mod funnel;
pub mod intervals;
pub mod parallel;
pub mod period;
pub mod trend;

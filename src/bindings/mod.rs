//! Thin #[pyfunction] wrappers: numpy in, named results out (`results`), errors converted
//! once (see `errors`). Option strings are parsed by the core (`FromStr`), never here.
//! Compiled only with the cargo feature `python`.
//! Each submodule has a `register` function called from `lib.rs`.

pub mod aggregate;
pub mod areas;
pub mod comparability;
pub mod compare;
pub mod errors;
pub mod funnel;
pub mod intervals;
pub mod parallel;
pub mod period;
pub mod results;
pub mod trend;

//! The Python exception classes and the one conversion from `CoreError`.

use crate::error::CoreError;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    groomstats,
    GroomstatsError,
    PyValueError,
    "Base class of every error groomstats raises on bad input (a ValueError)."
);
create_exception!(
    groomstats,
    DataFormatError,
    GroomstatsError,
    "A file or frame does not have the layout or values expected; the message names file, row, column and value."
);
create_exception!(
    groomstats,
    UnknownAreaError,
    GroomstatsError,
    "A force, region or nation name matches nothing known; the message suggests the closest name."
);
create_exception!(
    groomstats,
    PeriodError,
    GroomstatsError,
    "A period or window spelling cannot be parsed, does not exist, or does not fit the data."
);
create_exception!(
    groomstats,
    FitError,
    GroomstatsError,
    "A model fit could not be carried out (too few points, singular design, no convergence)."
);

/// Convert the core error into the matching Python exception.
pub fn to_pyerr(e: CoreError) -> PyErr {
    let msg = e.to_string();
    match e {
        CoreError::DataFormat(_) => DataFormatError::new_err(msg),
        CoreError::UnknownArea { .. } | CoreError::AmbiguousArea { .. } => {
            UnknownAreaError::new_err(msg)
        }
        CoreError::Period(_) => PeriodError::new_err(msg),
        CoreError::InvalidArgument(_) => GroomstatsError::new_err(msg),
        CoreError::Fit(_) => FitError::new_err(msg),
    }
}

/// Extension so bindings can write `core_fn(..).py()?`.
pub trait IntoPyResult<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, CoreError> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_pyerr)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("GroomstatsError", py.get_type::<GroomstatsError>())?;
    m.add("DataFormatError", py.get_type::<DataFormatError>())?;
    m.add("UnknownAreaError", py.get_type::<UnknownAreaError>())?;
    m.add("PeriodError", py.get_type::<PeriodError>())?;
    m.add("FitError", py.get_type::<FitError>())?;
    Ok(())
}

//! Named results of the bindings: frozen pyclasses whose fields are read-only attributes
//! (spelled out in `python/groomstats/_core.pyi`), so Python reads `r.lower`, never `r[1]`.

use numpy::{Element, IntoPyArray, PyArray1, PyArrayMethods, PyReadwriteArray1};
use pyo3::prelude::*;

/// A 1-D numpy array owned by a result.
pub type Arr<T> = Py<PyArray1<T>>;

/// One numpy array per confidence level.
pub(crate) fn arrays(py: Python<'_>, v: Vec<Vec<f64>>) -> Vec<Arr<f64>> {
    v.into_iter().map(|a| a.into_pyarray(py).unbind()).collect()
}

/// `k` arrays of `n` zeros allocated by numpy, for a kernel to write its outputs into.
///
/// numpy asks the kernel for huge pages for large arrays (4 MiB and up), so writing 1,000,000
/// rows of f64 faults a few 2 MB pages instead of about 2,000 pages of 4 kB; a vector allocated
/// in Rust and handed over (`into_pyarray`) gets the small pages.
pub(crate) fn numpy_zeros<T: Element>(
    py: Python<'_>,
    n: usize,
    k: usize,
) -> Vec<Bound<'_, PyArray1<T>>> {
    (0..k).map(|_| PyArray1::<T>::zeros(py, n, false)).collect()
}

/// Write access to arrays from [`numpy_zeros`] (fresh, so never borrowed elsewhere).
pub(crate) fn write_access<'py, T: Element>(
    arrays: &[Bound<'py, PyArray1<T>>],
) -> PyResult<Vec<PyReadwriteArray1<'py, T>>> {
    Ok(arrays
        .iter()
        .map(|a| a.try_readwrite())
        .collect::<Result<Vec<_>, _>>()?)
}

/// The slices of arrays opened by [`write_access`] (contiguous, as numpy allocated them).
pub(crate) fn slices<'a, T: Element>(
    access: &'a mut [PyReadwriteArray1<'_, T>],
) -> PyResult<Vec<&'a mut [T]>> {
    Ok(access
        .iter_mut()
        .map(|w| w.as_slice_mut())
        .collect::<Result<Vec<_>, _>>()?)
}

/// Arrays from [`numpy_zeros`] as the fields of a result.
pub(crate) fn unbound<T: Element>(arrays: Vec<Bound<'_, PyArray1<T>>>) -> Vec<Arr<T>> {
    arrays.into_iter().map(Bound::unbind).collect()
}

/// Lower and upper limits, one pair per row.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct Limits {
    pub lower: Arr<f64>,
    pub upper: Arr<f64>,
}

/// Rates with limits per confidence level; `method` 0 = Byar's, 1 = exact, 2 = invalid row.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct RateIntervals {
    pub value: Arr<f64>,
    pub lower: Vec<Arr<f64>>,
    pub upper: Vec<Arr<f64>>,
    pub method: Arr<u8>,
}

/// Proportions with Wilson limits per confidence level.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct ProportionIntervals {
    pub value: Arr<f64>,
    pub lower: Vec<Arr<f64>>,
    pub upper: Vec<Arr<f64>>,
}

/// Shares within groups in runs (`shares_in_runs`): per output row its input position, its
/// denominator (its run's total), the share and its Wilson limits per confidence level (times
/// `per`); each run's total (in the runs' input order).
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct RunShares {
    pub rows: Arr<u32>,
    pub totals: Arr<i64>,
    pub denominators: Arr<i64>,
    pub value: Arr<f64>,
    pub lower: Vec<Arr<f64>>,
    pub upper: Vec<Arr<f64>>,
}

/// Funnel control limits, one array per confidence level.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct FunnelLimits {
    pub lower: Vec<Arr<f64>>,
    pub upper: Vec<Arr<f64>>,
}

/// Spiegelhalter overdispersion: z-scores, winsorised z-scores, φ and τ².
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct Overdispersion {
    pub z: Arr<f64>,
    pub winsorised: Arr<f64>,
    pub phi: f64,
    pub tau2: f64,
}

/// The force reference as columns.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct ForceReference {
    pub force_code: Vec<Option<String>>,
    pub force: Vec<String>,
    pub region: Vec<Option<String>>,
    pub nation: Vec<Option<String>>,
    pub territorial: Vec<bool>,
}

/// Every known spelling with the reference row it names.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct ForceAliases {
    pub row: Vec<i64>,
    pub name: Vec<String>,
}

/// The first name that matched no force: its position, the name, the closest known name.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct MatchFailure {
    pub position: usize,
    pub name: String,
    pub suggestion: Option<String>,
}

/// Reference row per name (-1 when unknown) and the first failure, if any.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct ForceMatches {
    pub indices: Arr<i64>,
    pub failure: Option<Py<MatchFailure>>,
}

/// A period: inclusive bounds as days since 1970-01-01, its kind and canonical label.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct PeriodBounds {
    pub start: i32,
    pub end: i32,
    pub kind: String,
    pub label: String,
}

/// The periods tiling a window.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct Granules {
    pub starts: Arr<i32>,
    pub ends: Arr<i32>,
    pub labels: Vec<String>,
}

/// Coverage of one window: per input row its output period, and per (group, period) cell
/// (index `group * len(period_label) + period`) the sub-periods present and days missing.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct WindowCoverage {
    /// Per input row: index of its output period, -1 outside the window.
    pub row_period: Arr<i32>,
    /// Output periods: first and last day (days since 1970-01-01) and canonical label.
    pub period_start: Arr<i32>,
    pub period_end: Arr<i32>,
    pub period_label: Vec<String>,
    /// The data's own period length (`quarter`, `financial_year`, ... or `window`).
    pub unit: String,
    /// Per output period: sub-periods of length `unit` it holds.
    pub expected: Arr<i32>,
    /// Per (group, period): sub-periods with a known count, and days covered by none.
    pub present: Arr<i32>,
    pub days_missing: Arr<i32>,
}

/// Exact conditional test of a ratio of two Poisson rates, per row.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct RateRatioTest {
    pub statistic: Arr<f64>,
    pub pvalue: Arr<f64>,
    pub lower: Arr<f64>,
    pub upper: Arr<f64>,
}

/// Exact binomial test with Clopper-Pearson limits, per row.
#[pyclass(frozen, get_all, module = "groomstats._core")]
#[derive(Debug)]
pub struct BinomTest {
    pub pvalue: Arr<f64>,
    pub lower: Arr<f64>,
    pub upper: Arr<f64>,
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Limits>()?;
    m.add_class::<RateIntervals>()?;
    m.add_class::<ProportionIntervals>()?;
    m.add_class::<RunShares>()?;
    m.add_class::<FunnelLimits>()?;
    m.add_class::<Overdispersion>()?;
    m.add_class::<ForceReference>()?;
    m.add_class::<ForceAliases>()?;
    m.add_class::<MatchFailure>()?;
    m.add_class::<ForceMatches>()?;
    m.add_class::<PeriodBounds>()?;
    m.add_class::<Granules>()?;
    m.add_class::<WindowCoverage>()?;
    m.add_class::<RateRatioTest>()?;
    m.add_class::<BinomTest>()?;
    Ok(())
}

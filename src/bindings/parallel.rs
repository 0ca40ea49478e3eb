//! Long Rust work called from Python: GIL released, rayon, Ctrl-C between chunks, fork-aware.
//!
//! Every binding whose work can take over a millisecond goes through one of these helpers:
//!
//! * [`detach`]: one piece of work with the GIL released (`py.detach`), so other Python threads
//!   run meanwhile; use it when the work is short (well under a second on the largest input the
//!   function is meant for).
//! * [`detach_chunks`]: work over `0..n` independent items (groups, series, windows), run
//!   chunk by chunk with the GIL released and `py.check_signals()` between chunks, so that
//!   Ctrl-C stops the call with `KeyboardInterrupt` within one chunk's time (pick `chunk` so one
//!   chunk takes well under a second; inside a chunk use rayon freely).
//! * [`detach_rows`]: an element-wise kernel (one result per row: intervals, tests, limits) run
//!   over blocks of [`ROWS`] rows with the GIL released and a signal check between blocks; the
//!   blocks' results are merged in order, so the result is the one call's on every row.
//! * [`detach_blocks`]: the same blocks for a kernel that writes straight into outputs the
//!   binding allocated once (`&mut` slices of each block), with nothing to merge.
//! * [`SignalCheck`]: for one long loop that cannot be split into calls (e.g. a permutation
//!   loop), a cheap `should_stop()` to call *on the calling thread* between iterations: at most
//!   every 50 ms it re-attaches to Python and runs the signal handlers; the loop stops when it
//!   returns true and the binding returns [`SignalCheck::finish`]'s error.
//!
//! Fork: rayon's global thread pool does not survive `fork()`: its threads exist only in the
//! parent, so a forked child that calls a parallel kernel would wait for them for ever (the
//! `multiprocessing` "fork" start method, the default on Linux before Python 3.14). The module
//! notes the process id that imported it ([`note_process`]); a call from another process id (a
//! child forked after the import) issues a `RuntimeWarning` once and then runs its work on a
//! one-thread pool of the child's own instead of deadlocking. As for polars, prefer the "spawn" or "forkserver" start
//! methods after parallel work.

use crate::bindings::errors::IntoPyResult;
use crate::error::CoreResult;
use pyo3::exceptions::{PyRuntimeError, PyRuntimeWarning};
use pyo3::prelude::*;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Process id that first ran parallel work (whose rayon global pool is alive).
static POOL_PID: OnceLock<u32> = OnceLock::new();
/// The forked child's own pool, keyed by its process id.
static CHILD_POOL: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>> = Mutex::new(None);

const FORK_WARNING: &std::ffi::CStr = c"groomstats: called in a process forked after groomstats ran parallel work; rayon's threads do not survive fork(), so this call runs on one thread. Use the 'spawn' or 'forkserver' multiprocessing start method (as for polars) to keep the parallel kernels.";

/// Note this process as the one whose rayon pool is safe (called when the module is imported,
/// so a child forked later is recognised even if its parent's parallel work did not go
/// through these helpers).
pub fn note_process() {
    let _ = POOL_PID.get_or_init(std::process::id);
}

/// `None` in the process that owns the global pool; in a forked child, its own pool (created,
/// with a warning, on first use). Work that is detached some other way (e.g. on a helper
/// thread) runs inside `pool.install` when this is `Some`.
pub(crate) fn child_pool(py: Python<'_>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    let pid = std::process::id();
    if *POOL_PID.get_or_init(|| pid) == pid {
        return Ok(None);
    }
    let mut slot = CHILD_POOL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((owner, pool)) = slot.as_ref() {
        if *owner == pid {
            return Ok(Some(Arc::clone(pool)));
        }
    }
    PyErr::warn(py, &py.get_type::<PyRuntimeWarning>(), FORK_WARNING, 1)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("could not start a thread pool: {e}")))?;
    let pool = Arc::new(pool);
    *slot = Some((pid, Arc::clone(&pool)));
    Ok(Some(pool))
}

/// Run `work` with the GIL released, on the rayon pool that is safe in this process.
pub fn detach<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    Ok(match child_pool(py)? {
        None => py.detach(work),
        Some(pool) => py.detach(|| pool.install(work)),
    })
}

/// Run `work` over `0..n` in chunks of `chunk` items with the GIL released, checking for
/// signals (Ctrl-C) between chunks; the results of the chunks are concatenated in order.
pub fn detach_chunks<T, F>(py: Python<'_>, n: usize, chunk: usize, work: F) -> PyResult<Vec<T>>
where
    T: Send,
    F: Fn(Range<usize>) -> CoreResult<Vec<T>> + Sync,
{
    let chunk = chunk.max(1);
    let mut out = Vec::with_capacity(n);
    let mut from = 0;
    while from < n {
        let to = n.min(from.saturating_add(chunk));
        let part = detach(py, || work(from..to))?.py()?;
        out.extend(part);
        py.check_signals()?;
        from = to;
    }
    Ok(out)
}

/// Rows per block of [`detach_rows`] for closed-form kernels (Wilson, Byar; well under 1 µs a
/// row): a block takes a few milliseconds and is large enough for rayon to split it.
pub const ROWS: usize = 1 << 16;

/// Rows per block for kernels that search or sum per row (exact Poisson quantiles, exact
/// binomial tests, exact funnel limits: up to about 60 µs a row on a loaded machine): a block
/// stays near a tenth of a second.
pub const ROWS_EXACT: usize = 1 << 11;

/// Run an element-wise kernel over rows `0..n` in blocks of `rows` rows with the GIL released,
/// checking for signals (Ctrl-C) between blocks; `merge(acc, block)` appends a block's result
/// to the rows before it. `work` is called at least once (on `0..0` when `n` is 0), so the
/// kernel's own argument checks always run.
pub fn detach_rows<R, F, M>(
    py: Python<'_>,
    n: usize,
    rows: usize,
    work: F,
    mut merge: M,
) -> PyResult<R>
where
    R: Send,
    F: Fn(Range<usize>) -> CoreResult<R> + Sync,
    M: FnMut(&mut R, R),
{
    let rows = rows.max(1);
    let mut to = n.min(rows);
    let mut acc = detach(py, || work(0..to))?.py()?;
    while to < n {
        py.check_signals()?;
        let from = to;
        to = n.min(from.saturating_add(rows));
        let block = detach(py, || work(from..to))?.py()?;
        merge(&mut acc, block);
    }
    Ok(acc)
}

/// Run `work` over rows `0..n` in blocks of `rows` rows with the GIL released, checking for
/// signals (Ctrl-C) between blocks; for kernels that write each block into outputs the binding
/// allocated once (no per-block vectors to append). `work` is called at least once (on `0..0`
/// when `n` is 0), so the kernel's own argument checks always run.
pub fn detach_blocks<F>(py: Python<'_>, n: usize, rows: usize, mut work: F) -> PyResult<()>
where
    F: FnMut(Range<usize>) -> CoreResult<()> + Send,
{
    let rows = rows.max(1);
    let mut from: usize = 0;
    loop {
        let to = n.min(from.saturating_add(rows));
        let block = &mut work;
        detach(py, move || block(from..to))?.py()?;
        if to >= n {
            return Ok(());
        }
        py.check_signals()?;
        from = to;
    }
}

/// Appends `more` to `acc` (rows of one vector).
pub fn append<T>(acc: &mut Vec<T>, more: Vec<T>) {
    acc.extend(more);
}

/// Appends `more` to `acc` level by level (one vector of rows per confidence level).
pub fn append_levels<T>(acc: &mut [Vec<T>], more: Vec<Vec<T>>) {
    for (a, m) in acc.iter_mut().zip(more) {
        a.extend(m);
    }
}

/// Signal checks from inside one long detached loop, on the thread that called the binding.
///
/// ```ignore
/// let mut check = SignalCheck::new();
/// let fit = detach(py, || core_fit(&data, &mut || check.should_stop()))?;
/// check.finish()?; // KeyboardInterrupt if the loop stopped for a signal
/// ```
#[derive(Debug)]
pub struct SignalCheck {
    last: Instant,
    every: Duration,
    error: Option<PyErr>,
}

impl Default for SignalCheck {
    fn default() -> Self {
        Self::new()
    }
}

impl SignalCheck {
    /// Checks at most every 50 ms.
    pub fn new() -> Self {
        SignalCheck {
            last: Instant::now(),
            every: Duration::from_millis(50),
            error: None,
        }
    }

    /// True once a signal handler has raised (the loop should stop and return early).
    pub fn should_stop(&mut self) -> bool {
        if self.error.is_some() {
            return true;
        }
        if self.last.elapsed() < self.every {
            return false;
        }
        self.last = Instant::now();
        if let Err(e) = Python::attach(|py| py.check_signals()) {
            self.error = Some(e);
            return true;
        }
        false
    }

    /// The signal handler's exception (e.g. `KeyboardInterrupt`), if the loop was stopped.
    pub fn finish(self) -> PyResult<()> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

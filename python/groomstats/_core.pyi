# Type stubs for the compiled module groomstats._core (checked by mypy.stubtest).
# Results are named: frozen classes with read-only attributes, or (for the two model fits,
# which return many per-group, per-segment and per-test arrays) TypedDicts with every key
# (stub-only, hence the leading underscore: they do not exist at runtime).
from collections.abc import Sequence
from typing import TypedDict, final

import numpy as np
import numpy.typing as npt

__version__: str

class GroomstatsError(ValueError): ...
class DataFormatError(GroomstatsError): ...
class UnknownAreaError(GroomstatsError): ...
class PeriodError(GroomstatsError): ...
class FitError(GroomstatsError): ...

_F64 = npt.NDArray[np.float64]
_I32 = npt.NDArray[np.int32]
_I64 = npt.NDArray[np.int64]

# named results
@final
class Limits:
    @property
    def lower(self) -> _F64: ...
    @property
    def upper(self) -> _F64: ...

@final
class RateIntervals:
    @property
    def value(self) -> _F64: ...
    @property
    def lower(self) -> list[_F64]: ...
    @property
    def upper(self) -> list[_F64]: ...
    @property
    def method(self) -> npt.NDArray[np.uint8]: ...

@final
class ProportionIntervals:
    @property
    def value(self) -> _F64: ...
    @property
    def lower(self) -> list[_F64]: ...
    @property
    def upper(self) -> list[_F64]: ...

@final
class RunShares:
    @property
    def rows(self) -> npt.NDArray[np.uint32]: ...
    @property
    def totals(self) -> _I64: ...
    @property
    def denominators(self) -> _I64: ...
    @property
    def value(self) -> _F64: ...
    @property
    def lower(self) -> list[_F64]: ...
    @property
    def upper(self) -> list[_F64]: ...

@final
class FunnelLimits:
    @property
    def lower(self) -> list[_F64]: ...
    @property
    def upper(self) -> list[_F64]: ...

@final
class Overdispersion:
    @property
    def z(self) -> _F64: ...
    @property
    def winsorised(self) -> _F64: ...
    @property
    def phi(self) -> float: ...
    @property
    def tau2(self) -> float: ...

@final
class ForceReference:
    @property
    def force_code(self) -> list[str | None]: ...
    @property
    def force(self) -> list[str]: ...
    @property
    def region(self) -> list[str | None]: ...
    @property
    def nation(self) -> list[str | None]: ...
    @property
    def territorial(self) -> list[bool]: ...

@final
class ForceAliases:
    @property
    def row(self) -> list[int]: ...
    @property
    def name(self) -> list[str]: ...

@final
class MatchFailure:
    @property
    def position(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def suggestion(self) -> str | None: ...

@final
class ForceMatches:
    @property
    def indices(self) -> _I64: ...
    @property
    def failure(self) -> MatchFailure | None: ...

@final
class PeriodBounds:
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> str: ...

@final
class Granules:
    @property
    def starts(self) -> _I32: ...
    @property
    def ends(self) -> _I32: ...
    @property
    def labels(self) -> list[str]: ...

@final
class WindowCoverage:
    @property
    def row_period(self) -> _I32: ...
    @property
    def period_start(self) -> _I32: ...
    @property
    def period_end(self) -> _I32: ...
    @property
    def period_label(self) -> list[str]: ...
    @property
    def unit(self) -> str: ...
    @property
    def expected(self) -> _I32: ...
    @property
    def present(self) -> _I32: ...
    @property
    def days_missing(self) -> _I32: ...

@final
class RateRatioTest:
    @property
    def statistic(self) -> _F64: ...
    @property
    def pvalue(self) -> _F64: ...
    @property
    def lower(self) -> _F64: ...
    @property
    def upper(self) -> _F64: ...

@final
class BinomTest:
    @property
    def pvalue(self) -> _F64: ...
    @property
    def lower(self) -> _F64: ...
    @property
    def upper(self) -> _F64: ...

class _GlmFitResult(TypedDict):
    """Per-group arrays of ``glm_fit``; ``coef``/``se``/``z``/``pvalue`` are G×p flattened,
    ``cov`` G×p×p; NaN (and a ``reason``) where a group could not be fitted."""

    coef: _F64
    se: _F64
    z: _F64
    pvalue: _F64
    cov: _F64
    dispersion: _F64
    scale: _F64
    pearson_chi2: _F64
    deviance: _F64
    df_resid: _F64
    loglik: _F64
    alpha: _F64
    alpha_se: _F64
    iterations: _I64
    converged: npt.NDArray[np.bool_]
    reason: list[str | None]

class _JoinpointFitResult(TypedDict):
    """Flat arrays of ``joinpoint_fit``: per group (``k`` ... ``aapc_*``, ``jump_*``), per row
    (``fitted``), per segment (``seg_*``), per joinpoint (``join_*``), per permutation test
    (``test_*``) and per number of joinpoints tried (``byk_*``)."""

    k: _I64
    max_joins_used: _I64
    df: _F64
    model_df: _F64
    sse: _F64
    fitted: _F64
    reason: list[str | None]
    aapc_slope: _F64
    aapc_se: _F64
    aapc_lower: _F64
    aapc_upper: _F64
    aapc_statistic: _F64
    aapc_pvalue: _F64
    aapc_one_segment: npt.NDArray[np.bool_]
    aapc_reason: list[str | None]
    jump_location: _F64
    jump_value: _F64
    jump_se: _F64
    jump_lower: _F64
    jump_upper: _F64
    jump_statistic: _F64
    jump_pvalue: _F64
    jump_ratio: _F64
    jump_ratio_se: _F64
    jump_ratio_lower: _F64
    jump_ratio_upper: _F64
    jump_ratio_statistic: _F64
    jump_ratio_pvalue: _F64
    seg_group: _I64
    seg_index: _I64
    seg_start: _I64
    seg_end: _I64
    seg_slope: _F64
    seg_se: _F64
    seg_lower: _F64
    seg_upper: _F64
    seg_statistic: _F64
    seg_pvalue: _F64
    join_group: _I64
    join_index: _I64
    join_obs: _I64
    join_lower: _F64
    join_upper: _F64
    test_group: _I64
    test_k_null: _I64
    test_k_alt: _I64
    test_statistic: _F64
    test_pvalue: _F64
    test_level: _F64
    test_reject: npt.NDArray[np.bool_]
    test_df_num: _I64
    test_df_den: _I64
    test_n_permutations: _I64
    byk_group: _I64
    byk_k: _I64
    byk_sse: _F64
    byk_bic: _F64
    byk_bic3: _F64
    byk_wbic: _F64
    byk_wbic_weight: _F64

# intervals
def exact_poisson_ci(counts: npt.NDArray[np.float64], confidence: float) -> Limits: ...
def rate_ci(
    counts: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    per: float,
    confidences: Sequence[float],
) -> RateIntervals: ...
def wilson_ci(
    counts: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    confidences: Sequence[float],
) -> ProportionIntervals: ...
def shares_in_runs(
    starts: _I64,
    order: _I64,
    counts: _I64,
    labels: npt.NDArray[np.uint64],
    confidences: Sequence[float],
    per: float,
) -> RunShares | None: ...

# funnel
def funnel_limits(
    statistic: str,
    national: float,
    denominators: npt.NDArray[np.float64],
    confidences: Sequence[float],
    scale: float,
    tau2: float | None = None,
) -> FunnelLimits: ...
def funnel_overdispersion(
    statistic: str,
    counts: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    national: float,
    trim: float,
) -> Overdispersion: ...
def poisson_count_limits(expected: npt.NDArray[np.float64], confidence: float) -> Limits: ...

# areas
def force_reference() -> ForceReference: ...
def force_aliases() -> ForceAliases: ...
def match_force_index(name: str) -> int: ...
def match_forces(names: list[str]) -> ForceMatches: ...

# period (dates are int days since 1970-01-01)
def parse_period(text: str) -> PeriodBounds: ...
def period_from_bounds(start: int, end: int) -> PeriodBounds: ...
def shift_period_years(start: int, end: int, years: int) -> PeriodBounds: ...
def period_granules(start: int, end: int, granularity: str) -> Granules: ...
def window_coverage(
    group: npt.NDArray[np.uint32],
    starts: npt.NDArray[np.int32],
    ends: npt.NDArray[np.int32],
    valid: npt.NDArray[np.bool_],
    n_groups: int,
    window_start: int,
    window_end: int,
    granularity: str | None = None,
) -> WindowCoverage: ...

# aggregate
def all_distinct(hashes: list[npt.NDArray[np.uint64]]) -> bool: ...
def order_within_groups(
    starts: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    missing: npt.NDArray[np.bool_],
    descending: bool,
) -> npt.NDArray[np.uint32]: ...
def coverage_windows(
    group: npt.NDArray[np.uint32],
    starts: npt.NDArray[np.int32],
    ends: npt.NDArray[np.int32],
    valid: npt.NDArray[np.bool_],
    row_ids: npt.NDArray[np.int64] | None,
    n_groups: int,
    windows: list[tuple[int, int]],
    granularity: str | None = None,
) -> list[WindowCoverage]: ...

# compare
def rate_ratio_test(
    x1: npt.NDArray[np.float64],
    x2: npt.NDArray[np.float64],
    t1: npt.NDArray[np.float64],
    t2: npt.NDArray[np.float64],
    ratio: float,
    alternative: str,
    confidence: float,
) -> RateRatioTest: ...
def binom_test(
    k: npt.NDArray[np.int64],
    n: npt.NDArray[np.int64],
    p: npt.NDArray[np.float64],
    alternative: str,
    confidence: float,
) -> BinomTest: ...

# trend
def glm_fit(
    y: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    offset: npt.NDArray[np.float64],
    starts: npt.NDArray[np.int64],
    model: str,
    maxiter: int = 100,
    tol: float = 1e-10,
) -> _GlmFitResult: ...
def joinpoint_fit(
    t: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    starts: npt.NDArray[np.int64],
    max_joins: int,
    min_end: int,
    min_between: int,
    selection: str,
    n_permutations: int,
    alpha: float,
    seed: int,
    confidence: float,
    aapc_start: float,
    aapc_end: float,
    *,
    se: npt.NDArray[np.float64] | None = None,
    counts: npt.NDArray[np.float64] | None = None,
    variance: str = "constant",
    min_joins: int = 0,
    jump_at: float = ...,
    ci: str = "parametric",
    n_resamples: int = 1000,
    group_keys: npt.NDArray[np.uint64] | None = None,
) -> _JoinpointFitResult: ...

class _ComparabilityResult(TypedDict):
    """One comparability test of ``joinpoint_compare`` (joinpoints as time values)."""

    test: str
    joins: int
    statistic: float
    pvalue: float
    n_permutations: int
    sse_null: float
    sse_alt: float
    f_statistic: float
    df_num: int
    df_den: int
    f_pvalue: float
    joins_null: list[float]
    joins_a: list[float]
    joins_b: list[float]

def joinpoint_compare(
    t: npt.NDArray[np.float64],
    ya: npt.NDArray[np.float64],
    yb: npt.NDArray[np.float64],
    k: int,
    min_end: int,
    min_between: int,
    test: str,
    n_permutations: int,
    seed: int,
    *,
    variance: str = "constant",
    se_a: npt.NDArray[np.float64] | None = None,
    se_b: npt.NDArray[np.float64] | None = None,
    counts_a: npt.NDArray[np.float64] | None = None,
    counts_b: npt.NDArray[np.float64] | None = None,
) -> _ComparabilityResult: ...

# Type stubs for the compiled module groomstats._core (checked by mypy.stubtest).
from typing import Any

import numpy as np
import numpy.typing as npt

__version__: str

class GroomstatsError(ValueError): ...
class DataFormatError(GroomstatsError): ...
class UnknownAreaError(GroomstatsError): ...
class PeriodError(GroomstatsError): ...
class FitError(GroomstatsError): ...

# intervals
def exact_poisson_ci(
    counts: npt.NDArray[np.float64], confidence: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

# trend
def glm_fit(
    y: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    offset: npt.NDArray[np.float64],
    starts: npt.NDArray[np.int64],
    model: str,
    maxiter: int = 100,
    tol: float = 1e-10,
) -> dict[str, Any]: ...

"""tlacheck: an explicit-state model checker for TLA+ specs and Python models.

Start reading at docs/ARCHITECTURE.md. The public Python API:

- ``Model`` (checker.model): what a Python model implements;
- ``check`` (checker.engine): breadth-first search, returns a ``CheckResult``;
- values (checker.values): ``ModelValue``, ``Fn``, ``make_fn``, ``record``.
"""

from checker.engine import CheckOptions, CheckResult, Trace, Violation, check
from checker.model import Model, format_label
from checker.values import Fn, ModelValue, make_fn, model_values, record

__version__ = "0.1.0"

__all__ = [
    "CheckOptions",
    "CheckResult",
    "Fn",
    "Model",
    "ModelValue",
    "Trace",
    "Violation",
    "__version__",
    "check",
    "format_label",
    "make_fn",
    "model_values",
    "record",
]

"""The engine: explores a Model and returns a CheckResult (shared/DESIGN.md §1).

``check`` is the safety search (``bfs``) followed, when the model has liveness
properties, by the liveness search (``liveness``)."""

from checker.engine.liveness import check
from checker.engine.result import (
    ActionCoverage,
    CheckOptions,
    CheckResult,
    Progress,
    Stats,
    Step,
    Trace,
    Violation,
)

__all__ = [
    "ActionCoverage",
    "CheckOptions",
    "CheckResult",
    "Progress",
    "Stats",
    "Step",
    "Trace",
    "Violation",
    "check",
]

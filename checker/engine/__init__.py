"""The engine: explores a Model and returns a CheckResult (shared/DESIGN.md §1)."""

from checker.engine.bfs import check
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

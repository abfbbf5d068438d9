"""What a check takes and gives: options, statistics, traces and violations.

A ``Trace`` is a real execution: a list of steps, each a label and a state,
with the state's record (variable -> value) so that every view can print
Python models and TLA+ specs alike. The first step's label is ``None``
(TLC's ``<Initial predicate>``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

from checker.values import Value


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    label: Any  # None for an initial state
    state: Hashable
    record: Mapping[str, Value]


@dataclasses.dataclass(frozen=True, slots=True)
class Trace:
    """A behaviour: its steps, and for a liveness counterexample (a lasso) the index of the
    state the behaviour returns to after the last step (``loop``) with the label of that
    step (``loop_label``); ``loop_label`` None with a ``loop`` means it stutters forever
    in the last state (TLC's ``Stuttering``)."""

    variables: tuple[str, ...]
    steps: tuple[Step, ...]
    loop: int | None = None
    loop_label: Any = None
    aliased: bool = False
    """The records are a cfg ALIAS's values, printed in the order of its fields (as TLC does)."""

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def labels(self) -> list[Any]:
        return [s.label for s in self.steps]

    @property
    def states(self) -> list[Hashable]:
        return [s.state for s in self.steps]


@dataclasses.dataclass(frozen=True, slots=True)
class Violation:
    """One discovery: ``kind`` is "invariant", "action property", "deadlock", "temporal"
    (a liveness property, with a lasso trace) or "initial property" (a state predicate in a
    PROPERTY, false in an initial state: TLC exits 13 for it, as for liveness)."""

    kind: str
    name: str
    trace: Trace

    @property
    def exit_code(self) -> int:
        if self.kind in ("temporal", "initial property"):
            return 13
        return 11 if self.kind == "deadlock" else 12

    def headline(self) -> str:
        if self.kind == "deadlock":
            return "Error: Deadlock reached."
        if self.kind == "temporal":
            return "Error: Temporal properties were violated."
        if self.kind == "counterexample to induction":  # from prove: the name says what fails
            return f"Error: {self.name}"
        if self.kind == "initial property":
            return f"Error: Property {self.name} is violated by the initial state:"
        if self.kind == "action property":
            return f"Error: Action property {self.name} is violated."
        return f"Error: Invariant {self.name} is violated."


@dataclasses.dataclass(slots=True)
class ActionCoverage:
    enabled: int = 0  # states in which the action produced at least one successor
    generated: int = 0  # successors it produced
    distinct: int = 0  # new distinct states it found


@dataclasses.dataclass(slots=True)
class Stats:
    generated: int = 0
    distinct: int = 0
    initial: int = 0  # distinct initial states
    left_on_queue: int = 0
    depth: int = 0
    elapsed: float = 0.0
    store_bytes: int = 0  # visited set and parent links in RAM (the frontier excluded)
    fingerprints: bool = False  # states were stored as 64-bit fingerprints (not --exact)
    min_fp_distance: int | None = None  # smallest gap between two stored fingerprints

    def actual_collision_probability(self) -> float | None:
        """TLC's "based on the actual fingerprints": 1 / the smallest gap between two of
        them (None when TLC would not print it: the optimistic estimate is below 1e-10)."""
        if self.min_fp_distance is None:
            return None
        return 1.0 / self.min_fp_distance

    def collision_probability(self) -> float:
        """TLC's optimistic estimate: distinct * (generated - distinct) / 2^64."""
        return self.distinct * ((self.generated - self.distinct) / math.pow(2, 64))


@dataclasses.dataclass(frozen=True, slots=True)
class Progress:
    generated: int
    distinct: int
    queue: int
    depth: int
    elapsed: float
    initial: bool = False  # the report made once the initial states are computed
    workers: tuple[int, ...] = ()  # with several workers: the successors each has generated


@dataclasses.dataclass(frozen=True, slots=True)
class CheckOptions:
    check_deadlock: bool | None = None  # None: the model decides (default True)
    max_depth: int | None = None
    keep_going: bool = False  # --continue: report every violated property
    symmetry: bool = True
    coverage: bool = False
    exact: bool | None = None  # None: the model decides (``exact_states``, default False)
    progress: Callable[[Progress], None] | None = None
    progress_interval: float = 3.0
    # Hooks for clients that search for something (``prove``'s reachability cross-check):
    # ``visit(state, depth)`` is called for every new distinct state, initial ones included,
    # and stops the search by returning True; ``max_states`` stops it after that many
    # distinct states. A search stopped either way is not complete.
    visit: Callable[[Any, int], bool] | None = None
    max_states: int | None = None
    memory: int = 1 << 30  # bytes of RAM for the visited set's table before it spills to disk
    frontier_chunk: int = 100_000  # states of a BFS level kept in RAM before they go to disk
    checkpoint: Path | None = None  # --checkpoint DIR
    recover: Path | None = None  # --recover DIR (and keep checkpointing there)
    checkpoint_interval: float = 30 * 60.0  # seconds between checkpoints (at level boundaries)
    checkpoint_hook: Callable[[str], None] | None = None  # told each stage of a checkpoint (tests)
    # The liveness search's graph recorder (checker/engine/liveness.py's ``Recorder``): told
    # each new initial state, and each explored state with its steps, while the search runs.
    recorder: Any = None


class Verdict:
    """What a search's result says: its first violation and TLC's exit code (a check and a
    simulation alike)."""

    __slots__ = ()
    violations: list[Violation]
    interrupted: bool

    @property
    def violation(self) -> Violation | None:
        return self.violations[0] if self.violations else None

    @property
    def exit_code(self) -> int:
        if self.violations:
            return self.violations[0].exit_code
        if self.interrupted:
            return 75
        return 0


@dataclasses.dataclass(slots=True)
class CheckResult(Verdict):
    model: str
    stats: Stats
    violations: list[Violation]
    complete: bool  # the whole state space was explored
    interrupted: bool = False
    coverage: dict[str, ActionCoverage] = dataclasses.field(default_factory=dict)
    liveness_edges: int = 0  # edges recorded for the liveness search (0: none was run)
    liveness_bytes: int = 0  # bytes of the arrays that hold them
    checkpoint: str | None = None  # the folder a checkpoint was written to when interrupted
    # The cfg's POSTCONDITION, false or failing after a complete search: TLC's error (exit 10).
    postcondition: str | None = None

    @property
    def exit_code(self) -> int:
        if self.postcondition is not None and not self.violations:
            return 10
        return Verdict.exit_code.fget(self)  # type: ignore[attr-defined,no-any-return]

    @property
    def ok(self) -> bool:
        return not self.violations and not self.interrupted

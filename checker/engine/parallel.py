"""Breadth-first search on several processes (``--workers N``) or Ray actors (``--cluster``).

Two ways of cutting the search of ``checker/engine/bfs.py``, both level by level, both
giving one worker's result by the same rule (below).

*One shared table* (:class:`SharedTransport`, forked workers with fingerprints: the
default of ``--workers``). The visited fingerprints are one table in shared memory
(``checker/engine/visited.py``'s :class:`~checker.engine.visited.SharedTable`, atomic
inserts in ``_fp.c``). Worker ``w`` expands a contiguous slice of the level, by rank, and
offers every successor to the table with its *key*; the table keeps, for each state, the
smallest key offered (an atomic minimum). Once every worker has expanded its slice, each
keeps the new states whose smallest key is its own (:class:`SharedShard`): one worker's
occurrence, parent and state object. No successor crosses between processes; the ranks
of the next level need no merge, since worker ``w``'s keys all lie below worker
``w + 1``'s (its parents rank lower): they are the workers' new states one after the
other. Only a worker holding more than its share of the next level (``BALANCE``) sends
its excess to its neighbour, so that slices stay even.

*Shards that own states* (:class:`Shard`: Ray actors, which share no memory, and
``--exact``, whose visited set holds whole states). Shard ``i`` of ``N`` owns the states
whose fingerprint is ``i`` modulo ``N`` (Stern and Dill's partition, as PReach and TLC's
distributed fingerprint sets do). It stores their fingerprints and trace links, expands
them, and checks the invariants of the new ones:

1. *expand*: every shard computes the successors of its states of level L, in the order
   of their rank (below); a successor that fails the CONSTRAINT is checked against the
   invariants there, as one worker does, and action properties are checked on every step
   there. Every other successor goes, with its fingerprint, its *key* and its parent's
   id, to the shard that owns it: in batches of up to ``BATCH`` successors, one pickle per
   batch (never one per state; the successors of a parent share most of their values, which
   the pickle's memo writes once per batch).
2. *finish*: each shard keeps, of the successors it received that are not yet visited, the
   one with the smallest key for each fingerprint: exactly the occurrence one worker meets
   first. It stores them (fingerprint and parent), sorted by key, and checks their
   invariants. It sends their keys to the coordinator.
3. *rank*: the coordinator merges the sorted keys of all shards; a state's rank is its
   place in that merge, which is its place in one worker's level L+1.

The rule that makes the result one worker's. One worker appends the new states of level
L+1 in the order of their parent in level L, then of the successor's index among its
parent's successors. So the key of a successor is ``(rank of its parent) << 32 | index``,
and ranks are dense: the states of level L+1 ordered by key are one worker's level L+1 in
one worker's order. From this follow:

- every count and the depth: the same states are stored (the first occurrence of each
  fingerprint decides only which parent it records);
- the trace links: a state's parent is the parent of its smallest key, the one worker's;
- the counterexample: every violation a shard finds is reported with its place
  ``(key, phase, index)`` (phase: -2 a failure in ``next_steps``, -1 in the CONSTRAINT or
  the fingerprint, 0 the invariants in their order, 1 the action properties in theirs, 2 a
  deadlock, after every successor of its state). One worker stops at the violation with the
  smallest place in the first level that has one, so the coordinator reports that one (with
  ``--continue``, the first of each property, in that order), and rebuilds its trace by
  replaying the fingerprint chain, as one worker does;
- the partial counts at that violation: one worker's generated count is every successor of
  the parents ranked before the violating one, plus the successors of that parent up to the
  violating one; its distinct count is every state of level L+1 with a key up to it. Shards
  count both from what they kept.

Shards do not stop at the first violation they see when another shard may see an earlier
one: a shard stops expanding at its own first violation (nothing after it can be
earlier), and the level ends. (With the shared table, the smallest key of a state is
then right for every key below the first violation: every occurrence below it was
offered.)

What is not done with several workers: checkpoints, ``--coverage``, the ``visit`` and
``max_states`` hooks (the command line refuses them), a frontier on disk (each shard
keeps its part of a level in RAM), and a visited set that spills to disk (the shared
table grows in RAM; ``CheckOptions.memory`` bounds only a shard's own set). Liveness properties are
checked with one worker.
"""

from __future__ import annotations

import bisect
import dataclasses
import multiprocessing
import os
import pickle
import queue
import signal
import time
import traceback
from array import array
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol, cast

from checker.engine.bfs import Search, min_distance
from checker.engine.fingerprint import UnencodableValue
from checker.engine.gctune import tune_gc
from checker.engine.result import CheckOptions, CheckResult, Progress, Step, Trace
from checker.engine.visited import FULL, FingerprintSet, SharedTable, TraceLinks, atomic_table
from checker.errors import InternalError, ModelError

BATCH = 1024
"""Successors sent to one shard in one message."""

SENT_CACHE = 1 << 20
"""Fingerprints a shard remembers having sent (a successor sent before is never new again),
in a Python set (a C lookup; about 60 bytes each); forgotten all at once past this many."""

_INDEX_BITS = 32
_INDEX_MASK = (1 << _INDEX_BITS) - 1

# Phases of a place, in the order one worker meets them for one successor.
_NEXT_STEPS, _ADMIT, _INVARIANT, _ACTION, _DEADLOCK = -2, -1, 0, 1, 2

Place = tuple[int, int, int]  # (key, phase, index)


@dataclasses.dataclass(slots=True)
class Finding:
    """A violation, or a failure, found by a shard at a place of one worker's order."""

    place: Place
    kind: str  # "invariant", "action property", "deadlock", or "error"
    name: str
    parent: int  # id of the state expanded
    successor: int | None  # index of the successor among the parent's, or None (the parent)
    error: bytes | None = None  # the exception, pickled (kind "error")
    traced: bool = False  # attach the behaviour up to the failure (as bfs does)
    fault: bool = False  # a Python exception in an invariant: a fault of the model in the parent
    # The successor, as the coordinator finds it again among the parent's successors: the
    # key it is stored under (fingerprint, or state in exact mode) and its label. Not its
    # index alone: a process not forked from the coordinator may list successors in
    # another order (sets of model values iterate by address).
    stored: Any = None
    label: str | None = None


@dataclasses.dataclass(slots=True)
class LevelReport:
    """What one shard tells the coordinator at the end of a level."""

    generated: int  # successors of its states of level L
    keys: bytes  # array('Q') of the keys of its new states, sorted
    findings: list[Finding]
    batches: int = 0  # batches sent to other shards
    sent: int = 0  # successors sent to other shards
    sent_bytes: int = 0  # their pickled size
    new: int = 0  # new states (the next level's)
    cpu: float = 0.0  # the worker's CPU seconds so far (its process's)
    full: bool = False  # the shared table filled up: the level is searched again in a larger one


@dataclasses.dataclass(slots=True)
class Tally:
    """A shard's counts while a level runs (progress lines, Ctrl-C)."""

    generated: int
    distinct: int
    queue: int


# -- a shard ---------------------------------------------------------------------------


class Shard:
    """One worker's part of the search: the states whose fingerprint is ``index`` mod ``count``.

    ``initial`` is the whole initial level as the coordinator found it: (state, key stored
    for it); the shard takes those it owns. A state's id is ``local index * count + index``.
    """

    def __init__(
        self,
        model: Any,
        options: CheckOptions,
        index: int,
        count: int,
        initial: Sequence[tuple[Hashable, Any, int]],
    ) -> None:
        self.search = Search(model, dataclasses.replace(options, progress=None))
        self.index = index
        self.count = count
        self.keep_going = options.keep_going
        search = self.search
        # (rank, state, id) of this shard's states of the current level, by rank
        self.level: list[tuple[int, Hashable, int]] = []
        for rank, (state, stored, owner) in enumerate(initial):
            if owner == index:
                search.visited.add(stored)
                self.level.append((rank, state, len(search.links) * count + index))
                search.links.append(stored, -1)
        # successors received this level and not visited: stored key -> (key, state, parent, fp)
        self.candidates: dict[Any, tuple[int, Hashable, int]] = {}
        self.sent: set[int] | None = None if search.exact else set()
        self.successors = array("q")  # for each state of the level, its number of successors
        self.next_level: list[tuple[int, Hashable, int]] = []
        self.generated = 0  # successors so far in this level
        self.done = 0  # states of the level expanded so far
        self.cpu_start = time.process_time()

    # -- expand -------------------------------------------------------------------

    def expand(self, send: Callable[[int, Any], int], poll: Callable[[], None]) -> LevelReport:
        """Expand this shard's states of the level; successors owned by another shard go
        through ``send(owner, batch) -> bytes sent``; ``poll()`` is called between states (to
        take in batches, report progress, or raise to stop)."""
        search = self.search
        count, me = self.count, self.index
        canon, exact = search.canon, search.exact
        fingerprinter = search.fingerprinter
        sent = self.sent
        visited_add: Callable[[Any], bool] = search.visited.add
        candidates = self.candidates
        outgoing: list[list[Any]] = [_new_batch(exact) for _ in range(count)]
        batches = sent_count = sent_bytes = 0

        def flush(owner: int) -> None:
            nonlocal batches, sent_count, sent_bytes
            batch = outgoing[owner]
            outgoing[owner] = _new_batch(exact)
            batches += 1
            sent_count += len(batch[3])
            sent_bytes += send(owner, _pack(batch))

        def offer(succ: Hashable, key: int, gid: int) -> bool:
            stored = canon(succ) if canon is not None else succ
            fp = fingerprinter(stored)
            if not exact:
                stored = fp
            owner = fp % count
            if owner == me:
                # New: into the visited set at once (one probe, as one worker); else it
                # may be this level's, met before with a larger key.
                if visited_add(stored):
                    candidates[stored] = (key, succ, gid)
                else:
                    known = candidates.get(stored)
                    if known is not None and key < known[0]:
                        candidates[stored] = (key, succ, gid)
            elif sent is None or fp not in sent:
                if sent is not None:
                    sent.add(fp)
                batch = outgoing[owner]
                batch[0].append(fp)
                batch[1].append(key)
                batch[2].append(gid)
                batch[3].append(succ)
                if exact:
                    batch[4].append(stored)
                if len(batch[3]) >= BATCH:
                    flush(owner)
            return False

        def between() -> None:
            if sent is not None and len(sent) > SENT_CACHE:
                sent.clear()
            poll()

        findings = self._expand_level(offer, between)
        for owner in range(count):
            if outgoing[owner][3]:
                flush(owner)
        return LevelReport(self.generated, b"", findings, batches, sent_count, sent_bytes)

    def _expand_level(self, offer: Callable[[Hashable, int, int], bool], poll: Callable[[], None]) -> list[Finding]:
        """The loop of both kinds of shard over their states of the level, in rank order; the
        findings. A successor outside the model is checked here (:meth:`_check_outside`);
        each other goes to ``offer(successor, key, parent id)`` (True: stop, the shared
        table is full), then its step to the action properties. ``poll()`` every 16 states.
        (``offer`` is one call more per successor: on bench/specs/Counters.tla, 4 us a
        successor, the workers' CPU was 17.6 s on average over 3 runs with it and 17.6 s
        with the loop written out for each kind of shard, within the runs' spread of 1 s.)"""
        search = self.search
        next_steps = search.model.next_steps
        constraint, action_constraint = search.constraint, search.action_constraint
        action_properties = search.action_properties
        check_deadlock = search.check_deadlock
        keep_going = self.keep_going
        findings: list[Finding] = []
        reported: set[tuple[str, str]] = set()
        self.successors = successors = array("q")
        self.generated = 0
        self.done = 0

        def found(f: Finding) -> bool:
            """Record ``f``; True if the expansion stops here."""
            if (f.kind, f.name) not in reported:
                reported.add((f.kind, f.name))
                findings.append(f)
            return f.kind == "error" or not keep_going

        stop = False
        for position, (rank, state, gid) in enumerate(self.level):
            base = rank << _INDEX_BITS
            j = 0
            phase = _NEXT_STEPS
            label: Any = None
            succ: Any = None
            try:
                for label, succ in next_steps(state):  # noqa: B007 - read by the handler
                    phase = _ADMIT
                    if (constraint is not None and not constraint(succ)) or (
                        action_constraint is not None and not action_constraint(state, succ)
                    ):
                        stop = self._check_outside(state, label, succ, base | j, gid, j, found)
                    else:
                        stop = offer(succ, base | j, gid)
                        if action_properties and not stop:
                            phase = _ACTION
                            stop = self._check_step(state, label, succ, base | j, gid, j, found)
                    if stop:
                        break
                    j += 1
                    phase = _NEXT_STEPS
            except Exception as exc:
                found(self._failure(exc, phase, "", base | j, gid, j, state, label, succ))
                stop = True
            successors.append(j)
            self.generated += j
            self.done = position + 1
            if j == 0 and check_deadlock and not stop:
                stop = found(Finding((base, _DEADLOCK, 0), "deadlock", "deadlock", gid, None))
            if stop:
                break
            if position & 15 == 15:  # a poll costs a few system calls: every 16 states
                poll()
        return findings

    def _check_outside(
        self,
        state: Hashable,
        label: Any,
        succ: Hashable,
        key: int,
        gid: int,
        j: int,
        found: Callable[[Finding], bool],
    ) -> bool:
        """A successor outside the model (its CONSTRAINT or ACTION-CONSTRAINT is false):
        checked against the invariants and the action properties, neither stored nor
        explored, as one worker does. True if the expansion stops here; a failure in a
        property is a finding too, at its phase."""
        search = self.search
        phase, name = _INVARIANT, ""
        try:
            for i, (name, inv) in enumerate(search.invariants):
                if not inv(succ):
                    f = Finding((key, _INVARIANT, i), "invariant", name, gid, j)
                    if found(self._identify(f, label, succ)):
                        return True
            phase = _ACTION
            return bool(search.action_properties) and self._check_step(state, label, succ, key, gid, j, found)
        except Exception as exc:
            found(self._failure(exc, phase, name, key, gid, j, state, label, succ))
            return True

    def _check_step(
        self,
        state: Hashable,
        label: Any,
        succ: Hashable,
        key: int,
        gid: int,
        j: int,
        found: Callable[[Finding], bool],
    ) -> bool:
        for i, (name, prop) in enumerate(self.search.action_properties):
            if not prop(state, succ):
                f = Finding((key, _ACTION, i), "action property", name, gid, j)
                if found(self._identify(f, label, succ)):
                    return True
        return False

    def _identify(self, finding: Finding, label: Any, succ: Hashable) -> Finding:
        finding.label = str(label)
        try:
            finding.stored = self.search.fingerprint(succ)
        except ModelError:
            finding.stored = None  # found again by its index
        return finding

    def _failure(
        self,
        exc: Exception,
        phase: int,
        name: str,
        key: int,
        gid: int,
        j: int,
        state: Hashable,
        label: Any,
        succ: Hashable,
    ) -> Finding:
        """A failure while expanding ``state``, wrapped as one worker wraps it (bfs.py): a
        ModelError gets the behaviour up to the parent (up to the successor, in an invariant
        of a successor outside the CONSTRAINT); another exception is a fault of the model."""
        search = self.search
        place = (key, phase, 0)
        if isinstance(exc, UnencodableValue):
            try:
                search.fingerprint(succ)
            except ModelError as explained:
                return Finding(place, "error", "", gid, None, _pickle_error(explained))
        if phase == _INVARIANT:
            if isinstance(exc, ModelError):
                f = Finding(place, "error", name, gid, j, _pickle_error(exc), traced=True)
            else:
                fault = search._model_fault(exc, succ, label, f"invariant {name}")
                f = Finding(place, "error", name, gid, j, _pickle_error(fault))
            return self._identify(f, label, succ)
        if isinstance(exc, ModelError):
            return Finding(place, "error", "", gid, None, _pickle_error(exc), traced=True)
        return Finding(place, "error", "", gid, None, _pickle_error(search._model_fault(exc, state, label)))

    def receive(self, packed: Any) -> None:
        """Take in a batch another shard sent."""
        fps, keys, parents, states, stored = _unpack(packed)
        visited_add = self.search.visited.add
        candidates = self.candidates
        get = candidates.get
        keys_of = stored if stored is not None else fps
        for k, key, state, parent in zip(keys_of, keys, states, parents):
            if visited_add(k):
                candidates[k] = (key, state, parent)
            else:
                known = get(k)
                if known is not None and key < known[0]:
                    candidates[k] = (key, state, parent)

    # -- finish -------------------------------------------------------------------

    def finish(self, report: LevelReport) -> LevelReport:
        """Store the new states of the level (the first occurrence of each), check their
        invariants, and complete ``report`` with their keys."""
        search = self.search
        links = search.links
        count, me = self.count, self.index
        # (already in the visited set: put there when first offered)
        chosen = sorted(self.candidates.items(), key=lambda item: item[1][0])
        self.candidates = {}
        keys = array("Q")
        next_level: list[tuple[int, Hashable, int]] = []
        for stored, (key, state, parent) in chosen:
            next_level.append((key, state, len(links) * count + me))
            links.append(stored, parent)
            keys.append(key)
        self.next_level = next_level
        report.keys = keys.tobytes()
        report.new = len(next_level)
        report.cpu = time.process_time() - self.cpu_start
        stopped = any(f.kind == "error" or not self.keep_going for f in report.findings)
        if not stopped:
            entries = [(key, state, parent, stored) for stored, (key, state, parent) in chosen]
            self._check_new(entries, report)
        return report

    def _check_new(self, entries: list[tuple[int, Hashable, int, Any]], report: LevelReport) -> None:
        """Check the invariants of new states (key, state, parent id, stored key), in the
        order of their keys, as one worker does when it stores them; findings go to
        ``report``."""
        reported: set[str] = set()
        invariants = self.search.invariants
        for key, state, parent, stored in entries:
            j = key & _INDEX_MASK
            for i, (name, inv) in enumerate(invariants):
                place = (key, _INVARIANT, i)
                try:
                    ok = inv(state)
                except ModelError as exc:
                    f = Finding(place, "error", name, parent, j, _pickle_error(exc), True)
                    f.stored = stored
                    report.findings.append(f)
                    return
                except Exception as exc:
                    # One worker lets it reach its loop's handler: a fault in next_steps.
                    f = Finding(place, "error", name, parent, j, _pickle_error(exc), fault=True)
                    f.stored = stored
                    report.findings.append(f)
                    return
                if not ok and name not in reported:
                    reported.add(name)
                    f = Finding(place, "invariant", name, parent, j)
                    f.stored = stored
                    report.findings.append(f)
                    if not self.keep_going:
                        return

    def _parent_of(self, gid: int) -> int:
        return int(self.search.links[gid // self.count][1])

    def advance(self, ranks: bytes) -> None:
        """Make the new states the level to expand, with their ranks in one worker's order."""
        order = array("Q")
        order.frombytes(ranks)
        self.level = [(rank, state, gid) for rank, (_, state, gid) in zip(order, self.next_level)]
        self.next_level = []

    # -- questions of the coordinator ----------------------------------------------

    def counts_before(self, key: int) -> tuple[int, int, int]:
        """For one worker stopped at ``key``: successors of the states ranked before its
        parent, new states with a key up to ``key``, and those with a smaller key."""
        rank = key >> _INDEX_BITS
        generated = sum(n for (r, _, _), n in zip(self.level, self.successors) if r < rank)
        upto = below = 0
        for k, _, _ in self.next_level:
            if k <= key:
                upto += 1
                below += k < key
        return generated, upto, below

    def link(self, gid: int) -> tuple[Any, int]:
        return self.search.links[gid // self.count]

    def tally(self) -> Tally:
        return Tally(
            self.generated,
            len(self.search.links) + len(self.candidates),
            len(self.level) - self.done,
        )

    def fingerprints(self) -> bytes:
        visited = self.search.visited
        assert isinstance(visited, FingerprintSet)
        return array("Q", sorted(visited)).tobytes()

    def store_bytes(self) -> int:
        return self.search._store_bytes()

    def close(self) -> None:
        search = self.search
        search.links.close()
        if search.scratch is not None:
            search.scratch.cleanup()


def _new_batch(exact: bool) -> list[Any]:
    return [array("Q"), array("Q"), array("q"), [], [] if exact else None]


def _pack(batch: list[Any]) -> bytes:
    fps, keys, parents, states, stored = batch
    return pickle.dumps(
        (fps.tobytes(), keys.tobytes(), parents.tobytes(), states, stored), protocol=pickle.HIGHEST_PROTOCOL
    )


def _unpack(packed: bytes) -> tuple[array[int], array[int], array[int], list[Any], list[Any] | None]:
    raw_fps, raw_keys, raw_parents, states, stored = pickle.loads(packed)
    fps, keys, parents = array("Q"), array("Q"), array("q")
    fps.frombytes(raw_fps)
    keys.frombytes(raw_keys)
    parents.frombytes(raw_parents)
    return fps, keys, parents, states, stored


def _pickle_error(exc: BaseException) -> bytes:
    """The exception as bytes: its class, args and attributes (our errors' constructors take
    other arguments than their ``args``, so plain pickling would not rebuild them)."""
    state = {k: v for k, v in getattr(exc, "__dict__", {}).items() if k != "trace"}
    try:
        return pickle.dumps((type(exc), exc.args, state))
    except Exception:
        return pickle.dumps((ModelError, (str(exc),), {}))


def _unpickle_error(data: bytes) -> BaseException:
    cls, args, state = pickle.loads(data)
    exc: BaseException = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


# -- the coordinator ------------------------------------------------------------------


class Transport(Protocol):
    """How the coordinator talks to its shards: forked processes or Ray actors."""

    count: int

    def level(self, tell: Callable[[list[Tally]], None]) -> list[LevelReport]: ...

    def advance(self, reports: list[LevelReport]) -> int:
        """Make the new states of the level just searched the next one to expand; the number
        of states moved between workers for it."""
        ...

    def counts_before(self, key: int) -> list[tuple[int, int, int]]: ...

    def link(self, gid: int) -> tuple[Any, int]: ...

    def fingerprints(self) -> list[bytes]: ...

    def store_bytes(self) -> int: ...

    def interrupt(self) -> list[Tally]: ...

    def close(self) -> None: ...


Connect = Callable[[Any, CheckOptions, int, list[tuple[Hashable, Any, int]]], Transport]
"""Starts ``count`` shards for a model, its options and its initial level."""


class _RemoteLinks:
    """The trace links of every shard, read through the transport (for replaying a trace)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def __getitem__(self, gid: int) -> tuple[Any, int]:
        return self.transport.link(gid)


@dataclasses.dataclass(slots=True)
class ParallelStats:
    """How the shards talked (bench/parallel.py reads them)."""

    workers: int = 0
    levels: int = 0
    batches: int = 0
    sent: int = 0  # successors sent to another shard
    sent_bytes: int = 0
    moved: int = 0  # states moved between workers (shared table) to even out their slices
    restarts: int = 0  # levels searched again in a larger shared table
    worker_cpu: float = 0.0  # CPU seconds of the workers' levels (after their start)
    critical_cpu: float = 0.0  # the sum over levels of the busiest worker's CPU seconds
    per_worker: list[int] = dataclasses.field(default_factory=list)  # successors generated by each


def check_parallel(
    model: Any,
    options: CheckOptions,
    workers: int,
    connect: Connect | None = None,
    stats_out: ParallelStats | None = None,
) -> CheckResult:
    """The search of ``checker.engine.check`` on ``workers`` shards (forked processes, unless
    ``connect`` builds another transport). Same counts, depth, verdict and trace. A model
    that :func:`one_process_reason` names is checked by one worker."""
    if one_process_reason(model) is not None or (workers < 2 and connect is None):
        from checker.engine.liveness import check

        return check(model, options)
    if options.visit is not None or options.max_states is not None:
        raise ModelError("the visit and max_states hooks need one worker")
    if options.checkpoint is not None or options.recover is not None or options.coverage:
        raise ModelError("--checkpoint, --recover and --coverage need one worker")
    return _Coordinator(model, options, workers, connect, stats_out or ParallelStats()).run()


def one_process_reason(model: Any) -> str | None:
    """Why ``model`` is checked in one process, if it is."""
    if getattr(model, "liveness", None) or getattr(model, "initial_properties", None):
        return "temporal properties are checked with one worker"
    if getattr(model, "one_process", False):
        return 'the spec uses TLCSet, RandomElement or TLCGet("level"), whose state one process keeps'
    if getattr(model, "postcondition", None):
        return "a POSTCONDITION is checked with one worker"
    return None


class _Coordinator:
    def __init__(
        self,
        model: Any,
        options: CheckOptions,
        workers: int,
        connect: Connect | None,
        stats: ParallelStats,
    ) -> None:
        self.model = model
        self.options = options
        self.workers = workers
        self.connect = connect
        self.search = Search(model, options)
        self.info = stats
        stats.workers = workers
        stats.per_worker = [0] * workers

    def run(self) -> CheckResult:
        search = self.search
        stats = search.stats
        start = time.monotonic()
        transport: Transport | None = None
        interrupted = False
        try:
            level = search._initial_level()
            if self.options.progress is not None:
                self.options.progress(
                    Progress(stats.generated, len(search.links), len(level), 0, time.monotonic() - start, True)
                )
            stats.distinct = len(search.links)
            if level and not search.stop:
                # The initial level is the coordinator's; each shard takes the states it owns.
                initial = []
                for state, idx in level:
                    stored = search.links[idx][0]
                    fp = search.fingerprinter(stored) if search.exact else int(stored)  # type: ignore[call-overload]
                    initial.append((state, stored, fp % self.workers))
                self._drop_store()
                transport = (self.connect or _fork)(self.model, self.options, self.workers, initial)
                search.links = _RemoteLinks(transport)  # type: ignore[assignment]
                try:
                    self._explore(transport, len(level), start)
                except KeyboardInterrupt:
                    interrupted = True
                    tallies = transport.interrupt()
                    stats.generated += sum(t.generated for t in tallies)
                    stats.distinct = max(stats.distinct, sum(t.distinct for t in tallies))
                    stats.left_on_queue = sum(t.queue for t in tallies)
                if not interrupted and not search.exact:
                    stats.store_bytes = transport.store_bytes()
                    stats.fingerprints = True
                    if stats.collision_probability() >= 1e-10:
                        stats.min_fp_distance = _min_distance(transport.fingerprints())
            else:
                stats.store_bytes = search._store_bytes()
                if not search.exact:
                    stats.fingerprints = True
                    if stats.collision_probability() >= 1e-10 and isinstance(search.visited, FingerprintSet):
                        stats.min_fp_distance = min_distance(search.visited)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if transport is not None:
                self.info.restarts = getattr(transport, "restarts", 0)
                transport.close()
            self._drop_store()
        stats.elapsed = time.monotonic() - start
        complete = not interrupted and not search.stop and stats.left_on_queue == 0
        return CheckResult(
            model=_describe(self.model),
            stats=stats,
            violations=search.violations,
            complete=complete,
            interrupted=interrupted,
        )

    def _drop_store(self) -> None:
        """Close the coordinator's own visited set and links (the initial level's)."""
        search = self.search
        if not isinstance(search.links, _RemoteLinks):
            search.links.close()
        if search.scratch is not None:
            search.scratch.cleanup()
            search.scratch = None

    def _explore(self, transport: Transport, size: int, start: float) -> None:
        search = self.search
        stats = search.stats
        options = self.options
        info = self.info
        depth = stats.depth
        last_report = start
        cpu = [0.0] * transport.count  # each worker's CPU seconds at the end of the last level

        def tell(tallies: list[Tally]) -> None:
            nonlocal last_report
            now = time.monotonic()
            if options.progress is None or now - last_report < options.progress_interval:
                return
            last_report = now
            per_worker = tuple(info.per_worker[i] + t.generated for i, t in enumerate(tallies))
            options.progress(
                Progress(
                    stats.generated + sum(t.generated for t in tallies),
                    max(stats.distinct, sum(t.distinct for t in tallies)),
                    sum(t.queue for t in tallies),
                    depth,
                    now - start,
                    workers=per_worker,
                )
            )

        while size and not search.stop:
            if options.max_depth is not None and depth >= options.max_depth:
                stats.left_on_queue = size
                return
            reports = transport.level(tell)
            info.levels += 1
            spent = [r.cpu - before for r, before in zip(reports, cpu)]
            cpu = [r.cpu for r in reports]
            info.worker_cpu += sum(spent)
            info.critical_cpu += max(spent)
            for i, r in enumerate(reports):
                info.batches += r.batches
                info.sent += r.sent
                info.sent_bytes += r.sent_bytes
                info.per_worker[i] += r.generated
            findings = sorted((f for r in reports for f in r.findings), key=lambda f: f.place)
            errors = [f for f in findings if f.kind == "error"]
            if errors and (options.keep_going or errors[0] is findings[0]):
                raise self._error(errors[0])
            if findings:
                for f in findings:
                    self._report(f)
                if not options.keep_going:
                    self._stop_at(transport, findings[0], size, depth)
                    return
            stats.generated += sum(r.generated for r in reports)
            new = sum(r.new for r in reports)
            stats.distinct += new
            if new:
                depth += 1
                stats.depth = depth
            info.moved += transport.advance(reports)
            size = new

    def _stop_at(self, transport: Transport, finding: Finding, size: int, depth: int) -> None:
        """The counts one worker has when it stops at ``finding``."""
        stats = self.search.stats
        key = finding.place[0]
        counts = transport.counts_before(key)
        stats.generated += sum(c[0] for c in counts)
        if finding.successor is not None:
            stats.generated += finding.successor + 1
        stats.distinct += sum(c[1] for c in counts)
        stats.left_on_queue = size - (key >> _INDEX_BITS) - 1 + sum(c[2] for c in counts)

    def _report(self, finding: Finding) -> None:
        search = self.search
        key = (finding.kind, finding.name)
        if key in search.reported:
            return
        label, succ = self._successor(finding)
        search._violated(finding.kind, finding.name, finding.parent, label, succ)

    def _successor(self, finding: Finding) -> tuple[Any, Hashable | None]:
        """The label and state of the finding's successor, replayed from its parent."""
        if finding.successor is None:
            return None, None
        search = self.search
        steps = search._rebuild(finding.parent)
        parent = steps[-1].state
        for j, (label, succ) in enumerate(self.model.next_steps(parent)):
            if finding.stored is None:
                if j == finding.successor:
                    return label, succ
                continue
            if finding.label is None:  # a new state: the first successor in the model with its key
                same = search._in_model(succ, parent)
            else:
                same = str(label) == finding.label
            if same and search.fingerprint(succ) == finding.stored:
                return label, succ
        raise search._replay_failure(len(steps), steps[-1].state, [])

    def _error(self, finding: Finding) -> BaseException:
        assert finding.error is not None
        exc = _unpickle_error(finding.error)
        if finding.fault:
            label, _ = self._successor(finding)
            parent = self.search._rebuild(finding.parent)[-1].state
            assert isinstance(exc, Exception)
            return self.search._model_fault(exc, parent, label)
        if finding.traced and isinstance(exc, ModelError):
            label, succ = self._successor(finding)
            try:
                steps = self.search._rebuild(finding.parent)
            except ModelError:
                return exc
            if succ is not None:
                steps.append(Step(label, succ, self.search._record(succ)))
            exc.trace = Trace(self.search.variables, tuple(steps))
        return exc


def merge_ranks(keys: list[bytes]) -> list[bytes]:
    """For each shard's sorted keys, their places in the merge of all (keys are unique)."""
    import numpy as np

    parts = [np.frombuffer(k, dtype=np.uint64) for k in keys]
    merged = np.concatenate(parts)
    ranks = np.empty(len(merged), dtype=np.uint64)
    ranks[np.argsort(merged, kind="stable")] = np.arange(len(merged), dtype=np.uint64)
    bounds = np.cumsum([0] + [len(p) for p in parts])
    return [ranks[bounds[i] : bounds[i + 1]].tobytes() for i in range(len(parts))]


def _min_distance(parts: list[bytes]) -> int:
    import numpy as np

    values = np.concatenate([np.frombuffer(p, dtype=np.uint64) for p in parts])
    if len(values) < 2:
        return (1 << 63) - 1
    values.sort()
    return int(np.diff(values).min())


def _describe(model: Any) -> str:
    describe = getattr(model, "describe", None)
    return describe() if callable(describe) else type(model).__name__


# -- forked processes ------------------------------------------------------------------


class _Stopped(Exception):
    """The coordinator asked a worker to stop (Ctrl-C)."""


_END = b""


def _fork(model: Any, options: CheckOptions, count: int, initial: list[tuple[Hashable, Any, int]]) -> Transport:
    """Forked workers: sharing one visited table of fingerprints; in exact mode (states
    compared whole, which no shared table holds), each owning a part of the states."""
    if options.exact or getattr(model, "exact_states", False):
        return ProcessTransport(model, options, count, initial)
    return SharedTransport(model, options, count, initial)


class ProcessTransport:
    """Shards in forked processes (after the spec is compiled: they inherit the model). The
    coordinator sends each a command through a pipe; shards send batches to each other
    through one queue each (a queue's feeder thread never blocks the sender)."""

    def __init__(
        self,
        model: Any,
        options: CheckOptions,
        count: int,
        initial: list[tuple[Hashable, Any, int]],
        serve: Callable[..., None] | None = None,
        *extra: Any,
    ) -> None:
        self.count = count
        ctx = multiprocessing.get_context("fork")
        self.inboxes: list[Any] = [ctx.Queue() if serve is None else Mailbox(ctx) for _ in range(count)]
        self.pipes: list[Any] = []
        self.procs = []
        interval = max(0.2, min(options.progress_interval, 1.0))
        for index in range(count):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(
                target=serve or _serve,
                args=(model, options, index, count, initial, theirs, self.inboxes, interval, list(self.pipes), *extra),
                daemon=True,
                name=f"tlacheck-shard-{index}",
            )
            proc.start()
            theirs.close()
            self.pipes.append(mine)
            self.procs.append(proc)
        self.tallies = [Tally(0, 0, 0) for _ in range(count)]

    def _recv(self, index: int) -> Any:
        message = self.pipes[index].recv()
        if message[0] == "crash":
            raise InternalError(f"worker {index + 1} failed:\n{message[1]}")
        return message[1]

    def _ask(self, op: str, *args: Any) -> list[Any]:
        for pipe in self.pipes:
            pipe.send((op, *args))
        return [self._recv(i) for i in range(self.count)]

    def level(self, tell: Callable[[list[Tally]], None]) -> list[LevelReport]:
        from multiprocessing.connection import wait

        for pipe in self.pipes:
            pipe.send(("level",))
        reports: list[LevelReport | None] = [None] * self.count
        waiting = set(range(self.count))
        while waiting:
            ready = wait([self.pipes[i] for i in waiting], timeout=0.25)
            for conn in ready:
                i = self.pipes.index(conn)
                message: Any = self.pipes[i].recv()
                if message[0] == "crash":
                    raise InternalError(f"worker {i + 1} failed:\n{message[1]}")
                if message[0] == "progress":
                    self.tallies[i] = message[1]
                    continue
                reports[i] = message[1]
                waiting.discard(i)
            if not ready and not all(p.is_alive() for p in self.procs):
                raise InternalError("a worker process ended during the search")
            tell(self.tallies)
        self.tallies = [Tally(0, 0, 0) for _ in range(self.count)]
        return [r for r in reports if r is not None]

    def advance(self, reports: list[LevelReport]) -> int:
        for pipe, mine in zip(self.pipes, merge_ranks([r.keys for r in reports])):
            pipe.send(("advance", mine))
        return 0

    def counts_before(self, key: int) -> list[tuple[int, int, int]]:
        return self._ask("counts", key)

    def link(self, gid: int) -> tuple[Any, int]:
        return self.link_of(gid % self.count, gid)

    def link_of(self, index: int, gid: int) -> tuple[Any, int]:
        self.pipes[index].send(("link", gid))
        result: tuple[Any, int] = self._recv(index)
        return result

    def fingerprints(self) -> list[bytes]:
        return self._ask("fingerprints")

    def store_bytes(self) -> int:
        return sum(self._ask("store_bytes"))

    def interrupt(self) -> list[Tally]:
        """Stop every worker where it is; their counts so far."""
        tallies = list(self.tallies)
        for pipe in self.pipes:
            try:
                pipe.send(("stop",))
            except OSError:
                pass
        deadline = time.monotonic() + 5
        for i, pipe in enumerate(self.pipes):
            while time.monotonic() < deadline:
                if not pipe.poll(0.1):
                    continue
                try:
                    message = pipe.recv()
                except EOFError:
                    break
                if message[0] in ("stopped", "progress"):
                    tallies[i] = message[1]
                if message[0] == "stopped":
                    break
        return tallies

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send(("close",))
            except OSError:
                pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for inbox in self.inboxes:
            inbox.close()
            inbox.join_thread()


class Mailbox:
    """A worker's inbox for the pieces that even out the next level's slices (shared table).
    The sender writes a piece in its own thread, at once: a ``multiprocessing.Queue``'s
    feeder thread competes for the GIL with the sender, which goes on expanding, and wins
    it back once per 5 ms switch interval for each 64 KB the pipe takes, delaying the
    receiver's level by up to 0.17 s (Counters, bench/parallel.py). One message at a time
    (a lock per mailbox). Pieces only go from the worker holding a rank to the worker that
    expands it, never both ways between two workers, so a sender blocked on a full pipe
    always has a receiver reading it. Each worker keeps the reading end of its own mailbox
    and the writing ends of the others' (:meth:`keep`): a sender whose receiver is gone gets
    a broken pipe instead of waiting forever."""

    def __init__(self, ctx: Any) -> None:
        self.reader, self.writer = ctx.Pipe(duplex=False)
        self.lock = ctx.Lock()

    def put(self, item: Any) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.writer.send_bytes(data)

    def get(self, timeout: float) -> Any:
        """The next message; ``queue.Empty`` if none came within ``timeout`` seconds."""
        if not self.reader.poll(timeout):
            raise queue.Empty
        return pickle.loads(self.reader.recv_bytes())

    def keep(self, reader: bool) -> None:
        """Close the end this process does not use."""
        (self.writer if reader else self.reader).close()

    def close(self) -> None:
        self.reader.close()
        self.writer.close()

    def join_thread(self) -> None:
        """Nothing is left in a thread (a Queue's method)."""

    def cancel_join_thread(self) -> None:
        """Nothing is left in a thread (a Queue's method)."""


def _serve(
    model: Any,
    options: CheckOptions,
    index: int,
    count: int,
    initial: list[tuple[Hashable, Any, int]],
    ctrl: Any,
    inboxes: list[Any],
    interval: float,
    inherited: list[Any],
    table: SharedTable | None = None,
) -> None:
    """A worker process: one shard (with ``table``, a :class:`SharedShard`), driven by the
    coordinator's commands. It ends when the coordinator says so, or when the coordinator
    is gone (killed: its pipe gives EOF, or this process has another parent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    for conn in inherited:  # the coordinator's ends of the earlier workers' pipes
        conn.close()
    for i, inbox in enumerate(inboxes):
        if isinstance(inbox, Mailbox):
            inbox.keep(reader=i == index)
    coordinator = os.getppid()
    tune_gc()
    try:
        if table is None:
            shard = Shard(model, options, index, count, initial)
        else:
            shard = SharedShard(model, options, index, count, table, initial)
    except BaseException:
        ctrl.send(("crash", traceback.format_exc()))
        return
    report: LevelReport | None = None
    try:
        while True:
            while not ctrl.poll(1.0):
                if os.getppid() != coordinator:
                    _abandon(inboxes)
                    return
            command = ctrl.recv()
            op = command[0]
            if op == "level":
                try:
                    report = _run_level(shard, ctrl, inboxes, interval, coordinator)
                except _Stopped:
                    ctrl.send(("stopped", shard.tally()))
                    return
                ctrl.send(("level", report))
            elif op == "expand":
                try:
                    report = shard.expand(_no_send, _watcher(shard, ctrl, interval, coordinator))
                except _Stopped:
                    ctrl.send(("stopped", shard.tally()))
                    return
                ctrl.send(("expand", report))
            elif op == "finish":
                assert report is not None
                ctrl.send(("finish", shard.finish(report)))
            elif op == "remap":
                assert isinstance(shard, SharedShard)
                shard.drop_level(SharedTable(command[1], command[2], shard.table.lock))
                ctrl.send(("remap", None))
            elif op == "advance" and isinstance(shard, SharedShard):
                _rebalance(shard, inboxes, coordinator, *command[1:])
            elif op == "advance":
                shard.advance(command[1])
            elif op == "counts":
                ctrl.send(("counts", shard.counts_before(command[1])))
            elif op == "link":
                ctrl.send(("link", shard.link(command[1])))
            elif op == "fingerprints":
                ctrl.send(("fingerprints", shard.fingerprints()))
            elif op == "store_bytes":
                ctrl.send(("store_bytes", shard.store_bytes()))
            elif op == "stop":
                ctrl.send(("stopped", shard.tally()))
                return
            else:
                return
    except (EOFError, BrokenPipeError):
        _abandon(inboxes)
        return
    except BaseException:
        try:
            ctrl.send(("crash", traceback.format_exc()))
        except OSError:
            pass
    finally:
        shard.close()


def _abandon(inboxes: list[Any]) -> None:
    """The coordinator is gone: exit without waiting for batches still queued to the other
    workers (a queue's feeder thread would block forever on a full pipe that nobody reads,
    as every worker holds every inbox's read end, and keep this process alive)."""
    for inbox in inboxes:
        inbox.cancel_join_thread()


def _no_send(owner: int, packed: bytes) -> int:
    raise AssertionError("a shared-table worker sends no states while it expands")


def _rebalance(
    shard: SharedShard, inboxes: list[Any], coordinator: int, base: int, first: int, bounds: list[int]
) -> None:
    """Store this worker's new states and exchange the pieces of the next level's slices
    (:meth:`SharedShard.split`) through the workers' mailboxes."""
    me = shard.index
    pieces = shard.split(base, first, bounds)
    for worker, piece in enumerate(pieces):
        if worker != me and piece[1]:
            inboxes[worker].put(piece)
    mine = [pieces[me]]
    want = bounds[me + 1] - bounds[me]
    have = len(pieces[me][1])
    while have < want:
        try:
            piece = inboxes[me].get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != coordinator:
                raise EOFError from None  # the coordinator is gone
            continue
        mine.append(piece)
        have += len(piece[1])
    shard.take(base, bounds, mine)


def _watcher(shard: Shard, ctrl: Any, interval: float, coordinator: int) -> Callable[[], None]:
    """What a worker does between states: stop if told to, send its counts every
    ``interval`` seconds, and end if the coordinator is gone."""
    next_tell = time.monotonic() + interval

    def watch() -> None:
        nonlocal next_tell
        if ctrl.poll():
            command = ctrl.recv()
            if command[0] == "stop":
                raise _Stopped
        now = time.monotonic()
        if now >= next_tell:
            if os.getppid() != coordinator:
                raise EOFError  # the coordinator is gone
            next_tell = now + interval
            ctrl.send(("progress", shard.tally()))

    return watch


def _run_level(shard: Shard, ctrl: Any, inboxes: list[Any], interval: float, coordinator: int) -> LevelReport:
    me, count = shard.index, shard.count
    inbox = inboxes[me]
    ends = 0

    def take(item: Any) -> None:
        nonlocal ends
        if item == _END:
            ends += 1
        else:
            shard.receive(item)

    def send(owner: int, packed: bytes) -> int:
        inboxes[owner].put(packed)
        return len(packed)

    watch = _watcher(shard, ctrl, interval, coordinator)

    def poll() -> None:
        while True:
            try:
                item = inbox.get_nowait()
            except queue.Empty:
                break
            take(item)
        watch()

    report = shard.expand(send, poll)
    for owner in range(count):
        if owner != me:
            inboxes[owner].put(_END)
    while ends < count - 1:
        try:
            item = inbox.get(timeout=0.1)
        except queue.Empty:
            watch()
            continue
        take(item)
    return shard.finish(report)


__all__ = ["BATCH", "ParallelStats", "ProcessTransport", "Shard", "check_parallel"]


# -- shards in this process (tests, profiles) -----------------------------------------


class InlineTransport:
    """Every shard in this process, one after the other: the same messages as between
    processes, without the processes (tests and profiles use it)."""

    def __init__(
        self, model: Any, options: CheckOptions, count: int, initial: list[tuple[Hashable, Any, int]]
    ) -> None:
        self.count = count
        self.shards = [Shard(model, options, i, count, initial) for i in range(count)]

    def level(self, tell: Callable[[list[Tally]], None]) -> list[LevelReport]:
        mail: list[list[bytes]] = [[] for _ in range(self.count)]

        def send(owner: int, packed: bytes) -> int:
            mail[owner].append(packed)
            return len(packed)

        reports = [shard.expand(send, lambda: None) for shard in self.shards]
        for shard, batches in zip(self.shards, mail):
            for packed in batches:
                shard.receive(packed)
        return [shard.finish(report) for shard, report in zip(self.shards, reports)]

    def advance(self, reports: list[LevelReport]) -> int:
        for shard, mine in zip(self.shards, merge_ranks([r.keys for r in reports])):
            shard.advance(mine)
        return 0

    def counts_before(self, key: int) -> list[tuple[int, int, int]]:
        return [shard.counts_before(key) for shard in self.shards]

    def link(self, gid: int) -> tuple[Any, int]:
        return self.shards[gid % self.count].link(gid)

    def fingerprints(self) -> list[bytes]:
        return [shard.fingerprints() for shard in self.shards]

    def store_bytes(self) -> int:
        return sum(shard.store_bytes() for shard in self.shards)

    def interrupt(self) -> list[Tally]:
        return [shard.tally() for shard in self.shards]

    def close(self) -> None:
        for shard in self.shards:
            shard.close()


# -- one visited table in shared memory (forked workers, fingerprints) ------------------


class SharedShard(Shard):
    """A worker of the shared-table search: it expands a contiguous slice of the level (by
    rank), offers every successor's fingerprint to the table that all workers map
    (:class:`~checker.engine.visited.SharedTable`), with its key, and keeps the successors
    whose key is, at the end of the level, the smallest offered for their state: one
    worker's occurrence. No state crosses between workers, except to even out the slices.

    A state's id is its place in one worker's order (the order of the trace links of
    ``checker/engine/bfs.py``): the ids of a level follow the ids of the one before, and
    within a level the workers' new states come in the order of the workers (a worker's
    keys are all below the next worker's: its parents have smaller ranks). The trace link
    of a state stays with the worker that found it (``segments``).
    """

    def __init__(
        self,
        model: Any,
        options: CheckOptions,
        index: int,
        count: int,
        table: SharedTable,
        initial: Sequence[tuple[Hashable, Any, int]],
    ) -> None:
        self.search = Search(model, dataclasses.replace(options, progress=None))
        self.index = index
        self.count = count
        self.keep_going = options.keep_going
        self.table = table
        self.base = 0  # id of the level's first state (rank 0)
        self.level = [(rank, state, rank) for rank, (state, _, owner) in enumerate(initial) if owner == index]
        self.successors = array("q")
        self.next_level: list[tuple[int, Hashable, int]] = []  # (key, state, fingerprint), by key
        self.segments: list[tuple[int, int]] = []  # (first id, first local link) of each level's own
        self.kept_slots = array("Q")
        self.kept_keys = array("Q")
        self.kept_fps = array("Q")
        self.kept_states: list[Hashable] = []
        self.generated = 0
        self.done = 0
        self.cpu_start = time.process_time()

    def expand(self, send: Callable[[int, Any], int], poll: Callable[[], None]) -> LevelReport:
        """Expand this worker's slice of the level (``send`` is not used)."""
        search = self.search
        canon = search.canon
        fingerprinter = search.fingerprinter
        insert = self.table.insert
        self.kept_slots = kept_slots = array("Q")
        self.kept_keys = kept_keys = array("Q")
        self.kept_fps = kept_fps = array("Q")
        self.kept_states = kept_states = cast(list[Hashable], [])
        slot_append, key_append, fp_append, state_append = (
            kept_slots.append,
            kept_keys.append,
            kept_fps.append,
            kept_states.append,
        )
        full = False

        def offer(succ: Hashable, key: int, gid: int) -> bool:
            nonlocal full
            fp = fingerprinter(canon(succ) if canon is not None else succ)
            r = insert(fp, key)
            if r & 3:
                if r & 3 == FULL:
                    full = True
                    return True
                slot_append(r >> 2)
                key_append(key)
                fp_append(fp)
                state_append(succ)
            return False

        findings = self._expand_level(offer, poll)
        return LevelReport(self.generated, b"", findings, full=full)

    def finish(self, report: LevelReport) -> LevelReport:
        """Once every worker has expanded its slice: keep the successors whose key is their
        state's smallest (already in key order), and check their invariants."""
        claimed = self.table.claim(self.kept_slots.tobytes(), self.kept_keys.tobytes())
        keys, fps, states = self.kept_keys, self.kept_fps, self.kept_states
        self.next_level = [(keys[k], states[k], fps[k]) for k, mine in enumerate(claimed) if mine]
        self.kept_slots, self.kept_keys, self.kept_fps, self.kept_states = array("Q"), array("Q"), array("Q"), []
        report.new = len(self.next_level)
        report.cpu = time.process_time() - self.cpu_start
        if not any(f.kind == "error" or not self.keep_going for f in report.findings):
            base = self.base
            self._check_new([(key, state, base + (key >> _INDEX_BITS), fp) for key, state, fp in self.next_level], report)
        return report

    def store(self, first: int) -> list[Hashable]:
        """Append the trace links of this worker's new states, whose ids start at ``first``;
        their states, in order."""
        links = self.search.links
        self.segments.append((first, len(links)))
        base = self.base
        for key, _, fp in self.next_level:
            links.append(fp, base + (key >> _INDEX_BITS))
        states = [state for _, state, _ in self.next_level]
        self.next_level = []
        return states

    def split(self, base: int, first: int, bounds: list[int]) -> list[tuple[int, list[Hashable]]]:
        """Store the trace links of this worker's new states (ids from ``first``; the next
        level's from ``base``), and cut them by the next level's slices (``bounds``, ranks):
        for each worker, (first rank, states) of its part, empty for most."""
        states = self.store(first)
        held = first - base
        pieces = []
        for worker in range(self.count):
            lo, hi = max(held, bounds[worker]), min(held + len(states), bounds[worker + 1])
            pieces.append((lo, states[lo - held : hi - held] if lo < hi else []))
        return pieces

    def take(self, base: int, bounds: list[int], pieces: list[tuple[int, list[Hashable]]]) -> None:
        """Make the pieces (first rank, states) this worker's slice of the level whose first
        id is ``base``."""
        first = base + bounds[self.index]
        states = [state for _, part in sorted(pieces, key=lambda p: p[0]) for state in part]
        assert len(states) == bounds[self.index + 1] - bounds[self.index]
        self.base = base
        self.level = [(first - base + k, state, first + k) for k, state in enumerate(states)]

    def drop_level(self, table: SharedTable) -> None:
        """The level is searched again, in ``table``: forget what it kept."""
        self.table.close()
        self.table = table
        self.kept_slots, self.kept_keys, self.kept_fps, self.kept_states = array("Q"), array("Q"), array("Q"), []

    def link(self, gid: int) -> tuple[Any, int]:
        k = bisect.bisect_right(self.segments, (gid, 1 << 62)) - 1
        first, local = self.segments[k]
        return self.search.links[local + gid - first]

    def tally(self) -> Tally:
        # The table counts every worker's states: the first worker reports them all.
        return Tally(self.generated, len(self.table) if self.index == 0 else 0, len(self.level) - self.done)


TABLE_SLOTS = 1 << 16
"""Slots of the shared table at the start (1 MB; more for many initial states)."""

GROW_AHEAD = True
"""Grow the shared table between levels when the next level's successors may not fit
(about as many per state as in the last level), so that a level is rarely searched twice
(tests turn it off to search levels again)."""

BALANCE = 0.02
"""A level's slices are evened out when a worker holds more than this fraction above its
share of the level's new states (a worker keeps the states whose smallest key is its own:
the first worker wins every state that several workers find, so it gathers more)."""


class SharedPlan:
    """What the coordinator of a shared-table search keeps, whatever runs the workers
    (forked processes, or Ray actors on this machine): the table, which it creates and
    grows; the ids of each level; which worker holds which trace links.

    Per level the workers ``expand`` their slices, then ``finish`` (each claims its new
    states), then ``advance`` (ids, and the slices evened out). If the table fills up
    during a level, the level is searched again in a table four times as large (which
    holds the states of the earlier levels only: the level's own inserts are dropped).
    Before a level, the table grows if it may not hold the level's successors."""

    count: int

    def _plan_start(self, initial: list[tuple[Hashable, Any, int]], lock: Any) -> list[tuple[Hashable, Any, int]]:
        """Create the table with the initial states; the initial level, with each state's
        worker (even slices by rank)."""
        n = len(initial)
        self.table = SharedTable.create(SharedTable.folder(), _power_of_two(max(TABLE_SLOTS, 4 * n)), lock)
        self.restarts = 0
        for _, stored, _ in initial:
            self.table.add_old(int(stored))
        self.initial = [int(stored) for _, stored, _ in initial]
        bounds = _even(n, self.count)
        self.next_base = n  # id of the next level's first state
        self.size = n  # states of the level being searched
        self.branching = 1.0  # successors per state in the last level
        self.owners: list[tuple[int, int]] = []  # (first id, worker) of each worker's links
        return [(state, stored, bisect.bisect_right(bounds, rank) - 1) for rank, (state, stored, _) in enumerate(initial)]

    def _remap(self, table: SharedTable) -> None:
        """Make every worker map ``table`` (and drop what it kept of the level); return
        once they all have (its file is then removed: the memory lives as long as a
        process maps it, so a coordinator killed leaves nothing behind)."""
        raise NotImplementedError

    def _grow(self, slots: int) -> None:
        """A larger table with the states of the earlier levels; the workers map it."""
        old, self.table = self.table, self.table.grown(slots)
        self._remap(self.table)
        self.table.unlink()
        old.close()

    def _level(self, run: Callable[[str], list[LevelReport]]) -> list[LevelReport]:
        """Search a level: ``run(op)`` runs ``expand`` or ``finish`` on every worker."""
        while True:
            reports = run("expand")
            if not any(r.full for r in reports):
                break
            self.restarts += 1
            self._grow(4 * self.table.slots)
        reports = run("finish")
        self.branching = sum(r.generated for r in reports) / max(1, self.size)
        return reports

    def _plan(self, reports: list[LevelReport]) -> tuple[int, list[int], list[int], int]:
        """The next level: its first id, the ranks each worker holds (bounds), the ranks
        each will expand (bounds: only an excess above ``BALANCE`` moves), and the number
        of states that move."""
        sizes = [r.new for r in reports]
        total = sum(sizes)
        held = [0]
        for n in sizes:
            held.append(held[-1] + n)
        share = total / self.count
        bounds = _even(total, self.count) if max(sizes) > (1 + BALANCE) * share + 1 else held
        base = self.next_base
        for worker, n in enumerate(sizes):
            if n:
                self.owners.append((base + held[worker], worker))
        # room for the next level's successors (about as many per state as in this one)
        expected = len(self.table) + int(total * max(1.0, self.branching)) + 1
        if expected > self.table.limit and GROW_AHEAD:
            self._grow(_power_of_two(2 * expected))
        self.next_base += total
        self.size = total
        moved = sum(
            max(0, min(held[w + 1], bounds[w]) - held[w]) + max(0, held[w + 1] - max(held[w], bounds[w + 1]))
            for w in range(self.count)
        )
        return base, held, bounds, moved

    def _holder(self, gid: int) -> int | None:
        """The worker that holds the trace link of ``gid`` (None: an initial state's, here)."""
        if gid < len(self.initial):
            return None
        return self.owners[bisect.bisect_right(self.owners, (gid, self.count)) - 1][1]

    def fingerprints(self) -> list[bytes]:
        return [self.table.fingerprints()]

    def store_bytes(self) -> int:
        return self.table.ram_bytes() + 16 * TraceLinks._BUFFER * self.count


class SharedTransport(SharedPlan, ProcessTransport):
    """Workers in forked processes that share one visited table (:class:`SharedShard`,
    :class:`SharedPlan`)."""

    def __init__(
        self, model: Any, options: CheckOptions, count: int, initial: list[tuple[Hashable, Any, int]]
    ) -> None:
        self.count = count
        lock = None if atomic_table() else multiprocessing.get_context("fork").Lock()
        owned = self._plan_start(initial, lock)
        ProcessTransport.__init__(self, model, options, count, owned, _serve, self.table)
        self.table.unlink()  # the workers inherited its mapping
        for inbox in self.inboxes:  # the workers' (a worker gone breaks its senders' pipes)
            inbox.close()

    def _gather(self, op: str, tell: Callable[[list[Tally]], None], *args: Any) -> list[Any]:
        from multiprocessing.connection import wait

        for pipe in self.pipes:
            pipe.send((op, *args))
        reports: list[Any] = [None] * self.count
        waiting = set(range(self.count))
        while waiting:
            ready = wait([self.pipes[i] for i in waiting], timeout=0.25)
            for conn in ready:
                i = self.pipes.index(conn)
                message: Any = self.pipes[i].recv()
                if message[0] == "crash":
                    raise InternalError(f"worker {i + 1} failed:\n{message[1]}")
                if message[0] == "progress":
                    self.tallies[i] = message[1]
                    continue
                assert message[0] == op, message[0]
                reports[i] = message[1]
                waiting.discard(i)
            if not ready and not all(p.is_alive() for p in self.procs):
                raise InternalError("a worker process ended during the search")
            tell(self.tallies)
        return reports

    def level(self, tell: Callable[[list[Tally]], None]) -> list[LevelReport]:
        reports = self._level(lambda op: self._gather(op, tell))
        self.tallies = [Tally(0, 0, 0) for _ in range(self.count)]
        return reports

    def _remap(self, table: SharedTable) -> None:
        self._gather("remap", lambda tallies: None, table.path, table.slots)

    def advance(self, reports: list[LevelReport]) -> int:
        base, held, bounds, moved = self._plan(reports)
        for worker, pipe in enumerate(self.pipes):
            pipe.send(("advance", base, base + held[worker], bounds))
        return moved

    def link(self, gid: int) -> tuple[Any, int]:
        worker = self._holder(gid)
        if worker is None:
            return self.initial[gid], -1
        return self.link_of(worker, gid)

    def close(self) -> None:
        try:
            ProcessTransport.close(self)
        finally:
            self.table.close(unlink=True)


def _power_of_two(n: int) -> int:
    return 1 << max(0, n - 1).bit_length()


def _even(n: int, count: int) -> list[int]:
    """Bounds of ``count`` slices of ``n`` ranks as even as can be."""
    return [n * w // count for w in range(count + 1)]

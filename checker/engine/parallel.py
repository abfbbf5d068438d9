"""Breadth-first search on several processes (``--workers N``) or Ray actors (``--cluster``).

The search of ``checker/engine/bfs.py``, cut into *shards*: shard ``i`` of ``N`` owns the
states whose fingerprint is ``i`` modulo ``N`` (Stern and Dill's partition, as PReach and
TLC's distributed fingerprint sets do). It stores their fingerprints and trace links,
expands them, and checks the invariants of the new ones. The search goes level by level:

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
earlier), and the level ends.

What is not done with several workers: checkpoints, ``--coverage``, the ``visit`` and
``max_states`` hooks (the command line refuses them), and a frontier on disk (each shard
keeps its part of a level in RAM). Liveness properties are checked with one worker.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import time
import traceback
from array import array
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol

from checker.engine.bfs import Search, min_distance
from checker.engine.fingerprint import UnencodableValue
from checker.engine.result import CheckOptions, CheckResult, Progress, Step, Trace
from checker.engine.visited import FingerprintSet
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

    # -- expand -------------------------------------------------------------------

    def expand(self, send: Callable[[int, Any], int], poll: Callable[[], None]) -> LevelReport:
        """Expand this shard's states of the level; successors owned by another shard go
        through ``send(owner, batch) -> bytes sent``; ``poll()`` is called between states (to
        take in batches, report progress, or raise to stop)."""
        search = self.search
        count, me = self.count, self.index
        next_steps = search.model.next_steps
        constraint, action_constraint = search.constraint, search.action_constraint
        canon, exact = search.canon, search.exact
        fingerprinter = search.fingerprinter
        action_properties = search.action_properties
        check_deadlock = search.check_deadlock
        sent = self.sent
        visited_add: Callable[[Any], bool] = search.visited.add
        candidates = self.candidates
        keep_going = self.keep_going
        outgoing: list[list[Any]] = [_new_batch(exact) for _ in range(count)]
        findings: list[Finding] = []
        reported: set[tuple[str, str]] = set()
        self.successors = successors = array("q")
        self.generated = 0
        self.done = 0
        batches = sent_count = sent_bytes = 0

        def flush(owner: int) -> None:
            nonlocal batches, sent_count, sent_bytes
            batch = outgoing[owner]
            outgoing[owner] = _new_batch(exact)
            batches += 1
            sent_count += len(batch[3])
            sent_bytes += send(owner, _pack(batch))

        def found(f: Finding) -> bool:
            """Record ``f``; True if the expansion stops here."""
            if (f.kind, f.name) not in reported:
                reported.add((f.kind, f.name))
                findings.append(f)
            return f.kind == "error" or not keep_going

        stop = False
        for position, (rank, state, gid) in enumerate(self.level):
            if sent is not None and len(sent) > SENT_CACHE:
                sent.clear()
            base = rank << _INDEX_BITS
            j = 0
            phase = _NEXT_STEPS
            label: Any = None
            succ: Any = None
            name = ""
            try:
                for label, succ in next_steps(state):  # noqa: B007 - read by the handler
                    phase = _ADMIT
                    if (constraint is not None and not constraint(succ)) or (
                        action_constraint is not None and not action_constraint(state, succ)
                    ):
                        # Outside the model: checked here, neither stored nor explored.
                        phase = _INVARIANT
                        for i, (name, inv) in enumerate(search.invariants):
                            if not inv(succ):
                                f = Finding((base | j, _INVARIANT, i), "invariant", name, gid, j)
                                stop = found(self._identify(f, label, succ))
                                if stop:
                                    break
                        if not stop and action_properties:
                            phase = _ACTION
                            stop = self._check_step(state, label, succ, base | j, gid, j, found)
                        if stop:
                            break
                        j += 1
                        phase = _NEXT_STEPS
                        continue
                    stored = canon(succ) if canon is not None else succ
                    fp = fingerprinter(stored)
                    if not exact:
                        stored = fp
                    owner = fp % count
                    if owner == me:
                        # New: into the visited set at once (one probe, as one worker);
                        # else it may be this level's, met before with a larger key.
                        if visited_add(stored):
                            candidates[stored] = (base | j, succ, gid)
                        else:
                            known = candidates.get(stored)
                            if known is not None and base | j < known[0]:
                                candidates[stored] = (base | j, succ, gid)
                    elif sent is None or fp not in sent:
                        if sent is not None:
                            sent.add(fp)
                        batch = outgoing[owner]
                        batch[0].append(fp)
                        batch[1].append(base | j)
                        batch[2].append(gid)
                        batch[3].append(succ)
                        if exact:
                            batch[4].append(stored)
                        if len(batch[3]) >= BATCH:
                            flush(owner)
                    if action_properties:
                        phase = _ACTION
                        stop = self._check_step(state, label, succ, base | j, gid, j, found)
                        if stop:
                            break
                    j += 1
                    phase = _NEXT_STEPS
            except Exception as exc:
                found(self._failure(exc, phase, name, base | j, gid, j, state, label, succ))
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
        for owner in range(count):
            if outgoing[owner][3]:
                flush(owner)
        return LevelReport(self.generated, b"", findings, batches, sent_count, sent_bytes)

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
        stopped = any(f.kind == "error" or not self.keep_going for f in report.findings)
        reported: set[str] = set()
        invariants = search.invariants
        stored_of = {key: stored for stored, (key, _, _) in chosen}
        for key, state, gid in next_level:
            if stopped:
                break
            for i, (name, inv) in enumerate(invariants):
                place = (key, _INVARIANT, i)
                j = key & _INDEX_MASK
                try:
                    ok = inv(state)
                except ModelError as exc:
                    error = _pickle_error(exc)
                    f = Finding(place, "error", name, self._parent_of(gid), j, error, True)
                    f.stored = stored_of[key]
                    report.findings.append(f)
                    stopped = True
                    break
                except Exception as exc:
                    # One worker lets it reach its loop's handler: a fault in next_steps.
                    error = _pickle_error(exc)
                    f = Finding(place, "error", name, self._parent_of(gid), j, error, fault=True)
                    f.stored = stored_of[key]
                    report.findings.append(f)
                    stopped = True
                    break
                if not ok and name not in reported:
                    reported.add(name)
                    f = Finding(place, "invariant", name, self._parent_of(gid), j)
                    f.stored = stored_of[key]
                    report.findings.append(f)
                    if not self.keep_going:
                        stopped = True
                        break
        return report

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

    def advance(self, ranks: list[bytes]) -> None: ...

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
            keys = [r.keys for r in reports]
            new = sum(len(k) for k in keys) // 8
            stats.distinct += new
            if new:
                depth += 1
                stats.depth = depth
            transport.advance(_ranks(keys))
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


def _ranks(keys: list[bytes]) -> list[bytes]:
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
    return ProcessTransport(model, options, count, initial)


class ProcessTransport:
    """Shards in forked processes (after the spec is compiled: they inherit the model). The
    coordinator sends each a command through a pipe; shards send batches to each other
    through one queue each (a queue's feeder thread never blocks the sender)."""

    def __init__(
        self, model: Any, options: CheckOptions, count: int, initial: list[tuple[Hashable, Any, int]]
    ) -> None:
        self.count = count
        ctx = multiprocessing.get_context("fork")
        self.inboxes = [ctx.Queue() for _ in range(count)]
        self.pipes: list[Any] = []
        self.procs = []
        interval = max(0.2, min(options.progress_interval, 1.0))
        for index in range(count):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(
                target=_serve,
                args=(model, options, index, count, initial, theirs, self.inboxes, interval, list(self.pipes)),
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

    def advance(self, ranks: list[bytes]) -> None:
        for pipe, mine in zip(self.pipes, ranks):
            pipe.send(("advance", mine))

    def counts_before(self, key: int) -> list[tuple[int, int, int]]:
        return self._ask("counts", key)

    def link(self, gid: int) -> tuple[Any, int]:
        index = gid % self.count
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
) -> None:
    """A worker process: one shard, driven by the coordinator's commands. It ends when the
    coordinator says so, or when the coordinator is gone (killed: its pipe gives EOF, or
    this process has another parent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    for conn in inherited:  # the coordinator's ends of the earlier workers' pipes
        conn.close()
    coordinator = os.getppid()
    _tune_gc()
    try:
        shard = Shard(model, options, index, count, initial)
    except BaseException:
        ctrl.send(("crash", traceback.format_exc()))
        return
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


def _tune_gc() -> None:
    """What the worker inherited (the compiled model) is never garbage: ``gc.freeze`` keeps
    the collector from scanning it (and from writing to its pages, which the fork shares);
    and a shard allocates its states in bursts (a batch unpickled at once), so the youngest
    generation is collected every 20,000 allocations instead of 700. States are tuples, sets
    and functions without cycles; cycles a model makes are still collected."""
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def _run_level(shard: Shard, ctrl: Any, inboxes: list[Any], interval: float, coordinator: int) -> LevelReport:
    me, count = shard.index, shard.count
    inbox = inboxes[me]
    ends = 0
    next_tell = time.monotonic() + interval

    def take(item: Any) -> None:
        nonlocal ends
        if item == _END:
            ends += 1
        else:
            shard.receive(item)

    def send(owner: int, packed: bytes) -> int:
        inboxes[owner].put(packed)
        return len(packed)

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

    def advance(self, ranks: list[bytes]) -> None:
        for shard, mine in zip(self.shards, ranks):
            shard.advance(mine)

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

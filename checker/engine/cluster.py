"""The search of ``checker/engine/parallel.py`` on a Ray cluster (``--cluster``).

One Ray actor per worker; each builds the model itself (``loader``: Ray starts fresh
processes, on other machines too, so nothing is inherited by forking). When every actor
runs on this machine (a cluster of one node, reached without Ray Client), they share one
visited table as forked workers do (:class:`RaySharedTransport`: each maps the table's
file; a level is the calls ``expand``, ``finish``, then ``split`` and ``take`` for the
pieces that even out the slices, through Ray's object store). Otherwise each actor runs a
:class:`~checker.engine.parallel.Shard` that owns a part of the states
(:class:`RayTransport`). A level is then four rounds of actor calls, which Ray runs in
the order they are submitted to each actor:

1. ``expand`` on every actor returns one list of batches per owner, as separate objects
   (``num_returns``), so that a batch goes from the actor that made it to its owner
   through Ray's object store, never through the coordinator;
2. ``receive`` on every owner, given the references of the lists meant for it;
3. ``finish``: the owner's report (keys and findings) to the coordinator;
4. ``advance``: the ranks of its new states.

Ray is an optional extra (``pip install 'tlacheck[ray]'``); only this module imports it.

Where Ray actors run in processes that were not forked from the coordinator, the order in
which a spec's ``Next`` lists successors can differ from the coordinator's where it
depends on the iteration order of a set (see docs/ARCHITECTURE.md, known gaps): complete
counts, the depth and the verdict never change; a run that stops at a violation may then
report other partial counts or another shortest trace than one worker in the
coordinator's process would. Setting ``PYTHONHASHSEED`` (passed on to the actors) removes
the part of that which comes from string hashes.

A cfg's SYMMETRY (or a Python model's ``symmetric_sets`` without its own ``symmetry``) is
refused: those representatives are chosen with Python's ``hash`` (checker/symmetry.py),
so two actors could pick two representatives of one class. A Python model's own
``symmetry`` must give the same representative in every process (the Raft and Paxos
models' do: they sort plain values).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Hashable
from typing import Any

from checker.engine.gctune import tune_gc
from checker.engine.parallel import (
    Connect,
    LevelReport,
    Shard,
    SharedPlan,
    SharedShard,
    Tally,
    Transport,
    merge_ranks,
)
from checker.engine.result import CheckOptions
from checker.engine.visited import SharedTable, atomic_table
from checker.errors import ModelError


def _ray(address: str | None = None) -> Any:
    if address == "local" and "ray" not in sys.modules:
        # A Ray of this machine alone: its servers on 127.0.0.1 (Ray binds to the machine's
        # routable address otherwise, even when asked for 127.0.0.1).
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
    except ImportError:
        raise ModelError(
            "--cluster needs Ray, an optional extra: pip install 'tlacheck[ray]' (or pip install ray)"
        ) from None
    return ray


def ray_workers(address: str | None) -> int:
    """The CPUs of the cluster at ``address`` (None: the one this process has started)."""
    ray = _ray(address)
    _init(ray, address)
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _init(ray: Any, address: str | None) -> bool:
    """Connect to the cluster (or start a local one); True if this call did."""
    if ray.is_initialized():
        return False
    env = {"PYTHONHASHSEED": os.environ["PYTHONHASHSEED"]} if "PYTHONHASHSEED" in os.environ else {}
    ray.init(
        address=None if address in (None, "local") else address,
        ignore_reinit_error=True,
        log_to_driver=False,
        include_dashboard=False,
        runtime_env={"env_vars": env} if env else None,
    )
    return True


def ray_connect(loader: Callable[[], Any], address: str | None = None, share: bool | None = None) -> Connect:
    """A ``connect`` for :func:`~checker.engine.parallel.check_parallel`: shards as Ray
    actors on the cluster at ``address`` (``auto``: the local one that ``ray start --head``
    started; ``ray://HOST:PORT``: a remote one through Ray Client; None: an existing
    connection, or a cluster of this machine started for the check). The actors share one
    visited table when they all run on this machine (``share``: None), or when ``share``
    says so; else each owns a part of the states."""

    def connect(model: Any, options: CheckOptions, count: int, initial: list[tuple[Hashable, Any, int]]) -> Transport:
        if options.symmetry and getattr(model, "symmetric_sets", None) and _hashed_symmetry(model):
            raise ModelError(
                "--cluster does not support SYMMETRY (or symmetric_sets) yet: the representative of a symmetry "
                "class is chosen with Python's hash, which differs between processes that are not "
                "forked from one another, so two actors would store one class twice. Use --workers N "
                "(forked processes on this machine), or --no-symmetry."
            )
        if share is None:
            shared = _one_machine(address)
        else:
            shared = share
        if shared and not (options.exact or getattr(model, "exact_states", False)):
            return RaySharedTransport(loader, options, count, initial, address)
        return RayTransport(loader, options, count, initial, address)

    return connect


def _one_machine(address: str | None) -> bool:
    """Every actor runs on this machine (a cluster of one node, not reached through Ray
    Client), and the C extension's atomic table is here: the actors can share it."""
    if address is not None and address.startswith("ray://"):
        return False
    if not atomic_table():
        return False
    ray = _ray(address)
    _init(ray, address)
    alive = [n for n in ray.nodes() if n.get("Alive")]
    return len(alive) == 1 and alive[0].get("NodeID") == ray.get_runtime_context().get_node_id()


def _hashed_symmetry(model: Any) -> bool:
    """The model's representatives are checker/symmetry.py's (a cfg's SYMMETRY, or a Python
    model's ``symmetric_sets`` without its own ``symmetry``), which order states by ``hash``."""
    module = getattr(type(model).symmetry, "__module__", "")
    return module in ("checker.model", "checker.tla.model")


class _ShardActor:
    """A shard in a Ray actor."""

    def __init__(
        self,
        loader: Callable[[], Any],
        options: CheckOptions,
        index: int,
        count: int,
        initial: list[tuple[Hashable, Any, int]],
    ) -> None:
        self.count = count
        model = loader()
        tune_gc()
        self.shard = Shard(model, options, index, count, initial)
        self.report: LevelReport | None = None

    def expand(self) -> list[list[bytes]]:
        mail: list[list[bytes]] = [[] for _ in range(self.count)]

        def send(owner: int, packed: bytes) -> int:
            mail[owner].append(packed)
            return len(packed)

        self.report = self.shard.expand(send, lambda: None)
        return mail

    def receive(self, *mails: list[bytes]) -> None:
        for mail in mails:
            for packed in mail:
                self.shard.receive(packed)

    def finish(self) -> LevelReport:
        assert self.report is not None
        report, self.report = self.report, None
        return self.shard.finish(report)

    def advance(self, ranks: bytes) -> None:
        self.shard.advance(ranks)

    def counts_before(self, key: int) -> tuple[int, int, int]:
        return self.shard.counts_before(key)

    def link(self, gid: int) -> tuple[Any, int]:
        return self.shard.link(gid)

    def fingerprints(self) -> bytes:
        return self.shard.fingerprints()

    def store_bytes(self) -> int:
        return self.shard.store_bytes()

    def tally(self) -> Tally:
        return self.shard.tally()

    def close(self) -> None:
        self.shard.close()


class RayTransport:
    """Shards as Ray actors, one CPU each."""

    def __init__(
        self,
        loader: Callable[[], Any],
        options: CheckOptions,
        count: int,
        initial: list[tuple[Hashable, Any, int]],
        address: str | None,
    ) -> None:
        ray = self.ray = _ray(address)
        self.started = _init(ray, address)
        self.count = count
        options = dataclasses.replace(options, progress=None, visit=None, checkpoint_hook=None)
        actor = ray.remote(num_cpus=1)(_ShardActor)
        self.actors = [actor.remote(loader, options, i, count, initial) for i in range(count)]
        self.tallies = [Tally(0, 0, 0) for _ in range(count)]

    def level(self, tell: Callable[[list[Tally]], None]) -> list[LevelReport]:
        ray, count = self.ray, self.count
        mails = [a.expand.options(num_returns=count).remote() for a in self.actors]
        if count == 1:
            mails = [[m] for m in mails]
        for owner, actor in enumerate(self.actors):
            actor.receive.remote(*[mails[g][owner] for g in range(count) if g != owner])
        reports: list[LevelReport] = ray.get([a.finish.remote() for a in self.actors])
        return reports

    def advance(self, reports: list[LevelReport]) -> int:
        for actor, mine in zip(self.actors, merge_ranks([r.keys for r in reports])):
            actor.advance.remote(mine)
        return 0

    def counts_before(self, key: int) -> list[tuple[int, int, int]]:
        result: list[tuple[int, int, int]] = self.ray.get([a.counts_before.remote(key) for a in self.actors])
        return result

    def link(self, gid: int) -> tuple[Any, int]:
        result: tuple[Any, int] = self.ray.get(self.actors[gid % self.count].link.remote(gid))
        return result

    def fingerprints(self) -> list[bytes]:
        result: list[bytes] = self.ray.get([a.fingerprints.remote() for a in self.actors])
        return result

    def store_bytes(self) -> int:
        return sum(self.ray.get([a.store_bytes.remote() for a in self.actors]))

    def interrupt(self) -> list[Tally]:
        """Actors run one call at a time: the counts of the last level they finished."""
        return list(self.tallies)

    def close(self) -> None:
        ray = self.ray
        try:
            ray.get([a.close.remote() for a in self.actors], timeout=30)
        except Exception:
            pass
        for actor in self.actors:
            ray.kill(actor)
        if self.started:
            ray.shutdown()


class _SharedShardActor:
    """A worker of the shared-table search (:class:`~checker.engine.parallel.SharedShard`)
    in a Ray actor of this machine: it maps the table's file itself."""

    def __init__(
        self,
        loader: Callable[[], Any],
        options: CheckOptions,
        index: int,
        count: int,
        table: tuple[str, int],
        initial: list[tuple[Hashable, Any, int]],
    ) -> None:
        from pathlib import Path

        model = loader()
        tune_gc()
        self.shard = SharedShard(model, options, index, count, SharedTable(Path(table[0]), table[1]), initial)
        self.report: LevelReport | None = None
        self.mine: tuple[int, list[Hashable]] = (0, [])  # the piece of the next level it keeps

    def ready(self) -> None:
        """Once the actor is built (its table mapped)."""

    def expand(self) -> LevelReport:
        self.report = self.shard.expand(_no_send, lambda: None)
        return self.report

    def finish(self) -> LevelReport:
        assert self.report is not None
        report, self.report = self.report, None
        return self.shard.finish(report)

    def remap(self, path: str, slots: int) -> None:
        from pathlib import Path

        self.shard.drop_level(SharedTable(Path(path), slots))

    def split(self, base: int, first: int, bounds: list[int]) -> list[tuple[int, list[Hashable]]]:
        """The pieces of this actor's new states for the other actors (its own stays here:
        returned, it would cross the object store twice, serialised, for nothing; on the
        Python Raft model that was a third of the actors' CPU)."""
        pieces = self.shard.split(base, first, bounds)
        me = self.shard.index
        self.mine = pieces[me]
        pieces[me] = (self.mine[0], [])
        return pieces

    def take(self, base: int, bounds: list[int], *pieces: tuple[int, list[Hashable]]) -> None:
        me = self.shard.index
        self.shard.take(base, bounds, [self.mine, *(p for w, p in enumerate(pieces) if w != me)])
        self.mine = (0, [])

    def counts_before(self, key: int) -> tuple[int, int, int]:
        return self.shard.counts_before(key)

    def link(self, gid: int) -> tuple[Any, int]:
        return self.shard.link(gid)

    def close(self) -> None:
        self.shard.close()
        self.shard.table.close()


def _no_send(owner: int, packed: bytes) -> int:
    raise AssertionError("a shared-table worker sends no states while it expands")


class RaySharedTransport(SharedPlan):
    """Ray actors on this machine sharing one visited table
    (:class:`~checker.engine.parallel.SharedPlan`): no successor crosses between actors;
    the pieces that even out the slices go through Ray's object store."""

    def __init__(
        self,
        loader: Callable[[], Any],
        options: CheckOptions,
        count: int,
        initial: list[tuple[Hashable, Any, int]],
        address: str | None,
    ) -> None:
        ray = self.ray = _ray(address)
        self.started = _init(ray, address)
        self.count = count
        owned = self._plan_start(initial, None)
        options = dataclasses.replace(options, progress=None, visit=None, checkpoint_hook=None)
        actor = ray.remote(num_cpus=1)(_SharedShardActor)
        where = (str(self.table.path), self.table.slots)
        self.actors = [actor.remote(loader, options, i, count, where, owned) for i in range(count)]
        ray.get([a.ready.remote() for a in self.actors])
        self.table.unlink()  # every actor maps it

    def level(self, tell: Callable[[list[Tally]], None]) -> list[LevelReport]:
        def run(op: str) -> list[LevelReport]:
            reports: list[LevelReport] = self.ray.get([getattr(a, op).remote() for a in self.actors])
            return reports

        return self._level(run)

    def _remap(self, table: SharedTable) -> None:
        self.ray.get([a.remap.remote(str(table.path), table.slots) for a in self.actors])

    def advance(self, reports: list[LevelReport]) -> int:
        base, held, bounds, moved = self._plan(reports)
        count = self.count
        pieces = [
            a.split.options(num_returns=count).remote(base, base + held[w], bounds) for w, a in enumerate(self.actors)
        ]
        if count == 1:
            pieces = [[p] for p in pieces]
        for w, actor in enumerate(self.actors):
            actor.take.remote(base, bounds, *[pieces[v][w] for v in range(count)])
        return moved

    def counts_before(self, key: int) -> list[tuple[int, int, int]]:
        result: list[tuple[int, int, int]] = self.ray.get([a.counts_before.remote(key) for a in self.actors])
        return result

    def link(self, gid: int) -> tuple[Any, int]:
        worker = self._holder(gid)
        if worker is None:
            return self.initial[gid], -1
        result: tuple[Any, int] = self.ray.get(self.actors[worker].link.remote(gid))
        return result

    def interrupt(self) -> list[Tally]:
        """Actors run one call at a time: no counts of the level under way."""
        return [Tally(0, 0, 0) for _ in range(self.count)]

    def close(self) -> None:
        ray = self.ray
        try:
            ray.get([a.close.remote() for a in self.actors], timeout=30)
        except Exception:
            pass
        for actor in self.actors:
            ray.kill(actor)
        self.table.close(unlink=True)
        if self.started:
            ray.shutdown()

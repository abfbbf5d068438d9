"""Checkpoints: a search written to a folder, from which ``--recover`` resumes it.

A checkpoint is taken between two parent states (every ``checkpoint_interval`` seconds at a
BFS level boundary, and at once on Ctrl-C or SIGTERM), so the remaining frontier, the
visited set, the trace links and the counts are consistent. The folder holds:

    links.bin        the trace links (checker/engine/visited.py), append-only, shared by
                     every checkpoint: each records how many records are its own
    runs/            the visited set's spilled runs, written once and never changed
    ckpt-N/          one checkpoint: meta.pickle (counts, depth, what was reported),
                     table.bin (the visited set's RAM table), level.pickle (the frontier)
    CURRENT          the name of the last complete checkpoint

Crash safety (``kill -9`` at any instant): a checkpoint is written into ``ckpt-N.tmp``,
each file fsynced, the folder renamed to ``ckpt-N``, and only then is ``CURRENT`` replaced
(written to ``CURRENT.tmp``, fsynced, renamed: atomic on POSIX). Until that rename the
previous checkpoint is the current one, and everything it refers to is unchanged: the
links file only grows past its count (recovery truncates it back), runs are never
rewritten (a run spilled after the checkpoint gets a number the checkpoint does not list,
and is overwritten when the resumed search spills again).

The pickles are this program's own files; ``--recover`` trusts the folder as it would a
Python file.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from checker.engine.visited import FingerprintSet, TraceLinks
from checker.errors import ModelError

CURRENT = "CURRENT"
FORMAT = 1


@dataclasses.dataclass
class Snapshot:
    """What a checkpoint records besides the visited set and the links."""

    model: str
    variables: tuple[str, ...]
    generated: int
    distinct: int
    depth: int
    current: list[tuple[Any, int]]  # the rest of the level being explored
    following: list[tuple[Any, int]]  # the next level, as far as it was found
    reported: set[tuple[str, str]]
    violations: list[Any]
    coverage: dict[str, Any] | None
    format: int = FORMAT


def links_path(directory: Path) -> Path:
    return directory / "links.bin"


def runs_dir(directory: Path) -> Path:
    return directory / "runs"


def frontier_dir(directory: Path) -> Path:
    return directory / "frontier"


def has_checkpoint(directory: Path) -> bool:
    return (directory / CURRENT).exists()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(path: Path, write: Callable[[Any], None]) -> None:
    with open(path, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())


def save_checkpoint(
    directory: Path,
    snapshot: Snapshot,
    visited: FingerprintSet,
    links: TraceLinks,
    hook: Callable[[str], None] | None = None,
) -> None:
    """Write a new checkpoint and make it the current one (see the module's docstring)."""
    directory.mkdir(parents=True, exist_ok=True)
    links.sync()
    assert len(links) == snapshot.distinct
    previous = _current_name(directory)
    serial = int(previous.split("-")[1]) + 1 if previous else 1
    name = f"ckpt-{serial}"
    tmp = directory / f"{name}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    _write(tmp / "table.bin", visited.table.tofile)
    if hook is not None:
        hook("table")
    _write(tmp / "level.pickle", lambda f: pickle.dump(snapshot, f, protocol=pickle.HIGHEST_PROTOCOL))
    _write(tmp / "visited.pickle", lambda f: pickle.dump(visited.describe(), f))
    if hook is not None:
        hook("written")
    _fsync_dir(tmp)
    os.replace(tmp, directory / name)
    _write(directory / f"{CURRENT}.tmp", lambda f: f.write(name.encode()))
    os.replace(directory / f"{CURRENT}.tmp", directory / CURRENT)
    _fsync_dir(directory)
    if hook is not None:
        hook("committed")
    _remove_stale(directory, keep=name)


def _current_name(directory: Path) -> str | None:
    try:
        return (directory / CURRENT).read_text().strip() or None
    except FileNotFoundError:
        return None


def _remove_stale(directory: Path, keep: str) -> None:
    for entry in directory.glob("ckpt-*"):
        if entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)


def load_checkpoint(
    directory: Path, model: str, variables: Iterable[str], memory: int
) -> tuple[Snapshot, FingerprintSet, TraceLinks]:
    """The current checkpoint of ``directory``, checked against the model being run."""
    name = _current_name(directory)
    if name is None:
        raise ModelError(
            f"--recover {directory}: there is no checkpoint in this folder (no {CURRENT} file). "
            "A checkpoint is written by a run with --checkpoint DIR."
        )
    folder = directory / name
    try:
        with open(folder / "level.pickle", "rb") as f:
            snapshot: Snapshot = pickle.load(f)
        with open(folder / "visited.pickle", "rb") as f:
            described = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
        raise ModelError(f"--recover {directory}: the checkpoint {name} cannot be read: {exc}") from exc
    if snapshot.format != FORMAT or snapshot.model != model or snapshot.variables != tuple(variables):
        raise ModelError(
            f"--recover {directory}: the checkpoint was written for {snapshot.model} "
            f"(variables {', '.join(snapshot.variables)}), not for {model}. Recover with the "
            "same spec, config and options as the run that wrote it."
        )
    _remove_stale(directory, keep=name)
    shutil.rmtree(frontier_dir(directory), ignore_errors=True)
    visited = FingerprintSet.restore(folder / "table.bin", described, memory, runs_dir(directory))
    links = TraceLinks(links_path(directory), keep=snapshot.distinct)
    return snapshot, visited, links

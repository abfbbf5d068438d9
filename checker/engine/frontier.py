"""The BFS frontier: one level's (state, index) pairs, in RAM while small, on disk when not.

The next level is a plain list while the search appends to it (a list's ``append`` is the
cheapest thing in the hot loop). At each parent boundary :meth:`Frontier.settle` moves
full chunks of ``chunk`` pairs to a file (pickled), so RAM holds at most about two chunks
of states whatever the size of a level. Reading a level back yields the chunks in order,
then what is left in RAM, so BFS order (and with it every count and trace) is unchanged.

The files are pickles written and read by this process only (and by ``--recover`` from
the user's own checkpoint folder, which is trusted as much as a Python file would be).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Entry = tuple[Any, int]


class Frontier:
    def __init__(self, spill_dir: Path | None, chunk: int = 100_000) -> None:
        self.spill_dir = spill_dir
        self.chunk = chunk
        self.items: list[Entry] = []
        self.files: list[Path] = []
        self.on_disk = 0
        self._serial = 0

    def __len__(self) -> int:
        return self.on_disk + len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items) or self.on_disk > 0

    def settle(self) -> None:
        """Move full chunks to disk (called between two parents)."""
        if self.spill_dir is None or len(self.items) < self.chunk:
            return
        self.spill_dir.mkdir(parents=True, exist_ok=True)
        path = self.spill_dir / f"frontier-{os.getpid()}-{id(self)}-{self._serial}.pickle"
        self._serial += 1
        with open(path, "wb") as f:
            pickle.dump(self.items, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.files.append(path)
        self.on_disk += len(self.items)
        self.items.clear()  # the same list: the search holds its bound ``append``

    def __iter__(self) -> Iterator[Entry]:
        """Every pair in order; files are deleted once read."""
        while self.files:
            path = self.files.pop(0)
            with open(path, "rb") as f:
                chunk: list[Entry] = pickle.load(f)
            path.unlink()
            self.on_disk -= len(chunk)
            yield from chunk
        yield from self.items

    def peek(self) -> Iterator[Entry]:
        """Every pair in order, leaving the frontier as it is (for a checkpoint)."""
        for path in self.files:
            with open(path, "rb") as f:
                chunk: list[Entry] = pickle.load(f)
            yield from chunk
        yield from self.items

    def discard(self) -> None:
        for path in self.files:
            try:
                path.unlink()
            except OSError:
                pass
        self.files = []
        self.on_disk = 0
        self.items = []

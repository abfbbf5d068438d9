"""The visited set of fingerprints and the trace links, in a few bytes per state.

:class:`FingerprintSet` is open addressing (linear probing) over an ``array('Q')`` of
64-bit fingerprints, 0 meaning an empty slot (fingerprints are never 0). Measured on this
machine, an ``add`` costs 0.74 us against 0.64 us for a Python ``set`` of ints (which takes
about 60 bytes an entry), and reading an ``array`` slot is cheaper than a numpy scalar.
The table grows by half when it is three quarters full, so it holds between 10.7 and 16
bytes per fingerprint.

When the table would grow past ``memory`` bytes it is *spilled*: written as it is, a
hash table, to a file in ``spill_dir``, and a new empty table starts. A fingerprint that
is not in RAM is then looked up in each spilled table with one ``pread`` of a few slots
(the operating system's page cache holds the hot parts; the process does not). This is
TLC's DiskFPSet idea with hashed runs instead of sorted ones: a sorted run needs a binary
search (some 25 reads) per miss, a hashed run one. Runs are not merged: each holds
``memory`` bytes' worth of fingerprints, so a run of a billion states with 1 GB of RAM
has some 10 of them. The set supports ``add(fp) -> bool`` only (plus ``in`` and ``len``),
which is what a partition of it across processes needs ([parallel]: owner = fp mod N).

:class:`TraceLinks` is TLC's trace file: for the i-th distinct state, its fingerprint and
the index of its parent (-1 for an initial state), 16 bytes a record in an append-only
file, buffered, so it costs no RAM per state.
"""

from __future__ import annotations

import functools
import os
import tempfile
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:  # the probe of add in C (the pure-Python one below is the same and kept)
    from checker.engine._fp import probe_add as _probe_add
    from checker.engine._fp import probe_count as _probe_count
except ImportError:  # pragma: no cover - built without a C compiler
    _probe_add = _probe_count = None  # type: ignore[assignment]
try:  # (an extension built before it had one: the search fingerprints and adds in two calls)
    from checker.engine._fp import probe_state as _probe_state
except ImportError:  # pragma: no cover
    _probe_state = None  # type: ignore[assignment]

_MIN_SLOTS = 1 << 10
_SLOT = 8


class FingerprintSet:
    """A set of 64-bit fingerprints (ints in 1 .. 2^64-1) with ``add(fp) -> bool``."""

    def __init__(self, memory: int = 1 << 30, spill_dir: Path | None = None, slots: int = _MIN_SLOTS) -> None:
        self.memory = max(memory, _MIN_SLOTS * _SLOT * 2)
        self.spill_dir = spill_dir
        self.counts = array("q", [0, 0])  # [used, limit]: the C probe counts what it adds
        self.table = array("Q", bytes(_SLOT * slots))
        self.slots = slots
        self.used = 0
        self.limit = slots * 3 // 4
        self.runs: list[_Run] = []
        self.spilled = 0

    @property
    def used(self) -> int:
        """The fingerprints in the RAM table."""
        return self.counts[0]

    @used.setter
    def used(self, n: int) -> None:
        self.counts[0] = n

    @property
    def limit(self) -> int:
        """The table grows once it holds more than this (three quarters of its slots)."""
        return self.counts[1]

    @limit.setter
    def limit(self, n: int) -> None:
        self.counts[1] = n

    def __len__(self) -> int:
        return self.used + self.spilled

    def __contains__(self, fp: int) -> bool:
        table = self.table
        slots = self.slots
        i = fp % slots
        while True:
            v = table[i]
            if v == fp:
                return True
            if v == 0:
                break
            i += 1
            if i == slots:
                i = 0
        return any(fp in run for run in self.runs)

    def adder(self) -> Callable[[int], int] | None:
        """The search's add, where the probe is in C and nothing is spilled: ``adder()(fp)`` is 0
        if fp was there, else 1, or 2 once the table must grow: then the caller calls
        ``grown()`` and takes ``adder()`` again (or ``add``, once None)."""
        if _probe_count is None or self.runs:
            return None
        return functools.partial(_probe_count, self.table, self.counts)

    def state_adder(self) -> Callable[[Any], int] | None:
        """``adder()`` and the C fingerprint of a state (``fp_state``) in one call, where both
        are in C: ``state_adder()(state)`` is 0 if the state's fingerprint was there, else the
        fingerprint, added; the caller calls ``grown()`` once ``used > limit`` and takes
        ``state_adder()`` again."""
        if _probe_state is None or self.runs:
            return None
        return functools.partial(_probe_state, self.table, self.counts)

    def grown(self) -> None:
        """After ``adder()`` said 2: the table grows (or is spilled)."""
        if self.used > self.limit:
            self._grow()

    def add(self, fp: int) -> bool:
        """Add ``fp``; True if it was not in the set."""
        if _probe_count is not None and not self.runs:
            added = _probe_count(self.table, self.counts, fp)  # the probing below, in C
            if added == 2:
                self._grow()
            return added != 0
        table = self.table
        slots = self.slots
        i = fp % slots
        while True:
            v = table[i]
            if v == fp:
                return False
            if v == 0:
                break
            i += 1
            if i == slots:
                i = 0
        if self.runs:
            for run in self.runs:
                if fp in run:
                    return False
        table[i] = fp
        self.used += 1
        if self.used > self.limit:
            self._grow()
        return True

    def ram_bytes(self) -> int:
        return self.slots * _SLOT

    def __iter__(self) -> Iterator[int]:
        """Every fingerprint (RAM, then the spilled runs), in no particular order."""
        yield from (fp for fp in self.table if fp)
        for run in self.runs:
            yield from run

    def _grow(self) -> None:
        slots = self.slots + self.slots // 2
        if slots * _SLOT > self.memory and self.spill_dir is not None:
            self.spill()
            return
        old, used = self.table, self.used
        self._reset(slots)
        self.used = used
        table = self.table
        if _probe_add is not None:
            probe = _probe_add
            for fp in old:
                if fp:
                    probe(table, fp)
            return
        for fp in old:
            if fp:
                i = fp % slots
                while table[i]:
                    i += 1
                    if i == slots:
                        i = 0
                table[i] = fp

    def _reset(self, slots: int) -> None:
        self.table = array("Q", bytes(_SLOT * slots))
        self.slots = slots
        self.used = 0
        self.limit = slots * 3 // 4

    def spill(self) -> None:
        """Write the RAM table to disk as a run and start an empty one."""
        assert self.spill_dir is not None
        self.spill_dir.mkdir(parents=True, exist_ok=True)
        path = self.spill_dir / f"run-{len(self.runs):04d}.bin"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            self.table.tofile(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        self.runs.append(_Run(path, self.slots, self.used))
        self.spilled += self.used
        self._reset(_MIN_SLOTS)

    # -- checkpoints ------------------------------------------------------------

    def save_table(self, path: Path) -> None:
        with open(path, "wb") as f:
            self.table.tofile(f)
            f.flush()
            os.fsync(f.fileno())

    def describe(self) -> dict[str, object]:
        return {
            "slots": self.slots,
            "used": self.used,
            "runs": [(run.path.name, run.slots, run.used) for run in self.runs],
        }

    @classmethod
    def restore(
        cls, table_path: Path, described: dict[str, object], memory: int, spill_dir: Path | None
    ) -> FingerprintSet:
        s = cls(memory, spill_dir)
        slots = int(described["slots"])  # type: ignore[call-overload]
        table = array("Q")
        with open(table_path, "rb") as f:
            table.fromfile(f, slots)
        s.table, s.slots, s.used = table, slots, int(described["used"])  # type: ignore[call-overload]
        s.limit = slots * 3 // 4
        assert spill_dir is not None or not described["runs"]
        for name, run_slots, used in described["runs"]:  # type: ignore[attr-defined]
            assert spill_dir is not None
            s.runs.append(_Run(spill_dir / name, run_slots, used))
            s.spilled += used
        return s


class _Run:
    """A spilled table, read with ``pread``."""

    def __init__(self, path: Path, slots: int, used: int) -> None:
        self.path = path
        self.slots = slots
        self.used = used
        self.fd = os.open(path, os.O_RDONLY)

    def __contains__(self, fp: int) -> bool:
        slots = self.slots
        i = fp % slots
        while True:
            n = min(8, slots - i)
            chunk = array("Q", os.pread(self.fd, n * _SLOT, i * _SLOT))
            for v in chunk:
                if v == fp:
                    return True
                if v == 0:
                    return False
            i = (i + n) % slots

    def __iter__(self) -> Iterator[int]:
        with open(self.path, "rb") as f:
            while block := f.read(1 << 20):
                yield from (fp for fp in array("Q", block) if fp)

    def __del__(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


class TraceLinks:
    """TLC's trace file: (fingerprint, parent index) for every distinct state, in the order
    they were found; 16 bytes a record on disk, a small buffer in RAM."""

    _BUFFER = 1 << 14

    def __init__(self, path: Path | None = None, keep: int = 0) -> None:
        if path is None:
            fd, name = tempfile.mkstemp(prefix="tlacheck-links-", suffix=".bin")
            os.close(fd)
            path = Path(name)
            self.temporary = True
        else:
            self.temporary = False
        self.path = path
        mode = "r+b" if path.exists() else "w+b"
        self.file = open(path, mode)  # noqa: SIM115 - closed by close()
        self.file.truncate(keep * 16)  # a recovered run drops what came after its checkpoint
        self.file.seek(0, os.SEEK_END)
        self.flushed = keep
        self.buffer = array("Q")

    def __len__(self) -> int:
        return self.flushed + len(self.buffer) // 2

    def append(self, fp: int, parent: int) -> None:
        buffer = self.buffer
        buffer.append(fp)
        buffer.append(parent + 1)  # unsigned on disk: 0 for "no parent"
        if len(buffer) >= self._BUFFER:
            self.flush()

    def flush(self) -> None:
        self.buffer.tofile(self.file)
        self.file.flush()
        self.flushed += len(self.buffer) // 2
        self.buffer = array("Q")

    def sync(self) -> None:
        self.flush()
        os.fsync(self.file.fileno())

    def __getitem__(self, idx: int) -> tuple[int, int]:
        """(fingerprint, parent index) of the idx-th distinct state."""
        if idx >= self.flushed:
            j = 2 * (idx - self.flushed)
            return self.buffer[j], self.buffer[j + 1] - 1
        record = array("Q", os.pread(self.file.fileno(), 16, idx * 16))
        return record[0], record[1] - 1

    def close(self) -> None:
        self.file.close()
        if self.temporary:
            try:
                self.path.unlink()
            except OSError:
                pass


# -- the visited set shared by forked workers (checker/engine/parallel.py) ---------------

_HEADER = 64
KEPT, FULL = 1, 3
"""Statuses of :meth:`SharedTable.insert` (``result & 3``); 2 is kept too (found, with a
smaller key than any offered before), 0 is neither."""

_OLD = (1 << 64) - 1
_WORD = (1 << 64) - 1


def atomic_table() -> bool:
    """Whether the C extension's atomic table is there (else :class:`SharedTable` locks)."""
    try:
        import checker.engine._fp as _fp
    except ImportError:
        return False
    return hasattr(_fp, "Table")


class SharedTable:
    """The visited fingerprints of a search that several forked processes share, in a file
    they all map (on ``/dev/shm``, RAM, where there is one): a 64-byte header whose first
    word counts the fingerprints, then ``slots`` pairs of 64-bit words (fingerprint, mark),
    open addressing with linear probing, ``slots`` a power of two.

    ``insert(fp, key)`` claims ``fp``'s slot with a compare-and-swap, so a fingerprint
    offered by several processes at once is stored once, and keeps the smallest ``key``
    offered for it during the current BFS level in the mark (``~(key + 1)``, an atomic
    maximum; all ones for a state of an earlier level). It returns ``(slot << 2) | status``:
    ``KEPT`` (1) or 2 when ``key`` is the smallest so far (inserted, or found), 0 when not,
    ``FULL`` (3) when the table holds ``limit`` fingerprints and ``fp`` is not among them
    (nothing is stored; the caller grows the table). ``claim(slots, keys)`` tells for each
    (slot, key) whether the key is its state's smallest and then marks the state as of an
    earlier level; a level's new states are claimed once every process has offered all of
    its successors.

    The atomic operations are ``checker/engine/_fp.c``'s ``Table``. Without the C extension
    the same table is read and written in Python under a lock shared by the processes (the
    ``lock`` given, made before they fork): the same answers, much slower.
    """

    def __init__(self, path: Path, slots: int, lock: object | None = None, *, create: bool = False) -> None:
        import mmap

        self.path = path
        self.slots = slots
        self.limit = slots * 3 // 4
        size = _HEADER + 16 * slots
        flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
        fd = os.open(path, flags, 0o600)
        try:
            if create:
                os.ftruncate(fd, size)  # a sparse file: zeros, in RAM as pages are touched
            self.map = mmap.mmap(fd, size)
        finally:
            os.close(fd)
        self.lock = lock
        self.fast: Any = None
        self.words: memoryview | None = None
        if lock is None and atomic_table():
            import checker.engine._fp as _fp

            self.fast = _fp.Table(self.map, slots, self.limit)
            self.insert: Callable[[int, int], int] = self.fast.insert
        else:
            if lock is None:
                raise ValueError("the table without the C extension needs a lock shared by the processes")
            self.words = memoryview(self.map).cast("Q")
            self.insert = self._insert

    @classmethod
    def create(cls, folder: Path, slots: int, lock: object | None = None) -> SharedTable:
        fd, name = tempfile.mkstemp(prefix="tlacheck-visited-", suffix=".bin", dir=folder)
        os.close(fd)
        os.unlink(name)
        return cls(Path(name), slots, lock, create=True)

    @staticmethod
    def folder() -> Path:
        """Where tables go: RAM (``/dev/shm``) where there is one."""
        shm = Path("/dev/shm")
        return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())

    def __len__(self) -> int:
        if self.fast is not None:
            return int(self.fast.used())
        assert self.words is not None
        return int(self.words[0])

    def _insert(self, fp: int, key: int) -> int:
        words = self.words
        assert words is not None and self.lock is not None
        mark = _WORD ^ (key + 1)
        mask = self.slots - 1
        i = fp & mask
        with self.lock:  # type: ignore[attr-defined]
            while True:
                seen = words[8 + 2 * i]
                if seen == 0:
                    if words[0] >= self.limit:
                        return i << 2 | FULL
                    words[8 + 2 * i] = fp
                    words[0] += 1
                    status = KEPT
                    break
                if seen == fp:
                    status = 2
                    break
                i = (i + 1) & mask
            if words[9 + 2 * i] < mark:
                words[9 + 2 * i] = mark
                return i << 2 | status
            return i << 2

    def claim(self, slots: bytes, keys: bytes) -> bytes:
        if self.fast is not None:
            return bytes(self.fast.claim(slots, keys))
        words = self.words
        assert words is not None and self.lock is not None
        out = bytearray(len(slots) // 8)
        with self.lock:  # type: ignore[attr-defined]
            for k, (slot, key) in enumerate(zip(array("Q", slots), array("Q", keys))):
                if words[9 + 2 * slot] == _WORD ^ (key + 1):
                    out[k] = 1
                    words[9 + 2 * slot] = _OLD
        return bytes(out)

    def add_old(self, fp: int) -> bool:
        """Store ``fp`` as a state of an earlier level (the initial states); False if there."""
        r = self.insert(fp, 0)
        if r & 3 == FULL:
            raise ValueError("the shared table is full")
        if r & 3:
            self.claim(array("Q", [r >> 2]).tobytes(), array("Q", [0]).tobytes())
        return r & 3 == KEPT

    def grown(self, slots: int) -> SharedTable:
        """A new table of ``slots`` slots (in a new file) with this one's states of earlier
        levels (not the current level's: its search starts again). No process may insert
        meanwhile."""
        new = SharedTable.create(self.path.parent, slots, self.lock)
        if self.fast is not None and new.fast is not None:
            new.fast.copy_old(self.fast)
            return new
        assert self.words is not None and new.words is not None
        for i in range(self.slots):
            fp = self.words[8 + 2 * i]
            if fp and self.words[9 + 2 * i] == _OLD:
                new.add_old(fp)
        return new

    def fingerprints(self) -> bytes:
        if self.fast is not None:
            return bytes(self.fast.fingerprints())
        assert self.words is not None
        return array("Q", (self.words[8 + 2 * i] for i in range(self.slots) if self.words[8 + 2 * i])).tobytes()

    def ram_bytes(self) -> int:
        return _HEADER + 16 * self.slots

    def unlink(self) -> None:
        """Remove the file (the mapping stays: the memory is freed with the last one)."""
        try:
            self.path.unlink()
        except OSError:
            pass

    def close(self, unlink: bool = False) -> None:
        """Unmap (and with ``unlink``, remove the file: the process that created it)."""
        if self.fast is not None:
            self.fast.release()
            self.fast = None
        if self.words is not None:
            self.words.release()
            self.words = None
        try:
            self.map.close()
        except BufferError:
            pass
        if unlink:
            self.unlink()

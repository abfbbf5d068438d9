"""The cyclic garbage collector's settings during a search, for one worker and for many.

A search allocates millions of states (tuples, sets and functions without reference cycles,
freed by reference counting all the same) and keeps most of them; with Python's default
settings the collector re-scans them, and the compiled model, again and again. The same
settings serve the one-worker search (:class:`checker.engine.bfs.Search`) and the workers
of checker/engine/parallel.py and cluster.py, so that 2 workers are measured against a
one-worker search that collects as little as they do.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# The youngest generation is collected every 20,000 allocations instead of Python's 700: a
# search allocates its states in bursts (a state's successors; a batch unpickled at once).
_THRESHOLD = (20_000, 10, 10)


def tune_gc() -> None:
    """What the process holds now (the compiled model) is never garbage: ``gc.freeze`` keeps
    the collector from scanning it (and, in a forked worker, from writing to its pages, which
    the fork shares); and the youngest generation is collected less often. Cycles a model
    makes are still collected. For a worker process, which keeps these settings to its end."""
    gc.freeze()
    gc.set_threshold(*_THRESHOLD)


@contextlib.contextmanager
def gc_tuned() -> Iterator[None]:
    """Run the block with :func:`tune_gc`'s settings, then restore the caller's: its
    thresholds, and the objects frozen for the block are scanned again (unless the caller had
    frozen objects of its own, which stay frozen)."""
    threshold = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if frozen_before == 0:
            gc.unfreeze()

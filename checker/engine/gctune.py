"""The cyclic garbage collector's settings during a search, for one worker and for many.

A search allocates millions of states (tuples, sets and functions without reference cycles,
freed by reference counting all the same) and keeps most of them; the cyclic collector would
re-scan them, and the compiled model, again and again, so it is off during a search. The same
settings serve the one-worker search (:class:`checker.engine.bfs.Search`) and the workers
of checker/engine/parallel.py and cluster.py, so that 2 workers are measured against a
one-worker search that collects as little as they do.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def tune_gc() -> None:
    """What the process holds now (the compiled model) is never garbage: ``gc.freeze`` keeps
    the collector from scanning it (and, in a forked worker, from writing to its pages, which
    the fork shares); and the cyclic collector is off during the search.

    A search's objects are values (tuples, frozensets, dicts of values), which hold no
    reference cycles and are freed by reference counting; the collector only re-scans them.
    It cost 20-27% of MultiPaxos_MC_small's CPU time (12 s of 44, measured with
    ``gc.callbacks``) even with its youngest generation collected every 20,000 allocations
    rather than 700, and 5 s with every 1,000,000; off, the run's peak memory was the same
    (470 MB). Nothing in the evaluation keeps an exception or a frame that refers to itself.
    For a worker process, which keeps these settings to its end."""
    gc.freeze()
    gc.disable()


@contextlib.contextmanager
def gc_tuned() -> Iterator[None]:
    """Run the block with :func:`tune_gc`'s settings, then restore the caller's: the
    collector on if it was, and the objects frozen for the block are scanned again (unless the caller had
    frozen objects of its own, which stay frozen)."""
    enabled = gc.isenabled()
    frozen_before = gc.get_freeze_count()
    tune_gc()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if frozen_before == 0:
            gc.unfreeze()

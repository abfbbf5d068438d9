"""The search on a Ray cluster of two actors (checker/engine/cluster.py), started on this
machine by the test and stopped after it (so the actors share one visited table, unless a
test asks for the partitioned search of several machines); skipped where Ray is not installed
(``pip install 'tlacheck[ray]'``).

Ray's actors are fresh processes, not forks of this one, so where a spec's successors come
in an order that depends on how a set iterates (model values hash by address), a run that
stops at a violation may stop at another state of the same depth (the module's docstring
says so). Complete runs give one worker's counts and depth exactly, and every verdict and
trace length is one worker's.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.engine import CheckOptions, check
from checker.engine.parallel import ParallelStats, check_parallel
from checker.engine.visited import atomic_table
from checker.errors import ModelError
from checker.tla.loader import load_spec_model

# A one-machine Ray on the loopback address only: without this Ray binds its servers to the
# machine's routable address, even when asked for 127.0.0.1 (read before ray is imported,
# and inherited by the processes Ray starts).
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
ray = pytest.importorskip("ray")

from checker.engine.cluster import ray_connect  # noqa: E402

from .test_parallel import CORPUS, SAFETY, summary  # noqa: E402

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=80 * 1024 * 1024,
    )
    try:
        yield
    finally:
        ray.shutdown()


def _compare(one: tuple[Any, ...], two: tuple[Any, ...]) -> None:
    if one[6]:  # a violation: the verdict and each trace's length (and, usually, everything)
        assert two[4] == one[4]
        assert [(v[0], v[1], len(v[2])) for v in two[6]] == [(v[0], v[1], len(v[2])) for v in one[6]]
    else:
        assert two == one


@pytest.mark.slow
def test_two_ray_actors_give_one_workers_result_on_the_corpus(cluster: None) -> None:
    # One spec in three (test_parallel runs every one with forked workers, the same worker
    # code; what Ray adds is the transport, which every spec takes alike): the whole corpus
    # took 700 of CI's 2,400 s under load (53 s for the third).
    exact = 0
    sample = SAFETY[::3]
    assert len(sample) >= 20
    for name in sample:
        loader = functools.partial(load_spec_model, CORPUS / f"{name}.tla", None, [], True)
        model = loader()
        if getattr(model, "symmetric_sets", None):
            with pytest.raises(ModelError, match="SYMMETRY"):
                check_parallel(model, CheckOptions(), 2, connect=ray_connect(loader))
            continue
        one = summary(check(model, CheckOptions()))
        two = summary(check_parallel(model, CheckOptions(), 2, connect=ray_connect(loader)))
        _compare(one, two)
        exact += two == one
    assert exact >= len(sample) - 5


@pytest.mark.slow
def test_two_ray_actors_on_raft_and_paxos(cluster: None) -> None:
    from checker.cli import load_python_model

    for target in ("raft_model:correct", "raft_model:ghost_commit", "paxos_model:any_value"):
        loader = functools.partial(load_python_model, target, [])
        model = loader()
        one = summary(check(model, CheckOptions()))
        # Actors on this machine share the table (nothing sent) where the C extension has it
        # (a checkout whose extension predates it was not rebuilt); or each owns its states.
        shared = atomic_table()
        for share in (None, False):
            info = ParallelStats()
            connect = ray_connect(loader, share=share)
            two = summary(check_parallel(model, CheckOptions(), 2, connect=connect, stats_out=info))
            assert two == one, (target, share)
            assert (info.sent > 0) == (share is False or not shared)


@pytest.mark.slow
def test_two_ray_actors_on_paxos_tla(cluster: None) -> None:
    # TLC 2.20 on MCPaxos.cfg: 23,563 states generated, 3,921 distinct, depth 17.
    loader = functools.partial(
        load_spec_model, ROOT / "specs/paxos/MCPaxos.tla", ROOT / "specs/paxos/MCPaxos.cfg", []
    )
    result = check_parallel(loader(), CheckOptions(), 2, connect=ray_connect(loader))
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (23_563, 3_921, 17)
    assert result.exit_code == 0

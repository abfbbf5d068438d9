"""The message-level Raft model: counts, depths and shortest traces equal TLC's on RaftMessages.tla.

Every figure pinned here was produced by TLC 2.20 (one worker) on
``specs/raft/MCRaftMessages.tla`` with the ``.cfg`` named beside it (3 servers,
MaxTerm 4, MaxLogLen 1, MaxMsgs 2). TLC names the message receipts ``Next``
with the line of the disjunct; lines 167-170 of that run were the handlers of
RequestVote requests and responses and AppendEntries requests and responses,
which is how the action names below were read off TLC's trace.
"""

from __future__ import annotations

import itertools
from typing import Any, cast

import pytest

import raft_model.messages as messages
from checker import CheckOptions, Model, Trace, check
from checker.errors import ModelError
from checker.model import label_action
from checker.values import Fn, ModelValue

s1, s2, s3 = ModelValue("s1"), ModelValue("s2"), ModelValue("s3")

RV_REQ, RV_RESP = "HandleRequestVoteRequest", "HandleRequestVoteResponse"
AE_REQ, AE_RESP = "HandleAppendEntriesRequest", "HandleAppendEntriesResponse"

# TLC 2.20, MCRaftMessages_ghost_commit.cfg: LeaderCompleteness violated in 27 states.
LEADER_COMPLETENESS_ACTIONS = [
    "Timeout",  # s1 runs for term 1
    RV_REQ,
    RV_REQ,
    RV_RESP,
    RV_RESP,
    "Timeout",  # s2 runs for term 2
    RV_REQ,
    RV_RESP,
    "BecomeLeader",  # s1, term 1
    "BecomeLeader",  # s2, term 2
    "ClientRequest",  # s1 writes entry 1 of term 1
    RV_REQ,  # s1 steps down to term 2
    "Timeout",  # s1 runs for term 3
    RV_REQ,
    RV_RESP,
    "BecomeLeader",  # s1, term 3
    "ClientRequest",  # s2 (stale leader) writes entry 1 of term 2
    RV_REQ,  # s2 learns term 3
    "AppendEntries",  # s1 copies its term-1 entry to s3
    AE_REQ,
    AE_RESP,
    "Timeout",  # s2 runs for term 4
    RV_REQ,  # s3 votes for s2: last term 2 beats 1
    RV_RESP,
    "BecomeLeader",  # s2, term 4, without entry (1, 1)
    "CommitEntry",  # s1, still leader of term 3, commits the term-1 entry on {s1, s3}
]
# TLC 2.20, MCRaftMessages_ghost_commit_sms.cfg: StateMachineSafety violated in 31 states.
STATE_MACHINE_SAFETY_ACTIONS = [
    *LEADER_COMPLETENESS_ACTIONS[:-1],
    "AppendEntries",  # s2 sends its term-2 entry to s1
    "CommitEntry",  # s1 commits its term-1 entry (the ghost commit)
    AE_REQ,  # s1 replaces it by s2's
    AE_RESP,
    "CommitEntry",  # s2 commits its term-2 entry at the same index
]


def assert_replays(model: Any, trace: Trace) -> None:
    """Each label applied to the previous state yields the next state."""
    assert trace.steps[0].state in set(model.init_states())
    for before, after in zip(trace.steps, trace.steps[1:]):
        successors = [t for label, t in model.next_steps(before.state) if label == after.label]
        assert after.state in successors, f"{after.label} does not lead to the next state"


def test_correct_rule_passes_exhaustively_with_symmetry() -> None:
    # TLC 2.20, MCRaftMessages_correct.cfg: 9,475 generated, 4,213 distinct, depth 35
    result = check(messages.correct())
    assert result.ok and result.complete
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (9_475, 4_213, 35)


def test_correct_rule_passes_exhaustively_without_symmetry() -> None:
    # TLC 2.20, MCRaftMessages_correct_nosym.cfg: 55,864 generated, 24,796 distinct, depth 35
    result = check(messages.correct(), CheckOptions(symmetry=False))
    assert result.ok and result.complete
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (55_864, 24_796, 35)


@pytest.mark.slow
def test_bfs_finds_the_ghost_entry_commit_through_messages() -> None:
    # TLC 2.20 -continue on MCRaftMessages_ghost_commit.cfg: 8,179 distinct, depth 43. (Its
    # generated count in -continue mode, 20,109, is above ours, as for the atomic model; not pinned.)
    model = messages.ghost_commit()
    result = check(model, CheckOptions(keep_going=True))
    traces = {v.name: v.trace for v in result.violations}
    assert sorted(traces) == ["LeaderCompleteness", "StateMachineSafety"]
    assert [label_action(x) for x in traces["LeaderCompleteness"].labels[1:]] == LEADER_COMPLETENESS_ACTIONS
    assert [label_action(x) for x in traces["StateMachineSafety"].labels[1:]] == STATE_MACHINE_SAFETY_ACTIONS
    assert (result.stats.distinct, result.stats.depth) == (8_179, 43)
    last = traces["StateMachineSafety"].steps[-1].record
    assert last["committed"] == frozenset({(1, 1, 3), (1, 2, 4)})
    assert last["log"] == Fn({s1: (2,), s2: (2,), s3: (1,)})
    for trace in traces.values():
        assert_replays(model, trace)


def test_ghost_commit_stops_at_the_first_violation_in_27_states() -> None:
    # TLC 2.20, MCRaftMessages_ghost_commit.cfg: the same 27 states (partial counts are not compared).
    result = check(messages.ghost_commit())
    assert result.violation is not None and result.violation.name == "LeaderCompleteness"
    assert len(result.violation.trace) == 27


def test_records_hold_tla_values_as_raft_messages_tla_does() -> None:
    model = messages.correct()
    (init,) = model.init_states()
    zero = Fn({s1: 0, s2: 0, s3: 0})
    assert model.as_record(init) == {
        "currentTerm": zero,
        "state": Fn({s1: "Follower", s2: "Follower", s3: "Follower"}),
        "votesGranted": Fn({s1: frozenset(), s2: frozenset(), s3: frozenset()}),
        "log": Fn({s1: (), s2: (), s3: ()}),
        "matchIndex": Fn({s1: zero, s2: zero, s3: zero}),
        "committed": frozenset(),
        "msgs": frozenset(),
    }
    ((label, after),) = [step for step in model.next_steps(init) if step[0] == "Timeout(s1)"]
    sent = model.as_record(after)["msgs"]
    assert (
        Fn(
            {
                "mtype": "RequestVoteRequest",
                "mterm": 1,
                "msource": s1,
                "mdest": s2,
                "mlastLogTerm": 0,
                "mlastLogIndex": 0,
            }
        )
        in sent
    )
    assert len(sent) == 2


def test_too_few_messages_in_flight_is_a_clear_model_error() -> None:
    with pytest.raises(ModelError, match="max_msgs must be an integer >= servers - 1 = 2"):
        messages.correct(max_msgs=1)


def test_fast_symmetry_agrees_with_the_engines_generic_canonical_form() -> None:
    class Generic(messages.RaftMessagesModel):
        symmetry = Model.symmetry  # type: ignore[assignment]

    fast, generic = check(messages.correct()), check(Generic())
    assert (fast.stats.generated, fast.stats.distinct) == (generic.stats.generated, generic.stats.distinct)


def test_symmetry_is_invariant_under_renaming_servers() -> None:
    model = messages.ghost_commit()
    result = check(model)
    assert result.violation is not None
    for state in cast(list[messages.MsgState], result.violation.trace.states):
        for perm in itertools.permutations(range(3)):
            assert model.symmetry(model._permute(state, perm)) == model.symmetry(state)


def some_states(model: messages.RaftMessagesModel, first: int, walks: int) -> list[messages.MsgState]:
    """The ``first`` states breadth first (no symmetry), then the states of ``walks`` random
    behaviours (deep ones: leaders, entries, commits)."""
    from checker.engine.simulate import SimulateOptions, simulate

    states = list(model.init_states())
    seen = set(states)
    for s in states:
        if len(states) >= first:
            break
        for _, t in model.next_steps(s):
            if t not in seen:
                seen.add(t)
                states.append(t)
    del states[first:]
    options = SimulateOptions(
        seed=1, num=walks, use_actions=False, on_behaviour=lambda _, __, trace: states.extend(trace.states)
    )
    simulate(model, options)
    return states


@pytest.mark.parametrize(
    "model",
    [messages.ghost_commit(), messages.correct(max_msgs=3, max_log_len=2), messages.ghost_commit(5, max_msgs=4)],
    ids=["3 servers", "3 servers, 2 entries", "5 servers"],
)
def test_actions_are_next_steps_split_into_tlcs_actions(model: messages.RaftMessagesModel) -> None:
    # The walk of --simulate uses actions() and enabled_actions (checker.model); BFS and the
    # counts pinned to TLC above use next_steps. They must be the same steps: every action's
    # steps, in the list's order, are next_steps's, and each label belongs to its action.
    from checker.engine.simulate import tlc_action_key

    actions = model.actions()
    states = some_states(model, 2_000, 20)
    assert any(s.committed for s in states)
    for s in states:
        split = [list(steps(s)) for _, steps in actions]
        assert [step for steps in split for step in steps] == list(model.next_steps(s))
        for (name, _), steps in zip(actions, split):
            assert all(tlc_action_key(label) == name for label, _ in steps)
        # enabled_actions: every enabled action is among them (a disabled one only costs a draw).
        candidates = model.enabled_actions(s)
        assert len(set(candidates)) == len(candidates)
        assert {k for k, steps in enumerate(split) if steps} <= set(candidates)


@pytest.mark.slow
def test_the_models_invariants_are_raft_model_atomics() -> None:
    # messages.py reads roles instead of the leader property and returns early (for the
    # random walk's speed); on every state, deep ones and violating ones included, the
    # answers are raft_model.atomic's.
    from raft_model.atomic import INVARIANTS

    model = messages.ghost_commit(5, max_msgs=4)
    states = some_states(model, 1_000, 300) + some_states(messages.ghost_commit(), 40_000, 0)
    # ElectionSafety holds in every reachable state: add states with two leaders of a term.
    for s in states[-2_000:]:
        a, b = s.servers[0], s.servers[1]
        twins = (a._replace(role=messages.LEADER), b._replace(role=messages.LEADER, term=a.term))
        states.append(s._replace(servers=twins + s.servers[2:]))
    for name in messages.FAST_INVARIANTS:
        definition = INVARIANTS[name]
        assert not all(definition(s) for s in states), name  # type: ignore[arg-type]
        fast = model.invariants[name]
        assert fast is messages.FAST_INVARIANTS[name]
        assert all(fast(s) == definition(s) for s in states)  # type: ignore[arg-type]

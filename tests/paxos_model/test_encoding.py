"""paxos_model's states, as TLC holds them: records, labels, duplicates, symmetry classes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from checker.model import Model
from checker.values import Fn, ModelValue, record
from paxos_model import Paxos, accept_lower, any_value, correct, minority_quorums, two_proposals

from .reference import ReferencePaxos

a1, a2, a3 = (ModelValue(n) for n in ("a1", "a2", "a3"))
v1, v2 = ModelValue("v1"), ModelValue("v2")
NONE = ModelValue("None")


def explore(model: Paxos, max_depth: int | None = None) -> tuple[list[bytes], int, int]:
    """Every reachable state (plain BFS over next_steps), generated and depth (up to ``max_depth`` levels)."""
    init = list(model.init_states())
    seen = set(init)
    order = list(init)
    level = list(init)
    generated, depth = len(init), 1
    while level and depth != max_depth:
        nxt = []
        for s in level:
            for _, t in model.next_steps(s):
                generated += 1
                if t not in seen:
                    seen.add(t)
                    nxt.append(t)
        order.extend(nxt)
        depth += bool(nxt)
        level = nxt
    return order, generated, depth


def step(model: Paxos, state: bytes, label: str, sends: Fn | None = None) -> bytes:
    """The successor of ``state`` by the action with this label (that sends ``sends``, if given)."""
    for lab, succ in model.next_steps(state):
        if lab == label and (sends is None or sends in model.as_record(succ)["msgs"]):
            return succ
    raise AssertionError(f"{label} is not enabled")


def test_initial_state_is_lamports_init() -> None:
    model = correct()
    [init] = model.init_states()
    assert model.as_record(init) == {
        "maxBal": Fn({a1: -1, a2: -1, a3: -1}),
        "maxVBal": Fn({a1: -1, a2: -1, a3: -1}),
        "maxVal": Fn({a1: NONE, a2: NONE, a3: NONE}),
        "msgs": frozenset(),
    }


def test_records_and_labels_along_a_run_to_a_chosen_value() -> None:
    model = correct()
    [s] = model.init_states()
    # In Init only Phase1a is enabled, once per ballot.
    assert [label for label, _ in model.next_steps(s)] == ["Phase1a(0)", "Phase1a(1)"]
    s = step(model, s, "Phase1a(0)")
    s = step(model, s, "Phase1b(a1)")
    s = step(model, s, "Phase1b(a2)")
    s = step(model, s, "Phase2a(0, v2)")
    s = step(model, s, "Phase2b(a1)")
    s = step(model, s, "Phase2b(a3)")
    assert model.as_record(s) == {
        "maxBal": Fn({a1: 0, a2: 0, a3: 0}),
        "maxVBal": Fn({a1: 0, a2: -1, a3: 0}),
        "maxVal": Fn({a1: v2, a2: NONE, a3: v2}),
        "msgs": frozenset(
            {
                record(type="1a", bal=0),
                record(type="1b", acc=a1, bal=0, mbal=-1, mval=NONE),
                record(type="1b", acc=a2, bal=0, mbal=-1, mval=NONE),
                record(type="2a", bal=0, val=v2),
                record(type="2b", acc=a1, bal=0, val=v2),
                record(type="2b", acc=a3, bal=0, val=v2),
            }
        ),
    }
    assert model.chosen(s) == {1}  # v2, by the quorum {a1, a3}
    assert model.agreement(s) and model.inv(s)


def test_phase2a_gives_one_successor_per_satisfying_quorum() -> None:
    # All three acceptors answered ballot 0 without votes: each of the three quorums
    # {a1,a2}, {a1,a3}, {a2,a3} allows any value, so TLC's \E Q yields 3 successors per value.
    model = correct()
    [s] = model.init_states()
    for label in ("Phase1a(0)", "Phase1b(a1)", "Phase1b(a2)", "Phase1b(a3)"):
        s = step(model, s, label)
    labels = Counter(label for label, _ in model.next_steps(s))
    assert labels["Phase2a(0, v1)"] == 3 and labels["Phase2a(0, v2)"] == 3
    # Phase1a(0), Phase1a(1); no Phase1b (ballot 0 is not above the promises); no 2a to vote for.
    assert labels["Phase1a(0)"] == 1 and labels["Phase1a(1)"] == 1
    assert sum(labels.values()) == 8


def test_phase2a_counts_every_highest_1b_carrying_the_value() -> None:
    # a1 and a2 voted v1 in ballot 0, then both answer ballot 1 reporting (0, v1); a3
    # answers ballot 1 with no vote. Quorum {a1,a2}: two highest 1b messages carry v1
    # (two witnesses m); {a1,a3} and {a2,a3}: one each. So Phase2a(1, v1) has 4
    # successors and Phase2a(1, v2) none.
    model = correct()
    [s] = model.init_states()
    for label in ("Phase1a(0)", "Phase1b(a1)", "Phase1b(a2)", "Phase2a(0, v1)", "Phase2b(a1)", "Phase2b(a2)"):
        s = step(model, s, label)
    s = step(model, s, "Phase1a(1)")
    s = step(model, s, "Phase1b(a1)", record(type="1b", acc=a1, bal=1, mbal=0, mval=v1))
    s = step(model, s, "Phase1b(a2)", record(type="1b", acc=a2, bal=1, mbal=0, mval=v1))
    s = step(model, s, "Phase1b(a3)", record(type="1b", acc=a3, bal=1, mbal=-1, mval=NONE))
    labels = Counter(label for label, _ in model.next_steps(s))
    assert labels["Phase2a(1, v1)"] == 4 and labels["Phase2a(1, v2)"] == 0


VARIANTS: list[tuple[Callable[..., Paxos], str]] = [
    (correct, "correct"),
    (any_value, "any_value"),
    (two_proposals, "two_proposals"),
    (accept_lower, "accept_lower"),
    (minority_quorums, "minority_quorums"),
]


def test_every_reachable_record_and_count_equals_the_reference_encoding() -> None:
    model = correct()
    states, generated, depth = explore(model)
    ref_states, ref_generated, ref_depth = ReferencePaxos().explore()
    records = {tuple(model.as_record(s)[v] for v in model.variables) for s in states}
    assert len(records) == len(states)  # as_record is one-to-one
    assert records == ref_states
    assert (generated, depth) == (ref_generated, ref_depth) == (23_563, 17)  # and TLC's


@pytest.mark.parametrize(
    ("factory", "variant", "levels"),
    [
        # Levels (states on the path) by which each bug first changes the space, by hand:
        # a 2a that ignores a reported vote needs 10 states (1a, 1b, 1b, 2a, 2b, 1a, 1b,
        # 1b, 2a); a second 2a in a ballot 6; a vote below the promise 8; minority 4.
        (any_value, "any_value", 11),
        (two_proposals, "two_proposals", 8),
        (accept_lower, "accept_lower", 9),
        (minority_quorums, "minority_quorums", 8),
    ],
)
def test_bug_variants_equal_the_reference_encoding_on_the_first_levels(
    factory: Callable[..., Paxos], variant: str, levels: int
) -> None:
    # The bug variants' whole spaces take the reference minutes; their first levels
    # already hold each bug's first effect.
    model = factory()
    states, generated, depth = explore(model, max_depth=levels)
    reference = ReferencePaxos(variant=variant, quorum_size=1 if variant == "minority_quorums" else 2)
    ref_states, ref_generated, ref_depth = reference.explore(max_depth=levels)
    assert correct_states_up_to(levels) < len(states)  # the bug is visible at this depth
    records = {tuple(model.as_record(s)[v] for v in model.variables) for s in states}
    assert len(records) == len(states)  # as_record is one-to-one
    assert records == ref_states
    assert (generated, depth) == (ref_generated, ref_depth)


def correct_states_up_to(levels: int) -> int:
    return len(explore(correct(), max_depth=levels)[0])


def test_fast_symmetry_has_the_classes_of_the_default_symmetry() -> None:
    model = correct()
    states, _, _ = explore(model)
    fast: dict[object, set[bytes]] = {}
    default: dict[object, set[bytes]] = {}
    for s in states:
        fast.setdefault(model.symmetry(s), set()).add(s)
        default.setdefault(Model.symmetry(model, s), set()).add(s)
    assert sorted(map(sorted, fast.values())) == sorted(map(sorted, default.values()))
    assert len(fast) == 443  # TLC 2.20 with SYMMETRY: 443 distinct


def test_canonical_state_is_a_state_of_its_class() -> None:
    model = two_proposals()
    states, _, _ = explore(model, max_depth=10)
    everything = set(states)
    for s in states[:: max(1, len(states) // 300)]:
        canon = model.symmetry(s)
        assert canon in everything
        assert model.symmetry(canon) == canon


@pytest.mark.parametrize(
    ("factory", "levels"), [(correct, 17), (any_value, 11), (two_proposals, 9), (accept_lower, 10)]
)
def test_fast_inv_equals_the_literal_reading_of_the_definitions(
    factory: Callable[..., Paxos], levels: int
) -> None:
    model = factory()
    states, _, _ = explore(model, max_depth=levels)
    verdicts = [model.inv(s) for s in states]
    assert verdicts == [model.inv_by_definition(s) for s in states]
    # Both verdicts occur in the bug variants, so the comparison means something.
    assert all(verdicts) if factory is correct else not all(verdicts)


def test_inv_rejects_a_1b_that_hides_a_vote_below_its_ballot() -> None:
    # Unreachable, but consistent in every other conjunct: a1 voted v1 in ballot 0, then
    # sent a 1b for ballot 1 reporting no vote. Only Lamport's conjunct "no vote between
    # m.mbal and m.bal" rules it out; without it Inv is not inductive (a Phase2a trusting
    # this 1b could propose v2 in ballot 1).
    model = correct()
    lay = model.layout
    a1_fields = (1 + 1) | (0 + 1) << 8 | (0 + 1) << 16  # maxBal 1, maxVBal 0, maxVal v1
    x = a1_fields | lay.p2a[0][0] | lay.p2b[0][0][0]
    honest = x | lay.p1b[0][1][0 + 1][0 + 1]  # 1b(a1, 1, mbal 0, mval v1)
    hiding = x | lay.p1b[0][1][-1 + 1][-1 + 1]  # 1b(a1, 1, mbal -1, mval None)
    for state, expected in ((honest, True), (hiding, False)):
        s = state.to_bytes(lay.nbytes, "little")
        assert model.inv(s) is expected and model.inv_by_definition(s) is expected


@pytest.mark.parametrize("factory", [correct, any_value, two_proposals, accept_lower, minority_quorums])
def test_actions_are_next_steps_split_into_tlcs_actions(factory: Callable[..., Paxos]) -> None:
    # --simulate walks through actions() (checker.model); BFS and the counts pinned to TLC use
    # next_steps. Every action's steps, in the list's order, are next_steps's, duplicates
    # included, and each label belongs to its action (Phase2a(b, v) is one per b and v).
    from checker.engine.simulate import tlc_action_key

    model = factory()
    actions = model.actions()
    assert len(actions) == 2 * (1 + 2) + 3 * 2  # ballots 0, 1: Phase1a, Phase2a per value; 1b, 2b per acceptor
    states, _, _ = explore(model, max_depth=9)
    for s in states:
        split = [steps(s) for _, steps in actions]
        assert [x for steps in split for x in steps] == model.next_steps(s)
        for (name, _), steps in zip(actions, split):
            assert all(tlc_action_key(label) == name for label, _ in steps)

"""The liveness engine on tiny Python models: the same search as for TLA+ specs.

The TLA+ twins of these models are in tests/tla/check/corpus (LiveStutter, LiveWeakFair,
LiveStrongFair, LiveBoxAction), where TLC 2.20's verdicts and lasso lengths are pinned; here
the Python API must give the same ones.
"""

from __future__ import annotations

from checker import Model, check
from checker.model import (
    Temporal,
    always_eventually,
    eventually,
    eventually_always,
    eventually_always_step,
    leads_to,
    strong_fairness,
    weak_fairness,
)


class Counter(Model):
    """x counts modulo n (LiveStutter, LiveBoxAction)."""

    variables = ("x",)

    def __init__(self, n: int, fair: bool, **liveness: object) -> None:
        self.n = n
        self.fairness = [weak_fairness("Next")] if fair else []
        self.liveness = liveness  # type: ignore[assignment]

    def init_states(self):  # type: ignore[no-untyped-def]
        yield 0

    def next_steps(self, x):  # type: ignore[no-untyped-def]
        yield "Next", (x + 1) % self.n


class Light(Model):
    """Grab needs the light on, Toggle keeps switching it (LiveWeakFair, LiveStrongFair)."""

    variables = ("light", "got")

    def __init__(self, grab_fairness: str) -> None:
        grab = strong_fairness("Grab") if grab_fairness == "SF" else weak_fairness("Grab")
        self.fairness = [weak_fairness("Toggle"), grab]
        self.liveness = {"Gets": eventually(lambda s: s[1])}

    def init_states(self):  # type: ignore[no-untyped-def]
        yield (0, False)

    def next_steps(self, s):  # type: ignore[no-untyped-def]
        light, got = s
        yield "Toggle", (1 - light, got)
        if light == 1 and not got:
            yield "Grab", (light, True)


def lasso(result) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(states printed, TLC's "Back to state k" or 0 for "Stuttering")."""
    trace = result.violation.trace
    return len(trace), 0 if trace.loop_label is None else trace.loop + 1


def test_without_fairness_the_counter_may_stop_as_tlc_shows() -> None:
    result = check(Counter(3, fair=False, Live=always_eventually(lambda x: x == 2)))
    assert result.exit_code == 13 and lasso(result) == (2, 0)  # TLC 2.20 (LiveStutter): 2 + stuttering


def test_weak_fairness_makes_it_hold() -> None:
    assert check(Counter(3, fair=True, Live=always_eventually(lambda x: x == 2))).ok


def test_eventually_always_a_step_is_violated_by_the_wrap() -> None:
    result = check(Counter(3, fair=True, Grows=eventually_always_step(lambda s, label, t: t > s)))
    assert lasso(result) == (3, 1)  # TLC 2.20 (LiveBoxAction): 3 states, Back to state 1
    assert [str(x) for x in result.violation.trace.labels] == ["None", "Next", "Next"]


def test_eventually_always_holds_only_once_settled() -> None:
    assert check(Counter(3, fair=True, Settles=eventually_always(lambda x: x < 3))).ok
    result = check(Counter(3, fair=True, Settles=eventually_always(lambda x: x < 2)))
    assert result.exit_code == 13


def test_weak_fairness_is_not_enough_for_an_intermittent_action() -> None:
    result = check(Light("WF"))
    assert lasso(result) == (2, 1)  # TLC 2.20 (LiveWeakFair): 2 states, Back to state 1: Toggle
    assert result.violation.trace.loop_label == "Toggle"


def test_strong_fairness_is() -> None:
    assert check(Light("SF")).ok  # TLC 2.20 (LiveStrongFair): holds


def test_leads_to_needs_the_answer_to_be_fair() -> None:
    class Ask(Model):
        variables = ("req", "ack")
        liveness = {"Answered": leads_to(lambda s: s[0], lambda s: s[1])}

        def __init__(self, fair_ack: bool) -> None:
            self.fairness = [weak_fairness("Ack")] if fair_ack else [weak_fairness("Reset")]

        def init_states(self):  # type: ignore[no-untyped-def]
            yield (False, False)

        def next_steps(self, s):  # type: ignore[no-untyped-def]
            req, ack = s
            if not req:
                yield "Request", (True, False)
            if req and not ack:
                yield "Ack", (True, True)
            if ack:
                yield "Reset", (False, False)

    assert check(Ask(fair_ack=True)).ok  # TLC 2.20 (LiveLeadsTo): holds
    result = check(Ask(fair_ack=False))
    assert lasso(result) == (2, 0)  # TLC 2.20 (LiveLeadsToUnfair): 2 + stuttering


def test_an_initial_state_outside_the_region_starts_no_tail() -> None:
    # A tail that must stay where x /= 0 (the shape of WF_v(A) as a property: A enabled
    # throughout) cannot start in the initial state x = 0. A stuttering initial state outside
    # the region was once taken for a bad cycle: Examples' AllocatorRefinement, which TLC 2.20
    # finds to hold, was reported violated.
    class Still(Model):
        variables = ("x",)
        check_deadlock = False
        liveness = {"Moving": Temporal("WF_v(A)", region=lambda x: x != 0)}

        def init_states(self):  # type: ignore[no-untyped-def]
            yield 0

        def next_steps(self, x):  # type: ignore[no-untyped-def]
            return []

    assert check(Still()).ok


def test_a_recovered_search_rebuilds_the_graph_and_finds_the_same_lasso(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The graph is recorded during the search; a search resumed from a checkpoint did part of
    # its work in an earlier run, so liveness then records the graph with a search of its own.
    import os
    import signal

    from checker.engine import CheckOptions

    def model() -> Counter:
        return Counter(6, fair=False, Live=always_eventually(lambda x: x == 5))

    def stop(stage: str) -> None:
        if stage == "committed":
            os.kill(os.getpid(), signal.SIGTERM)  # the search stops at the next state, saved

    uninterrupted = check(model())
    first = check(model(), CheckOptions(checkpoint=tmp_path, checkpoint_interval=0.0, checkpoint_hook=stop))
    assert first.interrupted and first.violation is None
    recovered = check(model(), CheckOptions(checkpoint=tmp_path, recover=tmp_path))
    assert not recovered.interrupted and recovered.exit_code == 13
    # As LiveStutter (TLC 2.20: 2 + stuttering for n = 3): the deepest state stutters.
    assert lasso(recovered) == lasso(uninterrupted) == (5, 0)
    assert recovered.liveness_edges == uninterrupted.liveness_edges == 6

"""The factories: correct Paxos and the four bugs, each breaking one rule of the protocol.

Each factory builds a ``paxos_model.paxos.Paxos`` and is usable from the command line::

    tlacheck check paxos_model:correct -p max_ballot=2
    tlacheck check paxos_model:any_value

Every factory takes ``acceptors`` (3), ``values`` (2), ``max_ballot`` (1: ballots 0..1)
and ``invariants`` (``"Agreement,Inv"``; e.g. ``-p invariants=Agreement`` to look for
the shortest disagreement only). The TLA+ twin of each is ``specs/paxos/MCPaxos_<name>.cfg``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from checker.model import eventually, weak_fairness
from paxos_model.paxos import Paxos

DEFAULT_INVARIANTS = "Agreement,Inv"


def correct(
    acceptors: int = 3,
    values: int = 2,
    max_ballot: int = 1,
    quorums: Any = None,
    invariants: str | Sequence[str] = DEFAULT_INVARIANTS,
) -> Paxos:
    """Lamport's single-decree Paxos. Agreement and Lamport's inductive invariant hold.

    ``quorums``: ``None`` or ``"majority"`` for every set of ``acceptors // 2 + 1``
    acceptors, ``"minority"``, or explicit sets such as ``"a1 a2; a1 a3; a2 a3"``.
    Quorums that need not intersect break Agreement (see ``minority_quorums``).
    """
    return Paxos(acceptors, values, max_ballot, quorums, "correct", invariants)


def any_value(
    acceptors: int = 3,
    values: int = 2,
    max_ballot: int = 1,
    invariants: str | Sequence[str] = DEFAULT_INVARIANTS,
) -> Paxos:
    """Bug: Phase2a ignores the votes reported in the 1b messages and proposes any value.

    The rule it breaks: a leader must propose the value of the highest-ballot vote
    that its quorum of 1b messages reports. Why it matters: a value may already be
    chosen in a lower ballot; every quorum shares an acceptor with the quorum that
    chose it, so the leader hears of that vote, and re-proposing its value is the
    only way not to contradict the earlier decision. Proposing anything else lets a
    later ballot choose a second value.
    """
    return Paxos(acceptors, values, max_ballot, None, "any_value", invariants)


def two_proposals(
    acceptors: int = 3,
    values: int = 2,
    max_ballot: int = 1,
    invariants: str | Sequence[str] = DEFAULT_INVARIANTS,
) -> Paxos:
    """Bug: a ballot may send 2a messages for two different values.

    The rule it breaks: at most one 2a message per ballot (in a real system, each
    ballot belongs to one leader, which proposes once). Why it matters: 1b messages
    report only an acceptor's last ballot and value; if one ballot carried two
    values, acceptors of that ballot could vote differently, a value could be
    chosen while a later leader hears the other one at the same (highest) ballot,
    and re-proposes it.
    """
    return Paxos(acceptors, values, max_ballot, None, "two_proposals", invariants)


def accept_lower(
    acceptors: int = 3,
    values: int = 2,
    max_ballot: int = 1,
    invariants: str | Sequence[str] = DEFAULT_INVARIANTS,
) -> Paxos:
    """Bug: an acceptor votes on a 2a message of a ballot below its promise.

    The rule it breaks: Phase2b votes only for a ballot not below ``maxBal[a]``.
    Why it matters: the promise is what makes a 1b message true for ever. A leader
    of ballot b relies on "this acceptor reported its last vote and will not vote
    in any ballot below b"; if the acceptor later votes in a lower ballot, a value
    can be chosen there that the leader of b never heard of, and b chooses another.
    """
    return Paxos(acceptors, values, max_ballot, None, "accept_lower", invariants)


def minority_quorums(
    acceptors: int = 3,
    values: int = 2,
    max_ballot: int = 1,
    invariants: str | Sequence[str] = DEFAULT_INVARIANTS,
) -> Paxos:
    """Bug: quorums of ``acceptors // 2`` acceptors (single acceptors, out of three), which need not intersect.

    The rule it breaks: any two quorums share an acceptor. Why it matters: that
    shared acceptor is how a later ballot learns of a value chosen earlier; with
    disjoint quorums one acceptor alone chooses v1 in ballot 0 and another alone
    chooses v2 in ballot 1. Lamport's inductive invariant still holds on every
    reachable state (each step keeps it), but it implies Agreement only when
    quorums intersect, and here they do not.
    """
    return Paxos(acceptors, values, max_ballot, "minority", "minority_quorums", invariants)


class _NoSymmetry(Paxos):
    """Paxos explored state by state (no symmetry reduction), for liveness."""

    has_symmetry = False  # type: ignore[assignment]


def eventually_chosen(
    acceptors: int = 3, values: int = 2, max_ballot: int = 1, fair_phase2a: bool = False
) -> Paxos:
    """Correct Paxos with the liveness property "a value is eventually chosen".

    Every action is weakly fair except, unless ``fair_phase2a``, Phase2a: proposers keep
    starting ballots and acceptors keep answering and voting, but a proposer need not
    finish phase 2. Then a higher ballot preempts a proposal (its acceptors promise the
    higher ballot before voting) and the higher ballot's proposer never proposes: no
    value is chosen (a lasso ending in stuttering). That is the finite shadow of dueling
    proposers: with unboundedly many ballots two proposers can preempt each other for
    ever, a true cycle; with ballots 0..max_ballot the highest cannot be preempted, so
    with Phase2a fair too the property holds. The TLA+ twin is
    ``specs/paxos/MCPaxosLiveness.tla`` (TLC 2.20: violated, 10 states then stuttering;
    ``MCPaxosLivenessFair.cfg``: holds). Checked without symmetry, as TLC advises for liveness.
    """
    model = _NoSymmetry(acceptors, values, max_ballot, None, "correct", ("Agreement",))
    model.liveness = {"ValueChosen": eventually(lambda s: bool(model.chosen(s)))}
    actions = ["Phase1a", "Phase1b", "Phase2b"] + (["Phase2a"] if fair_phase2a else [])
    model.fairness = [weak_fairness(a) for a in actions]
    model.name = f"paxos_model:eventually_chosen(max_ballot={max_ballot}, fair_phase2a={fair_phase2a})"
    return model


def eventually_chosen_fair(acceptors: int = 3, values: int = 2, max_ballot: int = 1) -> Paxos:
    """As ``eventually_chosen`` with Phase2a weakly fair too: the property holds."""
    return eventually_chosen(acceptors, values, max_ballot, fair_phase2a=True)

"""Lamport's single-decree Paxos as a Python model: the state, the four actions, the invariants.

This module owns the ``Paxos`` model; the factories that name the correct protocol and
its bugs are in ``paxos_model/variants.py``, the TLA+ twin in ``specs/paxos/Paxos.tla``.

The protocol (Lamport, "Paxos Made Simple", 2001, and his TLA+ specification of Paxos):
acceptors promise ballots and vote for values; a value is chosen when a quorum voted for
it in one ballot. The variables are Lamport's:

- ``maxBal[a]``: the highest ballot acceptor ``a`` promised (-1: none);
- ``maxVBal[a]``, ``maxVal[a]``: its last vote (-1 and ``None`` if it never voted);
- ``msgs``: every message ever sent. It only grows, so a message can be received late,
  twice or never, which models loss, duplication and reordering without extra actions.

and the actions are ``Phase1a(b)``, ``Phase1b(a)``, ``Phase2a(b, v)`` and ``Phase2b(a)``.

Counting like TLC. TLC produces one successor per satisfying binding of every ``\\E`` in
an action, duplicates included: ``Phase1b(a)`` one per 1a message it may answer,
``Phase2b(a)`` one per 2a message it may vote for, and ``Phase2a(b, v)`` one per quorum
``Q`` whose 1b messages allow ``v``, times (when the quorum reported votes) the number of
highest-ballot 1b messages carrying ``v``. ``Phase1a(b)`` is always enabled, even when the
1a message was already sent (a step to the same state). ``next_steps`` yields exactly
those successors, so the generated counts equal TLC's on ``specs/paxos/MCPaxos.tla``.

Representation, chosen for speed (the engine hashes states millions of times):
a state is the tuple ``(maxBal, maxVBal, maxVal, msgs)``. The first three are tuples of
ints indexed by acceptor number; a value is its index in ``values`` and ``None`` is -1.
``msgs`` is an int used as a bit set: every message the bounds allow has a bit, fixed
when the model is built (``_Messages``). Sending is ``msgs | bit``; "is there a 1b from
each acceptor of Q for ballot b" is a few ``&``; counting the 1b messages that carry a
value is ``int.bit_count``. Only ``as_record`` builds TLA+ values (records, ``Fn``,
frozensets), exactly as TLC holds them.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any

from checker.errors import ModelError
from checker.model import Model, format_label
from checker.values import Fn, ModelValue, Value, record

NONE = -1  # maxVal[a] when a never voted (Lamport's None); also "no ballot" for maxBal, maxVBal

VARIANTS = ("correct", "any_value", "two_proposals", "accept_lower", "minority_quorums")

State = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], int]


@dataclasses.dataclass(frozen=True, slots=True)
class Message:
    """One message, decoded. Unused fields are -1 (``kind`` is "1a", "1b", "2a" or "2b")."""

    kind: str
    acc: int = -1
    bal: int = -1
    mbal: int = -1
    mval: int = -1
    val: int = -1


class _Messages:
    """Every message the bounds allow, one bit each, and the masks the actions test.

    Built once per model; the actions only do integer arithmetic on these tables.
    """

    def __init__(self, n_acc: int, n_val: int, max_ballot: int) -> None:
        ballots = range(max_ballot + 1)
        accs = range(n_acc)
        vals = range(n_val)
        self.table: list[Message] = []
        self.p1a = [self._add(Message("1a", bal=b)) for b in ballots]
        # p1b[a][b][mbal + 1][mval + 1]
        self.p1b = [
            [
                [[self._add(Message("1b", a, b, mb, mv)) for mv in range(-1, n_val)] for mb in range(-1, max_ballot + 1)]
                for b in ballots
            ]
            for a in accs
        ]
        self.p2a = [[self._add(Message("2a", bal=b, val=v)) for v in vals] for b in ballots]
        self.p2b = [[[self._add(Message("2b", a, b, val=v)) for v in vals] for b in ballots] for a in accs]
        self.count = len(self.table)

        def union(bits: Iterator[int]) -> int:
            mask = 0
            for bit in bits:
                mask |= bit
            return mask

        # any 1b of acceptor a for ballot b
        self.p1b_from = [[union(x for row in self.p1b[a][b] for x in row) for b in ballots] for a in accs]
        # any 1b of acceptor a for ballot b that reports a vote (mbal >= 0)
        self.p1b_voted_from = [
            [union(x for row in self.p1b[a][b][1:] for x in row) for b in ballots] for a in accs
        ]
        # any 1b (of any acceptor, any ballot) reporting a vote in ballot mb, resp. for value v
        self.p1b_mbal = [union(self.p1b[a][b][mb + 1][mv + 1] for a in accs for b in ballots for mv in range(-1, n_val)) for mb in ballots]
        self.p1b_mval = [union(self.p1b[a][b][mb + 1][v + 1] for a in accs for b in ballots for mb in range(-1, max_ballot + 1)) for v in vals]
        self.p2a_bal = [union(iter(self.p2a[b])) for b in ballots]
        self.p2a_all = union(iter(self.p2a_bal))
        self.p2b_acc_bal = [[union(iter(self.p2b[a][b])) for b in ballots] for a in accs]

    def _add(self, m: Message) -> int:
        self.table.append(m)
        return 1 << (len(self.table) - 1)

    def decode(self, msgs: int) -> Iterator[Message]:
        """The messages of a bit set, in bit order."""
        table = self.table
        while msgs:
            low = msgs & -msgs
            yield table[low.bit_length() - 1]
            msgs ^= low


def parse_quorums(quorums: Any, acceptors: Sequence[ModelValue]) -> tuple[frozenset[int], ...]:
    """The quorum system as sets of acceptor indexes.

    ``None`` or ``"majority"``: every set of ``n // 2 + 1`` acceptors (TLC's figures are for
    these minimal majorities: a larger quorum adds duplicate Phase2a successors, not
    safety). ``"minority"``: every set of ``n // 2`` acceptors. Otherwise a collection of
    collections of acceptor names (``[["a1", "a2"], ["a2", "a3"]]``), or from the command
    line a string ``"a1 a2; a2 a3"``.
    """
    n = len(acceptors)
    if quorums is None or quorums == "majority":
        return tuple(frozenset(q) for q in itertools.combinations(range(n), n // 2 + 1))
    if quorums == "minority":
        if n < 2:
            raise ModelError("minority quorums need at least 2 acceptors (a quorum of n // 2 acceptors).")
        return tuple(frozenset(q) for q in itertools.combinations(range(n), n // 2))
    names = {a.name: i for i, a in enumerate(acceptors)}
    groups: list[Any]
    if isinstance(quorums, str):
        groups = [g.replace(",", " ").split() for g in quorums.split(";") if g.strip()]
    else:
        try:
            groups = [list(g) for g in quorums]
        except TypeError:
            groups = [quorums]
    result: list[frozenset[int]] = []
    for group in groups:
        members: set[int] = set()
        for a in group if not isinstance(group, str) else [group]:
            key = a.name if isinstance(a, ModelValue) else a
            if key not in names:
                raise ModelError(
                    f"quorums: unknown acceptor {key!r}; the acceptors are "
                    f"{', '.join(names)} (write quorums as \"a1 a2; a1 a3; a2 a3\", or 'majority')."
                )
            members.add(names[key])
        if not members:
            raise ModelError("quorums: a quorum must hold at least one acceptor.")
        if frozenset(members) not in result:
            result.append(frozenset(members))
    if not result:
        raise ModelError("quorums: the quorum system is empty, so no value could ever be chosen.")
    return tuple(result)


def _check_bound(name: str, value: Any, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ModelError(f"{name} must be an integer >= {least}, got {value!r}.")
    return value


class Paxos(Model):
    """Single-decree Paxos with ``acceptors`` acceptors, ``values`` values, ballots 0..max_ballot.

    ``variant`` is "correct" or one of the bugs of ``paxos_model.variants``;
    ``invariants`` the names to check among "Agreement", "Inv" and "TypeOK".
    """

    variables = ("maxBal", "maxVBal", "maxVal", "msgs")

    def __init__(
        self,
        acceptors: int = 3,
        values: int = 2,
        max_ballot: int = 1,
        quorums: Any = None,
        variant: str = "correct",
        invariants: str | Sequence[str] = ("Agreement", "Inv"),
    ) -> None:
        n = _check_bound("acceptors", acceptors, 1)
        k = _check_bound("values", values, 1)
        top = _check_bound("max_ballot", max_ballot, 0)
        if variant not in VARIANTS:
            raise ModelError(f"unknown Paxos variant {variant!r}; the variants are {', '.join(VARIANTS)}.")
        self.variant = variant
        self.acceptors = tuple(ModelValue(f"a{i + 1}") for i in range(n))
        self.values = tuple(ModelValue(f"v{i + 1}") for i in range(k))
        self.none = ModelValue("None")
        self.max_ballot = top
        self.ballots = range(top + 1)
        self.quorums = parse_quorums(quorums, self.acceptors)
        self.intersecting = all(q1 & q2 for q1 in self.quorums for q2 in self.quorums)
        self.msg = _Messages(n, k, top)
        self._build_labels()
        self._build_quorum_masks()

        # Symmetry. Values are interchangeable (no rule names one); acceptors are when
        # every permutation maps the quorum system onto itself, i.e. it holds every set
        # of each size it holds. Otherwise acceptor symmetry would merge states that
        # behave differently, so it is not declared.
        sets: list[frozenset[Value]] = []
        sizes = {len(q) for q in self.quorums}
        if sum(math.comb(n, s) for s in sizes) == len(self.quorums) and n > 1:
            sets.append(frozenset(self.acceptors))
            self._acc_perms = [p for p in itertools.permutations(range(n))]
        else:
            self._acc_perms = [tuple(range(n))]
        if k > 1:
            sets.append(frozenset(self.values))
        self.symmetric_sets = tuple(sets)
        self._val_perms = [p for p in itertools.permutations(range(k))] if k > 1 else [(0,)]
        self._bit_perms: list[tuple[tuple[int, ...], tuple[int, ...], list[int]]] | None = None

        names = (invariants.replace(",", " ").split() if isinstance(invariants, str) else list(invariants))
        table: dict[str, Callable[[State], bool]] = {
            "TypeOK": self.type_ok,
            "Agreement": self.agreement,
            "Inv": self.inv,
        }
        unknown = [x for x in names if x not in table]
        if unknown:
            raise ModelError(f"unknown invariant {unknown[0]!r}; the invariants are {', '.join(table)}.")
        self.invariants = {x: table[x] for x in names}
        params = f"acceptors={n}, values={k}, max_ballot={top}"
        self.name = f"paxos_model:{variant}({params})"

    # -- tables built once ------------------------------------------------------

    def _build_labels(self) -> None:
        self.label_1a = [format_label("Phase1a", b) for b in self.ballots]
        self.label_2a = [[format_label("Phase2a", b, v) for v in self.values] for b in self.ballots]
        self.label_1b = [format_label("Phase1b", a) for a in self.acceptors]
        self.label_2b = [format_label("Phase2b", a) for a in self.acceptors]

    def _build_quorum_masks(self) -> None:
        msg = self.msg
        # Per ballot: for each quorum, the masks "a 1b from a for b" (one per member) and
        # "a 1b from a member for b that reports a vote".
        self.q1b = [
            [(tuple(msg.p1b_from[a][b] for a in sorted(q)), _union(msg.p1b_voted_from[a][b] for a in q)) for q in self.quorums]
            for b in self.ballots
        ]
        # Chosen: a quorum's 2b messages for (b, v) all present.
        self.chosen_masks = [
            (_union(msg.p2b[a][b][v] for a in q), v)
            for b in self.ballots
            for v in range(len(self.values))
            for q in self.quorums
        ]

    # -- the Model API ----------------------------------------------------------

    def init_states(self) -> Iterator[State]:
        n = len(self.acceptors)
        yield ((NONE,) * n, (NONE,) * n, (NONE,) * n, 0)

    def next_steps(self, state: State) -> Iterator[tuple[str, State]]:
        max_bal, max_vbal, max_val, msgs = state
        msg = self.msg
        values = range(len(self.values))
        any_value = self.variant == "any_value"
        one_per_ballot = self.variant != "two_proposals"
        p1b_mbal = msg.p1b_mbal
        p1b_mval = msg.p1b_mval
        top = self.max_ballot

        for b in self.ballots:
            # Phase1a(b): always enabled.
            yield self.label_1a[b], (max_bal, max_vbal, max_val, msgs | msg.p1a[b])

            # Phase2a(b, v): at most one 2a per ballot, and a quorum's 1b messages for b.
            if one_per_ballot and msgs & msg.p2a_bal[b]:
                continue
            free = 0  # quorums whose 1b messages report no vote: any value
            counts = [0] * len(values)
            for members, voted_mask in self.q1b[b]:
                for mask in members:
                    if not msgs & mask:
                        break
                else:
                    voted = msgs & voted_mask
                    if any_value or not voted:
                        free += 1
                        continue
                    # One successor per highest-ballot 1b message carrying v.
                    for mb in range(top, -1, -1):
                        highest = voted & p1b_mbal[mb]
                        if highest:
                            for v in values:
                                counts[v] += (highest & p1b_mval[v]).bit_count()
                            break
            if free or any(counts):
                for v in values:
                    times = free + counts[v]
                    if times:
                        succ = (max_bal, max_vbal, max_val, msgs | msg.p2a[b][v])
                        label = self.label_2a[b][v]
                        for _ in range(times):
                            yield label, succ

        check_promise = self.variant != "accept_lower"
        for a in range(len(self.acceptors)):
            # Phase1b(a): one successor per 1a message above a's promise.
            promised = max_bal[a]
            for b in range(promised + 1, top + 1):
                if msgs & msg.p1a[b]:
                    yield self.label_1b[a], (
                        _set(max_bal, a, b),
                        max_vbal,
                        max_val,
                        msgs | msg.p1b[a][b][max_vbal[a] + 1][max_val[a] + 1],
                    )
            # Phase2b(a): one successor per 2a message not below a's promise.
            if msgs & msg.p2a_all:
                for b in self.ballots if not check_promise else range(max(promised, 0), top + 1):
                    if msgs & msg.p2a_bal[b]:
                        for v in values:
                            if msgs & msg.p2a[b][v]:
                                yield self.label_2b[a], (
                                    _set(max_bal, a, b),
                                    _set(max_vbal, a, b),
                                    _set(max_val, a, v),
                                    msgs | msg.p2b[a][b][v],
                                )

    def as_record(self, state: State) -> dict[str, Value]:
        """The state as TLC holds it: functions over acceptors, a set of message records."""
        max_bal, max_vbal, max_val, msgs = state
        accs = self.acceptors
        return {
            "maxBal": Fn(dict(zip(accs, max_bal))),
            "maxVBal": Fn(dict(zip(accs, max_vbal))),
            "maxVal": Fn({a: self._value(v) for a, v in zip(accs, max_val)}),
            "msgs": frozenset(self.message_record(m) for m in self.msg.decode(msgs)),
        }

    def message_record(self, m: Message) -> Fn:
        if m.kind == "1a":
            return record(type="1a", bal=m.bal)
        if m.kind == "1b":
            return record(type="1b", acc=self.acceptors[m.acc], bal=m.bal, mbal=m.mbal, mval=self._value(m.mval))
        if m.kind == "2a":
            return record(type="2a", bal=m.bal, val=self.values[m.val])
        return record(type="2b", acc=self.acceptors[m.acc], bal=m.bal, val=self.values[m.val])

    def _value(self, v: int) -> ModelValue:
        return self.none if v == NONE else self.values[v]

    def messages(self, state: State) -> list[Message]:
        """The messages of a state, decoded (for views and tests)."""
        return list(self.msg.decode(state[3]))

    # -- symmetry ----------------------------------------------------------------

    def symmetry(self, state: State) -> Hashable:
        """The least image of the state over every acceptor and value permutation.

        The same classes as the default (``checker.symmetry.canonical_record`` over
        ``symmetric_sets``), computed on the internal tuples: the least image under a
        fixed total order over a group of permutations depends only on the class.
        """
        perms = self._bit_permutations()
        max_bal, max_vbal, max_val, msgs = state
        bits = []
        m = msgs
        while m:
            low = m & -m
            bits.append(low.bit_length() - 1)
            m ^= low
        best: State | None = None
        for acc, val, bit_map in perms:
            # acc[i] is the acceptor that acceptor i becomes; position acc[i] of the image
            # holds acceptor i's entry.
            image_bal = [0] * len(acc)
            image_vbal = [0] * len(acc)
            image_val = [0] * len(acc)
            for i, j in enumerate(acc):
                image_bal[j] = max_bal[i]
                image_vbal[j] = max_vbal[i]
                x = max_val[i]
                image_val[j] = x if x == NONE else val[x]
            image_msgs = 0
            for i in bits:
                image_msgs |= 1 << bit_map[i]
            image = (tuple(image_bal), tuple(image_vbal), tuple(image_val), image_msgs)
            if best is None or image < best:
                best = image
        assert best is not None
        return best

    def _bit_permutations(self) -> list[tuple[tuple[int, ...], tuple[int, ...], list[int]]]:
        if self._bit_perms is None:
            index = {m: i for i, m in enumerate(self.msg.table)}
            perms = []
            for acc in self._acc_perms:
                for val in self._val_perms:

                    def move(m: Message, acc: tuple[int, ...] = acc, val: tuple[int, ...] = val) -> Message:
                        return dataclasses.replace(
                            m,
                            acc=m.acc if m.acc < 0 else acc[m.acc],
                            mval=m.mval if m.mval < 0 else val[m.mval],
                            val=m.val if m.val < 0 else val[m.val],
                        )

                    perms.append((acc, val, [index[move(m)] for m in self.msg.table]))
            self._bit_perms = perms
        return self._bit_perms

    # -- invariants ----------------------------------------------------------------

    def voted_for_in(self, msgs: int, a: int, v: int, b: int) -> bool:
        return bool(msgs & self.msg.p2b[a][b][v])

    def chosen(self, state: State) -> set[int]:
        """The values voted for by a whole quorum in one ballot."""
        msgs = state[3]
        return {v for mask, v in self.chosen_masks if msgs & mask == mask}

    def agreement(self, state: State) -> bool:
        """At most one value is chosen (Lamport's Consistency)."""
        msgs = state[3]
        first = -2
        for mask, v in self.chosen_masks:
            if msgs & mask == mask:
                if first == -2:
                    first = v
                elif v != first:
                    return False
        return True

    def type_ok(self, state: State) -> bool:
        """TypeOK: every variable in its type (msgs holds only the bounds' messages by construction)."""
        max_bal, max_vbal, max_val, msgs = state
        n = len(self.acceptors)
        top = self.max_ballot
        return (
            len(max_bal) == len(max_vbal) == len(max_val) == n
            and all(NONE <= x <= top for x in max_bal)
            and all(NONE <= x <= top for x in max_vbal)
            and all(NONE <= x < len(self.values) for x in max_val)
            and 0 <= msgs < 1 << self.msg.count
        )

    def wont_vote_in(self, state: State, a: int, b: int) -> bool:
        return not state[3] & self.msg.p2b_acc_bal[a][b] and state[0][a] > b

    def safe_at(self, state: State, v: int, b: int) -> bool:
        """No value other than v has been or can be chosen in a ballot below b."""
        msgs = state[3]
        p2b = self.msg.p2b
        return all(
            any(all(msgs & p2b[a][c][v] or self.wont_vote_in(state, a, c) for a in q) for q in self.quorums)
            for c in range(b)
        )

    def acc_inv(self, state: State) -> bool:
        max_bal, max_vbal, max_val, msgs = state
        msg = self.msg
        for a in range(len(self.acceptors)):
            if (max_val[a] == NONE) != (max_vbal[a] == NONE):
                return False
            if max_vbal[a] > max_bal[a]:
                return False
            if max_vbal[a] >= 0 and not msgs & msg.p2b[a][max_vbal[a]][max_val[a]]:
                return False
            for c in range(max_vbal[a] + 1, self.max_ballot + 1):
                if msgs & msg.p2b_acc_bal[a][c]:
                    return False
        return True

    def msg_inv(self, state: State) -> bool:
        max_bal, max_vbal, _max_val, msgs = state
        msg = self.msg
        for m in msg.decode(msgs):
            if m.kind == "1b":
                if m.bal > max_bal[m.acc]:
                    return False
                voted = m.mval != NONE and m.mbal >= 0 and msgs & msg.p2b[m.acc][m.mbal][m.mval]
                if not (voted or (m.mval == NONE and m.mbal == NONE)):
                    return False
            elif m.kind == "2a":
                if not self.safe_at(state, m.val, m.bal):
                    return False
                if (msgs & msg.p2a_bal[m.bal]).bit_count() != 1:
                    return False
            elif m.kind == "2b":
                if not msgs & msg.p2a[m.bal][m.val]:
                    return False
                if m.bal > max_vbal[m.acc]:
                    return False
        return True

    def inv(self, state: State) -> bool:
        """Lamport's inductive invariant: TypeOK /\\ AccInv /\\ MsgInv."""
        return self.type_ok(state) and self.acc_inv(state) and self.msg_inv(state)


def _set(t: tuple[int, ...], i: int, x: int) -> tuple[int, ...]:
    """``[t EXCEPT ![i] = x]``."""
    return t[:i] + (x,) + t[i + 1 :]


def _union(bits: Any) -> int:
    mask = 0
    for bit in bits:
        mask |= bit
    return mask


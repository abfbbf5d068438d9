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
1a message was already sent (a step to the same state). ``next_steps`` returns exactly
those successors, so the generated counts equal TLC's on ``specs/paxos/MCPaxos.tla``.

Representation, chosen for speed (the engine hashes every successor). Internally a
state is one integer, ``x``, laid out by ``_Layout``:

- three bytes per acceptor ``a`` (at bit ``24 * a``): ``maxBal[a] + 1``,
  ``maxVBal[a] + 1`` and ``maxVal[a] + 1``, where a value is its index in ``values`` and
  ``None`` (like ballot -1) is 0;
- above them, one bit per message the bounds allow: sending is ``x | bit``, "has
  acceptor a sent a 1b for b" is ``x & mask``.

The state the engine sees is ``x.to_bytes(...)``: the same bits as a ``bytes``, because
the engine fingerprints with ``hash`` and Python hashes an int modulo 2**61 - 1, so two
message sets whose bits differ by that modulus (bit 0 against bit 61, say) would share
a fingerprint and one would be lost; ``bytes`` hash with SipHash over every byte. Only
``as_record`` builds TLA+ values (records, ``Fn``, frozensets), exactly as TLC holds them.

Phase2a is the one costly action: its enabling depends only on whether ballot b has a
2a message and on the 1b messages of ballot b, whose bits are contiguous. The result
for each such bit pattern is computed once and kept in a per-model table (a memo of a
pure function; it cannot change what the model does).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from checker.errors import ModelError
from checker.model import Model, format_label
from checker.values import Fn, ModelValue, Value, record

NONE = -1  # maxVal[a] when a never voted (Lamport's None); also "no ballot" for maxBal, maxVBal

VARIANTS = ("correct", "any_value", "two_proposals", "accept_lower", "minority_quorums")

State = bytes
Step = tuple[str, bytes]
Phase2aSteps = tuple[tuple[str, int, int], ...]  # (label, 2a bit, number of successors) per enabled value


@dataclasses.dataclass(frozen=True, slots=True)
class Message:
    """One message, decoded. Unused fields are -1 (``kind`` is "1a", "1b", "2a" or "2b")."""

    kind: str
    acc: int = -1
    bal: int = -1
    mbal: int = -1
    mval: int = -1
    val: int = -1


@dataclasses.dataclass(frozen=True, slots=True)
class Unpacked:
    """A state's variables as ints (acceptor and value indexes; -1 for none)."""

    max_bal: tuple[int, ...]
    max_vbal: tuple[int, ...]
    max_val: tuple[int, ...]
    x: int  # the whole state as an int: test messages with the layout's masks


def _union(bits: Any) -> int:
    mask = 0
    for bit in bits:
        mask |= bit
    return mask


@dataclasses.dataclass(frozen=True, slots=True)
class _PermTable:
    """One acceptor and value permutation, as images of state bits (for ``Paxos.symmetry``)."""

    acc: tuple[int, ...]  # acceptor i becomes acc[i]
    val: tuple[int, ...]  # value v becomes val[v]
    bits: tuple[int, ...]  # bits[i]: the image (a state bit) of message i
    rows: list[dict[int, int]]  # rows[j][c]: the image of byte j holding c, filled on first use


class _Layout:
    """Where each variable and each possible message lives in the state's integer.

    The 1b messages of one ballot get consecutive bits (``p1b_offset[b]``, ``p1b_width``)
    so that Phase2a can read them as one small number. Every mask is already shifted
    to its place in the state.
    """

    def __init__(self, n_acc: int, n_val: int, max_ballot: int) -> None:
        self.n_acc = n_acc
        self.n_val = n_val
        self.max_ballot = max_ballot
        ballots = range(max_ballot + 1)
        accs = range(n_acc)
        vals = range(n_val)
        self.base = 24 * n_acc  # the first message bit
        self.table: list[Message] = []
        self.p1a = [self._add(Message("1a", bal=b)) for b in ballots]
        # p1b[a][b][mbal + 1][mval + 1]; ballot outermost in bit order.
        self.p1b: list[list[list[list[int]]]] = [[[] for _ in ballots] for _ in accs]
        self.p1b_offset: list[int] = []
        self.p1b_width = n_acc * (max_ballot + 2) * (n_val + 1)
        for b in ballots:
            self.p1b_offset.append(self.base + len(self.table))
            for a in accs:
                self.p1b[a][b] = [
                    [self._add(Message("1b", a, b, mb, mv)) for mv in range(-1, n_val)]
                    for mb in range(-1, max_ballot + 1)
                ]
        self.p2a = [[self._add(Message("2a", bal=b, val=v)) for v in vals] for b in ballots]
        self.p2b = [[[self._add(Message("2b", a, b, val=v)) for v in vals] for b in ballots] for a in accs]
        self.nbytes = (self.base + len(self.table) + 7) // 8
        self.p2a_bal = [_union(self.p2a[b]) for b in ballots]
        self.p2a_all = _union(self.p2a_bal)
        self.p2b_acc_bal = [[_union(self.p2b[a][b]) for b in ballots] for a in accs]

    def _add(self, m: Message) -> int:
        self.table.append(m)
        return 1 << (self.base + len(self.table) - 1)

    def decode(self, x: int) -> list[Message]:
        """The messages of a state, in bit order."""
        table = self.table
        msgs = x >> self.base
        out = []
        while msgs:
            low = msgs & -msgs
            out.append(table[low.bit_length() - 1])
            msgs ^= low
        return out

    def index_1b(self, a: int, mb: int, mv: int) -> int:
        """The position of 1b(a, b, mb, mv) among the 1b messages of ballot b."""
        return (a * (self.max_ballot + 2) + mb + 1) * (self.n_val + 1) + mv + 1


class _InvMasks:
    """The masks ``Paxos.inv`` tests a whole state against (see there)."""

    def __init__(self, lay: _Layout) -> None:
        top = lay.max_ballot
        ballots = range(top + 1)
        accs = range(lay.n_acc)
        # [a][code]: a's 1b (resp. 2b) messages of a ballot above code - 1.
        self.promises_above = [
            [
                _union(x for b in ballots if b > code - 1 for row in lay.p1b[a][b] for x in row)
                for code in range(top + 2)
            ]
            for a in accs
        ]
        self.votes_above = [
            [_union(lay.p2b_acc_bal[a][b] for b in ballots if b > code - 1) for code in range(top + 2)]
            for a in accs
        ]
        # 1b messages that report a ballot without a value, or a value without a ballot.
        self.mixed_1b = _union(
            lay.p1b[a][b][mb + 1][mv + 1]
            for a in accs
            for b in ballots
            for mb in range(-1, top + 1)
            for mv in range(-1, lay.n_val)
            if (mb == -1) != (mv == -1)
        )
        # Every 1b message; for each (by message index) the 2b its reported vote implies
        # (0: none), and the 2b messages of its acceptor between mbal and bal (none allowed).
        self.all_1b = 0
        self.report_needs = [0] * len(lay.table)
        self.report_gap = [0] * len(lay.table)
        for i, m in enumerate(lay.table):
            if m.kind == "1b":
                self.all_1b |= 1 << (lay.base + i)
                if m.mbal >= 0 and m.mval >= 0:
                    self.report_needs[i] = lay.p2b[m.acc][m.mbal][m.mval]
                self.report_gap[i] = _union(lay.p2b_acc_bal[m.acc][c] for c in range(m.mbal + 1, m.bal))
        # [b][v]: every acceptor's 2b for (b, v).
        self.votes_for = [[_union(lay.p2b[a][b][v] for a in accs) for v in range(lay.n_val)] for b in ballots]


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


def _check_bound(name: str, value: Any, least: int, most: int) -> int:
    # Each acceptor field is one byte of the state, hence the upper bounds.
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise ModelError(f"{name} must be an integer from {least} to {most}, got {value!r}.")
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
        n = _check_bound("acceptors", acceptors, 1, 64)
        k = _check_bound("values", values, 1, 250)
        top = _check_bound("max_ballot", max_ballot, 0, 250)
        if variant not in VARIANTS:
            raise ModelError(f"unknown Paxos variant {variant!r}; the variants are {', '.join(VARIANTS)}.")
        self.variant = variant
        self.acceptors = tuple(ModelValue(f"a{i + 1}") for i in range(n))
        self.values = tuple(ModelValue(f"v{i + 1}") for i in range(k))
        self.none = ModelValue("None")
        self.max_ballot = top
        self.ballots = range(top + 1)
        self.quorums = parse_quorums(quorums, self.acceptors)
        self.layout = _Layout(n, k, top)
        self._build_tables()

        # Symmetry. Values are interchangeable (no rule names one); acceptors are when
        # every permutation maps the quorum system onto itself, i.e. it holds every set
        # of each size it holds. Otherwise acceptor symmetry would merge states that
        # behave differently, so it is not declared.
        sets: list[frozenset[Value]] = []
        sizes = {len(q) for q in self.quorums}
        acceptor_symmetry = n > 1 and sum(math.comb(n, s) for s in sizes) == len(self.quorums)
        if acceptor_symmetry:
            sets.append(frozenset(self.acceptors))
        if k > 1:
            sets.append(frozenset(self.values))
        self.symmetric_sets = tuple(sets)
        self._acceptor_symmetry = acceptor_symmetry
        self._sym_tables: list[_PermTable] | None = None  # built on first use

        names = invariants.replace(",", " ").split() if isinstance(invariants, str) else list(invariants)
        table: dict[str, Callable[[State], bool]] = {
            "TypeOK": self.type_ok,
            "Agreement": self.agreement,
            "Inv": self.inv,
        }
        unknown = [x for x in names if x not in table]
        if unknown:
            raise ModelError(f"unknown invariant {unknown[0]!r}; the invariants are {', '.join(table)}.")
        self.invariants = {x: table[x] for x in names}
        self.name = f"paxos_model:{variant}(acceptors={n}, values={k}, max_ballot={top})"

    # -- tables built once ------------------------------------------------------

    def _build_tables(self) -> None:
        lay = self.layout
        self.label_1b = [format_label("Phase1b", a) for a in self.acceptors]
        self.label_2b = [format_label("Phase2b", a) for a in self.acceptors]
        # One row per ballot for Phase1a and Phase2a, with its Phase2a memo.
        self._ballot_rows: list[tuple[int, str, int, int, int, int, dict[int, Phase2aSteps]]] = [
            (
                b,
                format_label("Phase1a", b),
                lay.p1a[b],
                lay.p2a_bal[b],
                lay.p1b_offset[b],
                (1 << lay.p1b_width) - 1,
                {},
            )
            for b in self.ballots
        ]
        self._label_2a = [[format_label("Phase2a", b, v) for v in self.values] for b in self.ballots]
        # Every 2a message: its ballot, the acceptor fields a vote for it writes, and
        # the 2b message of each acceptor.
        self._votes = [
            (
                b,
                lay.p2a[b][v],
                (b + 1) | (b + 1) << 8 | (v + 1) << 16,
                [lay.p2b[a][b][v] for a in range(lay.n_acc)],
            )
            for b in self.ballots
            for v in range(lay.n_val)
        ]
        self._quorum_bits = [_union(1 << a for a in q) for q in self.quorums]
        self._inv_masks = _InvMasks(lay)
        # Chosen: a quorum's 2b messages for (b, v) all present.
        self.chosen_masks = [
            (_union(lay.p2b[a][b][v] for a in q), v)
            for b in self.ballots
            for v in range(lay.n_val)
            for q in self.quorums
        ]

    def _phase2a_steps(self, b: int, seg: int) -> Phase2aSteps:
        """Phase2a(b, v) for every v, given the 1b messages of ballot b (their bits ``seg``).

        ``(label, 2a bit, successors)`` for each enabled v: one successor per quorum
        whose members all sent a 1b for b and whose reports allow v (TLC's ``\\E Q``),
        and, when they reported votes, per highest-ballot 1b carrying v (``\\E m``).
        """
        lay = self.layout
        reports: list[tuple[int, int, int]] = []  # (acceptor, mbal, mval)
        for a in range(lay.n_acc):
            for mb in range(-1, lay.max_ballot + 1):
                for mv in range(-1, lay.n_val):
                    if seg >> lay.index_1b(a, mb, mv) & 1:
                        reports.append((a, mb, mv))
        counts = [0] * lay.n_val
        for q in self.quorums:
            if not all(any(r[0] == a for r in reports) for a in q):
                continue
            voted = [r for r in reports if r[0] in q and r[1] >= 0]
            if self.variant == "any_value" or not voted:
                for v in range(lay.n_val):
                    counts[v] += 1
                continue
            highest = max(r[1] for r in voted)
            for _, mb, mv in voted:
                if mb == highest and mv >= 0:
                    counts[mv] += 1
        return tuple((self._label_2a[b][v], lay.p2a[b][v], counts[v]) for v in range(lay.n_val) if counts[v])

    # -- the Model API ----------------------------------------------------------

    def init_states(self) -> list[State]:
        # Every byte 0: maxBal = maxVBal = -1, maxVal = None, no message.
        return [bytes(self.layout.nbytes)]

    def next_steps(self, state: State) -> list[Step]:
        x = int.from_bytes(state, "little")
        lay = self.layout
        nb = lay.nbytes
        top = self.max_ballot
        out: list[Step] = []
        append = out.append
        one_per_ballot = self.variant != "two_proposals"

        for b, label_1a, bit_1a, has_2a, offset, width, memo in self._ballot_rows:
            # Phase1a(b): always enabled.
            append((label_1a, (x | bit_1a).to_bytes(nb, "little")))
            # Phase2a(b, v): no 2a yet for b, and a quorum's 1b messages for b.
            if one_per_ballot and x & has_2a:
                continue
            seg = (x >> offset) & width
            steps = memo.get(seg)
            if steps is None:
                steps = memo[seg] = self._phase2a_steps(b, seg)
            for label, bit, times in steps:
                succ = (x | bit).to_bytes(nb, "little")
                for _ in range(times):
                    append((label, succ))

        votes = [v for v in self._votes if x & v[1]] if x & lay.p2a_all else []
        check_promise = self.variant != "accept_lower"
        p1a = lay.p1a
        for a in range(lay.n_acc):
            shift = 24 * a
            fields = (x >> shift) & 0xFFFFFF
            promised = (fields & 0xFF) - 1
            # Phase1b(a): one successor per 1a message above a's promise.
            if promised < top:
                p1b = lay.p1b[a]
                vbal_code = (fields >> 8) & 0xFF
                val_code = fields >> 16
                label = self.label_1b[a]
                for b in range(promised + 1, top + 1):
                    if x & p1a[b]:
                        y = (x + ((b - promised) << shift)) | p1b[b][vbal_code][val_code]
                        append((label, y.to_bytes(nb, "little")))
            # Phase2b(a): one successor per 2a message not below a's promise.
            for b, _, written, p2b in votes:
                if b >= promised or not check_promise:
                    y = (x + ((written - fields) << shift)) | p2b[a]
                    append((self.label_2b[a], y.to_bytes(nb, "little")))
        return out

    def actions(self) -> list[tuple[str, Callable[[State], list[Step]]]]:
        """``next_steps`` split into TLC's actions, for random simulation (``checker.model``):
        ``Phase1a(b)``, ``Phase2a(b, v)``, ``Phase1b(a)`` and ``Phase2b(a)``, each giving the
        steps ``next_steps`` gives under its label (the message a step answers, and
        Phase2a's quorum, are TLC's ``\\E`` inside the action). ``next_steps`` keeps its own
        loop, which breadth-first search needs fast; ``tests/paxos_model/test_encoding.py``
        checks that the two agree."""
        part = functools.partial
        acts: list[tuple[str, Callable[[State], list[Step]]]] = []
        for row in self._ballot_rows:
            b = row[0]
            acts.append((row[1], part(self._phase1a, row[1], row[2])))
            acts += [(self._label_2a[b][v], part(self._phase2a, row, v)) for v in range(self.layout.n_val)]
        for a in range(self.layout.n_acc):
            acts.append((self.label_1b[a], part(self._phase1b, a)))
            acts.append((self.label_2b[a], part(self._phase2b, a)))
        return acts

    def _phase1a(self, label: str, bit_1a: int, state: State) -> list[Step]:
        """Always enabled (a step to the same state once the 1a message was sent)."""
        x = int.from_bytes(state, "little")
        return [(label, (x | bit_1a).to_bytes(self.layout.nbytes, "little"))]

    def _phase2a(
        self, row: tuple[int, str, int, int, int, int, dict[int, Phase2aSteps]], v: int, state: State
    ) -> list[Step]:
        b, _, _, has_2a, offset, width, memo = row
        x = int.from_bytes(state, "little")
        if self.variant != "two_proposals" and x & has_2a:
            return []
        seg = (x >> offset) & width
        steps = memo.get(seg)
        if steps is None:
            steps = memo[seg] = self._phase2a_steps(b, seg)
        want = self._label_2a[b][v]
        nb = self.layout.nbytes
        return [
            (label, (x | bit).to_bytes(nb, "little"))
            for label, bit, times in steps
            if label == want
            for _ in range(times)
        ]

    def _phase1b(self, a: int, state: State) -> list[Step]:
        """One successor per 1a message above a's promise."""
        x = int.from_bytes(state, "little")
        lay = self.layout
        shift = 24 * a
        fields = (x >> shift) & 0xFFFFFF
        promised = (fields & 0xFF) - 1
        out: list[Step] = []
        if promised < self.max_ballot:
            p1b = lay.p1b[a]
            vbal_code = (fields >> 8) & 0xFF
            val_code = fields >> 16
            label = self.label_1b[a]
            for b in range(promised + 1, self.max_ballot + 1):
                if x & lay.p1a[b]:
                    y = (x + ((b - promised) << shift)) | p1b[b][vbal_code][val_code]
                    out.append((label, y.to_bytes(lay.nbytes, "little")))
        return out

    def _phase2b(self, a: int, state: State) -> list[Step]:
        """One successor per 2a message not below a's promise."""
        x = int.from_bytes(state, "little")
        lay = self.layout
        if not x & lay.p2a_all:
            return []
        shift = 24 * a
        fields = (x >> shift) & 0xFFFFFF
        promised = (fields & 0xFF) - 1
        check_promise = self.variant != "accept_lower"
        label = self.label_2b[a]
        return [
            (label, ((x + ((written - fields) << shift)) | p2b[a]).to_bytes(lay.nbytes, "little"))
            for b, bit, written, p2b in self._votes
            if x & bit and (b >= promised or not check_promise)
        ]

    def unpack(self, state: State) -> Unpacked:
        x = int.from_bytes(state, "little")
        n = self.layout.n_acc
        fields = [(x >> (24 * a)) & 0xFFFFFF for a in range(n)]
        return Unpacked(
            tuple((f & 0xFF) - 1 for f in fields),
            tuple(((f >> 8) & 0xFF) - 1 for f in fields),
            tuple((f >> 16) - 1 for f in fields),
            x,
        )

    def messages(self, state: State) -> list[Message]:
        """The messages of a state, decoded (for views and tests)."""
        return self.layout.decode(int.from_bytes(state, "little"))

    def as_record(self, state: State) -> dict[str, Value]:
        """The state as TLC holds it: functions over acceptors, a set of message records."""
        u = self.unpack(state)
        accs = self.acceptors
        return {
            "maxBal": Fn(dict(zip(accs, u.max_bal))),
            "maxVBal": Fn(dict(zip(accs, u.max_vbal))),
            "maxVal": Fn({a: self.value(v) for a, v in zip(accs, u.max_val)}),
            "msgs": frozenset(self.message_record(m) for m in self.layout.decode(u.x)),
        }

    def message_record(self, m: Message) -> Fn:
        if m.kind == "1a":
            return record(type="1a", bal=m.bal)
        if m.kind == "1b":
            return record(
                type="1b", acc=self.acceptors[m.acc], bal=m.bal, mbal=m.mbal, mval=self.value(m.mval)
            )
        if m.kind == "2a":
            return record(type="2a", bal=m.bal, val=self.values[m.val])
        return record(type="2b", acc=self.acceptors[m.acc], bal=m.bal, val=self.values[m.val])

    def value(self, v: int) -> ModelValue:
        """The model value of a value index (-1 is ``None``)."""
        return self.none if v == NONE else self.values[v]

    def render_dot(self, trace: Any, index: int) -> str:
        """Step ``index`` of a trace as DOT: the acceptors and a message-sequence diagram (``dot.py``)."""
        from paxos_model.dot import render_dot

        return render_dot(self, trace, index)

    # -- symmetry ----------------------------------------------------------------

    @property
    def has_symmetry(self) -> bool:
        # symmetry() is overridden for speed; it only applies when a set was declared.
        return bool(self.symmetric_sets)

    def symmetry(self, state: State) -> Hashable:
        """The least image of the state over every acceptor and value permutation.

        The same classes as the default (``checker.model.Model.symmetry`` over
        ``symmetric_sets``), computed on the bytes: for each permutation, a table per
        byte position maps the byte to its image bits, and the state's image is the
        union over its non-zero bytes. The least image under a fixed order over a
        group of permutations depends only on the class.
        """
        tables = self._sym_tables
        if tables is None:
            tables = self._sym_tables = self._build_sym_tables()
        nonzero = [(j, c) for j, c in enumerate(state) if c]
        best = -1
        for perm in tables:
            rows = perm.rows
            image = 0
            for j, c in nonzero:
                part = rows[j].get(c)
                if part is None:
                    part = rows[j][c] = self._byte_image(perm, j, c)
                image |= part
            if best < 0 or image < best:
                best = image
        return best.to_bytes(self.layout.nbytes, "little")

    def _build_sym_tables(self) -> list[_PermTable]:
        lay = self.layout
        index = {m: i for i, m in enumerate(lay.table)}
        identity = tuple(range(lay.n_acc))
        accs = itertools.permutations(identity) if self._acceptor_symmetry else iter([identity])
        tables = []
        for acc, val in itertools.product(accs, list(itertools.permutations(range(lay.n_val)))):
            bit_image = []
            for m in lay.table:
                moved = dataclasses.replace(
                    m,
                    acc=m.acc if m.acc < 0 else acc[m.acc],
                    mval=m.mval if m.mval < 0 else val[m.mval],
                    val=m.val if m.val < 0 else val[m.val],
                )
                bit_image.append(1 << (lay.base + index[moved]))
            tables.append(_PermTable(acc, val, tuple(bit_image), [{} for _ in range(lay.nbytes)]))
        return tables

    def _byte_image(self, perm: _PermTable, j: int, c: int) -> int:
        """The image under ``perm`` of byte ``j`` of a state holding ``c`` (filled in lazily)."""
        lay = self.layout
        if j < 3 * lay.n_acc:
            a, field = divmod(j, 3)
            # Bytes 0 and 1 of an acceptor are ballots (unchanged); byte 2 a value code.
            code = c if field < 2 or c - 1 >= lay.n_val else perm.val[c - 1] + 1
            return code << (8 * (3 * perm.acc[a] + field))
        image = 0
        for k in range(8):
            i = 8 * j + k - lay.base
            if c >> k & 1 and 0 <= i < len(perm.bits):
                image |= perm.bits[i]
        return image

    # -- invariants ----------------------------------------------------------------

    def chosen(self, state: State) -> set[int]:
        """The values (indexes) voted for by a whole quorum in one ballot."""
        x = int.from_bytes(state, "little")
        return {v for mask, v in self.chosen_masks if x & mask == mask}

    def agreement(self, state: State) -> bool:
        """At most one value is chosen (Lamport's Consistency)."""
        x = int.from_bytes(state, "little")
        first = NONE
        for mask, v in self.chosen_masks:
            if x & mask == mask:
                if first == NONE:
                    first = v
                elif v != first:
                    return False
        return True

    def type_ok(self, state: State) -> bool:
        """TypeOK: each variable in its type; msgs only holds messages of Message by construction."""
        lay = self.layout
        if len(state) != lay.nbytes or int.from_bytes(state, "little") >> (lay.base + len(lay.table)):
            return False
        u = self.unpack(state)
        top = self.max_ballot
        return (
            all(NONE <= x <= top for x in u.max_bal)
            and all(NONE <= x <= top for x in u.max_vbal)
            and all(NONE <= x < lay.n_val for x in u.max_val)
        )

    def wont_vote_in(self, u: Unpacked, a: int, b: int) -> bool:
        """a has not voted in ballot b and never will: it promised a higher one."""
        return not u.x & self.layout.p2b_acc_bal[a][b] and u.max_bal[a] > b

    def safe_at(self, u: Unpacked, v: int, b: int) -> bool:
        """No value other than v has been or can be chosen in a ballot below b."""
        p2b = self.layout.p2b
        return all(
            any(all(u.x & p2b[a][c][v] or self.wont_vote_in(u, a, c) for a in q) for q in self.quorums)
            for c in range(b)
        )

    def acc_inv(self, u: Unpacked) -> bool:
        """What each acceptor's variables say (Lamport's AccInv)."""
        lay = self.layout
        x = u.x
        for a in range(lay.n_acc):
            vbal, val = u.max_vbal[a], u.max_val[a]
            if (val == NONE) != (vbal == NONE) or vbal > u.max_bal[a]:
                return False
            if vbal >= 0 and not x & lay.p2b[a][vbal][val]:
                return False
            if any(x & lay.p2b_acc_bal[a][c] for c in range(vbal + 1, self.max_ballot + 1)):
                return False
        return True

    def msg_inv(self, u: Unpacked) -> bool:
        """What each message implies (Lamport's MsgInv)."""
        lay = self.layout
        x = u.x
        for m in lay.decode(x):
            if m.kind == "1b":
                if m.bal > u.max_bal[m.acc]:
                    return False
                voted = m.mval != NONE and m.mbal >= 0 and x & lay.p2b[m.acc][m.mbal][m.mval]
                if not (voted or (m.mval == NONE and m.mbal == NONE)):
                    return False
                # No vote between the reported one and m.bal.
                if any(x & lay.p2b_acc_bal[m.acc][c] for c in range(m.mbal + 1, m.bal)):
                    return False
            elif m.kind == "2a":
                if not self.safe_at(u, m.val, m.bal):
                    return False
                if (x & lay.p2a_bal[m.bal]).bit_count() != 1:  # one 2a per ballot
                    return False
            elif m.kind == "2b":
                if not x & lay.p2a[m.bal][m.val] or m.bal > u.max_vbal[m.acc]:
                    return False
        return True

    def inv_by_definition(self, state: State) -> bool:
        """Lamport's inductive invariant, TypeOK /\\ AccInv /\\ MsgInv, read off the definitions.

        ``inv`` computes the same with masks; tests hold the two equal.
        """
        if not self.type_ok(state):
            return False
        u = self.unpack(state)
        return self.acc_inv(u) and self.msg_inv(u)

    def inv(self, state: State) -> bool:
        """Lamport's inductive invariant (``Inv`` of Paxos.tla), as whole-state mask tests.

        Each test names the conjunct of Paxos.tla it decides; ``inv_by_definition`` is
        the literal reading, about five times slower.
        """
        lay = self.layout
        masks = self._inv_masks
        if len(state) != lay.nbytes:
            return False
        x = int.from_bytes(state, "little")
        if x >> (lay.base + len(lay.table)):  # TypeOK: msgs \subseteq Message
            return False
        top_code = self.max_ballot + 1
        promised: list[int] = []
        for a in range(lay.n_acc):
            fields = (x >> (24 * a)) & 0xFFFFFF
            bal_code, vbal_code, val_code = fields & 0xFF, (fields >> 8) & 0xFF, fields >> 16
            if bal_code > top_code or vbal_code > top_code or val_code > lay.n_val:  # TypeOK
                return False
            # AccInv: (maxVal[a] = None) <=> (maxVBal[a] = -1), and maxVBal[a] =< maxBal[a].
            if (val_code == 0) != (vbal_code == 0) or vbal_code > bal_code:
                return False
            # AccInv: maxVBal[a] >= 0 => VotedForIn(a, maxVal[a], maxVBal[a]).
            if vbal_code and not x & lay.p2b[a][vbal_code - 1][val_code - 1]:
                return False
            # AccInv: no vote of a above maxVBal[a]; MsgInv (2b): m.bal =< maxVBal[m.acc].
            if x & masks.votes_above[a][vbal_code]:
                return False
            # MsgInv (1b): m.bal =< maxBal[m.acc].
            if x & masks.promises_above[a][bal_code]:
                return False
            promised.append(bal_code - 1)
        # MsgInv (1b): mval = None and mbal = -1, or a value and a ballot ...
        if x & masks.mixed_1b:
            return False
        # ... with VotedForIn(m.acc, m.mval, m.mbal), and no vote of m.acc in a ballot
        # strictly between m.mbal and m.bal.
        reports = (x & masks.all_1b) >> lay.base
        needs, gaps = masks.report_needs, masks.report_gap
        while reports:
            low = reports & -reports
            i = low.bit_length() - 1
            if (needs[i] and not x & needs[i]) or x & gaps[i]:
                return False
            reports ^= low
        for b in self.ballots:
            proposals = x & lay.p2a_bal[b]
            if proposals:
                # MsgInv (2a): one 2a per ballot, and SafeAt(m.val, m.bal).
                if proposals & (proposals - 1):
                    return False
                v = lay.p2a[b].index(proposals)
                if not self._safe_at_fast(x, promised, v, b):
                    return False
            for v in range(lay.n_val):
                # MsgInv (2b): a 2b follows a 2a of the same ballot and value.
                if x & masks.votes_for[b][v] and not x & lay.p2a[b][v]:
                    return False
        return True

    def _safe_at_fast(self, x: int, promised: list[int], v: int, b: int) -> bool:
        """SafeAt(v, b): for each lower ballot c, a quorum that voted v in c or will never vote in c."""
        lay = self.layout
        for c in range(b):
            fine = 0
            for a in range(lay.n_acc):
                if x & lay.p2b[a][c][v] or (not x & lay.p2b_acc_bal[a][c] and promised[a] > c):
                    fine |= 1 << a
            if not any(fine & q == q for q in self._quorum_bits):
                return False
        return True

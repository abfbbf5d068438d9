"""Invariants checked once per class of states that they cannot tell apart (issue 23).

A model may say, per invariant, sets of model values that the invariant cannot tell apart
(``Model.invariant_classes``; for a TLA+ spec ``checker.tla.classes`` finds them): its value on
a state is its value on every state obtained by permuting each set. Without a SYMMETRY in the
cfg, Paxos with ballots 0..2 has 185,369 distinct states in 17,153 such classes (3 acceptors, 2
values): its invariants are evaluated on the first state of each class that the search meets
and looked up for the others. TLC evaluates them on every state; the answers are the same, and
a violation is reported on the same state (the first, in the search's order, on which the
invariant is false: a state of its class met before it would have been reported). Only TRUE is
remembered; FALSE and errors are as without the memo.

Not used with symmetry reduction (the states are already one per class), in exact mode (the
keys are 64-bit fingerprints, see :class:`ClassMemo`), nor when it does not pay: the keys cost
about 14 us a state on Paxos, and every 10,000 states the evaluations saved (the hits, at each
invariant's mean cost) are compared with the time the keys took.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from checker import symmetry
from checker.engine.fingerprint import _K1, _T_ELEM, _T_SET, _mix, value_fingerprint
from checker.symmetry import image_builder
from checker.values import Value, value_key


class ClassMemo:
    """The key of each state's class under the group of the permutations of ``sets``, for the
    invariants that share it (the last state's is kept: each invariant is asked in turn).

    The key is the least, over the permutations p, of the tuple of the fingerprints of each
    variable's image under p: the same for every state of a class (their images are the same
    states), and two states with the same key are images of each other, but for a clash of
    64-bit fingerprints, which the visited set risks as well. Fingerprints tell TRUE from 1 and
    a string from a model value, as Python's ``==`` does not. A set's is the sum of its members'
    (with its size): a message set and the next state's differ by a message or two, so the last
    set of each variable is kept with its sums, corrected by the difference.
    """

    def __init__(self, sets: tuple[frozenset[Value], ...]) -> None:
        self.sets = sets
        slots = [tuple(sorted(s, key=value_key)) for s in sets]
        atoms = tuple(a for group in slots for a in group)
        perms = [[a for g in choice for a in g] for choice in itertools.product(*map(itertools.permutations, slots))]
        self._images_of = image_builder(atoms, perms)
        self._rows: dict[int, tuple[int, ...]] = {}  # a value's fingerprint -> its images'
        self._member_terms: dict[int, tuple[int, ...]] = {}  # a member's fingerprint -> its terms
        self._last: dict[int, tuple[frozenset[Value], tuple[int, ...]]] = {}
        self._empty = (0,) * len(perms)
        self.last: Any = None
        self.key: tuple[int, ...] = ()
        self.seconds = 0.0  # spent finding keys (what the memo costs)
        self.keys = 0
        self.off = False
        self.tallies: list[_Tally] = []  # of the invariants that use it

    def _pays(self) -> bool:
        """Whether the evaluations saved (hits at each invariant's mean cost) outweigh the keys."""
        saved = sum(t.hits * t.seconds / t.evaluations for t in self.tallies if t.evaluations)
        return saved >= self.seconds

    def of(self, state: Any) -> tuple[int, ...]:
        if state is not self.last:
            self.keys += 1
            if self.keys % _TRIAL == 0 and not self._pays():
                self.off = True  # the invariants evaluate every state from now on
            start = time.perf_counter()
            rows = [self._set(i, v) if type(v) is frozenset else self._row(value_fingerprint(v), v)
                    for i, v in enumerate(state)]  # fmt: skip
            self.key = min(zip(*rows))
            self.seconds += time.perf_counter() - start
            self.last = state
        return self.key

    def _row(self, fp: int, v: Value) -> tuple[int, ...]:
        row = self._rows.get(fp)
        if row is None:
            row = tuple([value_fingerprint(x) for x in self._images_of(v)])
            if len(self._rows) >= _ROWS:
                self._rows.clear()
            self._rows[fp] = row
        return row

    def _terms(self, x: Value) -> tuple[int, ...]:
        """A set member's part in the fingerprint of each image of its set (fingerprint.py's
        ``mix(fp(e) XOR T_ELEM)``, summed over the members)."""
        fp = value_fingerprint(x)
        terms = self._member_terms.get(fp)
        if terms is None:
            terms = tuple([_mix(f ^ _T_ELEM) for f in self._row(fp, x)])
            if len(self._member_terms) >= _ROWS:
                self._member_terms.clear()
            self._member_terms[fp] = terms
        return terms

    def _set(self, i: int, v: frozenset[Value]) -> tuple[int, ...]:
        """Per image, the sum of the set's members' terms: the last set of variable ``i`` is
        corrected by the members added and removed (found with ``==``, which takes TRUE for 1:
        the sum under the identity, permutation 0, is then checked against the set's own
        fingerprint, and the sums are computed afresh where it differs)."""
        last = self._last.get(i)
        terms = self._terms
        if last is not None:
            old, sums = last
            if old is v:
                return sums
            fixed = symmetry.SET_SUMS[0](old, sums, v, terms)
            if fixed is not None and _mix((_mix(_T_SET ^ len(v)) * _K1 + fixed[0]) & _MASK) == value_fingerprint(v):
                self._last[i] = (v, fixed)
                return fixed
        sums = tuple([sum(col) & _MASK for col in zip(*[terms(x) for x in v])]) if v else self._empty
        self._last[i] = (v, sums)
        return sums


_ROWS = 100_000  # values whose images' fingerprints are kept
_MASK = (1 << 64) - 1
_TRIAL = 10_000  # states after which a memo that has not paid is dropped (looked at every _TRIAL)
_LIMIT = 500_000  # keys kept per invariant (then the memo starts again)


class _Tally:
    __slots__ = ("evaluations", "hits", "seconds")

    def __init__(self) -> None:
        self.seconds = 0.0
        self.evaluations = 0
        self.hits = 0


def by_class(
    invariants: list[tuple[str, Callable[[Any], bool]]], classes: Mapping[str, Sequence[frozenset[Value]]]
) -> list[tuple[str, Callable[[Any], bool]]]:
    """The invariants, each that has sets in ``classes`` evaluated once per class of states
    that differ only by permuting them (one memo, one key per state, per distinct sets)."""
    memos: dict[tuple[frozenset[Value], ...], ClassMemo] = {}
    out = []
    for name, pred in invariants:
        sets = tuple(classes.get(name, ()))
        if sets:
            memo = memos.get(sets)
            if memo is None:
                memo = memos[sets] = ClassMemo(sets)
            pred = _once_per_class(pred, memo)
        out.append((name, pred))
    return out


def _once_per_class(pred: Callable[[Any], bool], memo: ClassMemo) -> Callable[[Any], bool]:
    """``pred``, evaluated once per class of ``memo``'s group: where it held on one state of
    the class it holds on the others. FALSE and errors are never remembered."""
    held: set[tuple[int, ...]] = set()
    tally = _Tally()
    memo.tallies.append(tally)

    def checked(state: Any) -> bool:
        if memo.off:
            return pred(state)
        key = memo.of(state)
        if key in held:
            tally.hits += 1
            return True
        start = time.perf_counter()
        v = pred(state)
        tally.seconds += time.perf_counter() - start
        tally.evaluations += 1
        if v is True:
            if len(held) >= _LIMIT or memo.off:
                held.clear()
            if not memo.off:
                held.add(key)
        return v

    return checked

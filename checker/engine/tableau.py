"""The tableau of a temporal formula over state predicates, for ``checker.engine.liveness``.

A behaviour satisfies a formula F (``[]``, ``<>``, ``/\\``, ``\\/`` over state predicates and
their negations: negation normal form) exactly when it has an accepting run through F's
tableau (Manna and Pnueli's particle tableau, as TLC's ``tlc2/tool/liveness/TBGraph``
builds it; also Gerth, Peled, Vardi and Wolper, "Simple on-the-fly automatic verification
of linear temporal logic", 1995). A tableau node is what must hold now (literals: state
bits that must be set or clear) and what must hold from the next state on (the
*obligations*, formulas). ``[]G`` is G now and ``[]G`` next; ``<>G`` is G now, or ``<>G``
next; ``\\/`` is a choice. A node's successors are the ways its obligations can be met.

A run is accepting when it keeps every promise: for each ``<>G`` in the formula, it passes
infinitely often through nodes that do not put ``<>G`` off to the next state. The engine
multiplies the behaviour graph by the tableau (a state with a node whose literals it
satisfies) and looks for a fair strongly connected component of the product that holds,
for each promise, a node that keeps it.

Formulas are tuples of integers and booleans (hashed the same way in every process, unlike
strings, so node numbers do not depend on Python's hash seed):
``(LIT, bit, positive)``, ``(AND, f, g, ...)``, ``(OR, f, g, ...)``, ``(ALWAYS, f)``,
``(EVENTUALLY, f)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.model import Ltl

LIT, AND, OR, ALWAYS, EVENTUALLY = range(5)
Formula = tuple[Any, ...]
Obligations = frozenset[Formula]

# A formula whose tableau grows past this many nodes is refused (the product with the
# behaviour graph would be too large to search).
MAX_NODES = 10_000


class TableauTooLarge(Exception):
    pass


def encode(f: Ltl, bit: Callable[[Any], int]) -> Formula:
    """``f`` as tuples, each state predicate replaced by its bit (``bit(pred)``)."""
    if f.op == "state":
        assert f.pred is not None
        return (LIT, bit(f.pred), f.positive)
    if f.op in ("and", "or"):
        args = tuple(encode(a, bit) for a in f.args)
        return args[0] if len(args) == 1 else ((AND if f.op == "and" else OR), *args)
    if f.op == "always":
        return (ALWAYS, encode(f.args[0], bit))
    if f.op == "eventually":
        return (EVENTUALLY, encode(f.args[0], bit))
    raise ValueError(f"not a formula in negation normal form: {f.op}")


class Tableau:
    """Nodes, each with the state bits it needs set (``need_set``) and clear
    (``need_clear``), its successors, and the promises it keeps (a mask over
    ``promises``). ``initial``: the nodes a behaviour's first state may be in."""

    def __init__(self, formula: Formula) -> None:
        self.promises: list[Formula] = sorted({f for f in _subformulas(formula) if f[0] == EVENTUALLY}, key=repr)
        self.need_set: list[int] = []
        self.need_clear: list[int] = []
        self.keeps: list[int] = []
        self.successors: list[list[int]] = []
        self._number: dict[tuple[frozenset[tuple[int, bool]], Obligations], int] = {}
        self._obligations: list[Obligations] = []
        self._expanded: dict[Obligations, list[int]] = {}
        self.initial = self._expand(frozenset([formula]))
        done = 0
        while done < len(self._obligations):
            self.successors.append(self._expand(self._obligations[done]))
            done += 1

    def __len__(self) -> int:
        return len(self.need_set)

    def _expand(self, obligations: Obligations) -> list[int]:
        """The nodes that meet ``obligations`` (numbered when new)."""
        known = self._expanded.get(obligations)
        if known is not None:
            return known
        out: list[int] = []
        for lits, nxt in _particles(list(obligations)):
            key = (lits, nxt)
            n = self._number.get(key)
            if n is None:
                n = self._number[key] = len(self.need_set)
                if n >= MAX_NODES:
                    raise TableauTooLarge
                set_mask = clear_mask = 0
                for b, positive in lits:
                    if positive:
                        set_mask |= 1 << b
                    else:
                        clear_mask |= 1 << b
                self.need_set.append(set_mask)
                self.need_clear.append(clear_mask)
                self.keeps.append(sum(1 << i for i, p in enumerate(self.promises) if p not in nxt))
                self._obligations.append(nxt)
            if n not in out:
                out.append(n)
        self._expanded[obligations] = out
        return out


def _subformulas(f: Formula) -> list[Formula]:
    out = [f]
    if f[0] != LIT:
        for g in f[1:]:
            out.extend(_subformulas(g))
    return out


def _particles(todo: list[Formula]) -> list[tuple[frozenset[tuple[int, bool]], Obligations]]:
    """The ways to meet every formula of ``todo`` now: (literals now, obligations next),
    those with contradicting literals left out."""
    out: list[tuple[frozenset[tuple[int, bool]], Obligations]] = []
    # Depth first over the choices; each item: formulas left, literals, obligations, seen.
    work: list[tuple[list[Formula], set[tuple[int, bool]], set[Formula], set[Formula]]] = [
        (list(todo), set(), set(), set())
    ]
    while work:
        left, lits, nxt, seen = work.pop()
        ok = True
        while left:
            f = left.pop()
            if f in seen:
                continue
            seen.add(f)
            op = f[0]
            if op == LIT:
                if (f[1], not f[2]) in lits:
                    ok = False
                    break
                lits.add((f[1], f[2]))
            elif op == AND:
                left.extend(f[1:])
            elif op == ALWAYS:
                left.append(f[1])
                nxt.add(f)
            else:
                # OR: one of the disjuncts; EVENTUALLY: the formula now, or the promise next.
                choices: list[tuple[Formula | None, Formula | None]] = (
                    [(g, None) for g in f[1:]] if op == OR else [(f[1], None), (None, f)]
                )
                for now, later in reversed(choices):
                    branch_left = left + ([now] if now is not None else [])
                    branch_nxt = nxt | ({later} if later is not None else set())
                    work.append((branch_left, set(lits), branch_nxt, set(seen)))
                ok = False  # this item continues as its branches
                break
        if ok:
            item = (frozenset(lits), frozenset(nxt))
            if item not in out:
                out.append(item)
    return out

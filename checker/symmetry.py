"""Symmetry: permutations of model values acting on values and states.

Owns the canonical representative of a symmetry class (one state per class, as
TLC's ``SYMMETRY``), the recognition of TLC's ``Permutations(S)`` idiom, and the
warning text for specs whose symmetry looks unsound.

The group. ``sets`` = S_1, ..., S_m are disjoint sets of interchangeable atoms
(model values; strings are accepted for Python models). The group G is
Sym(S_1) x ... x Sym(S_m); a permutation acts on a value everywhere inside it:
set members, function domains and ranges, records, sequences, nested. TLC 2.20,
given ``Permutations(A) \\cup Permutations(B)``, counts the orbits of this
product group too (checked on a toy spec: 6 distinct states, the orbit count,
where a minimum over the union alone would give 14 or more).

The order, and why the representative is exact. Write x for a state (the tuple
of its variables' values in variable order) and ``sig_x(a)`` for the *signature*
of an atom a in x (defined below): an integer computed from x with the names of
all symmetric atoms erased, so that it is equivariant:
``sig_{p(x)}(p(a)) = sig_x(a)`` for every p in G. Let c_1 < ... < c_n be the
atoms of each S_j in the fixed order of ``value_key`` (the *slots*) and
``sigvec(x) = (sig_x(c_1), ..., sig_x(c_n))``, set after set. Order states by

    y < z  iff  (sigvec(y), value_key(y)) < (sigvec(z), value_key(z)).

It is a total order (``value_key`` is injective on values, and ``sigvec`` is a
function of the state). The representative of x is the least element of its
orbit {p(x) : p in G} under this order. It depends on the orbit alone, so the
distinct count is the number of reachable classes. To find it:

1. ``sigvec(p(x))`` lists ``sig_x(p^-1(c_1)), ...``: a rearrangement of the
   signatures of x. It is least exactly when p^-1 lists the atoms of each S_j
   by increasing signature, i.e. when p sends the atoms, sorted by signature,
   to the slots in order. Call those permutations R(x). Atoms with equal
   signature form a *cell*; R(x) is every ordering of every cell, so
   |R(x)| = product of (cell size)!; when every signature differs, it is one
   permutation.
2. If t is an automorphism of x (t(x) = x) then p and p.t give the same image.
   So atoms that occur nowhere in x are one *block* (any swap of them fixes x),
   and inside a cell of three or more atoms, atoms joined by a swap that fixes
   x (checked, one transposition at a time) are one block; only the orderings
   that keep each block in its original order need to be tried. p.t is in
   R(x) whenever p is, because an automorphism preserves signatures.
3. The least ``value_key`` among those images is the representative.

Signatures. Round 0 walks the state once, bottom up: every node gets a *shape*,
a hash of the node with each symmetric atom replaced by the token of its set
(sets and functions combined order-free, via sorted child hashes), and every
occurrence of an atom gets a *context*: a hash of its role at each level on the
way up (tuple index, set member, function key with its value's shape, function
value with its key's shape) together with the shape of each enclosing node, up
to the variable. ``sig_x(a)`` is the sum of the contexts of a's occurrences.
Nothing in it depends on names, hence equivariance. If cells of occurring atoms
remain, a refinement round walks the state again with each atom's token replaced
by its current signature (so the shape of a message now tells *which kind* of
server sent it), up to ``_ROUNDS`` rounds while the partition still splits.
Signatures need not separate inequivalent atoms: a weak signature only leaves
bigger cells, which costs time (more orderings in step 1), never exactness.

Cost, per state of size N (nodes) with atoms in cells of sizes k_i: one walk
(O(N), and round 0 is memoised per sub-value, so a successor that shares most
of its variables with its parent re-walks only what changed), plus, only when
cells remain, one walk per refinement round, sum(k_i - 1) swap checks for cells
of three or more, and prod(k_i)! / (block orderings) images, each O(N). On
Raft's states most atoms are told apart by term, role and log, so the typical
cost is one (memoised) walk and one image, against n! images (120 at n = 5) for
the brute force, which stays here as ``least_image_brute_force`` for the tests.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from math import factorial
from typing import Literal

from checker.errors import ModelError, Span, SpecError
from checker.values import Fn, ModelValue, Value, format_value, value_key

Permutation = Mapping[Value, Value]

# Refinement rounds after round 0; two suffice for the nesting depth of the
# protocols we check (an atom's neighbours' neighbours), and each round costs a walk.
_ROUNDS = 2
# The memo of round-0 walks is cleared when it grows past this many entries,
# so memory stays bounded however big the state space is.
_MEMO_LIMIT = 400_000

_SET_TAG = hash("#set")
_FN_TAG = hash("#fn")
_TUPLE_TAG = hash("#tuple")
_KEY_ROLE = hash("#key")
_VALUE_ROLE = hash("#value")
_MEMBER_ROLE = hash("#member")


# ---------------------------------------------------------------------------
# Acting on values.


def permute(v: Value, perm: Permutation) -> Value:
    """Apply a permutation of atoms everywhere inside ``v``."""
    t = type(v)
    if t is tuple:
        return tuple([permute(x, perm) for x in v])
    if t is frozenset:
        return frozenset([permute(x, perm) for x in v])
    if t is Fn:
        return Fn({permute(k, perm): permute(x, perm) for k, x in v.items()})
    if t is bool or t is int:
        return v
    return perm.get(v, v)


def permutations_of(sets: Sequence[frozenset[Value]]) -> Iterator[dict[Value, Value]]:
    """Every permutation of the union of ``sets`` that maps each set onto itself."""
    orders = [sorted(s, key=value_key) for s in sets]
    for choice in itertools.product(*(itertools.permutations(o) for o in orders)):
        perm: dict[Value, Value] = {}
        for original, image in zip(orders, choice):
            perm.update(zip(original, image))
        yield perm


# ---------------------------------------------------------------------------
# The canonicaliser.


# A walked value: its shape and the (atom, context) of each occurrence. A plain
# tuple rather than a dataclass: millions are built, and this is the hot loop.
_Walk = tuple[int, tuple[tuple[Value, int], ...]]


class Canonicalizer:
    """The representative of a state's class; build one per model and reuse it.

    Holds what is constant for a model (the atoms, their sets, the slots) and a
    bounded memo of round-0 walks, keyed by value (values are immutable).
    """

    __slots__ = ("sets", "slots", "_token", "_memo")

    def __init__(self, sets: Sequence[frozenset[Value]]) -> None:
        self.sets: tuple[frozenset[Value], ...] = validate_symmetric_sets(sets)
        self.slots: tuple[tuple[Value, ...], ...] = tuple(tuple(sorted(s, key=value_key)) for s in self.sets)
        self._token: dict[Value, int] = {a: hash(("#atom", j)) for j, s in enumerate(self.sets) for a in s}
        self._memo: dict[Value, _Walk] = {}

    # -- signatures -----------------------------------------------------------

    def _walk(self, v: Value, colour: Mapping[Value, int], memo: dict[Value, _Walk] | None) -> _Walk:
        if memo is not None:
            hit = memo.get(v)
            if hit is not None:
                return hit
        t = type(v)
        if t is tuple:
            kids = [self._walk(x, colour, memo) for x in v]
            shape = hash((_TUPLE_TAG, tuple([k[0] for k in kids])))
            occ = tuple([(a, hash((shape, i, c))) for i, k in enumerate(kids) for a, c in k[1]])
        elif t is frozenset:
            kids = [self._walk(x, colour, memo) for x in v]
            shape = hash((_SET_TAG, tuple(sorted([k[0] for k in kids]))))
            occ = tuple([(a, hash((shape, _MEMBER_ROLE, k[0], c))) for k in kids for a, c in k[1]])
        elif t is Fn:
            pairs = [(self._walk(k, colour, memo), self._walk(x, colour, memo)) for k, x in v.items()]
            shape = hash((_FN_TAG, tuple(sorted([hash((kw[0], xw[0])) for kw, xw in pairs]))))
            out: list[tuple[Value, int]] = []
            for kw, xw in pairs:
                for a, c in kw[1]:
                    out.append((a, hash((shape, _KEY_ROLE, xw[0], c))))
                for a, c in xw[1]:
                    out.append((a, hash((shape, _VALUE_ROLE, kw[0], c))))
            occ = tuple(out)
        elif (t is ModelValue or t is str) and v in colour:
            shape = colour[v]
            occ = ((v, 0),)
        else:
            shape = hash(v)
            occ = ()
        w = (shape, occ)
        if memo is not None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[v] = w
        return w

    def signatures(self, state: tuple[Value, ...]) -> dict[Value, int]:
        """``sig_x(a)`` for every atom that occurs in the state (see the module docstring)."""
        sig = self._round(state, self._token, self._memo)
        for _ in range(_ROUNDS):
            if not self._has_cells(sig):
                break
            refined = self._round(state, sig, None)
            # Keep the old signature in the new one, so a round only splits cells.
            refined = {a: hash((sig[a], s)) for a, s in refined.items()}
            if _cell_count(refined) == _cell_count(sig):
                break
            sig = refined
        return sig

    def _round(
        self, state: tuple[Value, ...], colour: Mapping[Value, int], memo: dict[Value, _Walk] | None
    ) -> dict[Value, int]:
        sig: dict[Value, int] = {}
        for i, v in enumerate(state):
            for a, c in self._walk(v, colour, memo)[1]:
                sig[a] = sig.get(a, 0) + hash((i, c))
        return sig

    def _has_cells(self, sig: Mapping[Value, int]) -> bool:
        for s in self.sets:
            seen = {sig[a] for a in s if a in sig}
            if len(seen) < sum(1 for a in s if a in sig):
                return True
        return False

    # -- the representative ---------------------------------------------------

    def canonical(self, state: tuple[Value, ...]) -> tuple[Value, ...]:
        """The least image of ``state`` (a tuple of variable values) under the order above."""
        if not self.sets:
            return state
        sig = self.signatures(state)
        # Per set: the cells in slot order, each a list of blocks (lists of atoms).
        plans: list[list[list[list[Value]]]] = []
        singular = True
        for slots in self.slots:
            cells: dict[int, list[Value]] = {}
            absent: list[Value] = []
            for a in slots:
                if a in sig:
                    cells.setdefault(sig[a], []).append(a)
                else:
                    absent.append(a)
            plan: list[list[list[Value]]] = []
            for key in sorted(cells):
                cell = cells[key]
                blocks = [cell] if len(cell) == 1 else self._blocks(state, cell)
                if len(blocks) > 1:
                    singular = False
                plan.append(blocks)
            if absent:
                plan.append([absent])  # occurs nowhere: any order is the same image
            plans.append(plan)
        if singular:
            only: tuple[Value, ...] = permute(state, self._assign(plans, None))
            return only
        best: tuple[Value, ...] | None = None
        best_key: tuple[object, ...] | None = None
        for orderings in itertools.product(*(_cell_orderings(cell) for plan in plans for cell in plan)):
            image: tuple[Value, ...] = permute(state, self._assign(plans, orderings))
            image_key = value_key(image)
            if best_key is None or image_key < best_key:
                best, best_key = image, image_key
        assert best is not None
        return best

    def _blocks(self, state: tuple[Value, ...], cell: list[Value]) -> list[list[Value]]:
        """Split a cell into blocks of atoms that a swap fixing the state joins."""
        if len(cell) < 3:
            return [[a] for a in cell]
        blocks: list[list[Value]] = []
        for a in cell:
            for block in blocks:
                if permute(state, {a: block[0], block[0]: a}) == state:
                    block.append(a)
                    break
            else:
                blocks.append([a])
        return blocks

    def _assign(
        self, plans: list[list[list[list[Value]]]], orderings: tuple[tuple[Value, ...], ...] | None
    ) -> dict[Value, Value]:
        """The permutation sending the atoms, in cell order (and the chosen ordering), to the slots."""
        perm: dict[Value, Value] = {}
        k = 0
        for plan, slots in zip(plans, self.slots):
            atoms: list[Value] = []
            for cell in plan:
                if orderings is None:
                    atoms.extend(cell[0])  # one block: its atoms in their own order
                else:
                    atoms.extend(orderings[k])
                k += 1
            for a, slot in zip(atoms, slots):
                if a != slot:
                    perm[a] = slot
        return perm

    def sigvec(self, state: tuple[Value, ...]) -> tuple[tuple[int, int], ...]:
        """``sigvec(x)``: the signatures of the slots, set after set.

        An atom that occurs nowhere sorts after every atom that occurs, which is
        where ``canonical`` puts it.
        """
        sig = self.signatures(state)
        return tuple((0, sig[a]) if a in sig else (1, 0) for slots in self.slots for a in slots)


def _cell_orderings(cell: list[list[Value]]) -> list[tuple[Value, ...]]:
    """Every ordering of a cell's atoms that keeps each block in its own order."""
    atoms = [a for block in cell for a in block]
    if len(cell) == 1:
        return [tuple(atoms)]
    rank = {a: (i, j) for i, block in enumerate(cell) for j, a in enumerate(block)}
    out = []
    for order in itertools.permutations(atoms):
        last: dict[int, int] = {}
        ok = True
        for a in order:
            b, j = rank[a]
            if last.get(b, -1) > j:
                ok = False
                break
            last[b] = j
        if ok:
            out.append(order)
    return out


def _cell_count(sig: Mapping[Value, int]) -> int:
    return len(set(sig.values()))


def least_image_brute_force(state: tuple[Value, ...], sets: Sequence[frozenset[Value]]) -> tuple[Value, ...]:
    """The representative by enumerating all of G: the reference for the tests (n! images)."""
    canon = Canonicalizer(sets)
    best: tuple[Value, ...] | None = None
    best_key = None
    for perm in permutations_of(canon.sets):
        image = permute(state, perm)
        key = (canon.sigvec(image), value_key(image))
        if best_key is None or key < best_key:
            best, best_key = image, key
    assert best is not None
    return best


def group_order(sets: Sequence[frozenset[Value]]) -> int:
    """|G|: the most a symmetry can divide the state count by."""
    n = 1
    for s in sets:
        n *= factorial(len(s))
    return n


def validate_symmetric_sets(sets: Iterable[frozenset[Value]]) -> tuple[frozenset[Value], ...]:
    """Check the sets are disjoint sets of atoms (model values or strings)."""
    out = tuple(frozenset(s) for s in sets)
    seen: set[Value] = set()
    for s in out:
        for a in s:
            if type(a) is not ModelValue and type(a) is not str:
                raise ModelError(
                    f"A symmetric set holds {format_value(a)}, which is not a model value. "
                    "Symmetry permutes atoms everywhere in a state, so only opaque names can be "
                    "interchangeable: permuting integers would also permute terms and indices. "
                    "Name the interchangeable things with checker.values.model_values(...) "
                    "(in TLA+, with model values in the cfg) and list those sets."
                )
            if a in seen:
                raise ModelError(
                    f"{format_value(a)} is in two symmetric sets; the sets must be disjoint, "
                    "since each is permuted on its own. Merge them into one set or remove it "
                    "from one of them."
                )
            seen.add(a)
    return out


def canonical_record(
    record: Mapping[str, Value], variables: Sequence[str], sets: Sequence[frozenset[Value]]
) -> Hashable:
    """The representative of a record (as a tuple in variable order); builds a fresh canonicaliser.

    Models should keep one :class:`Canonicalizer` instead (``Model.symmetry`` does).
    """
    return Canonicalizer(sets).canonical(tuple(record[v] for v in variables))


# ---------------------------------------------------------------------------
# TLA+: SYMMETRY Perms.


def symmetric_sets_from_permutations(perms: Value, span: Span | None = None) -> tuple[frozenset[Value], ...]:
    """The sets S_1, ..., S_m when ``perms`` is ``Permutations(S_1) \\cup ... \\cup Permutations(S_m)``.

    ``perms`` is the value of the cfg's ``SYMMETRY`` operator: a set of
    permutations, each a function from some S_i onto itself. Anything else (a
    set that is not all of the permutations of its sets, sets that overlap, atoms
    that are not model values) is a ``SpecError`` (exit 151, the cfg's code) that
    says what was found. The engine then reduces by the product group
    Sym(S_1) x ... x Sym(S_m), as TLC does.
    """
    if type(perms) is not frozenset:
        raise SpecError(
            "E730",
            f"SYMMETRY must name a set of permutations, but its value is {_brief(perms)}",
            span,
            hint="define Perms == Permutations(S) (from module TLC) and write SYMMETRY Perms",
            exit_code=151,
        )
    by_domain: dict[frozenset[Value], set[Value]] = {}
    for p in perms:
        if type(p) is tuple and not p:
            continue  # Permutations({}): the empty function, nothing to permute
        if type(p) is not Fn or set(p.keys()) != set(p.values()):
            raise SpecError(
                "E731",
                f"SYMMETRY's set holds {_brief(p)}, which is not a permutation of model values",
                span,
                hint="each element must map a set of model values onto itself, as Permutations(S) gives",
                exit_code=151,
            )
        by_domain.setdefault(p.domain(), set()).add(p)
    sets = sorted(by_domain, key=lambda d: sorted(value_key(a) for a in d))
    for d in sets:
        if len(by_domain[d]) != factorial(len(d)):
            raise SpecError(
                "E732",
                f"SYMMETRY's set holds {len(by_domain[d])} of the {factorial(len(d))} permutations of "
                f"{format_value(d)}; only all of them (Permutations(S)) is supported",
                span,
                hint="use Permutations(S), or a union of Permutations of disjoint sets of model values",
                exit_code=151,
            )
    out = tuple(d for d in sets if len(d) > 1)
    for d in out:
        for a in d:
            if type(a) is not ModelValue:
                raise SpecError(
                    "E733",
                    f"SYMMETRY permutes {format_value(d)}, which holds {format_value(a)}, not a model value",
                    span,
                    hint="declare the set's elements as model values in the cfg, e.g. "
                    "CONSTANT Server = {s1, s2, s3}",
                    exit_code=151,
                )
    try:
        return validate_symmetric_sets(out)
    except ModelError as exc:
        raise SpecError(
            "E733",
            str(exc).split(". ")[0],
            span,
            hint="SYMMETRY needs disjoint sets of model values, e.g. CONSTANT Server = {s1, s2, s3}",
            exit_code=151,
        ) from exc


def _brief(v: Value) -> str:
    text = format_value(v)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------------------
# Warnings for a symmetry that looks unsound.

HazardKind = Literal["choose", "constant", "ordering"]


@dataclasses.dataclass(frozen=True, slots=True)
class SymmetryHazard:
    """A fact about a spec that breaks its symmetry, found by the TLA+ front end.

    ``kind``: ``"choose"`` (a CHOOSE over the symmetric set), ``"constant"`` (a
    constant or definition equal to one element of it), ``"ordering"`` (a
    comparison such as ``<`` or a sort that tells its elements apart).
    ``set_name``: the symmetric set as the user wrote it (``Server``).
    ``text``: the offending expression, as written; ``span``: where.
    """

    kind: HazardKind
    set_name: str
    text: str
    span: Span | None = None


def symmetry_warning(hazard: SymmetryHazard) -> str:
    """The warning to print for one hazard: what was found, why it matters, what to do."""
    where = f"{hazard.span}: " if hazard.span is not None else ""
    s = hazard.set_name
    what = {
        "choose": f"`{hazard.text}` chooses an element of the symmetric set {s}",
        "constant": f"`{hazard.text}` names one particular element of the symmetric set {s}",
        "ordering": f"`{hazard.text}` compares or orders elements of the symmetric set {s}",
    }[hazard.kind]
    why = {
        "choose": f"CHOOSE picks the same fixed element whatever the states look like, so "
        f"renaming the elements of {s} does not rename its result",
        "constant": f"a spec that singles out one element treats it differently from the others, "
        f"so renaming the elements of {s} does not map a behaviour of the spec to a behaviour",
        "ordering": f"after renaming the elements of {s} their order changes, so the renamed "
        f"behaviour may take different branches",
    }[hazard.kind]
    return (
        f"{where}warning: SYMMETRY may be unsound: {what}. Symmetry reduction keeps one state "
        f"per class of states that differ only by a renaming of {s}, which is sound only if "
        f"every renaming maps behaviours of the spec to behaviours of the spec; here {why}. "
        f"TLC's documentation warns that such specs can give wrong results under SYMMETRY: "
        f"errors can be missed, and state counts do not mean what they seem. Check without "
        f"SYMMETRY (--no-symmetry), or remove the asymmetry (make the distinguished element a "
        f"separate constant outside {s})."
    )

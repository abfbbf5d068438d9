"""Symmetry: permutations of model values acting on values and states.

Owns the canonical representative of a symmetry class (one state per class, as
TLC's ``SYMMETRY``). What is particular to TLA+ (reading the cfg's ``Permutations(S)``
idiom, the warnings for specs whose symmetry looks unsound) is ``checker.tla.symmetry``.

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
   by increasing signature (atoms absent from x last: ``sigvec`` ranks them
   after every signature), i.e. when p sends the atoms, sorted by signature, to
   the slots in order. Call those permutations R(x). Atoms with equal signature
   form a *cell*; R(x) is every ordering of every cell, so |R(x)| is the
   product of (cell size)!; when every signature differs, it is one permutation.
2. If t is an automorphism of x (t(x) = x) then p and p.t give the same image,
   and p.t is in R(x) whenever p is (an automorphism preserves signatures). So
   atoms joined by swaps that fix x form a *block* whose order does not matter:
   atoms that occur nowhere in x are one block, and inside a cell, atoms are
   put in one block when the swap of the two fixes x (a transposition fixing
   x, checked variable by variable; "joined by such swaps" is an equivalence,
   as (a c) = (a b)(b c)(a b)). Only orderings that keep each block in its own
   order are tried.
3. The least ``value_key`` among those images is the representative.

Signatures. Round 0 walks each variable's value once, bottom up: every node gets
a *shape*, a hash of the node with each symmetric atom replaced by the token of
its set (sets and functions combined order-free, via sorted child hashes), and
every occurrence of an atom gets a *context*: a hash of its role at each level
on the way up (tuple index, set member, function key with its value's shape,
function value with its key's shape) together with the shape of each enclosing
node, up to the variable. ``sig_x(a)`` is the sum over variables i of
``hash((i, sum of the contexts of a's occurrences in variable i))``. Nothing in
it depends on names, hence equivariance. If some cell is still not one block
(its atoms are not all interchangeable), a refinement round walks the state
again with each atom's token replaced by its current signature (so the shape of
a message now tells *which kind* of server sent it), at most ``_ROUNDS`` rounds
and only while a round splits a cell. These decisions read only the state's
structure (cell sizes, automorphisms), so the signatures stay equivariant.
Signatures need not separate inequivalent atoms: a weak signature only leaves
bigger cells, which costs time (more orderings), never exactness. Hashes of
strings are salted per process, so which element of a class is its
representative may change from one run to the next; within a run it is fixed,
which is all fingerprints need, and counts never change.

Cost, per state of N nodes whose atoms fall in cells of sizes k_i: one walk,
O(N); for each cell, at most k_i - 1 swap checks, O(N) each; only when a cell is
not one block, up to ``_ROUNDS`` more walks; then one image per ordering kept in
step 2 (one, unless a cell holds atoms that are alike but not interchangeable),
O(N) each, and ``value_key`` only when there are several. Against that, the
brute force builds n! images (120 at n = 5; ``least_image_brute_force``, kept
for the tests). Most of that is memoised, because successors share most of
their variables' values with their parent, and most successors are generated
many times: per variable value (a :class:`_Known`: its walk, its swap-fixed
pairs, its image under each permutation used) and per state (``of_state``),
all in bounded dicts owned by one :class:`Canonicalizer` per model.
Measured by ``bench/symmetry.py`` on Raft with 5 servers: about 120x fewer
images than the brute force; see that script for the share of the run.

Small groups. For |G| <= ``SMALL_GROUP`` (Paxos' 3 acceptors and 2 values: 12)
the TLA+ front end uses :class:`SmallGroup` instead, which tries every image
under a cheaper order (hashes first, ``value_key`` on ties), with every member's
and value's images memoised: on Paxos it takes about a third less time than the
signatures (py-spy: canonicalisation 24% of the run before, 17% after).

Rows. Above ``SMALL_GROUP`` the TLA+ front end uses :class:`PerAtom`: a state whose
atoms occur only as the domain of functions to plain values (Raft's ``currentTerm``,
``state``, ``log``) is a table with one row per atom, and its representative sorts the rows
(on Raft with 5 servers about 7.5 us a state against the signatures' 20); every other state
goes to :class:`Canonicalizer`. Which of the two a state takes depends on its orbit alone.

Use. ``Model.symmetry`` calls ``Canonicalizer.of_state`` with the model's
``symmetric_sets``, ``as_record`` and ``variables``. The TLA+ front end calls
``symmetric_sets_from_permutations`` on the value of the cfg's ``SYMMETRY``
operator, and ``symmetry_warning`` for each :class:`SymmetryHazard` it finds.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from math import factorial
from typing import Any

from checker.errors import ModelError
from checker.values import Fn, ModelValue, Value, fn_of, format_value, value_key

Permutation = Mapping[Value, Value]

# Refinement rounds after round 0; two suffice for the nesting depth of the
# protocols we check (an atom's neighbours' neighbours), and each round costs a walk.
_ROUNDS = 2
# The memo of round-0 walks is cleared when it grows past this many entries,
# so memory stays bounded however big the state space is.
_MEMO_LIMIT = 400_000
# The memo of representatives by state: each entry holds a state and its
# representative (whose parts are shared with other entries), so fewer.
_STATE_MEMO_LIMIT = 100_000
# Images kept per variable value; a value usually meets a few permutations, and
# this bounds the worst case (n! each) when it meets many.
_IMAGES_PER_VALUE = 24
# Permutations whose images of set members are memoised (``Canonicalizer._apply_memo``).
_PERMS_KEPT = 64

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
        return fn_of({permute(k, perm): permute(x, perm) for k, x in v.items()})
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


# A walked value: its shape and the (atom index, context) of each occurrence. A
# plain tuple rather than a dataclass: millions are built, and this is the hot loop.
_Walk = tuple[int, tuple[tuple[int, int], ...]]
# Per symmetric set, its cells in slot order; a cell is a list of blocks of atom indices.
_Plans = list[list[list[list[int]]]]
_Walker = Callable[[Value, Sequence[int], "dict[Value, _Walk] | None"], _Walk]
_Applier = Callable[[Value, Sequence[Value]], Value]


class _Known:
    """What the canonicaliser has learnt about one variable value (a memo entry).

    ``occurs``: (atom, sum of the contexts of its occurrences) for each atom in
    the value, from the round-0 walk. ``fixed``: the pairs (a, b) of atoms of
    one set, both in the value, whose swap leaves it unchanged (computed when a
    tie needs it). ``images``: the value's image under each permutation used so
    far, keyed by where the permutation sends the value's atoms (a tuple of
    ints, cheap to hash; many permutations agree there); reusing the
    image objects also reuses their cached hashes when the engine fingerprints.
    """

    __slots__ = ("value", "occurs", "present", "order", "at", "fixed", "images")

    def __init__(self, value: Value, occurs: tuple[tuple[int, int], ...]) -> None:
        self.value = value
        self.occurs = occurs
        self.present = frozenset([a for a, _ in occurs])
        self.order = tuple(sorted(self.present))
        # ``occurs`` mixed with the variable's position, as the signature sums it.
        self.at: dict[int, tuple[tuple[int, int], ...]] = {}
        self.fixed: frozenset[tuple[int, int]] | None = None
        self.images: dict[tuple[int, ...], Value] = {}


class Canonicalizer:
    """The representative of a state's class; build one per model and reuse it.

    Holds what is constant for a model (the atoms, their sets, the slots, the
    lookup from an atom to its index) and bounded memos keyed by values (values
    are immutable): the round-0 walk of each sub-value, and a :class:`_Known`
    entry per variable value. Inside, atoms are small integers (their slot
    positions, set after set) and a permutation is the tuple of its images'
    indices: hashing a model value runs Python code, hashing an int does not.
    Each variable value of a state is looked up once, by content; everything
    after that is keyed by ints.
    """

    __slots__ = (
        "sets",
        "slots",
        "_atoms",
        "_offsets",
        "_set_of",
        "_identity",
        "_token",
        "_walk",
        "_apply",
        "_walks",
        "_known",
        "_states",
        "_members",
    )

    def __init__(self, sets: Sequence[frozenset[Value]]) -> None:
        self.sets: tuple[frozenset[Value], ...] = validate_symmetric_sets(sets)
        self.slots: tuple[tuple[Value, ...], ...] = tuple(tuple(sorted(s, key=value_key)) for s in self.sets)
        atoms = tuple(a for slots in self.slots for a in slots)
        self._atoms = atoms
        offsets, k = [], 0
        for slots in self.slots:
            offsets.append(k)
            k += len(slots)
        self._offsets: tuple[int, ...] = tuple(offsets)
        self._set_of: tuple[int, ...] = tuple(j for j, slots in enumerate(self.slots) for _ in slots)
        self._identity: tuple[int, ...] = tuple(range(len(atoms)))
        self._token: tuple[int, ...] = tuple(hash(("#atom", j)) for j in self._set_of)
        self._walks: dict[Value, _Walk] = {}
        self._known: dict[Value, _Known] = {}
        self._states: dict[Hashable, tuple[Value, ...]] = {}
        self._members: dict[tuple[int, ...], dict[Value, Value]] = {}
        self._walk, self._apply = _compile(atoms)

    def of_state(
        self, state: Hashable, as_record: Callable[[Any], Mapping[str, Value]], variables: Sequence[str]
    ) -> tuple[Value, ...]:
        """The representative of a model's state, read through ``as_record``; memoised by state.

        The engine canonicalises every successor it generates, and most are
        generated many times (on Raft, two calls in three are for a state seen
        before), so the representative of each state is kept, in a bounded memo.
        """
        memo = self._states
        rep = memo.get(state)
        if rep is None:
            record = as_record(state)
            rep = self.canonical(tuple([record[v] for v in variables]))
            if len(memo) >= _STATE_MEMO_LIMIT:
                memo.clear()
            memo[state] = rep
        return rep

    # -- signatures -----------------------------------------------------------

    def _entries(self, state: tuple[Value, ...]) -> list[_Known]:
        known = self._known
        out = []
        for v in state:
            e = known.get(v)
            if e is None:
                per_atom: dict[int, int] = {}
                for a, c in self._walk(v, self._token, self._walks)[1]:
                    per_atom[a] = per_atom.get(a, 0) + c
                e = _Known(v, tuple(per_atom.items()))
                if len(known) >= _MEMO_LIMIT:
                    known.clear()
                    self._walks.clear()
                known[v] = e
            out.append(e)
        return out

    def _round0(self, entries: list[_Known]) -> dict[int, int]:
        sig: dict[int, int] = {}
        get = sig.get
        for i, e in enumerate(entries):
            at = e.at.get(i)
            if at is None:
                at = e.at[i] = tuple([(a, hash((i, c))) for a, c in e.occurs])
            for a, c in at:
                sig[a] = get(a, 0) + c
        return sig

    def _refine(self, entries: list[_Known], sig: Mapping[int, int]) -> dict[int, int]:
        """One refinement round: walk again with each atom coloured by its signature."""
        colour = list(self._token)
        for a, c in sig.items():
            colour[a] = c
        new: dict[int, int] = {}
        for i, e in enumerate(entries):
            for a, c in self._walk(e.value, colour, None)[1]:
                new[a] = new.get(a, 0) + hash((i, c))
        # Keep the old signature in the new one, so a round only splits cells.
        return {a: hash((sig[a], c)) for a, c in new.items()}

    def _classify(self, entries: list[_Known]) -> tuple[dict[int, int], _Plans, bool]:
        """The signatures, and per set the cells in slot order, each a list of blocks.

        Refinement runs only while some cell is not one block (atoms that are not
        all interchangeable), at most ``_ROUNDS`` times, and stops when a round
        splits nothing. Every test here is about the state's structure, not its
        names, so the signatures stay equivariant.
        """
        sig = self._round0(entries)
        plans, singular = self._plan(entries, sig)
        rounds = 0
        while not singular and rounds < _ROUNDS:
            rounds += 1
            refined = self._refine(entries, sig)
            if len(set(refined.values())) == len(set(sig.values())):
                break
            sig = refined
            plans, singular = self._plan(entries, sig)
        return sig, plans, singular

    def signatures(self, state: tuple[Value, ...]) -> dict[Value, int]:
        """``sig_x(a)`` for every atom that occurs in the state (see the module docstring)."""
        return {self._atoms[a]: c for a, c in self._classify(self._entries(state))[0].items()}

    def _plan(self, entries: list[_Known], sig: Mapping[int, int]) -> tuple[_Plans, bool]:
        plans: _Plans = []
        singular = True
        for offset, slots in zip(self._offsets, self.slots):
            cells: dict[int, list[int]] = {}
            absent: list[int] = []
            for a in range(offset, offset + len(slots)):
                c = sig.get(a)
                if c is None:
                    absent.append(a)
                else:
                    cell = cells.get(c)
                    if cell is None:
                        cells[c] = [a]
                    else:
                        cell.append(a)
            plan: list[list[list[int]]] = []
            for key in sorted(cells):
                cell = cells[key]
                blocks = [cell] if len(cell) == 1 else self._blocks(entries, cell)
                if len(blocks) > 1:
                    singular = False
                plan.append(blocks)
            if absent:
                plan.append([absent])  # occurs nowhere: any order is the same image
            plans.append(plan)
        return plans, singular

    def _blocks(self, entries: list[_Known], cell: list[int]) -> list[list[int]]:
        """Split a cell into blocks of atoms that a swap fixing the state joins.

        The swap of a and b fixes the state when it fixes every variable: a
        variable holding neither, or one in whose ``fixed`` pairs (a, b) is.
        """
        blocks: list[list[int]] = []
        for a in cell:
            for block in blocks:
                b = block[0]
                pair = (a, b) if a < b else (b, a)
                for e in entries:
                    present = e.present
                    if a in present or b in present:
                        fixed = e.fixed
                        if fixed is None:
                            fixed = e.fixed = self._fixed_pairs(e)
                        if pair not in fixed:
                            break
                else:
                    block.append(a)
                    break
            else:
                blocks.append([a])
        return blocks

    def _fixed_pairs(self, e: _Known) -> frozenset[tuple[int, int]]:
        present = sorted(e.present)
        out = []
        for a, b in itertools.combinations(present, 2):
            if self._set_of[a] == self._set_of[b]:
                img = list(self._atoms)
                img[a], img[b] = img[b], img[a]
                perm = list(self._identity)
                perm[a], perm[b] = b, a
                if self._apply_memo(e.value, tuple(perm), img) == e.value:
                    out.append((a, b))
        return frozenset(out)

    # -- the representative ---------------------------------------------------

    def _image(self, entries: list[_Known], perm: tuple[int, ...]) -> tuple[Value, ...]:
        """The state's image under ``perm`` (atom i goes to atom perm[i]), memoised per variable."""
        img: list[Value] | None = None
        out = []
        for e in entries:
            present = e.order
            if not present:
                out.append(e.value)  # no atom inside: every permutation fixes it
                continue
            # The image depends only on where the atoms inside go.
            key = perm if len(present) == len(perm) else tuple([perm[a] for a in present])
            image = e.images.get(key)
            if image is None:
                if img is None:
                    img = [None] * len(perm)
                    for i, k in enumerate(perm):
                        img[i] = self._atoms[k]
                if len(e.images) >= _IMAGES_PER_VALUE:
                    e.images.clear()
                image = e.images[key] = self._apply_memo(e.value, perm, img)
            out.append(image)
        return tuple(out)

    def _apply_memo(self, v: Value, perm: tuple[int, ...], img: Sequence[Value]) -> Value:
        """``v``'s image under ``perm``; a set's members' images are memoised per permutation.

        A set that grows from state to state (a message set) shares most of its
        members with the sets before it, so only the new members are walked.
        """
        if type(v) is not frozenset or len(v) < 2:
            return self._apply(v, img)
        by_perm = self._members
        memo = by_perm.get(perm)
        if memo is None:
            if len(by_perm) >= _PERMS_KEPT:
                by_perm.clear()
            memo = by_perm[perm] = {}
        elif len(memo) >= _MEMO_LIMIT:
            memo.clear()
        apply = self._apply
        get = memo.get
        out = []
        for x in v:
            t = type(x)
            if t is int or t is bool:  # fixed; and True == 1 as a key
                out.append(x)
                continue
            y = get(x)
            if y is None:
                y = memo[x] = apply(x, img)
            out.append(y)
        return frozenset(out)

    def canonical(self, state: tuple[Value, ...]) -> tuple[Value, ...]:
        """The least image of ``state`` (a tuple of variable values) under the order above."""
        if not self.sets:
            return state
        entries = self._entries(state)
        _, plans, singular = self._classify(entries)
        if singular:
            return self._image(entries, self._assign(plans, None))
        best: tuple[Value, ...] | None = None
        best_key: tuple[object, ...] | None = None
        for orderings in itertools.product(*(_cell_orderings(cell) for plan in plans for cell in plan)):
            image = self._image(entries, self._assign(plans, orderings))
            image_key = value_key(image)
            if best_key is None or image_key < best_key:
                best, best_key = image, image_key
        assert best is not None
        return best

    def _assign(self, plans: _Plans, orderings: tuple[tuple[int, ...], ...] | None) -> tuple[int, ...]:
        """The permutation sending the atoms, in cell order (and the chosen ordering), to the slots."""
        perm = list(self._identity)
        k = 0
        for plan, offset in zip(plans, self._offsets):
            slot = offset
            for cell in plan:
                for a in cell[0] if orderings is None else orderings[k]:
                    perm[a] = slot
                    slot += 1
                k += 1
        return tuple(perm)

    def sigvec(self, state: tuple[Value, ...]) -> tuple[tuple[int, int], ...]:
        """``sigvec(x)``: the signatures of the slots, set after set.

        An atom that occurs nowhere sorts after every atom that occurs, which is
        where ``canonical`` puts it.
        """
        sig = self._classify(self._entries(state))[0]
        return tuple((0, sig[a]) if a in sig else (1, 0) for a in self._identity)


def _compile(atoms: tuple[Value, ...]) -> tuple[_Walker, _Applier]:
    """The walk and the action of a permutation, as closures over the atoms' lookup tables.

    Model values are interned, so a dictionary keyed by them hashes and
    compares by identity, with no Python-level ``__hash__`` on the hot path.
    """
    by_atom: dict[Value, int] = {}
    for i, a in enumerate(atoms):
        by_atom[a] = i
    has_str = any(type(a) is str for a in atoms)
    find = by_atom.get

    def index(v: Value, t: type) -> int:
        if t is ModelValue or (t is str and has_str):
            j = find(v)
            if j is not None:
                return j
        return -1

    def walk(v: Value, colour: Sequence[int], memo: dict[Value, _Walk] | None) -> _Walk:
        if memo is not None:
            hit = memo.get(v)
            if hit is not None:
                return hit
        t = type(v)
        if t is tuple:
            kids = [walk(x, colour, memo) for x in v]
            shape = hash((_TUPLE_TAG, tuple([k[0] for k in kids])))
            occ = tuple([(a, hash((shape, i, c))) for i, k in enumerate(kids) for a, c in k[1]])
        elif t is frozenset:
            kids = [walk(x, colour, memo) for x in v]
            shape = hash((_SET_TAG, tuple(sorted([k[0] for k in kids]))))
            occ = tuple([(a, hash((shape, _MEMBER_ROLE, k[0], c))) for k in kids for a, c in k[1]])
        elif t is Fn:
            pairs = [(walk(k, colour, memo), walk(x, colour, memo)) for k, x in v.items()]
            shape = hash((_FN_TAG, tuple(sorted([hash((kw[0], xw[0])) for kw, xw in pairs]))))
            out: list[tuple[int, int]] = []
            for kw, xw in pairs:
                for a, c in kw[1]:
                    out.append((a, hash((shape, _KEY_ROLE, xw[0], c))))
                for a, c in xw[1]:
                    out.append((a, hash((shape, _VALUE_ROLE, kw[0], c))))
            occ = tuple(out)
        else:
            i = index(v, t)
            if i >= 0:
                shape = colour[i]
                occ = ((i, 0),)
            elif t is bool or t is int or t is str or t is ModelValue:
                shape = hash(v)
                occ = ()
            else:
                raise ModelError(_not_a_value(v))
        w = (shape, occ)
        if memo is not None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[v] = w
        return w

    def apply(v: Value, img: Sequence[Value]) -> Value:
        t = type(v)
        if t is tuple:
            return tuple([x if type(x) is int else apply(x, img) for x in v])
        if t is frozenset:
            return frozenset([x if type(x) is int else apply(x, img) for x in v])
        if t is Fn:
            # Integers and booleans are the commonest leaves (terms, indices, flags):
            # skip the call for them.
            return fn_of(
                {
                    (k if type(k) is int else apply(k, img)): (
                        x if type(x) is int or type(x) is bool else apply(x, img)
                    )
                    for k, x in v.items()
                }
            )
        i = index(v, t)
        return img[i] if i >= 0 else v

    return walk, apply


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


class SmallGroup:
    """The representative for a small group, by looking at every image (|G| <= ``SMALL_GROUP``).

    A different total order from :class:`Canonicalizer`'s, chosen to be cheap
    when the whole group is tried: the key of a state is, per variable, the hash
    of its value, or for a set the sum of its members' hashes (modulo 2**64),
    and ties of keys fall back to ``value_key``. The representative is the least
    image under (key, value_key): a function of the orbit alone, since the images
    of any state of the orbit are the whole orbit. The images of each member and
    of each variable value, with their hashes, are memoised per value, so a
    message set that grows from state to state costs only its new members, and
    the winning image reuses the memoised objects (with their cached hashes).
    """

    def __init__(self, sets: Sequence[frozenset[Value]]) -> None:
        self.sets = validate_symmetric_sets(sets)
        slots = [tuple(sorted(s, key=value_key)) for s in self.sets]
        atoms = tuple(a for group in slots for a in group)
        self._images: list[list[Value]] = []
        for choice in itertools.product(*(itertools.permutations(g) for g in slots)):
            self._images.append([a for g in choice for a in g])
        self._rows: dict[Value, tuple[tuple[Value, ...], tuple[int, ...], bytes]] = {}
        self._images_of = image_builder(atoms, self._images)
        # Per variable, the last set seen and its sums (``_set_sums``).
        self._last_sets: dict[int, tuple[frozenset[Value], tuple[int, ...]]] = {}
        # Per variable and permutation, the last set's image (``_set_image``).
        self._last_images: dict[tuple[int, int], tuple[frozenset[Value], frozenset[Value]]] = {}
        # The same for ``SMALL_CANONICAL``'s C version: a list of (set, image) or None per
        # variable and permutation, which it sizes itself.
        self._last_list: list[Any] = []
        self._miss = self._row

    def _row(self, v: Value) -> tuple[tuple[Value, ...], tuple[int, ...], bytes]:
        """``v``'s image under each permutation, each image's hash, and those hashes mod 2**64
        packed as native unsigned 64-bit integers (read by ``SMALL_CANONICAL``)."""
        row = self._rows.get(v)
        if row is None:
            images = self._images_of(v)
            hashes = tuple([hash(x) for x in images])
            row = (images, hashes, array("Q", [h & _MASK for h in hashes]).tobytes())
            if len(self._rows) >= _ROW_LIMIT:
                self._rows.clear()
            self._rows[v] = row
        return row

    def canonical(self, state: tuple[Value, ...]) -> tuple[Value, ...]:
        if not self.sets:
            return state
        fast = SMALL_CANONICAL[0]
        if fast is not None:
            rep = fast(state, self._rows, self._miss, self._last_list, len(self._images))
            if type(rep) is not list:
                rep_of: tuple[Value, ...] = rep
                return rep_of
            # The images whose keys tie, in order: value_key decides, as below.
            best: tuple[Value, ...] = rep[0]
            for image in rep[1:]:
                if image != best and value_key(image) < value_key(best):
                    best = image
            return best
        parts: list[Any] = []
        keys: list[tuple[int, ...]] = []
        for i, v in enumerate(state):
            if type(v) is frozenset and len(v) > 1:
                parts.append(v)
                keys.append(self._set_sums(i, v))
            else:
                row = self._row(v)
                parts.append(row)
                keys.append(row[1])
        ranks = list(zip(*keys))  # the key of each image
        best_key = min(ranks)
        first = ranks.index(best_key)
        if ranks.count(best_key) == 1 and first == 0:
            return state  # the identity's image (the first permutation of each set)
        best = self._image_of(parts, first)
        if ranks.count(best_key) > 1:
            for p in range(first + 1, len(ranks)):
                if ranks[p] != best_key:
                    continue
                # Equal keys (an automorphism, or rarely a clash of sums): value order decides.
                image = self._image_of(parts, p)
                if image != best and value_key(image) < value_key(best):
                    best = image
        return best

    def _set_sums(self, i: int, v: frozenset[Value]) -> tuple[int, ...]:
        """The sum of the hashes of a set's members' images, per image. A state's set differs
        little from the one before (a message set and its sibling's: one message each): the
        last set of each variable is kept with its sums, and the next corrected by the difference."""
        last = self._last_sets.get(i)
        if last is not None:
            old, sums = last
            if old is v:
                return sums
            fixed = SET_SUMS[0](old, sums, v, lambda x: self._row(x)[1])
            if fixed is not None:
                self._last_sets[i] = (v, fixed)
                return fixed
        rows = [self._row(x)[1] for x in v]
        sums = tuple([sum(col) & _MASK for col in zip(*rows)])
        self._last_sets[i] = (v, sums)
        return sums

    def _image_of(self, parts: list[Any], p: int) -> tuple[Value, ...]:
        out = []
        for i, part in enumerate(parts):
            if type(part) is frozenset:
                out.append(self._set_image(i, part, p))
            else:
                out.append(part[0][p])
        return tuple(out)

    def _set_image(self, i: int, v: frozenset[Value], p: int) -> frozenset[Value]:
        """A set's image under permutation ``p``: the last image of variable ``i``'s set under
        ``p`` corrected by the members added and removed (a message set grows by one), as
        ``_set_sums`` does; a permutation maps distinct members to distinct images."""
        row = self._row
        last = self._last_images.get((i, p))
        if last is not None:
            old, image = last
            if old is v:
                return image
            added, removed = v - old, old - v
            if len(added) + len(removed) < len(v):
                if removed:
                    image = image - frozenset([row(x)[0][p] for x in removed])
                if added:
                    image = image | frozenset([row(x)[0][p] for x in added])
                self._last_images[(i, p)] = (v, image)
                return image
        image = frozenset([row(x)[0][p] for x in v])
        self._last_images[(i, p)] = (v, image)
        return image


class PerAtom:
    """The representative of a state whose atoms occur only as the domain of functions.

    Raft's state is of this kind: ``currentTerm``, ``state`` and ``log`` are functions from
    the servers to integers, strings and sequences of integers, and ``committed`` holds no
    server. Such a state is a table with one row per atom (its values in each of those
    functions), and a permutation only reorders the rows. The representative sorts the rows
    and gives them to the slots in order: an image of the state, and the same for every state
    of the orbit (they have the same rows). Rows that are equal belong to atoms whose swap
    fixes the state, so their order does not matter.

    Exactness rests on the sort: every value of a function column must be of one type, an
    integer, a string, or a sequence of integers (Python orders those, and ``==`` is TLA+'s
    equality there: no ``TRUE`` to be taken for 1), and every other variable must hold no atom
    of any symmetric set. A state that is not of this kind goes to the general
    :class:`Canonicalizer`. Which path a state takes depends on its orbit alone (types and
    domains do not change under a permutation), so the two kinds of representative never
    meet in one class. Strings as atoms (Python models) always take the general path.

    The fast path is dropped when none of the first ``_PER_ATOM_TRIAL`` states could take
    it (no representative of its kind exists yet, so every class keeps its one kind).
    """

    def __init__(self, sets: Sequence[frozenset[Value]]) -> None:
        self.general = Canonicalizer(sets)
        self.sets = self.general.sets
        self._domains = [(frozenset(s), slots) for s, slots in zip(self.sets, self.general.slots)]
        self._on = all(type(a) is ModelValue for s in self.sets for a in s)
        self._tried = 0
        self._kept = False
        self._atoms = frozenset(a for s in self.sets for a in s)
        self._free: dict[Value, bool] = {}
        self._images: list[dict[tuple[Value, ...], Fn]] = [{} for _ in self.sets]

    def canonical(self, state: tuple[Value, ...]) -> tuple[Value, ...]:
        if self._on:
            rep = self.rows(state)
            if rep is not None:
                self._kept = True
                return rep
            if not self._kept:
                self._tried += 1
                if self._tried >= _PER_ATOM_TRIAL:
                    self._on = False
        return self.general.canonical(state)

    def rows(self, state: tuple[Value, ...]) -> tuple[Value, ...] | None:
        """The representative by sorting the rows, or None when the state is not of that kind."""
        domains = self._domains
        columns: list[list[tuple[int, list[Value]]]] = [[] for _ in domains]
        for i, v in enumerate(state):
            if type(v) is Fn:
                for j, (domain, slots) in enumerate(domains):
                    if len(v) == len(domain) and v.keys() == domain:
                        vals = list(map(v.__getitem__, slots))
                        kinds = set(map(type, vals))
                        if len(kinds) != 1:
                            return None
                        kind = kinds.pop()
                        if kind is tuple:
                            if not _INT_ONLY.issuperset(map(type, itertools.chain.from_iterable(vals))):
                                return None
                        elif kind is not int and kind is not str:
                            return None
                        columns[j].append((i, vals))
                        break
                else:
                    if not self._atom_free(v):
                        return None
            elif not self._atom_free(v):
                return None
        out = list(state)
        for j, cols in enumerate(columns):
            if not cols:
                continue
            images = self._images[j]
            slots = domains[j][1]
            rows = sorted(zip(*[vals for _, vals in cols]))
            for (i, _), sorted_vals in zip(cols, zip(*rows)):
                image = images.get(sorted_vals)
                if image is None:
                    if len(images) >= _MEMO_LIMIT:
                        images.clear()
                    image = images[sorted_vals] = fn_of(zip(slots, sorted_vals))
                out[i] = image
        return tuple(out)

    def _atom_free(self, v: Value) -> bool:
        t = type(v)
        if t is int or t is bool or t is str:
            return True
        if t is ModelValue:
            return v not in self._atoms
        # Keyed by value: a value equal to one without atoms has none (a model value equals
        # only itself), so TRUE taken for 1 here cannot matter.
        free = self._free.get(v)
        if free is None:
            if t is Fn:
                free = all(self._atom_free(k) and self._atom_free(x) for k, x in v.items())
            elif t is tuple or t is frozenset:
                free = all(self._atom_free(x) for x in v)
            else:
                raise ModelError(_not_a_value(v))
            if len(self._free) >= _MEMO_LIMIT:
                self._free.clear()
            self._free[v] = free
        return free


_INT_ONLY = frozenset({int})
_PER_ATOM_TRIAL = 1_000  # states tried before PerAtom gives up its fast path (none taking it)


def image_builder(atoms: tuple[Value, ...], perms: list[list[Value]]) -> Callable[[Value], tuple[Value, ...]]:
    """A value's images under each permutation (``perms[p][i]`` is the image of ``atoms[i]``),
    built from its parts' images. Those of every tuple, set and function are kept per object,
    by identity (so ``TRUE`` and ``1``, ``{1}`` and ``{TRUE}``, are never confused): the parts
    a step left unchanged are the parent's objects, and only what changed is permuted again
    (MultiPaxos' ``node``, a function of replicas to records of logs)."""
    n = len(perms)
    index: dict[Value, int] = {a: i for i, a in enumerate(atoms)}
    kept: dict[int, tuple[Value, tuple[Value, ...]]] = {}

    def images_of(v: Value) -> tuple[Value, ...]:
        t = type(v)
        if t is tuple or t is frozenset or t is Fn:
            hit = kept.get(id(v))
            if hit is not None and hit[0] is v:
                return hit[1]
            if not v:
                out: tuple[Value, ...] = (v,) * n
            elif t is Fn:
                keys = zip(*[images_of(k) for k in v])
                values = zip(*[images_of(x) for x in v.values()])
                out = tuple([fn_of(zip(ks, xs)) for ks, xs in zip(keys, values)])
            elif t is tuple:
                out = tuple(zip(*[images_of(x) for x in v]))
            else:
                out = tuple([frozenset(p) for p in zip(*[images_of(x) for x in v])])
            if len(kept) >= _KEPT_LIMIT:
                kept.clear()
            kept[id(v)] = (v, out)
            return out
        if t is ModelValue or t is str:
            i = index.get(v)
            if i is not None:
                return tuple([perm[i] for perm in perms])
        return (v,) * n

    return images_of


SMALL_GROUP = 24  # up to this order SmallGroup beats the signatures of Canonicalizer
_KEPT_LIMIT = 200_000  # values whose images SmallGroup keeps, by identity
_MASK = (1 << 64) - 1
_ROW_LIMIT = 20_000  # memoised values (each with |G| images): tens of MB at most


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


def _not_a_value(v: Value) -> str:
    return (
        f"Symmetry reduction met {v!r}, a {type(v).__name__}, in a state's record. A permutation "
        "acts on TLA+ values only (bool, int, str, model values, tuples, frozensets and "
        "checker.values.Fn), so it cannot look inside this one, and states that differ only "
        "inside it could be merged wrongly. The usual cause is an as_record that returns the "
        "model's own objects (a NamedTuple, a dataclass); convert them with "
        "checker.values.to_value, record(...) or make_fn(...) in as_record."
    )


def py_corrected_sums(
    old: frozenset[Value], sums: tuple[int, ...], new: frozenset[Value], terms: Callable[[Value], Sequence[int]]
) -> tuple[int, ...] | None:
    """Per image, the sums (mod 2**64) of ``new``'s members' ``terms``, from ``old``'s sums
    corrected by the members added and removed; None when the two sets differ in as many
    members as ``new`` has (summing afresh is then no dearer). Members are found with
    ``==``, which takes TRUE for 1: callers that care check the result."""
    added, removed = new - old, old - new
    if len(added) + len(removed) >= len(new):
        return None
    out = list(sums)
    for x in added:
        out = [a + b for a, b in zip(out, terms(x))]
    for x in removed:
        out = [a - b for a, b in zip(out, terms(x))]
    return tuple([a & _MASK for a in out])


# The way sums are corrected: py_corrected_sums, or the same in C (checker.engine's
# fingerprint module installs _fp.corrected_sums with use_corrected_sums when it is built).
SET_SUMS: list[Callable[..., tuple[int, ...] | None]] = [py_corrected_sums]


def use_corrected_sums(fn: Callable[..., tuple[int, ...] | None]) -> None:
    """Make ``fn`` (py_corrected_sums' rule) the way set sums are corrected from now on."""
    SET_SUMS[0] = fn


# SmallGroup.canonical's representative in C (``_fp.small_canonical``: the same keys, the same
# least image, or the list of the images whose keys tie, in order), installed by checker.engine's fingerprint module with
# use_small_canonical where it is built; None: the Python way alone.
SMALL_CANONICAL: list[Callable[..., Any] | None] = [None]


def use_small_canonical(fn: Callable[..., Any] | None) -> None:
    """Make ``fn`` (``_fp.small_canonical``'s contract) SmallGroup's first way; None: Python only."""
    SMALL_CANONICAL[0] = fn


def corrected_sums(
    old: frozenset[Value], sums: tuple[int, ...], new: frozenset[Value], terms: Callable[[Value], Sequence[int]]
) -> tuple[int, ...] | None:
    """Per image, the sums of ``new``'s members' ``terms`` (``py_corrected_sums``, or the
    same rule in C where it is built)."""
    return SET_SUMS[0](old, sums, new, terms)

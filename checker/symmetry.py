"""Symmetry: permutations of model values acting on values and states.

Owns the canonical representative of a symmetry class: the least permuted
record under the fixed order of ``checker.values.value_key``. The
representative depends on the class alone, so the distinct count is the
number of reachable classes (what TLC reports with ``SYMMETRY``).

This first version enumerates every permutation (n! per state); see the
[symmetry] issue for the faster exact method.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterator, Mapping, Sequence

from checker.values import Fn, Value, value_key

Permutation = Mapping[Value, Value]


def permute(v: Value, perm: Permutation) -> Value:
    """Apply a permutation of model values everywhere inside ``v``."""
    t = type(v)
    if t is tuple:
        return tuple(permute(x, perm) for x in v)
    if t is frozenset:
        return frozenset(permute(x, perm) for x in v)
    if t is Fn:
        return Fn({permute(k, perm): permute(x, perm) for k, x in v.items()})
    if t is bool or t is int or t is str:
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


def canonical_record(
    record: Mapping[str, Value], variables: Sequence[str], sets: Sequence[frozenset[Value]]
) -> Hashable:
    """The least image of the record (as a tuple in variable order) over all permutations."""
    state = tuple(record[v] for v in variables)
    if not sets:
        return state
    best = None
    best_key = None
    for perm in permutations_of(sets):
        image = permute(state, perm)
        key = value_key(image)
        if best_key is None or key < best_key:
            best, best_key = image, key
    return best

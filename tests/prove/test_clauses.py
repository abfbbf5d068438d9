"""infer's clause search (checker.prove.predicates.clauses) against brute force: on random
tables of two predicates, the clauses it keeps are, up to renaming the names of a sort,
exactly the minimal clauses true at every point; and the distinct points of a template are
found whole, in order, however many chunks they are built in."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from checker.prove import predicates as pr

SORTS: dict[str, list[Any]] = {"A": ["a", "b", "c"], "B": [0, 1]}
PREDICATES = [pr.Predicate("P", ("A", "B")), pr.Predicate("Q", ("A",)), pr.Predicate("R", ("A", "A"))]


def setting(seed: int) -> tuple[list[pr.PoolName], list[pr.PAtom], pr.Tables]:
    pool = [pr.PoolName("x1", "A", 0), pr.PoolName("x2", "A", 1), pr.PoolName("y1", "B", 0)]
    # The predicates only: x1 = x2 (a conclusion only) and < have rules of their own.
    atoms = [a for a in pr.atoms_of(PREDICATES, pool, SORTS) if a.kind not in ("=", "<")]
    rng = np.random.default_rng(seed)
    states = 40
    # Sparse and correlated, so that clauses of two and three literals hold.
    p = rng.random((states, 3, 2)) < 0.15
    q = p.any(axis=2) | (rng.random((states, 3)) < 0.05)
    r = (rng.random((states, 3, 3)) < 0.2) & q[:, :, None]
    # antisymmetric: ~R(x1, x2) \/ ~R(x2, x1) holds, a clause that swapping x1, x2 maps to itself
    r &= ~np.swapaxes(r, 1, 2)
    return pool, atoms, {"P": p, "Q": q, "R": r}


def brute_force(pool: list[pr.PoolName], atoms: list[pr.PAtom], tables: pr.Tables, size: int) -> set[Any]:
    by_name = {p.name: p for p in PREDICATES}
    axes = {0: 0, 1: 1, 2: 2}
    full = (tables["P"].shape[0], 3, 3, 2)
    values = [np.broadcast_to(pr.atom_array(a, pool, SORTS, tables, by_name, axes), full) for a in atoms]
    found = set()
    literals = [(k, positive) for k in range(len(atoms)) for positive in (True, False)]

    def holds(clause: tuple[tuple[int, bool], ...]) -> bool:
        # at every point: every state and every value of each name (x1 and x2 may be equal)
        acc = np.zeros(full, dtype=bool)
        for k, positive in clause:
            acc |= values[k] if positive else ~values[k]
        return bool(acc.all())

    for n in range(1, size + 1):
        for clause in itertools.combinations(literals, n):
            if len({k for k, _ in clause}) < n or not holds(clause):
                continue
            names = {i for k, _ in clause for i in atoms[k].args}
            if 1 in names and 0 not in names:
                continue  # x2 without x1: the same clause as with x1, up to renaming
            if any(holds(clause[:i] + clause[i + 1 :]) for i in range(n) if n > 1):
                continue
            found.add(pr._canonical_key(clause, atoms, pool))
    return found


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_clauses_kept_are_the_minimal_true_ones_up_to_renaming(seed: int) -> None:
    pool, atoms, tables = setting(seed)
    by_name = {p.name: p for p in PREDICATES}
    got = pr.clauses(atoms, pool, SORTS, tables, by_name, size=3, comparisons=0)
    keys = {pr._canonical_key(c, atoms, pool) for c in got}
    assert len(keys) == len(got)  # one of each class
    expected = brute_force(pool, atoms, tables, 3)
    assert expected, "the setting should have clauses"
    assert keys == expected


def test_the_distinct_points_are_the_same_in_one_chunk_or_many(monkeypatch: pytest.MonkeyPatch) -> None:
    pool, atoms, tables = setting(5)
    by_name = {p.name: p for p in PREDICATES}
    picked = list(range(len(atoms)))
    axes = {0: 0, 1: 1, 2: 2}
    whole = pr._points(atoms, picked, pool, SORTS, tables, by_name, [0, 1, 2], axes)
    monkeypatch.setattr(pr, "MAX_POINTS", 18 * 3)  # three states a chunk
    chunked = pr._points(atoms, picked, pool, SORTS, tables, by_name, [0, 1, 2], axes)
    assert whole.tolist() == chunked.tolist()
    rows = [tuple(r) for r in whole.tolist()]
    assert len(set(rows)) == len(rows)
    # every point of the template is among them: a row per state and values of the names
    full = [np.broadcast_to(pr.atom_array(a, pool, SORTS, tables, by_name, axes), (40, 3, 3, 2)) for a in atoms]
    every = {tuple(bool(f[s, i, j, k]) for f in full) for s in range(40) for i in range(3) for j in range(3) for k in range(2)}
    assert set(rows) == every


def test_first_of_each_column_over_one_word_or_several() -> None:
    rng = np.random.default_rng(7)
    for height in (3, 64, 65, 130):
        m = rng.random((height, 600)) < 0.02
        m[:, 300:400] = m[:, 0:100]
        first: dict[bytes, int] = {}
        for i in range(m.shape[1]):
            first.setdefault(m[:, i].tobytes(), i)
        assert pr._first_of_each(m).tolist() == sorted(first.values())

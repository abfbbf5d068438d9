"""infer's grammar over the spec's own predicates, for specs whose variables the type grammar
cannot talk about (integers, tuples, nested sets: Voting, Paxos).

Lamport's invariants are written with the spec's own operators: Voting's ``VotesSafe`` is
``\\A a \\in Acceptor, b \\in Ballot, v \\in Value : VotedFor(a, b, v) => SafeAt(b, v)``. So:

1. **Predicates** (:func:`predicates_of`): the definitions with parameters and no prime whose
   every parameter gets a *sort*, a small constant set, from the places the spec applies
   them to bound names (``\\A b \\in Ballot : ... SafeAt(b, v)``), through the definitions
   that pass their own parameters on.
2. **Atoms**: each predicate applied to names of a pool (two per sort: ``a1, a2 \\in
   Acceptor``), ``x1 = x2`` for the two names of a sort, ``x1 < x2`` for a sort of integers.
3. **Tables** (:func:`tables`): every atom's value at every reachable state and every value
   of the names it reads, as numpy boolean arrays with an axis per name of the pool (size 1
   where the atom does not read it), from one function per predicate defined in a module
   that EXTENDS the spec (``[p \\in S1 \\X S2 |-> P(p[1], p[2])]``), evaluated by the
   checker on the states of the cfg's instance.
4. **Clauses** (:func:`clauses`): disjunctions of up to ``size`` literals, true at every
   point, not subsumed by a smaller one, one of each class of clauses equal up to renaming
   the two names of a sort; written as ``\\A`` over the names they use.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from checker.errors import ModelError
from checker.tla import syntax
from checker.tla.spec import Spec
from checker.values import Fn, Value, format_value, value_key

MAX_SORT = 6  # the largest constant set taken as a sort
MAX_STATES = 5000  # states the candidates are filtered on (an even sample of the reachable ones)
_ACTIONS = (syntax.BoxAction, syntax.AngleAction, syntax.Fairness)


@dataclasses.dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    sorts: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class PoolName:
    name: str  # a1
    sort: str  # Acceptor
    index: int  # 0 or 1: which of the sort's two names


@dataclasses.dataclass(frozen=True, slots=True)
class PAtom:
    """``P(x1, y2)``, ``x1 = x2`` or ``x1 < x2`` over names of the pool (their positions)."""

    kind: str  # a predicate's name, "=" or "<"
    args: tuple[int, ...]

    def text(self, pool: Sequence[PoolName]) -> str:
        names = [pool[i].name for i in self.args]
        if self.kind in ("=", "<"):
            return f"{names[0]} {self.kind} {names[1]}"
        return f"{self.kind}({', '.join(names)})"


@dataclasses.dataclass(frozen=True)
class PredClause:
    """A candidate lemma: ``\\A`` names : a disjunction of literals; ``holds`` evaluates it on
    a state given as a record (a counterexample's first state)."""

    text: str
    literals: tuple[tuple[PAtom, bool], ...]
    evaluate: Callable[[Mapping[str, Value], PredClause], bool] = dataclasses.field(repr=False, compare=False)

    def holds(self, state: Mapping[str, Value]) -> bool:
        return self.evaluate(state, self)


# -- sorts and predicates ----------------------------------------------------------------------


def sorts_of(spec: Spec, values: Mapping[str, Value]) -> dict[str, list[Value]]:
    """The constant sets that can be sorts: constants, and definitions without arguments
    that read no variable (``Ballot == 0..MaxBallot``), of 2 to ``MAX_SORT`` elements of
    one kind; ``values`` gives each candidate's value."""
    out: dict[str, list[Value]] = {}
    for name, v in values.items():
        if isinstance(v, frozenset) and 2 <= len(v) <= MAX_SORT and len({type(x) for x in v}) == 1:
            out[name] = sorted(v, key=value_key)
    return out


def constant_definitions(spec: Spec) -> list[str]:
    """Definitions without arguments whose text names no variable (candidates for sorts)."""
    variables = set(spec.variables)
    out = []
    for name, d in spec.definitions.items():
        unit = d.unit
        if not isinstance(unit, syntax.OpDef) or unit.params or d.module not in spec.modules:
            continue
        names = {n.name for n in syntax.walk(unit.body) if isinstance(n, syntax.Name | syntax.OpApp)}
        if names & (variables | set(spec.definitions)):
            continue  # reads a variable, or another definition (not looked into)
        out.append(name)
    return out


def predicates_of(spec: Spec, sorts: Mapping[str, Sequence[Value]]) -> list[Predicate]:
    """The spec's predicates with a sort for each parameter (see the module's docstring)."""
    defs = {
        name: d.unit
        for name, d in spec.definitions.items()
        if isinstance(d.unit, syntax.OpDef)
        and d.unit.params
        and all(p.arity == 0 for p in d.unit.params)
        and not d.imported
    }
    known: dict[str, dict[str, str]] = {}
    for _ in range(len(defs) + 1):
        votes: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
        for name, d in spec.definitions.items():
            unit = d.unit
            if isinstance(unit, syntax.OpDef):
                _visit(unit.body, dict(known.get(name, {})), defs, votes, sorts)
        found: dict[str, dict[str, str]] = {}
        for (name, i), counts in votes.items():
            found.setdefault(name, {})[defs[name].params[i].name] = counts.most_common(1)[0][0]
        if found == known:
            break
        known = found
    out = []
    variables = set(spec.variables)
    for name, unit in defs.items():
        params = known.get(name, {})
        if len(params) != len(unit.params) or spec.definitions[name].module not in spec.modules:
            continue
        nodes = list(syntax.walk(unit.body))
        if any(
            isinstance(n, _ACTIONS)
            or (isinstance(n, syntax.OpApp) and n.name in ("'", "ENABLED", "UNCHANGED"))
            for n in nodes
        ):
            continue
        if not any(isinstance(n, syntax.Name) and n.name in variables for n in nodes) and not any(
            isinstance(n, syntax.OpApp) and n.name in spec.definitions for n in nodes
        ):
            continue  # reads no state
        out.append(Predicate(name, tuple(params[p.name] for p in unit.params)))
    return out


def _visit(
    node: Any,
    env: dict[str, str],
    defs: Mapping[str, syntax.OpDef],
    votes: dict[tuple[str, int], Counter[str]],
    sorts: Mapping[str, Sequence[Value]],
) -> None:
    """Record, for each application of a predicate to a name bound over a sort, that sort."""
    bounds: tuple[syntax.Bound, ...] = ()
    if isinstance(node, syntax.Quant | syntax.SetMap | syntax.FnCons):
        bounds = node.bounds
    elif isinstance(node, syntax.SetFilter):
        bounds = (node.bound,)
    if bounds:
        inner = dict(env)
        for b in bounds:
            _visit(b.domain, env, defs, votes, sorts)
            sort = b.domain.name if isinstance(b.domain, syntax.Name) and b.domain.name in sorts else None
            for n in b.names:
                if sort is None or b.tuple_pattern:
                    inner.pop(n, None)
                else:
                    inner[n] = sort
        rest = [node.body] if isinstance(node, syntax.Quant | syntax.FnCons) else []
        if isinstance(node, syntax.SetFilter):
            rest = [node.pred]
        elif isinstance(node, syntax.SetMap):
            rest = [node.expr]
        for r in rest:
            _visit(r, inner, defs, votes, sorts)
        return
    if isinstance(node, syntax.OpApp) and node.name in defs and len(node.args) == len(defs[node.name].params):
        for i, a in enumerate(node.args):
            if isinstance(a, syntax.Name) and a.name in env:
                votes[(node.name, i)][env[a.name]] += 1
    if isinstance(node, syntax.Let):
        _visit(node.body, env, defs, votes, sorts)
        return
    for child in syntax.children(node):
        _visit(child, env, defs, votes, sorts)


# -- the pool, the atoms and their tables -------------------------------------------------------


def pool_of(
    predicates: Sequence[Predicate], sorts: Mapping[str, Sequence[Value]], taken: set[str]
) -> list[PoolName]:
    """Two names for each sort the predicates use, named after the sort (``a1, a2``)."""
    used = sorted({s for p in predicates for s in p.sorts}, key=lambda s: (s.lower(), s))
    pool: list[PoolName] = []
    bases: set[str] = set()
    for sort in used:
        base = sort[0].lower()
        k = 1
        while base in bases or any(f"{base}{i}" in taken for i in (1, 2)):
            k += 1
            base = sort[:k].lower() if k <= len(sort) else f"{sort.lower()}{k}"
        bases.add(base)
        pool += [PoolName(f"{base}{i + 1}", sort, i) for i in range(2)]
    return pool


def atoms_of(
    predicates: Sequence[Predicate], pool: Sequence[PoolName], sorts: Mapping[str, Sequence[Value]]
) -> list[PAtom]:
    """Every predicate on every choice of distinct pool names of its sorts; equalities, and
    ``<`` on the integers."""
    by_sort: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pool):
        by_sort[p.sort].append(i)
    out: list[PAtom] = []
    for pred in predicates:
        for args in itertools.product(*(by_sort[s] for s in pred.sorts)):
            if len(set(args)) == len(args):
                out.append(PAtom(pred.name, tuple(args)))
    for sort, (i, j) in ((s, ix) for s, ix in by_sort.items()):
        out.append(PAtom("=", (i, j)))
        if all(type(v) is int for v in sorts[sort]):
            out.append(PAtom("<", (i, j)))
            out.append(PAtom("<", (j, i)))
    return out


def helper_module(root: str, name: str, predicates: Sequence[Predicate], prefix: str) -> str:
    """A module that EXTENDS the spec with one function per predicate over its sorts."""
    lines = [f"---- MODULE {name} ----", f"EXTENDS {root}"]
    for k, p in enumerate(predicates):
        if len(p.sorts) == 1:
            lines.append(f"{prefix}{k} == [{prefix}X \\in {p.sorts[0]} |-> {p.name}({prefix}X)]")
        else:
            args = ", ".join(f"{prefix}X[{i + 1}]" for i in range(len(p.sorts)))
            product = " \\X ".join(p.sorts)
            lines.append(f"{prefix}{k} == [{prefix}X \\in {product} |-> {p.name}({args})]")
    lines.append("====")
    return "\n".join(lines) + "\n"


Tables = dict[str, np.ndarray[Any, Any]]  # predicate name -> bool array (states, |S1|, ..., |Sk|)


@dataclasses.dataclass
class Instance:
    """The helper module's model, to evaluate the predicates on any state."""

    model: Any
    predicates: list[Predicate]
    sorts: Mapping[str, Sequence[Value]]
    functions: list[Callable[[Any], Value]]

    def tables(self, states: Sequence[Any]) -> Tables:
        out: Tables = {}
        for pred, fn in zip(self.predicates, self.functions):
            shape = (len(states), *(len(self.sorts[s]) for s in pred.sorts))
            table = np.zeros(shape, dtype=bool)
            points = list(itertools.product(*(range(len(self.sorts[s])) for s in pred.sorts)))
            keys = [tuple(self.sorts[s][i] for s, i in zip(pred.sorts, pt)) for pt in points]
            for n, state in enumerate(states):
                f = fn(state)
                for pt, key in zip(points, keys):
                    v = _apply(f, key[0] if len(key) == 1 else key)
                    if v is not True and v is not False:
                        raise ModelError(f"{pred.name} is not a predicate: {format_value(v)}")
                    table[(n, *pt)] = v
            out[pred.name] = table
        return out


def _apply(f: Value, key: Value) -> Value:
    if isinstance(f, tuple):
        assert isinstance(key, int)
        return f[key - 1]
    assert isinstance(f, Fn)
    return f[key]


def load_instance(
    spec_path: Path,
    spec: Spec,
    config: Path | None,
    libs: Sequence[Path],
    predicates: list[Predicate],
    sorts: Mapping[str, Sequence[Value]],
    folder: Path,
) -> Instance:
    """Build the helper module's model (in ``folder``) and its predicate functions."""
    from checker.tla.loader import load_spec_model

    taken = set(spec.definitions) | set(spec.variables) | set(spec.constants)
    prefix = next(
        p
        for p in ("InferTable", "InferAtomTable", "TlacheckInferTable")
        if not any(n.startswith(p) for n in taken)
    )
    name = f"{spec.root.name}_InferAtoms"
    path = folder / f"{name}.tla"
    path.write_text(helper_module(spec.root.name, name, predicates, prefix))
    cfg = config if config is not None else spec_path.with_suffix(".cfg")
    model = load_spec_model(
        path, cfg if cfg.is_file() else None, [spec_path.parent, *libs], skip_liveness=True
    )
    functions = [model.state_function(f"{prefix}{k}") for k in range(len(predicates))]
    return Instance(model, predicates, sorts, functions)


def every_state(model: Any) -> list[Any]:
    """Every reachable state of a model of the cfg's instance (its representatives under
    SYMMETRY; deadlocked ones too), by the engine's breadth-first search."""
    from checker.engine import CheckOptions, check

    model.invariants = {}
    model.check_deadlock = False
    seen: list[Any] = []

    def visit(state: Any, depth: int) -> bool:
        seen.append(state)
        return False

    check(model, CheckOptions(visit=visit))
    return seen


def reachable(instance: Instance) -> list[Any]:
    """The reachable states of the cfg's instance, an even sample of ``MAX_STATES`` of them if
    there are more."""
    seen = every_state(instance.model)
    if len(seen) > MAX_STATES:
        step = len(seen) / MAX_STATES
        seen = [seen[int(i * step)] for i in range(MAX_STATES)]
    return seen


def atom_array(
    atom: PAtom, pool: Sequence[PoolName], sorts: Mapping[str, Sequence[Value]], tables: Tables
) -> np.ndarray[Any, Any]:
    """The atom's values, with axis 0 the states and axis 1 + i the pool's name i."""
    width = len(pool)
    if atom.kind in ("=", "<"):
        i, j = atom.args
        values = sorts[pool[i].sort]
        m = np.array(
            [[(x == y) if atom.kind == "=" else (x < y) for y in values] for x in values], dtype=bool
        )
        shape = [1] * (width + 1)
        shape[1 + i], shape[1 + j] = len(values), len(values)
        if i > j:
            m = m.T
        return m.reshape(shape)
    table = tables[atom.kind]
    arr = table.reshape(table.shape + (1,) * (width - len(atom.args)))
    return np.moveaxis(arr, list(range(1, len(atom.args) + 1)), [1 + i for i in atom.args])


# -- clauses ------------------------------------------------------------------------------------


def clauses(
    atoms: Sequence[PAtom], pool: Sequence[PoolName], arrays: Sequence[np.ndarray[Any, Any]], size: int
) -> list[tuple[tuple[int, bool], ...]]:
    """The clauses (literals as (atom, positive)) of up to ``size`` literals true at every
    point, smallest first, none subsumed by a smaller one kept, one per renaming class."""
    index = {a: k for k, a in enumerate(atoms)}
    renamings = _renamings(pool)
    literals = [(k, True) for k in range(len(atoms))] + [(k, False) for k in range(len(atoms))]
    negated = [~a for a in arrays]
    found: list[frozenset[tuple[int, bool]]] = []
    out: list[tuple[tuple[int, bool], ...]] = []
    for n in range(1, size + 1):
        for combo in itertools.combinations(literals, n):
            ks = [k for k, _ in combo]
            if len(set(ks)) < n or all(atoms[k].kind in ("=", "<") for k in ks):
                continue
            if not _canonical(combo, atoms, index, renamings, pool):
                continue
            clause = frozenset(combo)
            if any(f <= clause for f in found):
                continue
            acc = None
            for k, positive in combo:
                part = arrays[k] if positive else negated[k]
                acc = part if acc is None else acc | part
            assert acc is not None
            if acc.all():
                found.append(clause)
                out.append(combo)
    return out


def _renamings(pool: Sequence[PoolName]) -> list[list[int]]:
    """Each renaming of the pool that swaps the two names of some sorts."""
    sorts = sorted({p.sort for p in pool})
    out = []
    for swaps in itertools.product((False, True), repeat=len(sorts)):
        swapped = {s for s, w in zip(sorts, swaps) if w}
        out.append([i ^ 1 if pool[i].sort in swapped else i for i in range(len(pool))])
    return out


def _canonical(
    combo: Sequence[tuple[int, bool]],
    atoms: Sequence[PAtom],
    index: Mapping[PAtom, int],
    renamings: Sequence[Sequence[int]],
    pool: Sequence[PoolName],
) -> bool:
    """Whether the clause is the least of its renamings, and uses a sort's second name only
    with its first."""
    used = {i for k, _ in combo for i in atoms[k].args}
    if any(pool[i].index == 1 and (i - 1) not in used for i in used):
        return False
    own = sorted(combo)
    for r in renamings:
        other = []
        for k, positive in combo:
            a = atoms[k]
            args = tuple(r[i] for i in a.args)
            if a.kind == "=":
                args = tuple(sorted(args))
            j = index.get(PAtom(a.kind, args))
            if j is None:
                break
            other.append((j, positive))
        else:
            if sorted(other) < own:
                return False
    return True


def clause_text(combo: Sequence[tuple[PAtom, bool]], pool: Sequence[PoolName]) -> str:
    """``\\A a1 \\in Acceptor, v1, v2 \\in Value : A /\\ B => C``."""
    used = sorted({i for a, _ in combo for i in a.args})
    ante = [a.text(pool) for a, positive in combo if not positive]
    cons = [a.text(pool) for a, positive in combo if positive]
    if not ante:
        body = " \\/ ".join(cons)
    elif not cons:
        body = "~(" + " /\\ ".join(ante) + ")"
    else:
        body = " /\\ ".join(ante) + " => " + (cons[0] if len(cons) == 1 else "(" + " \\/ ".join(cons) + ")")
    groups: list[tuple[str, list[str]]] = []
    for i in used:
        if groups and groups[-1][0] == pool[i].sort:
            groups[-1][1].append(pool[i].name)
        else:
            groups.append((pool[i].sort, [pool[i].name]))
    bound = ", ".join(f"{', '.join(names)} \\in {sort}" for sort, names in groups)
    return f"\\A {bound} : {body}"

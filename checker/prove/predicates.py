"""infer's grammar over the spec's own predicates and the relations of its variables, for
specs whose variables the type grammar cannot talk about (integers, tuples, nested sets,
messages: Voting, Paxos).

Lamport's invariants are written with the spec's own operators: Voting's ``VotesSafe`` is
``\\A a \\in Acceptor, b \\in Ballot, v \\in Value : VotedFor(a, b, v) => SafeAt(b, v)``. So:

1. **Predicates** (:func:`predicates_of`): the definitions with parameters and no prime whose
   every parameter gets a *sort*, a small constant set, from the places the spec applies
   them to bound names or to record fields (``SafeAt(m.val, m.bal)``), and from their own
   bodies; plus the relations of ``checker.prove.relations`` (``Predicate.extras``: the
   constants, such as -1, a parameter takes besides its sort).
2. **Atoms** (:func:`atoms_of`): each predicate applied to names of a pool (two per sort,
   three for integers: ``b1 < b2 < b3``) and to its extra constants (or, for a sort of
   integers without one, its least member if the variables start from it: Raft's term 0),
   ``x = y`` and, for integers,
   ``x < y`` between names of a sort.
3. **Tables** (:class:`Instance`): every predicate's value at every state and every value of
   its parameters, as numpy boolean arrays, from one function per predicate defined in a
   module that EXTENDS the spec (``[p \\in S1 \\X S2 |-> P(p[1], p[2])]``), evaluated by the
   checker on the states of the cfg's instance.
4. **Clauses** (:func:`clauses`): per template of names (DistAI), the disjunctions true at
   every distinct point and minimal, one per class of clauses equal up to renaming names of
   a sort, none true in random states of the types; written as ``\\A`` over their names.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from checker.errors import ModelError
from checker.tla import syntax
from checker.tla.spec import Spec
from checker.values import Fn, ModelValue, Value, format_value, value_key

MAX_SORT = 6  # the largest constant set taken as a sort
MAX_STATES = 10_000  # states the candidates are filtered on (an even sample of the reachable ones)
_ACTIONS = (syntax.BoxAction, syntax.AngleAction, syntax.Fairness)


@dataclasses.dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    sorts: tuple[str, ...]
    extras: tuple[tuple[Value, ...], ...] = ()  # per parameter: constants it also takes (-1)

    def values(self, i: int, sorts: Mapping[str, Sequence[Value]]) -> list[Value]:
        """What parameter i takes: its sort's members, then its extra constants."""
        return [*sorts[self.sorts[i]], *(self.extras[i] if self.extras else ())]


@dataclasses.dataclass(frozen=True, slots=True)
class PoolName:
    """A name bound over a sort (``a1``), or a constant argument (``-1``: index -1)."""

    name: str  # a1, or the constant's text
    sort: str  # Acceptor
    index: int  # which of the sort's names; -1 for a constant
    value: Value = None  # the constant's value

    @property
    def constant(self) -> bool:
        return self.index < 0


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


def range_sorts(spec: Spec, values: Mapping[str, Value], taken: set[str]) -> dict[str, tuple[str, frozenset[Value]]]:
    """Sorts of integers that the spec writes as ranges of constants but does not name
    (``0..MaxTerm``, ``1..MaxLogLen``): one per upper bound, the widest, named after the
    bound (``Term`` for ``MaxTerm``, else or when that is taken ``NRange``); name -> (text, value)."""

    def bound(e: Any) -> int | None:
        if isinstance(e, syntax.Num):
            return e.value
        v = values.get(e.name) if isinstance(e, syntax.Name) else None
        return int(v) if type(v) is int else None

    best: dict[str, tuple[int, str]] = {}
    for d in spec.definitions.values():
        if not isinstance(d.unit, syntax.OpDef) or d.module not in spec.modules or d.imported:
            continue
        for n in syntax.walk(d.unit.body):
            if not (isinstance(n, syntax.OpApp) and n.name == ".." and isinstance(n.args[1], syntax.Name)):
                continue
            low, high = bound(n.args[0]), bound(n.args[1])
            if low is None or high is None:
                continue
            top = n.args[1].name
            text = f"{low}..{top}"
            if top not in best or low < best[top][0]:
                best[top] = (low, text)
    out: dict[str, tuple[str, frozenset[Value]]] = {}
    for top, (low, text) in best.items():
        names = [top[3:]] if top.startswith("Max") and top[3:4].isupper() else []
        free = [n for n in [*names, f"{top}Range"] if n not in taken and n not in values and n not in out]
        if not free:
            continue
        name = free[0]
        out[name] = (text, frozenset(range(low, values[top] + 1)))
    return out


def quorums_of(
    values: Mapping[str, Value], sorts: Mapping[str, Sequence[Value]]
) -> dict[str, tuple[str, list[frozenset[Value]]]]:
    """The constant sets of subsets of a sort that cover it (Raft's ``Quorums``): name ->
    (the sort, the subsets)."""
    out: dict[str, tuple[str, list[frozenset[Value]]]] = {}
    for name, v in values.items():
        if not isinstance(v, frozenset) or not v or not all(isinstance(x, frozenset) and x for x in v):
            continue
        union = frozenset().union(*v)
        for sort, members in sorts.items():
            if set(members) == union:
                out[name] = (sort, sorted(v, key=value_key))
                break
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


def predicates_of(
    spec: Spec,
    sorts: Mapping[str, Sequence[Value]],
    fields: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Predicate]:
    """The spec's predicates with a sort for each parameter (see the module's docstring).
    A parameter gets its sort from the applications of the predicate to names bound over a
    sort, or to a field of a record bound over a variable (``SafeAt(m.val, m.bal)`` with
    ``m \\in msgs``: ``fields["msgs"]["bal"]`` is Ballot), or from the predicate's own body,
    where it passes the parameter on to one whose sort is known."""
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
                own = {p.name: (name, i) for i, p in enumerate(unit.params)} if name in defs else {}
                walk = _Walk(defs, votes, sorts, fields or {}, known, own)
                walk.visit(unit.body, dict(known.get(name, {})))
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
        if _is_action(spec, name, {}):
            continue
        if not any(isinstance(n, syntax.Name) and n.name in variables for n in nodes) and not any(
            isinstance(n, syntax.OpApp) and n.name in spec.definitions for n in nodes
        ):
            continue  # reads no state
        out.append(Predicate(name, tuple(params[p.name] for p in unit.params)))
    return out


def _is_action(spec: Spec, name: str, memo: dict[str, bool]) -> bool:
    """Whether the definition, or one it applies (PlusCal's ``p(self) == ncs(self) \\/
    ...``), reads the next state or is temporal: not a state predicate."""
    if name in memo:
        return memo[name]
    memo[name] = False  # (a recursive definition: its other applications decide)
    d = spec.definitions.get(name)
    if d is None or not isinstance(d.unit, syntax.OpDef):
        return False
    memo[name] = any(
        isinstance(n, _ACTIONS)
        or (isinstance(n, syntax.OpApp) and n.name in ("'", "ENABLED", "UNCHANGED"))
        or (isinstance(n, syntax.OpApp | syntax.Name) and _is_action(spec, n.name, memo))
        for n in syntax.walk(d.unit.body)
    )
    return memo[name]


def reads(spec: Spec, predicates: Sequence[Predicate]) -> set[str]:
    """The names the predicates' bodies read, through the definitions they call too."""
    out: set[str] = set()
    todo = [p.name for p in predicates]
    while todo:
        d = spec.definitions.get(todo.pop())
        if d is None or not isinstance(d.unit, syntax.OpDef):
            continue
        for n in syntax.walk(d.unit.body):
            if isinstance(n, syntax.Name | syntax.OpApp) and n.name not in out:
                out.add(n.name)
                todo.append(n.name)
    return out


_RECORD = "@"  # in a walk's scope: a name bound over a variable's records is "@msgs"


@dataclasses.dataclass
class _Walk:
    """One walk over a definition's body, recording the sorts its applications suggest."""

    defs: Mapping[str, syntax.OpDef]
    votes: dict[tuple[str, int], Counter[str]]
    sorts: Mapping[str, Sequence[Value]]
    fields: Mapping[str, Mapping[str, str]]
    known: Mapping[str, Mapping[str, str]]
    own: Mapping[str, tuple[str, int]]  # the definition's parameters: name -> (definition, index)

    def visit(self, node: Any, env: dict[str, str]) -> None:
        bounds: tuple[syntax.Bound, ...] = ()
        if isinstance(node, syntax.Quant | syntax.SetMap | syntax.FnCons):
            bounds = node.bounds
        elif isinstance(node, syntax.SetFilter):
            bounds = (node.bound,)
        if bounds:
            inner = dict(env)
            for b in bounds:
                self.visit(b.domain, env)
                sort = None
                if isinstance(b.domain, syntax.Name) and b.domain.name in self.sorts:
                    sort = b.domain.name
                elif isinstance(b.domain, syntax.Name) and b.domain.name in self.fields:
                    sort = _RECORD + b.domain.name
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
                self.visit(r, inner)
            return
        callee = self.defs.get(node.name) if isinstance(node, syntax.OpApp) else None
        if callee is not None and len(node.args) == len(callee.params):
            for i, a in enumerate(node.args):
                sort = self._sort(a, env)
                if sort is not None:
                    self.votes[(node.name, i)][sort] += 1
                if isinstance(a, syntax.Name) and a.name in self.own:  # (TLA+ has no shadowing)
                    theirs = self.known.get(node.name, {}).get(callee.params[i].name)
                    if theirs is not None:
                        self.votes[self.own[a.name]][theirs] += 1
        if isinstance(node, syntax.Let):
            self.visit(node.body, env)
            return
        for child in syntax.children(node):
            self.visit(child, env)

    def _sort(self, arg: Any, env: Mapping[str, str]) -> str | None:
        """The sort of an argument: a name bound over a sort, or a record's field."""
        if isinstance(arg, syntax.Name) and arg.name in env and not env[arg.name].startswith(_RECORD):
            return env[arg.name]
        if isinstance(arg, syntax.Field) and isinstance(arg.record, syntax.Name):
            bound = env.get(arg.record.name, "")
            if bound.startswith(_RECORD):
                return self.fields.get(bound[len(_RECORD) :], {}).get(arg.name)
        return None


# -- the pool, the atoms and their tables -------------------------------------------------------


def pool_of(
    predicates: Sequence[Predicate],
    sorts: Mapping[str, Sequence[Value]],
    taken: set[str],
    constants: Mapping[Value, str] | None = None,
    initial: frozenset[Value] = frozenset(),
) -> list[PoolName]:
    """Names for each sort the predicates use, named after the sort (``a1, a2``): two, three
    for a sort of integers (``b1 < b2 < b3``: a ballot between two others), never more than
    the sort has members (``1..MaxLogLen`` with MaxLogLen = 2: two); then the extra
    constants the predicates take (``-1``), written as ``constants`` or as literals."""
    used = sorted({s for p in predicates for s in p.sorts}, key=lambda s: (s.lower(), s))
    pool: list[PoolName] = []
    bases: set[str] = set()
    for sort in used:
        count = min(3 if all(type(v) is int for v in sorts[sort]) else 2, len(sorts[sort]))
        base = sort[0].lower()
        k = 1
        while base in bases or any(f"{base}{i}" in taken for i in range(1, count + 1)):
            k += 1
            base = sort[:k].lower() if k <= len(sort) else f"{sort.lower()}{k}"
        bases.add(base)
        pool += [PoolName(f"{base}{i + 1}", sort, i) for i in range(count)]
    seen: set[tuple[str, Value]] = set()
    for p in predicates:
        for sort, extras in zip(p.sorts, p.extras or [()] * len(p.sorts)):
            for v in extras:
                if (sort, v) not in seen:
                    seen.add((sort, v))
                    text = (constants or {}).get(v) if isinstance(v, ModelValue) else format_value(v)
                    pool.append(PoolName(text or format_value(v), sort, -1, v))
    for sort in used:
        # The least member of a sort of integers when the variables start from it and no
        # constant lies below it (Raft's term 0, which no leader has; Paxos's ballots have
        # -1 instead): ``initial`` holds the integers of the initial states.
        members = sorts[sort]
        if all(type(v) is int for v in members) and not any(s == sort for s, _ in seen):
            least = min(members)
            if least in initial:
                pool.append(PoolName(format_value(least), sort, -1, least))
    return pool


def atoms_of(
    predicates: Sequence[Predicate], pool: Sequence[PoolName], sorts: Mapping[str, Sequence[Value]]
) -> list[PAtom]:
    """Every predicate on every choice of distinct names (or extra constants) of its sorts;
    equalities, and ``<`` on the integers, between two names of a sort."""
    by_sort: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pool):
        if not p.constant:
            by_sort[p.sort].append(i)
    out: list[PAtom] = []
    for pred in predicates:
        choices = []
        for i, s in enumerate(pred.sorts):
            extras = pred.extras[i] if pred.extras else ()
            consts = [
                j
                for j, p in enumerate(pool)
                if p.constant and p.sort == s and (p.value in extras or p.value in sorts[s])
            ]
            choices.append(by_sort[s] + consts)
        for args in itertools.product(*choices):
            names = [a for a in args if not pool[a].constant]
            if len(set(names)) == len(names):
                out.append(PAtom(pred.name, tuple(args)))
    for sort, ix in by_sort.items():
        for i, j in itertools.combinations(ix, 2):
            out.append(PAtom("=", (i, j)))
            if all(type(v) is int for v in sorts[sort]):
                out.append(PAtom("<", (i, j)))
                out.append(PAtom("<", (j, i)))
    return out


def domain_text(pred: Predicate, i: int, texts: Mapping[Value, str]) -> str:
    """The set parameter i of ``pred`` ranges over, as TLA+ (``Ballot \\cup {-1}``)."""
    extras = pred.extras[i] if pred.extras else ()
    if not extras:
        return pred.sorts[i]
    consts = ", ".join(texts.get(v, format_value(v)) for v in extras)
    return f"({pred.sorts[i]} \\cup {{{consts}}})"


def helper_module(
    root: str,
    name: str,
    predicates: Sequence[Predicate],
    prefix: str,
    definitions: Sequence[str] = (),
    texts: Mapping[Value, str] | None = None,
) -> str:
    """A module that EXTENDS the spec with ``definitions`` (derived relations) and one
    function per predicate over the values of its parameters."""
    lines = [f"---- MODULE {name} ----", f"EXTENDS {root}", *definitions]
    for k, p in enumerate(predicates):
        domains = [domain_text(p, i, texts or {}) for i in range(len(p.sorts))]
        if len(p.sorts) == 1:
            lines.append(f"{prefix}{k} == [{prefix}X \\in {domains[0]} |-> {p.name}({prefix}X)]")
        else:
            args = ", ".join(f"{prefix}X[{i + 1}]" for i in range(len(p.sorts)))
            product = " \\X ".join(domains)
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
            values = [pred.values(i, self.sorts) for i in range(len(pred.sorts))]
            table = np.zeros((len(states), *(len(v) for v in values)), dtype=bool)
            points = list(itertools.product(*(range(len(v)) for v in values)))
            keys = [tuple(v[i] for v, i in zip(values, pt)) for pt in points]
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
    definitions: Sequence[str] = (),
    texts: Mapping[Value, str] | None = None,
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
    path.write_text(helper_module(spec.root.name, name, predicates, prefix, definitions, texts))
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


def sample(seen: Sequence[Any], limit: int = MAX_STATES) -> list[Any]:
    """An even sample of ``limit`` states (all of them if there are fewer)."""
    if len(seen) <= limit:
        return list(seen)
    step = len(seen) / limit
    return [seen[int(i * step)] for i in range(limit)]


def reachable(instance: Instance) -> list[Any]:
    """The reachable states of the cfg's instance, an even sample of ``MAX_STATES`` of them if
    there are more."""
    return sample(every_state(instance.model))


def atom_array(
    atom: PAtom,
    pool: Sequence[PoolName],
    sorts: Mapping[str, Sequence[Value]],
    tables: Tables,
    predicates: Mapping[str, Predicate] | None = None,
    axes: Mapping[int, int] | None = None,
) -> np.ndarray[Any, Any]:
    """The atom's values, with axis 0 the states and axis 1 + ``axes[i]`` the pool's name i
    (by default every name of the pool has its axis, in the pool's order)."""
    if axes is None:
        axes = {i: k for k, i in enumerate(i for i, p in enumerate(pool) if not p.constant)}
    width = len(axes)
    if atom.kind in ("=", "<"):
        i, j = atom.args
        values = sorts[pool[i].sort]
        m = np.array(
            [[(x == y) if atom.kind == "=" else (x < y) for y in values] for x in values], dtype=bool
        )
        shape = [1] * (width + 1)
        shape[1 + axes[i]], shape[1 + axes[j]] = len(values), len(values)
        if axes[i] > axes[j]:
            m = m.T
        return m.reshape(shape)
    table = tables[atom.kind]
    pred = predicates.get(atom.kind) if predicates else None
    index: list[Any] = [slice(None)]
    names: list[int] = []
    for n, a in enumerate(atom.args):
        p = pool[a]
        if p.constant and p.value in sorts[p.sort]:  # a member of the sort (its least)
            index.append(list(sorts[p.sort]).index(p.value))
        elif p.constant:
            assert pred is not None and pred.extras
            index.append(len(sorts[p.sort]) + pred.extras[n].index(p.value))
        else:
            index.append(slice(0, len(sorts[p.sort])))
            names.append(a)
    arr = table[tuple(index)]
    arr = arr.reshape(arr.shape + (1,) * (width - len(names)))
    return np.moveaxis(arr, list(range(1, len(names) + 1)), [1 + axes[i] for i in names])


# -- clauses ------------------------------------------------------------------------------------

MAX_POINTS = 3_000_000  # points (state, values of a template's names) built at once
MAX_NAMES = 6  # names a clause may bind
CONCLUDE_SIZE = 5  # from this size on, a comparison may conclude a clause of ``size - 1`` state literals


def clauses(
    atoms: Sequence[PAtom],
    pool: Sequence[PoolName],
    sorts: Mapping[str, Sequence[Value]],
    tables: Tables,
    predicates: Mapping[str, Predicate],
    size: int = 3,
    comparisons: int = 2,
    tell: Callable[[str], None] = lambda message: None,
    noise: Tables | None = None,
) -> list[tuple[tuple[int, bool], ...]]:
    """The clauses (literals as (atom, positive)) true at every point, none with a smaller
    one inside it that is true too, one of each class of clauses equal up to renaming names
    of a sort. A clause has up to ``size`` literals over the state (one less in a template of
    ``MAX_NAMES`` names), and, when it has fewer, up to ``comparisons`` literals comparing the
    names they read (``b1 < b2``). From ``size`` CONCLUDE_SIZE on, a clause has up to
    ``size - 1`` literals over the state in every template, and one comparison may follow
    them: ElectionSafety's ``... => s1 = s2`` after four, LogMatching's six names.

    As DistAI does, the search runs once per *template*, a number of names per sort, on the
    clauses that use every name of the template: its points are the states times the values
    of those names only, and equal points (the same value of every atom) count once. The
    search keeps one clause of each class of renamings (:func:`_literal_images`).

    ``noise``: the tables of random states of the types (``relations.random_states``); a
    clause true at all their points too is dropped (a consequence of the types)."""
    names_of = {s: [i for i, p in enumerate(pool) if p.sort == s and not p.constant] for s in sorts}
    used_sorts = [s for s in sorted(names_of) if names_of[s]]
    out: list[tuple[tuple[int, bool], ...]] = []
    seen: set[tuple[tuple[int, bool], ...]] = set()
    for counts in itertools.product(*(range(len(names_of[s]) + 1) for s in used_sorts)):
        total = sum(counts)
        if total == 0 or total > MAX_NAMES:
            continue
        names = [i for s, c in zip(used_sorts, counts) for i in names_of[s][:c]]
        began = time.monotonic()
        # The widest templates take one state literal less (below CONCLUDE_SIZE); from it on,
        # every template takes ``size - 1`` and a comparison may follow them.
        conclude = size >= CONCLUDE_SIZE
        here = size - 1 if conclude or total == MAX_NAMES else size
        found, points, literals = _template(
            atoms, pool, sorts, tables, predicates, names, here, comparisons, noise, conclude
        )
        tell(
            f"  {', '.join(pool[i].name for i in names)}: {points} distinct points, {literals} literals,"
            f" {len(found)} clauses ({time.monotonic() - began:.1f} s)"
        )
        for clause in found:
            key = _canonical_key(clause, atoms, pool)
            if key not in seen:
                seen.add(key)
                out.append(clause)
    out.sort(key=len)
    return out


def _template(
    atoms: Sequence[PAtom],
    pool: Sequence[PoolName],
    sorts: Mapping[str, Sequence[Value]],
    tables: Tables,
    predicates: Mapping[str, Predicate],
    names: Sequence[int],
    size: int,
    comparisons: int,
    noise: Tables | None = None,
    conclude: bool = False,
) -> tuple[list[tuple[tuple[int, bool], ...]], int, int]:
    """The clauses of one template (see :func:`clauses`) that use each of ``names``, the
    number of distinct points and of literals."""
    mine = set(names)
    axes = {i: k for k, i in enumerate(names)}
    picked = [k for k, a in enumerate(atoms) if all(pool[i].constant or i in mine for i in a.args)]
    state = [k for k in picked if atoms[k].kind not in ("=", "<")]
    compare = [k for k in picked if atoms[k].kind in ("=", "<")]
    if not state:
        return [], 0, 0
    matrix = _points(atoms, picked, pool, sorts, tables, predicates, names, axes)
    noisy = None if noise is None else _points(atoms, picked, pool, sorts, noise, predicates, names, axes)
    column = {k: n for n, k in enumerate(picked)}
    # false[(k, positive)]: the points where the literal is false
    false = {}
    fixed = []  # atoms of one value at every point: a clause of one literal, or nothing
    for k in picked:
        col = matrix[:, column[k]]
        false[(k, True)] = ~col
        false[(k, False)] = col
        if col.all() or not col.any():
            fixed.append((k, bool(col.all())))
    literals = [
        lit for lit in false if lit[0] in state and lit not in fixed and (lit[0], not lit[1]) not in fixed
    ]
    # x = y only as a conclusion: as a guard (x = y => ...) it names one thing twice, which
    # the smaller template says with one name.
    cmp_literals = [
        lit
        for lit in false
        if lit[0] in compare
        and (lit[0], True) not in fixed
        and (lit[0], False) not in fixed
        and (lit[1] or atoms[lit[0]].kind != "=")
    ]
    reads = {k: {i for i in atoms[k].args if not pool[i].constant} for k in picked}
    out: list[tuple[tuple[int, bool], ...]] = []
    cmp_sets = [combo for n in range(1, comparisons + 1) for combo in itertools.combinations(cmp_literals, n)]
    # The points where each literal (each comparison set) is false, a row each; a clause is
    # true at every point when no point is left where all its literals are false.
    fm = np.stack([false[lit] for lit in literals]) if literals else np.zeros((0, matrix.shape[0]), bool)
    cm = (
        np.stack([np.logical_and.reduce([false[c] for c in combo]) for combo in cmp_sets])
        if cmp_sets
        else None
    )
    # ``conclude``: one comparison after ``size`` state literals; the points where each is
    # false, and the names each literal reads (a bit per name).
    last_cmp = np.stack([false[c] for c in cmp_literals]).astype(np.float32) if conclude and cmp_literals else None
    floats = fm.astype(np.float32) if last_cmp is not None else fm
    bit = {i: 1 << k for k, i in enumerate(names)}
    masks = np.array([sum(bit[i] for i in reads[k]) for k, _ in literals], dtype=np.int64)
    whole = (1 << len(names)) - 1

    packed = {lit: np.packbits(f) for lit, f in false.items()}  # (eight points a byte)

    def record(clause: tuple[tuple[int, bool], ...]) -> None:
        if set().union(*(reads[k] for k, _ in clause)) != mine or not _minimal(clause, packed):
            return
        if noisy is not None:
            falsified = np.logical_and.reduce(
                [~noisy[:, column[k]] if positive else noisy[:, column[k]] for k, positive in clause]
            )
            if not falsified.any():
                return  # true in random states of the types too
        out.append(clause)

    for lit in fixed:
        if lit[0] in state:
            record((lit,))
    if not literals:
        return out, matrix.shape[0], 0
    images = _literal_images(literals, atoms, pool, names)
    stack: list[tuple[int, tuple[tuple[int, bool], ...], tuple[int, ...], np.ndarray[Any, Any]]] = [
        (0, (), (), np.arange(matrix.shape[0]))
    ]
    while stack:
        start, chosen, at, rows = stack.pop()
        atoms_in = {k for k, _ in chosen}
        for n in range(start, len(literals)):
            lit = literals[n]
            if lit[0] in atoms_in:
                continue
            where = (*at, n)
            if any(sorted(image[i] for i in where) < list(where) for image in images):
                continue  # a renaming of the names gives a smaller clause: that one is kept
            left = rows[fm[n, rows]]  # the points still false
            clause = (*chosen, lit)
            if left.size == 0:
                record(clause)
                continue
            used = set().union(*(reads[k] for k, _ in clause))
            if len(clause) < size and cm is not None and used == mine:
                # Comparisons between names the state literals read: a name that is only
                # compared (t1 < t2 < t3) speaks of the sort's bounds, not of the protocol.
                for c in np.flatnonzero(~cm[:, left].any(axis=1)):
                    record((*clause, *cmp_sets[c]))
            if len(clause) == size - 1:  # the last literal: every choice at once
                rest = fm[n + 1 :, left]
                for m in np.flatnonzero(~rest.any(axis=1)):
                    last = literals[n + 1 + m]
                    if last[0] not in atoms_in and last[0] != lit[0]:
                        record((*clause, last))
                if last_cmp is not None:
                    # A comparison concludes a clause of ``size`` state literals (ElectionSafety:
                    # four state literals and s1 = s2): the points left false by each last
                    # literal that completes the names, against the points where each
                    # comparison is false, at once.
                    have = sum(bit[i] for i in used)
                    pick = n + 1 + np.flatnonzero((masks[n + 1 :] | have) == whole)
                    pick = pick[rest[pick - n - 1].any(axis=1)]
                    if pick.size:
                        hits = floats[pick][:, left] @ last_cmp[:, left].T
                        for m, c in zip(*np.nonzero(hits == 0)):
                            last = literals[pick[m]]
                            if last[0] not in atoms_in and last[0] != lit[0]:
                                record((*clause, last, cmp_literals[c]))
            elif len(clause) < size:
                stack.append((n + 1, clause, where, left))
    return out, matrix.shape[0], len(literals)


def _points(
    atoms: Sequence[PAtom],
    picked: Sequence[int],
    pool: Sequence[PoolName],
    sorts: Mapping[str, Sequence[Value]],
    tables: Tables,
    predicates: Mapping[str, Predicate],
    names: Sequence[int],
    axes: Mapping[int, int],
) -> np.ndarray[Any, Any]:
    """The distinct points of a template: a row per (state, values of the names), a column
    per picked atom, over every state of the tables; built ``MAX_POINTS`` points at a time
    (a row per atom, then each point's column), equal points merging as they go."""
    shape = [len(sorts[pool[i].sort]) for i in names]
    per_state = int(np.prod(shape))
    count = next(iter(tables.values())).shape[0]
    chunk = max(1, MAX_POINTS // per_state)
    arrays = [atom_array(atoms[k], pool, sorts, tables, predicates, axes) for k in picked]
    parts = []
    for lo in range(0, count, chunk):
        states = min(chunk, count - lo)
        columns = np.empty((len(arrays), states * per_state), dtype=bool)
        for j, arr in enumerate(arrays):
            part = arr[lo : lo + states] if arr.shape[0] > 1 else arr
            np.copyto(columns[j].reshape(states, *shape), np.broadcast_to(part, (states, *shape)))
        parts.append(columns[:, _first_of_each(columns)])
    columns = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    if len(parts) > 1:
        columns = columns[:, _first_of_each(columns)]
    return np.ascontiguousarray(columns.T)


def _first_of_each(columns: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The index of the first of each distinct column of a boolean matrix, in order: the
    columns packed to bytes, read as unsigned 64-bit words, sorted stably word by word."""
    packed = np.packbits(columns, axis=0)
    width = -(-packed.shape[0] // 8) * 8
    keys = np.zeros((columns.shape[1], width), dtype=np.uint8)
    keys[:, : packed.shape[0]] = packed.T
    words = keys.view(np.uint64)
    if words.shape[1] == 1:
        _, first = np.unique(words[:, 0], return_index=True)
        return np.sort(first)
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    return np.sort(order[new])


def _minimal(clause: Sequence[tuple[int, bool]], false: Mapping[tuple[int, bool], Any]) -> bool:
    """Whether no clause with one literal less is true at every point."""
    for skip in range(len(clause)):
        acc = None
        for n, lit in enumerate(clause):
            if n != skip:
                acc = false[lit] if acc is None else acc & false[lit]
        if acc is not None and not acc.any():
            return False
    return True


def _renamings(names: Sequence[int], pool: Sequence[PoolName]) -> list[dict[int, int]]:
    """Every renaming of ``names`` within their sorts (the identity first), as a map of pool
    positions."""
    by_sort: dict[str, list[int]] = defaultdict(list)
    for i in names:
        by_sort[pool[i].sort].append(i)
    out = []
    for perms in itertools.product(*(itertools.permutations(v) for v in by_sort.values())):
        rename = {i: i for i in range(len(pool))}
        for group, perm in zip(by_sort.values(), perms):
            rename.update(zip(group, perm))
        out.append(rename)
    return out


def _renamed(atom: PAtom, rename: Mapping[int, int]) -> PAtom:
    args = tuple(rename[i] for i in atom.args)
    return PAtom(atom.kind, tuple(sorted(args)) if atom.kind == "=" else args)


def _literal_images(
    literals: Sequence[tuple[int, bool]], atoms: Sequence[PAtom], pool: Sequence[PoolName], names: Sequence[int]
) -> list[list[int]]:
    """Per renaming of the template's names but the identity: the position in ``literals`` of
    each literal's image. The points of a template are symmetric under those renamings, so a
    clause is true at every point when its image is; the search keeps the least of each class
    (literals as sorted positions) and prunes a prefix whose image is less: every clause that
    extends it has a lesser image too. A renaming whose images are not all literals is left out."""
    index = {a: k for k, a in enumerate(atoms)}
    position = {lit: n for n, lit in enumerate(literals)}
    out = []
    for rename in _renamings(names, pool)[1:]:
        image = [position.get((index.get(_renamed(atoms[k], rename), -1), positive), -1) for k, positive in literals]
        if -1 not in image:
            out.append(image)
    return out


def _canonical_key(
    clause: Sequence[tuple[int, bool]], atoms: Sequence[PAtom], pool: Sequence[PoolName]
) -> tuple[tuple[int, bool], ...]:
    """The least form of the clause over the renamings of its names within each sort."""
    index = {a: k for k, a in enumerate(atoms)}
    used = sorted({i for k, _ in clause for i in atoms[k].args if not pool[i].constant})
    best: tuple[tuple[int, bool], ...] | None = None
    for rename in _renamings(used, pool):
        other = []
        for k, positive in clause:
            j = index.get(_renamed(atoms[k], rename))
            if j is None:
                break
            other.append((j, positive))
        else:
            form = tuple(sorted(other))
            if best is None or form < best:
                best = form
    return best if best is not None else tuple(sorted(clause))


def clause_text(combo: Sequence[tuple[PAtom, bool]], pool: Sequence[PoolName]) -> str:
    """``\\A a1 \\in Acceptor, v1, v2 \\in Value : A /\\ B => C``."""
    used = sorted({i for a, _ in combo for i in a.args if not pool[i].constant})
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
    if not groups:
        return body
    bound = ", ".join(f"{', '.join(names)} \\in {sort}" for sort, names in groups)
    return f"\\A {bound} : {body}"

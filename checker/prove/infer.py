"""Infer an inductive invariant from a safety property: grammar, reachable states, Houdini.

    tlacheck infer SPEC.tla --inv Safety [--config SPEC.cfg] [--timeout SECONDS]

The steps, each a function below:

1. **Atoms** (:func:`atoms_of`): from the finite type of each variable (the spec's
   ``TypeOK``, read by ``induction.infer_types``), the state predicates ``x = c``,
   ``f[r] = c``, ``e \\in s``, ``s = {}``, ``s = S``, where ``r`` is a name bound over a
   constant set ``S`` of model values (the symmetric sets of the cfg's instance) and an
   element ``e`` of a set that mentions one member of ``S`` is generalised to ``r``.
2. **Candidates** (:func:`candidates`): disjunctions of up to ``size`` literals (atoms or
   their negations) over different terms, written as implications, universally quantified
   over ``S`` when an atom mentions ``r``; kept only when true in every reachable state of
   the cfg's finite instance (the engine's BFS, ``CheckOptions.visit``) and not subsumed by
   a smaller candidate kept.
3. **Houdini** (:func:`houdini`): write ``IndInv == TypeOK /\\ Safety /\\ L1 /\\ ...`` to a
   module that EXTENDS the spec, check it with ``induction.check_induction`` (the code of
   ``tlacheck prove``), drop every lemma an IndNext counterexample breaks, and repeat. A
   counterexample that breaks Safety or TypeOK ends the search without an invariant (a
   smaller set of lemmas assumes less, so it would break them too).
4. **Choice** (:func:`choose`): from Houdini's set, endive's greedy choice of the lemma
   false in the most counterexamples to induction, until Safety with the chosen is
   inductive.
5. The result is checked once more, whole (IndInit, IndNext, IndProp for Safety), before
   it is printed.

When the types give no atom (integers, tuples, nested sets: Voting), the candidates come
from the spec's own predicates instead (``checker.prove.predicates``), with two names
bound over each constant set.

With the spec's predicates, the candidates also read relations of the variables (one per
kind of message, per function variable, a log's entries, a set of tuples, and "at every
member of some quorum": ``checker.prove.relations``), which is how Paxos's ``MsgInv`` and
``AccInv``, and Raft's quorum lemmas, are found; the cfg's other INVARIANTS are candidates
whole (Raft's ElectionSafety and LogMatching). With more than ``HOUDINI_LIMIT`` candidates
the choice draws from all of them without Houdini (Z3 takes minutes a round on hundreds of
lemmas); a chosen lemma that turns out not inductive with the others (true in the
reachable states only) is then dropped when nothing else removes its counterexamples.

Not done (said here rather than hidden): lemmas with two names over one set in the type
grammar; a quantifier alternation other than the quorum relations' ``\\E Q : \\A q``.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from pathlib import Path
from typing import Any

from checker.errors import SpecError, TlacheckError
from checker.prove import predicates as pr
from checker.prove import relations as rel
from checker.prove import types as ty
from checker.prove.encode import Encoder
from checker.prove.induction import InductionResult, ProveOptions, check_induction, infer_types
from checker.prove.problem import load_problem
from checker.tla.builtins import BUILTINS
from checker.tla.spec import Spec
from checker.values import Fn, ModelValue, Value, format_value

Tell = Callable[[str], None]
HOUDINI_LIMIT = 200  # more candidates than this skip Houdini (see infer())
MANY_LEMMAS = 64  # Houdini asks Z3 one query per lemma below this many
NOISE = 500  # random states of the types a candidate must be false in somewhere


@dataclasses.dataclass(frozen=True, slots=True)
class Atom:
    """A state predicate; ``over`` names the constant set its bound name ranges over (or None)."""

    text: str  # TLA+ text; the bound name is written ``{r}``
    term: str  # what it talks about (two literals of one clause never share a term)
    over: str | None
    holds: Callable[[Mapping[str, Value], Value], bool]  # (state, the bound name's value)


@dataclasses.dataclass(frozen=True, slots=True)
class Clause:
    """A candidate lemma: a disjunction of literals, for every member of ``over`` (if any)."""

    text: str
    literals: tuple[tuple[Atom, bool], ...]
    over: str | None
    members: tuple[Value, ...]

    def holds(self, state: Mapping[str, Value]) -> bool:
        try:
            return all(
                any(a.holds(state, m) == positive for a, positive in self.literals) for m in self.members
            )
        except (KeyError, TypeError):
            return False


@dataclasses.dataclass(frozen=True, slots=True)
class Lemma:
    name: str
    text: str
    clause: Clause | pr.PredClause | None = None
    ctis: int = 0  # the counterexamples to induction it eliminated when it was chosen


@dataclasses.dataclass(frozen=True, slots=True)
class InferResult:
    verdict: str  # "found", "none" (Houdini ended without), "unknown" (Z3 or the time gave up)
    text: str  # the module text of the last invariant checked
    lemmas: tuple[Lemma, ...]
    candidates: int
    states: int
    rounds: int
    seconds: float
    reason: str = ""

    @property
    def exit_code(self) -> int:
        return {"found": 0, "none": 12, "unknown": 75}[self.verdict]


def infer(
    spec: Path,
    safety: str,
    config: Path | None = None,
    libs: Sequence[Path] = (),
    type_inv: str | None = None,
    size: int = 3,
    timeout: float | None = None,
    withhold: Callable[[str], bool] = lambda text: False,
    tell: Tell = lambda message: None,
) -> InferResult:
    """Search for an inductive invariant that implies ``safety``; ``withhold`` drops atoms
    (by their text) from the grammar, which tests use to show that a lemma is needed."""
    start = time.monotonic()
    loaded = load_problem(spec, safety, config, libs)
    problem = loaded.problem
    type_name = type_inv or _type_invariant(problem.defs, problem.invariants)
    enc = Encoder(problem.defs, problem.constants, problem.variables, problem.root)
    type_def = enc.definition(type_name)
    types = infer_types(enc, type_def.body, problem.variables, type_name, type_def.span)
    sets = {
        name: value
        for name, value in problem.constants.items()
        if isinstance(value, frozenset) and value and all(type(x) is ModelValue for x in value)
    }
    named = {v for v in problem.constants.values() if type(v) is ModelValue}
    atoms = [
        a
        for a in atoms_of(types, sets, set(problem.defs) | set(problem.variables), named)
        if not withhold(a.text)
    ]
    # (the built-in operators too: MCBakery's MaxNat would name a sort Nat)
    taken = set(problem.defs) | set(problem.variables) | set(problem.constants) | set(BUILTINS)
    kept: Sequence[Clause | pr.PredClause]
    preamble: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tlacheck-infer-") as tmp:
        # The spec's own predicates and the relations of its variables (Voting, Paxos);
        # without predicates, the type grammar when it has atoms (TwoPhase).
        found = predicate_candidates(
            spec,
            loaded.spec,
            config,
            libs,
            taken,
            size,
            Path(tmp),
            tell,
            types,
            bool(atoms),
            withhold,
            exclude={safety, type_name},
        )
    if found is not None:
        kept, count, preamble = list(found[0]), found[1], found[2]
    elif atoms:
        tell(f"{len(atoms)} atoms from the types of {', '.join(problem.variables)}")
        states = reachable_states(loaded.spec)
        tell(f"{len(states)} reachable states of the cfg's instance")
        kept = list(candidates(atoms, states, sets, size))
        count = len(states)
    else:
        return InferResult(
            "none",
            "",
            (),
            0,
            0,
            0,
            time.monotonic() - start,
            "the grammar has no atoms for the types of "
            + ", ".join(f"{v} ({types[v]})" for v in problem.variables)
            + ", and the spec has no predicate whose parameters range over constant sets",
        )
    tell(f"{len(kept)} candidate lemmas true in every reachable state")
    prefix = next(
        p for p in ("Lemma", "InfLemma", "InferredLemma") if not any(n.startswith(p) for n in taken)
    )
    lemmas = [Lemma(f"{prefix}{i}", c.text, c) for i, c in enumerate(kept, 1)]
    deadline = None if timeout is None else start + timeout
    root = loaded.spec.root.name
    inv = "IndInv" if "IndInv" not in taken else "InferredInv"
    if len(lemmas) > HOUDINI_LIMIT:
        # Z3 takes minutes a round with hundreds of lemmas (Paxos: 700): choose from the
        # counterexamples of the few chosen so far instead, as endive does. Every candidate
        # holds in the states it was filtered on; the final check proves the choice whole.
        tell(f"{len(lemmas)} candidates: choosing from the counterexamples directly (no Houdini)")
        verdict, pool, text, rounds, reason = "found", lemmas, "", 0, ""
    else:
        verdict, pool, text, rounds, reason = houdini(
            spec, root, safety, type_name, lemmas, config, libs, deadline, tell, inv, preamble
        )
        if verdict == "found":
            tell(f"Houdini kept {len(pool)} lemmas; choosing the few the counterexamples need")
    if verdict == "found":
        verdict, chosen, text, more, reason = choose(
            spec, root, safety, type_name, pool, config, libs, deadline, tell, inv, preamble
        )
        rounds += more
        pool = chosen
    return InferResult(verdict, text, tuple(pool), len(kept), count, rounds, time.monotonic() - start, reason)


def predicate_candidates(
    spec_path: Path,
    spec: Spec,
    config: Path | None,
    libs: Sequence[Path],
    taken: set[str],
    size: int,
    folder: Path,
    tell: Tell,
    types: Mapping[str, ty.Type],
    need_predicates: bool,
    withhold: Callable[[str], bool] = lambda text: False,
    exclude: set[str] | None = None,
) -> tuple[list[pr.PredClause], int, list[str]] | None:
    """The candidates of the grammar over the spec's predicates and its variables' relations
    (``checker.prove.predicates``, ``checker.prove.relations``), the number of states they
    were filtered on, and the definitions they read (sorts, relations); None when the
    grammar is empty (or, with ``need_predicates``, has none of the spec's predicates while
    the types have no sequence or set of tuples the type grammar cannot talk about).

    The cfg's other INVARIANTS (not ``exclude``: the safety property and the type) are
    candidates too, whole: properties the user checks (Raft's ElectionSafety, LogMatching)."""
    from checker.tla.model import build_model

    plain = build_model(spec, skip_liveness=True)
    properties = [n for n in plain.invariants if n not in (exclude or set()) and n in spec.definitions]
    values: dict[str, Value] = {}
    for name in [*spec.constants, *pr.constant_definitions(spec)]:
        try:
            values[name] = plain.state_function(name)(None)
        except TlacheckError:
            continue
    ranges = pr.range_sorts(spec, values, taken)
    values.update({name: v for name, (_, v) in ranges.items()})
    sorts = pr.sorts_of(spec, values)
    texts = {v: name for name, v in values.items() if type(v) is ModelValue and name in spec.constants}
    predicates = pr.predicates_of(spec, sorts, rel.field_sorts(types, sorts, texts))
    if not predicates and need_predicates and not _beyond_types(types):
        return None
    seen = pr.every_state(plain)
    observed = _observed(plain.variables, types, seen)
    prefix = next(p for p in ("Rel", "InferRel", "InferredRel") if not any(n.startswith(p) for n in taken))
    relations = rel.relations_of(
        types,
        observed,
        sorts,
        texts,
        prefix,
        _frequent(plain.variables, types, seen),
        # Quorum relations where no predicate of the spec speaks of the quorums already
        # (Paxos's SafeAt does; Raft has no such predicate): a smaller grammar otherwise.
        {q: v for q, v in pr.quorums_of(values, sorts).items() if q not in pr.reads(spec, predicates)},
        taken | set(ranges),
    )
    predicates += [pr.Predicate(r.name, r.sorts, r.extras) for r in relations]
    if not predicates:
        return None
    preamble = [f"{name} == {text}" for name, (text, _) in ranges.items() if name in sorts]
    preamble += [r.definition() for r in relations]
    tell("predicates: " + ", ".join(f"{p.name}({', '.join(p.sorts)})" for p in predicates))
    for line in preamble:
        tell(f"  {line}")
    instance = pr.load_instance(spec_path, spec, config, libs, predicates, sorts, folder, preamble, texts)
    if list(instance.model.variables) != list(plain.variables):  # the same variables, in its order
        where = [list(plain.variables).index(v) for v in instance.model.variables]
        seen = [tuple(s[i] for i in where) for s in seen]
    pool = pr.pool_of(predicates, sorts, taken, texts, _integers(seen[:1]))
    atoms = [a for a in pr.atoms_of(predicates, pool, sorts) if not withhold(a.text(pool))]
    states = pr.sample(seen)
    tell(f"{len(atoms)} atoms over {', '.join(p.name for p in pool)}; {len(states)} of {len(seen)} states")
    tables = instance.tables(states)
    noise_states: list[Any] = []
    try:
        noise_states = rel.random_states(instance.model.variables, types, observed, seen, NOISE)
        noise = instance.tables(noise_states)
    except (TlacheckError, KeyError, TypeError, AssertionError):
        noise = None  # a random state the spec's definitions cannot read: no such filter
    by_name = {p.name: p for p in predicates}
    variables = instance.model.variables

    cache: dict[tuple[Value, ...], pr.Tables | None] = {}

    def tables_at(record: Mapping[str, Value]) -> pr.Tables | None:
        """The predicates' tables at one state (a counterexample's), computed once."""
        try:
            state = tuple(record[v] for v in variables)
        except KeyError:
            return None
        if state not in cache:
            try:
                cache[state] = instance.tables([state])
            except (TlacheckError, KeyError, TypeError):
                cache[state] = None
        return cache[state]

    def evaluate(record: Mapping[str, Value], clause: pr.PredClause) -> bool:
        one = tables_at(record)
        if one is None:
            return False
        acc: Any = None
        for atom, positive in clause.literals:
            part = pr.atom_array(atom, pool, sorts, one, by_name)
            part = part if positive else ~part
            acc = part if acc is None else acc | part
        return bool(acc.all())

    out = []
    for name in properties:
        prop = instance.model.state_function(name)
        if all(prop(state) is True for state in states) and not (
            noise is not None and all(prop(state) is True for state in noise_states)
        ):
            out.append(pr.PredClause(name, (), _whole(prop, variables)))
    if out:
        tell("the cfg's other invariants, candidates whole: " + ", ".join(c.text for c in out))
    for combo in pr.clauses(atoms, pool, sorts, tables, by_name, size, tell=tell, noise=noise):
        literals = tuple((atoms[k], positive) for k, positive in combo)
        out.append(pr.PredClause(pr.clause_text(literals, pool), literals, evaluate))
    return out, len(states), preamble


def _fails(lemma: Lemma, state: Mapping[str, Value]) -> bool:
    return lemma.clause is not None and not lemma.clause.holds(state)


def _whole(prop: Callable[[Any], Value], variables: Sequence[str]) -> Callable[[Mapping[str, Value], Any], bool]:
    """A cfg invariant as a candidate's evaluation on a counterexample's state."""

    def evaluate(record: Mapping[str, Value], clause: Any) -> bool:
        try:
            return prop(tuple(record[v] for v in variables)) is True
        except (TlacheckError, KeyError, TypeError):
            return False

    return evaluate


def _integers(states: Sequence[Any]) -> frozenset[Value]:
    """The integers that the states' variables hold (inside functions, sets and tuples too)."""
    out: set[Value] = set()
    todo: list[Any] = [v for s in states for v in s]
    while todo:
        v = todo.pop()
        if type(v) is int:
            out.add(v)
        elif isinstance(v, Fn):
            todo += list(v.values())
        elif isinstance(v, frozenset | tuple):
            todo += list(v)
    return frozenset(out)


def _beyond_types(types: Mapping[str, ty.Type]) -> bool:
    """Whether a variable is a function to sequences or a set of tuples (Raft's logs and
    committed entries), which the type grammar's atoms cannot talk about."""
    for typ in types.values():
        if isinstance(typ, ty.FnT) and any(isinstance(t, ty.SeqT) for _, t in typ.items):
            return True
        if isinstance(typ, ty.SetT) and typ.universe and all(type(u) is tuple for u in typ.universe):
            return True
    return False


def _frequent(
    variables: Sequence[str], types: Mapping[str, ty.Type], states: Sequence[Any]
) -> dict[str, Counter[Value]]:
    """How often each function variable takes each value (over its arguments) in the states."""
    out: dict[str, Counter[Value]] = {}
    for n, var in enumerate(variables):
        if isinstance(types.get(var), ty.FnT):
            out[var] = Counter(v for s in states if isinstance(s[n], Fn) for v in s[n].values())
    return out


def _observed(
    variables: Sequence[str], types: Mapping[str, ty.Type], states: Sequence[Any]
) -> dict[str, dict[Value, frozenset[Value]]]:
    """The values each function variable takes at each argument, and each plain variable
    takes, in the states."""
    out: dict[str, dict[Value, frozenset[Value]]] = {}
    for n, var in enumerate(variables):
        typ = types.get(var)
        if isinstance(typ, ty.FnT):
            keys = [k for k, _ in typ.items]
            out[var] = {k: frozenset(s[n][k] for s in states if isinstance(s[n], Fn)) for k in keys}
        elif isinstance(typ, ty.EnumT | ty.IntT):
            out[var] = {None: frozenset(s[n] for s in states)}
    return out


def _type_invariant(defs: Mapping[str, object], invariants: Sequence[str]) -> str:
    """The spec's TypeOK: a cfg invariant, else a definition, whose name ends in TypeOK."""
    for name in [*invariants, *defs]:
        if name.lower().endswith("typeok"):
            return name
    raise SpecError(
        "E620",
        "infer needs the types of the variables: the spec defines no TypeOK (a name ending in TypeOK)",
        hint="name the type invariant with --type NAME",
    )


# -- atoms ------------------------------------------------------------------------------------


def atoms_of(
    types: Mapping[str, ty.Type],
    sets: Mapping[str, frozenset[Value]],
    taken: set[str],
    named: Set[Value] = frozenset(),
) -> list[Atom]:
    """The atoms over each variable's type (see the module's docstring). A model value is
    written only where it stands for a bound name, or where it is the value of a constant
    (``named``: ``None``): the cfg's ``RM = {r1, r2}`` makes r1 a value no module can name."""
    bound = {name: _bound_name(name, taken) for name in sets}
    out: list[Atom] = []
    for var, typ in types.items():
        out += [a for a in _atoms_of_var(var, typ, sets, bound) if _writable(a, sets, named)]
    return out


def _writable(atom: Atom, sets: Mapping[str, frozenset[Value]], named: Set[Value]) -> bool:
    """Whether every model value the atom's text names is a constant's value (its bound
    set's members are written as the bound name)."""
    members = sets.get(atom.over, frozenset()) if atom.over else frozenset()
    values = {v for x in sets.values() for v in x} | named
    return not any(
        re.search(rf"(?<!\w){re.escape(format_value(v))}(?!\w)", atom.text)
        for v in values
        if type(v) is ModelValue and v not in named and v not in members
    )


def _bound_name(set_name: str, taken: set[str]) -> str:
    base = set_name.lower()
    name = base
    for i in itertools.count(1):
        if name not in taken:
            return name
        name = f"{base}{i}"
    raise AssertionError  # pragma: no cover


def _atoms_of_var(
    var: str, typ: ty.Type, sets: Mapping[str, frozenset[Value]], bound: Mapping[str, str]
) -> list[Atom]:
    out: list[Atom] = []
    if isinstance(typ, ty.EnumT | ty.BoolT):
        universe: tuple[Value, ...] = (True, False) if isinstance(typ, ty.BoolT) else typ.universe
        for c in universe:
            if isinstance(typ, ty.BoolT) and c is False:
                continue
            out.append(Atom(f"{var} = {format_value(c)}", var, None, _eq_const(var, c)))
    elif isinstance(typ, ty.SetT):
        out.append(Atom(f"{var} = {{}}", f"{var} = {{}}", None, _eq_const(var, frozenset())))
        whole = frozenset(typ.universe)
        for name, members in sets.items():
            if members == whole:
                out.append(Atom(f"{var} = {name}", f"{var} = {name}", None, _eq_const(var, whole)))
        seen: set[str] = set()
        for e in typ.universe:
            found = [(name, mv) for name, members in sets.items() for mv in members if _mentions(e, mv)]
            if not found:
                out.append(
                    Atom(
                        f"{_render(e, None, '')} \\in {var}",
                        f"{var} has {format_value(e)}",
                        None,
                        _has(var, e),
                    )
                )
                continue
            names = {name for name, _ in found}
            if len(found) != 1 or len(names) != 1:
                continue  # mentions two members: not generalised
            name, mv = found[0]
            text = f"{_render(e, mv, '{r}')} \\in {var}"
            if text in seen:
                continue
            seen.add(text)
            out.append(Atom(text, f"{var} has {text}", name, _has_member(var, e, mv)))
    elif isinstance(typ, ty.FnT):
        domain = frozenset(k for k, _ in typ.items)
        codomains = {t for _, t in typ.items}
        over = [name for name, members in sets.items() if members == domain]
        if over and len(codomains) == 1:
            (cod,) = codomains
            if isinstance(cod, ty.EnumT | ty.BoolT):
                universe = (True,) if isinstance(cod, ty.BoolT) else cod.universe
                for c in universe:
                    out.append(
                        Atom(
                            f"{var}[{{r}}] = {format_value(c)}",
                            f"{var}[r]",
                            over[0],
                            _at_eq(var, c),
                        )
                    )
            elif isinstance(cod, ty.SetT):
                for e in cod.universe:
                    if type(e) is ModelValue or type(e) is str or type(e) is int:
                        out.append(
                            Atom(
                                f"{format_value(e)} \\in {var}[{{r}}]",
                                f"{var}[r] has {format_value(e)}",
                                over[0],
                                _at_has(var, e),
                            )
                        )
    return out


Holds = Callable[[Mapping[str, Value], Value], bool]


def _eq_const(var: str, c: Value) -> Holds:
    return lambda s, m: s[var] == c


def _has(var: str, e: Value) -> Holds:
    return lambda s, m: e in s[var]


def _has_member(var: str, e: Value, mv: ModelValue) -> Holds:
    return lambda s, m: _subst(e, mv, m) in s[var]


def _at_eq(var: str, c: Value) -> Holds:
    return lambda s, m: s[var][m] == c


def _at_has(var: str, e: Value) -> Holds:
    return lambda s, m: e in s[var][m]


def _mentions(v: Value, mv: ModelValue) -> bool:
    if v is mv:
        return True
    if isinstance(v, Fn):
        return any(_mentions(k, mv) or _mentions(x, mv) for k, x in v.items())
    if isinstance(v, frozenset | tuple):
        return any(_mentions(x, mv) for x in v)
    return False


def _subst(v: Value, old: ModelValue, new: Value) -> Value:
    if v is old:
        return new
    if isinstance(v, Fn):
        return Fn({_subst(k, old, new): _subst(x, old, new) for k, x in v.items()})
    if isinstance(v, frozenset):
        return frozenset(_subst(x, old, new) for x in v)
    if isinstance(v, tuple):
        return tuple(_subst(x, old, new) for x in v)
    return v


def _render(v: Value, mv: ModelValue | None, name: str) -> str:
    """TLA+ text of ``v`` with the model value ``mv`` written as ``name``."""
    if mv is not None and v is mv:
        return name
    if isinstance(v, Fn) and v.is_record():
        return "[" + ", ".join(f"{k} |-> {_render(x, mv, name)}" for k, x in v.items()) + "]"
    if isinstance(v, tuple):
        return "<<" + ", ".join(_render(x, mv, name) for x in v) + ">>"
    return format_value(v)


# -- candidates -------------------------------------------------------------------------------


def reachable_states(spec: object) -> list[dict[str, Value]]:
    """Every reachable state of the cfg's finite instance (the engine's BFS)."""
    from checker.tla.model import build_model

    model = build_model(spec, skip_liveness=True)  # type: ignore[arg-type]
    return [model.as_record(state) for state in pr.every_state(model)]


def candidates(
    atoms: Sequence[Atom],
    states: Sequence[Mapping[str, Value]],
    sets: Mapping[str, frozenset[Value]],
    size: int,
) -> list[Clause]:
    """The clauses of up to ``size`` literals true in every state (bitsets over the points
    (state, member of the bound set)), smallest first, none subsumed by another kept."""
    kept: list[Clause] = []
    for over in [None, *sets]:
        members: list[Value] = [None] if over is None else sorted(sets[over], key=format_value)
        points = [(s, m) for s in states for m in members]
        full = (1 << len(points)) - 1
        usable = [a for a in atoms if a.over is None or a.over == over]
        bits = [sum(1 << i for i, (s, m) in enumerate(points) if a.holds(s, m)) for a in usable]
        literals = [(i, True) for i in range(len(usable))] + [(i, False) for i in range(len(usable))]
        found: list[frozenset[tuple[int, bool]]] = []
        for k in range(1, size + 1):
            for combo in itertools.combinations(literals, k):
                if len({usable[i].term for i, _ in combo}) < k:
                    continue
                if over is not None and all(usable[i].over is None for i, _ in combo):
                    continue  # no bound name: found without the quantifier
                clause = frozenset(combo)
                if any(f <= clause for f in found):
                    continue
                value = 0
                for i, positive in combo:
                    value |= bits[i] if positive else full ^ bits[i]
                if value == full:
                    found.append(clause)
                    literals_of = tuple((usable[i], p) for i, p in combo)
                    kept.append(Clause(_clause_text(literals_of, over), literals_of, over, tuple(members)))
    return kept


def _clause_text(literals: Sequence[tuple[Atom, bool]], over: str | None) -> str:
    r = "" if over is None else over.lower()
    ante = [a.text.replace("{r}", r) for a, positive in literals if not positive]
    cons = [a.text.replace("{r}", r) for a, positive in literals if positive]
    if not ante:
        body = " \\/ ".join(cons)
    elif not cons:
        body = "~(" + " /\\ ".join(ante) + ")"
    else:
        body = " /\\ ".join(ante) + " => " + (cons[0] if len(cons) == 1 else "(" + " \\/ ".join(cons) + ")")
    if len(literals) == 1 and not cons:
        body = "~(" + ante[0] + ")"
    return body if over is None else f"\\A {r} \\in {over} : {body}"


# -- Houdini ----------------------------------------------------------------------------------


def module_text(
    name: str,
    extends: str,
    safety: str,
    type_inv: str,
    lemmas: Sequence[Lemma],
    inv: str = "IndInv",
    preamble: Sequence[str] = (),
) -> str:
    """A module that EXTENDS the spec and defines ``IndInv`` from the lemmas (after the
    ``preamble``'s definitions that the lemmas read: the relations)."""
    preamble = _needed(preamble, [lemma.text for lemma in lemmas])
    lines = [f"---- MODULE {name} ----", f"EXTENDS {extends}", "", *preamble]
    if preamble:
        lines.append("")
    for lemma in lemmas:
        if lemma.ctis:
            lines.append(f"\\* {lemma.name} eliminates {lemma.ctis} counterexample(s) to induction")
        lines.append(f"{lemma.name} == {lemma.text}")
    parts = [type_inv, safety, *(lemma.name for lemma in lemmas)]
    lines += [
        "",
        f"{inv} == " + "\n          /\\ ".join(parts if len(parts) == 1 else ["/\\ " + parts[0], *parts[1:]]),
    ]
    lines += ["===="]
    return "\n".join(lines) + "\n"


def _needed(definitions: Sequence[str], texts: Sequence[str]) -> list[str]:
    """The definitions (``Name(params) == body`` or ``Name == body``) that the texts read,
    directly or through another one, in their order."""
    names = [re.split(r"[ (]", d, maxsplit=1)[0] for d in definitions]
    wanted: set[str] = set()
    todo = list(texts)
    while todo:
        text = todo.pop()
        for name, d in zip(names, definitions):
            if name not in wanted and re.search(rf"\b{re.escape(name)}\b", text):
                wanted.add(name)
                todo.append(d.split("==", 1)[1])
    return [d for name, d in zip(names, definitions) if name in wanted]


def check_text(
    text: str,
    name: str,
    spec: Path,
    config: Path | None,
    libs: Sequence[Path],
    options: ProveOptions,
    inv: str = "IndInv",
    target: str | None = None,
) -> InductionResult:
    """Write the module beside nothing (a temporary folder) and check ``IndInv`` inductive;
    IndProp for ``target`` only, when given (not the cfg's other invariants: Voting.cfg also
    lists the hand-written invariant)."""
    cfg = config if config is not None else spec.with_suffix(".cfg")
    with tempfile.TemporaryDirectory(prefix="tlacheck-infer-") as tmp:
        path = Path(tmp) / f"{name}.tla"
        path.write_text(text)
        problem = load_problem(path, inv, cfg if cfg.is_file() else None, [spec.parent, *libs]).problem
        if target is not None:
            problem = dataclasses.replace(problem, invariants=(target,))
        return check_induction(problem, options)


def houdini(
    spec: Path,
    root: str,
    safety: str,
    type_inv: str,
    lemmas: list[Lemma],
    config: Path | None,
    libs: Sequence[Path],
    deadline: float | None,
    tell: Tell,
    inv: str = "IndInv",
    preamble: Sequence[str] = (),
) -> tuple[str, list[Lemma], str, int, str]:
    """Drop the lemmas the counterexamples break until the rest is inductive."""
    name = f"{root}_IndInv"
    for rounds in itertools.count(1):
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return (
                "unknown",
                lemmas,
                module_text(name, root, safety, type_inv, lemmas, inv, preamble),
                rounds - 1,
                "the time ran out",
            )
        text = module_text(name, root, safety, type_inv, lemmas, inv, preamble)
        options = ProveOptions(
            # Many lemmas: one query per action, dropping the lemmas false after its step
            # (each is outside the largest inductive subset); few: one query per lemma.
            per_conjunct=len(lemmas) <= MANY_LEMMAS,
            only_kinds=("IndNext",),
            timeout_ms=0 if left is None else max(1, round(left * 1000)),
        )
        tell(f"Houdini round {rounds}: {len(lemmas)} lemmas")
        result = check_text(text, name, spec, config, libs, options, inv)
        broken = {b for c in result.checks for b in c.broken}
        unknown = [c for c in result.checks if c.verdict == "unknown"]
        fixed = broken - {lemma.name for lemma in lemmas}
        if fixed:
            why = ", ".join(sorted(fixed))
            return "none", lemmas, text, rounds, f"a step from a state of every remaining lemma breaks {why}"
        if unknown:
            return "unknown", lemmas, text, rounds, f"Z3 gave up on {unknown[0].target} ({unknown[0].reason})"
        if not broken:
            final = check_text(text, name, spec, config, libs, ProveOptions(), inv, safety)
            if final.verdict != "proved":
                failed = [f"{c.kind} {c.target}" for c in final.checks if c.verdict != "holds"]
                return "none", lemmas, text, rounds, f"the whole check failed: {', '.join(failed)}"
            return "found", lemmas, text, rounds, ""
        lemmas = [lemma for lemma in lemmas if lemma.name not in broken]
    raise AssertionError  # pragma: no cover


def choose(
    spec: Path,
    root: str,
    safety: str,
    type_inv: str,
    pool: Sequence[Lemma],
    config: Path | None,
    libs: Sequence[Path],
    deadline: float | None,
    tell: Tell,
    inv: str = "IndInv",
    preamble: Sequence[str] = (),
) -> tuple[str, list[Lemma], str, int, str]:
    """From Houdini's inductive set, the lemmas the counterexamples ask for (endive's greedy
    choice): while Safety with the lemmas chosen is not inductive, add the lemma of the pool
    false in the most counterexamples' first states (the fewest literals on a tie). Some
    lemma of the pool is false in each such state when the whole pool is inductive. When it
    is not (a pool too large for Houdini), a counterexample whose first state no candidate
    excludes drops, for good, every candidate and chosen lemma false in its second state:
    a Houdini step on the whole pool, taken on the states Z3 gave."""
    name = f"{root}_IndInv"
    chosen: list[Lemma] = []
    banned: set[str] = set()  # lemmas dropped as not inductive with the others (by text)
    made = 0  # lemmas chosen so far, dropped ones too (each gets a name of its own)
    for rounds in itertools.count(1):
        left = None if deadline is None else deadline - time.monotonic()
        text = module_text(name, root, safety, type_inv, chosen, inv, preamble)
        if left is not None and left <= 0:
            return "unknown", chosen, text, rounds - 1, "the time ran out"
        options = ProveOptions(
            per_conjunct=False,
            only_kinds=("IndNext",),
            timeout_ms=0 if left is None else max(1, round(left * 1000)),
        )
        result = check_text(text, name, spec, config, libs, options, inv)
        if any(c.verdict == "unknown" for c in result.checks):
            return "unknown", chosen, text, rounds, "Z3 gave up on a query"
        firsts = [cti.trace.steps[0].record for cti in result.ctis]
        tell(f"strengthening round {rounds}: {len(chosen)} lemmas, {len(firsts)} counterexamples")
        if not firsts:
            chosen = [
                dataclasses.replace(lemma, name=f"Lemma{n}") if lemma.name.startswith("Lemma") else lemma
                for n, lemma in enumerate(chosen, 1)
            ]
            text = module_text(name, root, safety, type_inv, chosen, inv, preamble)
            final = check_text(text, name, spec, config, libs, ProveOptions(), inv, safety)
            if final.verdict != "proved":
                failed = [f"{c.kind} {c.target}" for c in final.checks if c.verdict != "holds"]
                return "none", chosen, text, rounds, f"the whole check failed: {', '.join(failed)}"
            return "found", chosen, text, rounds, ""
        taken = {lemma.text for lemma in chosen}  # (the chosen are renamed: not by name)
        open_ = [
            lemma
            for lemma in pool
            if lemma.text not in taken and lemma.text not in banned and lemma.clause is not None
        ]
        killers = [[lemma for lemma in open_ if _fails(lemma, state)] for state in firsts]
        # A counterexample whose first state every candidate allows is Houdini's evidence: no
        # inductive set of candidates holds there, so none holds what its step breaks. Those
        # candidates (chosen ones included: a lemma true in the reachable states only, such as
        # a consequence of the small bounds) are dropped for good, and the choice goes on.
        drop_texts: set[str] = set()
        for cti, kill in zip(result.ctis, killers):
            if kill or len(cti.trace.steps) < 2 or cti.left_type:
                continue  # (a state outside the types: the candidates cannot be read there)
            if safety in cti.broken:
                return "none", chosen, text, rounds, f"no candidate eliminates a counterexample to {safety}"
            after = cti.trace.steps[1].record
            drop_texts |= {lemma.text for lemma in chosen if lemma.name in cti.broken}
            false_after = {lemma.text for lemma in open_ if _fails(lemma, after)}
            if len(false_after) < len(open_):  # (all of them: a state the candidates cannot read)
                drop_texts |= false_after
        banned |= drop_texts
        drop = [lemma for lemma in chosen if lemma.text in drop_texts]
        if drop:
            tell("  dropped, not inductive with the candidates: " + "; ".join(f"{x.name} == {x.text}" for x in drop))
            chosen = [lemma for lemma in chosen if lemma not in drop]
            continue
        if drop_texts:
            tell(f"  {len(drop_texts)} candidates dropped, not inductive with the others")
            killers = [[lemma for lemma in kill if lemma.text not in banned] for kill in killers]
        counts = collections.Counter(id(lemma) for kill in killers for lemma in kill)
        best: Lemma | None = None
        best_key = (0, 0)
        for lemma in open_:
            key = (counts[id(lemma)], -len(lemma.clause.literals) if lemma.clause is not None else 0)
            if key[0] and key > best_key:
                best, best_key = lemma, key
        if best is None:
            return "none", chosen, text, rounds, "no candidate eliminates the counterexamples"
        made += 1
        chosen.append(
            dataclasses.replace(
                best,
                name=f"Lemma{made}" if best.name.startswith("Lemma") else best.name,
                ctis=best_key[0],
            )
        )
    raise AssertionError  # pragma: no cover


__all__ = [
    "Atom",
    "Clause",
    "InferResult",
    "Lemma",
    "atoms_of",
    "candidates",
    "infer",
    "module_text",
]

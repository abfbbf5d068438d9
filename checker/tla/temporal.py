"""Temporal formulas: a PROPERTY, and the fairness of a SPECIFICATION, read into what the
engine checks (``checker.model.Temporal`` and ``Fairness``).

A property is split into conjuncts, through definitions, operator applications,
instances (``C!Spec``) and ``\\A x \\in S`` over a constant set (one conjunct per
element, as TLC expands it), and ``P => F`` with P a constant (F where P is TRUE, nothing
where it is FALSE, as TLC evaluates it). Each conjunct is one of

- ``P`` (a state predicate): checked on the initial states;
- ``[]P``: an invariant; ``[][A]_v``: an action property (both checked during the search);
- ``<>P``, ``[]<>P``, ``<>[]P``, ``P ~> Q`` (also written ``[](P => <>Q)``),
  ``[]<><<A>>_v``, ``<>[][A]_v``, ``WF_v(A)``, ``SF_v(A)``: liveness, checked on the
  behaviour graph by ``checker.engine.liveness``;
- anything else: its negation in disjunctive normal form, one liveness property per
  conjunction (``_general``), whose parts ``[]<>P``, ``<>[]P``, ``[]<><<A>>_v``,
  ``<>[][A]_v``, ``WF_v(A)``, ``SF_v(A)`` are checked directly and whose other parts (state
  predicates under ``[]``, ``<>``, ``~>``, ... nested at any depth) form a formula checked
  with a tableau (``_ltl``; ``checker.engine.tableau``), as TLC does.

What TLC rejects is an error with TLC's message: SANY's (``<> followed by action not of
form <<A>>_v.``), actions elsewhere (``Temporal formulas containing actions must be of
forms <>[]A or []<>A.``), and what TLC "cannot handle" (``<=>``, ``CASE``, ``\\AA``, a
quantifier over a set that depends on the state: E752, exit code 255).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from checker.errors import Span, SpecError
from checker.model import IF_EVENTUALLY, Fairness, Ltl, Temporal
from checker.tla import syntax
from checker.tla.compile.code import CodeB, InstanceB, OpB, Scope, const_code
from checker.tla.stdlib import LazySet

Located = tuple[syntax.Expr, Scope]

_TEMPORAL_OPS = frozenset({"[]", "<>", "~>", "-+->", "\\AA", "\\EE"})
_ACTION_OPS = frozenset({"'", "UNCHANGED", "\\cdot"})

SUPPORTED = (
    "tlacheck checks formulas built from state predicates, []<><<A>>_v, <>[][A]_v, WF_v(A) and "
    "SF_v(A) with [], <>, ~>, /\\, \\/, ~, =>, IF and \\A, \\E over a finite constant set"
)


class Compile(Protocol):
    """What the reader needs from the compiler (``checker.tla.model`` provides it)."""

    def state(self, node: syntax.Expr, scope: Scope, what: str) -> Callable[[Any], bool]: ...

    def step(self, node: syntax.Expr, scope: Scope, what: str) -> Callable[[Any, Any], bool]: ...

    def constant(self, node: syntax.Expr, scope: Scope) -> Any: ...

    def instance(self, step: syntax.InstanceStep, b: InstanceB, scope: Scope) -> Scope: ...

    def successors(
        self, action: syntax.Expr, sub: syntax.Expr, scope: Scope, what: str
    ) -> Callable[[Any], set[Any] | None]: ...

    def own_taken(
        self, action: syntax.Expr, sub: syntax.Expr, scope: Scope, what: str
    ) -> Callable[[Any, Any], bool] | None: ...


@dataclasses.dataclass
class PropertyParts:
    """A PROPERTY's conjuncts by how they are checked. Initial predicates and action
    properties carry the name TLC reports them by: the definition's name when the conjunct
    is one (``Init``), else its place (``line 7, col 17 to line 7, col 27 of module M``)."""

    initial: list[tuple[str, syntax.Expr, Scope]] = dataclasses.field(default_factory=list)  # P at the start
    invariants: list[Located] = dataclasses.field(default_factory=list)  # []P
    actions: list[tuple[str, Located, Located]] = dataclasses.field(default_factory=list)  # [][A]_v
    liveness: list[Temporal] = dataclasses.field(default_factory=list)
    unsupported: list[SpecError] = dataclasses.field(default_factory=list)


def read_property(
    node: syntax.Expr, scope: Scope, compile: Compile, name: str, assumptions: Assumptions = None
) -> PropertyParts:
    """A PROPERTY's conjuncts by how they are checked. ``assumptions``: the temporal conjuncts
    of the SPECIFICATION other than fairness (``read_fairness``), which every behaviour
    that violates a liveness conjunct must satisfy too."""
    parts = PropertyParts()
    for label, c, sc in _named_conjuncts(node, scope, compile, None):
        try:
            _classify(c, sc, compile, name, parts, label or place(c), assumptions)
        except SpecError as exc:
            parts.unsupported.append(exc)
    return parts


# The SPECIFICATION's temporal conjuncts other than fairness, as a disjunction of
# conjunctions of atoms (``_dnf``); None when it has none.
Assumptions = list[list["Atom"]] | None


def read_fairness(
    conjuncts_of_spec: list[Located], compile: Compile, spec: str
) -> tuple[list[Fairness], Assumptions]:
    """``WF_v(A)``/``SF_v(A)`` conjuncts of the spec (also under ``\\A p \\in S``), and its
    other temporal conjuncts (``[]<><<A>>_v``, ``<>[]P``, ...): TLC takes them as
    assumptions of every property, and so does tlacheck."""
    out: list[Fairness] = []
    others: list[list[list[Atom]]] = []
    what = f"the specification {spec}"
    for node, sc in conjuncts_of_spec:
        for c, csc in conjuncts(node, sc, compile, once_if_unused=True):
            if isinstance(c, syntax.Fairness):
                out.append(fairness(c, csc, compile, f"the fairness of {spec}"))
            else:
                if isinstance(c, syntax.OpApp) and c.name == "[]":
                    x, xs = unfold(c.args[0], csc, compile)
                    if level(x, xs) <= 1:  # TLC 2.20 rejects an invariant among the spec's conjuncts
                        raise cannot_handle(x)
                try:
                    others.append(_dnf(c, csc, compile, True, what))
                except SpecError as exc:
                    raise SpecError(
                        exc.code, f"SPECIFICATION {spec}: {exc.message}", exc.span or _span(c)
                    ) from None
    if not others:
        return out, None
    return out, _combine(others, True, conjuncts_of_spec[0][0])


def fairness(node: syntax.Fairness, scope: Scope, compile: Compile, what: str) -> Fairness:
    angle = syntax.AngleAction(node.action, node.sub, span=node.span)
    taken = compile.step(angle, scope, what)
    enabled = compile.state(syntax.OpApp("ENABLED", (angle,), span=node.span), scope, what)
    successors = compile.successors(node.action, node.sub, scope, what)
    own = compile.own_taken(node.action, node.sub, scope, what)
    return Fairness(
        node.kind,
        _text(node),
        lambda s, label, t: taken(s, t),
        enabled,
        successors,
        None if own is None else (lambda s, label, t: own(s, t)),
    )


# -- conjuncts ------------------------------------------------------------------------


def unfold(node: syntax.Expr, scope: Scope, compile: Compile, lets: bool = True) -> Located:
    """Through labels, 0-ary definitions, operator applications and instances, to the
    formula itself (in the scope its names mean something in); with ``lets``, through a
    LET too (pushed into the temporal operator below it)."""
    for _ in range(100):
        if isinstance(node, syntax.Label):
            node = node.body
            continue
        if lets and isinstance(node, syntax.Let) and level(node.body, scope) == 3:
            pushed = _push_let(node)
            if pushed is not None:
                node = pushed
                continue
        if isinstance(node, syntax.Name | syntax.OpApp):
            b = scope.lookup(node.name)
            args = node.args if isinstance(node, syntax.OpApp) else ()
            if isinstance(b, OpB) and b.scope is not None and not b.recursive and len(b.params) == len(args):
                scope = _bind(b, args, scope)
                node = b.body
                continue
            return node, scope
        if isinstance(node, syntax.Qualified):
            sc = scope
            for step in node.path:
                inst = sc.lookup(step.name)
                if not isinstance(inst, InstanceB):
                    return node, scope
                sc = compile.instance(step, inst, scope)
            b = sc.lookup(node.name)
            if isinstance(b, OpB) and b.scope is not None and len(b.params) == len(node.args):
                scope = _bind(b, node.args, scope)
                node = b.body
                continue
            return node, scope
        return node, scope
    return node, scope


def _push_let(node: syntax.Let) -> syntax.Expr | None:
    """``LET d IN op(F, G)`` as ``op(LET d IN F, LET d IN G)`` for a temporal or boolean
    ``op`` (the definitions mean the same in each argument), so that the formula's shape
    shows; None when the body is not such an operator."""
    body = node.body
    while isinstance(body, syntax.Label):
        body = body.body

    def wrap(x: syntax.Expr) -> syntax.Expr:
        return syntax.Let(node.defs, x, span=x.span)

    if isinstance(body, syntax.OpApp) and body.name in _PUSHED_THROUGH:
        return syntax.OpApp(body.name, tuple(wrap(a) for a in body.args), span=body.span)
    if isinstance(body, syntax.Junction):
        return syntax.Junction(body.op, tuple(wrap(a) for a in body.items), span=body.span)
    return None


_PUSHED_THROUGH = frozenset({"[]", "<>", "~>", "/\\", "\\/", "~", "=>", "<=>"})


def _bind(b: OpB, args: tuple[syntax.Expr, ...], caller: Scope) -> Scope:
    assert b.scope is not None
    if not b.params:
        return b.scope
    names: dict[str, Any] = {}
    for p, a in zip(b.params, args):
        names[p.name] = OpB("<argument>", (), a, caller, a.span)
    return b.scope.child(names)


def _named_conjuncts(
    node: syntax.Expr, scope: Scope, compile: Compile, label: str | None
) -> list[tuple[str | None, syntax.Expr, Scope]]:
    """As ``conjuncts``, each with the name of the definition it was reached through."""
    if isinstance(node, syntax.Name) or (isinstance(node, syntax.Qualified) and not node.args):
        label = node.name
    # Not through a LET: TLC reads ``LET d IN []P`` as a temporal formula, not an invariant.
    node, scope = unfold(node, scope, compile, lets=False)
    items: tuple[syntax.Expr, ...] = ()
    if isinstance(node, syntax.Junction) and node.op == "/\\":
        items = node.items
    elif isinstance(node, syntax.OpApp) and node.name == "/\\" and len(node.args) == 2:
        items = node.args
    if items:
        return [c for x in items for c in _named_conjuncts(x, scope, compile, None)]
    guarded = _constant_guard(node, scope, compile)
    if guarded is not None:
        holds, formula = guarded
        return _named_conjuncts(formula, scope, compile, label) if holds else []
    if isinstance(node, syntax.Quant) and node.kind == "\\A" and level(node.body, scope) == 3:
        try:
            scopes = _expand(node, scope, compile)
        except SpecError:
            return [(label, node, scope)]  # the error is reported for this conjunct
        return [(None, c, sc) for bound in scopes for c, sc in conjuncts(node.body, bound, compile)]
    return [(label, node, scope)]


def _constant_guard(node: syntax.Expr, scope: Scope, compile: Compile) -> tuple[bool, syntax.Expr] | None:
    """The value of ``P``, and F, in ``P => F`` when P is a constant and F a temporal formula, as
    in ``\\A i, j \\in S : (i # j) => WF_v(A(i, j))`` (Specifying Systems' InnerSerial):
    TLC evaluates P, so the conjunct is F or nothing. None: not of that form."""
    if not (isinstance(node, syntax.OpApp) and node.name == "=>" and len(node.args) == 2):
        return None
    if level(node.args[1], scope) < 3:
        return None
    try:
        value = compile.constant(node.args[0], scope)
    except SpecError:
        return None  # not a constant: the formula is left whole (and is not supported)
    return (value, node.args[1]) if isinstance(value, bool) else None


def place(node: syntax.Expr) -> str:
    """TLC's name for an unnamed formula: its place in the source. In a module written after
    the first one of its file, SANY counts the lines from that module's header and names it."""
    sp = node.span
    if sp.line <= 0:
        return type(node).__name__
    module, first = Path(sp.file).stem, 1
    later = [(line, name) for line, name in _module_headers(sp.file)[1:] if line <= sp.line]
    if later:
        first, module = later[-1]
    line, end = sp.line - first + 1, sp.end_line - first + 1
    return f"line {line}, col {sp.col} to line {end}, col {sp.end_col - 1} of module {module}"


@functools.lru_cache(maxsize=64)
def _module_headers(file: str) -> tuple[tuple[int, str], ...]:
    """The line and the name of each module header of a file."""
    from checker.tla.resolve import _MODULE_HEADER

    try:
        text = Path(file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    return tuple((text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _MODULE_HEADER.finditer(text))


def conjuncts(node: syntax.Expr, scope: Scope, compile: Compile, once_if_unused: bool = False) -> list[Located]:
    """The conjuncts of a temporal formula, ``\\A x \\in S`` expanded. ``once_if_unused``: a
    quantifier whose body does not mention its variables gives its body once (for fairness,
    where ``\\A c \\in Cars : WF_vars(EnterBridge)`` is one condition, not one per car)."""
    node, scope = unfold(node, scope, compile)
    guarded = _constant_guard(node, scope, compile)
    if guarded is not None:
        holds, formula = guarded
        return conjuncts(formula, scope, compile, once_if_unused) if holds else []
    if isinstance(node, syntax.Junction) and node.op == "/\\":
        return [c for x in node.items for c in conjuncts(x, scope, compile, once_if_unused)]
    if isinstance(node, syntax.OpApp) and node.name == "/\\" and len(node.args) == 2:
        return [c for x in node.args for c in conjuncts(x, scope, compile, once_if_unused)]
    if isinstance(node, syntax.Quant) and node.kind == "\\A" and level(node.body, scope) == 3:
        out: list[Located] = []
        scopes = _expand(node, scope, compile)
        if once_if_unused and scopes and not _mentions(node.body, {n for b in node.bounds for n in b.names}):
            scopes = scopes[:1]
        for bound_scope in scopes:
            out.extend(conjuncts(node.body, bound_scope, compile, once_if_unused))
        return out
    return [(node, scope)]


def _mentions(node: syntax.Expr, names: set[str]) -> bool:
    """Whether a name in ``names`` occurs anywhere in ``node`` (bound again or not)."""
    for x in syntax.walk(node):
        if getattr(x, "name", None) in names:
            return True
        if any(n in names for n in getattr(x, "names", ()) or ()):
            return True
    return False


def _expand(node: syntax.Quant, scope: Scope, compile: Compile) -> list[Scope]:
    """One scope per element of ``\\A x \\in S, y \\in T``: S and T must be constant."""
    names: list[str] = []
    domains: list[list[Any]] = []
    for b in node.bounds:
        if b.tuple_pattern:
            raise _unsupported(node, "a tuple pattern in \\A over a temporal formula")
        try:
            values = compile.constant(b.domain, scope)
        except SpecError as exc:
            if exc.code != "E751":
                raise
            raise cannot_handle(node) from None  # a set that depends on the state: TLC's error too
        if isinstance(values, LazySet) and not values.infinite:
            values = frozenset(values.elements())  # `[proc : Proc, idx : Nat]` with `Nat <- 0..2`
        if not isinstance(values, frozenset):
            raise SpecError(
                "E751", "\\A over a temporal formula needs a finite constant set", _span(b.domain)
            )
        ordered = sorted(values, key=_order)
        for n in b.names:
            names.append(n)
            domains.append(ordered)
    out = []
    for combo in itertools.product(*domains):
        out.append(scope.child({n: CodeB(const_code(v)) for n, v in zip(names, combo)}))
    return out


def _order(v: Any) -> Any:
    from checker.values import value_key

    return value_key(v)


# -- levels ------------------------------------------------------------------------------


def level(node: Any, scope: Scope, visiting: frozenset[int] = frozenset()) -> int:
    """0/1 constant or state, 2 action, 3 temporal (as TLA+'s levels, roughly): the highest
    operator in ``node`` or in the definitions it uses. ``ENABLED A`` is a state predicate."""
    if isinstance(node, syntax.Fairness):
        return 3
    if isinstance(node, syntax.QuantUnbounded) and node.kind in ("\\AA", "\\EE"):
        return 3
    if isinstance(node, syntax.BoxAction | syntax.AngleAction):
        return max(2, level(node.action, scope, visiting))
    if isinstance(node, syntax.OpApp | syntax.Name):
        if isinstance(node, syntax.OpApp):
            if node.name in _TEMPORAL_OPS:
                return 3
            if node.name in _ACTION_OPS:
                return max(2, max((level(a, scope, visiting) for a in node.args), default=0))
            if node.name == "ENABLED":
                return 1
        b = scope.lookup(node.name)
        found = 0
        if isinstance(b, OpB) and b.scope is not None and id(b) not in visiting:
            found = level(b.body, b.scope, visiting | {id(b)})
        if isinstance(node, syntax.OpApp):
            found = max([found] + [level(a, scope, visiting) for a in node.args])
        return found
    if isinstance(node, syntax.Qualified):
        return 2 if any(level(a, scope, visiting) >= 2 for a in node.args) else 1
    found = 0
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            if f.name == "span":
                continue
            v = getattr(node, f.name)
            for x in v if isinstance(v, tuple) else (v,):
                if dataclasses.is_dataclass(x) and not isinstance(x, type):
                    found = max(found, level(x, scope, visiting))
                    if found == 3:
                        return 3
    return found


def _level_of(node: syntax.Expr, scope: Scope, compile: Compile) -> int:
    n, sc = unfold(node, scope, compile)
    if isinstance(n, syntax.Qualified):
        return 3  # an instance's definition we could not unfold: treat as a formula
    return level(n, sc)


# -- one conjunct ------------------------------------------------------------------------


def _classify(
    c: syntax.Expr,
    sc: Scope,
    compile: Compile,
    name: str,
    parts: PropertyParts,
    label: str,
    assumptions: Assumptions = None,
) -> None:
    what = f"the property {name}"
    lv = level(c, sc)
    if lv <= 1:
        parts.initial.append((label, c, sc))
        return
    if lv == 2:
        raise SpecError(
            "E751", "Action used where only temporal formula or state predicate allowed.", _span(c)
        )
    if isinstance(c, syntax.Let) or (assumptions is not None and not _safety(c, sc, compile)):
        # With assumptions, every liveness conjunct goes through the normal form (whose
        # terms carry the assumptions); the fast forms below have no place for them.
        parts.liveness.extend(_general(c, sc, compile, what, assumptions))
        return
    if isinstance(c, syntax.Fairness):
        parts.liveness.append(_fairness_property(c, sc, compile, what))
        return
    if isinstance(c, syntax.OpApp) and c.name == "[]":
        x, xs = unfold(c.args[0], sc, compile)
        if isinstance(x, syntax.BoxAction):
            parts.actions.append((label, (x.action, xs), (x.sub, xs)))
            return
        xl = level(x, xs)
        if xl <= 1:
            parts.invariants.append((x, xs))
            return
        if xl == 2:
            raise SpecError("E751", "[] followed by action not of form [A]_v.", _span(c))
        if isinstance(x, syntax.OpApp) and x.name == "<>":
            y, ys = unfold(x.args[0], xs, compile)
            if isinstance(y, syntax.AngleAction):
                a = compile.step(y, ys, what)
                parts.liveness.append(Temporal("[]<><<A>>_v", step_ok=lambda s, label, t: not a(s, t)))
                return
            if level(y, ys) <= 1:
                p = compile.state(y, ys, what)
                parts.liveness.append(Temporal("[]<>P", trigger=_negate(p), region=_negate(p)))
                return
            if level(y, ys) == 2:
                raise SpecError("E751", "<> followed by action not of form <<A>>_v.", _span(x))
        leads = _implies_eventually(x, xs, compile)
        if leads is not None:
            (p_node, p_scope), (q_node, q_scope) = leads
            parts.liveness.append(_leads_to(p_node, p_scope, q_node, q_scope, compile, what))
            return
        parts.liveness.extend(_general(c, sc, compile, what))
        return
    if isinstance(c, syntax.OpApp) and c.name == "<>":
        x, xs = unfold(c.args[0], sc, compile)
        xl = level(x, xs)
        if xl <= 1:
            p = compile.state(x, xs, what)
            parts.liveness.append(Temporal("<>P", trigger=_negate(p), from_init=True, region=_negate(p)))
            return
        if isinstance(x, syntax.AngleAction):
            raise SpecError(
                "E751", "Temporal formulas containing actions must be of forms <>[]A or []<>A.", _span(c)
            )
        if xl == 2:
            raise SpecError("E751", "<> followed by action not of form <<A>>_v.", _span(c))
        if isinstance(x, syntax.OpApp) and x.name == "[]":
            y, ys = unfold(x.args[0], xs, compile)
            if isinstance(y, syntax.BoxAction):
                a = compile.step(y, ys, what)
                parts.liveness.append(Temporal("<>[][A]_v", recur_steps=(lambda s, label, t: not a(s, t),)))
                return
            if level(y, ys) <= 1:
                p = compile.state(y, ys, what)
                parts.liveness.append(Temporal("<>[]P", recur_states=(_negate(p),)))
                return
            if level(y, ys) == 2:
                raise SpecError("E751", "[] followed by action not of form [A]_v.", _span(x))
        parts.liveness.extend(_general(c, sc, compile, what))
        return
    if isinstance(c, syntax.If) and level(c.cond, sc) <= 1:
        branches = [_eventually(x, sc, compile) for x in (c.then, c.else_)]
        if all(b is not None for b in branches):
            # IF C THEN <>P ELSE <>Q, C read in the initial state: <>P from the initial states
            # where C holds, <>Q from the others (TLC's tableau gives the same).
            cond = compile.state(c.cond, sc, what)
            for b, when in zip(branches, (cond, _negate(cond))):
                assert b is not None
                p = compile.state(*b, what)
                parts.liveness.append(
                    Temporal(IF_EVENTUALLY, trigger=_both(when, _negate(p)), from_init=True, region=_negate(p))
                )
            return
    if isinstance(c, syntax.OpApp) and c.name == "~>":
        (p_node, p_scope), (q_node, q_scope) = (unfold(a, sc, compile) for a in c.args)
        if level(p_node, p_scope) == 2 or level(q_node, q_scope) == 2:
            raise SpecError(
                "E751", "Action used where only temporal formula or state predicate allowed.", _span(c)
            )
        if level(p_node, p_scope) <= 1 and level(q_node, q_scope) <= 1:
            parts.liveness.append(_leads_to(p_node, p_scope, q_node, q_scope, compile, what))
            return
    parts.liveness.extend(_general(c, sc, compile, what))


# -- combinations: the negation in disjunctive normal form ------------------------------
#
# TLC negates a property and splits the negation into a disjunction of "possible error
# models", each a conjunction of <>[]S, []<>S, <>[][A]_v and []<><<A>>_v (Manna-Pnueli's
# tableau specialised to these forms; TLC's Liveness.java). Each conjunction is exactly
# what ``Temporal`` describes (a tail in a region, through allowed steps, visiting some
# states and steps infinitely often), so each becomes one liveness property: the formula
# holds when none of them has a fair behaviour.

# ("region" | "recur", P), ("step_ok" | "recur_step", A), or ("tableau", F): the rest.
Atom = tuple[str, Any]
_MAX_TERMS = 64


def _safety(c: syntax.Expr, sc: Scope, compile: Compile) -> bool:
    """Whether ``c`` is ``[]P`` (P a state predicate) or ``[][A]_v``: checked during the search."""
    if not (isinstance(c, syntax.OpApp) and c.name == "[]"):
        return False
    x, xs = unfold(c.args[0], sc, compile)
    return isinstance(x, syntax.BoxAction) or level(x, xs) <= 1


def _general(
    c: syntax.Expr, sc: Scope, compile: Compile, what: str, assumptions: Assumptions = None
) -> list[Temporal]:
    """The conjunct ``c`` by its negation's normal form (E751 for forms outside it), each
    term conjoined with each of the ``assumptions``' terms."""
    try:
        terms = _dnf(c, sc, compile, False, what)
        if assumptions is not None:
            terms = _combine([terms, assumptions], True, c)
    except SpecError as exc:
        if not exc.message.startswith("this temporal formula is not supported: tlacheck"):
            raise
        raise _unsupported(c, "this temporal formula") from None  # at the whole formula
    out: list[Temporal] = []
    for term in terms:
        regions = [p for kind, p in term if kind == "region"]
        steps = [a for kind, a in term if kind == "step_ok"]
        rest = [f for kind, f in term if kind == "tableau"]
        out.append(
            Temporal(
                "tableau",
                region=_all_states(regions) if regions else None,
                step_ok=_all_steps(steps) if steps else None,
                recur_states=tuple(p for kind, p in term if kind == "recur"),
                recur_steps=tuple(a for kind, a in term if kind == "recur_step"),
                tableau=(rest[0] if len(rest) == 1 else Ltl("and", tuple(rest))) if rest else None,
            )
        )
    return out


def _all_states(ps: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    if len(ps) == 1:
        return ps[0]
    return lambda s: all(p(s) for p in ps)


def _all_steps(As: list[Callable[..., bool]]) -> Callable[[Any, Any, Any], bool]:
    if len(As) == 1:
        return As[0]
    return lambda s, label, t: all(a(s, label, t) for a in As)


def _combine(parts: list[list[list[Atom]]], conjunction: bool, node: syntax.Expr) -> list[list[Atom]]:
    if not conjunction:
        return [term for p in parts for term in p]
    out: list[list[Atom]] = [[]]
    for p in parts:
        out = [a + b for a in out for b in p]
        if len(out) > _MAX_TERMS:
            raise SpecError(
                "E751",
                f"this temporal formula is not supported: its negation has more than {_MAX_TERMS} "
                "cases (split the property)",
                _span(node),
            )
    return out


def _junction(node: syntax.Expr) -> tuple[tuple[syntax.Expr, ...], str]:
    """The parts and the operator (``/\\`` or ``\\/``) of a conjunction or disjunction, else ((), "")."""
    if isinstance(node, syntax.Junction):
        return node.items, node.op
    if isinstance(node, syntax.OpApp) and node.name in ("/\\", "\\/") and len(node.args) == 2:
        return node.args, node.name
    return (), ""


def _dnf(node: syntax.Expr, scope: Scope, compile: Compile, positive: bool, what: str) -> list[list[Atom]]:
    """``node`` (``positive``) or its negation as a disjunction of conjunctions of atoms."""
    node, scope = unfold(node, scope, compile)
    items, op = _junction(node)
    if items:
        parts = [_dnf(x, scope, compile, positive, what) for x in items]
        return _combine(parts, (op == "/\\") == positive, node)
    if isinstance(node, syntax.OpApp) and node.name == "~" and len(node.args) == 1:
        return _dnf(node.args[0], scope, compile, not positive, what)
    if isinstance(node, syntax.OpApp) and node.name == "=>" and len(node.args) == 2:
        # A => B is ~A \/ B.
        parts = [_dnf(node.args[0], scope, compile, not positive, what), _dnf(node.args[1], scope, compile, positive, what)]
        return _combine(parts, not positive, node)
    if isinstance(node, syntax.Quant) and level(node.body, scope) == 3:
        parts = [_dnf(node.body, bound, compile, positive, what) for bound in _expand(node, scope, compile)]
        return _combine(parts, (node.kind == "\\A") == positive, node)
    if isinstance(node, syntax.Fairness):
        f = fairness(node, scope, compile, what)
        taken, enabled = f.taken, f.enabled
        assert enabled is not None
        not_taken = _negate_step(taken)
        if node.kind == "WF":  # []<>~ENABLED <<A>>_v \/ []<><<A>>_v
            if positive:
                return [[("recur", _negate(enabled))], [("recur_step", taken)]]
            return [[("region", enabled), ("step_ok", not_taken)]]
        if positive:  # SF: <>[]~ENABLED <<A>>_v \/ []<><<A>>_v
            return [[("region", _negate(enabled))], [("recur_step", taken)]]
        return [[("recur", enabled), ("step_ok", not_taken)]]
    if isinstance(node, syntax.OpApp) and node.name in ("[]", "<>") and len(node.args) == 1:
        inner, iscope = unfold(node.args[0], scope, compile)
        other = "<>" if node.name == "[]" else "[]"
        if isinstance(inner, syntax.OpApp) and inner.name == other and len(inner.args) == 1:
            x, xs = unfold(inner.args[0], iscope, compile)
            always_eventually = node.name == "[]"
            if level(x, xs) <= 1:
                p = compile.state(x, xs, what)
                if always_eventually:  # []<>P, negated <>[]~P
                    return [[("recur", p)]] if positive else [[("region", _negate(p))]]
                return [[("region", p)]] if positive else [[("recur", _negate(p))]]  # <>[]P
            if always_eventually and isinstance(x, syntax.AngleAction):
                a = _step(compile.step(x, xs, what))
                return [[("recur_step", a)]] if positive else [[("step_ok", _negate_step(a))]]
            if not always_eventually and isinstance(x, syntax.BoxAction):
                a = _step(compile.step(x, xs, what))
                return [[("step_ok", a)]] if positive else [[("recur_step", _negate_step(a))]]
    return [[("tableau", _ltl(node, scope, compile, positive, what, {}))]]


# -- the rest: a formula over state predicates, for the tableau ---------------------------

_ACTIONS_MESSAGE = "Temporal formulas containing actions must be of forms <>[]A or []<>A."


def _ltl(
    node: syntax.Expr,
    scope: Scope,
    compile: Compile,
    positive: bool,
    what: str,
    atoms: dict[tuple[int, int], tuple[syntax.Expr, Scope, Callable[[Any], bool]]],
) -> Ltl:
    """``node`` (``positive``) or its negation in negation normal form, its state
    predicates compiled (once each: ``atoms``). Actions are TLC's error."""

    def sub(x: syntax.Expr, sc: Scope, pos: bool) -> Ltl:
        return _ltl(x, sc, compile, pos, what, atoms)

    def junction(conj: bool, parts: list[Ltl]) -> Ltl:
        return Ltl("and" if conj else "or", tuple(parts))

    node, scope = unfold(node, scope, compile)
    lv = level(node, scope)
    if lv <= 1:
        # By identity, the entry holding node and scope: a scope of _expand's is freed once
        # the formula is built, and another made at its address must not find this entry.
        key = (id(node), id(scope))
        hit = atoms.get(key)
        if hit is not None and hit[0] is node and hit[1] is scope:
            pred = hit[2]
        else:
            pred = compile.state(node, scope, what)
            atoms[key] = (node, scope, pred)
        return Ltl("state", pred=pred, positive=positive)
    if lv == 2 or isinstance(node, syntax.Fairness | syntax.BoxAction | syntax.AngleAction):
        raise SpecError("E751", _ACTIONS_MESSAGE, _span(node))
    items, op = _junction(node)
    if items:
        return junction((op == "/\\") == positive, [sub(x, scope, positive) for x in items])
    if isinstance(node, syntax.OpApp) and len(node.args) == 1 and node.name in ("~", "[]", "<>"):
        x = node.args[0]
        if node.name == "~":
            return sub(x, scope, not positive)
        always = (node.name == "[]") == positive
        return Ltl("always" if always else "eventually", (sub(x, scope, positive),))
    if isinstance(node, syntax.OpApp) and len(node.args) == 2 and node.name in ("=>", "~>"):
        a, b = node.args
        if node.name == "=>":  # ~A \/ B
            return junction(not positive, [sub(a, scope, not positive), sub(b, scope, positive)])
        # A ~> B is [](~A \/ <>B)
        later = Ltl("eventually" if positive else "always", (sub(b, scope, positive),))
        inner = junction(not positive, [sub(a, scope, not positive), later])
        return Ltl("always" if positive else "eventually", (inner,))
    if isinstance(node, syntax.If) and level(node.cond, scope) <= 1:
        # IF C THEN A ELSE B: (C /\ A) \/ (~C /\ B), C read where the formula is.
        return junction(
            False,
            [
                junction(True, [sub(node.cond, scope, True), sub(node.then, scope, positive)]),
                junction(True, [sub(node.cond, scope, False), sub(node.else_, scope, positive)]),
            ],
        )
    if isinstance(node, syntax.Quant):
        bound = _expand(node, scope, compile)
        return junction((node.kind == "\\A") == positive, [sub(node.body, sc, positive) for sc in bound])
    # <=>, CASE, \AA, \EE, -+-> over temporal formulas: TLC 2.20 rejects them too.
    raise cannot_handle(node)


def cannot_handle(node: syntax.Expr, detail: str = "") -> SpecError:
    """TLC's error for a temporal formula outside what its tableau reads (exit 255)."""
    return SpecError("E752", f"TLC cannot handle the temporal formula {place(node)}{detail}", _span(node))


def _step(a: Callable[[Any, Any], bool]) -> Callable[[Any, Any, Any], bool]:
    return lambda s, label, t: a(s, t)


def _negate_step(a: Callable[[Any, Any, Any], bool]) -> Callable[[Any, Any, Any], bool]:
    return lambda s, label, t: not a(s, label, t)


def _eventually(x: syntax.Expr, xs: Scope, compile: Compile) -> Located | None:
    """``P`` of ``<>P`` (P a state predicate), else None."""
    x, xs = unfold(x, xs, compile)
    if isinstance(x, syntax.OpApp) and x.name == "<>" and len(x.args) == 1:
        y, ys = unfold(x.args[0], xs, compile)
        if level(y, ys) <= 1:
            return y, ys
    return None


def _both(p: Callable[[Any], bool], q: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda s: p(s) and q(s)


def _implies_eventually(x: syntax.Expr, xs: Scope, compile: Compile) -> tuple[Located, Located] | None:
    """``P => <>Q`` (the body of ``[](P => <>Q)``, which is ``P ~> Q``)."""
    if isinstance(x, syntax.OpApp) and x.name == "=>" and len(x.args) == 2:
        p, ps = unfold(x.args[0], xs, compile)
        q, qs = unfold(x.args[1], xs, compile)
        if isinstance(q, syntax.OpApp) and q.name == "<>" and level(p, ps) <= 1:
            q2, q2s = unfold(q.args[0], qs, compile)
            if level(q2, q2s) <= 1:
                return (p, ps), (q2, q2s)
    return None


def _leads_to(
    p_node: syntax.Expr, p_scope: Scope, q_node: syntax.Expr, q_scope: Scope, compile: Compile, what: str
) -> Temporal:
    p = compile.state(p_node, p_scope, what)
    q = compile.state(q_node, q_scope, what)
    return Temporal("P ~> Q", trigger=lambda s: p(s) and not q(s), region=_negate(q))


def _fairness_property(c: syntax.Fairness, sc: Scope, compile: Compile, what: str) -> Temporal:
    """``WF_v(A)`` as a property: violated by a fair behaviour in which A stays enabled and
    is never taken (WF), or is enabled infinitely often and never taken (SF)."""
    f = fairness(c, sc, compile, what)
    taken, enabled = f.taken, f.enabled
    assert enabled is not None
    if c.kind == "WF":
        return Temporal("WF_v(A)", region=enabled, step_ok=lambda s, label, t: not taken(s, label, t))
    return Temporal("SF_v(A)", recur_states=(enabled,), step_ok=lambda s, label, t: not taken(s, label, t))


def _negate(p: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda s: not p(s)


def _span(node: Any) -> Span | None:
    sp = getattr(node, "span", None)
    return sp if sp is not None and sp.line > 0 else None


def _text(node: syntax.Expr) -> str:
    from checker.tla.printer import print_expr

    try:
        return print_expr(node)
    except Exception:  # printing is for messages only
        return type(node).__name__


def _unsupported(node: Any, what: str) -> SpecError:
    return SpecError("E751", f"{what} is not supported: {SUPPORTED}", _span(node))

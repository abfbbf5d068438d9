"""The vocabulary shared by the TLA+ compiler's modules.

The frame. ``e[0]`` is the current state (a tuple in variable order), ``e[1]``
the next state being built (a list, :data:`UNSET` where not yet assigned), ``e[2]``
the label of the action being enumerated, ``e[3]`` the list that collects
successors; slots from :data:`FIRST_SLOT` hold bound variables (quantifiers,
LET definitions, operator parameters, ``@``). Slots are numbered at compile
time by nesting depth, so a frame is one list allocated per evaluation.

Here too: :class:`Code` (a compiled expression), the bindings a name can have,
:class:`Scope` and :class:`Ctx`, action labels, and the small helpers that the
expression compiler (``checker.tla.compile``), the binders
(``checker.tla.binders``) and the actions (``checker.tla.actions``) share.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from checker.errors import Span, SpecError
from checker.tla import stdlib as lib
from checker.tla import syntax
from checker.tla.builtins import BUILTINS
from checker.tla.stdlib import EvalError
from checker.values import Fn, ModelValue, SortedSets, Value, sorted_values

Frame = list[Any]
Fn1 = Callable[[Frame], Value]
Runner = Callable[[Frame], None]

STATE, NEXT, LABEL, OUT = 0, 1, 2, 3
FIRST_SLOT = 4


class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
"""A primed variable not yet assigned; also a lazy slot not yet evaluated."""


# ---------------------------------------------------------------------------
# Errors


@dataclasses.dataclass(frozen=True, slots=True)
class Where:
    """A span and the operators it was inlined through (innermost first), fixed at compile time.

    Operators are inlined, so the operator stack of a runtime error is known when
    the failing expression is compiled: recording it here costs nothing at run time.
    """

    span: Span
    stack: tuple[tuple[str, Span], ...] = ()
    line: int = 0  # so that a Where can stand where a Span is tested for ``line > 0``


Loc = Span | Where
"""Where something is: a plain span, or a span with its operator stack."""


def located(exc: BaseException, span: Span | Where | None, what: str = "") -> EvalError:
    """``exc`` as an :class:`EvalError` that knows where it happened (innermost span wins)."""
    if isinstance(exc, EvalError):
        err = exc
    elif isinstance(exc, RecursionError):
        err = EvalError("The evaluation recursed too deeply (a RECURSIVE operator without a base case?).")
    else:
        err = EvalError(f"TLC cannot evaluate this expression: {type(exc).__name__}: {exc}")
    if isinstance(span, Where):
        if err.span is None and span.span.line > 0:
            err.span = span.span
            for name, site in span.stack:
                err.add_frame(name, site)
        return err
    if err.span is None and span is not None and span.line > 0:
        err.span = _plain_span(span)
    return err


# ---------------------------------------------------------------------------
# Compiled expressions and bindings


NO_SLOT = 1 << 30


@dataclasses.dataclass(frozen=True, slots=True)
class Code:
    r"""A compiled expression and what it depends on.

    ``state``: it reads the state, the next state or has effects (the default,
    the safe assumption); ``min_slot``: the lowest frame slot it reads. With
    neither it is ``const`` and ``value`` holds its value. Slots bound outside a
    binder are always numbered below the binder's own, so a binder whose body
    reads no state and no slot below the binder's depth is constant too (as
    ``{Q \in SUBSET A : Cardinality(Q) = 2}``), and is evaluated once.
    """

    fn: Fn1
    const: bool = False
    value: Value = None  # when const
    state: bool = True
    min_slot: int = NO_SLOT
    # A plain access the closures of = can inline: ("slot", k) or ("field", k, name) for e[k].name.
    shape: tuple[Any, ...] | None = None
    nxt: bool = True  # it may read the next state (primed variables): never memoised per state
    # What the node computes from its parts, for checker.tla.fuse: (kind, parts..., slow helpers).
    gen: Any = None

    def _replace_gen(self, gen: tuple[Any, ...]) -> Code:
        return self if self.const else dataclasses.replace(self, gen=gen)


def const_code(v: Value) -> Code:
    return Code(lambda e: v, True, v, False, NO_SLOT, None, False)


def slot_code(fn: Fn1, slot: int) -> Code:
    return Code(fn, False, None, False, slot, ("slot", slot), False, ("slot", slot))


class MemoCache:
    """Values of state-level operator applications for the state being examined.

    ``VotedForIn(a, v, b)`` is asked for many times while the invariants of one
    state are checked; TLC recomputes it each time, we compute it once per state
    and arguments. The table is cleared when another state comes (held by
    reference, so a state's identity is never reused while it is cached).
    """

    __slots__ = ("state", "table")

    def __init__(self) -> None:
        self.state: Any = None
        self.table: dict[Any, Value] = {}


class LastingMemo:
    """Values of one state-level operator's applications kept across states
    (``Compiler.memo_lasting``): a table per tuple of values of the variables it reads, found
    by their ids (one id where it reads one variable), which ``held`` holds by the same key
    (so an id is not reused while its table is there). ``made`` tables since the explored
    state ``start`` decide, once (``trial``), whether it stays ``on``."""

    __slots__ = ("held", "made", "on", "start", "tables", "trial")

    def __init__(self) -> None:
        self.tables: dict[Any, dict[Any, Any]] = {}
        self.held: dict[Any, tuple[Value, ...]] = {}
        self.on = self.trial = True
        self.made = 0
        self.start = -1

    def table_for(
        self, state: Any, reads: tuple[int, ...], explored: int, limit: int, trial: int,
        projs: tuple[Projection | None, ...] | None = None,
    ) -> dict[Any, Any]:
        """The table for the values of the variables ``reads`` in ``state`` (or the parts of
        them that ``projs`` give, where not None), made where new (all forgotten at once past
        ``limit`` tables). Once ``trial`` states have been explored (``explored``, the
        search's count) since the first table, it is given up (``on`` False, the tables
        forgotten) where a new table was made at most of them: the values seldom recur."""
        tables = self.tables
        if projs is None:
            values = tuple([state[i] for i in reads])
        else:
            values = tuple([state[i] if p is None else p(state[i]) for i, p in zip(reads, projs)])
        ids = id(values[0]) if len(values) == 1 else tuple([id(x) for x in values])
        t = tables.get(ids)
        if t is not None:
            return t
        if len(tables) >= limit:
            tables.clear()
            self.held.clear()
        t = tables[ids] = {}
        self.held[ids] = values
        if self.start < 0:
            self.start = explored
        self.made += 1
        spent = explored - self.start
        if self.trial and spent >= trial:
            self.trial = False
            if 2 * self.made > spent:  # a new table at most states: given up
                self.on = False
                tables.clear()
                self.held.clear()
        return t


class KeptMemo(LastingMemo):
    """What an action computes kept across states (``Compiler.kept``): a ``LastingMemo`` whose
    first calls are counted (``trying``), then ``on`` where enough of them were found."""

    __slots__ = ("calls", "hits", "trying")

    def __init__(self) -> None:
        super().__init__()
        self.on = False
        self.trying = True
        self.calls = self.hits = 0


class StepMemo:
    """Values of primed definitions without arguments for the step (state, next state) being
    checked (``Compiler.per_step``); cleared when another step comes, holding both states by
    reference as ``MemoCache`` holds its state."""

    __slots__ = ("next", "state", "table")

    def __init__(self) -> None:
        self.state: Any = None
        self.next: Any = None
        self.table: dict[int, Value] = {}


@dataclasses.dataclass(frozen=True, slots=True)
class VarB:
    index: int
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class SlotB:
    slot: int


@dataclasses.dataclass(frozen=True, slots=True)
class CodeB:
    """A name bound to compiled code (a substituted argument, a constant)."""

    code: Code


@dataclasses.dataclass(frozen=True, slots=True)
class LazyB:
    """An operator argument (or a 0-ary LET definition) evaluated on first use, cached in
    ``slot``; ``source`` is its text in its scope, for passing it on by name to a parameter
    that is primed (``LET s == q[i] IN Drop(s)``: TLC substitutes ``q[i]``)."""

    slot: int
    arg: Code
    source: NameB | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class NameB:
    """An operator argument passed by name, as TLC passes them: the argument's text,
    compiled where the parameter is used, in the caller's scope and in the context of
    the use (so ``q' = Tail(q)`` with ``Lose(msgQ)`` primes and assigns ``msgQ``).

    Used where it can differ from passing the value (see ``Compiler.bind_params``);
    ``calls`` is how many operators were being inlined at the call, so that the
    argument is compiled as the caller sees it.
    """

    expr: syntax.Expr
    scope: Scope
    at_slot: int
    calls: int


@dataclasses.dataclass(eq=False, slots=True)
class OpB:
    """A user operator (or LAMBDA): inlined where applied, in its own scope."""

    name: str
    params: tuple[syntax.Decl, ...]
    body: syntax.Expr
    scope: Scope | None  # the scope of its definition (filled in for module definitions)
    span: Span
    recursive: bool = False
    # For RECURSIVE operators: the compiled body, built once (own frame per call).
    compiled: Any = None
    nslots: int = 0
    module_level: bool = False  # a definition of a module (not a LET, an argument or a LAMBDA)


@dataclasses.dataclass(eq=False, slots=True)
class FnDefB:
    """``f[x \\in S] == body``: a function value, built once when constant."""

    node: syntax.FnDef
    scope: Scope | None
    cache: Any = None
    building: bool = False


@dataclasses.dataclass(eq=False, slots=True)
class InstanceB:
    """``N == INSTANCE M WITH ...`` or ``N(x) == INSTANCE M``: a scope reached with ``N!``."""

    name: str
    params: tuple[syntax.Decl, ...]
    build: Callable[[tuple[Any, ...]], Scope]


@dataclasses.dataclass(frozen=True, slots=True)
class BuiltinB:
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class MappedVarB:
    """A VARIABLE of an instanced module substituted by an expression that is not a variable
    (EWD840's ``TD == INSTANCE SyncTerminationDetection``: terminationDetected is a definition).

    Everywhere it is its substitute (``Scope.lookup`` returns ``inner``), but inside ENABLED,
    primed, it is a variable of its own, numbered ``index`` past the state's variables: TLC 2.20
    computes ENABLED of an instanced action before substituting (``Tool.enabled`` takes the
    instance's variable for a primed one), so ``terminationDetected' = TRUE`` assigns it.
    """

    name: str
    inner: Binding
    index: int


Binding = VarB | SlotB | CodeB | LazyB | NameB | OpB | FnDefB | InstanceB | BuiltinB | MappedVarB


class Scope:
    """Names visible at a point: a chain of dicts, searched innermost first (compile time only)."""

    __slots__ = ("names", "parent")

    def __init__(self, names: dict[str, Binding], parent: Scope | None = None) -> None:
        self.names = names
        self.parent = parent

    def lookup(self, name: str) -> Binding | None:
        s: Scope | None = self
        while s is not None:
            b = s.names.get(name)
            if b is not None:
                return b.inner if isinstance(b, MappedVarB) else b
            s = s.parent
        return None

    def mapped(self, name: str) -> MappedVarB | None:
        """The instance variable ``name`` stands for, if it is one substituted by an expression."""
        s: Scope | None = self
        while s is not None:
            b = s.names.get(name)
            if b is not None:
                return b if isinstance(b, MappedVarB) else None
            s = s.parent
        return None

    def child(self, names: dict[str, Binding]) -> Scope:
        return Scope(names, self)


@dataclasses.dataclass(frozen=True, slots=True)
class Ctx:
    """Compile-time context: the scope, the next free slot, and how variables are read."""

    scope: Scope
    depth: int
    primed: bool = False  # inside (e)': variables read from the next state
    init: bool = False  # compiling Init: unprimed variables are the ones being assigned
    at_slot: int = -1  # the slot of @ inside an EXCEPT value

    def bind(self, names: dict[str, Binding], used: int) -> Ctx:
        return dataclasses.replace(self, scope=self.scope.child(names), depth=self.depth + used)


class ActionLabel:
    """A successor's label: the action's operator and its arguments, formatted when printed."""

    __slots__ = ("name", "params")

    def __init__(self, name: str, params: tuple[Value, ...]) -> None:
        self.name = name
        self.params = params

    def __str__(self) -> str:
        from checker.model import format_label

        return format_label(self.name, *self.params)

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


# ---------------------------------------------------------------------------
# Helpers shared by the compiler's modules


@dataclasses.dataclass(frozen=True, slots=True)
class _LetLazy(LazyB):
    """A 0-ary LET definition, evaluated on first use after the LET is entered."""


def _let_slots(ctx: Ctx) -> list[int]:
    return [b.slot for b in ctx.scope.names.values() if isinstance(b, _LetLazy)]


def make_label(e: Frame) -> ActionLabel | None:
    """The label of the successor being emitted: the action's name and its arguments' values now."""
    maker = e[LABEL]
    if maker is None:
        return None
    return ActionLabel(maker[0], tuple([f(e) for f in maker[1]]))


class EmitSuccessor:
    """The end of Init or Next: the state built in ``e[NEXT]`` goes to ``e[OUT]`` with its label,
    or, where a variable is left unassigned, TLC's error. A class, so that a whole action
    written out by ``checker.tla.compile.whole`` knows its continuation is this one, and
    appends a successor it knows to be complete itself."""

    __slots__ = ("initial", "variables", "where")

    def __init__(self, variables: tuple[str, ...], initial: bool, where: Span | None) -> None:
        self.variables = variables
        self.initial = initial
        self.where = where

    def __call__(self, e: Frame) -> None:
        nxt = e[NEXT]
        # ``in`` compares by identity first, and values' own equality (all in C) never equals UNSET.
        if UNSET in nxt:
            missing = [self.variables[i] for i in range(len(self.variables)) if nxt[i] is UNSET]
            if self.initial:
                # TLC 2.20: "current state is not a legal state", with the partial state; exit 255.
                error = EvalError(
                    f"The initial predicate does not assign a value to the variable {', '.join(missing)} "
                    '(TLC: "current state is not a legal state").'
                )
                error.exit_code = 255
                raise located(error, self.where)
            what = f"action {make_label(e) or 'Next'}"
            raise located(
                EvalError(
                    f"Successor state is not completely specified by the {what}: the variable "
                    f"{', '.join(missing)} is not assigned a value."
                ),
                self.where,
            )
        e[OUT].append((make_label(e), tuple(nxt)))


def _field_test(node: syntax.Expr, var: str) -> tuple[str, Value] | None:
    """``var.f = literal`` (either way round) -> (f, literal)."""
    while isinstance(node, syntax.Label):
        node = node.body
    if not (isinstance(node, syntax.OpApp) and node.name == "=" and len(node.args) == 2):
        return None
    for lhs, rhs in (node.args, node.args[::-1]):
        if (
            isinstance(lhs, syntax.Field)
            and isinstance(lhs.record, syntax.Name)
            and lhs.record.name == var
            and isinstance(rhs, syntax.Str | syntax.Num)
        ):
            return lhs.name, rhs.value
    return None


def _flatten(op: str, items: tuple[syntax.Expr, ...]) -> tuple[syntax.Expr, ...]:
    """``a /\\ (b /\\ c)`` and nested bullet lists of the same kind as one list (same meaning)."""
    out: list[syntax.Expr] = []
    for x in items:
        while isinstance(x, syntax.Label):
            x = x.body
        if isinstance(x, syntax.OpApp) and x.name == op:
            out.extend(_flatten(op, x.args))
        elif isinstance(x, syntax.Junction) and x.op == op:
            out.extend(_flatten(op, x.items))
        else:
            out.append(x)
    return tuple(out)


def _plain_span(span: Span | Where) -> Span:
    return span.span if isinstance(span, Where) else span


def _raiser(prefix: str, span: Loc) -> Callable[[Value], Value]:
    """A function raising ``prefix`` + the value shown, at ``span`` (a fused node's error)."""

    def fail(v: Value) -> Value:
        raise located(EvalError(f"{prefix}{lib.show(v)}."), span)

    return fail


def _as_bool(v: Value, span: Loc) -> bool:
    if v is True or v is False:
        return v
    raise located(EvalError(f"A boolean was expected, but the value is {lib.show(v)}."), span)


def _presorted(code: Code) -> Code:
    """A constant set as a list in TLC's order, so quantifiers need not sort it at run time."""
    v = code.value
    if type(v) is frozenset:
        elems = sorted_values(v)
        return Code(lambda e: elems, True, v, False, NO_SLOT, None, False)
    return code


def _field_selector(
    fname: str,
    bv: Value,
    span: Loc,
    shared: dict[tuple[str, type, Value, bool], list[Any]],
    ordered: bool = False,
) -> Callable[[Value], list[tuple[Value, bool]]]:
    """The elements of a set that the test ``x.fname = bv`` does not rule out, in order.

    Each comes with whether it passed the test (a record whose field has the
    literal's type and equals it) or must go through the expression as written
    (not a record with that field, or a field of another type). The last set
    seen is kept with its selection, in ``shared`` by every selector of the same
    test: quantifiers over ``msgs`` meet the same set object many times per
    state (``VotedForIn`` for each argument, at each of its call sites).

    A set of records whose ``fname`` fields are all of the literal's kind is read
    through its index by that field (:func:`field_index`), shared by every test of
    the field: only the records that pass are visited, and only they are put in
    order (the order of ``_in_order``, restricted to them); any other set is gone
    through element by element.
    """
    tb = type(bv)
    last = shared.setdefault((fname, tb, bv, ordered), [None, None, (), []])
    elements = _in_order if ordered else _elements
    indexes = _INDEXES.setdefault(fname, {})

    def select(d: Value) -> list[tuple[Value, bool]]:
        if d is last[0]:
            sel: list[tuple[Value, bool]] = last[1]
            return sel
        index = field_index(d, fname, indexes) if type(d) is frozenset and len(d) > 1 else None
        out: list[tuple[Value, bool]]
        if index is not None and index[0] is tb:
            passed = index[1].get(bv, ())
            was = last[2]
            if len(passed) == len(was) and all(map(operator.is_, passed, was)):
                # The very records of the last set's group, in the same order (a message
                # set and its sibling's: their 1a messages): its selection, ordered already.
                out = last[3]
            else:
                out = [(v, True) for v in (sorted_values(passed) if ordered and len(passed) > 1 else passed)]
                last[2] = passed  # (held: their ids are not reused while kept)
                last[3] = out
        else:
            out = []
            for v in elements(d, span):
                if type(v) is Fn:
                    x = v.get(fname, UNSET)
                    if type(x) is tb:
                        if x == bv:
                            out.append((v, True))
                        continue
                out.append((v, False))
        if type(d) is frozenset:
            # Held by reference, so the set's identity is not reused while it is kept.
            last[0] = d
            last[1] = out
        return out

    return select


# Per field name, the sets last indexed by that field (by identity: id -> (set, index)).
_INDEXES: dict[str, dict[int, tuple[frozenset[Value], tuple[type, dict[Value, list[Value]]] | None]]] = {}
_INDEXED = 8  # sets kept per field name (a state's msgs, and the subsets filtered from it)
_INDEX_KINDS = frozenset({str, int, ModelValue})  # not bool: Python's 1 == True would merge them


def field_index(
    d: frozenset[Value],
    fname: str,
    kept: dict[int, tuple[frozenset[Value], tuple[type, dict[Value, list[Value]]] | None]],
) -> tuple[type, dict[Value, list[Value]]] | None:
    """The records of ``d`` by the value of their field ``fname`` (MultiPaxos' ``msgs`` by
    ``type``: each ``\\E m \\in msgs : m.type = "Accept" /\\ ...`` then visits the Accept
    messages alone), with the kind of those values; None unless every member is a record
    with that field, of one kind among strings, integers and model values (then each value
    of the kind equals the literal or not as Python says, and nothing else can pass or need
    the expression as written). Built once per set object, kept in ``kept`` (the last
    ``_INDEXED`` sets, held by reference so that their ids are not reused)."""
    hit = kept.get(id(d))
    if hit is not None and hit[0] is d:
        return hit[1]
    index = _GROUPS[0](d, fname, _INDEX_KINDS)
    if len(kept) >= _INDEXED:
        del kept[next(iter(kept))]
    kept[id(d)] = (d, index)
    return index


class Projection:
    """The part of a variable's value that an operator reads (``projected_reads``): for a set
    of records whose fields ``f`` are all of the kind of the literals ``c`` paired with them,
    the tuple of the sets ``{m \\in S : m.f = c}``, one per pair, interned by the identities of
    their records (parts of the same records are one object, so their id keys a table kept
    across states: Paxos' ``msgs`` is new in every state, its 2b messages are one of 790 sets
    over 17,153 states; a message is one object wherever it recurs, values.record_builder).
    Not by equality: Python's ``[v |-> 1] == [v |-> TRUE]`` would merge two parts TLC tells
    apart. Any other value is itself (read whole). Called once per value: ``last`` and
    ``out`` are the last one and its part."""

    __slots__ = ("interned", "last", "out", "pairs")

    LIMIT = 1 << 16  # parts interned, then forgotten at once (a table holds its own)

    def __init__(self, pairs: frozenset[tuple[str, Value]]) -> None:
        self.pairs = tuple(sorted(pairs, key=lambda p: (p[0], type(p[1]).__name__, p[1])))
        # The ids of each set's records -> the sets (held: no id is reused while there).
        self.interned: dict[tuple[frozenset[int], ...], tuple[frozenset[Value], ...]] = {}
        self.last: Any = UNSET
        self.out: Any = UNSET

    def __call__(self, s: Value) -> Any:
        if s is self.last:
            return self.out
        out = self.part(s)
        self.last = s
        self.out = out
        return out

    def part(self, s: Value) -> Any:
        if type(s) is not frozenset:
            return s
        groups: list[Any] = []
        for fname, c in self.pairs:
            if not s:
                groups.append(())
                continue
            index = field_index(s, fname, _INDEXES.setdefault(fname, {}))
            if index is None or index[0] is not type(c):
                return s
            groups.append(index[1].get(c, ()))
        key = tuple([frozenset(map(id, g)) for g in groups])
        got = self.interned.get(key)
        if got is None:
            if len(self.interned) >= self.LIMIT:
                self.interned.clear()
            got = self.interned[key] = tuple([frozenset(g) for g in groups])
        return got


def py_field_groups(
    d: frozenset[Value], fname: str, kinds: frozenset[type]
) -> tuple[type, dict[Value, list[Value]]] | None:
    """The members of ``d`` by the value of their field ``fname``, with those values' type;
    None unless every member is a record with that field, all of one type in ``kinds``."""
    groups: dict[Value, list[Value]] = {}
    kind: type | None = None
    for v in d:
        if type(v) is not Fn:
            return None
        x = v.get(fname, UNSET)
        t = type(x)
        if t is not kind:
            if kind is not None or t not in kinds:
                return None
            kind = t
        group = groups.get(x)
        if group is None:
            groups[x] = [v]
        else:
            group.append(v)
    return None if kind is None else (kind, groups)


# How field_index groups a set: py_field_groups, or the same in C (installed by
# checker.engine's fingerprint module through use_field_groups where it is built).
_GROUPS: list[Callable[..., tuple[type, dict[Value, list[Value]]] | None]] = [py_field_groups]


def use_field_groups(fn: Callable[..., tuple[type, dict[Value, list[Value]]] | None]) -> None:
    """Make ``fn`` (py_field_groups' rule) the way field_index groups a set from now on."""
    _GROUPS[0] = fn


_NEVER_LAZY = (
    syntax.Num, syntax.Str, syntax.Bool, syntax.Tuple, syntax.Record, syntax.SetEnum, syntax.FnApp, syntax.Field, syntax.Except,
    syntax.FnCons, syntax.SetFilter, syntax.SetMap, syntax.Quant, syntax.At, syntax.Choose,
)  # fmt: skip


def may_be_lazy(node: syntax.Expr) -> bool:
    """Whether ``node`` may evaluate to a lazy set (conservative: True when unsure)."""
    if isinstance(node, _NEVER_LAZY):
        return False
    if isinstance(node, syntax.OpApp):
        b = BUILTINS.get(node.name)
        return b is None or not b.strict
    return True


def _elements(s: Value, span: Loc) -> Iterable[Value]:
    """The elements of a set, for a quantifier of an expression (their order does not matter)."""
    if type(s) is list or type(s) is frozenset:
        return s
    try:
        return lib.iterate_set(s)
    except Exception as exc:
        raise located(exc, span) from None


# The last sets an action enumerated, by identity, and their elements in order: a state's
# ``msgs`` is enumerated by each of its actions (each Phase2b(a), ...), Raft's quorums (the
# elements of a constant set) by each BecomeLeader(i, Q); the next state's ``msgs``, which
# differs by a message or two, is corrected from the last (values.SortedSets).
_SORTED = SortedSets(64)


def _in_order(s: Value, span: Loc) -> Iterable[Value]:
    """The elements an action enumerates, in TLC's order: a state's set (``\\E m \\in msgs``)
    is sorted, so that which successor comes first, and so which of several shortest traces
    is found, does not depend on Python's string hashing (it differed from run to run)."""
    if type(s) is frozenset and len(s) > 1:
        return _SORTED(s)
    return _elements(s, span)


def _assign(e: Frame, slots: list[int], tup: bool, v: Value, span: Loc) -> None:
    if not tup:
        e[slots[0]] = v
        return
    if type(v) is not tuple or len(v) != len(slots):
        raise located(
            EvalError(f"A tuple of {len(slots)} elements was expected, but the value is {lib.show(v)}."), span
        )
    for s, x in zip(slots, v):
        e[s] = x


# -- what actions.py and binders.py use of the compiler ----------------------------------------

_T = TypeVar("_T")


class Compiling(Protocol):
    """The part of :class:`checker.tla.compile.compiler.Compiler` that ``actions`` and
    ``binders`` call back into, so that they depend on this protocol and not on the module
    that imports them (``tests/test_layering.py`` fails on an import cycle)."""

    nvars: int
    mapped_vars: int
    enabling: int
    runtime: lib.TlcRuntime
    max_slot: int
    call_stack: list[OpB]
    call_sites: list[tuple[str, Span]]
    selections: dict[tuple[str, type, Value, bool], list[Any]]
    let_fns: dict[int, tuple[Binding, tuple[str, tuple[syntax.Bound, ...], syntax.Expr, Scope]]]
    # A recursive function's body being compiled as an action (keyed by the body's id): what
    # a recursive application inside it calls (checker.tla.compile.actions.action_fn_app).
    fn_actions: dict[int, Any]
    whole_off: int
    whole_failed: dict[int, syntax.Expr]
    keeping: int

    def whole_action(self, node: syntax.Expr, k: Runner, ctx: Ctx) -> Runner | None: ...

    def kept(self, node: syntax.Expr, ctx: Ctx, code: Code) -> Code: ...

    def _use(self, depth: int) -> None: ...

    def error(self, code: str, message: str, span: Span | Where, hint: str | None = None) -> SpecError: ...

    def where(self, span: Span | Where) -> Where: ...

    def in_caller(self, b: NameB, ctx: Ctx, compile_it: Callable[[Ctx], _T]) -> _T: ...

    def expr(self, node: syntax.Expr, ctx: Ctx) -> Code: ...

    def fused(self, code: Code) -> Fn1: ...

    def fold_binder(self, fn: Fn1, outer: Iterable[Code], body: Code, depth: int) -> Code: ...

    def bind_params(
        self, op: OpB, args: tuple[syntax.Expr, ...], ctx: Ctx
    ) -> tuple[dict[str, Binding], list[tuple[int, Code]], int]: ...

    def qualified(self, node: syntax.Qualified, ctx: Ctx) -> Code: ...

    def subexpression(self, node: syntax.Qualified, ctx: Ctx) -> tuple[syntax.Expr, Ctx] | None: ...

    def junction(self, op: str, items: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code: ...

    def stored(self, node: syntax.Expr, code: Code) -> Fn1: ...

    def let_ctx(self, defs: tuple[syntax.Unit, ...], ctx: Ctx) -> Ctx: ...


# What a predicate may call that does not depend on the variables alone (the level, registers,
# randomness, the clock) or does something (prints): such a conjunct is evaluated every time.
_IMPURE = frozenset(
    {"TLCGet", "TLCSet", "RandomElement", "JavaTime", "Print", "PrintT", "ENABLED", "UNCHANGED", "'", "\\cdot"}
)


def _projected_domain(node: syntax.Node) -> tuple[syntax.Expr, tuple[str, Value]] | None:
    """``\\E m \\in S : m.f = c /\\ P``, ``\\A m \\in S : (m.f = c /\\ G) => P`` or ``{m \\in S : m.f
    = c /\\ P}`` (P and G optional) -> (S, (f, c)): where every member of S is a record whose
    field f is of c's kind, the value depends on S only through ``{m \\in S : m.f = c}``."""
    if isinstance(node, syntax.Quant):
        if len(node.bounds) != 1:
            return None
        bound, body, forall = node.bounds[0], node.body, node.kind == "\\A"
    elif isinstance(node, syntax.SetFilter):
        bound, body, forall = node.bound, node.pred, False
    else:
        return None
    if bound.tuple_pattern or len(bound.names) != 1:
        return None
    while isinstance(body, syntax.Label):
        body = body.body
    if forall:
        if not (isinstance(body, syntax.OpApp) and body.name == "=>"):
            return None
        body = body.args[0]
    test = _field_test(_flatten("/\\", (body,))[0], bound.names[0])
    return None if test is None else (bound.domain, test)


def projected_reads(node: syntax.Expr, scope: Scope, seen: set[int]) -> dict[int, frozenset[tuple[str, Value]] | None] | None:
    """:func:`footprint`'s variables, each with how it is read: None where it is read whole,
    else the (field, literal) pairs of the filters (``_projected_domain``) that are its only
    reads: ``VotedForIn(a, v, b) == \\E m \\in msgs : m.type = "2b" /\\ ...`` reads ``msgs``
    through ``{("type", "2b")}`` alone. None when the footprint is not known."""
    out: dict[int, set[tuple[str, Value]] | None] = {}

    def merge(inner: dict[int, frozenset[tuple[str, Value]] | None]) -> None:
        for i, pairs in inner.items():
            had = out.get(i, set())
            out[i] = None if had is None or pairs is None else had | pairs

    stack: list[syntax.Node] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, syntax.Qualified):
            return None
        domain = _projected_domain(n)
        if domain is not None and isinstance(domain[0], syntax.Name):
            b = scope.lookup(domain[0].name)
            if isinstance(b, VarB):
                merge({b.index: frozenset([domain[1]])})
                kids = list(syntax.children(n))
                stack.extend(reversed([k for k in kids if not isinstance(k, syntax.Bound)]))
                continue
        stack.extend(reversed(list(syntax.children(n))))
        if not isinstance(n, syntax.Name | syntax.OpApp):
            continue
        if n.name in _IMPURE:
            return None
        b = scope.lookup(n.name)
        if b is None or isinstance(b, BuiltinB):
            continue
        if isinstance(b, VarB):
            out[b.index] = None
        elif isinstance(b, OpB | FnDefB):
            if b.scope is None:
                return None
            if id(b) not in seen:
                seen.add(id(b))
                inner = projected_reads(b.body if isinstance(b, OpB) else b.node, b.scope, seen)  # type: ignore[arg-type]
                if inner is None:
                    return None
                merge(inner)
        elif isinstance(b, CodeB):
            if b.code.state:
                return None
        else:
            return None
    return {i: None if pairs is None else frozenset(pairs) for i, pairs in out.items()}


def footprint(node: syntax.Expr, scope: Scope, seen: set[int]) -> set[int] | None:
    """The indices of the variables ``node`` reads, through the definitions it uses; None
    when that is not known for sure (instances, subexpression references, operator
    arguments bound to compiled code that reads the state, the TLC module's impure operators):
    the variables of :func:`projected_reads`, however each is read."""
    how = projected_reads(node, scope, seen)
    return None if how is None else set(how)

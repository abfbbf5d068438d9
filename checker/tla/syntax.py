"""The TLA+ syntax tree: frozen, slotted dataclasses with spans left out of equality.

This module owns the shape of a parsed module; the parser (``checker.tla.parser``)
builds it, the printer (``checker.tla.printer``) writes it back as TLA+, and the
compiler reads it. Every node has a keyword-only ``span`` that is excluded from
``==`` and ``hash``, so two parses of differently laid-out text compare equal.

Conventions the rest of tlacheck relies on:

- **One node for every operator application.** Built-in and user operators alike
  are ``OpApp(name, args)``; the name is canonical (see ``OPERATORS``: ``\\land``
  and ``/\\`` are both ``/\\``, ``#`` is ``/=``, ``=<`` and ``\\leq`` are ``<=``,
  ``\\times`` is ``\\X``, ...). Unary minus is ``-.`` (TLA+'s own name for it),
  prime is ``'``, and ``UNCHANGED``, ``ENABLED``, ``[]``, ``<>``, ``~>``, ``-+->``,
  ``SUBSET``, ``UNION``, ``DOMAIN`` are ``OpApp`` too. ``A \\X B \\X C`` is one
  ``OpApp("\\X", (A, B, C))``: the Cartesian product is n-ary, not associative.
- **A bare identifier is** ``Name``, never ``OpApp(name, ())``.
- **Junction lists** (bulleted ``/\\`` / ``\\/``) are their own node, ``Junction``;
  an infix ``a /\\ b`` is ``OpApp("/\\", (a, b))``. They mean the same; keeping the
  bullets lets the printer reproduce the layout that gives them meaning.
- Parentheses leave no node.
- ``M!Op(a)`` is ``Qualified`` (a path of instance steps, then the operator). A
  positional subexpression selector (``Inv!2``, ``Op!:``) is parsed too, as a
  ``Qualified`` whose last name is the selector (``"2"``, ``":"``); nothing evaluates it yet.
- An operator passed as an argument is a ``Name`` spelled as the operator: ``F(+, x)``
  is ``OpApp("F", (Name("+"), Name("x")))``.
- Theorems and proofs are kept opaque (``Theorem``); TLC ignores them too.
- Spans: 1-based lines and columns, end exclusive; a tab advances the column to the
  next multiple of 8 (as SANY counts for the junction rule).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from checker.errors import Span

NO_SPAN = Span("<none>", 0, 0, 0, 0)
"""The span of a node built by hand (tests, generated trees)."""


# ---------------------------------------------------------------------------------------------
# Expressions


@dataclass(frozen=True, slots=True)
class Expr:
    """Base of every expression node."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Name(Expr):
    """An identifier used without arguments: a variable, constant, parameter, or 0-ary operator."""

    name: str


@dataclass(frozen=True, slots=True)
class OpApp(Expr):
    """``Op(a, b)``, ``a + b``, ``~a``, ``x'``: an operator applied to arguments (canonical name)."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class InstanceStep:
    """One ``M!`` or ``M(a, b)!`` step of a qualified name."""

    name: str
    args: tuple[Expr, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Qualified(Expr):
    """``M!Op``, ``M!Op(a)``, ``N(x)!M!Op(a)``: an operator reached through instances."""

    path: tuple[InstanceStep, ...]
    name: str
    args: tuple[Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class Num(Expr):
    """An integer literal (``42``, ``\\b101``, ``\\o17``, ``\\hFF`` all become an ``int``)."""

    value: int


@dataclass(frozen=True, slots=True)
class Decimal(Expr):
    """A decimal literal ``1.5`` (Reals), kept as its text."""

    text: str


@dataclass(frozen=True, slots=True)
class Str(Expr):
    """A string literal, escapes already decoded."""

    value: str


@dataclass(frozen=True, slots=True)
class Bool(Expr):
    """``TRUE`` or ``FALSE``."""

    value: bool


@dataclass(frozen=True, slots=True)
class At(Expr):
    """``@`` inside an EXCEPT value: the old value at that path."""


@dataclass(frozen=True, slots=True)
class Bound:
    """``x, y \\in S`` (each name ranges over S) or ``<<x, y>> \\in S`` (a tuple pattern)."""

    names: tuple[str, ...]
    domain: Expr
    tuple_pattern: bool = False
    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SetEnum(Expr):
    """``{a, b, c}`` (``{}`` is the empty set)."""

    elems: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class SetFilter(Expr):
    """``{x \\in S : P}`` or ``{<<x, y>> \\in S : P}``."""

    bound: Bound
    pred: Expr


@dataclass(frozen=True, slots=True)
class SetMap(Expr):
    """``{e : x \\in S, y \\in T}``."""

    expr: Expr
    bounds: tuple[Bound, ...]


@dataclass(frozen=True, slots=True)
class Tuple(Expr):
    """``<<a, b>>`` (a sequence)."""

    elems: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Record(Expr):
    """``[a |-> 1, b |-> 2]``."""

    fields: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class RecordSet(Expr):
    """``[a : S, b : T]``: the set of records."""

    fields: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class FnCons(Expr):
    """``[x \\in S, y \\in T |-> e]``."""

    bounds: tuple[Bound, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class FnSet(Expr):
    """``[S -> T]``: the set of functions."""

    domain: Expr
    codomain: Expr


@dataclass(frozen=True, slots=True)
class ExceptIndex:
    """``[i]`` (or ``[i, j]``, meaning ``[<<i, j>>]``) in an EXCEPT path."""

    args: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ExceptField:
    """``.a`` in an EXCEPT path (``["a"]``)."""

    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ExceptUpdate:
    """``![i][j].a = e``: a non-empty path and the new value (which may use ``@``)."""

    path: tuple[ExceptIndex | ExceptField, ...]
    value: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Except(Expr):
    """``[f EXCEPT ![i] = e, !.a = e]``."""

    fn: Expr
    updates: tuple[ExceptUpdate, ...]


@dataclass(frozen=True, slots=True)
class FnApp(Expr):
    """``f[x]``; ``f[x, y]`` has two args and means ``f[<<x, y>>]``."""

    fn: Expr
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Field(Expr):
    """``r.a``."""

    record: Expr
    name: str


@dataclass(frozen=True, slots=True)
class If(Expr):
    """``IF c THEN a ELSE b``."""

    cond: Expr
    then: Expr
    else_: Expr


@dataclass(frozen=True, slots=True)
class CaseArm:
    """``p -> e`` in a CASE."""

    guard: Expr
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Case(Expr):
    """``CASE p1 -> e1 [] p2 -> e2 [] OTHER -> e3``."""

    arms: tuple[CaseArm, ...]
    other: Expr | None = None


@dataclass(frozen=True, slots=True)
class Let(Expr):
    """``LET defs IN body``; defs are ``OpDef``, ``FnDef``, ``Recursive`` or ``ModuleDef``."""

    defs: tuple[Unit, ...]
    body: Expr


QuantKind = Literal["\\A", "\\E"]
TemporalKind = Literal["\\AA", "\\EE"]


@dataclass(frozen=True, slots=True)
class Quant(Expr):
    """``\\A x \\in S, <<y, z>> \\in T : P`` (bounded)."""

    kind: str  # "\\A" or "\\E"
    bounds: tuple[Bound, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class QuantUnbounded(Expr):
    """``\\A x, y : P``, ``\\E x : P``, and the temporal ``\\AA x : P``, ``\\EE x : P``."""

    kind: str  # "\\A", "\\E", "\\AA" or "\\EE"
    names: tuple[str, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class Choose(Expr):
    """``CHOOSE x \\in S : P``, ``CHOOSE x : P``, ``CHOOSE <<x, y>> \\in S : P``."""

    names: tuple[str, ...]
    domain: Expr | None
    body: Expr
    tuple_pattern: bool = False


@dataclass(frozen=True, slots=True)
class Lambda(Expr):
    """``LAMBDA x, y : e`` (only as an operator argument)."""

    params: tuple[str, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class BoxAction(Expr):
    """``[A]_v``: A or v unchanged."""

    action: Expr
    sub: Expr


@dataclass(frozen=True, slots=True)
class AngleAction(Expr):
    """``<<A>>_v``: A and v changed."""

    action: Expr
    sub: Expr


@dataclass(frozen=True, slots=True)
class Fairness(Expr):
    """``WF_v(A)`` or ``SF_v(A)``."""

    kind: str  # "WF" or "SF"
    sub: Expr
    action: Expr


@dataclass(frozen=True, slots=True)
class Junction(Expr):
    """A bulleted list: ``op`` is ``/\\`` or ``\\/``; at least one item."""

    op: str
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Label(Expr):
    """``L1:: e`` (or ``L(x, y):: e``); a label does not change the meaning of ``e``."""

    name: str
    body: Expr
    params: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Module units


@dataclass(frozen=True, slots=True)
class Unit:
    """Base of every module-level (and LET-level) definition or declaration."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Decl:
    """A declared name with its arity: ``x`` is 0, ``F(_, _)`` is 2."""

    name: str
    arity: int = 0
    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Constants(Unit):
    """``CONSTANT(S) N, F(_, _)``."""

    decls: tuple[Decl, ...]


@dataclass(frozen=True, slots=True)
class Variables(Unit):
    """``VARIABLE(S) x, y``."""

    decls: tuple[Decl, ...]


@dataclass(frozen=True, slots=True)
class Recursive(Unit):
    """``RECURSIVE F(_), G``: forward declarations of recursive operators."""

    decls: tuple[Decl, ...]


@dataclass(frozen=True, slots=True)
class OpDef(Unit):
    """``Op(x, F(_)) == body``; infix ``a \\prec b == ...`` has name ``\\prec`` and two params."""

    name: str
    params: tuple[Decl, ...]
    body: Expr
    local: bool = False


@dataclass(frozen=True, slots=True)
class FnDef(Unit):
    """``f[x \\in S, y \\in T] == body`` (may be recursive)."""

    name: str
    bounds: tuple[Bound, ...]
    body: Expr
    local: bool = False


@dataclass(frozen=True, slots=True)
class Instance(Unit):
    """``INSTANCE M WITH a <- e, b <- f``: substitutions by parameter name."""

    module: str
    subs: tuple[tuple[str, Expr], ...] = ()
    local: bool = False


@dataclass(frozen=True, slots=True)
class ModuleDef(Unit):
    """``N == INSTANCE M ...`` or ``N(x) == INSTANCE M ...``."""

    name: str
    params: tuple[Decl, ...]
    instance: Instance
    local: bool = False


@dataclass(frozen=True, slots=True)
class Assume(Unit):
    """``ASSUME e``, ``ASSUME Name == e`` (also ``ASSUMPTION`` and ``AXIOM``)."""

    expr: Expr
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Theorem(Unit):
    """A THEOREM/LEMMA/COROLLARY/PROPOSITION with its proof, or USE/HIDE, or a stray proof: opaque."""

    kind: str
    name: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Module(Unit):
    """``---- MODULE M ----`` ... ``====``; nested modules appear among the units."""

    name: str = ""
    extends: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    extends_spans: tuple[Span, ...] = field(default=(), compare=False, repr=False)


# ---------------------------------------------------------------------------------------------
# Walking the tree

Node = Expr | Unit | Bound | CaseArm | ExceptUpdate | ExceptIndex | ExceptField | InstanceStep | Decl
"""Every kind of syntax node (what :func:`children` and :func:`walk` yield)."""

_NODE_TYPES = (Expr, Unit, Bound, CaseArm, ExceptUpdate, ExceptIndex, ExceptField, InstanceStep, Decl)


def children(node: Node) -> Iterator[Node]:
    """The syntax nodes directly below ``node``, in the order of its fields (tuples, and the
    pairs in them such as a record's fields, are looked into; names and spans are not nodes)."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node) if f.name != "span")
    for name in names:
        yield from _nodes(getattr(node, name))


_FIELDS: dict[type, tuple[str, ...]] = {}  # each node class's fields but its span, in order (children)


def _nodes(value: object) -> Iterator[Node]:
    if isinstance(value, _NODE_TYPES):
        yield value
    elif isinstance(value, tuple):
        for x in value:
            yield from _nodes(x)


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every node below it, each before its children, children in field order."""
    stack: list[Node] = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(list(children(n))))


# ---------------------------------------------------------------------------------------------
# The operator table


@dataclass(frozen=True, slots=True)
class OpInfo:
    """One operator of TLA+'s table (Lamport, Specifying Systems, Table 6 p. 271).

    ``low``..``high`` is its precedence range; two operators whose ranges overlap
    need parentheses unless they are the same left-associative operator.
    """

    name: str
    fixity: str  # "prefix", "infix" or "postfix"
    low: int
    high: int
    left_assoc: bool = False
    synonyms: tuple[str, ...] = ()


def _ops(*infos: OpInfo) -> MappingProxyType[str, OpInfo]:
    return MappingProxyType({i.name: i for i in infos})


_P, _I, _S = "prefix", "infix", "postfix"

PREFIX_OPERATORS = _ops(
    OpInfo("~", _P, 4, 4, synonyms=("\\lnot", "\\neg")),
    OpInfo("[]", _P, 4, 15),
    OpInfo("<>", _P, 4, 15),
    OpInfo("DOMAIN", _P, 9, 9),
    OpInfo("ENABLED", _P, 4, 15),
    OpInfo("SUBSET", _P, 8, 8),
    OpInfo("UNCHANGED", _P, 4, 15),
    OpInfo("UNION", _P, 8, 8),
    OpInfo("-.", _P, 12, 12, synonyms=("-",)),
)

POSTFIX_OPERATORS = _ops(
    OpInfo("'", _S, 15, 15),
    OpInfo("^+", _S, 15, 15),
    OpInfo("^*", _S, 15, 15),
    OpInfo("^#", _S, 15, 15),
)

INFIX_OPERATORS = _ops(
    OpInfo("!!", _I, 9, 13),
    OpInfo("/=", _I, 5, 5, synonyms=("#",)),
    OpInfo("$", _I, 9, 13, True),
    OpInfo("$$", _I, 9, 13, True),
    OpInfo("%", _I, 10, 11),
    OpInfo("%%", _I, 10, 11, True),
    OpInfo("&", _I, 13, 13, True),
    OpInfo("&&", _I, 13, 13, True),
    OpInfo("\\oplus", _I, 10, 10, True, ("(+)",)),
    OpInfo("\\ominus", _I, 11, 11, True, ("(-)",)),
    OpInfo("\\odot", _I, 13, 13, True, ("(.)",)),
    OpInfo("\\oslash", _I, 13, 13, False, ("(/)",)),
    OpInfo("\\otimes", _I, 13, 13, True, ("(\\X)",)),
    OpInfo("*", _I, 13, 13, True),
    OpInfo("**", _I, 13, 13, True),
    OpInfo("+", _I, 10, 10, True),
    OpInfo("++", _I, 10, 10, True),
    OpInfo("-", _I, 11, 11, True),
    OpInfo("-+->", _I, 2, 2),
    OpInfo("--", _I, 11, 11, True),
    OpInfo("-|", _I, 5, 5),
    OpInfo("..", _I, 9, 9),
    OpInfo("...", _I, 9, 9),
    OpInfo("/", _I, 13, 13),
    OpInfo("//", _I, 13, 13),
    OpInfo("/\\", _I, 3, 3, True, ("\\land",)),
    OpInfo("::=", _I, 5, 5),
    OpInfo(":=", _I, 5, 5),
    OpInfo(":>", _I, 7, 7),
    OpInfo("<", _I, 5, 5),
    OpInfo("<:", _I, 7, 7),
    OpInfo("<=>", _I, 2, 2, synonyms=("\\equiv",)),
    OpInfo("<=", _I, 5, 5, synonyms=("=<", "\\leq")),
    OpInfo("=", _I, 5, 5),
    OpInfo("=>", _I, 1, 1),
    OpInfo("=|", _I, 5, 5),
    OpInfo(">", _I, 5, 5),
    OpInfo(">=", _I, 5, 5, synonyms=("\\geq",)),
    OpInfo("??", _I, 9, 13, True),
    OpInfo("@@", _I, 6, 6, True),
    OpInfo("\\", _I, 8, 8, synonyms=("\\setminus",)),
    OpInfo("\\/", _I, 3, 3, True, ("\\lor",)),
    OpInfo("^", _I, 14, 14),
    OpInfo("^^", _I, 14, 14),
    OpInfo("|", _I, 10, 11, True),
    OpInfo("|-", _I, 5, 5),
    OpInfo("|=", _I, 5, 5),
    OpInfo("||", _I, 10, 11, True),
    OpInfo("~>", _I, 2, 2, synonyms=("\\leadsto",)),
    OpInfo("\\approx", _I, 5, 5),
    OpInfo("\\asymp", _I, 5, 5),
    OpInfo("\\bigcirc", _I, 13, 13, True),
    OpInfo("\\bullet", _I, 13, 13, True),
    OpInfo("\\cap", _I, 8, 8, True, ("\\intersect",)),
    OpInfo("\\cdot", _I, 5, 14, True),
    OpInfo("\\o", _I, 13, 13, True, ("\\circ",)),
    OpInfo("\\cong", _I, 5, 5),
    OpInfo("\\cup", _I, 8, 8, True, ("\\union",)),
    OpInfo("\\div", _I, 13, 13),
    OpInfo("\\doteq", _I, 5, 5),
    OpInfo("\\gg", _I, 5, 5),
    OpInfo("\\in", _I, 5, 5),
    OpInfo("\\notin", _I, 5, 5),
    OpInfo("\\ll", _I, 5, 5),
    OpInfo("\\prec", _I, 5, 5),
    OpInfo("\\preceq", _I, 5, 5),
    OpInfo("\\propto", _I, 5, 5),
    OpInfo("\\sim", _I, 5, 5),
    OpInfo("\\simeq", _I, 5, 5),
    OpInfo("\\sqcap", _I, 9, 13, True),
    OpInfo("\\sqcup", _I, 9, 13, True),
    OpInfo("\\sqsubset", _I, 5, 5),
    OpInfo("\\sqsubseteq", _I, 5, 5),
    OpInfo("\\sqsupset", _I, 5, 5),
    OpInfo("\\sqsupseteq", _I, 5, 5),
    OpInfo("\\star", _I, 13, 13, True),
    OpInfo("\\subset", _I, 5, 5),
    OpInfo("\\subseteq", _I, 5, 5),
    OpInfo("\\succ", _I, 5, 5),
    OpInfo("\\succeq", _I, 5, 5),
    OpInfo("\\supset", _I, 5, 5),
    OpInfo("\\supseteq", _I, 5, 5),
    OpInfo("\\uplus", _I, 9, 13, True),
    OpInfo("\\wr", _I, 9, 14),
    # n-ary: ``A \X B \X C`` is one application with three arguments.
    OpInfo("\\X", _I, 10, 13, False, ("\\times",)),
)

INFIX_SYNONYMS = MappingProxyType(
    {s: i.name for i in INFIX_OPERATORS.values() for s in (i.name, *i.synonyms)}
)
"""Every infix spelling -> its canonical name."""

PREFIX_SYNONYMS = MappingProxyType(
    {s: i.name for i in PREFIX_OPERATORS.values() for s in (i.name, *i.synonyms) if s != "-"}
)
"""Every prefix spelling -> its canonical name (``-`` is handled by position)."""


def replace_span(node: object, span: Span) -> object:
    """A copy of ``node`` with another span (spans are not compared, so it is equal)."""
    return dataclasses.replace(node, span=span)  # type: ignore[type-var]

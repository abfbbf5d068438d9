"""The built-in operators: one table of every operator that TLA+ itself defines and of every
operator of the standard modules, read by each stage that needs to know about them.

Each entry (a :class:`Builtin`) says:

- for ``resolve``: its name, its arity and the module that exports it (``None``: TLA+ itself,
  no EXTENDS needed); the standard modules (:data:`STANDARD_MODULES`) are this table grouped by
  module;
- for the compiler (``checker.tla.compile``): how it is evaluated: by calling ``evaluate`` on
  its arguments' values, as the constant ``constant``, or by code of the compiler's own
  (``compiled``: junctions, quantifier-like and primed operators, arithmetic with TLC's error
  words, operators that take operators); whether it may be folded (``pure``), whether
  ``evaluate`` is a method of the run's ``stdlib.TlcRuntime`` (``runtime``: it has effects or
  reads the run), whether its evaluations share state from one state to the next
  (``stateful``: TLCSet's registers, RandomElement's generator, which a search split over
  processes would split), and whether its value is never a lazy set (``strict``);
- for ``prove``: whether Z3 encodes it (``prove``; ``checker/prove/encode.py`` has an encoding
  for exactly these, which ``tests/tla/test_builtins.py`` checks).

An entry none of whose ways of evaluating is set is known (resolve accepts it: TLAPS' proof
backends, a few TLCExt operators) but not evaluated: using it is error E299.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from checker.tla import stdlib as lib
from checker.values import Value

ANY_ARITY = -1
"""The arity of an operator that takes any number of arguments (``\\X``)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Builtin:
    """One built-in operator (see the module's docstring for what each field is for)."""

    name: str
    arity: int
    module: str | None = None
    evaluate: Callable[..., Any] | None = None
    constant: Value | None = None
    compiled: bool = False
    pure: bool = True
    runtime: bool = False
    stateful: bool = False
    strict: bool = False
    prove: bool = False

    @property
    def evaluated(self) -> bool:
        """Whether the explicit evaluator implements it."""
        return self.evaluate is not None or self.constant is not None or self.compiled


@dataclasses.dataclass(frozen=True, slots=True)
class StandardModule:
    """A built-in module: what it exports (name -> arity) and what it EXTENDS."""

    name: str
    ops: Mapping[str, int]
    extends: tuple[str, ...] = ()


def _identity(v: Value) -> Value:
    return v


def _core(name: str, arity: int, **how: Any) -> Builtin:
    return Builtin(name, arity, None, **how)


def _in(module: str, entries: Sequence[tuple[str, int, Mapping[str, Any]]]) -> list[Builtin]:
    return [Builtin(name, arity, module, **how) for name, arity, how in entries]


# The fields that recur: evaluated by a call whose result is never a lazy set, and encoded by Z3.
_CALL = {"strict": True}
_Z3 = {"prove": True}
_OWN = {"compiled": True, "strict": True, "prove": True}

_TLA: list[Builtin] = [
    _core("BOOLEAN", 0, constant=frozenset({False, True}), prove=True),
    _core("STRING", 0, constant=lib.STRING, prove=True),
    _core("=", 2, **_OWN),
    _core("/=", 2, **_OWN),
    _core("\\in", 2, **_OWN),
    _core("\\notin", 2, **_OWN),
    _core("/\\", 2, **_OWN),
    _core("\\/", 2, **_OWN),
    _core("~", 1, **_OWN),
    _core("=>", 2, **_OWN),
    _core("<=>", 2, **_OWN),
    _core("\\cup", 2, evaluate=lib.union, **_CALL, **_Z3),
    _core("\\cap", 2, evaluate=lib.intersect, **_CALL, **_Z3),
    _core("\\", 2, evaluate=lib.set_minus, **_CALL, **_Z3),
    _core("\\subseteq", 2, evaluate=lib.subseteq, **_CALL, **_Z3),
    _core("SUBSET", 1, evaluate=lib.subset, prove=True),
    _core("UNION", 1, evaluate=lib.big_union, **_CALL, **_Z3),
    _core("DOMAIN", 1, evaluate=lib.domain, **_CALL, **_Z3),
    _core("'", 1, **_OWN),
    _core("UNCHANGED", 1, **_OWN),
    _core("ENABLED", 1, compiled=True),
    _core("[]", 1),
    _core("<>", 1),
    _core("~>", 2),
    _core("-+->", 2),
    _core("\\X", ANY_ARITY, evaluate=lib.cartesian, **_CALL, **_Z3),
    _core("\\cdot", 2),
]

_NATURALS = _in(
    "Naturals",
    [
        ("Nat", 0, {"constant": lib.NAT, **_Z3}),
        ("+", 2, _OWN),
        ("-", 2, _OWN),
        ("*", 2, _OWN),
        ("^", 2, {"evaluate": lib.int_pow, **_CALL}),
        ("<", 2, _OWN),
        (">", 2, _OWN),
        ("<=", 2, _OWN),
        (">=", 2, _OWN),
        ("%", 2, {"evaluate": lib.int_mod, **_CALL, **_Z3}),
        ("\\div", 2, {"evaluate": lib.int_div, **_CALL, **_Z3}),
        ("..", 2, {"evaluate": lib.interval, **_CALL, **_Z3}),
    ],
)

_INTEGERS = _in("Integers", [("Int", 0, {"constant": lib.INT, **_Z3}), ("-.", 1, _OWN)])

_REALS = _in("Reals", [("Real", 0, {}), ("/", 2, {}), ("Infinity", 0, {})])

_SEQUENCES = _in(
    "Sequences",
    [
        ("Seq", 1, {"evaluate": lib.seq_set, **_Z3}),
        ("Len", 1, {"evaluate": lib.seq_len, **_CALL, **_Z3}),
        ("\\o", 2, {"evaluate": lib.concat, **_CALL, **_Z3}),
        ("Append", 2, {"evaluate": lib.append, **_CALL, **_Z3}),
        ("Head", 1, {"evaluate": lib.head, **_CALL, **_Z3}),
        ("Tail", 1, {"evaluate": lib.tail, **_CALL, **_Z3}),
        ("SubSeq", 3, {"evaluate": lib.subseq, **_CALL, **_Z3}),
        ("SelectSeq", 2, {"compiled": True}),
    ],
)

_FINITE_SETS = _in(
    "FiniteSets",
    [
        ("IsFiniteSet", 1, {"evaluate": lib.is_finite_set, **_Z3}),
        ("Cardinality", 1, {"evaluate": lib.cardinality, **_CALL, **_Z3}),
    ],
)

_BAGS = _in(
    "Bags",
    [
        ("IsABag", 1, {"evaluate": lib.is_a_bag}),
        ("BagToSet", 1, {"evaluate": lib.bag_to_set}),
        ("SetToBag", 1, {"evaluate": lib.set_to_bag}),
        ("BagIn", 2, {"evaluate": lib.bag_in}),
        ("EmptyBag", 0, {"constant": lib.EMPTY_BAG}),
        ("\\oplus", 2, {"evaluate": lib.bag_add, **_CALL}),
        ("\\ominus", 2, {"evaluate": lib.bag_sub, **_CALL}),
        ("BagUnion", 1, {"evaluate": lib.bag_union}),
        ("\\sqsubseteq", 2, {"evaluate": lib.sub_bag_eq, **_CALL}),
        ("SubBag", 1, {"evaluate": lib.sub_bags}),
        ("BagOfAll", 2, {"compiled": True}),
        ("BagCardinality", 1, {"evaluate": lib.bag_cardinality}),
        ("CopiesIn", 2, {"evaluate": lib.copies_in}),
    ],
)

# Print, TLCGet, TLCSet, RandomElement and Assert have effects (or read the run): never folded.
_EFFECT = {"pure": False}
_RUN = {"pure": False, "runtime": True}

_TLC = _in(
    "TLC",
    [
        ("Print", 2, {"evaluate": lib.TlcRuntime.print_value, **_RUN}),
        ("PrintT", 1, {"evaluate": lib.TlcRuntime.print_t, **_RUN}),
        ("Assert", 2, {"evaluate": lib.tlc_assert, **_EFFECT}),
        ("JavaTime", 0, {"constant": 0}),
        ("TLCGet", 1, {"evaluate": lib.TlcRuntime.tlc_get, **_RUN}),
        ("TLCSet", 2, {"evaluate": lib.TlcRuntime.tlc_set, "stateful": True, **_RUN}),
        (":>", 2, {"evaluate": lib.colon_gt, **_CALL, **_Z3}),
        ("@@", 2, {"evaluate": lib.at_at, **_CALL, **_Z3}),
        ("Permutations", 1, {"evaluate": lib.permutations, **_Z3}),
        ("SortSeq", 2, {"compiled": True}),
        ("RandomElement", 1, {"evaluate": lib.TlcRuntime.random_element, "stateful": True, **_RUN}),
        ("Any", 0, {}),
        ("ToString", 1, {"evaluate": lib.to_string}),
        ("TLCEval", 1, {"evaluate": _identity}),
    ],
)

_TLC_EXT = _in(
    "TLCExt",
    [
        (name, arity, {})
        for name, arity in (
            ("AssertEq", 2),
            ("AssertError", 2),
            ("TLCModelValue", 1),
            ("TLCCache", 2),
            ("PickSuccessor", 1),
            ("TLCNoOp", 1),
            ("TLCDefer", 1),
            ("TLCGetAndSet", 4),
            ("TLCFP", 1),
            ("CounterExample", 0),
            ("ToTrace", 1),
        )
    ],
)

_TLC_EXT_EVALUATED = _in("TLCExt", [("Trace", 0, {"evaluate": lib.TlcRuntime.trace, "strict": True, **_RUN})])

_RANDOMIZATION = _in(
    "Randomization",
    [
        ("RandomSubset", 2, {}),
        ("RandomSetOfSubsets", 3, {}),
        ("RandomSubsetSet", 3, {}),
        ("TestRandomSetOfSubsets", 3, {}),
    ],
)

# TLAPS: the names of the proof backends, which a proof cites (BY SMT); no value.
_TLAPS = _in(
    "TLAPS",
    [
        (name, 0, {})
        for name in (
            "SMT", "CVC3", "Yices", "veriT", "Z3", "Spass", "SimpleArithmetic", "Zenon", "SlowZenon",
            "SlowerZenon", "VerySlowZenon", "SlowestZenon", "Isa", "Auto", "Force", "Blast",
            "SimplifyAndSolve", "Simplification", "AutoBlast", "LS4", "PTL", "PropositionalTemporalLogic",
            "AllProvers", "AllSMT", "AllIsa", "SetExtensionality", "NoSetContainsEverything",
            "IsaWithSetExtensionality",
        )
    ]  # fmt: skip
    + [
        (name, 1, {})
        for name in (
            "SMTT", "CVC3T", "YicesT", "veriTT", "Z3T", "SpassT", "ZenonT", "IsaT", "IsaM", "AllProversT",
            "AllSMTT", "AllIsaT",
        )
    ]  # fmt: skip
    + [("IsaMT", 2, {})],
)

_EXTENDS: Mapping[str, tuple[str, ...]] = {"Integers": ("Naturals",), "Reals": ("Integers",)}

_ALL = (
    _TLA + _NATURALS + _INTEGERS + _REALS + _SEQUENCES + _FINITE_SETS + _BAGS + _TLC + _TLC_EXT + _TLC_EXT_EVALUATED + _RANDOMIZATION
) + _TLAPS

BUILTINS: Mapping[str, Builtin] = MappingProxyType({b.name: b for b in _ALL})
"""Every built-in operator by name (no two modules export one name)."""

OPERATORS: Mapping[str, int] = MappingProxyType({b.name: b.arity for b in _ALL if b.module is None})
"""The operators of TLA+ itself (no module needed) and their arities."""


def _standard_modules() -> dict[str, StandardModule]:
    modules: dict[str, dict[str, int]] = {}
    for b in _ALL:
        if b.module is not None:
            modules.setdefault(b.module, {})[b.name] = b.arity
    return {
        name: StandardModule(name, MappingProxyType(ops), _EXTENDS.get(name, ()))
        for name, ops in modules.items()
    }


STANDARD_MODULES: Mapping[str, StandardModule] = MappingProxyType(_standard_modules())
"""The built-in modules (Naturals, Integers, Reals, Sequences, FiniteSets, Bags, TLC, TLCExt,
Randomization, TLAPS): their operators are built in (``stdlib``), never read from files."""

EVALUATED: frozenset[str] = frozenset(b.name for b in _ALL if b.evaluated)
"""The names of the built-ins the explicit evaluator implements."""

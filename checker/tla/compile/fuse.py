"""Fusing a tree of small compiled expressions into one generated Python function.

The compiler turns each node of an expression into a closure; a predicate such
as ``m.type = "1b" => m.bal =< maxBal[m.acc]`` is then six calls per element.
Nodes of the commonest kinds (boolean connectives, ``=``, comparisons and
integer arithmetic, record fields, function application, IF, ``\\in``, reads of
bound names and variables, LET definitions and operator arguments evaluated on
first use, and the entry into a LET or an operator that clears their slots) also
describe themselves in ``Code.gen``;
:func:`fuse` writes such a tree out as one Python expression, in one function,
and leaves the other nodes as calls to their closures.

The generated code only ever does what the closures do on their fast paths; on
anything else (a value of an unexpected type, a missing field, a non-boolean
where a boolean belongs) it calls the node's own slow helper with the values
already computed, which returns what the closure would or raises its error. So
the results, errors and evaluation order are the closures', and nothing is
evaluated twice.

A spec is untrusted input: no text from it reaches the generated source. The
source holds only names made here (``_t3``, ``K2``, ``F5``, ``_v``), integers (slot and
variable positions) and fixed Python operators; every value, field name,
closure and helper is passed in through the function's namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.values import Fn, ModelValue

# Python's operator for each TLA+ arithmetic or comparison operator that may be inlined.
ARITH_TOKENS = {"+": "+", "-": "-", "*": "*", "<": "<", ">": ">", "<=": "<=", ">=": ">="}

_MAX_DEPTH = 40  # nesting of generated expressions (Python's parser stops near 200)
_EQ_TYPES = frozenset({int, str, bool, ModelValue, Fn, tuple, frozenset})


class _Emitter:
    def __init__(self, unset: Any) -> None:
        self.env: dict[str, Any] = {
            "__builtins__": {"type": type, "int": int, "frozenset": frozenset, "tuple": tuple, "len": len},
            "Fn": Fn,
            "U": unset,
            "EQT": _EQ_TYPES,
        }
        self.count = 0

    def name(self, prefix: str, obj: Any) -> str:
        self.count += 1
        n = f"{prefix}{self.count}"
        self.env[n] = obj
        return n

    def temp(self) -> str:
        self.count += 1
        return f"_t{self.count}"

    def emit(self, code: Any, depth: int) -> str:
        if code.const:
            return self.name("K", code.value)
        gen = code.gen
        if gen is None or depth > _MAX_DEPTH:
            fn = fuse(code, self.env["U"]) if gen is not None else code.fn
            return f"{self.name('F', fn)}(e)"
        kind = gen[0]
        d = depth + 1
        if kind == "slot":
            return f"e[{int(gen[1])}]"
        if kind == "var":
            return f"e[{int(gen[1])}][{int(gen[2])}]"
        if kind == "conj" or kind == "disj":
            return self.junction(kind == "conj", gen[1], gen[2], d)
        if kind == "neg":
            t = self.temp()
            err = self.name("E", gen[2])
            return f"(False if ({t} := {self.emit(gen[1], d)}) is True else (True if {t} is False else {err}({t})))"
        if kind == "implies":
            t, u = self.temp(), self.temp()
            left, right = self.name("E", gen[3]), self.name("E", gen[4])
            b = self.emit(gen[2], d)
            then = f"({u} if ({u} := {b}) is True or {u} is False else {right}({u}))"
            return f"(True if ({t} := {self.emit(gen[1], d)}) is False else ({then} if {t} is True else {left}({t})))"
        if kind == "eq":
            _, positive, a, b, slow = gen
            x, y = self.temp(), self.temp()
            op = "==" if positive else "!="
            s = self.name("S", slow)
            return (
                f"(({x} {op} {y}) if type({x} := {self.emit(a, d)}) is type({y} := {self.emit(b, d)}) "
                f"and type({x}) in EQT else {s}({x}, {y}))"
            )
        if kind == "arith":
            _, token, a, b, bad = gen
            op = ARITH_TOKENS[token]
            x, y = self.temp(), self.temp()
            s = self.name("S", bad)
            # ``&``, not ``and``: both operands are evaluated before either is checked, as the closure does.
            return (
                f"(({x} {op} {y}) if (type({x} := {self.emit(a, d)}) is int) & "
                f"(type({y} := {self.emit(b, d)}) is int) else {s}({x}, {y}))"
            )
        if kind == "field":
            _, r, fname, slow = gen
            t, v = self.temp(), self.temp()
            n, s = self.name("N", fname), self.name("S", slow)
            return f"({v} if type({t} := {self.emit(r, d)}) is Fn and ({v} := {t}.get({n}, U)) is not U else {s}({t}))"
        if kind == "app":
            _, f, arg, slow = gen
            t, x, v = self.temp(), self.temp(), self.temp()
            s = self.name("S", slow)
            # A sequence (a function of 1..n: a tuple) indexed by an integer in its domain is
            # read inline too (PlusCal's pc[self] with Procs == 1..N).
            return (
                f"({v} if (type({t} := {self.emit(f, d)}) is Fn) & (({x} := {self.emit(arg, d)}) is not U) "
                f"and ({v} := {t}.get({x}, U)) is not U else ({t}[{x} - 1] if type({t}) is tuple "
                f"and type({x}) is int and 0 < {x} <= len({t}) else {s}({t}, {x})))"
            )
        if kind == "if":
            _, c, a, b, err = gen
            t = self.temp()
            e = self.name("E", err)
            return (
                f"({self.emit(a, d)} if ({t} := {self.emit(c, d)}) is True else "
                f"({self.emit(b, d)} if {t} is False else {e}({t})))"
            )
        if kind == "in":
            _, positive, a, st, slow = gen
            x, t = self.temp(), self.temp()
            op = "in" if positive else "not in"
            s = self.name("S", slow)
            return (
                f"(({x} {op} {t}) if (({x} := {self.emit(a, d)}) is U) | "
                f"(type({t} := {self.emit(st, d)}) is frozenset) else {s}({x}, {t}))"
            )
        if kind == "set":
            # A set literal (no lazy set among its elements): built in order, as the closure does.
            items = ", ".join(self.emit(c, d) for c in gen[1])
            return f"frozenset(({items},))"
        if kind == "record":
            _, names, codes, make = gen
            fields = ", ".join(f"{self.name('N', k)}: {self.emit(c, d)}" for k, c in zip(names, codes))
            return f"{self.name('M', make)}({{{fields}}})"
        if kind == "lazy":
            # A lazy argument or LET definition in slot k: computed on first use, then kept.
            _, k, arg, store = gen
            t = self.temp()
            return f"({t} if ({t} := e[{int(k)}]) is not U else {self.name('P', store)}(e, {self.emit(arg, d)}))"
        if kind == "reset":
            # The slots of the lazy names a body is entered with are cleared first (None).
            _, reset, body = gen
            return f"({self.name('R', reset)}(e) or {self.emit(body, d)})"
        raise AssertionError(f"unknown generated node {kind}")

    def junction(self, conj: bool, items: list[Any], errs: list[Callable[[Any], Any]], depth: int) -> str:
        stop, go = ("False", "True") if conj else ("True", "False")
        out = ""
        for i in reversed(range(len(items))):
            t = self.temp()
            err = self.name("E", errs[i])
            item = self.emit(items[i], depth + (len(items) - i))
            if not out:
                out = f"({t} if ({t} := {item}) is True or {t} is False else {err}({t}))"
            else:
                out = f"({out} if ({t} := {item}) is {go} else ({stop} if {t} is {stop} else {err}({t})))"
        return out


def fuse(code: Any, unset: Any) -> Callable[[Any], Any]:
    """``code``'s function, as one generated function when it heads a tree of two or more
    describable nodes; otherwise its closure as it is. ``unset`` is the compiler's
    marker for "no value" (a missing field or function point)."""
    gen = code.gen
    if gen is None or code.const or _size(code, 0) < 2:
        fn: Callable[[Any], Any] = code.fn
        return fn
    em = _Emitter(unset)
    body = em.emit(code, 0)
    return _define(f"def fused(e):\n    return {body}\n", em.env, "<tlacheck: fused expression>")


def fuse_quantifier(
    forall: bool, dom: Callable[[Any], Any], elements: Callable[[Any], Any], slot: int, body: Any,
    err: Callable[[Any], Any], unset: Any,
) -> Callable[[Any], Any] | None:
    """``\\A x \\in S : P`` or ``\\E x \\in S : P`` (one bound name in frame slot ``slot``) as one
    generated loop with ``P`` written inline, or None when ``P`` is not worth it. ``dom``
    gives S, ``elements`` its elements in order, ``err`` raises for a non-boolean ``P``."""
    if body.gen is None or body.const:
        return None
    em = _Emitter(unset)
    expr = em.emit(body, 1)
    d, el, er = em.name("D", dom), em.name("L", elements), em.name("E", err)
    done, other = ("True", "False") if forall else ("False", "True")
    src = (
        "def fused(e):\n"
        f"    for _v in {el}({d}(e)):\n"
        f"        e[{int(slot)}] = _v\n"
        f"        _r = {expr}\n"
        f"        if _r is not {done}:\n"
        f"            if _r is {other}:\n"
        f"                return {other}\n"
        f"            return {er}(_r)\n"
        f"    return {done}\n"
    )
    return _define(src, em.env, "<tlacheck: fused quantifier>")


def _define(src: str, env: dict[str, Any], where: str) -> Callable[[Any], Any]:
    """The function ``fused`` that ``src`` defines, its names bound in ``env`` (the only
    place Python is generated: see the module docstring for what ``src`` may hold)."""
    exec(compile(src, where, "exec"), env)  # noqa: S102
    fused: Callable[[Any], Any] = env["fused"]
    return fused


def _size(code: Any, n: int) -> int:
    """The number of describable nodes under ``code``, counting up to 2."""
    gen = code.gen
    if gen is None or code.const:
        return n
    n += 1
    if n >= 2:
        return n
    for part in gen[1:]:
        if isinstance(part, list):
            for c in part:
                if hasattr(c, "gen"):
                    n = _size(c, n)
        elif hasattr(part, "gen"):
            n = _size(part, n)
        if n >= 2:
            return n
    return n

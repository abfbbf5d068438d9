"""Fusing a tree of small compiled expressions into one generated Python function.

The compiler turns each node of an expression into a closure; a predicate such
as ``m.type = "1b" => m.bal =< maxBal[m.acc]`` is then six calls per element.
Nodes of the commonest kinds (boolean connectives, ``=``, comparisons and
integer arithmetic, record fields, function application, IF, ``\\in``, reads of
bound names and variables, LET definitions and operator arguments evaluated on
first use, the entry into a LET or an operator that clears their slots, the
built-in operators (Len, SubSeq, Append, Head, Tail, Cardinality, ``..``, ``%`` and ``\\div`` with
their fast paths written out) and function constructors ``[x \\in S |-> e]``) also
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

import re
from collections.abc import Callable
from typing import Any

from checker.tla import stdlib as lib
from checker.values import Fn, ModelValue, fn_getter

# Python's operator for each TLA+ arithmetic or comparison operator that may be inlined.
ARITH_TOKENS = {"+": "+", "-": "-", "*": "*", "<": "<", ">": ">", "<=": "<=", ">=": ">="}

# The fast paths of the built-in operators tagged in compiler._INLINE_CALLS: the temporaries
# {0}.. hold the arguments' values (written {n}.. where first evaluated), {s}(...) is the
# operator itself, called for anything off its fast path (it returns the value or raises).
# Each fast path gives what the operator gives: Len, Append, Head, Tail and SubSeq of a
# sequence (a tuple), the Cardinality of a set, a..b, a % b (b > 0) and a \\div b (b # 0) of
# integers (Python's % and // round towards minus infinity, as TLA+'s do).
_INLINE = {
    "len": "(len({0}) if type({0} := {1}) is tuple else {s}({0}))",
    "append": "(({0} + ({1},)) if (type({0} := {2}) is tuple) & (({1} := {3}) is not U) else {s}({0}, {1}))",
    "head": "({0}[0] if type({0} := {1}) is tuple and {0} else {s}({0}))",
    "tail": "({0}[1:] if type({0} := {1}) is tuple and {0} else {s}({0}))",
    "subseq": (
        "({0}[{1} - 1:{2}] if (type({0} := {3}) is tuple) & (type({1} := {4}) is int) & (type({2} := {5}) is int) "
        "and 1 <= {1} <= {2} <= len({0}) else {s}({0}, {1}, {2}))"
    ),
    "card": "(len({0}) if type({0} := {1}) is frozenset else {s}({0}))",
    # S \cup T of two sets (S itself where T adds nothing: msgs \cup {m} for a message sent again).
    "cup": "(({0} if {1} <= {0} else {0} | {1}) if (type({0} := {2}) is frozenset) & (type({1} := {3}) is frozenset) else {s}({0}, {1}))",
    "minus": "(({0} - {1}) if (type({0} := {2}) is frozenset) & (type({1} := {3}) is frozenset) else {s}({0}, {1}))",
    "mod": "(({0} % {1}) if (type({0} := {2}) is int) & (type({1} := {3}) is int) and {1} > 0 else {s}({0}, {1}))",
    "div": "(({0} // {1}) if (type({0} := {2}) is int) & (type({1} := {3}) is int) and {1} != 0 else {s}({0}, {1}))",
    "interval": (
        "(frozenset(range({0}, {1} + 1)) if (type({0} := {2}) is int) & (type({1} := {3}) is int) "
        "and {1} - {0} < 4096 else {s}({0}, {1}))"
    ),
}

# Where generated source hands the frame to something it calls: ``F3(e)``, ``S7(e, t)``.
_PASSES_FRAME = re.compile(r"\(e[,)]")
_MAX_DEPTH = 40  # nesting of generated expressions (Python's parser stops near 200)
_EQ_TYPES = frozenset({int, str, bool, ModelValue, Fn, tuple, frozenset})
_KEYED = frozenset({int, str, ModelValue})  # values keyed by value (no TRUE: Python's 1 == True)


class _Emitter:
    def __init__(self, unset: Any) -> None:
        self.env: dict[str, Any] = {
            "__builtins__": {
                "type": type, "int": int, "str": str, "frozenset": frozenset, "tuple": tuple, "len": len, "range": range,
                "id": id,
                "sum": sum,
            },
            "Fn": Fn,
            "U": unset,
            "EQT": _EQ_TYPES,
            "FG": fn_getter(),
        }
        self.count = 0
        self.local: dict[int, str] = {}  # frame slots read as a local variable instead (fuse_filter)
        # The current state's variables read as locals (``_s{i}``, set at the function's start:
        # fuse_action, where the state does not change while the function runs); None: e[0][i].
        self.state_vars: set[int] | None = None

    def name(self, prefix: str, obj: Any) -> str:
        self.count += 1
        n = f"{prefix}{self.count}"
        self.env[n] = obj
        return n

    def temp(self) -> str:
        self.count += 1
        return f"_t{self.count}"

    def slot(self, i: int) -> str:
        """A frame slot's value: a local where one holds it."""
        return self.local.get(i) or f"e[{i}]"

    def var(self, which: int, i: int) -> str:
        """A variable's value in the current (which 0) or next (1) state."""
        if which == 0 and self.state_vars is not None:
            self.state_vars.add(i)
            return f"_s{i}"
        return f"e[{which}][{i}]"

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
            return self.slot(int(gen[1]))
        if kind == "var":
            return self.var(int(gen[1]), int(gen[2]))
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
            if b.const != a.const and type((b if b.const else a).value) is ModelValue:
                # A model value equals only itself and is comparable with any value (stdlib.equal):
                # the test is identity (the values are interned), whatever the other's kind.
                k = self.name("K", (b if b.const else a).value)
                return f"({self.emit(a if b.const else b, d)} {'is' if positive else 'is not'} {k})"
            if b.const != a.const and type((b if b.const else a).value) in _EQ_TYPES:
                # One side a constant of a plain kind (pc[self] = "a1"): only the other's type tested.
                k, kt = self.name("K", (b if b.const else a).value), self.name("K", type((b if b.const else a).value))
                other = self.emit(a if b.const else b, d)
                left, right = (x, k) if b.const else (k, x)
                return f"(({left} {op} {right}) if type({x} := {other}) is {kt} else {s}({left}, {right}))"
            return (
                f"(({x} {op} {y}) if type({x} := {self.emit(a, d)}) is type({y} := {self.emit(b, d)}) "
                f"and type({x}) in EQT else {s}({x}, {y}))"
            )
        if kind == "arith":
            _, token, a, b, bad = gen
            op = ARITH_TOKENS[token]
            x, y = self.temp(), self.temp()
            s = self.name("S", bad)
            if b.const != a.const and type((b if b.const else a).value) is int:
                # One side an integer constant (i + 1): only the other's type tested.
                k = self.name("K", (b if b.const else a).value)
                left, right = (x, k) if b.const else (k, x)
                return (
                    f"(({left} {op} {right}) if type({x} := {self.emit(a if b.const else b, d)}) is int "
                    f"else {s}({left}, {right}))"
                )
            # ``&``, not ``and``: both operands are evaluated before either is checked, as the closure does.
            return (
                f"(({x} {op} {y}) if (type({x} := {self.emit(a, d)}) is int) & "
                f"(type({y} := {self.emit(b, d)}) is int) else {s}({x}, {y}))"
            )
        if kind == "field":
            _, r, fname, slow = gen
            t, v = self.temp(), self.temp()
            n, s = self.name("N", fname), self.name("S", slow)
            return f"({v} if ({v} := FG({t} := {self.emit(r, d)}, {n}, U)) is not U else {s}({t}))"
        if kind == "app":
            _, f, arg, slow = gen
            t, x, v = self.temp(), self.temp(), self.temp()
            s = self.name("S", slow)
            # A sequence (a function of 1..n: a tuple) indexed by an integer in its domain is
            # read inline too (PlusCal's pc[self] with Procs == 1..N).
            # (FG: the value where the function is an Fn with the key in its domain, else U.)
            return (
                f"({v} if ({v} := FG({t} := {self.emit(f, d)}, {x} := {self.emit(arg, d)}, U)) is not U "
                f"else ({t}[{x} - 1] if type({t}) is tuple "
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
            if st.const and type(st.value) is frozenset:
                kind = lib.atoms_kind(st.value)
                if kind is None:
                    return f"({self.emit(a, d)} {op} {self.name('K', st.value)})"  # pc[i] \\in {"b", "Done"}
                # Integers or booleans: TRUE is not in {1} (Python's 1 == True), the slow path says so.
                k = self.name("K", st.value)
                return f"(({x} {op} {k}) if type({x} := {self.emit(a, d)}) is {self.name('T', kind)} else {s}({x}, {k}))"
            return (
                f"(({x} {op} {t}) if (({x} := {self.emit(a, d)}) is U) | "
                f"(type({t} := {self.emit(st, d)}) is frozenset) else {s}({x}, {t}))"
            )
        if kind == "call":
            # A built-in operator applied to its arguments' values (it locates its own errors);
            # for a few, their fast path written out (the arguments evaluated first, in order).
            _, applied, codes, tag = gen
            args = [self.emit(c, d) for c in codes]
            s = self.name("S", applied)
            if tag is None or tag not in _INLINE:
                return f"{s}({', '.join(args)})"
            names = [self.temp() for _ in args]
            return _INLINE[tag].format(*names, *args, s=s)
        if kind == "except1":
            # [f EXCEPT ![a] = v], v not reading @: replaced(f, a, v) for a point of an Fn in its
            # domain (v evaluated only then, as the closure does), else other(e, f, a).
            _, f, key, value, replaced, other = gen
            t, k = self.temp(), self.temp()
            if value.const or (value.gen is not None and value.gen[0] in ("slot", "var")):
                # A value that cannot fail, evaluated first: the guard is replaced's own (given
                # U as its miss, it gives U where f is not an Fn or a is not in its domain).
                r = self.temp()
                return (
                    f"({r} if ({r} := {self.name('S', replaced)}({t} := {self.emit(f, d)}, {k} := {self.emit(key, d)}, "
                    f"{self.emit(value, d)}, U)) is not U else {self.name('S', other)}(e, {t}, {k}))"
                )
            return (
                f"({self.name('S', replaced)}({t}, {k}, {self.emit(value, d)}) if (type({t} := {self.emit(f, d)}) is Fn) & "
                f"(({k} := {self.emit(key, d)}) is not U) and {k} in {t} else {self.name('S', other)}(e, {t}, {k}))"
            )
        if kind == "fncons":
            # [x \\in S |-> e] as a dict comprehension whose target is x's slot, made a function
            # by M (a tuple for 1..n). Its iterable may not assign temporaries (Python forbids
            # it there): S is called as a function of its own.
            _, dom, slot, body, elements, make, norm = gen
            el = self.name("L", elements)
            if dom.const:
                items = self.iterable(dom, el)
            else:
                items = f"{el}({self.name('F', fuse(dom, self.env['U']))}(e))"
            at = int(slot)
            return f"{self.name('M', make)}({{e[{at}]: {self.stored(body, norm, d)} for e[{at}] in {items}}})"
        if kind == "set":
            # A set literal: built in order, as the closure does, each element made real by its
            # norm where it may be a lazy set (Compiler.stored).
            items = ", ".join(self.stored(c, norm, d) for c, norm in zip(gen[1], gen[2]))
            return f"frozenset(({items},))"
        if kind == "record":
            _, names, codes, make, norms = gen
            # make: values.record_builder(names), given the field values in order.
            fields = "".join(f"{self.stored(c, norm, d)}, " for c, norm in zip(codes, norms))
            return f"{self.name('M', make)}(({fields}))"
        if kind == "memo":
            # A state-level operator memoised per state (VotedForIn(a, v, b)): the arguments'
            # values keyed in the table, a hit taken where the table is this state's, else
            # miss(e, key) computes it (and clears the table for a new state).
            _, args, key, cache, table, miss, state = gen
            k, v = self.temp(), self.temp()
            items = "".join(f"{self.emit(a, d)}, " for a in args)
            return (
                f"({v} if ({v} := {self.name('T', table)}.get(({k} := ({self.name('K', key)}, {items})), U)) is not U "
                f"and {self.name('C', cache)}.state is e[{int(state)}] else {self.name('S', miss)}(e, {k}))"
            )
        if kind == "lasting":
            # An operator kept across states (Compiler.memo_lasting): while on, the table of the
            # ids of the variables' values, then the arguments (every one evaluated, then
            # tested: integers, strings or model values) looked up inline; once given up, the
            # per-state memo's table (this state's where its cache's state is it); else
            # miss(e, (key, args...), ok).
            _, args, key, tables, miss, state, reads, lasting, cache, ptable, projs = gen
            v, t, ok = self.temp(), self.temp(), self.temp()
            names = [self.temp() for _ in args]
            ck = self.name("K", _KEYED)
            tests = " & ".join(f"(type({x} := {self.emit(a, d)}) in {ck})" for x, a in zip(names, args)) or "True"
            ids = []
            for i, p in zip(reads, projs or [None] * len(reads)):
                x = self.var(int(state), int(i))
                if p is not None:
                    # The part of the value the body reads (code.Projection), once per value.
                    o, y = self.name("O", p), self.temp()
                    x = f"({o}.out if ({y} := {x}) is {o}.last else {o}({y}))"
                ids.append(f"id({x})")
            found = ids[0] if len(ids) == 1 else "(" + "".join(f"{x}, " for x in ids) + ")"
            k = self.name("K", key)
            key_tuple = f"({k}, " + "".join(f"{x}, " for x in names) + ")"
            s_miss = self.name("S", miss)
            on = (
                f"({v} if ({ok} := {tests}) and ({t} := {self.name('T', tables)}.get({found})) is not None "
                f"and ({v} := {t}.get({key_tuple}, U)) is not U else {s_miss}(e, {key_tuple}, {ok}))"
            )
            w, pk = self.temp(), self.temp()
            items = "".join(f"{self.emit(a, d)}, " for a in args)
            off = (
                f"({w} if ({w} := {self.name('T', ptable)}.get(({pk} := ({k}, {items})), U)) is not U "
                f"and {self.name('C', cache)}.state is e[{int(state)}] else {s_miss}(e, {pk}, False))"
            )
            return f"({on} if {self.name('C', lasting)}.on else {off})"
        if kind == "across":
            # An expression kept across states (Compiler.kept): while on, the table of the ids of
            # the variables' values, then the bound names' values (integers, strings, model
            # values, records of those: one object per value, found in ``records`` by identity)
            # looked up inline, else miss(e, (key, values...), ok); while its first calls are
            # counted, trying(e); once given up, the expression itself.
            _, args, key, tables, miss, state, reads, lasting, code, records, trying = gen
            v, t, ok = self.temp(), self.temp(), self.temp()
            names = [self.temp() for _ in args]
            ck, rs = self.name("K", _KEYED), self.name("T", records)
            tests = (
                " & ".join(f"((type({x} := {self.emit(a, d)}) in {ck}) or {rs}.get(id({x})) is {x})" for x, a in zip(names, args))
                or "True"
            )
            ids = [f"id({self.var(int(state), int(i))})" for i in reads]
            found = ids[0] if len(ids) == 1 else "(" + "".join(f"{x}, " for x in ids) + ")"
            key_tuple = f"({self.name('K', key)}, " + "".join(f"{x}, " for x in names) + ")"
            on = (
                f"({v} if ({ok} := {tests}) and ({t} := {self.name('T', tables)}.get({found})) is not None "
                f"and ({v} := {t}.get({key_tuple}, U)) is not U else {self.name('S', miss)}(e, {key_tuple}, {ok}))"
            )
            c = self.name("C", lasting)
            return f"({on} if {c}.on else ({self.name('S', trying)}(e) if {c}.trying else {self.emit(code, d)}))"
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

    def stored(self, code: Any, norm: Any, depth: int) -> str:
        """``code``'s value, made real by ``norm`` (lib.normalize) where it may be a lazy set
        (not of a kind a state holds: EQT), as ``Compiler.stored`` does; no check where norm is None."""
        if norm is None:
            return self.emit(code, depth)
        t = self.temp()
        return f"({t} if type({t} := {self.emit(code, depth)}) in EQT else {self.name('S', norm)}({t}))"

    def iterable(self, dom: Any, elements: str) -> str:
        """What a quantifier's loop iterates over for the set ``dom`` (a Code), in the order
        the closures take (``elements``, the name of ``_elements``: a set's own order). A
        constant set is the list of its elements; ``0..n`` and ``1..n`` (below 1000
        elements) are a ``range``, which gives the set's own order of its integers there."""
        if dom.const:
            items = dom.fn([])
            return self.name("K", items) if type(items) is list else f"{elements}({self.name('K', items)})"
        gen = dom.gen
        if gen is not None and gen[0] == "call" and gen[3] == "interval":
            _, applied, (a, b), _tag = gen
            x, y = self.temp(), self.temp()
            return (
                f"(range({x}, {y} + 1) if (type({x} := {self.emit(a, 1)}) is int) & "
                f"(type({y} := {self.emit(b, 1)}) is int) and (0 <= {x} <= 1 and {y} - {x} < 1000 or {y} < {x}) "
                f"else {elements}({self.name('S', applied)}({x}, {y})))"
            )
        return f"{elements}({self.emit(dom, 1)})"

    def junction(self, conj: bool, items: list[Any], errs: list[Callable[[Any], Any]], depth: int) -> str:
        stop, go = ("False", "True") if conj else ("True", "False")
        out = ""
        for i in reversed(range(len(items))):
            item = self.emit(items[i], depth + (len(items) - i))
            if boolean(items[i]):
                # A boolean for certain: no test of its kind (m.type = "req" /\ m.dst = p).
                if not out:
                    out = item
                else:
                    out = f"({out} if {item} else False)" if conj else f"(True if {item} else {out})"
                continue
            t = self.temp()
            err = self.name("E", errs[i])
            if not out:
                out = f"({t} if ({t} := {item}) is True or {t} is False else {err}({t}))"
            else:
                out = f"({out} if ({t} := {item}) is {go} else ({stop} if {t} is {stop} else {err}({t})))"
        return out


# The generated kinds whose value is always True or False (or an error raised): =, #, \\in,
# \\notin (their slow paths return ``... is positive``), ~, /\\, \\/ and => (each part tested).
_BOOLEAN_KINDS = frozenset({"eq", "in", "neg", "conj", "disj", "implies"})


def boolean(code: Any) -> bool:
    """Whether ``code``'s generated expression gives True or False for certain (a constant
    boolean, or one of ``_BOOLEAN_KINDS`` written out): then no test of its kind is needed."""
    if code.const:
        return type(code.value) is bool
    gen = code.gen
    return gen is not None and gen[0] in _BOOLEAN_KINDS


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
    forall: bool, dom: Any, elements: Callable[[Any], Any], slot: int, body: Any,
    err: Callable[[Any], Any], unset: Any,
) -> Callable[[Any], Any] | None:
    """``\\A x \\in S : P`` or ``\\E x \\in S : P`` (one bound name in frame slot ``slot``) as one
    generated loop with ``P`` written inline, or None when ``P`` is not worth it. ``dom``
    is S's code, ``elements`` gives a set's elements in order, ``err`` raises for a non-boolean ``P``."""
    if body.gen is None or body.const:
        return None
    em = _Emitter(unset)
    em.local[int(slot)] = "_v"  # (the bound name read as the loop variable; in its slot too, for what is called)
    expr = em.emit(body, 1)
    em.local = {}  # (S is of the scope outside x)
    el, er = em.name("L", elements), em.name("E", err)
    items = em.iterable(dom, el)
    done, other = ("True", "False") if forall else ("False", "True")
    src = (
        "def fused(e):\n"
        f"    for _v in {items}:\n"
        f"        e[{int(slot)}] = _v\n"
        f"        _r = {expr}\n"
        f"        if _r is not {done}:\n"
        f"            if _r is {other}:\n"
        f"                return {other}\n"
        f"            return {er}(_r)\n"
        f"    return {done}\n"
    )
    return _define(src, em.env, "<tlacheck: fused quantifier>")


def fuse_quantifiers(
    forall: bool, loops: list[tuple[Any, int]], elements: Callable[[Any], Any], body: Any,
    err: Callable[[Any], Any], unset: Any,
) -> Callable[[Any], Any] | None:
    """``\\A x \\in S, y \\in T : P`` (``loops``: each bound's set and frame slot, the first the
    outermost loop) as nested generated loops with ``P`` written inline, or None when ``P`` is
    constant; ``err`` raises for a non-boolean ``P``. The loops run as ``binders.quant``'s (a
    ``P`` that is not describable is called, as the closure would, from inside the loops)."""
    if body.const:
        return None
    em = _Emitter(unset)
    names = [em.temp() for _ in loops]
    em.local = {int(slot): v for (_, slot), v in zip(loops, names)}  # (as fuse_quantifier's)
    expr = em.emit(body, len(loops))
    el, er = em.name("L", elements), em.name("E", err)
    done, other = ("True", "False") if forall else ("False", "True")
    lines = ["def fused(e):"]
    for depth, ((dom, slot), v) in enumerate(zip(loops, names)):
        ind = "    " * (depth + 1)
        em.local = {int(s): x for (_, s), x in zip(loops[:depth], names)}  # (the outer loops' names)
        lines.append(f"{ind}for {v} in {em.iterable(dom, el)}:")
        lines.append(f"{ind}    e[{int(slot)}] = {v}")
    ind = "    " * (len(loops) + 1)
    lines += [
        f"{ind}_r = {expr}",
        f"{ind}if _r is not {done}:",
        f"{ind}    if _r is {other}:",
        f"{ind}        return {other}",
        f"{ind}    return {er}(_r)",
        f"    return {done}",
    ]
    return _define("\n".join(lines) + "\n", em.env, "<tlacheck: fused quantifier>")


def fuse_filter(
    dom: Any, slot: int, pred: Any, other: Callable[[Any, Any], Any], err: Callable[[Any], Any], unset: Any
) -> Callable[[Any], Any] | None:
    """``{x \\in S : P}`` (x in frame slot ``slot``) as one generated loop with ``P`` written
    inline, or None where ``P`` is constant. A set (or a constant set's list, in TLC's order)
    is filtered in the order the closure takes; any other value of S goes to
    ``other(e, S)``, which gives (the filter's value, None) where it stays lazy (a large lazy
    set) or (None, the elements to filter); ``err`` raises for a non-boolean ``P``."""
    if pred.const:
        return None
    em = _Emitter(unset)
    k = int(slot)
    em.local[k] = x = "_x"
    expr = em.emit(pred, 1)
    if _PASSES_FRAME.search(expr):
        # Something called reads the frame (a closure, a lazy or memoised operator): x goes
        # in its slot, as the closure has it.
        em = _Emitter(unset)
        expr, x = em.emit(pred, 1), f"e[{k}]"
    em.local = {}  # (S is of the scope outside x)
    if dom.const:
        items = dom.fn([])
        d = em.name("K", items if type(items) is list else dom.value)
    else:
        d = em.emit(dom, 1)
    o, er, lst = em.name("S", other), em.name("E", err), em.name("K", list)
    t, w, r = em.temp(), em.temp(), em.temp()
    test = expr if boolean(pred) else f"({r} := {expr}) is True or ({r} is not False and {er}({r}))"
    src = (
        "def fused(e):\n"
        f"    {t} = {d}\n"
        f"    if type({t}) is not frozenset and type({t}) is not {lst}:\n"
        f"        {w}, {t} = {o}(e, {t})\n"
        f"        if {w} is not None:\n"
        f"            return {w}\n"
        f"    return frozenset([{x} for {x} in {t} if {test}])\n"
    )
    return _define(src, em.env, "<tlacheck: fused filter>")


def fuse_set_map(
    dom: Any, slot: int, body: Any, norm: Callable[[Any], Any] | None, elements: Callable[[Any], Any], unset: Any
) -> Callable[[Any], Any] | None:
    """``{e : x \\in S}`` (x in frame slot ``slot``) as one generated comprehension with ``e``
    written inline (each value made real by ``norm`` where it may be a lazy set, as
    ``Compiler.stored``), or None where ``e`` is constant. A set (or a constant set's list)
    is gone through in the closure's order; any other value of S through ``elements``."""
    if body.const:
        return None
    em = _Emitter(unset)
    value = em.stored(body, norm, 1)
    if dom.const:
        items = dom.fn([])
        d = em.name("K", items if type(items) is list else dom.value)
    else:
        d = em.emit(dom, 1)
    el, lst = em.name("L", elements), em.name("K", list)
    t, k = em.temp(), int(slot)
    src = (
        "def fused(e):\n"
        f"    {t} = {d}\n"
        f"    if type({t}) is not frozenset and type({t}) is not {lst}:\n"
        f"        {t} = {el}({t})\n"
        f"    return frozenset([{value} for e[{k}] in {t}])\n"
    )
    return _define(src, em.env, "<tlacheck: fused set map>")


def fuse_except(
    base: Any, tree: list[tuple[Any, ...]], at: int, slow: Callable[[Any], Any], norm: Callable[[Any], Any], unset: Any
) -> Callable[[Any], Any]:
    """``[f EXCEPT !p1 = v1, !p2 = v2, ...]`` through nested paths as one generated function.
    ``tree`` is the paths grouped by the compiler (``Compiler.except_tree``): a list of
    ``("node", key, children)`` (a step that consecutive paths take with the same key
    expression: its value is copied once, changed by each child in turn, and stored back)
    and ``("leaf", key, value, reads_at)`` (a path's last step: the point replaced by the
    value, with ``@`` in frame slot ``at`` where it reads it). Every level is a function
    (``Fn``, changed in a copy) or a sequence (a tuple, changed in a list); anything else (a
    key outside the domain, another value) calls ``slow(e)``, the closure, which gives the
    EXCEPT's value or its error from the start. Keys and values are evaluated in the
    closure's order (a key expression shared by consecutive paths once); a copy is only
    changed while its own step runs, so a value that reads ``@`` never sees one changed after."""
    em = _Emitter(unset)
    s, lst = em.name("S", slow), em.name("K", list)
    lines = ["def fused(e):"]
    top = em.temp()
    lines.append(f"    {top} = {em.emit(base, 1)}")

    def level(old: str, children: list[tuple[Any, ...]]) -> str:
        c = em.temp()
        lines.extend([
            f"    if type({old}) is Fn:",
            f"        {c} = Fn({old})",
            f"        {c}._hash = None",
            f"    elif type({old}) is tuple:",
            f"        {c} = {lst}({old})",
            "    else:",
            f"        return {s}(e)",
        ])  # fmt: skip
        for child in children:
            k, i = em.temp(), em.temp()
            if child[1].const and type(child[1].value) is str:
                # A field (.status): only in a function's domain.
                i = em.name("K", child[1].value)
                lines.append(f"    if type({c}) is not Fn or {i} not in {c}:")
                lines.append(f"        return {s}(e)")
            else:
                lines.extend([
                    f"    {k} = {em.emit(child[1], 1)}",
                    f"    if type({c}) is Fn:",
                    f"        if {k} not in {c}:",
                    f"            return {s}(e)",
                    f"        {i} = {k}",
                    f"    elif type({k}) is int and 0 < {k} <= len({c}):",
                    f"        {i} = {k} - 1",
                    "    else:",
                    f"        return {s}(e)",
                ])  # fmt: skip
            if child[0] == "leaf":
                if child[3]:
                    lines.append(f"    e[{int(at)}] = {c}[{i}]")
                lines.append(f"    {c}[{i}] = {em.stored(child[2], norm, 1)}")
            else:
                o = em.temp()
                lines.append(f"    {o} = {c}[{i}]")
                lines.append(f"    {c}[{i}] = {level(o, child[2])}")
        lines.append(f"    if type({c}) is not Fn:")
        lines.append(f"        {c} = tuple({c})")
        return c

    result = level(top, tree)
    lines.append(f"    return {result}")
    return _define("\n".join(lines) + "\n", em.env, "<tlacheck: fused except>")


def _label_maker(
    make: Callable[[str, tuple[Any, ...]], Any], name: str, table: dict[Any, Any], single: bool = False
) -> Callable[..., Any]:
    """The constructor of an emitted successor's label with these arguments, kept in ``table``
    when ``keep`` (its arguments are atoms: equal tuples are the same values), by its one
    argument itself where ``single``."""

    def made(args: tuple[Any, ...], keep: bool) -> Any:
        label = make(name, args)
        if keep:
            if len(table) >= 4_096:
                table.clear()
            table[args[0] if single else args] = label
        return label

    return made


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


# -- whole actions ------------------------------------------------------------------------------
#
# ``checker.tla.compile.whole`` reads an action (its ``\E`` loops, guards, primed assignments,
# UNCHANGED, IF and disjunction branches) into a tree of the statements below; :func:`fuse_action`
# writes the tree out as one Python function. As for expressions, the source holds only names
# made here, integers and operators; the values, the closures and the helpers that raise the
# closures' errors come through the namespace. A statement's last part is the statement that
# follows it (the rest of the action, written inside its block); ``rest`` lists run in turn.
#
#   ("guard", code, fail, rest, key)     rest if code is TRUE; fail(v) for a non-boolean; key (slots,
#                                         cache) as count's: inside a loop whose slot the guard does not
#                                         read, its value kept per the values of the slots it reads
#   ("cond", code, fail, then, else)      IF and =>: then or else by a boolean
#   ("set", i, code, fix, rest)           x' = e, x unassigned: fix(v) normalises a lazy set (None: no need)
#   ("same", i, code, cmp, rest)          x' = e, x assigned: rest if equal (cmp(old, v) off the fast path)
#   ("each", i, code, order, rest)        x' \in S, x unassigned: rest once per element
#   ("member", i, code, mem, rest)        x' \in S, x assigned: rest if mem(old, S)
#   ("loop", dom, slot, order, rest, keep)  \E x \in S: rest once per element, x in frame slot ``slot``;
#                                         keep (slots, lasting): S reads no state, its elements kept
#                                         in order across states per the values of those slots
#   ("kept", index, slot, rest)           as loop, over the index-th list the prefilter kept
#   ("prefilter", pf, fallback, rest)     pf(e): the values kept per loop; None: fallback(e) instead
#   ("select", dom, sel, slot, hit, miss) \E m \in S: m.f = c /\ ...: sel(S) gives (m, passed)
#   ("count", dom, slot, order, ways, key, rest)  \A over a body that assigns nothing: rest n times,
#                                         n the product of its ways over the elements (``_ActionWriter.ways``);
#                                         key (slots, cache): each element's ways kept per the values of
#                                         the slots the body reads, in cache() (a dict, new for each call)
#   ("label", maker, rest)                the action's label while rest runs (where it calls on)
#   ("clear", slots, rest)                LET and operator entry: lazy slots cleared first
#   ("seq", [statements])                 a disjunction: each in turn
#   ("dispatch", code, rest)              code's value (pc[self]; None where it raises) once for the
#                                         "pcguard"s in rest
#   ("pcguard", label, code, fail, rest)  a guard pc[self] = label: compared with the value read
#                                         where it is a string, else code as written
#   ("done", k)                           k(e): the successor is complete
#   ("emit", make, name, shown)           the same where k is code.EmitSuccessor and every variable
#                                         is assigned: (make(name, shown's values), state) appended to e[3]

_MAX_BLOCKS = 18  # nested loops (Python refuses more than 20 nested blocks)
_MAX_LINES = 4_000
COUNT_ENTRIES = 4_096  # counts kept per table of a count kept across states (whole._CountTables)


class _TooBig(Exception):
    pass


class _ActionWriter:
    def __init__(self, unset: Any, nvars: int | None = None) -> None:
        self.em = _Emitter(unset)
        self.nvars = nvars  # the number of variables (None: every successor built from _n)
        # The variables whose next value the successor takes from a temporary (or the state,
        # e[0][k]) rather than from _n, where nothing before the emit reads the next state.
        self.held: dict[int, str] = {}
        self.lines: list[str] = []
        self.kept = ""  # the temporary holding the lists of the innermost prefilter
        self.prologue: list[str] = []  # lines run first (the caches of counted \\A)
        self.key: tuple[str, str] | None = None  # the temporaries of a dispatch: its value, whether a string
        self.loops: list[int | None] = []  # the slots the enclosing loops bind (None: a repetition, count's)
        self.atoms: set[int] = set()  # the slots of enclosing loops over a constant list of atoms
        self.stable: set[int] = set()  # and over another constant list (its elements' ids kept)
        self.em.env["CK"] = frozenset({ModelValue, str, int})

    def line(self, ind: int, text: str) -> None:
        self.lines.append("    " * ind + text)
        if len(self.lines) > _MAX_LINES:
            raise _TooBig

    def value(self, ind: int, code: Any) -> str:
        """A temporary holding ``code``'s value, computed by lines written here."""
        t = self.em.temp()
        gen = code.gen
        if gen is not None and gen[0] == "fncons" and not code.const:
            # [x \\in S |-> e]: its loop written out, the pairs into a dict, made a function by M.
            _, dom, slot, body, elements, make, norm = gen
            v = self.em.temp()
            self.line(ind, f"{t} = {{}}")
            self.line(ind, f"for {v} in {self.em.iterable(dom, self.em.name('L', elements))}:")
            self.line(ind + 1, f"e[{int(slot)}] = {v}")
            self.line(ind + 1, f"{t}[{v}] = {self.em.stored(body, norm, 1)}")
            self.line(ind, f"{t} = {self.em.name('M', make)}({t})")
            return t
        self.line(ind, f"{t} = {self.em.emit(code, 1)}")
        return t

    def elements(self, ind: int, dom: Any, order: Any) -> str:
        """What a loop over the set ``dom`` iterates: ``order(S)``, or a constant list as it is.
        Where ``order`` keeps the sets it has ordered (``kept``: set id -> (set, elements)), a
        set found there is read inline (BecomeLeader's quorum, ordered once, read 40 times a state)."""
        if dom.const and type(dom.value) is list:
            return self.em.name("K", dom.value)
        em = self.em
        t, name = self.value(ind, dom), em.name("L", order)
        kept = getattr(order, "kept", None)
        if kept is None:
            return f"{name}({t})"
        h = em.temp()
        return f"({h}[1] if ({h} := {em.name('K', kept.get)}(id({t}))) is not None and {h}[0] is {t} else {name}({t}))"

    def write(self, st: Any, ind: int, blocks: int) -> None:
        if blocks > _MAX_BLOCKS or ind > 80:
            raise _TooBig
        kind = st[0]
        em = self.em
        if kind == "seq":
            if not st[1]:
                self.line(ind, "pass")
            for part in st[1]:
                self.write(part, ind, blocks)
            return
        if kind == "done":
            self.line(ind, f"{em.name('F', st[1])}(e)")
            return
        if kind == "emit":
            _, make, name, shown = st
            label = em.name("K", None)
            if name is not None:
                # The label of each tuple of arguments built once (a label per successor cost
                # 0.3 us, and the search seldom reads it), where they are integers, strings or
                # model values: a dict would take TRUE for 1, which other values may hold.
                names = [em.temp() for _ in shown]
                args = "".join(f"{x}, " for x in names)
                table, ok, got = em.name("T", {}), em.temp(), em.temp()
                if shown and all(self.atom(c) for c in shown):
                    # Atoms for certain (a loop's element over a constant set of atoms, or a
                    # constant atom): no test; one argument is its own key.
                    made = em.name("F", _label_maker(make, name, self.em.env[table], len(shown) == 1))
                    values = "".join(f"({x} := {em.emit(c, 1)}), " for x, c in zip(names, shown))
                    key = f"({names[0]} := {em.emit(shown[0], 1)})" if len(shown) == 1 else f"({values})"
                    label = f"({got} if ({got} := {table}.get({key})) is not None else {made}(({args}), True))"
                else:
                    tests = " & ".join(f"(type({x} := {em.emit(c, 1)}) in CK)" for x, c in zip(names, shown)) or "True"
                    made = em.name("F", _label_maker(make, name, self.em.env[table]))
                    label = f"({got} if ({ok} := {tests}) and ({got} := {table}.get(({args}))) is not None else {made}(({args}), {ok}))"
            if self.held:
                assert self.nvars is not None
                succ = "(" + "".join(f"{self.held.get(i) or f'_n[{i}]'}, " for i in range(int(self.nvars))) + ")"
            else:
                succ = "tuple(_n)"
            self.line(ind, f"{em.name('F', list.append)}(e[3], ({label}, {succ}))")
            return
        if kind == "guard":
            _, code, fail, rest, key = st
            if key is not None and any(k is None or k not in key[0] for k in self.loops):
                t = self.kept_value(ind, code, key)
            else:
                t = self.value(ind, code)
            self.line(ind, f"if {t} is True:")
            self.write(rest, ind + 1, blocks)
            self.line(ind, f"elif {t} is not False:")
            self.line(ind + 1, f"{em.name('E', fail)}({t})")
            return
        if kind == "dispatch":
            _, code, rest = st
            kt, ks, outer_key = em.temp(), em.temp(), self.key
            self.line(ind, "try:")
            self.line(ind + 1, f"{kt} = {em.emit(code, 1)}")
            self.line(ind, f"except {em.name('K', Exception)}:")
            self.line(ind + 1, f"{kt} = None")
            self.line(ind, f"{ks} = type({kt}) is str")
            self.key = (kt, ks)
            self.write(rest, ind, blocks)
            self.key = outer_key
            return
        if kind == "pcguard":
            _, label, code, fail, rest = st
            assert self.key is not None
            kt, ks = self.key
            t = em.temp()
            # One test: the string compared with the label, else the conjunct, TRUE entering,
            # FALSE not, any other value given to the failure (which raises TLC's error).
            self.line(
                ind,
                f"if ({kt} == {em.name('K', label)}) if {ks} else "
                f"(({t} := {em.emit(code, 1)}) is True or ({t} is not False and {em.name('E', fail)}({t}))):",
            )
            self.write(rest, ind + 1, blocks)
            return
        if kind == "cond":
            _, code, fail, then, other = st
            t = self.value(ind, code)
            self.line(ind, f"if {t} is True:")
            self.write(then, ind + 1, blocks)
            self.line(ind, f"elif {t} is False:")
            self.write(other, ind + 1, blocks)
            self.line(ind, "else:")
            self.line(ind + 1, f"{em.name('E', fail)}({t})")
            return
        if kind == "set":
            _, i, code, fix, rest = st
            if self.nvars is not None and not _reads_next_st(rest):
                # Nothing below reads _n before the successors are emitted: the value is
                # written into the successor's tuple at each emit, not stored and reset.
                gen = code.gen
                if fix is None and gen is not None and gen[0] == "var" and gen[1] == 0:
                    t = em.var(0, int(gen[2]))  # (an unchanged variable: read at the emit)
                else:
                    t = self.value(ind, code)
                    if fix is not None:
                        self.line(ind, f"if type({t}) not in EQT:")
                        self.line(ind + 1, f"{t} = {em.name('S', fix)}({t})")
                self.held[int(i)] = t
                self.write(rest, ind, blocks)
                del self.held[int(i)]
                return
            t = self.value(ind, code)
            if fix is not None:  # (None: a value of the state, never a lazy set)
                self.line(ind, f"if type({t}) not in EQT:")
                self.line(ind + 1, f"{t} = {em.name('S', fix)}({t})")
            self.line(ind, f"_n[{int(i)}] = {t}")
            self.write(rest, ind, blocks)
            self.line(ind, f"_n[{int(i)}] = U")
            return
        if kind == "same":
            _, i, code, cmp, rest = st
            t = self.value(ind, code)
            o = em.temp()
            self.line(ind, f"{o} = _n[{int(i)}]")
            self.line(ind, f"if ({o} == {t}) if type({o}) is type({t}) and type({t}) in EQT else {em.name('S', cmp)}({o}, {t}):")
            self.write(rest, ind + 1, blocks)
            return
        if kind == "each":
            _, i, code, order, rest = st
            t, v = self.value(ind, code), em.temp()
            self.line(ind, f"for {v} in {em.name('L', order)}({t}):")
            self.line(ind + 1, f"_n[{int(i)}] = {v}")
            self.inside(None, rest, ind + 1, blocks + 1)
            self.line(ind, f"_n[{int(i)}] = U")
            return
        if kind == "member":
            _, i, code, mem, rest = st
            t = self.value(ind, code)
            self.line(ind, f"if {em.name('S', mem)}(_n[{int(i)}], {t}):")
            self.write(rest, ind + 1, blocks)
            return
        if kind == "loop":
            _, dom, slot, order, rest, keep = st
            items = self.elements(ind, dom, order) if keep is None else self.lasting(ind, dom, order, keep)
            v = em.temp()
            self.line(ind, f"for {v} in {items}:")
            self.line(ind + 1, f"e[{int(slot)}] = {v}")
            atoms = dom.const and type(dom.value) in (list, frozenset) and all(type(x) in _KEYED for x in dom.value)
            if atoms:
                self.atoms.add(int(slot))
            elif keep is None and dom.const and type(dom.value) is list:
                self.stable.add(int(slot))  # (the constant list itself: its elements, the same objects)
            self.inside(slot, rest, ind + 1, blocks + 1, v)
            self.atoms.discard(int(slot))
            self.stable.discard(int(slot))
            return
        if kind == "prefilter":
            _, pf, fallback, rest = st
            kept, outer = em.temp(), self.kept
            self.line(ind, f"{kept} = {em.name('P', pf)}(e)")
            self.line(ind, f"if {kept} is None:")
            self.line(ind + 1, f"{em.name('F', fallback)}(e)")
            self.line(ind, "else:")
            self.kept = kept
            self.write(rest, ind + 1, blocks)
            self.kept = outer
            return
        if kind == "kept":
            _, index, slot, rest = st
            v = em.temp()
            self.line(ind, f"for {v} in {self.kept}[{int(index)}]:")
            self.line(ind + 1, f"e[{int(slot)}] = {v}")
            self.inside(slot, rest, ind + 1, blocks + 1, v)
            return
        if kind == "select":
            _, dom, sel, slot, hit, miss = st
            t, v, h = self.value(ind, dom), em.temp(), em.temp()
            self.line(ind, f"for {v}, {h} in {em.name('L', sel)}({t}):")
            self.line(ind + 1, f"e[{int(slot)}] = {v}")
            self.line(ind + 1, f"if {h}:")
            self.inside(slot, hit, ind + 2, blocks + 1, v)
            self.line(ind + 1, "else:")
            self.inside(slot, miss, ind + 2, blocks + 1, v)
            return
        if kind == "count":
            _, dom, slot, order, ways, key, rest = st
            items, v, n = self.elements(ind, dom, order), em.temp(), em.temp()
            tables = None if key is None else key[2]
            if tables is not None:
                # The table of counts for the values of the variables the body reads, kept
                # across states (whole._CountTables), found by their ids.
                # Once given up (.on false), the per-call cache instead, made at the first reach.
                cache, percall, r = em.temp(), em.temp(), tables.reads
                self.prologue.append(f"    {percall} = None")
                ids = f"id({em.var(0, int(r[0]))})" if len(r) == 1 else "(" + "".join(f"id({em.var(0, int(i))}), " for i in r) + ")"
                self.line(ind, f"if {em.name('C', tables)}.on:")
                self.line(ind + 1, f"if ({cache} := {em.name('K', tables.tables)}.get({ids})) is None:")
                self.line(ind + 2, f"{cache} = {em.name('F', tables.table)}(e)")
                self.line(ind, "else:")
                self.line(ind + 1, f"if {percall} is None:")
                self.line(ind + 2, f"{percall} = {em.name('F', key[1])}()")
                self.line(ind + 1, f"{cache} = {percall}")
            self.line(ind, f"{n} = 1")
            self.line(ind, f"for {v} in {items}:")
            self.line(ind + 1, f"e[{int(slot)}] = {v}")
            shadowed = em.local.get(int(slot))
            em.local[int(slot)] = v  # (the element, while its ways are counted)
            if key is None:
                self.line(ind + 1, f"{n} *= {self.ways(ways, 1)}")
            else:
                # The count kept per values of the slots the body reads, for this call (one
                # state's successors) or across states (above), where they are of kinds whose
                # equality is identity of value (no TRUE among them: 1 == True in Python) and
                # the spec has no effects.
                slots, pure, _ = key  # (pure() is a dict that keeps nothing where the spec has effects)
                w = em.temp()
                if tables is None:
                    cache = em.temp()
                    self.prologue.append(f"    {cache} = {em.name('F', pure)}()")
                tests, parts = self.key_of(slots)
                tup = "(" + "".join(f"{x}, " for x in parts) + ")"
                self.line(ind + 1, f"if {tests}:")
                self.line(ind + 2, f"{w} = {cache}.get({tup}, U)")
                self.line(ind + 2, f"if {w} is U:")
                if tables is None:
                    self.line(ind + 3, f"{w} = {cache}[{tup}] = {self.ways(ways, 1)}")
                else:
                    self.line(ind + 3, f"{w} = {self.ways(ways, 1)}")
                    self.line(ind + 3, f"if len({cache}) < {int(COUNT_ENTRIES)}:")
                    self.line(ind + 4, f"{cache}[{tup}] = {w}")
                self.line(ind + 1, "else:")
                self.line(ind + 2, f"{w} = {self.ways(ways, 1)}")
                self.line(ind + 1, f"{n} *= {w}")
            if shadowed is None:
                del em.local[int(slot)]
            else:
                em.local[int(slot)] = shadowed
            self.line(ind + 1, f"if not {n}:")
            self.line(ind + 2, "break")
            self.line(ind, f"for {em.temp()} in range({n}):")
            self.inside(None, rest, ind + 1, blocks + 1)
            return
        if kind == "label":
            _, maker, rest = st
            if not _calls_on(rest):
                # Only the continuation reads the label (make_label): where every successor
                # below is appended here ("emit"), with its label written out, none is set.
                self.write(rest, ind, blocks)
                return
            old = em.temp()
            self.line(ind, f"{old} = e[2]")
            self.line(ind, f"e[2] = {em.name('K', maker)}")
            self.write(rest, ind, blocks)
            self.line(ind, f"e[2] = {old}")
            return
        if kind == "clear":
            _, slots, rest = st
            for s in slots:
                self.line(ind, f"e[{int(s)}] = U")
            self.write(rest, ind, blocks)
            return
        raise AssertionError(f"unknown action statement {kind}")

    def atom(self, code: Any) -> bool:
        """Whether ``code``'s value is an integer, a string or a model value for certain."""
        if code.const:
            return type(code.value) in _KEYED
        return code.gen is not None and code.gen[0] == "slot" and int(code.gen[1]) in self.atoms

    def inside(self, slot: int | None, rest: Any, ind: int, blocks: int, v: str = "") -> None:
        """``rest`` written as the body of a loop binding ``slot`` to the loop variable ``v``
        (slot None: repeating it). The code written reads the slot as ``v`` (it is written
        into the frame too, for the closures called); nothing inside binds that slot again."""
        self.loops.append(slot)
        local = self.em.local
        outer = local.get(slot) if slot is not None else None
        if slot is not None and v:
            local[slot] = v
        self.write(rest, ind, blocks)
        if slot is not None and v:
            if outer is None:
                del local[slot]
            else:
                local[slot] = outer
        self.loops.pop()

    def lasting(self, ind: int, dom: Any, order: Any, keep: tuple[tuple[int, ...], Any]) -> str:
        """A temporary holding the elements of a loop's domain that reads no state, in order,
        kept across states in ``keep``'s table (``whole._Lasting``) per the values of the slots
        it reads, where they are of kinds whose equality is identity of value (no TRUE among
        them: 1 == True in Python); an error is raised again each time."""
        em = self.em
        slots, lasting = keep
        table, k, t = em.name("K", lasting.table), em.temp(), em.temp()
        self.keyed(ind, slots, table, k, t, "None")
        self.line(ind, f"if {t} is None:")
        value = self.value(ind + 1, dom)
        ordered = f"{em.name('L', order)}({value})"
        self.line(ind + 1, f"{t} = {ordered} if {k} is None else {em.name('S', lasting.keep)}({k}, {ordered})")
        return t

    def key_of(self, slots: tuple[int, ...]) -> tuple[str, list[str]]:
        """The test that the values of ``slots`` can key a table, and the key's parts: a value
        tested to be of a kind whose equality is identity of value (CK: no TRUE, which Python
        takes for 1); without a test, an element of an enclosing loop over a constant list of
        atoms, or the id of one over another constant list (its elements are the same objects
        for the whole run, held by the list: Paxos' quorums)."""
        tests, parts = [], []
        for j in slots:
            v = self.em.slot(int(j))
            if int(j) in self.atoms:
                parts.append(v)
            elif int(j) in self.stable:
                parts.append(f"id({v})")
            else:
                x = self.em.temp()
                tests.append(f"type({x} := {v}) in CK")
                parts.append(x)
        return " and ".join(tests) or "True", parts

    def keyed(self, ind: int, slots: tuple[int, ...], table: str, k: str, t: str, missing: str) -> None:
        """Lines setting ``k`` to the values of ``slots`` (a tuple of several) and ``t`` to
        ``table``'s entry for it, or both to ``missing`` where a value is not of a kind whose
        equality is identity of value (CK: no TRUE, which Python takes for 1) or not there."""
        tests, parts = self.key_of(slots)
        tup = parts[0] if len(parts) == 1 else "(" + "".join(f"{x}, " for x in parts) + ")"
        self.line(ind, f"if {tests}:")
        self.line(ind + 1, f"{k} = {tup}")
        self.line(ind + 1, f"{t} = {table}.get({k})" if missing == "None" else f"{t} = {table}.get({k}, {missing})")
        self.line(ind, "else:")
        self.line(ind + 1, f"{k} = {t} = {missing}")

    def kept_value(self, ind: int, code: Any, key: tuple[tuple[int, ...], Any]) -> str:
        """A temporary holding ``code``'s value, kept for this call (one state's successors) per
        the values of the slots it reads, where they are of kinds whose equality is identity of
        value (no TRUE among them: 1 == True in Python); an error is raised again each time."""
        em = self.em
        slots, pure = key
        cache, k, t = em.temp(), em.temp(), em.temp()
        self.prologue.append(f"    {cache} = {em.name('F', pure)}()")
        self.keyed(ind, slots, cache, k, t, "U")
        self.line(ind, f"if {t} is U:")
        self.line(ind + 1, f"{t} = {em.emit(code, 1)}")
        self.line(ind + 1, f"if {k} is not U:")
        self.line(ind + 2, f"{cache}[{k}] = {t}")
        return t

    def ways(self, w: Any, depth: int) -> str:
        """The number of ways a body that assigns nothing holds, as an expression:
        ("one", code, fail) 1 or 0 by a boolean; ("product", [w]) stopping at the first 0;
        ("sum", [w]) every part evaluated; ("if", code, fail, w, w) a choice by a boolean
        (``=>`` is an IF whose else is ("const", 1)); ("clear", clear, w) clear(e) first (lazy slots);
        ("exists", dom, slot, elements, w) the sum of w over elements(S), x in frame slot ``slot``."""
        em = self.em
        if depth > 12:
            raise _TooBig
        kind = w[0]
        if kind == "const":
            return str(int(w[1]))
        if kind == "one":
            t = em.temp()
            return f"(1 if ({t} := {em.emit(w[1], 3 * depth)}) is True else (0 if {t} is False else {em.name('E', w[2])}({t})))"
        if kind == "product":
            out = ""
            for part in reversed(w[1]):
                x = self.ways(part, depth + 1)
                if not out:
                    out = x
                else:
                    t = em.temp()
                    out = f"(0 if not ({t} := {x}) else {t} * {out})"
            return out or "1"
        if kind == "sum":
            return "(" + " + ".join(self.ways(part, depth + 1) for part in w[1]) + ")" if w[1] else "0"
        if kind == "if":
            _, code, fail, then, other = w
            t = em.temp()
            return (
                f"({self.ways(then, depth + 1)} if ({t} := {em.emit(code, 3 * depth)}) is True else "
                f"({self.ways(other, depth + 1)} if {t} is False else {em.name('E', fail)}({t})))"
            )
        if kind == "clear":
            _, clear, body = w
            return f"({em.name('R', clear)}(e) or {self.ways(body, depth + 1)})"
        if kind == "exists":
            # The sum of the body's ways over the elements (in the set's own order: a sum), the
            # bound name the comprehension's target. Its iterable may not assign temporaries
            # (Python forbids it there): a set that is not constant is a function of its own.
            _, dom, slot, elements, body = w
            el = em.name("L", elements)
            items = em.iterable(dom, el) if dom.const else f"{el}({em.name('F', fuse(dom, em.env['U']))}(e))"
            return f"sum([{self.ways(body, depth + 1)} for e[{int(slot)}] in {items}])"
        raise AssertionError(f"unknown ways {kind}")


def _reads_next_st(st: Any) -> bool:
    """Whether a statement tree may read the next state (_n) before it emits a successor: a
    continuation or a fallback (which read e[1]), a test of an assigned variable, or a value
    that may read a primed variable (``nxt``)."""
    return has_statement(st, ("done", "prefilter", "same", "member")) or _any_nxt(st)


def _any_nxt(parts: Any) -> bool:
    for part in parts:
        if type(part) is tuple or type(part) is list:
            if _any_nxt(part):
                return True
        elif getattr(part, "nxt", False) is not False:
            return True
    return False


def _calls_on(st: Any) -> bool:
    """Whether a statement tree hands the frame on to a continuation (k or a fallback)."""
    return has_statement(st, ("done", "prefilter"))


def has_statement(st: Any, kinds: tuple[str, ...]) -> bool:
    """Whether a statement tree holds a statement of one of ``kinds``."""
    if st and st[0] in kinds:
        return True
    for part in st[1:]:
        if isinstance(part, tuple) and part and isinstance(part[0], str) and has_statement(part, kinds):
            return True
        if isinstance(part, list) and any(isinstance(x, tuple) and x and has_statement(x, kinds) for x in part):
            return True
    return False


def fuse_action(statement: Any, unset: Any, nvars: int | None = None) -> Callable[[Any], None] | None:
    """The statement tree ``statement`` (see above) as one generated function of the frame,
    or None where it is too large or too deeply nested for one Python function. With
    ``nvars`` (the number of variables), a successor is built as a tuple display at its emit."""
    w = _ActionWriter(unset, nvars)
    w.em.env["__builtins__"]["range"] = range
    used = w.em.state_vars = set()
    try:
        w.write(statement, 1, 0)
    except _TooBig:
        return None
    head = "".join(f"    _s{i} = _s[{i}]\n" for i in sorted(used))  # (the state, read once)
    if head:
        head = "    _s = e[0]\n" + head
    src = "def fused(e):\n    _n = e[1]\n" + head + "".join(p + "\n" for p in w.prologue) + "\n".join(w.lines) + "\n"
    try:
        return _define(src, w.em.env, "<tlacheck: fused action>")
    except (SyntaxError, RecursionError, MemoryError):  # too deeply nested for Python's parser
        return None

"""Traces in the Informal Trace Format (ITF), the JSON that Apalache and Quint write.

The format is Apalache's ADR-015 (``docs/src/adr/015adr-trace.md`` in
apalache-mc/apalache). A trace is ``{"#meta": {...}, "vars": [...], "states": [...]}``
and each state is ``{"#meta": {"index": i}, "<var>": <expr>, ...}``. Expressions:

=====================  ========================================  ==========================
TLA+ value             written as                                read back from
=====================  ========================================  ==========================
``BOOLEAN``            ``true`` / ``false``                      the same
integer                a JSON number when ``|n| < 2**53``,       a number or ``#bigint``
                       else ``{"#bigint": "n"}``
string                 a JSON string                             the same
sequence (``tuple``)   a JSON list                               a list or ``{"#tup": [...]}``
set                    ``{"#set": [...]}``, in the fixed order   the same, in any order
record                 a JSON object                             an object without ``#`` keys
other function         ``{"#map": [[k, v], ...]}``               the same (``make_fn``, so a
                                                                 map with domain ``1..n`` is a
                                                                 sequence)
model value            ``{"#unserializable": "s1"}``             the same
=====================  ========================================  ==========================

Model values have no ITF form. Apalache writes a constant of an uninterpreted
type as the string ``"s1_OF_SERVER"``, which needs a type name we do not have,
so we write ``{"#unserializable": "s1"}`` (the form ITF keeps for values it
cannot express; Quint and the ``itf`` crates read it) and read it back as the
model value ``s1``. Apalache's ``"s1_OF_SERVER"`` strings stay strings: that is
what they are in the TLA+ spec Apalache checked.

What only tlacheck writes, all in ``#meta`` objects, which the format leaves free:
the action label of each step (``"action": "Phase2a(1, v1)"``, absent for the
initial state) and, in the trace's ``#meta``, the property it violates
(``"violation": {"kind": "invariant", "name": "Inv"}``). A liveness counterexample (a
lasso) has ITF's ``"loop"``: the index of the state the last state steps back to (the
last state itself for stuttering), with that step's action as ``"loop-action"`` in the
trace's ``#meta``. Quint's model-based
testing variables (``mbt::actionTaken``) are read as the step's action and left
out of the variables.

A record whose field name starts with ``#`` would collide with the keywords, so
it is written as a ``#map``; it reads back as the same record.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from checker.engine.result import Step, Trace, Violation
from checker.errors import MAX_INT_DIGITS, MAX_NESTING, ModelError
from checker.values import Fn, ModelValue, Value, format_int, make_fn, sorted_values

FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html"
_SAFE_INT = 2**53
_QUINT_ACTION = "mbt::actionTaken"
_QUINT_PREFIX = "mbt::"

Json = Any


@dataclasses.dataclass(frozen=True, slots=True)
class ItfTrace:
    """A trace read from ITF, with the violation named in its ``#meta`` (if any)."""

    trace: Trace
    violation: Violation | None
    meta: Mapping[str, Json]
    loop: int | None = None  # ITF's lasso: the index where the loop starts


# -- values ----------------------------------------------------------------------


def value_to_itf(v: Value) -> Json:
    """A TLA+ value as an ITF expression (plain JSON data)."""
    t = type(v)
    if t is bool or t is str:
        return v
    if t is int:
        return v if -_SAFE_INT < v < _SAFE_INT else {"#bigint": format_int(v)}
    if t is tuple:
        return [value_to_itf(x) for x in v]
    if t is frozenset:
        return {"#set": [value_to_itf(x) for x in sorted_values(v)]}
    if t is ModelValue:
        return {"#unserializable": v.name}
    if t is Fn:
        if v.is_record() and not any(k.startswith("#") for k in v.keys()):
            return {k: value_to_itf(x) for k, x in v.items()}
        return {"#map": [[value_to_itf(k), value_to_itf(v[k])] for k in sorted_values(v.keys())]}
    raise ModelError(f"cannot write {v!r} ({t.__name__}) as ITF: it is not a TLA+ value")


def value_from_itf(e: Json, where: str = "value", depth: int = 0) -> Value:
    """An ITF expression as a TLA+ value; ``where`` names it in error messages."""
    if depth > MAX_NESTING:
        at = where if len(where) < 80 else f"{where[:60]}..."
        raise ModelError(f"ITF {at}: the value nests more than {MAX_NESTING} levels deep")
    depth += 1
    if isinstance(e, bool) or isinstance(e, str):
        return e
    if isinstance(e, int):
        return e
    if isinstance(e, float):
        if e.is_integer():
            return int(e)
        raise ModelError(f"ITF {where}: {e} is not an integer (TLA+ has no fractions)")
    if isinstance(e, list):
        return tuple(value_from_itf(x, f"{where}[{i}]", depth) for i, x in enumerate(e))
    if isinstance(e, dict):
        if "#bigint" in e:
            text = e["#bigint"]
            try:
                return _bounded_int(text)
            except _TooLong:
                raise
            except (TypeError, ValueError):
                raise ModelError(f'ITF {where}: {{"#bigint": {text!r}}} is not an integer') from None
        if "#tup" in e:
            return tuple(
                value_from_itf(x, f"{where}.#tup[{i}]", depth) for i, x in enumerate(_list(e, "#tup", where))
            )
        if "#set" in e:
            return frozenset(value_from_itf(x, f"{where}.#set", depth) for x in _list(e, "#set", where))
        if "#map" in e:
            pairs = []
            for i, pair in enumerate(_list(e, "#map", where)):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise ModelError(f"ITF {where}.#map[{i}]: expected a [key, value] pair, got {pair!r}")
                pairs.append(
                    (value_from_itf(pair[0], f"{where}.key", depth), value_from_itf(pair[1], where, depth))
                )
            return make_fn(pairs)
        if "#unserializable" in e:
            return ModelValue(str(e["#unserializable"]))
        odd = [k for k in e if k.startswith("#")]
        if odd:
            raise ModelError(f"ITF {where}: unknown form {odd[0]!r} (expected #bigint, #tup, #set, #map)")
        if not e:
            # An empty record cannot exist in TLA+; Quint writes the unit value so.
            return ()
        return make_fn({k: value_from_itf(x, f"{where}.{k}", depth) for k, x in e.items()})
    raise ModelError(f"ITF {where}: {e!r} is not an ITF expression")


def _list(e: dict[str, Json], key: str, where: str) -> list[Json]:
    items = e[key]
    if not isinstance(items, list):
        raise ModelError(f"ITF {where}: {key} must hold a list, got {items!r}")
    return items


# -- traces ----------------------------------------------------------------------


def trace_to_itf(
    trace: Trace, violation: Violation | None = None, source: str | None = None
) -> dict[str, Json]:
    meta: dict[str, Json] = {
        "format": "ITF",
        "format-description": FORMAT_DESCRIPTION,
        "description": "Created by tlacheck",
    }
    if source:
        meta["source"] = source
    if violation is not None:
        meta["violation"] = {"kind": violation.kind, "name": violation.name}
    if trace.loop is not None and trace.loop_label is not None:
        meta["loop-action"] = str(trace.loop_label)
    states = []
    for i, step in enumerate(trace.steps):
        state_meta: dict[str, Json] = {"index": i}
        if step.label is not None:
            state_meta["action"] = str(step.label)
        state: dict[str, Json] = {"#meta": state_meta}
        for name in trace.variables:
            try:
                state[name] = value_to_itf(step.record[name])
            except ModelError as exc:
                raise ModelError(
                    f"State {i + 1}, variable {name}: {exc}. The model's as_record(state) must give "
                    "TLA+ values (bool, int, str, ModelValue, frozenset, tuple, Fn); see checker/values.py."
                ) from None
        states.append(state)
    doc: dict[str, Json] = {"#meta": meta, "vars": list(trace.variables), "states": states}
    if trace.loop is not None:
        doc["loop"] = trace.loop if trace.loop_label is not None else len(trace.steps) - 1
    return doc


def format_itf(trace: Trace, violation: Violation | None = None, source: str | None = None) -> str:
    """The trace as ITF JSON text: one line per state, so that diffs of traces read well."""
    doc = trace_to_itf(trace, violation, source)
    head = json.dumps({k: v for k, v in doc.items() if k != "states"}, ensure_ascii=False)[:-1]
    states = ",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in doc["states"])
    return f'{head}, "states": [\n{states}\n]}}\n'


def parse_itf(text: str, where: str = "trace") -> ItfTrace:
    """Read an ITF trace (ours, Apalache's or Quint's)."""
    try:
        doc = json.loads(text, parse_int=_bounded_int)
        if _SURROGATE_RE.search(text):
            try:
                json.dumps(doc, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise ModelError(f"{where}: a string holds a lone surrogate (\\ud800...), not text") from None
        return trace_from_itf(doc, where)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{where} is not JSON: {exc}") from None
    except RecursionError:
        raise ModelError(f"{where}: the JSON nests too deeply to be a trace tlacheck can read") from None
    except _TooLong as exc:
        raise ModelError(
            f"{where}: a number has {exc.digits:,} digits; tlacheck reads integers of at most "
            f"{MAX_INT_DIGITS:,} digits"
        ) from None


_SURROGATE_RE = re.compile(r"\\u[dD][89a-fA-F]")


class _TooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(f"{digits} digits")
        self.digits = digits


def _bounded_int(text: str) -> int:
    """``int(text)``, refusing more than ``MAX_INT_DIGITS`` digits before converting (bounded work)."""
    if not isinstance(text, str):
        raise TypeError(text)
    digits = len(text.strip().lstrip("+-"))
    if digits > MAX_INT_DIGITS:
        raise _TooLong(digits)
    return int(text)


def trace_from_itf(doc: Json, where: str = "trace") -> ItfTrace:
    if not isinstance(doc, dict) or not isinstance(doc.get("states"), list):
        raise ModelError(f'{where} is not an ITF trace: expected an object with "vars" and "states"')
    meta = doc.get("#meta") or {}
    if not isinstance(meta, dict):
        raise ModelError(f"{where}: #meta must be an object")
    raw_vars = doc.get("vars")
    if raw_vars is None:
        first = doc["states"][0] if doc["states"] else {}
        if not isinstance(first, dict):
            raise ModelError(f"{where}: state 0 is not an object")
        raw_vars = [k for k in first if not k.startswith("#")]
    if not isinstance(raw_vars, list) or not all(isinstance(v, str) for v in raw_vars):
        raise ModelError(f'{where}: "vars" must be a list of variable names')
    # Quint repeats its mbt:: variables in "vars"; they are metadata, not state.
    variables = tuple(dict.fromkeys(v for v in raw_vars if not v.startswith(_QUINT_PREFIX)))
    steps = []
    for i, state in enumerate(doc["states"]):
        at = f"{where}: state {i}"
        if not isinstance(state, dict):
            raise ModelError(f"{at} is not an object")
        missing = [v for v in variables if v not in state]
        if missing:
            raise ModelError(f"{at} has no value for {', '.join(missing)}")
        smeta = state.get("#meta") or {}
        label = smeta.get("action") if isinstance(smeta, dict) else None
        if label is None and isinstance(state.get(_QUINT_ACTION), str) and i > 0:
            label = state[_QUINT_ACTION]
        if i == 0:
            label = None
        record = {v: value_from_itf(state[v], f"{at}, {v}") for v in variables}
        steps.append(Step(label=label, state=tuple(record[v] for v in variables), record=record))
    loop = doc.get("loop")
    loop_index = loop if isinstance(loop, int) and 0 <= loop < len(steps) else None
    loop_label: Any = meta.get("loop-action")
    if loop_index is not None and loop_label is None and loop_index < len(steps) - 1:
        loop_label = "Action"  # another tool's lasso: the closing step has no name
    trace = Trace(variables=variables, steps=tuple(steps), loop=loop_index, loop_label=loop_label)
    violation = None
    found = meta.get("violation")
    if isinstance(found, dict) and isinstance(found.get("name"), str):
        violation = Violation(kind=str(found.get("kind", "invariant")), name=found["name"], trace=trace)
    return ItfTrace(trace=trace, violation=violation, meta=meta, loop=loop if isinstance(loop, int) else None)

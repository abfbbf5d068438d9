"""Relations read off the state variables, for infer's grammar over predicates (Paxos, Raft).

A protocol's invariant talks about its messages and its per-process variables: "every 1b
message of acceptor a for ballot b says maxBal[a] >= b". The spec has no predicate for
"there is a 1b message with these fields", so this module makes one per kind of message, in
the relational style of Ivy and mypyvy (``one_b(a, b, mb, mv)``):

- a set of records ``msgs`` whose records carry a tag field (``type |-> "1b"``): for each
  tag, ``R(acc, bal, mbal, mval) == [type |-> "1b", acc |-> acc, ...] \\in msgs``;
- a function ``maxBal`` over a sort: ``maxBal[x] = y``, and ``maxBal[x] < y`` when its values
  are integers;
- a variable of finitely many values: ``x = y``;
- a function to a few strings: ``state[x] = "Leader"``, one relation per value;
- a function to sequences (Raft's logs): ``k <= Len(log[x]) /\\ log[x][k] = y`` (entry k is
  y) and ``k <= Len(log[x])``;
- a set of tuples: ``<<i, t, c>> \\in committed``;
- for a constant set of subsets of a sort (Raft's ``Quorums``) and a relation R over that
  sort: ``\\E Q \\in Quorums : \\A q \\in Q : R(q, y)`` (and ``~R`` for ``<``: every member
  of a quorum has a term of at least y).

Each parameter ranges over the values it takes (the type's, or the reachable states' for a
function's values): the smallest constant set of the spec around them (a log's terms 1..3
in ``Term == 0..MaxTerm``), else a *sort* inside them (the largest, ``Ballot``) and at most
two *extra* constants (``-1``, ``None``) that the grammar uses as arguments but never
quantifies over.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence

from checker.prove import types as ty
from checker.values import Fn, ModelValue, Value, format_value, value_key

MAX_EXTRAS = 2


@dataclasses.dataclass(frozen=True, slots=True)
class Relation:
    """A derived predicate: ``name(params) == body``; parameter i ranges over ``sorts[i]``
    and the constants ``extras[i]``."""

    name: str
    params: tuple[str, ...]
    body: str
    sorts: tuple[str, ...]
    extras: tuple[tuple[Value, ...], ...]

    def definition(self) -> str:
        return f"{self.name}({', '.join(self.params)}) == {self.body}"


def constant_text(v: Value, names: Mapping[Value, str]) -> str | None:
    """TLA+ text of a constant argument: a literal, or the constant whose value it is."""
    if type(v) is ModelValue:
        return names.get(v)
    if type(v) in (int, str, bool):
        return format_value(v)
    return None


def split(
    values: frozenset[Value], sorts: Mapping[str, Sequence[Value]], names: Mapping[Value, str]
) -> tuple[str, tuple[Value, ...]] | None:
    """The largest sort inside ``values`` and the rest as extra constants (None if the rest
    is too many or has no text)."""
    # The smallest sort around the values (an entry's terms 1..3 in Term == 0..MaxTerm),
    # whose other members make the relation false; else the largest inside, with extras.
    around = [s for s, members in sorts.items() if values <= set(members)]
    if around:
        return min(around, key=lambda s: (len(sorts[s]), s)), ()
    best: str | None = None
    for sort, members in sorts.items():
        if set(members) <= values and (best is None or len(members) > len(sorts[best])):
            best = sort
    if best is None:
        return None
    extras = tuple(sorted(values - set(sorts[best]), key=value_key))
    if len(extras) > MAX_EXTRAS or any(constant_text(v, names) is None for v in extras):
        return None
    return best, extras


def relations_of(
    types: Mapping[str, ty.Type],
    observed: Mapping[str, Mapping[Value, frozenset[Value]]],
    sorts: Mapping[str, Sequence[Value]],
    names: Mapping[Value, str],
    prefix: str,
    frequent: Mapping[str, Counter[Value]] | None = None,
    quorums: Mapping[str, tuple[str, Sequence[frozenset[Value]]]] | None = None,
    taken: set[str] | None = None,
) -> list[Relation]:
    """The relations of the module's docstring. ``observed[var][k]``: the values ``var[k]``
    takes in the reachable states (for a function variable), ``observed[var][None]`` the
    values of a plain variable; ``frequent[var]``: how often a function variable takes each
    value; ``quorums``: constant sets of subsets of a sort (``Quorums``), by name.

    A relation is named after its variable and kind (``Msgs2a``, ``CurrentTermBelow``,
    ``LogEntry``, ``QuorumCurrentTermAtLeast``), and its parameters after the fields, where
    no name of ``taken`` (the spec's) is in the way; else ``prefix`` and a number."""
    frequent = frequent or {}
    quorums = quorums or {}
    taken = set(taken or ())
    out: list[Relation] = []

    def fresh(label: str) -> str:
        """A relation's name: its label (``Msgs2a``, ``LogEntry``), else the prefix's."""
        name = label if label.isidentifier() and label not in taken else f"{prefix}{len(out) + 1}"
        taken.add(name)
        return name

    def param(field: str) -> str:
        return field if field not in taken else f"{prefix}{field}"

    def add(label: str, body: str, domains: Sequence[frozenset[Value]], fields: Sequence[str]) -> None:
        parts = [split(d, sorts, names) for d in domains]
        if any(p is None for p in parts):
            return
        params = tuple(param(f) for f in fields)
        out.append(
            Relation(
                fresh(label),
                params,
                body.format(*params),
                tuple(p[0] for p in parts if p is not None),
                tuple(p[1] for p in parts if p is not None),
            )
        )

    for var, typ in types.items():
        if isinstance(typ, ty.SetT) and _tuples(typ.universe):
            width = len(typ.universe[0])
            slots = ", ".join(f"{{{i}}}" for i in range(width))
            domains = [frozenset(t[i] for t in typ.universe) for i in range(width)]
            add(f"In{_cap(var)}", f"<<{slots}>> \\in {var}", domains, [f"t{i + 1}" for i in range(width)])
        elif isinstance(typ, ty.SetT):
            for tag, records in _kinds(typ.universe).items():
                fields = [k for k in records[0].keys() if tag is None or k != tag[0]]
                if not fields or not all(type(k) is str and k.isidentifier() for k in fields):
                    continue
                head = [] if tag is None else [f"{tag[0]} |-> {format_value(tag[1])}"]
                slots = ", ".join([*head, *(f"{k} |-> {{{i}}}" for i, k in enumerate(fields))])
                domains = [frozenset(r[k] for r in records) for k in fields]
                label = f"In{_cap(var)}" if tag is None else _cap(var) + _cap(str(tag[1]))
                add(label, f"[{slots}] \\in {var}", domains, [f"{k}" for k in fields])
        elif isinstance(typ, ty.FnT):
            seen = observed.get(var, {})
            domain = frozenset(k for k, _ in typ.items)
            values = frozenset(v for k in domain for v in seen.get(k, ()))
            if not values:
                continue
            codomains = {t for _, t in typ.items}
            seq = next(iter(codomains)) if len(codomains) == 1 else None
            if isinstance(seq, ty.SeqT):
                # A log: entry k of log[x] is y (k within its length), and its length reaches k.
                index = frozenset(range(1, seq.bound + 1))
                elems = frozenset(e for v in values if isinstance(v, tuple) for e in v)
                body = f"{{1}} <= Len({var}[{{0}}]) /\\ {var}[{{0}}][{{1}}] = {{2}}"
                add(f"{_cap(var)}Entry", body, [domain, index, elems], ["x", "k", "y"])
                add(f"{_cap(var)}HasIndex", f"{{1}} <= Len({var}[{{0}}])", [domain, index], ["x", "k"])
            elif all(type(v) is str for v in values) and len(values) <= MAX_EXTRAS + 1:
                # A function to a few strings (state[x] = "Leader"): one relation per value,
                # but for the most common one when there are two (the other's negation).
                common = frequent.get(var, Counter()).most_common(1)
                for v in sorted(values, key=value_key):
                    if len(values) == 2 and common and common[0][0] == v:
                        continue
                    label = f"{_cap(var)}Is{_cap(str(v))}"
                    add(label, f"{var}[{{0}}] = {format_value(v)}", [domain], ["x"])
            else:
                add(f"{_cap(var)}Is", f"{var}[{{0}}] = {{1}}", [domain, values], ["x", "y"])
                if all(type(v) is int for v in values):
                    add(f"{_cap(var)}Below", f"{var}[{{0}}] < {{1}}", [domain, values], ["x", "y"])
        elif isinstance(typ, ty.EnumT | ty.IntT):
            values = frozenset(observed.get(var, {}).get(None, ()))
            if values:
                add(f"{_cap(var)}Is", f"{var} = {{0}}", [values], ["y"])
    for set_name, (sort, _) in quorums.items():
        # Quorum relations (Raft): R holds at every member of some quorum, for each relation R
        # whose first parameter ranges over the quorums' sort (and its negation, for "<":
        # every member's term is at least y).
        for r in list(out):
            if len(r.sorts) < 2 or r.sorts[0] != sort or sort in r.sorts[1:]:
                continue
            rest = ", ".join(r.params[1:])
            for negate in (False, True) if " < " in r.body else (False,):
                q, x = param("Q"), param("q")
                test = f"{r.name}({x}, {rest})"
                body = f"\\E {q} \\in {set_name} : \\A {x} \\in {q} : {'~' if negate else ''}{test}"
                label = r.name[: -len("Below")] + "AtLeast" if negate and r.name.endswith("Below") else r.name
                out.append(Relation(fresh(f"Quorum{label}"), r.params[1:], body, r.sorts[1:], r.extras[1:]))
    return out


def _cap(text: str) -> str:
    """A part of a relation's name: ``msgs`` -> ``Msgs``, ``"1b"`` -> ``1b``."""
    text = "".join(c for c in text if c.isalnum() or c == "_")
    return text[:1].upper() + text[1:]


def _tuples(universe: Sequence[Value]) -> bool:
    """Whether a set's universe is tuples of one width (``committed``'s <<index, term, term>>)."""
    if not universe or type(universe[0]) is not tuple or len(universe[0]) < 2:
        return False
    return all(type(t) is tuple and len(t) == len(universe[0]) for t in universe)


def _kinds(universe: Sequence[Value]) -> dict[tuple[str, Value] | None, list[Fn]]:
    """The records of a set's universe grouped by their tag field (a field of strings whose
    value decides the other fields); one group under None when all have the same fields."""
    records = [r for r in universe if isinstance(r, Fn) and r.is_record()]
    if not records or len(records) != len(universe):
        return {}
    keysets = {frozenset(r.keys()) for r in records}
    if len(keysets) == 1:
        common = sorted(keysets.pop(), key=str)
        for k in common:  # a field with one string value per distinct field set is a tag
            if all(type(r[k]) is str for r in records) and len({r[k] for r in records}) > 1:
                break
        else:
            return {None: records}
    common_keys = frozenset.intersection(*(frozenset(r.keys()) for r in records))
    for k in sorted(common_keys, key=str):
        if not all(type(r[k]) is str for r in records):
            continue
        groups: dict[tuple[str, Value] | None, list[Fn]] = {}
        for r in records:
            groups.setdefault((k, r[k]), []).append(r)
        if all(len({frozenset(r.keys()) for r in g}) == 1 for g in groups.values()):
            return groups
    return {}


def field_sorts(
    types: Mapping[str, ty.Type], sorts: Mapping[str, Sequence[Value]], names: Mapping[Value, str]
) -> dict[str, dict[str, str]]:
    """For each set of records, the sort of each field (where every kind of record that has
    the field agrees on it): ``{"msgs": {"acc": "Acceptor", "bal": "Ballot", ...}}``."""
    out: dict[str, dict[str, str]] = {}
    for var, typ in types.items():
        if not isinstance(typ, ty.SetT):
            continue
        found: dict[str, set[str]] = {}
        for tag, records in _kinds(typ.universe).items():
            for k in records[0].keys():
                if tag is not None and k == tag[0] or type(k) is not str:
                    continue
                part = split(frozenset(r[k] for r in records), sorts, names)
                found.setdefault(k, set()).add(part[0] if part else "")
        agreed = {k: next(iter(v)) for k, v in found.items() if len(v) == 1 and "" not in v}
        if agreed:
            out[var] = agreed
    return out


def random_states(
    variables: Sequence[str],
    types: Mapping[str, ty.Type],
    observed: Mapping[str, Mapping[Value, frozenset[Value]]],
    seen: Sequence[tuple[Value, ...]],
    count: int,
    seed: int = 0,
) -> list[tuple[Value, ...]]:
    """States of the variables' types, drawn at random (the values of a function over a sort
    from its type or from what the reachable states show; a set of records as a random
    subset of its type). A lemma true in all of them is a consequence of the types and the
    constants, not of the protocol: infer drops it, since TypeOK already says it."""
    import random

    rng = random.Random(seed)

    def draw(var: str, n: int, typ: ty.Type | None, key: Value) -> Value:
        if isinstance(typ, ty.EnumT):
            return rng.choice(typ.universe)
        if isinstance(typ, ty.BoolT):
            return rng.random() < 0.5
        if isinstance(typ, ty.SetT):
            p = rng.random() * 0.4
            return frozenset(x for x in typ.universe if rng.random() < p)
        if isinstance(typ, ty.IntT | ty.SeqT):  # a value some reachable state gives it
            values = sorted(observed.get(var, {}).get(key, frozenset()), key=value_key)
            if values:
                return rng.choice(values)
        return None

    out = []
    for _ in range(count):
        state = []
        for n, var in enumerate(variables):
            typ = types.get(var)
            value: Value = None
            if isinstance(typ, ty.FnT):
                parts = {k: draw(var, n, t, k) for k, t in typ.items}
                value = Fn(parts) if all(v is not None for v in parts.values()) else None
            else:
                value = draw(var, n, typ, None)
            state.append(value if value is not None else rng.choice(seen)[n])
        out.append(tuple(state))
    return out

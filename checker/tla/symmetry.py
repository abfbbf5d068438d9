"""Symmetry as TLA+ writes it: the cfg's ``SYMMETRY Perms`` read as sets of model values,
and warnings for a spec whose symmetry looks unsound.

The canonical representative itself (any model's, TLA+ or Python) is ``checker.symmetry``;
this module owns what is particular to TLA+: the ``Permutations(S_1) \\cup ...`` and
``{p @@ q : ...}`` idioms (:func:`symmetric_sets_from_permutations`, :func:`product_orbits`)
and the textual scan for what TLC's documentation says breaks symmetry
(:func:`symmetry_hazards`, :class:`SymmetryHazard`, :func:`symmetry_warning`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from math import factorial
from typing import Literal

from checker.errors import ConfigError, ModelError, Span, SpecError
from checker.symmetry import validate_symmetric_sets
from checker.tla import syntax
from checker.tla.builtins import STANDARD_MODULES
from checker.tla.cfg import Cfg
from checker.values import Fn, ModelValue, Value, format_value, value_key

ModuleLoader = Callable[[str, Span | None], syntax.Module]


# ---------------------------------------------------------------------------
# TLA+: SYMMETRY Perms.


def symmetric_sets_from_permutations(perms: Value, span: Span | None = None) -> tuple[frozenset[Value], ...]:
    """The sets S_1, ..., S_m when ``perms`` is ``Permutations(S_1) \\cup ... \\cup Permutations(S_m)``.

    ``perms`` is the value of the cfg's ``SYMMETRY`` operator: a set of
    permutations, each a function from some S_i onto itself. The product written
    over the union, ``{p @@ q : p \\in Permutations(S_1), q \\in Permutations(S_2)}``
    (as in MCPaxos), is read too: each function's domain is then the union, and
    the sets are the orbits of the atoms. Anything else (a
    set that is not all of the permutations of its sets, sets that overlap, atoms
    that are not model values) is a ``SpecError`` (exit 151, the cfg's code) that
    says what was found. The engine then reduces by the product group
    Sym(S_1) x ... x Sym(S_m), as TLC does.
    """
    if type(perms) is not frozenset:
        raise ConfigError(
            "E730",
            f"SYMMETRY must name a set of permutations, but its value is {_brief(perms)}",
            span,
            hint="define Perms == Permutations(S) (from module TLC) and write SYMMETRY Perms",
        )
    by_domain: dict[frozenset[Value], set[Value]] = {}
    for p in perms:
        if type(p) is tuple and not p:
            continue  # Permutations({}): the empty function, nothing to permute
        if type(p) is not Fn or set(p.keys()) != set(p.values()):
            raise ConfigError(
                "E731",
                f"SYMMETRY's set holds {_brief(p)}, which is not a permutation of model values",
                span,
                hint="each element must map a set of model values onto itself, as Permutations(S) gives",
            )
        by_domain.setdefault(p.domain(), set()).add(p)
    orbits: list[frozenset[Value]] = []
    for d in sorted(by_domain, key=lambda d: sorted(value_key(a) for a in d)):
        group = by_domain[d]
        # The orbits of the atoms under these permutations; they form the whole
        # group Sym(O_1) x ... x Sym(O_k) exactly when there are that many of them
        # (each maps every orbit onto itself, and they are distinct).
        parts = _orbits(d, group)
        order = 1
        for o in parts:
            order *= factorial(len(o))
        if len(group) != order:
            whole = " x ".join(f"Permutations({format_value(o)})" for o in parts)
            raise ConfigError(
                "E732",
                f"SYMMETRY's set holds {len(group)} permutations of {format_value(d)}, not the "
                f"{order} of {whole}; only whole groups of permutations are supported",
                span,
                hint="use Permutations(S), or a union of Permutations of disjoint sets of model values",
            )
        orbits.extend(parts)
    sets = sorted(orbits, key=lambda d: sorted(value_key(a) for a in d))
    out = tuple(d for d in sets if len(d) > 1)
    for d in out:
        for a in d:
            if type(a) is not ModelValue:
                raise ConfigError(
                    "E733",
                    f"SYMMETRY permutes {format_value(d)}, which holds {format_value(a)}, not a model value",
                    span,
                    hint="declare the set's elements as model values in the cfg, e.g. "
                    "CONSTANT Server = {s1, s2, s3}",
                )
    try:
        return validate_symmetric_sets(out)
    except ModelError as exc:
        raise ConfigError(
            "E733",
            str(exc).split(". ")[0],
            span,
            hint="SYMMETRY needs disjoint sets of model values, e.g. CONSTANT Server = {s1, s2, s3}",
        ) from exc


def _orbits(domain: frozenset[Value], perms: Iterable[Value]) -> list[frozenset[Value]]:
    """The orbits of ``domain`` under the group generated by ``perms`` (union-find over a -> p(a))."""
    parent = {a: a for a in domain}

    def root(a: Value) -> Value:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for p in perms:
        for a, b in p.items():
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[ra] = rb
    groups: dict[Value, set[Value]] = {}
    for a in domain:
        groups.setdefault(root(a), set()).add(a)
    return sorted((frozenset(g) for g in groups.values()), key=lambda o: sorted(value_key(a) for a in o))


def _brief(v: Value) -> str:
    text = format_value(v)
    return text if len(text) <= 60 else text[:57] + "..."


def symmetry_hazards(
    root: syntax.Module, cfg: Cfg, sets: tuple[frozenset[Value], ...], load: ModuleLoader
) -> list[str]:
    """Warnings for what TLC's documentation says makes SYMMETRY unsound, found in the text:
    a CHOOSE over a symmetric set, and a definition that names one of its elements.

    A syntactic scan of the spec's own modules (the root and what it EXTENDS, not the
    standard modules). Ordering tests are not looked for: ``<`` on model values is an
    evaluation error in TLC and here, so it cannot pass silently.
    """
    from checker.tla.printer import print_expr

    set_names: dict[str, str] = {}  # constant -> the set's name as written
    elements: dict[str, str] = {}  # constant naming one element -> its set's name
    for c in cfg.constants:
        if type(c.value) is frozenset and c.value in sets:
            set_names[c.name] = c.name
    for c in cfg.constants:
        for s in sets:
            if c.value in s:
                owner = next((n for n in set_names if cfg_value(cfg, n) == s), "the symmetric set")
                elements[c.name] = owner
    modules = [root]
    for name in root.extends:
        if name not in STANDARD_MODULES:
            try:
                modules.append(load(name, None))
            except SpecError:
                pass
    variables = {d.name for m in modules for u in m.units if isinstance(u, syntax.Variables) for d in u.decls}
    hazards: list[SymmetryHazard] = []
    for module in modules:
        for unit in module.units:
            if not isinstance(unit, syntax.OpDef) or unit.name == cfg.symmetry:
                continue
            body = unit.body
            if isinstance(body, syntax.Name) and body.name in elements:
                hazards.append(SymmetryHazard("constant", elements[body.name], unit.name, unit.span))
                continue
            nodes = list(syntax.walk(body))
            if not any(isinstance(n, syntax.Name) and n.name in variables for n in nodes):
                continue  # constant definitions (`Quorum == {{a1, a2}, ...}`) may list elements
            for node in nodes:
                if isinstance(node, syntax.Choose) and isinstance(node.domain, syntax.Name):
                    if node.domain.name in set_names:
                        hazards.append(
                            SymmetryHazard("choose", set_names[node.domain.name], print_expr(node), node.span)
                        )
                elif isinstance(node, syntax.Name) and node.name in elements:
                    hazards.append(SymmetryHazard("constant", elements[node.name], node.name, node.span))
    return [symmetry_warning(h) for h in hazards]


def cfg_value(cfg: Cfg, name: str) -> Value:
    return next((c.value for c in cfg.constants if c.name == name), None)


def product_orbits(perms: Value) -> tuple[frozenset[Value], ...] | None:
    """The orbits S_1..S_m when ``perms`` is ``{p @@ q : p \\in Permutations(S_1), q \\in ...}``.

    That is the whole product group Sym(S_1) x ... x Sym(S_m) written as functions over
    the union (MCPaxos's MCSymmetry); ``checker.symmetry`` reads the union-of-groups form.
    """
    if type(perms) is not frozenset or not perms or any(type(p) is not Fn for p in perms):
        return None
    domains = {p.domain() for p in perms}
    if len(domains) != 1:
        return None
    images: dict[Value, set[Value]] = {}
    for p in perms:
        for a, b in p.items():
            images.setdefault(a, set()).add(b)
    orbits: list[frozenset[Value]] = []
    for a, im in images.items():
        orbit = frozenset(im | {a})
        if orbit not in orbits:
            orbits.append(orbit)
    if any(len(o & o2) for i, o in enumerate(orbits) for o2 in orbits[i + 1 :]):
        return None
    size = 1
    for o in orbits:
        size *= factorial(len(o))
    if size != len(perms) or any(set(p.values()) != set(p.keys()) for p in perms):
        return None
    if any(images[a] != set(o) for o in orbits for a in o):
        return None
    return validate_symmetric_sets(tuple(o for o in orbits if len(o) > 1))


# ---------------------------------------------------------------------------
# Warnings for a symmetry that looks unsound.

HazardKind = Literal["choose", "constant", "ordering"]


@dataclasses.dataclass(frozen=True, slots=True)
class SymmetryHazard:
    """A fact about a spec that breaks its symmetry, found by the TLA+ front end.

    ``kind``: ``"choose"`` (a CHOOSE over the symmetric set), ``"constant"`` (a
    constant or definition equal to one element of it), ``"ordering"`` (a
    comparison such as ``<`` or a sort that tells its elements apart).
    ``set_name``: the symmetric set as the user wrote it (``Server``).
    ``text``: the offending expression, as written; ``span``: where.
    """

    kind: HazardKind
    set_name: str
    text: str
    span: Span | None = None


def symmetry_warning(hazard: SymmetryHazard) -> str:
    """The warning to print for one hazard: what was found, why it matters, what to do."""
    where = f"{hazard.span}: " if hazard.span is not None else ""
    s = hazard.set_name
    what = {
        "choose": f"`{hazard.text}` chooses an element of the symmetric set {s}",
        "constant": f"`{hazard.text}` names one particular element of the symmetric set {s}",
        "ordering": f"`{hazard.text}` compares or orders elements of the symmetric set {s}",
    }[hazard.kind]
    why = {
        "choose": f"CHOOSE returns one fixed element for a given set and predicate, chosen by "
        f"the elements' names, so after a renaming of {s} it can pick an element that plays "
        f"a different role",
        "constant": f"that element is treated unlike the others, so a renaming of {s} that moves "
        f"it does not map a behaviour of the spec to a behaviour of the spec",
        "ordering": f"a renaming of {s} changes which element is the smaller, so the renamed "
        f"behaviour may take different branches",
    }[hazard.kind]
    fix = {
        "choose": f"replace the CHOOSE by \\E (every element is then tried), or take the chosen "
        f"element out of {s}",
        "constant": f"make that element a separate constant outside {s}",
        "ordering": f"order by something the state holds (an index, a term), not by the elements of {s}",
    }[hazard.kind]
    return (
        f"{where}warning: SYMMETRY may be unsound: {what}. Symmetry reduction keeps one state "
        f"per class of states that differ only by a renaming of {s}, which is sound only if "
        f"every renaming maps behaviours of the spec to behaviours of the spec; here {why}. "
        f"TLC's documentation warns that such specs can give wrong results under SYMMETRY: "
        f"errors can be missed, and state counts do not mean what they seem. Check without "
        f"SYMMETRY (--no-symmetry) to compare, or {fix}."
    )

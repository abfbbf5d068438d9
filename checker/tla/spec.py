"""The TLA+ front end: files -> resolved modules -> a :class:`Spec` with its cfg applied.

This module owns what a spec *is* before anything is compiled or encoded, so that
``check`` (``checker.tla.model.build_model``) and ``prove`` (``checker.prove.problem``)
read one and the same thing:

- the modules: the root and every module it EXTENDS or INSTANCEs, parsed and with every
  name checked (``checker.tla.resolve``), and a loader for them;
- the cfg (``checker.tla.cfg``) split into what it does to the spec's names
  (:class:`Overrides`: ``N = v`` and ``N <- Def`` for constants and definitions, the
  module-scoped ``N <- [M] Def`` and ``N = [M] v``, and standard-module operators such as
  ``Nat <- NatOverride``) and what it asks to check;
- the behaviour: Init's conjuncts and Next, read from ``INIT``/``NEXT`` or from the
  ``SPECIFICATION`` formula ``Init /\\ [][Next]_vars /\\ fairness``, with the fairness
  conjuncts kept as syntax trees, and each ``PROPERTY`` as a syntax tree.

Every formula here is a syntax tree to be read in the root module's scope (the root and
what it EXTENDS). Reading ``SPECIFICATION`` unfolds definitions without parameters of
that scope only, and those an unnamed ``INSTANCE`` imports without renaming its parameters
(``INSTANCE DieHarder``: the names in their bodies mean the same in the root scope); a
definition imported through other substitutions is kept as its name.

Errors are ``SpecError`` with exit code 151 for the cfg's mistakes (TLC's config error).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from checker.errors import ConfigError, Span, SpecError
from checker.tla import syntax
from checker.tla.builtins import STANDARD_MODULES
from checker.tla.cfg import Cfg, CfgConstant
from checker.tla.resolve import ResolvedSpec


@dataclasses.dataclass(frozen=True, slots=True)
class Overrides:
    """What the cfg's CONSTANT section does to names.

    ``root``: ``N = v`` / ``N <- Def`` for a constant or definition of the root module or
    a module it EXTENDS. ``scoped``: ``N <- [M] Def`` / ``N = [M] v``, by module M; the
    target ``Def`` is a definition of the root module. ``standard``: the entries that
    replace an operator of a standard module (``Nat <- NatOverride``, ``Seq <- BoundedSeq``,
    and ``Nat <- [M] Def`` too, as in TLC), which apply in every module.
    """

    root: Mapping[str, CfgConstant]
    scoped: Mapping[str, Mapping[str, CfgConstant]]
    standard: Mapping[str, CfgConstant]

    def in_module(self, module: str, name: str) -> CfgConstant | None:
        """The module-scoped override of ``name`` in ``module``, if the cfg has one."""
        return self.scoped.get(module, {}).get(name)


@dataclasses.dataclass(frozen=True, slots=True)
class Definition:
    """A definition visible in the root module's scope, and the module that defines it."""

    unit: syntax.OpDef | syntax.FnDef | syntax.ModuleDef
    module: str
    imported: bool = False  # through an unnamed INSTANCE: its body is read in that instance
    # ... an INSTANCE whose parameters are all substituted by the same names (no WITH, or
    # `x <- x`): its body then means the same in the root scope, so Spec can be read there.
    # Its text means the same in the root's scope: imported through an INSTANCE whose
    # substitutions are all `c <- c`, or whose substituted parameters (and the instanced
    # module's LOCAL definitions) it does not name: `Spec == Init /\ [][Next]_vars` in
    # `INSTANCE TLCMC WITH StateGraph <- ...` (tlaplus/Examples' TLC/TestGraphs).
    same_names: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """A spec with its cfg applied: what ``check`` compiles and ``prove`` encodes."""

    root: syntax.Module
    modules: Mapping[str, syntax.Module]
    """Every user module reachable from the root, by name."""
    cfg: Cfg
    cfg_path: Path | None
    variables: tuple[str, ...]
    """In declaration order, the modules the root EXTENDS first."""
    definitions: Mapping[str, Definition]
    """The root scope: definitions of the root and of what it EXTENDS (later ones win)."""
    constants: tuple[str, ...]
    """The constants the root scope declares."""
    overrides: Overrides
    init: tuple[syntax.Expr, ...]
    """Init's conjuncts."""
    next: syntax.Expr
    fairness: tuple[syntax.Expr, ...]
    """The SPECIFICATION's conjuncts that are temporal formulas (WF, SF, []P, ...)."""
    properties: tuple[tuple[str, syntax.Expr], ...]
    """Each PROPERTY of the cfg: its name and its formula (the name, to be read in the root scope)."""
    warnings: tuple[str, ...] = ()

    # What the cfg asks to check, by name (read in the root scope).
    @property
    def invariants(self) -> tuple[str, ...]:
        return self.cfg.invariants

    @property
    def constraints(self) -> tuple[str, ...]:
        return self.cfg.constraints

    @property
    def action_constraints(self) -> tuple[str, ...]:
        return self.cfg.action_constraints

    @property
    def symmetry(self) -> str | None:
        return self.cfg.symmetry

    @property
    def view(self) -> str | None:
        return self.cfg.view

    @property
    def alias(self) -> str | None:
        return self.cfg.alias

    @property
    def check_deadlock(self) -> bool:
        return self.cfg.check_deadlock

    @property
    def name(self) -> str:
        return self.root.name

    def module(self, name: str, span: Span | None = None) -> syntax.Module:
        """The user module ``name`` (one the resolver loaded)."""
        m = self.modules.get(name)
        if m is None:
            raise SpecError("E702", f"cannot find the module {name}", span)
        return m

    def with_cfg(self, cfg: Cfg) -> Spec:
        """The same modules under another cfg (``prove`` adds its candidate as an invariant)."""
        return make_spec(self.root, self.modules, cfg, self.cfg_path)


# ---------------------------------------------------------------------------------------------
# Loading


def load_spec(spec: Path, config: Path | None, libs: list[Path] | tuple[Path, ...] = ()) -> Spec:
    """The Spec of ``spec`` checked as ``config`` says (default: the .cfg beside the spec).

    Modules named by EXTENDS and INSTANCE are looked up beside the spec, then in each
    ``libs`` folder, then in the folders of ``TLACHECK_PATH`` (``checker.tla.resolve``).
    """
    from checker.tla.cfg import parse_cfg_file
    from checker.tla.resolve import resolve_file

    if not spec.is_file():
        raise SpecError("E700", f"cannot read the spec {spec}: no such file")
    cfg_path = config if config is not None else spec.with_suffix(".cfg")
    if not cfg_path.is_file():
        raise ConfigError(
            "E701", f"cannot read the cfg {cfg_path}: no such file", hint="give one with --config FILE.cfg"
        )
    # Parsing and name resolution (every unknown name, with hints) happen before the cfg.
    resolved = resolve_file(spec, libs)
    if resolved.root.name != spec.stem:
        # TLC (SANY) refuses it too, before anything else: exit 150.
        raise SpecError(
            "E703",
            f"File name '{spec.stem}' does not match the name '{resolved.root.name}' of the top level "
            "module it contains.",
            resolved.root.span if resolved.root.span.line > 0 else None,
            hint=f"rename the file {resolved.root.name}.tla, or the module {spec.stem}",
        )
    return spec_of(resolved, parse_cfg_file(cfg_path), cfg_path)


def spec_of(resolved: ResolvedSpec, cfg: Cfg, cfg_path: Path | None = None) -> Spec:
    """The Spec of resolved modules under ``cfg`` (built in memory: tests, ``prove``)."""
    return make_spec(resolved.root, resolved.modules, cfg, cfg_path)


def make_spec(
    root: syntax.Module, modules: Mapping[str, syntax.Module], cfg: Cfg, cfg_path: Path | None
) -> Spec:
    modules = MappingProxyType(dict(modules))
    scope = _RootScope(root, modules)
    overrides = _overrides(cfg, scope)
    scope.redirects = {n: c.target for n, c in overrides.root.items() if c.target is not None}
    scope.replaced = {n for n, c in overrides.root.items() if c.target is None}
    init, nxt, fairness, warnings = _behaviour(scope, cfg)
    properties = tuple((name, _named(scope, name, "PROPERTY", cfg)) for name in cfg.properties)
    return Spec(
        root=root,
        modules=modules,
        cfg=cfg,
        cfg_path=cfg_path,
        variables=tuple(scope.variables),
        definitions=MappingProxyType(dict(scope.definitions)),
        constants=tuple(scope.constants),
        overrides=overrides,
        init=tuple(init),
        next=nxt,
        fairness=tuple(fairness),
        properties=properties,
        warnings=tuple(warnings),
    )


class _RootScope:
    """The root module's names, with the modules it EXTENDS flattened in."""

    def __init__(self, root: syntax.Module, modules: Mapping[str, syntax.Module]) -> None:
        self.modules = modules
        self.variables: list[str] = []
        self.constants: list[str] = []
        self.definitions: dict[str, Definition] = {}
        self.redirects: dict[str, str] = {}  # `N <- Def` in the cfg
        self.replaced: set[str] = set()  # `N = value` in the cfg
        self._add(root, set())

    def _add(self, m: syntax.Module, seen: set[str]) -> None:
        if m.name in seen:
            return
        seen.add(m.name)
        for i, ext in enumerate(m.extends):
            if ext in STANDARD_MODULES:
                continue
            inner = self.modules.get(ext)
            if inner is None:
                span = m.extends_spans[i] if i < len(m.extends_spans) else None
                raise SpecError("E702", f"cannot find the module {ext}", span)
            self._add(inner, seen)
        for u in m.units:
            if isinstance(u, syntax.Variables):
                for d in u.decls:
                    if d.name in self.variables:
                        raise SpecError("E205", f"variable '{d.name}' is declared twice", _located(d.span))
                    self.variables.append(d.name)
            elif isinstance(u, syntax.Constants):
                self.constants += [d.name for d in u.decls if d.name not in self.constants]
            elif isinstance(u, syntax.OpDef | syntax.FnDef | syntax.ModuleDef):
                self.definitions[u.name] = Definition(u, m.name)
            elif isinstance(u, syntax.Instance) and u.module not in STANDARD_MODULES:
                inner = self.modules.get(u.module)
                if inner is not None:
                    same = all(isinstance(e, syntax.Name) and e.name == p for p, e in u.subs)
                    hidden = {p for p, e in u.subs if not (isinstance(e, syntax.Name) and e.name == p)}
                    hidden |= _local_names(inner)
                    for name, found in _exported(inner, self.modules).items():
                        readable = same or _names_in(found.unit).isdisjoint(hidden)
                        self.definitions.setdefault(
                            name, Definition(found.unit, found.module, imported=True, same_names=readable)
                        )

    def operator(self, name: str) -> syntax.OpDef | None:
        """The definition ``name`` means in the root scope, after the cfg's replacements."""
        if name in self.replaced:
            return None
        d = self.definitions.get(self.redirects.get(name, name))
        if d is None or (d.imported and not d.same_names) or not isinstance(d.unit, syntax.OpDef):
            return None
        return d.unit


def _local_names(m: syntax.Module) -> set[str]:
    return {
        u.name for u in m.units if isinstance(u, syntax.OpDef | syntax.FnDef | syntax.ModuleDef) and u.local
    }


def _names_in(unit: syntax.Node) -> set[str]:
    """Every name used in a definition (bound names too: a superset is safe here)."""
    return {n.name for n in syntax.walk(unit) if isinstance(n, syntax.Name | syntax.OpApp)}


def _exported(m: syntax.Module, modules: Mapping[str, syntax.Module]) -> dict[str, Definition]:
    """The definitions a module exports (its own and those of what it EXTENDS), not LOCAL ones."""
    out: dict[str, Definition] = {}
    for ext in m.extends:
        if ext not in STANDARD_MODULES and ext in modules:
            out.update(_exported(modules[ext], modules))
    for u in m.units:
        if isinstance(u, syntax.OpDef | syntax.FnDef | syntax.ModuleDef) and not u.local:
            out[u.name] = Definition(u, m.name)
    return out


def _located(span: Span | None) -> Span | None:
    return span if span is not None and span.line > 0 else None


# ---------------------------------------------------------------------------------------------
# The cfg's CONSTANT section


def _overrides(cfg: Cfg, scope: _RootScope) -> Overrides:
    root: dict[str, CfgConstant] = {}
    scoped: dict[str, dict[str, CfgConstant]] = {}
    standard: dict[str, CfgConstant] = {}
    for c in cfg.constants:
        if c.module is not None:
            if c.module not in scope.modules:
                raise ConfigError(
                    "E747", f"`{c.name} <- [{c.module}] ...`: the spec uses no module {c.module}", c.span
                )
            if c.target is not None and c.target not in scope.definitions:
                raise ConfigError(
                    "E743", f"`{c.name} <- [{c.module}] {c.target}`: the spec defines no '{c.target}'", c.span
                )
            scoped.setdefault(c.module, {})[c.name] = c
            if _standard_operator(c, scope):
                # `Nat <- [ZSequences] ZSeqNat`: TLC replaces the standard module's one Nat,
                # so every module reads the replacement (checked with TLC 2.20).
                standard[c.name] = c
            continue
        root[c.name] = c
        if _standard_operator(c, scope):
            standard[c.name] = c
    return Overrides(
        MappingProxyType(root),
        MappingProxyType({k: MappingProxyType(v) for k, v in scoped.items()}),
        MappingProxyType(standard),
    )


def _standard_operator(c: CfgConstant, scope: _RootScope) -> bool:
    """Whether ``c`` replaces an operator of a standard module (``Nat <- NatOverride``)."""
    return (
        c.name not in scope.definitions
        and c.name not in scope.constants
        and c.target is not None
        and any(c.name in m.ops for m in STANDARD_MODULES.values())
    )


# ---------------------------------------------------------------------------------------------
# Init, Next and fairness from the cfg


def _named(scope: _RootScope, name: str, keyword: str, cfg: Cfg | None = None) -> syntax.Expr:
    """The formula a cfg keyword names: a definition without parameters of the root scope."""
    d = scope.definitions.get(name)
    where = cfg.span_of(name) if cfg is not None else None
    if d is None:
        if name in scope.constants:
            return syntax.Name(name)
        close = difflib.get_close_matches(name, sorted(scope.definitions), n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        raise ConfigError("E744", f"{keyword} {name}: the spec defines no '{name}'", where, hint)
    if isinstance(d.unit, syntax.OpDef) and d.unit.params:
        raise ConfigError("E744", f"{keyword} {name}: '{name}' takes arguments", where)
    if isinstance(d.unit, syntax.OpDef):
        return syntax.Name(name, span=d.unit.span)
    return syntax.Name(name)


def _unfold(scope: _RootScope, node: syntax.Expr) -> syntax.Expr:
    """Unfold definitions without parameters (for reading the shape of Spec)."""
    seen = 0
    while isinstance(node, syntax.Name) and seen < 50:
        d = scope.operator(node.name)
        if d is None or d.params:
            break
        node = d.body
        seen += 1
    while isinstance(node, syntax.Label):
        node = node.body
    return node


def conjuncts(scope: _RootScope, node: syntax.Expr) -> list[syntax.Expr]:
    node = _unfold(scope, node)
    if isinstance(node, syntax.Junction) and node.op == "/\\":
        return [c for x in node.items for c in conjuncts(scope, x)]
    if isinstance(node, syntax.OpApp) and node.name == "/\\":
        return [c for x in node.args for c in conjuncts(scope, x)]
    return [node]


def _behaviour(
    scope: _RootScope, cfg: Cfg
) -> tuple[list[syntax.Expr], syntax.Expr, list[syntax.Expr], list[str]]:
    """Init's conjuncts, Next, the fairness conjuncts and warnings, from INIT/NEXT or SPECIFICATION."""
    warnings: list[str] = []
    if cfg.specification is not None:
        spec = _named(scope, cfg.specification, "SPECIFICATION", cfg)
        init: list[syntax.Expr] = []
        fairness: list[syntax.Expr] = []
        nxt: syntax.Expr | None = None
        for c in conjuncts(scope, spec):
            if isinstance(c, syntax.OpApp) and c.name == "[]" and len(c.args) == 1:
                inner = _unfold(scope, c.args[0])
                if isinstance(inner, syntax.BoxAction):
                    nxt = inner.action
                    continue
                fairness.append(c)
                if not cfg.properties:  # with temporal properties, it is assumed by each of them
                    warnings.append(f"the conjunct {_brief(c)} of {cfg.specification} is not checked")
                continue
            if isinstance(c, syntax.Fairness) or _is_temporal(scope, c):
                fairness.append(c)
                continue
            init.append(c)
        if not init:
            raise ConfigError("E745", f"SPECIFICATION {cfg.specification} has no initial predicate")
        if nxt is None:
            raise ConfigError("E745", f"SPECIFICATION {cfg.specification} has no [][Next]_vars conjunct")
        return init, nxt, fairness, warnings
    if cfg.init is None and cfg.next is None and not scope.variables:
        # A model of constants only (its ASSUMEs are the test): TLC checks them and reports no
        # state. Init and Next are FALSE; the Model says it has no behaviour.
        return [syntax.Bool(False)], syntax.Bool(False), [], warnings
    if cfg.init is None or cfg.next is None:
        raise ConfigError(
            "E746",
            "the cfg names neither SPECIFICATION nor both INIT and NEXT",
            None,
            hint="add `SPECIFICATION Spec`, or `INIT Init` and `NEXT Next`",
        )
    return [_named(scope, cfg.init, "INIT", cfg)], _named(scope, cfg.next, "NEXT", cfg), [], warnings


def _is_temporal(scope: _RootScope, node: syntax.Expr, depth: int = 0) -> bool:
    """Whether a conjunct of Spec is a temporal formula (fairness, ``[]``, ``<>``, ``~>``),
    also under a quantifier or a conjunction, or in an operator's body: the fairness of
    each process, ``\\A p \\in Procs : WF_vars(Step(p))``, is the common form."""
    node = _unfold(scope, node)
    if depth > 20:
        return False
    if isinstance(node, syntax.Fairness):
        return True
    if isinstance(node, syntax.OpApp) and node.name in ("[]", "<>", "~>"):
        return True
    if isinstance(node, syntax.OpApp) and node.name == "=>" and len(node.args) == 2:
        return _is_temporal(scope, node.args[1], depth + 1)  # `(i # j) => WF_v(A)`
    if isinstance(node, syntax.Quant):
        return _is_temporal(scope, node.body, depth + 1)
    if isinstance(node, syntax.Junction) and node.op == "/\\":
        return all(_is_temporal(scope, x, depth + 1) for x in node.items)
    if isinstance(node, syntax.OpApp) and node.name == "/\\":
        return all(_is_temporal(scope, x, depth + 1) for x in node.args)
    if isinstance(node, syntax.OpApp):
        d = scope.operator(node.name)
        if d is not None and d.params:
            return _is_temporal(scope, d.body, depth + 1)
    return False


def _brief(node: syntax.Expr) -> str:
    sp = node.span
    return f"at {sp}" if sp.line > 0 else type(node).__name__

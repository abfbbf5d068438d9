"""From a ``Spec`` (``checker.tla.spec``, the front end ``check`` uses too) to an induction ``Problem``.

This module owns what ``prove`` takes from the spec: the root module's definitions with the
cfg's replacements applied (``N <- Def``, ``N = v``, ``N <- [M] Def``, ``N = [M] v``,
``Nat <- NatOverride``), the constants' values, Init and Next, the cfg's invariants, and
the contexts of the instances the spec uses (``V == INSTANCE Voting``, ``V!ShowsSafeAt``),
each with its parameters substituted.

The cfg keywords that do not change what is proved (``CHECK_DEADLOCK``, ``SYMMETRY``,
``PROPERTY``, ``VIEW``) are ignored, and the report says so. ``CONSTRAINT`` is ignored too:
induction is about every state of IndInv, not only those within the constraint; the report
names it. Without a cfg, ``Init`` and ``Next`` are used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from checker.errors import ConfigError, SpecError
from checker.prove.encode import Context
from checker.prove.induction import Problem
from checker.tla import syntax
from checker.tla.builtins import STANDARD_MODULES
from checker.tla.cfg import Cfg, CfgConstant
from checker.tla.spec import Spec
from checker.values import Value


@dataclasses.dataclass(frozen=True, slots=True)
class Loaded:
    problem: Problem
    spec: Spec
    cfg_path: Path | None
    ignored: tuple[str, ...]


def load_problem(spec: Path, inv: str, config: Path | None = None, libs: Sequence[Path] = ()) -> Loaded:
    """The induction problem for ``spec`` and its cfg (default: the .cfg beside the spec, if any)."""
    from checker.tla.cfg import parse_cfg_file
    from checker.tla.resolve import resolve_file
    from checker.tla.spec import spec_of

    if not spec.is_file():
        raise SpecError("E600", f"cannot read the spec {spec}: no such file")
    cfg_path = config if config is not None else spec.with_suffix(".cfg")
    if config is not None and not cfg_path.is_file():
        raise ConfigError("E610", f"cannot read the config {cfg_path}: no such file")
    resolved = resolve_file(spec, list(libs))
    has_cfg = cfg_path.is_file()
    cfg = parse_cfg_file(cfg_path) if has_cfg else Cfg(file=str(cfg_path))
    if cfg.specification is None and (cfg.init is None or cfg.next is None):
        # prove's default: the spec's Init and Next.
        defined = {u.name for u in resolved.root.units if isinstance(u, syntax.OpDef)}
        cfg = dataclasses.replace(
            cfg,
            init=cfg.init
            or ("Init" if "Init" in defined or _defined_anywhere(resolved.modules, "Init") else None),
            next=cfg.next
            or ("Next" if "Next" in defined or _defined_anywhere(resolved.modules, "Next") else None),
        )
        if cfg.init is None or cfg.next is None:
            raise ConfigError(
                "E614",
                "the cfg names no INIT and NEXT (nor a SPECIFICATION of the form Init /\\ [][Next]_vars)",
            )
    the_spec = spec_of(resolved, cfg, cfg_path if has_cfg else None)
    ignored = tuple(
        keyword
        for keyword, present in (
            ("PROPERTY", bool(cfg.properties)),
            ("CONSTRAINT", bool(cfg.constraints)),
            ("ACTION_CONSTRAINT", bool(cfg.action_constraints)),
            ("SYMMETRY", cfg.symmetry is not None),
            ("VIEW", cfg.view is not None),
            ("CHECK_DEADLOCK", not cfg.check_deadlock),
        )
        if present
    )
    return Loaded(problem_of(the_spec, inv), the_spec, cfg_path if has_cfg else None, ignored)


def _defined_anywhere(modules: Mapping[str, syntax.Module], name: str) -> bool:
    return any(isinstance(u, syntax.OpDef) and u.name == name for m in modules.values() for u in m.units)


def problem_of(spec: Spec, inv: str) -> Problem:
    """The induction problem of ``spec`` for the candidate invariant ``inv``."""
    root = _Contexts(spec).root
    d = root.defs.get(inv)
    if not isinstance(d, syntax.OpDef):
        raise SpecError(
            "E611",
            f"the spec defines no operator '{inv}' to prove inductive",
            hint="name the candidate invariant with --inv (for example --inv IndInv)",
        )
    for name in spec.invariants:
        if root.definition(name) is None:
            raise ConfigError(
                "E612", f"the cfg's invariant '{name}' is not defined in the spec", spec.cfg.span_of(name)
            )
    init: syntax.Expr = (
        spec.init[0] if len(spec.init) == 1 else syntax.Junction("/\\", spec.init, span=spec.init[0].span)
    )
    return Problem(
        spec=str(spec.root.span.file or spec.name),
        defs=root.defs,
        constants=root.values,
        variables=spec.variables,
        init=_body(root, init),
        next=_body(root, spec.next),
        inv=inv,
        invariants=spec.invariants,
        root=root,
    )


def _body(root: Context, e: syntax.Expr) -> syntax.Expr:
    """The body of ``Init`` when the cfg names it (what the report and the actions split)."""
    if isinstance(e, syntax.Name):
        d = root.defs.get(e.name)
        if isinstance(d, syntax.OpDef) and not d.params:
            return d.body
    return e


class _Contexts:
    """Builds the root context and, on demand, the context of each instance."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        overrides = spec.overrides
        defs: dict[str, syntax.Unit] = {}
        instances: dict[str, syntax.ModuleDef] = {}
        for name, d in spec.definitions.items():
            if d.imported:
                continue
            if isinstance(d.unit, syntax.ModuleDef):
                instances[name] = d.unit
            else:
                defs[name] = d.unit
        values: dict[str, Value] = {}
        self.root = Context(
            spec.name, defs, values, instances=instances, make_instance=self.instance, root=True
        )
        links: dict[str, tuple[syntax.Unit, Context]] = {}
        self.root.links = links
        # Definitions of the modules the root EXTENDS that the cfg replaces in that module only.
        for name, d in spec.definitions.items():
            scoped = overrides.in_module(d.module, name)
            if scoped is not None and not d.imported:
                self._replace(self.root, name, scoped)
        for name, c in overrides.root.items():
            if name in overrides.standard:
                continue
            self._replace(self.root, name, c)
        self.standard = {name: self._target(c) for name, c in overrides.standard.items()}
        links.update(self.standard)
        # Definitions an unnamed INSTANCE imports into the root scope.
        for inst in self._unnamed_instances(spec.root, set()):
            ctx = self.instance(syntax.ModuleDef("", (), inst, span=inst.span), self.root)
            for name, (unit, where) in _exported(ctx).items():
                if name not in defs and name not in links:
                    links[name] = (unit, where)
        missing = [
            c
            for c in spec.constants
            if c not in values and self.root.definition(c) is None and c not in self.root.instances
        ]
        if missing:
            cfg_name = Path(spec.cfg_path).name if spec.cfg_path else "(none)"
            raise ConfigError(
                "E617",
                f"the cfg {cfg_name} gives no value to the constant{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}",
                hint=f"add CONSTANT {missing[0]} = ... to the cfg",
            )

    def _target(self, c: CfgConstant) -> tuple[syntax.Unit, Context]:
        """``N <- Def``: the root's definition Def (read in the root's context)."""
        assert c.target is not None
        d = self.root.defs.get(c.target)
        if not isinstance(d, syntax.OpDef | syntax.FnDef):
            raise ConfigError(
                "E616", f"the cfg substitutes {c.name} <- {c.target}, which is not a definition", c.span
            )
        return d, self.root

    def _replace(self, ctx: Context, name: str, c: CfgConstant) -> None:
        assert isinstance(ctx.defs, dict) and isinstance(ctx.values, dict) and isinstance(ctx.links, dict)
        if c.target is None:
            ctx.defs.pop(name, None)
            ctx.values[name] = c.value
            return
        unit, where = self._target(c)
        if where is ctx and isinstance(unit, syntax.OpDef):
            # Same context: the definition under the replaced name (its body reads the same names).
            ctx.defs[name] = dataclasses.replace(unit, name=name)
        else:
            ctx.links[name] = (unit, where)

    def _unnamed_instances(self, m: syntax.Module, seen: set[str]) -> list[syntax.Instance]:
        if m.name in seen:
            return []
        seen.add(m.name)
        out: list[syntax.Instance] = []
        for ext in m.extends:
            if ext not in STANDARD_MODULES and ext in self.spec.modules:
                out += self._unnamed_instances(self.spec.modules[ext], seen)
        out += [u for u in m.units if isinstance(u, syntax.Instance) and u.module not in STANDARD_MODULES]
        return out

    def instance(self, m: syntax.ModuleDef, outer: Context) -> Context:
        """The context of ``N == INSTANCE M WITH p <- e, ...`` defined in ``outer``."""
        inst = m.instance
        if inst.module in STANDARD_MODULES:
            return Context(inst.module, {}, links=dict(self.standard))
        module = self.spec.module(inst.module, inst.span)
        defs: dict[str, syntax.Unit] = {}
        instances: dict[str, syntax.ModuleDef] = {}
        declared: list[str] = []
        owner: dict[str, str] = {}
        for mod in self._chain(module, set()):
            for u in mod.units:
                if isinstance(u, syntax.Constants | syntax.Variables):
                    declared += [d.name for d in u.decls]
                    owner.update((d.name, mod.name) for d in u.decls)
                elif isinstance(u, syntax.ModuleDef):
                    instances[u.name] = u
                elif isinstance(u, syntax.OpDef | syntax.FnDef):
                    defs[u.name] = u
                    owner[u.name] = mod.name
        subs = dict(inst.subs)
        params = {p: (subs.get(p, syntax.Name(p, span=m.span)), outer) for p in declared}
        ctx = Context(
            f"{m.name or inst.module}",
            defs,
            {},
            params,
            dict(self.standard),
            instances,
            self.instance,
        )
        for name, mod_name in owner.items():
            scoped = self.spec.overrides.in_module(mod_name, name)
            if scoped is not None:
                assert isinstance(ctx.params, dict)
                ctx.params.pop(name, None)
                self._replace(ctx, name, scoped)
        for unnamed in [
            u for mod in self._chain(module, set()) for u in mod.units if isinstance(u, syntax.Instance)
        ]:
            if unnamed.module in STANDARD_MODULES:
                continue
            inner = self.instance(syntax.ModuleDef("", (), unnamed, span=unnamed.span), ctx)
            assert isinstance(ctx.links, dict)
            for name, found in _exported(inner).items():
                if name not in defs:
                    ctx.links.setdefault(name, found)
        return ctx

    def _chain(self, m: syntax.Module, seen: set[str]) -> list[syntax.Module]:
        """``m`` after the modules it EXTENDS (standard ones are built in)."""
        if m.name in seen:
            return []
        seen.add(m.name)
        out: list[syntax.Module] = []
        for ext in m.extends:
            if ext not in STANDARD_MODULES and ext in self.spec.modules:
                out += self._chain(self.spec.modules[ext], seen)
        return [*out, m]


def _exported(ctx: Context) -> dict[str, tuple[syntax.Unit, Context]]:
    out: dict[str, tuple[syntax.Unit, Context]] = {}
    for name, unit in ctx.defs.items():
        if not getattr(unit, "local", False):
            out[name] = (unit, ctx)
    return out


def with_constants(problem: Problem, **changes: Value) -> Problem:
    """The same problem with some constants changed (tests and the benchmark scale instances)."""
    values = dict(problem.constants)
    values.update(changes)
    return dataclasses.replace(problem, constants=values)


__all__ = ["Loaded", "load_problem", "problem_of", "with_constants"]

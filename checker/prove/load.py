"""Reading what ``prove`` needs: the spec's definitions (with its EXTENDS), the cfg, the formulas.

This module owns the step from files to an ``induction.Problem``: parse the module with
``checker.tla.parser``, gather the definitions of the modules it extends (found beside it
or in ``--lib`` folders; the standard modules are built into the encoder), read the cfg's
constants, ``INIT``/``NEXT`` (or ``SPECIFICATION Init /\\ [][Next]_v``) and invariants.

The cfg is read by ``checker.tla.cfg``; the keywords that do not change what is proved
(``CHECK_DEADLOCK``, ``SYMMETRY``, ``PROPERTY``, ``VIEW``) are ignored, and the report says
so. ``CONSTRAINT`` is ignored too: induction is about every state of IndInv, not only those
within the constraint; the report names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checker.errors import SpecError
from checker.prove.encode import STANDARD_MODULES, EncodeError, Encoder, Env
from checker.prove.induction import Problem
from checker.tla import syntax as t
from checker.values import Value

CFG_ERROR = 151


@dataclasses.dataclass(frozen=True, slots=True)
class Cfg:
    """The parts of a TLC cfg that ``prove`` uses."""

    constants: tuple[tuple[str, Any], ...]  # name -> value (a Value) or ("<-", definition name)
    init: str | None
    next: str | None
    specification: str | None
    invariants: tuple[str, ...]
    ignored: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Loaded:
    problem: Problem
    cfg_path: Path | None
    ignored: tuple[str, ...]


def load_problem(spec: Path, inv: str, config: Path | None = None, libs: Sequence[Path] = ()) -> Loaded:
    """The induction problem for ``spec`` and its cfg (default: the .cfg beside the spec)."""
    from checker.tla.parser import parse_file

    if not spec.is_file():
        raise SpecError("E600", f"cannot read the spec {spec}: no such file")
    root = parse_file(spec)
    defs: dict[str, t.Unit] = {}
    constants: list[str] = []
    variables: list[str] = []
    _gather(root, spec.parent, list(libs), defs, constants, variables, set(), parse_file)
    cfg_path = config if config is not None else spec.with_suffix(".cfg")
    if config is not None and not cfg_path.is_file():
        raise SpecError("E610", f"cannot read the config {cfg_path}: no such file", exit_code=CFG_ERROR)
    cfg = read_cfg(cfg_path) if cfg_path.is_file() else Cfg((), None, None, None, (), ())
    values = _constant_values(cfg, defs, constants, cfg_path)
    init_name, next_name = _init_next(cfg, defs)
    if inv not in defs or not isinstance(defs[inv], t.OpDef):
        raise SpecError(
            "E611",
            f"the spec defines no operator '{inv}' to prove inductive",
            hint="name the candidate invariant with --inv (for example --inv IndInv)",
        )
    for name in cfg.invariants:
        if name not in defs:
            raise SpecError(
                "E612", f"the cfg's invariant '{name}' is not defined in the spec", exit_code=CFG_ERROR
            )
    init = defs[init_name]
    nxt = defs[next_name]
    assert isinstance(init, t.OpDef) and isinstance(nxt, t.OpDef)
    problem = Problem(
        spec=str(spec),
        defs=defs,
        constants=values,
        variables=tuple(variables),
        init=init.body,
        next=nxt.body,
        inv=inv,
        invariants=cfg.invariants,
    )
    return Loaded(problem, cfg_path if cfg_path.is_file() else None, cfg.ignored)


def _gather(
    module: t.Module,
    folder: Path,
    libs: list[Path],
    defs: dict[str, t.Unit],
    constants: list[str],
    variables: list[str],
    seen: set[str],
    parse_file: Any,
) -> None:
    """Definitions of ``module`` after those of the modules it extends (which come first)."""
    seen.add(module.name)
    for i, name in enumerate(module.extends):
        if name in seen or name in STANDARD_MODULES:
            continue
        path = _find_module(name, [folder, *libs])
        if path is None:
            span = module.extends_spans[i] if i < len(module.extends_spans) else None
            raise SpecError(
                "E602",
                f"cannot find the module {name} that {module.name} extends",
                span,
                hint="put it beside the spec or name its folder with --lib",
            )
        _gather(parse_file(path), path.parent, libs, defs, constants, variables, seen, parse_file)
    for unit in module.units:
        if isinstance(unit, (t.OpDef, t.FnDef, t.ModuleDef)):
            defs[unit.name] = unit
        elif isinstance(unit, t.Constants):
            constants += [d.name for d in unit.decls if d.name not in constants]
        elif isinstance(unit, t.Variables):
            variables += [d.name for d in unit.decls if d.name not in variables]
        elif isinstance(unit, t.Instance) and unit.module not in STANDARD_MODULES:
            raise EncodeError(
                f"INSTANCE {unit.module} is not supported by prove", unit.span, "EXTEND the module instead"
            )


def _find_module(name: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        p = folder / f"{name}.tla"
        if p.is_file():
            return p
    return None


def _init_next(cfg: Cfg, defs: dict[str, t.Unit]) -> tuple[str, str]:
    init, nxt = cfg.init, cfg.next
    if cfg.specification is not None:
        spec = defs.get(cfg.specification)
        if not isinstance(spec, t.OpDef):
            raise SpecError(
                "E613", f"the SPECIFICATION {cfg.specification} is not defined", exit_code=CFG_ERROR
            )
        for c in _conjuncts(spec.body):
            if isinstance(c, t.Name) and init is None:
                init = c.name
            elif isinstance(c, t.OpApp) and c.name == "[]" and isinstance(c.args[0], t.BoxAction):
                action = c.args[0].action
                if isinstance(action, t.Name):
                    nxt = action.name
    init = init or ("Init" if "Init" in defs else None)
    nxt = nxt or ("Next" if "Next" in defs else None)
    if init is None or nxt is None:
        raise SpecError(
            "E614",
            "the cfg names no INIT and NEXT (nor a SPECIFICATION of the form Init /\\ [][Next]_vars)",
            exit_code=CFG_ERROR,
        )
    for name in (init, nxt):
        if not isinstance(defs.get(name), t.OpDef):
            raise SpecError(
                "E615", f"the cfg names '{name}', which the spec does not define", exit_code=CFG_ERROR
            )
    return init, nxt


def _conjuncts(e: t.Expr) -> list[t.Expr]:
    if isinstance(e, t.Junction) and e.op == "/\\":
        return [c for i in e.items for c in _conjuncts(i)]
    if isinstance(e, t.OpApp) and e.name == "/\\":
        return [c for a in e.args for c in _conjuncts(a)]
    return [e]


def _constant_values(
    cfg: Cfg, defs: dict[str, t.Unit], declared: list[str], cfg_path: Path
) -> dict[str, Value]:
    values: dict[str, Value] = {}
    pending: list[tuple[str, str]] = []
    for name, v in cfg.constants:
        if isinstance(v, tuple) and len(v) == 2 and v[0] == "<-":
            pending.append((name, v[1]))
        else:
            values[name] = v
    # A substitution names a definition, which may use other constants: evaluate them last.
    for name, target in pending:
        d = defs.get(target)
        if not isinstance(d, t.OpDef) or d.params:
            raise SpecError(
                "E616",
                f"the cfg substitutes {name} <- {target}, which is not a definition",
                exit_code=CFG_ERROR,
            )
        enc = Encoder(defs, values, ())
        try:
            values[name] = enc.constant(d.body, f"the definition {target}")
        except EncodeError as exc:
            raise SpecError(
                "E616", f"cannot evaluate {name} <- {target}: {exc.message}", exc.span, exit_code=CFG_ERROR
            ) from None
    missing = [c for c in declared if c not in values and c not in defs]
    if missing:
        raise SpecError(
            "E617",
            f"the cfg {cfg_path.name} gives no value to the constant{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}",
            hint=f"add CONSTANT {missing[0]} = ... to the cfg",
            exit_code=CFG_ERROR,
        )
    # Constants the cfg overrides by a definition of the same name keep the cfg's value.
    return values


# ---------------------------------------------------------------------------------------------
# The cfg (read by checker.tla.cfg, TLC's grammar)


def read_cfg(path: Path) -> Cfg:
    from checker.tla.cfg import parse_cfg_file

    parsed = parse_cfg_file(path)
    constants: list[tuple[str, Any]] = []
    for c in parsed.constants:
        if c.module is not None:
            raise SpecError(
                "E618",
                f"{path.name}: module-scoped constants ({c.name} in [{c.module}]) are not supported by prove",
                c.span,
                exit_code=CFG_ERROR,
            )
        constants.append((c.name, ("<-", c.target) if c.target is not None else c.value))
    ignored = [
        keyword
        for keyword, present in (
            ("PROPERTY", bool(parsed.properties)),
            ("CONSTRAINT", bool(parsed.constraints)),
            ("ACTION_CONSTRAINT", bool(parsed.action_constraints)),
            ("SYMMETRY", parsed.symmetry is not None),
            ("VIEW", parsed.view is not None),
            ("CHECK_DEADLOCK", not parsed.check_deadlock),
        )
        if present
    ]
    return Cfg(
        tuple(constants), parsed.init, parsed.next, parsed.specification, parsed.invariants, tuple(ignored)
    )


def with_constants(problem: Problem, **changes: Value) -> Problem:
    """The same problem with some constants changed (tests and the benchmark scale instances)."""
    values = dict(problem.constants)
    values.update(changes)
    return dataclasses.replace(problem, constants=values)


def evaluate_constant(problem: Problem, text_name: str) -> Value:
    d = problem.defs[text_name]
    assert isinstance(d, t.OpDef)
    return Encoder(problem.defs, problem.constants, ()).constant(d.body, text_name)


__all__ = ["Cfg", "Loaded", "load_problem", "read_cfg", "with_constants", "Env"]

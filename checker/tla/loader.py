"""From files to a Model: find and parse the spec, its modules and its cfg, then compile.

Owns ``load_spec_model(spec, config, libs)``, the one entry point the CLI calls.
Modules named by EXTENDS and INSTANCE are looked up beside the spec, then in each
``--lib`` folder, then in the folders of ``TLACHECK_PATH`` (see ``checker.tla.resolve``).

Modules are found and every name is checked by ``checker.tla.resolve``; the cfg
is read by ``checker.tla.cfg``. Standard modules (Naturals, Sequences, TLC, ...)
are built in (``checker.tla.stdlib``).
"""

from __future__ import annotations

from pathlib import Path

from checker.errors import Span, SpecError
from checker.tla import syntax as ast
from checker.tla.cfg import Cfg
from checker.tla.model import SpecModel, build_model


def load_spec_model(
    spec: Path, config: Path | None, libs: list[Path], skip_liveness: bool = False
) -> SpecModel:
    """The Model of ``spec`` checked as ``config`` (default: the .cfg beside the spec) says;
    ``skip_liveness`` skips the temporal properties tlacheck cannot check (with a warning)."""
    from checker.tla.resolve import resolve_file

    if not spec.is_file():
        raise SpecError("E700", f"cannot read the spec {spec}: no such file")
    cfg_path = config if config is not None else spec.with_suffix(".cfg")
    if not cfg_path.is_file():
        raise SpecError(
            "E701",
            f"cannot read the cfg {cfg_path}: no such file",
            hint="give one with --config FILE.cfg",
            exit_code=151,
        )
    # Parsing and name resolution (every unknown name, with hints) happen before compiling.
    resolved = resolve_file(spec, libs)
    modules = dict(resolved.modules)

    def load(name: str, span: Span | None) -> ast.Module:
        module = modules.get(name)
        if module is None:
            raise SpecError("E702", f"cannot find the module {name}", span)
        return module

    cfg = read_cfg(cfg_path)
    return build_model(resolved.root, cfg, load, skip_liveness)


def read_cfg(path: Path) -> Cfg:
    """The cfg through ``checker.tla.cfg`` (TLC's grammar), refusing what the compiler lacks."""
    from checker.tla.cfg import parse_cfg_file

    cfg = parse_cfg_file(path)
    for c in cfg.constants:
        if c.module is not None:
            raise SpecError(
                "E747",
                f"`{c.name} <- [{c.module}] ...`: module-scoped substitutions are not supported yet",
                c.span,
                exit_code=151,
            )
    return cfg

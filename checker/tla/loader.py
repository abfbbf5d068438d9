"""From files to a Model: ``load_spec_model(spec, config, libs)``, the one call the CLI makes.

The front end (finding, parsing and resolving the modules, reading the cfg, applying it)
is ``checker.tla.spec``; compiling the resulting ``Spec`` is ``checker.tla.model``.
"""

from __future__ import annotations

from pathlib import Path

from checker.tla.model import SpecModel, build_model
from checker.tla.spec import load_spec


def load_spec_model(
    spec: Path, config: Path | None, libs: list[Path], skip_liveness: bool = False
) -> SpecModel:
    """The Model of ``spec`` checked as ``config`` (default: the .cfg beside the spec) says;
    ``skip_liveness`` skips the temporal properties tlacheck cannot check (with a warning)."""
    return build_model(load_spec(spec, config, libs), skip_liveness)

"""Views: a trace as text, ITF JSON, Graphviz pictures or an HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.engine.result import Trace, Violation
from checker.errors import ModelError
from checker.views.text import format_trace, format_violation


def write_trace(trace: Trace, path: Path, model: Any = None, violation: Violation | None = None) -> str | None:
    """Write ``trace`` to ``path`` in the form its suffix names; returns a note to print, if any."""
    name = path.name
    if name.endswith(".txt"):
        text = format_violation(violation) if violation is not None else format_trace(trace)
        path.write_text(text + "\n", encoding="utf-8")
        return None
    raise ModelError(f"cannot write a trace as '{path.suffix}': use .txt")


__all__ = ["write_trace"]

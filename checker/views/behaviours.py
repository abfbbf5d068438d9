"""Behaviours of a simulation as files: ITF JSON, and TLC's trace modules (``-simulate file=...``).

``tlacheck check --simulate --simulate-out DIR`` writes every behaviour it
samples twice, for test generation and for other tools:

- ``DIR/behaviour_<seed>_<n>.itf.json``: ITF (``itf.py``), with the seed and the
  behaviour's number in ``#meta`` so that it can be generated again;
- ``DIR/behaviour_<seed>_<n>.tla``: the form TLC's ``-simulate file=X`` writes, a
  module of ``STATE_1 == ...``, ``STATE_2 == ...`` definitions, one state each,
  in TLC's ``/\\ x = v`` layout. Like TLC's, it extends nothing: a state that
  uses ``:>``/``@@`` or model values needs the TLC module and the constants
  added before another tool can parse it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checker.engine.result import Trace, Violation
from checker.views.itf import trace_to_itf
from checker.views.text import format_state


def format_itf_with(
    trace: Trace, violation: Violation | None, source: str | None, extra: dict[str, Any]
) -> str:
    """ITF text as ``itf.format_itf`` writes it, with ``extra`` fields in the trace's ``#meta``."""
    doc = trace_to_itf(trace, violation, source)
    doc["#meta"].update(extra)
    head = json.dumps({k: v for k, v in doc.items() if k != "states"}, ensure_ascii=False)[:-1]
    states = ",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in doc["states"])
    return f'{head}, "states": [\n{states}\n]}}\n'


def format_trace_module(name: str, trace: Trace) -> str:
    """TLC's trace module: ``STATE_i ==`` then the state, for each state of the behaviour."""
    lines = [f"---------------- MODULE {name} -----------------"]
    for i, step in enumerate(trace.steps):
        lines.append(f"STATE_{i + 1} == ")
        lines.append(format_state(step.record) + "\n")
    lines.append("=================================================")
    return "\n".join(lines) + "\n"


def write_behaviour(folder: Path, seed: int, number: int, trace: Trace, source: str) -> None:
    """Both files of one behaviour in ``folder`` (which exists)."""
    stem = f"behaviour_{seed}_{number}"
    meta = {"seed": seed, "behaviour": number}
    (folder / f"{stem}.itf.json").write_text(format_itf_with(trace, None, source, meta), encoding="utf-8")
    (folder / f"{stem}.tla").write_text(format_trace_module(stem, trace), encoding="utf-8")


__all__ = ["format_itf_with", "format_trace_module", "write_behaviour"]

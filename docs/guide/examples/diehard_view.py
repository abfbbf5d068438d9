"""docs/guide/model-api.md: the Die Hard model with a domain view (``render_dot``).

The drawing shows the two jugs as bars filled to their level, the step that led to the
state as a title, and the jug that reached 4 gallons in red.

    PYTHONPATH=docs/guide/examples tlacheck check diehard_view:puzzle --trace-out trace.svg
"""

from __future__ import annotations

from typing import Any

from checker.examples.diehard import DieHard


class DieHardWithView(DieHard):
    def render_dot(self, trace: Any, index: int) -> str:
        step = trace.steps[index]
        title = "Initial state" if step.label is None else f"State {index + 1}: {step.label}"
        rows = []
        for name, size in (("small", 3), ("big", 5)):
            level = step.record[name]
            colour = "#d62728" if level == 4 else "#6baed6"
            cells = "".join(
                f'<TD WIDTH="18" HEIGHT="14" BGCOLOR="{colour if k < level else "white"}"></TD>'
                for k in range(size)
            )
            rows.append(f'<TR><TD ALIGN="RIGHT">{name} ({level}/{size})</TD>{cells}</TR>')
        table = f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2">{"".join(rows)}</TABLE>'
        return f'digraph jugs {{\n  label="{title}" labelloc=t fontname="Helvetica"\n  node [shape=plain fontname="Helvetica"]\n  jugs [label=<{table}>]\n}}\n'


def puzzle() -> DieHardWithView:
    return DieHardWithView(solve=True)

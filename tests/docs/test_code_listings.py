"""Listings that cannot rot: a ```python block that shows a class or a function is the real code.

A block whose first line starts with ``class `` or ``def `` must appear, verbatim, in one
of the Python files under docs/ (the examples the pages run). Other blocks (sketches
such as the Die Hard model of model-api.md, which ships as checker/examples/diehard.py
in another layout) are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def test_listed_classes_and_functions_are_the_files() -> None:
    sources = {p: p.read_text(encoding="utf-8") for p in DOCS.rglob("*.py")}
    checked = 0
    for page in sorted(DOCS.rglob("*.md")):
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            if not block.startswith(("class ", "def ")):
                continue
            checked += 1
            homes = [p for p, text in sources.items() if block in text]
            assert homes, f"{page.relative_to(DOCS)}: this listing is in no file under docs/:\n{block}"
    assert checked >= 2  # model-api.md's render_dot and the tutorial's CommittedInOwnTerm

"""A TLA+ spec's CONSTRAINT and ACTION_CONSTRAINT are called for each successor only where
the cfg gives them (``SpecModel._idle_member``): the search holds None for a member that
would do nothing, and the constraints it holds still bound the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine import CheckOptions, check
from checker.engine.bfs import Search
from checker.tla.loader import load_spec_model

SPEC = (
    "---- MODULE Cons ----\nEXTENDS Naturals\nVARIABLES x, y\nInit == x = 0 /\\ y = 0\n"
    "Next == \\/ x' = x + 1 /\\ y' = y\n        \\/ y' = y + 1 /\\ x' = x\n"
    "Small == x < 4\nSlow == y' <= x\n====\n"
)


@pytest.mark.parametrize(
    ("extra", "constrained", "counts"),
    [
        # TLC 2.20: 21 generated, 10 distinct, depth 7.
        ("CONSTRAINT Small\nACTION_CONSTRAINT Slow\n", (True, True), (21, 10, 7)),
        ("CONSTRAINT Small\n", (True, False), None),
        ("ACTION_CONSTRAINT Slow\n", (False, True), None),
        ("", (False, False), None),
    ],
)
def test_only_the_constraints_the_cfg_gives_are_called(
    tmp_path: Path, extra: str, constrained: tuple[bool, bool], counts: tuple[int, int, int] | None
) -> None:
    (tmp_path / "Cons.tla").write_text(SPEC)
    (tmp_path / "Cons.cfg").write_text(f"INIT Init\nNEXT Next\n{extra}CHECK_DEADLOCK FALSE\n")
    model = load_spec_model(tmp_path / "Cons.tla", tmp_path / "Cons.cfg", [])
    search = Search(model, CheckOptions())
    assert (search.constraint is not None, search.action_constraint is not None) == constrained
    if counts is not None:
        result = check(model, CheckOptions())
        assert (result.stats.generated, result.stats.distinct, result.stats.depth) == counts

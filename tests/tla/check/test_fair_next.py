"""``WF_vars(Next)`` of the spec's own Next: the liveness search takes a search step as an
``<<Next>>_vars`` step when vars changed, and derives ENABLED from a state's own steps, instead
of enumerating Next again (``Fairness.own_taken``). The verdicts must be those of the general
way (Next enumerated per state, ``<<Next>>_vars`` evaluated per edge)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.engine import CheckOptions, check
from checker.tla import model as tla_model
from checker.tla.loader import load_spec_model

_SPEC = """---- MODULE Fair ----
EXTENDS Naturals
VARIABLES x, y
vars == <<x, y>>
Init == x = 0 /\\ y = 0
Up == x < 3 /\\ x' = x + 1 /\\ y' = y
Idle == UNCHANGED vars
Flip == y' = 1 - y /\\ x' = x
Next == Up \\/ Idle \\/ FLIP
Spec == Init /\\ [][Next]_vars /\\ FAIR
Done == <>(x = 3)
Settles == <>[](y = 0)
====
"""

# (Next's third disjunct, the fairness, the cfg's extra lines, the property, and TLC 2.20's
# exit code and distinct states on that spec).
_CASES = [
    ("FALSE", "WF_vars(Next)", "", "Done", 0, 4),  # holds: Up is the only step that changes vars
    ("FALSE", "TRUE", "", "Done", 13, 4),  # no fairness: it may stop short of x = 3
    ("Flip", "WF_vars(Next)", "", "Done", 13, 8),  # Flip forever: a fair behaviour without Up
    ("Flip", "WF_vars(Next)", "", "Settles", 13, 8),
    ("Flip", "SF_vars(Next)", "", "Settles", 13, 8),
    ("FALSE", "WF_x(Next)", "", "Done", 0, 4),  # a subscript of one variable
    ("FALSE", "WF_vars(Next)", "CONSTRAINT Small\n", "Done", 0, 3),  # x = 3 is outside the model
    ("FALSE", "WF_vars(Up)", "", "Done", 0, 4),  # another action: the general way only
]


def _verdict(tmp_path: Path, third: str, fair: str, extra: str, prop: str) -> tuple[Any, ...]:
    text = _SPEC.replace("FLIP", third).replace("FAIR", fair)
    if "Small" in extra:
        text = text.replace("====", "Small == x < 3\n====")
    (tmp_path / "Fair.tla").write_text(text)
    (tmp_path / "Fair.cfg").write_text(f"SPECIFICATION Spec\nPROPERTY {prop}\n{extra}")
    model = load_spec_model(tmp_path / "Fair.tla", tmp_path / "Fair.cfg", [])
    result = check(model, CheckOptions())
    own = [f.own_taken is not None for f in model.fairness]
    return (
        result.exit_code,
        [(v.kind, v.name, len(v.trace.steps), v.trace.loop) for v in result.violations],
        result.stats.distinct,
        own,
    )


@pytest.mark.parametrize(("third", "fair", "extra", "prop", "tlc_exit", "tlc_distinct"), _CASES)
def test_the_search_steps_give_the_verdict_of_next_enumerated_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    third: str,
    fair: str,
    extra: str,
    prop: str,
    tlc_exit: int,
    tlc_distinct: int,
) -> None:
    fast = _verdict(tmp_path, third, fair, extra, prop)
    with monkeypatch.context() as m:
        m.setattr(tla_model._TemporalCompiler, "own_taken", lambda *args: None)
        general = _verdict(tmp_path, third, fair, extra, prop)
    assert fast[:3] == general[:3]  # the same lasso, too
    assert (fast[0], fast[2]) == (tlc_exit, tlc_distinct)
    assert fast[3] == [fair.endswith("(Next)")] * len(fast[3])  # the fast way where it applies
    assert general[3] == [False] * len(general[3])

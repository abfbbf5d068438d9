"""A liveness counterexample (a lasso) in every view: ITF's loop, the back edge, the page."""

from __future__ import annotations

from pathlib import Path

from checker.engine import check
from checker.tla.loader import load_spec_model
from checker.views.graph import trace_to_dot
from checker.views.html import trace_to_html
from checker.views.itf import format_itf, parse_itf
from checker.views.text import format_violation

CORPUS = Path(__file__).resolve().parents[1] / "tla" / "check" / "corpus"


def _violation(name: str):  # type: ignore[no-untyped-def]
    result = check(load_spec_model(CORPUS / f"{name}.tla", None, []))
    assert result.violation is not None and result.violation.kind == "temporal"
    return result.violation


def test_a_cycle_round_trips_through_itf_with_its_loop_and_closing_action() -> None:
    violation = _violation("LiveWeakFair")  # TLC 2.20: 2 states, then Back to state 1: Toggle
    text = format_itf(violation.trace, violation)
    assert '"loop": 0' in text and '"loop-action": "Toggle"' in text
    back = parse_itf(text)
    assert back.trace.loop == 0 and back.trace.loop_label == "Toggle"
    assert back.violation is not None
    assert format_violation(back.violation).endswith("Back to state 1: <Toggle>\n")


def test_stuttering_is_a_loop_on_the_last_state() -> None:
    violation = _violation("LiveStutter")  # TLC 2.20: 2 states, then State 3: Stuttering
    text = format_itf(violation.trace, violation)
    assert '"loop": 1' in text and "loop-action" not in text
    back = parse_itf(text)
    assert back.trace.loop == 1 and back.trace.loop_label is None
    assert back.violation is not None
    assert format_violation(back.violation).endswith("State 3: Stuttering")


def test_the_picture_and_the_page_draw_the_back_edge() -> None:
    violation = _violation("LiveWeakFair")
    dot = trace_to_dot(violation.trace, violation)
    assert "s2 -> s1" in dot and "Toggle (for ever)" in dot
    page = trace_to_html(violation.trace, violation)
    assert "Back to state 1: &lt;Toggle&gt; (and round again, for ever)" in page
    stutter = _violation("LiveStutter")
    assert "s2 -> s2" in trace_to_dot(stutter.trace, stutter)
    assert "State 3: Stuttering (for ever)" in trace_to_html(stutter.trace, stutter)

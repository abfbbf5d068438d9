"""Text traces: TLC's layout, checked against TLC's own output, golden files, and --diff.

Golden files live in ``golden/``; regenerate them with ``UPDATE_GOLDEN=1 pytest
tests/views/test_text.py`` and review the diff before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from checker.engine import check
from checker.examples.diehard import puzzle
from checker.views.text import format_trace, format_violation
from tests.views.models import Chat

GOLDEN = Path(__file__).parent / "golden"

# TLC 2.20 on the same puzzle (DieHard.tla with Lamport's six actions in the same
# order, INVARIANTS TypeOK NotSolved, -workers 1): "73 states generated, 14
# distinct states found", and this trace. Only the action labels differ: TLC
# adds the action's source location, a Python model has none.
TLC_DIEHARD = """\
Error: Invariant NotSolved is violated.
Error: The behavior up to this point is:
State 1: <Initial predicate>
/\\ big = 0
/\\ small = 0

State 2: <FillBig line 7, col 12 to line 7, col 37 of module DieHard>
/\\ big = 5
/\\ small = 0

State 3: <BigToSmall line 12, col 15 to line 12, col 75 of module DieHard>
/\\ big = 2
/\\ small = 3

State 4: <EmptySmall line 8, col 15 to line 8, col 38 of module DieHard>
/\\ big = 2
/\\ small = 0

State 5: <BigToSmall line 12, col 15 to line 12, col 75 of module DieHard>
/\\ big = 0
/\\ small = 2

State 6: <FillBig line 7, col 12 to line 7, col 37 of module DieHard>
/\\ big = 5
/\\ small = 2

State 7: <BigToSmall line 12, col 15 to line 12, col 75 of module DieHard>
/\\ big = 4
/\\ small = 3
"""


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def test_die_hard_trace_is_tlcs_trace_word_for_word_but_the_locations() -> None:
    violation = check(puzzle()).violation
    assert violation is not None
    ours = format_violation(violation)
    assert ours == re.sub(r" line \d+, col \d+ to line \d+, col \d+ of module DieHard>", ">", TLC_DIEHARD)


def test_die_hard_golden_trace() -> None:
    violation = check(puzzle()).violation
    assert violation is not None
    check_golden("diehard_puzzle.txt", format_violation(violation) + "\n")


def test_die_hard_golden_diff() -> None:
    violation = check(puzzle()).violation
    assert violation is not None
    check_golden("diehard_puzzle.diff.txt", format_violation(violation, diff=True) + "\n")


def test_diff_shows_only_the_changed_places_of_functions_and_records() -> None:
    violation = check(Chat()).violation
    assert violation is not None
    # Hand-checked against the model: two appends to s1's log, s1 sends its last
    # entry, s2 votes for itself (and so becomes leader).
    assert format_trace(violation.trace, diff=True) == (
        "State 1: <Initial predicate>\n"
        '/\\ leader = "none"\n'
        "/\\ logs = (s1 :> <<>> @@ s2 :> <<>>)\n"
        "/\\ msgs = {}\n"
        "/\\ voted = (s1 :> {} @@ s2 :> {})\n"
        "\n"
        "State 2: <Append(s1, 1)>\n"
        "* /\\ logs[s1] = <<1>>\n"
        "\n"
        "State 3: <Append(s1, 2)>\n"
        "* /\\ logs[s1] = <<1, 2>>\n"
        "\n"
        "State 4: <Send(s1)>\n"
        "* /\\ msgs = {[src |-> s1, val |-> 2]}\n"
        "\n"
        "State 5: <Vote(s2)>\n"
        "* /\\ leader = s2\n"
        "* /\\ voted[s2] = {s2}\n"
    )


def test_diff_goes_down_into_sequences_and_records_that_keep_their_domain() -> None:
    from checker.engine.result import Step, Trace
    from checker.values import record

    a = {"log": (record(term=1, val=5), record(term=1, val=6))}
    b = {"log": (record(term=1, val=5), record(term=2, val=6))}
    c = {"log": (record(term=1, val=5),)}
    trace = Trace(("log",), (Step(None, 0, a), Step("Bump", 1, b), Step("Cut", 2, c), Step("Stay", 3, c)))
    text = format_trace(trace, diff=True)
    assert "* /\\ log[2].term = 2\n" in text  # one field of one entry
    assert "* /\\ log = <<[term |-> 1, val |-> 5]>>\n" in text  # the domain changed: the whole value
    assert text.endswith("State 4: <Stay>\n  (no variable changed)\n")


@pytest.mark.parametrize(
    ("model_name", "golden"),
    [("raft_model:ghost_commit", "raft_ghost_commit.txt"), ("paxos_model:any_value", "paxos_any_value.txt")],
)
def test_protocol_golden_traces(model_name: str, golden: str) -> None:
    from checker.cli import load_python_model
    from checker.errors import ModelError

    try:
        model = load_python_model(model_name, [])
    except ModelError as exc:
        pytest.skip(f"{model_name} is not there yet: {exc}")
    violation = check(model).violation
    assert violation is not None, f"{model_name} should have a counterexample"
    check_golden(golden, format_violation(violation) + "\n")

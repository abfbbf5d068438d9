"""ITF JSON: our traces survive write -> read, and traces written by Apalache and Quint read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine import check
from checker.engine.result import Step, Trace, Violation
from checker.errors import ModelError
from checker.examples.diehard import puzzle
from checker.values import Fn, ModelValue, make_fn, record
from checker.views import read_trace, write_trace
from checker.views.itf import format_itf, parse_itf, value_from_itf, value_to_itf
from tests.views.models import Chat

FIXTURES = Path(__file__).parent / "fixtures"

# -- values ----------------------------------------------------------------------

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=6),
    st.sampled_from(["s1", "s2", "v1"]).map(ModelValue),
)


def _containers(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    keys = st.one_of(st.integers(-3, 3), st.text(max_size=3), st.sampled_from(["s1", "s2"]).map(ModelValue))
    return st.one_of(
        st.lists(children, max_size=4).map(tuple),
        st.frozensets(children, max_size=4),
        # make_fn turns a map with domain 1..n into a sequence, as the reader must too
        st.dictionaries(keys, children, min_size=1, max_size=4).map(make_fn),
        # records, including a field name that collides with ITF's "#" keywords
        st.dictionaries(st.sampled_from(["a", "b", "#set", "tag"]), children, min_size=1, max_size=3).map(Fn),
    )


values = st.recursive(scalars, _containers, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(values)
def test_every_value_reads_back_equal_through_json_text(v: object) -> None:
    text = json.dumps(value_to_itf(v))
    assert value_from_itf(json.loads(text)) == v


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(values, values), min_size=1, max_size=4), st.booleans())
def test_random_traces_read_back_with_labels_records_and_violation(
    states: list[tuple[object, object]], violated: bool
) -> None:
    steps = tuple(
        Step(label=None if i == 0 else f"Act({i})", state=s, record={"x": s[0], "y": s[1]})
        for i, s in enumerate(states)
    )
    trace = Trace(variables=("x", "y"), steps=steps)
    violation = Violation("invariant", "Inv", trace) if violated else None
    loaded = parse_itf(format_itf(trace, violation))
    assert loaded.trace.variables == ("x", "y")
    assert [s.label for s in loaded.trace.steps] == [s.label for s in steps]
    assert [dict(s.record) for s in loaded.trace.steps] == [dict(s.record) for s in steps]
    assert (loaded.violation.name if loaded.violation else None) == ("Inv" if violated else None)


def test_values_are_written_in_the_forms_of_adr_015() -> None:
    s1 = ModelValue("s1")
    assert value_to_itf(True) is True
    assert value_to_itf(7) == 7
    assert value_to_itf(2**53) == {"#bigint": "9007199254740992"}
    assert value_to_itf(-(2**53)) == {"#bigint": "-9007199254740992"}
    assert value_to_itf("hi") == "hi"
    assert value_to_itf((1, "a")) == [1, "a"]
    assert value_to_itf(frozenset({3, 1, 2})) == {"#set": [1, 2, 3]}
    assert value_to_itf(record(bal=1, val=s1)) == {"bal": 1, "val": {"#unserializable": "s1"}}
    assert value_to_itf(make_fn({s1: 2, ModelValue("s0"): 1})) == {
        "#map": [[{"#unserializable": "s0"}, 1], [{"#unserializable": "s1"}, 2]]
    }
    # a field name starting with '#' would read as a keyword: such a record is a #map
    assert value_to_itf(Fn({"#set": 1})) == {"#map": [["#set", 1]]}


def test_tup_lists_and_maps_over_1_to_n_all_read_as_sequences() -> None:
    assert value_from_itf({"#tup": [1, 2]}) == (1, 2)
    assert value_from_itf([1, 2]) == (1, 2)
    assert value_from_itf({"#map": [[2, "b"], [1, "a"]]}) == ("a", "b")
    assert value_from_itf({"#map": []}) == ()
    assert value_from_itf({"#bigint": "-12345678901234567890"}) == -12345678901234567890


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ({"#bigint": "12x"}, "is not an integer"),
        ({"#foo": 1}, "unknown form '#foo'"),
        ({"#map": [[1]]}, "expected a [key, value] pair"),
        ({"#set": 3}, "#set must hold a list"),
        (1.5, "TLA+ has no fractions"),
        (None, "is not an ITF expression"),
    ],
)
def test_malformed_expressions_are_clear_errors(expr: object, message: str) -> None:
    with pytest.raises(ModelError, match=re.escape(message)):
        value_from_itf(expr, "state 0, x")


# -- traces ----------------------------------------------------------------------


def test_die_hard_trace_round_trips_through_a_file(tmp_path: Path) -> None:
    violation = check(puzzle()).violation
    assert violation is not None
    path = tmp_path / "t.itf.json"
    write_trace(violation.trace, path, model=puzzle(), violation=violation)
    loaded = read_trace(path)
    assert loaded.trace.variables == ("small", "big")
    assert loaded.trace.labels == violation.trace.labels
    # NamedTuple states compare equal to the plain tuples the reader builds
    assert loaded.trace.states == violation.trace.states
    assert loaded.violation is not None
    assert (loaded.violation.kind, loaded.violation.name) == ("invariant", "NotSolved")
    doc = json.loads(path.read_text())
    assert doc["#meta"]["violation"] == {"kind": "invariant", "name": "NotSolved"}
    assert doc["#meta"]["format"] == "ITF"
    # TLC 2.20 gives the same 7 states (see test_text.py); the actions go in each state's #meta
    assert [s["#meta"] for s in doc["states"][:3]] == [
        {"index": 0},
        {"index": 1, "action": "FillBig"},
        {"index": 2, "action": "BigToSmall"},
    ]
    assert [(s["small"], s["big"]) for s in doc["states"]] == [
        (0, 0),
        (0, 5),
        (3, 2),
        (0, 2),
        (2, 0),
        (2, 5),
        (3, 4),
    ]


def test_nested_values_and_model_values_round_trip() -> None:
    violation = check(Chat()).violation
    assert violation is not None
    loaded = parse_itf(format_itf(violation.trace, violation))
    assert [dict(s.record) for s in loaded.trace.steps] == [dict(s.record) for s in violation.trace.steps]
    assert loaded.trace.labels == violation.trace.labels


def test_the_example_trace_of_the_itf_documentation_reads() -> None:
    # Apalache's ADR-015 example: the Missionaries and Cannibals counterexample to NoSolution.
    loaded = read_trace(FIXTURES / "missionaries.itf.json")
    trace = loaded.trace
    assert trace.variables == ("bank_of_boat", "who_is_on_bank")
    assert len(trace) == 6
    assert [s.record["bank_of_boat"] for s in trace.steps] == ["E", "W", "E", "W", "E", "W"]
    everyone = frozenset({"c1_OF_PERSON", "c2_OF_PERSON", "m1_OF_PERSON", "m2_OF_PERSON"})
    first, last = trace.steps[0].record["who_is_on_bank"], trace.steps[-1].record["who_is_on_bank"]
    assert first == make_fn({"E": everyone, "W": frozenset()})
    assert last == make_fn({"E": frozenset(), "W": everyone})  # NoSolution == who_is_on_bank["E"] /= {} fails
    assert trace.labels == [None] * 6  # Apalache writes no actions
    assert loaded.violation is None and loaded.meta["source"] == "MC_MissionariesAndCannibalsTyped.tla"


def test_a_quint_trace_reads_with_bigints_tuples_variants_and_actions() -> None:
    loaded = read_trace(FIXTURES / "quint_counter.itf.json")
    trace = loaded.trace
    # mbt:: variables (listed twice, as Quint does) are metadata, not state
    assert trace.variables == ("counter::n", "counter::history", "counter::last")
    assert trace.labels == [None, "step"]
    big = 9_007_199_254_740_993  # 2**53 + 1: would lose precision as a JSON number
    assert dict(trace.steps[0].record) == {
        "counter::n": 0,
        "counter::history": (),
        "counter::last": record(tag="None", value=()),
    }
    assert dict(trace.steps[1].record) == {
        "counter::n": big,
        "counter::history": ((1, "add"),),
        "counter::last": record(tag="Some", value=big),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not JSON"),
        ("[1, 2]", "is not an ITF trace"),
        ('{"vars": ["x"], "states": [{"y": 1}]}', "state 0 has no value for x"),
        ('{"vars": "x", "states": []}', '"vars" must be a list'),
    ],
)
def test_malformed_traces_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        parse_itf(text, "t.itf.json")


def test_a_python_value_that_is_not_a_tla_value_is_named_in_the_error() -> None:
    trace = Trace(("x",), (Step(None, 0, {"x": 1}), Step("Oops", 1, {"x": None})))
    with pytest.raises(ModelError, match=r"State 2, variable x: cannot write None \(NoneType\) as ITF"):
        format_itf(trace)

"""Round trip (Hypothesis): a random expression tree prints as TLA+ that parses back to it.

This is what makes the printer trustworthy for golden files and error messages, and it
exercises the parser's junction columns and precedence ranges from the other side.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.tla import syntax as s
from checker.tla.parser import parse_expr, parse_module
from checker.tla.printer import print_expr

IDS = ["a", "b", "x", "y1", "Foo", "f", "S", "v_2"]
FIELDS = ["a", "b", "next", "val"]
INFIX = sorted(s.INFIX_OPERATORS)
PREFIX = sorted(s.PREFIX_OPERATORS)
POSTFIX = sorted(s.POSTFIX_OPERATORS)

names = st.sampled_from(IDS)
name_tuples = st.lists(names, min_size=1, max_size=2, unique=True).map(tuple)

leaves = st.one_of(
    names.map(s.Name),
    st.integers(min_value=0, max_value=10**6).map(s.Num),
    st.text(alphabet='ab "\\\n\t*()', max_size=6).map(s.Str),
    st.booleans().map(s.Bool),
    st.just(s.At()),
)


def _extend(children: st.SearchStrategy[s.Expr]) -> st.SearchStrategy[s.Expr]:
    kids = st.lists(children, min_size=1, max_size=3).map(tuple)
    bound = st.builds(s.Bound, name_tuples, children, st.booleans())
    bounds = st.lists(bound, min_size=1, max_size=2).map(tuple)
    single_bound = st.builds(s.Bound, names.map(lambda n: (n,)), children)
    path_step = st.one_of(
        st.builds(s.ExceptIndex, st.lists(children, min_size=1, max_size=2).map(tuple)),
        st.builds(s.ExceptField, st.sampled_from(FIELDS)),
    )
    update = st.builds(s.ExceptUpdate, st.lists(path_step, min_size=1, max_size=2).map(tuple), children)
    fields = st.lists(st.tuples(st.sampled_from(FIELDS), children), min_size=1, max_size=2).map(tuple)
    opdef = st.builds(
        s.OpDef,
        st.sampled_from(["P", "Q"]),
        st.lists(names.map(s.Decl), max_size=2, unique_by=lambda d: d.name).map(tuple),
        children,
    )
    return st.one_of(
        st.builds(lambda o, lhs, rhs: s.OpApp(o, (lhs, rhs)), st.sampled_from(INFIX), children, children),
        st.builds(lambda p, c: s.OpApp(p, (c,)), st.sampled_from(PREFIX), children),
        st.builds(lambda p, c: s.OpApp(p, (c,)), st.sampled_from(POSTFIX), children),
        st.builds(lambda a, b, c: s.OpApp("\\X", (a, b, c)), children, children, children),
        st.builds(s.OpApp, st.sampled_from(["F", "Append"]), kids),
        st.builds(s.Qualified, st.just((s.InstanceStep("M"),)), st.just("Op"), kids),
        st.builds(s.SetEnum, st.lists(children, max_size=3).map(tuple)),
        st.builds(s.Tuple, st.lists(children, max_size=3).map(tuple)),
        st.builds(s.FnApp, children, kids),
        st.builds(s.Field, children, st.sampled_from(FIELDS)),
        st.builds(s.If, children, children, children),
        st.builds(
            s.Case,
            st.lists(st.builds(s.CaseArm, children, children), min_size=1, max_size=2).map(tuple),
            st.none() | children,
        ),
        st.builds(
            s.Let, st.lists(opdef, min_size=1, max_size=2, unique_by=lambda d: d.name).map(tuple), children
        ),
        st.builds(s.Quant, st.sampled_from(["\\A", "\\E"]), bounds, children),
        st.builds(s.QuantUnbounded, st.sampled_from(["\\A", "\\E", "\\AA", "\\EE"]), name_tuples, children),
        st.builds(s.Choose, names.map(lambda n: (n,)), st.none() | children, children),
        st.builds(s.Lambda, name_tuples, children),
        st.builds(s.Junction, st.sampled_from(["/\\", "\\/"]), kids),
        st.builds(s.Except, children, st.lists(update, min_size=1, max_size=2).map(tuple)),
        st.builds(s.Record, fields),
        st.builds(s.RecordSet, fields),
        st.builds(s.FnCons, bounds, children),
        st.builds(s.FnSet, children, children),
        st.builds(s.SetFilter, single_bound, children),
        st.builds(s.SetMap, children, bounds),
        st.builds(s.BoxAction, children, names.map(s.Name)),
        st.builds(s.AngleAction, children, kids.map(s.Tuple)),
        st.builds(s.Fairness, st.sampled_from(["WF", "SF"]), names.map(s.Name), children),
        st.builds(s.Label, st.sampled_from(["l1", "lbl"]), children, st.lists(names, max_size=2).map(tuple)),
    )


expressions = st.recursive(leaves, _extend, max_leaves=12)

# Hypothesis warns that the repr of this recursive strategy is large; it is only a repr.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Generating overly large repr")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_printed_expression_parses_back_to_the_same_tree(e: s.Expr) -> None:
    text = print_expr(e)
    assert parse_expr(text) == e, text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.integers(min_value=0, max_value=30))
def test_layout_at_any_column_parses_back(e: s.Expr, col: int) -> None:
    # Printed as the body of a definition whose name pushes it to column ``col``.
    name = "D" + "x" * col
    text = f"---- MODULE R ----\n{name} == {print_expr(e, len(name) + 4)}\n====\n"
    body = parse_module(text).units[0]
    assert isinstance(body, s.OpDef) and body.body == e, text

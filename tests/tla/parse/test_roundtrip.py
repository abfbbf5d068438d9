"""Round trip (Hypothesis): a random expression tree prints as TLA+ that parses back to it.

This is what makes the printer trustworthy for golden files and error messages, and it
exercises the parser's junction columns and precedence ranges from the other side.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.tla import syntax
from checker.tla.parser import parse_expr, parse_module
from checker.tla.printer import print_expr

IDS = ["a", "b", "x", "y1", "Foo", "f", "S", "v_2"]
FIELDS = ["a", "b", "next", "val"]
INFIX = sorted(syntax.INFIX_OPERATORS)
PREFIX = sorted(syntax.PREFIX_OPERATORS)
POSTFIX = sorted(syntax.POSTFIX_OPERATORS)

names = st.sampled_from(IDS)
name_tuples = st.lists(names, min_size=1, max_size=2, unique=True).map(tuple)

leaves = st.one_of(
    names.map(syntax.Name),
    st.integers(min_value=0, max_value=10**6).map(syntax.Num),
    st.text(alphabet='ab "\\\n\t*()', max_size=6).map(syntax.Str),
    st.booleans().map(syntax.Bool),
    st.just(syntax.At()),
)


def _extend(children: st.SearchStrategy[syntax.Expr]) -> st.SearchStrategy[syntax.Expr]:
    kids = st.lists(children, min_size=1, max_size=3).map(tuple)
    bound = st.builds(syntax.Bound, name_tuples, children, st.booleans())
    bounds = st.lists(bound, min_size=1, max_size=2).map(tuple)
    single_bound = st.builds(syntax.Bound, names.map(lambda n: (n,)), children)
    path_step = st.one_of(
        st.builds(syntax.ExceptIndex, st.lists(children, min_size=1, max_size=2).map(tuple)),
        st.builds(syntax.ExceptField, st.sampled_from(FIELDS)),
    )
    update = st.builds(syntax.ExceptUpdate, st.lists(path_step, min_size=1, max_size=2).map(tuple), children)
    fields = st.lists(st.tuples(st.sampled_from(FIELDS), children), min_size=1, max_size=2).map(tuple)
    opdef = st.builds(
        syntax.OpDef,
        st.sampled_from(["P", "Q"]),
        st.lists(names.map(syntax.Decl), max_size=2, unique_by=lambda d: d.name).map(tuple),
        children,
    )
    return st.one_of(
        st.builds(
            lambda o, lhs, rhs: syntax.OpApp(o, (lhs, rhs)), st.sampled_from(INFIX), children, children
        ),
        st.builds(lambda p, c: syntax.OpApp(p, (c,)), st.sampled_from(PREFIX), children),
        st.builds(lambda p, c: syntax.OpApp(p, (c,)), st.sampled_from(POSTFIX), children),
        st.builds(lambda a, b, c: syntax.OpApp("\\X", (a, b, c)), children, children, children),
        st.builds(syntax.OpApp, st.sampled_from(["F", "Append"]), kids),
        st.builds(syntax.Qualified, st.just((syntax.InstanceStep("M"),)), st.just("Op"), kids),
        st.builds(syntax.SetEnum, st.lists(children, max_size=3).map(tuple)),
        st.builds(syntax.Tuple, st.lists(children, max_size=3).map(tuple)),
        st.builds(syntax.FnApp, children, kids),
        st.builds(syntax.Field, children, st.sampled_from(FIELDS)),
        st.builds(syntax.If, children, children, children),
        st.builds(
            syntax.Case,
            st.lists(st.builds(syntax.CaseArm, children, children), min_size=1, max_size=2).map(tuple),
            st.none() | children,
        ),
        st.builds(
            syntax.Let,
            st.lists(opdef, min_size=1, max_size=2, unique_by=lambda d: d.name).map(tuple),
            children,
        ),
        st.builds(syntax.Quant, st.sampled_from(["\\A", "\\E"]), bounds, children),
        st.builds(
            syntax.QuantUnbounded, st.sampled_from(["\\A", "\\E", "\\AA", "\\EE"]), name_tuples, children
        ),
        st.builds(syntax.Choose, names.map(lambda n: (n,)), st.none() | children, children),
        st.builds(syntax.Lambda, name_tuples, children),
        st.builds(syntax.Junction, st.sampled_from(["/\\", "\\/"]), kids),
        st.builds(syntax.Except, children, st.lists(update, min_size=1, max_size=2).map(tuple)),
        st.builds(syntax.Record, fields),
        st.builds(syntax.RecordSet, fields),
        st.builds(syntax.FnCons, bounds, children),
        st.builds(syntax.FnSet, children, children),
        st.builds(syntax.SetFilter, single_bound, children),
        st.builds(syntax.SetMap, children, bounds),
        st.builds(syntax.BoxAction, children, names.map(syntax.Name)),
        st.builds(syntax.AngleAction, children, kids.map(syntax.Tuple)),
        st.builds(syntax.Fairness, st.sampled_from(["WF", "SF"]), names.map(syntax.Name), children),
        st.builds(
            syntax.Label, st.sampled_from(["l1", "lbl"]), children, st.lists(names, max_size=2).map(tuple)
        ),
    )


expressions = st.recursive(leaves, _extend, max_leaves=12)

# Hypothesis warns that the repr of this recursive strategy is large; it is only a repr.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Generating overly large repr")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_printed_expression_parses_back_to_the_same_tree(e: syntax.Expr) -> None:
    text = print_expr(e)
    assert parse_expr(text) == e, text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.integers(min_value=0, max_value=30))
def test_layout_at_any_column_parses_back(e: syntax.Expr, col: int) -> None:
    # Printed as the body of a definition whose name pushes it to column ``col``.
    name = "D" + "x" * col
    text = f"---- MODULE R ----\n{name} == {print_expr(e, len(name) + 4)}\n====\n"
    body = parse_module(text).units[0]
    assert isinstance(body, syntax.OpDef) and body.body == e, text

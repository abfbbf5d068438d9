"""syntax.walk() and syntax.children(): every node of a tree, each once, parents first."""

from __future__ import annotations

from checker.tla import syntax
from checker.tla.parser import parse_expr, parse_module


def test_walk_visits_every_node_once_parent_first_in_field_order() -> None:
    e = parse_expr("\\A x \\in S : CASE x = 1 -> [r EXCEPT !.f = @ + y] [] OTHER -> M!Op(z)")
    nodes = list(syntax.walk(e))
    assert nodes[0] is e
    names = [n.name for n in nodes if isinstance(n, syntax.Name)]
    assert names == ["S", "x", "r", "y", "z"]
    assert any(isinstance(n, syntax.At) for n in nodes)
    assert any(isinstance(n, syntax.CaseArm) for n in nodes)
    assert any(isinstance(n, syntax.Bound) for n in nodes)
    assert len({id(n) for n in nodes}) == len(nodes)


def test_children_of_a_record_are_its_field_values_and_of_a_name_none() -> None:
    r = parse_expr("[a |-> 1, b |-> x]")
    assert [type(c).__name__ for c in syntax.children(r)] == ["Num", "Name"]
    assert list(syntax.children(syntax.Name("x"))) == []


def test_walk_goes_through_units_of_a_module() -> None:
    m = parse_module("---- MODULE M ----\nVARIABLE v\nInit == v = 0\nNext == v' = v + 1\n====\n")
    ops = [n.name for n in syntax.walk(m) if isinstance(n, syntax.OpApp)]
    assert ops == ["=", "=", "'", "+"]

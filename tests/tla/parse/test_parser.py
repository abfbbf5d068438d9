"""The parser builds the trees TLA+ means: junction columns, precedence ranges, constructors.

Expected trees are written by hand from the TLA+ rules (Lamport, Specifying Systems,
ch. 15 and Table 6); where SANY (TLC 2.20's parser) was the judge it is said.
"""

from __future__ import annotations

import threading
from pathlib import Path

from checker.errors import Span, SpecErrors
from checker.tla import syntax
from checker.tla.parser import parse_expr, parse_module

x, y, z = syntax.Name("x"), syntax.Name("y"), syntax.Name("z")
a, b, c = syntax.Name("a"), syntax.Name("b"), syntax.Name("c")


def op(name: str, *args: syntax.Expr) -> syntax.OpApp:
    return syntax.OpApp(name, args)


def n(v: int) -> syntax.Num:
    return syntax.Num(v)


def test_bullets_in_one_column_form_a_list_and_a_token_left_of_it_ends_the_list() -> None:
    e = parse_expr("/\\ a\n/\\ b\n= c")
    # ``= c`` is in the bullet column: the list ends, the list is the left operand.
    assert e == op("=", syntax.Junction("/\\", (a, b)), c)


def test_bullet_right_of_the_column_is_an_infix_operator_inside_the_item() -> None:
    assert parse_expr("/\\ a\n   /\\ b") == syntax.Junction("/\\", (op("/\\", a, b),))


def test_nested_lists_by_column() -> None:
    text = "\\/ /\\ a\n   /\\ b\n\\/ c"
    assert parse_expr(text) == syntax.Junction("\\/", (syntax.Junction("/\\", (a, b)), c))


def test_list_inside_parentheses_ends_at_the_closing_parenthesis() -> None:
    assert parse_expr("(/\\ a\n /\\ b) \\/ c") == op("\\/", syntax.Junction("/\\", (a, b)), c)


def test_list_in_if_condition_ends_at_then() -> None:
    e = parse_expr("IF /\\ a\n   /\\ b THEN x ELSE y")
    assert e == syntax.If(syntax.Junction("/\\", (a, b)), x, y)


def test_quantifier_body_extends_over_the_rest_of_the_item_only() -> None:
    e = parse_expr("/\\ \\E i \\in S : i = a\n/\\ b")
    q = syntax.Quant("\\E", (syntax.Bound(("i",), syntax.Name("S")),), op("=", syntax.Name("i"), a))
    assert e == syntax.Junction("/\\", (q, b))


def test_comment_between_bullets_does_not_end_the_list() -> None:
    assert parse_expr("/\\ a (* c *)\n\\* more\n/\\ b") == syntax.Junction("/\\", (a, b))


def test_precedence_ranges_nest_tighter_operators_inside() -> None:
    assert parse_expr("a + b * c") == op("+", a, op("*", b, c))
    assert parse_expr("a - b - c") == op("-", op("-", a, b), c)  # left associative
    assert parse_expr("a /\\ b => c") == op("=>", op("/\\", a, b), c)
    assert parse_expr("x \\in a \\cup b") == op("\\in", x, op("\\cup", a, b))
    assert parse_expr("~a = b") == op("~", op("=", a, b))  # ~ is 4-4, = is 5-5
    assert parse_expr("-a ^ b") == op("-.", op("^", a, b))  # - is 12, ^ is 14


def test_prefix_operator_applies_first_when_its_lowest_precedence_reaches_the_infix_one() -> None:
    # SANY reads SUBSET {1} \ {{}} as (SUBSET {1}) \ {{}}: TLC 2.20 prints {{1}}.
    assert parse_expr("SUBSET a \\ b") == op("\\", op("SUBSET", a), b)
    assert parse_expr("UNION a \\cup b") == op("\\cup", op("UNION", a), b)
    assert parse_expr("DOMAIN a .. b") == op("..", op("DOMAIN", a), b)


def test_cartesian_product_is_n_ary_and_parentheses_make_it_binary() -> None:
    assert parse_expr("a \\X b \\X c") == op("\\X", a, b, c)
    assert parse_expr("(a \\X b) \\X c") == op("\\X", op("\\X", a, b), c)
    assert parse_expr("a \\times b") == op("\\X", a, b)


def test_synonyms_have_one_canonical_name() -> None:
    assert parse_expr("a \\land b") == op("/\\", a, b)
    assert parse_expr("a \\lor b") == op("\\/", a, b)
    assert parse_expr("\\neg a") == op("~", a) == parse_expr("\\lnot a")
    assert parse_expr("a # b") == op("/=", a, b)
    assert parse_expr("a =< b") == op("<=", a, b) == parse_expr("a \\leq b")
    assert parse_expr("a \\union b") == op("\\cup", a, b)
    assert parse_expr("a \\intersect b") == op("\\cap", a, b)
    assert parse_expr("a \\circ b") == op("\\o", a, b)
    assert parse_expr("a \\geq b") == op(">=", a, b)


def test_numbers_in_every_base() -> None:
    assert parse_expr("<<\\b1010, \\o17, \\hFF, 42>>") == syntax.Tuple((n(10), n(15), n(255), n(42)))


def test_string_escapes_are_decoded() -> None:
    assert parse_expr('"a\\"b\\\\c\\n"') == syntax.Str('a"b\\c\n')


def test_set_constructors() -> None:
    S = syntax.Name("S")
    assert parse_expr("{x \\in S : x > 1}") == syntax.SetFilter(syntax.Bound(("x",), S), op(">", x, n(1)))
    assert parse_expr("{x + y : x, y \\in S}") == syntax.SetMap(op("+", x, y), (syntax.Bound(("x", "y"), S),))
    assert parse_expr("{<<x, y>> \\in S : x}") == syntax.SetFilter(syntax.Bound(("x", "y"), S, True), x)
    assert parse_expr("{x \\in S}") == syntax.SetEnum((op("\\in", x, S),))
    # In parentheses the left side is an expression: a map, not a filter.
    assert parse_expr("{(x \\in S) : y \\in S}") == syntax.SetMap(
        op("\\in", x, S), (syntax.Bound(("y",), S),)
    )


def test_bracket_forms() -> None:
    S = syntax.Name("S")
    assert parse_expr("[a |-> 1, b |-> 2]") == syntax.Record((("a", n(1)), ("b", n(2))))
    assert parse_expr("[a : S]") == syntax.RecordSet((("a", S),))
    assert parse_expr("[x \\in S, y \\in S |-> x]") == syntax.FnCons(
        (syntax.Bound(("x",), S), syntax.Bound(("y",), S)), x
    )
    assert parse_expr("[S -> S]") == syntax.FnSet(S, S)
    assert parse_expr("[a]_x") == syntax.BoxAction(a, x)
    assert parse_expr("<<a>>_<<x, y>>") == syntax.AngleAction(a, syntax.Tuple((x, y)))


def test_except_paths_and_at() -> None:
    e = parse_expr("[f EXCEPT ![1][2] = @ + 1, !.a = 3, ![1, 2] = 0]")
    assert e == syntax.Except(
        syntax.Name("f"),
        (
            syntax.ExceptUpdate(
                (syntax.ExceptIndex((n(1),)), syntax.ExceptIndex((n(2),))), op("+", syntax.At(), n(1))
            ),
            syntax.ExceptUpdate((syntax.ExceptField("a"),), n(3)),
            syntax.ExceptUpdate((syntax.ExceptIndex((n(1), n(2))),), n(0)),
        ),
    )


def test_application_field_and_prime_are_left_to_right() -> None:
    assert parse_expr("f[x, y]") == syntax.FnApp(syntax.Name("f"), (x, y))
    assert parse_expr("r.a'") == op("'", syntax.Field(syntax.Name("r"), "a"))
    assert parse_expr("f'[x]") == syntax.FnApp(op("'", syntax.Name("f")), (x,))


def test_case_other_and_let() -> None:
    e = parse_expr("CASE a -> 1 [] b -> 2 [] OTHER -> 3")
    assert e == syntax.Case((syntax.CaseArm(a, n(1)), syntax.CaseArm(b, n(2))), n(3))
    e = parse_expr("LET RECURSIVE f(_)\n    f(k) == f(k)\nIN f(1)")
    rec = syntax.Recursive((syntax.Decl("f", 1),))
    fdef = syntax.OpDef("f", (syntax.Decl("k"),), op("f", syntax.Name("k")))
    assert e == syntax.Let((rec, fdef), op("f", n(1)))


def test_temporal_forms() -> None:
    assert parse_expr("WF_x(a)") == syntax.Fairness("WF", x, a)
    assert parse_expr("SF_<<x, y>>(a)") == syntax.Fairness("SF", syntax.Tuple((x, y)), a)
    assert parse_expr("[]<>a") == op("[]", op("<>", a))
    assert parse_expr("a ~> b") == op("~>", a, b)
    assert parse_expr("a -+-> b") == op("-+->", a, b)
    assert parse_expr("\\EE t : t") == syntax.QuantUnbounded("\\EE", ("t",), syntax.Name("t"))


def test_qualified_names_and_lambda() -> None:
    assert parse_expr("M!Op(1)") == syntax.Qualified((syntax.InstanceStep("M"),), "Op", (n(1),))
    assert parse_expr("N(x)!M!Op") == syntax.Qualified(
        (syntax.InstanceStep("N", (x,)), syntax.InstanceStep("M")), "Op"
    )
    assert parse_expr("F(LAMBDA p : p)") == op("F", syntax.Lambda(("p",), syntax.Name("p")))
    assert parse_expr("\\A y \\in S : l(y):: y") == syntax.Quant(
        "\\A", (syntax.Bound(("y",), syntax.Name("S")),), syntax.Label("l", syntax.Name("y"), ("y",))
    )


def test_module_units_and_spans() -> None:
    text = (
        "junk\n---- MODULE M ----\nEXTENDS Naturals\nCONSTANT F(_, _)\nVARIABLE v\nInit == v = 0\n====\nmore"
    )
    m = parse_module(text, "M.tla")
    assert m.name == "M" and m.extends == ("Naturals",)
    assert m.units[0] == syntax.Constants((syntax.Decl("F", 2),))
    init = m.units[2]
    assert isinstance(init, syntax.OpDef)
    assert init.span == Span("M.tla", 6, 1, 6, 14)
    assert init.body.span == Span("M.tla", 6, 9, 6, 14)


def test_spans_are_left_out_of_equality() -> None:
    assert syntax.Name("x", span=Span("f", 1, 1, 1, 2)) == syntax.Name("x")
    assert hash(syntax.Name("x", span=Span("f", 1, 1, 1, 2))) == hash(syntax.Name("x"))


def test_a_tab_advances_to_the_next_multiple_of_eight_as_in_sany() -> None:
    # TLC 2.20 evaluates A to FALSE and B to TRUE: after a tab the bullet is in column 9,
    # which ends A's list (column 9) but is inside B's last item (column 8).
    text = "---- MODULE T ----\nA ==    \\/ TRUE\n        \\/ FALSE\n\t/\\ FALSE\n"
    text += "B ==   \\/ TRUE\n       \\/ FALSE\n\t/\\ FALSE\n====\n"
    a, b = parse_module(text).units
    t, f = syntax.Bool(True), syntax.Bool(False)
    assert isinstance(a, syntax.OpDef) and a.body == op("/\\", syntax.Junction("\\/", (t, f)), f)
    assert isinstance(b, syntax.OpDef) and b.body == syntax.Junction("\\/", (t, op("/\\", f, f)))


def test_unicode_spellings_read_as_their_ascii_twins() -> None:
    # SANY (TLC 2.20) accepts these; each is the same tree as the ASCII text.
    uni = "---- MODULE U ----\nA ≜ ∧ ∀ x ∈ S : x ≠ ⟨1⟩\n    ∧ [i ∈ 1‥2 ↦ i] ⊆ S × S\n    ∧ □◇(¬a ⇒ b ≡ c)\n====\n"
    asc = "---- MODULE U ----\nA == /\\ \\A x \\in S : x /= <<1>>\n     /\\ [i \\in 1..2 |-> i] \\subseteq S \\X S\n"
    asc += "     /\\ []<>(~a => b <=> c)\n====\n"
    assert parse_module(uni) == parse_module(asc)


# ---------------------------------------------------------------------------------------------
# The driver: lark through its public API, one builder shared by every parse


def test_the_parser_uses_only_lark_public_api() -> None:
    # Issue 15: the LALR loop is lark's InteractiveParser, not a copy of it over lark's private table.
    import checker.tla.parser as parser_module

    source = Path(parser_module.__file__).read_text(encoding="utf-8")
    for private in ("_parse_table", "_parse_tree_builder", "lalr_analysis", "parser.parser"):
        assert private not in source


def test_each_parse_reports_its_own_file_and_errors_only() -> None:
    bad = "---- MODULE A ----\nX == (1\n====\n"
    good = "---- MODULE B ----\nY == 1\n====\n"
    try:
        parse_module(bad, "A.tla")
    except SpecErrors as e:
        assert [(x.code, x.span.file if x.span else None) for x in e.errors] == [("E112", "A.tla")]
    else:
        raise AssertionError("A.tla parsed")
    module = parse_module(good, "B.tla")
    assert module.span is not None and module.span.file == "B.tla"
    unit = module.units[0]
    assert isinstance(unit, syntax.OpDef) and unit.body.span == Span("B.tla", 2, 6, 2, 7)


def test_parses_in_several_threads_keep_their_own_file() -> None:
    # The tree builder lark calls back into is shared: a lock keeps one parse at a time.
    body = "\n".join(f"D{i} == /\\ x = {i}\n      /\\ y \\in {{1, 2}}" for i in range(200))
    names: dict[str, set[str]] = {}

    def run(name: str) -> None:
        module = parse_module(f"---- MODULE {name} ----\n{body}\n====\n", f"{name}.tla")
        names[name] = {u.span.file for u in module.units if u.span is not None}

    threads = [threading.Thread(target=run, args=(f"M{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert names == {f"M{k}": {f"M{k}.tla"} for k in range(4)}

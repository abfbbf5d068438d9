"""Every parse error code: the code, the span (line, column, end) and the hint users see.

Spans are 1-based, end exclusive; the texts are small modules in ``M.tla``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.errors import SpecError, SpecErrors
from checker.tla.parser import parse_file, parse_module


def errors_of(body: str, header: bool = True, footer: bool = True) -> list[SpecError]:
    text = ("---- MODULE M ----\n" if header else "") + body + ("====\n" if footer else "")
    with pytest.raises(SpecErrors) as info:
        parse_module(text, "M.tla")
    return info.value.errors


def where(e: SpecError) -> tuple[str, int, int, int, int]:
    assert e.span is not None
    return (e.code, e.span.line, e.span.col, e.span.end_line, e.span.end_col)


def test_e100_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SpecErrors) as info:
        parse_file(tmp_path / "Missing.tla")
    assert info.value.errors[0].code == "E100"
    assert "Missing.tla" in info.value.errors[0].message


def test_e101_no_module_header() -> None:
    [e] = errors_of("A == 1\n", header=False)
    assert where(e) == ("E101", 1, 1, 1, 2)


def test_e102_unterminated_comment() -> None:
    [e] = errors_of("A == (* (* nested *) still open\n", footer=False)
    assert where(e) == ("E102", 2, 6, 2, 8)


def test_e103_unknown_backslash_operator_with_hint() -> None:
    [e] = errors_of("A == {1} \\unoin {2}\n")
    assert where(e) == ("E103", 2, 10, 2, 16)
    assert e.hint == "did you mean '\\union'?"


def test_e104_unexpected_character() -> None:
    [e] = errors_of("A == 1 ; 2\n")
    assert where(e) == ("E104", 2, 8, 2, 9)


def test_e105_unknown_string_escape() -> None:
    [e] = errors_of('A == "a\\qb"\n')
    assert where(e) == ("E105", 2, 8, 2, 10)


def test_e106_unterminated_string() -> None:
    [e] = errors_of('A == "abc\nB == 1\n')
    assert where(e) == ("E106", 2, 6, 2, 10)


def test_e110_syntax_error_names_the_token() -> None:
    [e] = errors_of("A == 1 + * 2\n")
    assert where(e) == ("E110", 2, 10, 2, 11)
    assert e.message == "syntax error: unexpected '*'"


def test_e111_missing_end_of_module() -> None:
    [e] = errors_of("A == 1\n", footer=False)
    assert where(e) == ("E111", 2, 7, 2, 8)
    assert e.hint is not None and "====" in e.hint


def test_e112_unclosed_bracket_at_next_definition() -> None:
    [e] = errors_of("A == (1 + 2\nB == 3\n")
    assert where(e) == ("E112", 3, 1, 3, 2)
    assert e.hint == "'(' opened at 2:6 is not closed"


def test_e112_closing_bracket_without_opener() -> None:
    [e] = errors_of("A == 1 + 2)\n")
    assert where(e) == ("E112", 2, 11, 2, 12)


def test_e112_mismatched_bracket() -> None:
    [e] = errors_of("A == {1, 2]\n")
    assert where(e) == ("E112", 2, 11, 2, 12)
    assert e.hint == "'{' opened at 2:6 is still open"


def test_e113_equals_for_definition() -> None:
    [e] = errors_of("Init = x = 0\n")
    assert where(e) == ("E113", 2, 6, 2, 7)
    assert e.hint is not None and "==" in e.hint


def test_e114_misaligned_bullet() -> None:
    [e] = errors_of("A == /\\ x \\in\n    /\\ y\n")
    assert where(e) == ("E114", 3, 5, 3, 7)
    assert e.hint == "align the bullet with column 6, or finish the item above"


def test_e120_overlapping_precedence_as_sany() -> None:
    # SANY (TLC 2.20): "Precedence conflict between ops \land ... and \lor".
    [e] = errors_of("A == TRUE /\\ FALSE \\/ TRUE\n")
    assert where(e) == ("E120", 2, 20, 2, 22)
    [e] = errors_of("A == 1 = 1 = TRUE\n")  # = is not associative
    assert where(e) == ("E120", 2, 12, 2, 13)
    [e] = errors_of("A == 2 ^ 3 ^ 2\n")
    assert where(e) == ("E120", 2, 12, 2, 13)
    [e] = errors_of("A == 7 \\div 2 + 7 % 2\n")  # + is 10-10, % is 10-11
    assert where(e) == ("E120", 2, 19, 2, 20)


def test_e120_prefix_operator_overlapping_an_infix_one_as_sany() -> None:
    # SANY (TLC 2.20) rejects these: [] is 4-15 against = at 5, - is 12 against \cdot at 5-14.
    [e] = errors_of("A == []TRUE = TRUE\n")
    assert where(e) == ("E120", 2, 13, 2, 14)
    [e] = errors_of("A == -1 \\cdot 2\n")
    assert where(e) == ("E120", 2, 9, 2, 14)
    [e] = errors_of("A == UNCHANGED x = y\n")
    assert where(e) == ("E120", 2, 18, 2, 19)


def test_e121_unreadable_bracket() -> None:
    [e] = errors_of("A == [x, y]\n")
    assert where(e) == ("E121", 2, 6, 2, 12)


def test_e122_constructor_without_bound() -> None:
    [e] = errors_of("A == {x + 1 : 2}\n")
    assert where(e) == ("E122", 2, 15, 2, 16)


def test_several_errors_are_collected_before_stopping() -> None:
    errs = errors_of("A == 1 +\nB == 2\nC = 3\nD == (4\nE == 5\n")
    # ``B`` can continue ``1 +``, so the first error is at ``==``.
    assert [where(e)[:3] for e in errs] == [("E110", 3, 3), ("E113", 4, 3), ("E112", 6, 1)]


def test_rendered_error_has_location_source_line_carets_and_hint() -> None:
    [e] = errors_of("Init = x = 0\n")
    text = "---- MODULE M ----\nInit = x = 0\n====\n"
    assert e.render(text) == (
        "M.tla:2:6: error[E113]: '=' where a definition needs '=='\n"
        "  Init = x = 0\n"
        "       ^\n"
        "hint: a definition is written 'Name == expression'; '=' is equality"
    )


def test_binary_junk_never_raises_anything_but_spec_errors() -> None:
    text = "---- MODULE M ----\n" + "".join(chr(c) for c in range(1, 300)) + "\n====\n"
    with pytest.raises(SpecErrors):
        parse_module(text, "M.tla")


CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.tla"))
DAMAGE = [
    "(",
    ")",
    "[",
    "]",
    "/\\",
    "\\/",
    "==",
    "=",
    ",",
    ":",
    "IF",
    "<<",
    ">>",
    "\t",
    "\n",
    '"',
    "(*",
    "\\E",
    "x",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CORPUS), st.integers(min_value=0), st.sampled_from(DAMAGE), st.booleans())
def test_damaged_modules_give_spec_errors_never_a_traceback(
    path: Path, at: int, damage: str, cut: bool
) -> None:
    text = path.read_text(encoding="utf-8")
    i = at % (len(text) + 1)
    text = text[:i] if cut else text[:i] + damage + text[i:]
    try:
        parse_module(text, "M.tla")
    except SpecErrors as e:
        assert e.errors and all(err.code.startswith("E1") for err in e.errors)


def test_e123_label_must_be_a_name() -> None:
    [e] = errors_of("A == M!x :: 1\n")
    assert where(e) == ("E123", 2, 6, 2, 9)

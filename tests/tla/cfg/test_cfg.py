"""TLC's .cfg files: every keyword of shared/DESIGN.md §4, values, substitutions, errors (exit 151)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import SpecError, SpecErrors
from checker.tla.cfg import Cfg, CfgConstant, parse_cfg, parse_cfg_file
from checker.values import ModelValue

FULL = r"""\* A cfg with every keyword we support.
(* a block comment (* nested *) *)
CONSTANTS
    N = 3
    Name = "srv"
    Flag = TRUE
    Procs = {p1, p2, p3}
    Nil = Nil
    Empty = {}
    Limit <- MCLimit
    Hash <- [Crypto] FastHash
    Seed = [Rand] 7
CONSTANT Big = 12345678901234567890
SPECIFICATION Spec
INIT Init
NEXT Next
INVARIANT TypeOK
INVARIANTS Safety Agreement
PROPERTY Live
PROPERTIES Eventually
CONSTRAINT Bound
CONSTRAINTS Small
ACTION_CONSTRAINT NoLoop
ACTION_CONSTRAINTS Fair
SYMMETRY Perms
VIEW View
ALIAS Pretty
CHECK_DEADLOCK FALSE
"""


def test_every_keyword_and_value_form() -> None:
    cfg = parse_cfg(FULL, "MC.cfg")
    p1, p2, p3 = ModelValue("p1"), ModelValue("p2"), ModelValue("p3")
    assert cfg == Cfg(
        file="MC.cfg",
        constants=(
            CfgConstant("N", 3),
            CfgConstant("Name", "srv"),
            CfgConstant("Flag", True),
            CfgConstant("Procs", frozenset({p1, p2, p3})),
            CfgConstant("Nil", ModelValue("Nil")),
            CfgConstant("Empty", frozenset()),
            CfgConstant("Limit", target="MCLimit"),
            CfgConstant("Hash", target="FastHash", module="Crypto"),
            CfgConstant("Seed", 7, module="Rand"),
            CfgConstant("Big", 12_345_678_901_234_567_890),
        ),
        specification="Spec",
        init="Init",
        next="Next",
        invariants=("TypeOK", "Safety", "Agreement"),
        properties=("Live", "Eventually"),
        constraints=("Bound", "Small"),
        action_constraints=("NoLoop", "Fair"),
        symmetry="Perms",
        view="View",
        alias="Pretty",
        check_deadlock=False,
    )


def test_spans_point_into_the_cfg() -> None:
    cfg = parse_cfg(FULL, "MC.cfg")
    assert cfg.constants[0].span is not None
    assert (cfg.constants[0].span.line, cfg.constants[0].span.col) == (4, 5)
    span = cfg.span_of("Agreement")
    assert span is not None and (span.line, span.col, span.end_col) == (18, 19, 28)


def test_defaults_and_reading_a_file(tmp_path: Path) -> None:
    p = tmp_path / "X.cfg"
    p.write_text("INIT Init NEXT Next\n", encoding="utf-8")
    cfg = parse_cfg_file(p)
    assert cfg == Cfg(file=str(p), init="Init", next="Next")
    assert cfg.check_deadlock is True


def test_an_empty_list_is_accepted_as_tlc_does() -> None:
    assert parse_cfg("PROPERTIES\nINIT I\n").init == "I"


def errors(text: str) -> list[SpecError]:
    with pytest.raises(SpecErrors) as info:
        parse_cfg(text, "MC.cfg")
    assert info.value.exit_code == 151
    assert all(e.exit_code == 151 for e in info.value.errors)
    return info.value.errors


def where(e: SpecError) -> tuple[str, int, int, int, int]:
    assert e.span is not None
    return (e.code, e.span.line, e.span.col, e.span.end_line, e.span.end_col)


def test_e300_unreadable_cfg(tmp_path: Path) -> None:
    with pytest.raises(SpecErrors) as info:
        parse_cfg_file(tmp_path / "none.cfg")
    assert info.value.errors[0].code == "E300" and info.value.exit_code == 151


def test_e301_bad_character_and_unterminated_comment() -> None:
    [e] = errors("INIT Init ;\n")
    assert where(e) == ("E301", 1, 11, 1, 12)
    [e] = errors("INIT Init\n(* open\n")
    assert where(e) == ("E301", 2, 1, 2, 3)


def test_e302_unknown_keyword_with_hint() -> None:
    [e] = errors("INIT Init\nINVARIENT TypeOK\n")
    assert where(e) == ("E302", 2, 1, 2, 10)
    assert e.hint == "did you mean 'INVARIANT'?"


def test_a_postcondition_is_read() -> None:
    assert parse_cfg("INIT I\nNEXT N\nPOSTCONDITION Done\n").postcondition == "Done"


def test_e303_keyword_we_do_not_support_is_named() -> None:
    [e] = errors("TYPE_CONSTRAINT Done\n")
    assert where(e) == ("E303", 1, 1, 1, 16)
    assert "TYPE_CONSTRAINT" in e.message


def test_e304_check_deadlock_takes_a_boolean() -> None:
    [e] = errors("CHECK_DEADLOCK maybe\n")
    assert where(e) == ("E304", 1, 16, 1, 21)


def test_e305_missing_or_extra_name() -> None:
    [e] = errors("INIT\nNEXT Next\n")
    assert where(e) == ("E305", 2, 1, 2, 5)
    [e] = errors("INIT Init Other\n")
    assert where(e) == ("E305", 1, 11, 1, 16)


def test_e306_single_keyword_given_twice() -> None:
    [e] = errors("INIT A\nINIT B\n")
    assert where(e) == ("E306", 2, 6, 2, 7)


def test_e307_constant_without_value() -> None:
    [e] = errors("CONSTANT N 3\n")
    assert where(e) == ("E307", 1, 12, 1, 13)
    assert e.hint == "for example 'N = 3', 'N = {a, b}' or 'N <- Def'"


def test_e308_bad_value() -> None:
    [e] = errors("CONSTANT N = {a, b\nINIT I\n")
    assert where(e) == ("E308", 2, 1, 2, 5)


def test_e308_a_negative_number_as_tlc_rejects_it() -> None:
    # TLC 2.20 on `NULL = -1` (tlaplus/Examples' APDisruptor_*.cfg) and on `S = {-1, 2}`:
    # "tlc2.tool.ConfigFileException: TLC found an error in the configuration file", exit 255.
    [e] = errors("CONSTANT NULL = -1\nINIT Init\n")
    assert where(e) == ("E308", 1, 17, 1, 19)
    assert e.hint == "define it in the spec (Minus1 == -1) and write '<- Minus1'"
    [e] = errors("CONSTANT S = {-1, 2}\n")
    assert where(e) == ("E308", 1, 15, 1, 17)


def test_several_cfg_errors_are_collected() -> None:
    errs = errors("INVARIENT A\nCHECK_DEADLOCK 3\nTYPE_CONSTRAINT P\n")
    assert [e.code for e in errs] == ["E302", "E304", "E303"]


def test_an_all_caps_constant_in_column_one_is_still_a_constant() -> None:
    cfg = parse_cfg("CONSTANTS\nMAXVAL = 3\nPROCS = {p}\nINVARIANT\nTYPEOK\n")
    assert cfg.constants == (CfgConstant("MAXVAL", 3), CfgConstant("PROCS", frozenset({ModelValue("p")})))
    assert cfg.invariants == ("TYPEOK",)

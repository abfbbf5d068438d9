"""Operators kept across states by the part of a variable they read (code.Projection,
code.projected_reads): which part each operator of corpus/Projected reads, and the part of
a value, or the value itself where the part is not defined (TLC's counts for that spec are
pinned in corpus_expected, given up and cleared in test_fuse)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.tla.compile import compiler as tla_compile
from checker.tla.compile.code import Projection
from checker.tla.loader import load_spec_model
from checker.values import Fn, ModelValue, record

CORPUS = Path(__file__).resolve().parent / "corpus"


def test_each_operator_reads_the_part_of_msgs_it_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    real = tla_compile.Compiler.memoised

    def spy(self: Any, op: Any, *args: Any) -> Any:
        code = real(self, op, *args)
        if code is not None and code.gen is not None and code.gen[0] == "lasting":
            projs = code.gen[-1]  # the operator kept across states, with the parts it reads
            seen[op.name] = None if projs is None else [None if p is None else p.pairs for p in projs]
        return code

    monkeypatch.setattr(tla_compile.Compiler, "memoised", spy)
    load_spec_model(CORPUS / "Projected.tla", CORPUS / "Projected.cfg", [])
    a, b = ("type", "a"), ("type", "b")
    assert seen["HasA"] == [(a,)]
    assert seen["Bs"] == [(b,)]
    assert seen["Both"] == [(a, b)]  # through HasA, and its own filter ("b" = m.type)
    assert seen["Late"] is None  # its field test is not the first conjunct: msgs read whole


def msg(kind: Any, v: int) -> Fn:
    return record(type=kind, v=v)


def test_the_part_is_interned_and_the_whole_where_it_is_not_defined() -> None:
    p = Projection(frozenset({("type", "a"), ("type", "b")}))
    a1, b2 = msg("a", 1), msg("b", 2)  # (a message recurs as one object: record_builder)
    s1 = frozenset({a1, b2, msg("c", 3)})
    s2 = frozenset({a1, b2, msg("c", 4)})  # other c messages: the same part
    part = p(s1)
    assert part == (frozenset({a1}), frozenset({b2}))
    assert p(s2) is part and p(s2) is part
    assert p(frozenset({msg("a", 2), b2})) is not part
    assert p(frozenset({msg("a", 1), b2})) == part  # an equal record built again: equal, kept apart
    assert p(frozenset()) == (frozenset(), frozenset())
    # Parts of records that Python finds equal but TLC tells apart (1 and TRUE) stay two.
    one, true = p(frozenset({msg("a", 1)})), p(frozenset({record(type="a", v=True)}))
    assert one is not true and one[0] != frozenset() and true[0] != frozenset()
    for whole in (
        frozenset({msg("a", 1), record(v=1)}),  # a record without the field
        frozenset({msg("a", 1), (1, 2)}),  # not a record
        frozenset({msg(1, 1), msg(2, 1)}),  # the field of another kind than the literal's
        frozenset({msg("a", 1), msg(ModelValue("a"), 1)}),  # of two kinds
        (msg("a", 1),),  # not a set
    ):
        assert p(whole) is whole

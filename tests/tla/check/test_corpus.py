"""Every spec of corpus/ checked by tlacheck gives TLC's verdict, counts, depth and trace length.

The expected figures come from TLC 2.20 runs (corpus_expected.py says how).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from checker.engine import CheckOptions, check
from checker.errors import ModelError, SpecError
from checker.tla.loader import load_spec_model

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"


def _expected() -> dict[str, object]:
    spec = importlib.util.spec_from_file_location("corpus_expected", HERE / "corpus_expected.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.modules["corpus_expected"] = module
    spec.loader.exec_module(module)
    return dict(module.CORPUS)


EXPECTED = _expected()


def test_the_corpus_has_at_least_30_specs_each_with_a_cfg_and_an_expectation() -> None:
    specs = sorted(p.stem for p in CORPUS.glob("*.tla") if p.with_suffix(".cfg").exists())
    assert len(specs) >= 30
    assert specs == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_spec_matches_tlc(name: str) -> None:
    _matches_tlc(name)


# The specs whose cfg names invariants (or an invariant-like property), checked again with
# every part of every invariant inline from the first state (skipped by identity, no memo),
# asked by its methods (its memo on trial), with its memo kept and looked up inline, or with
# no part checked pointwise, in checker.tla.model's _AllHold: TLC's figures still.
_WITH_INVARIANTS = sorted(
    name
    for name in EXPECTED
    if (CORPUS / f"{name}.cfg").exists()
    and any(word in (CORPUS / f"{name}.cfg").read_text() for word in ("INVARIANT", "PROPERT"))
)


@pytest.mark.parametrize("way", ["inline", "methods", "memo", "whole"])
@pytest.mark.parametrize("name", _WITH_INVARIANTS)
def test_corpus_spec_matches_tlc_with_invariants_at_once(name: str, way: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.tla import model

    if way == "methods":
        monkeypatch.setattr(model._Conjunct, "TRIAL", 10**9)  # every memo on trial
    elif way == "whole":  # no conjunct checked pointwise (compile.pointwise): each evaluated whole
        monkeypatch.setattr(model, "pointwise", lambda *args: None)
    elif way == "memo":  # every memo kept after one evaluation, looked up inline from the next level
        monkeypatch.setattr(model._Conjunct, "TRIAL", 1)
        monkeypatch.setattr(model._Conjunct, "keeps_memo", staticmethod(lambda *args: True))
    else:
        made = model._Conjunct.__init__

        def no_memo(self: model._Conjunct, *args: Any, **kwargs: Any) -> None:
            made(self, *args, **kwargs)
            self.footprint = None

        monkeypatch.setattr(model._Conjunct, "__init__", no_memo)
    _matches_tlc(name)


def _matches_tlc(name: str) -> None:
    # IntArith walks x through -1 and -2, which CPython hashes alike: TLA+ specs are checked
    # with exact states (checker/engine/bfs.py), so its count is TLC's 7, not 2.
    exp = EXPECTED[name]
    tla = CORPUS / f"{name}.tla"
    if exp.violation == "Assumption":  # type: ignore[attr-defined]
        with pytest.raises(ModelError) as info:
            load_spec_model(tla, None, [])
        assert info.value.exit_code == 10
        return
    if exp.violation == "Error":  # type: ignore[attr-defined]
        # An error that stops TLC (an evaluation failure): its exit code, and the behaviour
        # up to the failure where TLC prints one.
        with pytest.raises((ModelError, SpecError)) as failed:
            check(load_spec_model(tla, None, []), CheckOptions())
        assert failed.value.exit_code == exp.exit_code  # type: ignore[attr-defined]
        if exp.trace_length is not None:  # type: ignore[attr-defined]
            trace = getattr(failed.value, "trace", None)
            assert trace is not None and len(trace) == exp.trace_length  # type: ignore[attr-defined, arg-type]
        return
    model = load_spec_model(tla, None, [], skip_liveness=bool(exp.warns))  # type: ignore[attr-defined]
    for warned in exp.warns:  # type: ignore[attr-defined]
        assert any(warned in w and "not checked" in w for w in model.warnings), model.warnings
    if not exp.warns:  # type: ignore[attr-defined]
        assert model.warnings == []
    result = check(model, CheckOptions())
    assert result.exit_code == exp.exit_code  # type: ignore[attr-defined]
    if exp.violation is None:  # type: ignore[attr-defined]
        assert result.violations == []
        stats = result.stats
        assert (stats.generated, stats.distinct, stats.depth) == (
            exp.generated,  # type: ignore[attr-defined]
            exp.distinct,  # type: ignore[attr-defined]
            exp.depth,  # type: ignore[attr-defined]
        )
        return
    violation = result.violations[0]
    if str(exp.violation).startswith("Initial "):  # type: ignore[attr-defined]
        name = str(exp.violation).removeprefix("Initial ")  # type: ignore[attr-defined]
        assert violation.headline() == f"Error: Property {name} is violated by the initial state:"
    elif exp.violation == "Temporal":  # type: ignore[attr-defined]
        assert violation.headline() == "Error: Temporal properties were violated."
        trace = violation.trace
        assert trace.loop is not None
        # TLC's "Back to state k" is 1-based; "Stuttering" repeats the last state.
        loop = 0 if trace.loop_label is None else trace.loop + 1
        if exp.lassos_any is not None:  # type: ignore[attr-defined]
            assert (len(trace), loop) in exp.lassos_any  # type: ignore[attr-defined]
        if exp.loop is not None:  # type: ignore[attr-defined]
            assert loop == exp.loop  # type: ignore[attr-defined]
    else:
        assert violation.headline() == f"Error: {exp.violation} is violated." or (  # type: ignore[attr-defined]
            exp.violation == "Deadlock" and violation.kind == "deadlock"  # type: ignore[attr-defined]
        )
    if exp.trace_length is not None:  # type: ignore[attr-defined]
        assert len(violation.trace) == exp.trace_length  # type: ignore[attr-defined]
    if exp.labels is not None:  # type: ignore[attr-defined]
        assert [str(x) for x in violation.trace.labels[1:]] == list(exp.labels)  # type: ignore[attr-defined]
    if exp.labels_any is not None:  # type: ignore[attr-defined]
        labels = tuple(str(x) for x in violation.trace.labels[1:])
        assert labels in exp.labels_any  # type: ignore[attr-defined]
    if exp.generated is not None:  # type: ignore[attr-defined]
        assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (
            exp.generated,  # type: ignore[attr-defined]
            exp.distinct,  # type: ignore[attr-defined]
            exp.depth,  # type: ignore[attr-defined]
        )

"""VIEW is not symmetry: --no-symmetry must leave TLC's VIEW in force."""

from __future__ import annotations

from pathlib import Path

from checker import CheckOptions, check
from checker.tla.loader import load_spec_model

CORPUS = Path(__file__).parent / "corpus"


def test_view_holds_with_symmetry_turned_off() -> None:
    model = load_spec_model(CORPUS / "View.tla", None, [])
    assert model.has_view and not model.has_symmetry
    for options in (CheckOptions(), CheckOptions(symmetry=False)):
        stats = check(model, options).stats
        # TLC 2.20 with VIEW V: 7 generated, 3 distinct, depth 3 (corpus_expected.py)
        assert (stats.generated, stats.distinct, stats.depth) == (7, 3, 3)

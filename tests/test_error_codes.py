"""Every error code the sources use is in checker.errors.CODES, with the exit code the code
is raised with (150 for the spec, 151 for the cfg), so the registry stays the one place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from checker.errors import CODES, ConfigError, SpecError, UsageError

ROOT = Path(__file__).resolve().parent.parent / "checker"
CODE = re.compile(r"E\d{3}")


def _uses() -> list[tuple[str, str, int | None]]:
    """(where, code, explicit exit code or None) for every call whose first argument is a code."""
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            code = node.args[0].value
            if not (isinstance(code, str) and CODE.fullmatch(code)):
                continue
            explicit: int | None = None
            for k in node.keywords:
                if k.arg == "exit_code":
                    v = k.value
                    explicit = v.value if isinstance(v, ast.Constant) else None
            if isinstance(node.func, ast.Name) and node.func.id == "ConfigError":
                explicit = 151
            out.append((f"{path.relative_to(ROOT.parent)}:{node.lineno}", code, explicit))
    return out


def test_every_code_used_is_registered_with_the_exit_code_it_is_raised_with() -> None:
    problems = []
    for where, code, explicit in _uses():
        if code not in CODES:
            problems.append(f"{where}: {code} is not in checker.errors.CODES")
        elif explicit is not None and explicit != CODES[code].exit_code:
            problems.append(
                f"{where}: {code} raised with exit {explicit}, registered {CODES[code].exit_code}"
            )
    assert not problems, "\n".join(problems)


def test_a_spec_error_takes_its_exit_code_from_the_registry() -> None:
    assert SpecError("E204", "unknown name").exit_code == 150
    assert SpecError("E744", "INVARIANT Inv: no such definition").exit_code == 151
    assert ConfigError("E302", "unknown cfg keyword").exit_code == 151
    assert UsageError("bad flag").exit_code == 2
    # 75/76: cfg entries of the wrong kind, which TLC 2.20 rejects with evaluation exit codes;
    # 255: a temporal formula TLC 2.20 "cannot handle".
    assert all(c.exit_code in (150, 151) for c in CODES.values() if c.code not in ("E752", "E760", "E761"))
    assert (CODES["E752"].exit_code, CODES["E760"].exit_code, CODES["E761"].exit_code) == (255, 76, 75)

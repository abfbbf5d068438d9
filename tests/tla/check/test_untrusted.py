"""A spec is untrusted input: its text only ever becomes data, never Python code."""

from __future__ import annotations

import ast
from pathlib import Path

from checker.engine import CheckOptions, check
from checker.tla.loader import load_spec_model

CHECKER_TLA = Path(__file__).resolve().parents[3] / "checker" / "tla"


def test_the_compiler_never_evaluates_or_generates_python_source() -> None:
    for name in ("compile.py", "model.py", "loader.py", "stdlib.py"):
        tree = ast.parse((CHECKER_TLA / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile", "__import__"}, f"{name}:{node.lineno}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"system", "popen"}, f"{name}:{node.lineno}"


def test_strings_and_names_that_look_like_python_stay_tla_values(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {marker}')"
    (tmp_path / "Evil.tla").write_text(
        "---- MODULE Evil ----\n"
        "VARIABLE x\n"
        f'Init == x = "{payload}"\n'
        'Next == x\' = IF x = "\\")); import os #" THEN x ELSE "\\")); import os #"\n'
        "Inv == x \\in {x}\n"
        "====\n"
    )
    (tmp_path / "Evil.cfg").write_text("INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n")
    model = load_spec_model(tmp_path / "Evil.tla", None, [])
    result = check(model, CheckOptions())
    assert result.ok and result.stats.distinct == 2
    assert {s[0] for s in model.init_states()} == {payload}
    assert not marker.exists()

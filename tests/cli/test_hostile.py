"""Hostile and careless input (issue 16): each case ends in a coded error with its place, or in
bounded work; never an internal fault (exit 153), a traceback or a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.cli import main

INIT_NEXT = "INIT Init\nNEXT Next\n"


def write_spec(folder: Path, name: str, body: str, cfg: str = INIT_NEXT, extends: str = "Naturals") -> Path:
    spec = folder / f"{name}.tla"
    spec.write_text(
        f"---- MODULE {name} ----\nEXTENDS {extends}\nVARIABLE x\n{body}\n====\n", encoding="utf-8"
    )
    (folder / f"{name}.cfg").write_text(cfg, encoding="utf-8")
    return spec


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text and "Internal error" not in text
    return code, text


def test_integer_literal_of_5000_digits_is_e107_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, "M", "Init == x = " + "9" * 5_000 + "\nNext == x' = x")
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 150
    assert f"{spec}:4:13: error[E107]: this number has 5,000 digits" in out


def test_hex_literal_too_long_is_e107(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, "M", "Init == x = \\h" + "F" * 4_000 + "\nNext == x' = x")
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 150 and "error[E107]" in out


def test_cfg_constant_of_5000_digits_is_e309(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = "CONSTANT N = " + "9" * 5_000 + "\n" + INIT_NEXT
    spec = write_spec(tmp_path, "M", "CONSTANT N\nInit == x = N\nNext == x' = x", cfg)
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 151 and "M.cfg:1:14: error[E309]: this number has 5,000 digits" in out


def test_state_value_of_8001_digits_prints_and_keeps_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = INIT_NEXT + "INVARIANT Inv\n"
    spec = write_spec(tmp_path, "M", "Init == x = 10^4000 * 10^4000\nNext == x' = x\nInv == x < 5", cfg)
    code, out = run(capsys, "check", str(spec), "-q", "--trace-out", str(tmp_path / "t.itf.json"))
    assert code == 12
    assert "/\\ x = 1" + "0" * 8_000 + "\n" in out
    trace = json.loads((tmp_path / "t.itf.json").read_text(encoding="utf-8"))
    assert trace["states"][0]["x"] == {"#bigint": "1" + "0" * 8_000}


def test_power_that_would_fill_the_memory_is_an_overflow_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.20: "Error: Overflow when computing 2^40" (its integers have 32 bits), exit 75.
    spec = write_spec(tmp_path, "M", "Big == 2^(2^40)\nInit == x = Big\nNext == x' = x")
    start = time.monotonic()
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 75 and time.monotonic() - start < 10
    assert "M.tla:4:8: error[E750]: Overflow when computing 2^1099511627776" in out


def test_cardinality_of_a_huge_interval_is_bounded_work(tmp_path: Path) -> None:
    # TLC 2.20: 2 states generated, 1 distinct state, depth 1 (it counts the interval lazily).
    spec = write_spec(
        tmp_path, "M", "Init == x = Cardinality(1..10^9)\nNext == x' = x", extends="Naturals, FiniteSets"
    )
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "checker", "check", str(spec), "-q"],
            capture_output=True,
            text=True,
            timeout=10,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("Cardinality(1..10^9) took more than 10 s") from None
    assert proc.returncode == 0 and "2 states generated, 1 distinct states found" in proc.stdout


def test_chain_of_100_definitions_compiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20: 2 states generated, 1 distinct state, depth 1.
    chain = "\n".join(["D0 == 1", *(f"D{i} == D{i - 1} + 1" for i in range(1, 100))])
    spec = write_spec(tmp_path, "M", f"{chain}\nInit == x = D99\nNext == x' = x")
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 0 and "2 states generated, 1 distinct states found" in out


def test_cfg_value_nested_1000_deep_is_e309(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = "CONSTANT N = " + "{" * 1_000 + "}" * 1_000 + "\n" + INIT_NEXT
    spec = write_spec(tmp_path, "M", "CONSTANT N\nInit == x = N\nNext == x' = x", cfg)
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 151 and "error[E309]: this value nests more than 500 levels deep" in out


def test_cfg_with_a_byte_order_mark_is_read_like_a_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, "M", "Init == x = 1\nNext == x' = x", "\ufeff" + INIT_NEXT)
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 0 and "1 distinct states found" in out


@pytest.mark.parametrize("use", ["EXTENDS Naturals, {name}", "I == INSTANCE {name}"])
def test_module_name_of_300_characters_is_e201(
    use: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "A" * 300
    spec = tmp_path / "M.tla"
    line = use.format(name=name)
    spec.write_text(f"---- MODULE M ----\n{line}\nVARIABLE x\nInit == x = 1\nNext == x' = x\n====\n")
    (tmp_path / "M.cfg").write_text(INIT_NEXT)
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 150 and f"error[E201]: cannot find module {name}" in out


def test_50000_nested_comments_take_linear_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "M.tla"
    spec.write_text(
        "---- MODULE M ----\n"
        + "(*" * 50_000
        + "*)" * 50_000
        + "\nVARIABLE x\nInit == x = 1\nNext == x' = x\n====\n"
    )
    (tmp_path / "M.cfg").write_text(INIT_NEXT)
    start = time.monotonic()
    code, _ = run(capsys, "check", str(spec), "-q")
    assert code == 0 and time.monotonic() - start < 5  # was 9 s (the lexer rescanned for each mark)


def test_missing_community_module_gets_the_lib_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path, "M", "Init == x = 1\nNext == x' = x", extends="Naturals, FiniteSetsExt")
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 150 and "FiniteSetsExt is one of the CommunityModules" in out and "--lib DIR" in out
    assert "did you mean" not in out


def test_missing_tlaps_module_gets_the_lib_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, "M", "Init == x = 1\nNext == x' = x", extends="Naturals, RealTime")
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 150 and "RealTime is in the TLA+ proof system's library" in out


def test_unknown_invariant_has_its_cfg_place_and_a_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = INIT_NEXT + "INVARIANT Invarant\n"
    spec = write_spec(tmp_path, "M", "Init == x = 1\nNext == x' = x\nInvariant == x = 1", cfg)
    code, out = run(capsys, "check", str(spec), "-q")
    assert code == 151
    assert "M.cfg:3:11: error[E744]: INVARIANT Invarant: the spec defines no 'Invarant'" in out
    assert "hint: did you mean 'Invariant'?" in out


# -- render ------------------------------------------------------------------------


def itf(value: object) -> str:
    return '{"#meta": {"format": "ITF"}, "vars": ["x"], "states": [{"x": ' + str(value) + "}]}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (itf("9" * 5_000), "a number has 5,000 digits"),
        (itf('{"#bigint": "' + "9" * 5_000 + '"}'), "a number has 5,000 digits"),
        (itf('{"#tup": [' * 1_000 + "1" + "]}" * 1_000), "nests more than 500 levels deep"),
        ("[" * 100_000 + "]" * 100_000, "the JSON nests too deeply"),
        (itf('"\\ud800"'), "lone surrogate"),
    ],
    ids=["number", "bigint", "nested-1000", "nested-100000", "surrogate"],
)
def test_render_refuses_hostile_itf_with_a_message(
    text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "t.itf.json"
    trace.write_text(text, encoding="utf-8")
    code, out = run(capsys, "render", str(trace))
    assert code == 75 and message in out


def test_render_of_a_file_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trace = tmp_path / "t.itf.json"
    trace.write_bytes(b'{"#meta": {"source": "\xff\xfe"}, "vars": [], "states": []}')
    code, out = run(capsys, "render", str(trace))
    assert code == 75 and "line 1 is not UTF-8 (byte 0xff at offset 22)" in out

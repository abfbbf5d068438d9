"""The command line of a TLC user (issue 16): TLC's single-dash flags, usage errors (exit 2),
--trace-out checked before the search and one file per violation, TLC's progress lines."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from checker.cli import TLC_FLAGS, build_parser, main, translate_tlc_flags
from checker.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
DIEHARD = str(ROOT / "specs" / "diehard" / "DieHard.tla")
TWO_INVARIANTS = """---- MODULE Two ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 3 /\\ x' = x + 1
Small == x < 2
Smaller == x < 1
====
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def translate(*words: str) -> tuple[list[str], list[str]]:
    return translate_tlc_flags(["check", *words], build_parser())


def test_tlc_flags_become_ours() -> None:
    words, notes = translate("-config", "X.cfg", "-workers", "auto", "-deadlock", "-continue", "X.tla")
    assert words == [
        "check",
        "--config",
        "X.cfg",
        "--workers",
        "auto",
        "--no-deadlock",
        "--continue",
        "X.tla",
    ]
    assert notes == []
    words, notes = translate("-coverage", "1", "-difftrace", "-metadir", "/tmp/m", "-nowarning", "X.tla")
    assert words == ["check", "--coverage", "--diff", "X.tla"]
    assert any("-metadir" in n for n in notes) and any("-coverage" in n for n in notes)


def test_our_own_short_options_are_left_alone() -> None:
    words, _ = translate("-p", "servers=3", "-c", "X.cfg", "-q", "raft_model:correct")
    assert words == ["check", "-p", "servers=3", "-c", "X.cfg", "-q", "raft_model:correct"]


def test_every_tlc_flag_has_an_entry_that_parses() -> None:
    # Each flag is translated to an option `check` offers, or dropped with a note, or (for an
    # option another part of tlacheck has not added yet) refused as a usage error; never misread.
    for flag, (ours, arity, _) in TLC_FLAGS.items():
        try:
            words, _ = translate(flag, *["1"] * arity, "X.tla")
        except UsageError as exc:
            assert exc.exit_code == 2 and ours is not None, flag
            continue
        assert words[-1] == "X.tla" and all(not w.startswith("-") or w.startswith("--") for w in words), flag


def test_diehard_with_tlc_flags(capsys: pytest.CaptureFixture[str]) -> None:
    cfg = str(ROOT / "specs" / "diehard" / "DieHard.cfg")
    code, out, err = run(
        capsys, "check", "-config", cfg, "-workers", "auto", "-continue", "-metadir", "/tmp/x", DIEHARD, "-q"
    )
    # TLC 2.20 on DieHard.cfg: 97 states generated, 16 distinct states, depth 8.
    assert code == 0 and "97 states generated, 16 distinct states found" in out
    assert "Note: -metadir: ignored" in err
    workers = os.cpu_count() or 1
    assert (f"on {workers} workers." in out) == (workers > 1)  # -workers auto: one per core


def test_spec_named_without_its_suffix_as_tlc_allows(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", DIEHARD.removesuffix(".tla"), "-q")
    assert code == 0 and "16 distinct states found" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-tool"], "-tool output"),
        (["-dumpTrace", "json", "t.json"], "--trace-out"),
        (["-config"], "the following arguments are required: target"),
        (["-workers", "0"], "expected a number of workers or 'auto'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", *args, DIEHARD)
    assert code == 2 and message in err


def test_trace_out_in_a_missing_folder_fails_before_the_search(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", DIEHARD, "-q", "--trace-out", str(tmp_path / "nope" / "t.txt"))
    assert code == 2 and "the folder" in err and "does not exist" in err
    assert "Checking" not in out


def test_continue_writes_one_trace_file_per_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Two.tla").write_text(TWO_INVARIANTS)
    (tmp_path / "Two.cfg").write_text("INIT Init\nNEXT Next\nINVARIANT Small Smaller\n")
    out_file = tmp_path / "t.itf.json"
    code, out, _ = run(
        capsys, "check", str(tmp_path / "Two.tla"), "-q", "-continue", "--trace-out", str(out_file)
    )
    assert code == 12
    assert "Invariant Smaller is violated" in out and "Invariant Small is violated" in out
    assert out_file.is_file() and (tmp_path / "t.Small.itf.json").is_file()
    assert f"Trace written to {tmp_path / 't.Small.itf.json'}" in out


def test_max_depth_is_not_called_a_complete_search(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", DIEHARD, "-q", "--max-depth", "3")
    assert code == 0 and "complete state graph" not in out
    assert "The depth of the state graph search so far is 3 (the search was cut short)." in out


def test_p_typo_lists_the_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "tests.cli.badmodels:counter", "-p", "limt=3")
    assert code == 75
    assert "has no parameter 'limt'; its parameters are: limit=3, strict=False, deadlock=False." in err
    assert "Did you mean -p limit=...?" in err


def test_tlc_progress_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", DIEHARD)
    assert code == 0
    lines = err.splitlines()
    # TLC 2.20 prints these two lines (with its date) before the search.
    assert lines[0] == "Computing initial states..."
    assert re.fullmatch(
        r"Finished computing initial states: 1 distinct state generated at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.",
        lines[1],
    )


def test_periodic_progress_line_in_tlc_wording() -> None:
    from checker.cli import ProgressPrinter
    from checker.engine import Progress

    printer = ProgressPrinter()
    line = printer.format(Progress(8_543, 1_971, 653, 12, 30.0))
    assert re.fullmatch(
        r"Progress\(12\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: 8,543 states generated \(17,086 s/min\), "
        r"1,971 distinct states found \(3,942 ds/min\), 653 states left on queue\.",
        line,
    )


@pytest.mark.parametrize(
    ("seconds", "took"),
    [(7.9, "07s"), (59, "59s"), (3_599, "59min 59s"), (86_340, "23h 59min"), (169_200, "1d 23h")],
)
def test_finished_line_in_tlc_wording(seconds: float, took: str) -> None:
    # TLC 2.20 ends with "Finished in 07s at (2026-12-06 04:08:01)"; the longer forms are those
    # of its convertRuntimeToHumanReadable.
    from checker.cli import finished_line

    assert re.fullmatch(
        rf"Finished in {took} at \(\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\)", finished_line(seconds)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "tlacheck: error: argument COMMAND: invalid choice: 'chek'"),
        (["prove", DIEHARD], "tlacheck prove: error: the following arguments are required: --inv"),
        (["check", DIEHARD, "--max-depth", "x"], "argument --max-depth: invalid int value: 'x'"),
    ],
)
def test_argparse_errors_are_usage_errors_with_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through UsageError (errors.CODES' exit 2), returned by main, not a SystemExit mid-parse."""
    code = main(args or ["chek", DIEHARD])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.startswith("usage: tlacheck")


def test_help_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["check", "--help"])
    assert stop.value.code == 0 and "usage: tlacheck check" in capsys.readouterr().out

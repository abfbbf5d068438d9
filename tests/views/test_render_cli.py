"""``tlacheck render`` and ``tlacheck check --trace-out``: every form, and clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from checker.views import read_trace

FIXTURES = Path(__file__).parent / "fixtures"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def test_render_prints_an_apalache_trace_in_tlcs_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(FIXTURES / "missionaries.itf.json"), "--diff"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "State 1: <Initial predicate>\n"
        '/\\ bank_of_boat = "E"\n'
        # a function whose domain is a set of strings is a record (DESIGN.md §3)
        '/\\ who_is_on_bank = [E |-> {"c1_OF_PERSON", "c2_OF_PERSON", "m1_OF_PERSON", "m2_OF_PERSON"}, W |-> {}]\n'
        "\n"
        "State 2: <Action>\n"
        '* /\\ bank_of_boat = "W"\n'
        '* /\\ who_is_on_bank.E = {"c1_OF_PERSON", "m1_OF_PERSON"}\n'
        '* /\\ who_is_on_bank.W = {"c2_OF_PERSON", "m2_OF_PERSON"}\n'
    )
    assert out.endswith(
        "* /\\ who_is_on_bank.E = {}\n* /\\ who_is_on_bank.W = "
        + '{"c1_OF_PERSON", "c2_OF_PERSON", "m1_OF_PERSON", "m2_OF_PERSON"}\n\n'
    )


def test_render_itf_normalises_a_quint_trace(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(FIXTURES / "quint_counter.itf.json"), "-f", "itf"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["vars"] == ["counter::n", "counter::history", "counter::last"]
    assert doc["states"][1]["counter::n"] == {"#bigint": "9007199254740993"}
    assert doc["states"][1]["#meta"] == {"index": 1, "action": "step"}


@needs_dot
@pytest.mark.parametrize("form", ["svg", "png", "dot", "html", "txt", "itf"])
def test_render_writes_every_form(tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"m.{form if form != 'itf' else 'itf.json'}"
    assert main(["render", str(FIXTURES / "missionaries.itf.json"), "-f", form, "-o", str(out)]) == 0
    data = out.read_bytes()
    starts = {
        "svg": b"<?xml",
        "png": b"\x89PNG",
        "dot": b"digraph",
        "html": b"<!DOCTYPE html>",
        "txt": b"State 1",
    }
    assert data.startswith(starts.get(form, b"{"))
    assert str(out) in capsys.readouterr().out


def test_render_picks_the_form_from_the_output_suffix(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    assert main(["render", str(FIXTURES / "missionaries.itf.json"), "-o", str(out)]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_render_without_output_writes_pictures_beside_the_trace(tmp_path: Path) -> None:
    trace = tmp_path / "m.itf.json"
    shutil.copy(FIXTURES / "missionaries.itf.json", trace)
    assert main(["render", str(trace), "-f", "dot"]) == 0
    assert (tmp_path / "m.dot").read_text().startswith("digraph")


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read the trace"), ("{oops", "is not JSON"), ('{"states": 3}', "is not an ITF trace")],
)
def test_render_errors_are_one_clear_line_and_exit_75(
    tmp_path: Path, content: str | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.itf.json"
    if content is not None:
        path.write_text(content)
    assert main(["render", str(path)]) == 75
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_render_of_a_trace_without_states_to_a_picture_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by the fuzz test (seed 1828679311): max() of no states, a traceback.
    path = tmp_path / "empty.itf.json"
    path.write_text('{"vars": ["x"], "states": []}')
    assert main(["render", str(path), "-f", "dot", "-o", str(tmp_path / "out.dot")]) == 75
    err = capsys.readouterr().err
    assert "has no states" in err and "Traceback" not in err


@needs_dot
@pytest.mark.parametrize("suffix", [".txt", ".itf.json", ".dot", ".svg", ".png", ".html"])
def test_check_trace_out_writes_the_form_its_suffix_names(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"t{suffix}"
    assert main(["check", "checker.examples.diehard:puzzle", "-q", "--trace-out", str(out)]) == 12
    assert out.exists() and out.stat().st_size > 0
    assert f"Trace written to {out}" in capsys.readouterr().out
    if suffix == ".itf.json":
        loaded = read_trace(out)
        assert len(loaded.trace) == 7 and loaded.violation is not None
        assert loaded.violation.name == "NotSolved"


def test_check_trace_out_with_an_unknown_suffix_says_which_suffixes_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.pdf"
    assert main(["check", "checker.examples.diehard:puzzle", "-q", "--trace-out", str(out)]) == 75
    err = capsys.readouterr().err
    assert ".txt .itf.json .dot .svg .png .html" in err and "Traceback" not in err

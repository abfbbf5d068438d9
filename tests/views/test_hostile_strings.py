"""Hostile strings through every view (issue 16): whatever a trace holds (values, variable names,
action labels, the property's name, the source) comes out quoted or escaped for the format, so
that no DOT attribute, SVG link, HTML element or script is made from data."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.cli import main
from checker.views.graph import plain_text

HOSTILE = [
    '<b> URL="javascript:alert(1)" x=<i>',
    "<!--<script>",
    "</script><script>alert(1)</script>",
    'a"b\\',
    '"];evil[label="x',
    "\\N\\G\\l\\",
    "&amp;&lt;",
    "\x01\x7f\x1b[31m",
]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def hostile_itf(folder: Path, text: str) -> Path:
    doc = {
        "#meta": {"format": "ITF", "source": text, "violation": {"kind": "invariant", "name": text}},
        "vars": ["x", text],
        "states": [
            {"#meta": {"index": 0}, "x": text, text: {"#set": [text, 1]}},
            {"#meta": {"index": 1, "action": text}, "x": {text: text}, text: {"#map": [[text, [text]]]}},
        ],
    }
    path = folder / "t.itf.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def render(capsys: pytest.CaptureFixture[str], trace: Path, form: str) -> str:
    out_file = trace.with_name(f"out.{form}")
    code = main(["render", str(trace), "--format", form, "-o", str(out_file)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.out + captured.err
    return out_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", HOSTILE)
def test_text_and_itf_keep_the_string_exactly(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = hostile_itf(tmp_path, text)
    printed = render(capsys, trace, "txt")
    assert f"State 2: <{text}>" in printed
    again = json.loads(render(capsys, trace, "itf"))
    assert again["states"][1]["#meta"]["action"] == text


@needs_dot
@pytest.mark.parametrize("text", HOSTILE)
def test_dot_makes_no_html_label_and_no_attribute_from_data(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = render(capsys, hostile_itf(tmp_path, text), "dot")
    graph = json.loads(
        subprocess.run(["dot", "-Tjson"], input=source, capture_output=True, text=True, check=True).stdout
    )
    assert [o["name"] for o in graph["objects"] if "name" in o and o["name"].startswith("s")] == ["s1", "s2"]
    everything = [graph, *graph.get("objects", []), *graph.get("edges", [])]
    assert not any(k in o for o in everything for k in ("URL", "href", "target"))
    [edge] = [e for e in graph["edges"] if e.get("style") != "invis"]
    literal = plain_text(text).replace("\\", "\\\\")  # as DOT writes a literal backslash
    assert edge["tooltip"] == literal and "label" not in edge  # the action is in the state's header


@needs_dot
@pytest.mark.parametrize("text", HOSTILE)
def test_svg_has_no_link_but_ours(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = render(capsys, hostile_itf(tmp_path, text), "svg")
    assert set(re.findall(r'href="([^"]*)"', svg)) <= {"#"}
    assert "<script" not in svg and "<b>" not in svg


@pytest.mark.parametrize("text", HOSTILE)
def test_html_has_only_its_own_elements_and_scripts(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = render(capsys, hostile_itf(tmp_path, text), "html")
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<b>" not in page and "<i>" not in page
    assert "alert(1)</script>" not in page
    for block in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S):
        assert "<!--" not in block
    meta = re.search(r'<script type="application/json" id="trace-meta">(.*?)</script>', page, re.S)
    assert meta is not None and json.loads(meta.group(1))["title"] == text
    assert "\x01" not in page and "\x1b" not in page

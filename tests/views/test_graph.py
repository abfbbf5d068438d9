"""Graphviz pictures: each state's node is in the SVG, changed cells are marked, and no `dot` is no failure."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checker.engine import check
from checker.engine.result import Step, Trace
from checker.examples.diehard import puzzle
from checker.views import write_trace
from checker.views.graph import render_source, trace_pages, trace_to_dot
from tests.views.models import Chat

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def chat_violation():  # type: ignore[no-untyped-def]
    violation = check(Chat()).violation
    assert violation is not None
    return violation


def svg_groups(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g")}


def node_titles(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [g.findtext(f"{SVG}title", "") for g in root.iter(f"{SVG}g") if g.get("class") == "node"]


@needs_dot
def test_every_state_is_a_node_and_every_action_is_written_once() -> None:
    violation = chat_violation()
    svg = render_source(trace_to_dot(violation.trace, violation), "svg")
    assert sorted(node_titles(svg)) == ["s1", "s2", "s3", "s4", "s5"]
    root = ET.fromstring(svg)
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    labels = ["".join(t.text or "" for t in g.iter(f"{SVG}text")).strip() for g in edges]
    # the action is in the header of the state it leads to, not again on the edge
    assert [x for x in labels if x] == []
    text = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for action in ("Append(s1, 1)", "Append(s1, 2)", "Send(s1)", "Vote(s2)"):
        assert text.count(action) == 1
    assert "Invariant Quiet is violated." in text


def test_sequences_are_written_as_the_text_view_writes_them() -> None:
    trace = Trace(("t",), (Step(None, 0, {"t": (1, 1, 3)}), Step("Same", 1, {"t": (1, 1, 3)})))
    source = trace_to_dot(trace)
    assert "&lt;&lt;1, 1, 3&gt;&gt;" in source


@needs_dot
def test_exactly_the_changed_cells_are_marked_and_filled() -> None:
    violation = chat_violation()
    svg = render_source(trace_to_dot(violation.trace, violation), "svg")
    groups = svg_groups(svg)
    changed = sorted(k for k in groups if k.startswith("a_changed_"))
    # Hand-derived from the trace (see test_text.py): state 2 adds logs[s1][1],
    # state 3 logs[s1][2], state 4 the one message, state 5 the leader and voted[s2]'s s2.
    assert changed == [
        "a_changed_2_logs_s1_0",
        "a_changed_3_logs_s1_1",
        "a_changed_4_msgs_0",
        "a_changed_5_leader",
        "a_changed_5_voted_s2_0",
    ]
    for key in changed:
        fills = {p.get("fill") for p in groups[key].iter(f"{SVG}polygon")}
        assert "#ffe08a" in fills, key
        link = groups[key].find(f"{SVG}a")
        assert link is not None
    tips = {k: groups[k].find(f"{SVG}a").get("{http://www.w3.org/1999/xlink}title") for k in changed}  # type: ignore[union-attr]
    assert tips["a_changed_5_leader"] == 'changed; was "none"'
    assert tips["a_changed_2_logs_s1_0"] == "changed"  # a new entry: nothing was there


@needs_dot
def test_die_hard_picture_marks_what_each_pour_changed() -> None:
    violation = check(puzzle()).violation
    assert violation is not None
    groups = svg_groups(render_source(trace_to_dot(violation.trace, violation), "svg"))
    changed = sorted(k.removeprefix("a_changed_") for k in groups if k.startswith("a_changed_"))
    # TLC's trace: (0,0) (0,5) (3,2) (0,2) (2,0) (2,5) (3,4) as (small, big)
    assert changed == [
        "2_big",
        "3_big",
        "3_small",
        "4_small",
        "5_big",
        "5_small",
        "6_big",
        "7_big",
        "7_small",
    ]


def test_long_traces_wrap_into_rows() -> None:
    steps = tuple(Step(None if i == 0 else "Inc", i, {"x": i}) for i in range(10))
    source = trace_to_dot(Trace(("x",), steps), per_row=4)
    assert source.count("rank=same") == 3  # rows of 4, 4 and 2 states
    assert "s4 -> s5 [constraint=false" in source  # the wrap edge does not pull the layout
    assert "After State 1, each state shows only the variables that changed" in source
    assert "s1 -> s5 [style=invis]" in source and "s5 -> s9 [style=invis]" in source


def test_huge_values_are_cut_with_a_note() -> None:
    big = frozenset(range(100))
    trace = Trace(("s",), (Step(None, 0, {"s": frozenset()}), Step("Fill", 1, {"s": big})))
    source = trace_to_dot(trace)
    assert "… 84 more" in source  # 16 shown
    assert "Some values are cut (more than 16 elements" in source
    assert "99" not in source.split("… 84 more")[0].split("State 2")[1]


def test_without_dot_the_dot_file_is_written_with_install_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    violation = chat_violation()
    note = write_trace(violation.trace, tmp_path / "t.svg", violation=violation)
    assert not (tmp_path / "t.svg").exists()
    assert (tmp_path / "t.dot").read_text().startswith("digraph trace {")
    assert note is not None and "apt-get install graphviz" in note and str(tmp_path / "t.dot") in note


@needs_dot
def test_png_and_domain_views_are_written(tmp_path: Path) -> None:
    violation = chat_violation()
    note = write_trace(violation.trace, tmp_path / "t.png", model=Chat(), violation=violation)
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    folder = tmp_path / "t.domain"
    assert note is not None and str(folder) in note
    assert sorted(p.name for p in folder.iterdir()) == [f"step-0{i}.png" for i in range(1, 6)]
    write_trace(violation.trace, tmp_path / "u.svg", model=Chat(), violation=violation)
    last = ET.fromstring((tmp_path / "u.domain" / "step-05.svg").read_bytes())
    text = " ".join(t.text or "" for t in last.iter(f"{SVG}text"))
    assert "s1" in text and "s2" in text and "(empty)" in text  # s2's log is still empty


def test_a_model_without_the_hook_writes_only_the_picture(tmp_path: Path) -> None:
    violation = chat_violation()
    write_trace(violation.trace, tmp_path / "t.dot", model=Chat(with_view=False), violation=violation)
    assert [p.name for p in tmp_path.iterdir()] == ["t.dot"]


def _box_and_text(group: ET.Element) -> tuple[float, str]:
    polygon = group.find(f".//{SVG}polygon")
    assert polygon is not None
    xs = [float(p.split(",")[0]) for p in (polygon.get("points") or "").split()]
    return max(xs) - min(xs), "".join(t.text or "" for t in group.iter(f"{SVG}text"))


@needs_dot
def test_a_highlighted_element_is_as_wide_as_its_text() -> None:
    # Graphviz stretches a nested table to its cell and spreads the extra width over the
    # columns: `{ <<1, 1, 3>> }` in a wide state drew a yellow box half again as wide as its
    # text, with gaps around the braces. The text's width is DejaVu Sans's (dot measures it so).
    from raft_model import ghost_commit

    violation = check(ghost_commit()).violation
    assert violation is not None
    svg = render_source(trace_to_dot(violation.trace, violation), "svg")
    groups = svg_groups(svg)
    from checker.views.graph import _WIDTHS  # measured with `dot -Tplain`, one character at a time

    seen = set()
    for key, group in groups.items():
        if not key.startswith("a_changed_"):
            continue
        box, text = _box_and_text(group)
        estimate = sum(_WIDTHS[ch] for ch in text)
        assert estimate <= box <= estimate + 8, (key, text, box)  # the padding, 2 on each side
        seen.add(text)
    assert {"<<1, 1, 3>>", "1", '"Leader"'} <= seen


@needs_dot
def test_dot_never_finds_a_fixed_table_too_small(tmp_path: Path) -> None:
    # The fixed-size tables above hold their text at the width tlacheck estimates; dot warns
    # (and overlaps the text) when the estimate is short. Every printable character, and some
    # that are not ASCII, in highlighted elements of a set and of a sequence, and as the keys
    # and values of a function (texts, and rows of elements).
    import subprocess

    texts = ["".join(chr(c) for c in range(32 + k, 127, 5)) for k in range(5)] + ["ß∀→✓漢字"]
    from checker.values import Fn

    before = Fn({t: "a" for t in texts})
    after = Fn({t: frozenset({"a", t}) if n % 2 else t for n, t in enumerate(texts)})
    steps = (
        Step(None, 0, {"s": frozenset({"a"}), "q": ("a",), "f": before}),
        Step("Add", 1, {"s": frozenset({"a", *texts}), "q": ("a", *texts), "f": after}),
    )
    source = trace_to_dot(Trace(("f", "q", "s"), steps))
    assert source.count('FIXEDSIZE="TRUE"') >= 10
    out = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True)
    assert "too small" not in out.stderr


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@needs_dot
def test_a_long_trace_is_drawn_on_pages_that_fit_a_1280x800_screen(tmp_path: Path) -> None:
    # The 27 message-level Raft states drawn whole made a 2789x2925 PNG (7205x5813 before the
    # changed-only states): a picture to zoom into. Each page must be readable as it is.
    import re

    from raft_model.messages import ghost_commit

    violation = check(ghost_commit()).violation
    assert violation is not None and len(violation.trace.steps) == 27  # TLC 2.20: 27 states
    note = write_trace(violation.trace, tmp_path / "t.png", violation=violation)
    rest = sorted((tmp_path / "t.pages").glob("page-*.png"), key=lambda p: int(p.stem.removeprefix("page-")))
    pages = [tmp_path / "t.png", *rest]
    assert note is not None and f"drawn on {len(pages)} pages" in note
    assert len(pages) > 1
    for page in pages:
        width, height = png_size(page.read_bytes())
        assert width <= 1280 and height <= 800, (page.name, width, height)
    # Every state on exactly one page, in order, each page saying which states it holds.
    sources = [render_source(s, "svg").decode() for s in trace_pages(violation.trace, violation)]
    shown = [int(n) for svg in sources for n in re.findall(r"<title>s(\d+)</title>", svg)]
    assert shown == list(range(1, 28))
    assert "States 1 to" in sources[0] and "of 27 (page 1 of" in sources[0]


def test_a_short_trace_is_one_page() -> None:
    violation = check(puzzle()).violation
    assert violation is not None
    (page,) = trace_pages(violation.trace, violation)
    assert "page 1" not in page

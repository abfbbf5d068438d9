"""Generate every picture in docs/images by running tlacheck itself.

This script owns ``docs/images/``: nothing there is drawn by hand. Each figure is a
``tlacheck check ... --trace-out X.dot`` run; the DOT source it writes (the whole trace,
and the model's domain view of each step when the model has ``render_dot``) is kept
beside the SVG that Graphviz's ``dot`` draws from it. The pages embed the SVGs.

    .venv/bin/python docs/generate.py              # rewrite docs/images (DOT and SVG)
    .venv/bin/python docs/generate.py --out DIR    # write elsewhere
    .venv/bin/python docs/generate.py --dot-only   # DOT only (no Graphviz needed)

``tests/docs/test_generated_images.py`` regenerates the DOT sources into a temporary
folder and compares them with the committed ones, so a change in a model, the engine
or the views that changes a picture fails the test until this script is run again.
(The DOT text is compared, not the SVG: SVG bytes depend on the Graphviz version.)
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    """One counterexample drawn as pictures: the command's arguments and which pictures to keep."""

    name: str  # the folder under docs/images
    args: tuple[str, ...]  # after `tlacheck`; --quiet and --trace-out are added
    whole_trace: bool = True  # keep the trace picture (a table per state)
    domain_steps: str = "all"  # the domain view: "all" steps, "last" only, or "none"
    pythonpath: str = ""  # a folder (from the repository root) holding the figure's own model
    quiet: bool = True  # add --quiet (check has it, prove does not)


FIGURES = (
    Figure("diehard-puzzle", ("check", "checker.examples.diehard:puzzle")),
    Figure("diehard-view", ("check", "diehard_view:puzzle"), False, "last", "docs/guide/examples"),
    Figure("raft-ghost-commit", ("check", "raft_model:ghost_commit")),
    # The 27 message-level states, drawn on pages that fit a 1280x800 screen.
    Figure("raft-messages-ghost-commit", ("check", "raft_model.messages:ghost_commit"), True, "last"),
    # Figure 8(d), the overwrite: the StateMachineSafety trace of the TLA+ twin, drawn by --view raft.
    Figure(
        "raft-overwrite",
        (
            "check",
            "specs/raft/MCRaft.tla",
            "--config",
            "specs/raft/MCRaft_ghost_commit_sms.cfg",
            "--view",
            "raft",
        ),
        False,
    ),
    # A counterexample to induction from prove, drawn by the Raft view (chosen by the variables).
    Figure(
        "raft-cti",
        (
            "prove",
            "specs/raft/RaftInductive.tla",
            "--inv",
            "IndInv",
            "--config",
            "docs/tutorial/raft/RaftInductive_ghost_small.cfg",
        ),
        False,
        quiet=False,
    ),
    Figure(
        "paxos-any-value", ("check", "paxos_model:any_value", "-p", "invariants=Agreement"), False, "last"
    ),
    Figure(
        "paxos-two-proposals",
        ("check", "paxos_model:two_proposals", "-p", "invariants=Agreement"),
        False,
        "last",
    ),
    Figure(
        "paxos-accept-lower",
        ("check", "paxos_model:accept_lower", "-p", "invariants=Agreement"),
        False,
        "last",
    ),
    Figure(
        "paxos-minority-quorums",
        ("check", "paxos_model:minority_quorums", "-p", "invariants=Agreement"),
        False,
        "last",
    ),
)


def tlacheck() -> list[str]:
    """The venv's tlacheck (beside this Python), else the one on the PATH."""
    local = Path(sys.executable).parent / "tlacheck"
    return [str(local)] if local.exists() else ["tlacheck"]


def run_figure(figure: Figure, work: Path) -> list[Path]:
    """Run the command; return the DOT files it wrote that the figure keeps."""
    target = work / "trace.dot"
    paths = [str(ROOT)] + ([str(ROOT / figure.pythonpath)] if figure.pythonpath else [])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    proc = subprocess.run(
        [*tlacheck(), *figure.args, *(["--quiet"] if figure.quiet else []), "--trace-out", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode not in (0, 12):
        raise SystemExit(f"{figure.name}: tlacheck exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    kept: list[Path] = []
    if figure.whole_trace and target.exists():
        kept.append(target)
        kept += sorted((work / "trace.pages").glob("page-*.dot"))  # a long trace's other pages
    steps = sorted((work / "trace.domain").glob("step-*.dot"))
    if figure.domain_steps == "all":
        kept += steps
    elif figure.domain_steps == "last" and steps:
        kept.append(steps[-1])
    return kept


def generate(out: Path, svg: bool = True) -> list[Path]:
    """Write every figure's DOT (and SVG) files under ``out``; return the DOT files written."""
    written: list[Path] = []
    for figure in FIGURES:
        folder = out / figure.name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as tmp:
            for source in run_figure(figure, Path(tmp)):
                name = source.name
                if source.parent.name == "trace.pages":
                    name = "trace-" + source.name  # trace-page-2.dot
                elif figure.domain_steps == "last" and source.name != "trace.dot":
                    name = "last-step.dot"
                dot_file = folder / name
                dot_file.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
                written.append(dot_file)
                if svg:
                    subprocess.run(
                        ["dot", "-Tsvg", str(dot_file), "-o", str(dot_file.with_suffix(".svg"))], check=True
                    )
    written += explorer_page(out, svg)
    return written


# The tutorial's walk to Figure 8, by action labels (docs/tutorial/current-term-commit.md).
FIGURE_8_WALK = (
    "BecomeLeader(s1, {s1, s2})",
    "BecomeLeader(s2, {s2, s3})",
    "ClientRequest(s1)",
    "ClientRequest(s2)",
    "UpdateTerm(s2, s1)",
    "BecomeLeader(s1, {s1, s3})",
    "AppendEntries(s1, s3)",
)


# From there, with the rule (the tutorial's next paragraph).
FIGURE_8_RULE = ("ClientRequest(s1)", "AppendEntries(s1, s3)", "CommitEntry(s1, {s1, s3}, 2)")


def explorer_page(out: Path, screenshot: bool) -> list[Path]:
    """The explorer's pages of the tutorial: the ghost commit (state 9 of the check's trace), state 8
    with the ghost commit's successor drawn (as pointing at the action shows it), and the correct
    model at state 8, where no CommitEntry is enabled, and at state 11, where its commit of an entry
of term 3 commits entry 1 with it (indirectly). Each as HTML with the DOT of the drawing on
    screen beside it (the SVGs inside depend on Graphviz's version, so they are left out of the
    compared HTML); with ``screenshot``, a 1280x800 PNG of the live page too."""
    sys.path.insert(0, str(ROOT))
    import raft_model
    from checker import check
    from checker.views.explore import Explorer

    folder = out / "explorer"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)

    ghost = raft_model.ghost_commit()
    explorer = Explorer(ghost, ghost.describe(), ghost.render_dot)
    violation = check(ghost).violation
    assert violation is not None
    explorer.add_found("Invariant LeaderCompleteness is violated. (11 states)", violation.trace)
    path = explorer.found[0].path
    written = _explorer_page(explorer, list(path[:9]), list(path), folder / "ghost-commit", screenshot)
    # State 8, pointing at the ghost commit before taking it: its successor drawn in place.
    state8 = explorer.walk(list(path[:8]))[-1].state
    labels = [str(lab) for lab, _ in ghost.next_steps(state8)]
    commit = labels.index("CommitEntry(s1, {s1, s3}, 1)")
    written += _explorer_page(
        explorer, list(path[:8]), list(path), folder / "ghost-commit-preview", screenshot, commit
    )

    correct = raft_model.correct()
    explorer = Explorer(correct, correct.describe(), correct.render_dot)
    walk = ["0"]
    for label in FIGURE_8_WALK:
        steps = explorer.walk(walk)
        labels = [str(lab) for lab, _ in correct.next_steps(steps[-1].state)]
        walk.append(str(labels.index(label)))
    written += _explorer_page(explorer, walk, walk, folder / "correct-refuses", screenshot)
    # Then the rule's way: an entry of term 3, replicated and committed, takes entry 1 along.
    for label in FIGURE_8_RULE:
        steps = explorer.walk(walk)
        labels = [str(lab) for lab, _ in correct.next_steps(steps[-1].state)]
        walk.append(str(labels.index(label)))
    written += _explorer_page(explorer, walk, walk, folder / "correct-commits", screenshot)
    return written


def _explorer_page(
    explorer: Any, path: list[str], trail: list[str], stem: Path, screenshot: bool, preview: int | None = None
) -> list[Path]:
    import re
    import threading

    from checker.engine.result import Step, Trace
    from checker.views.explore import make_server

    query = "path=" + ".".join(path) + ("&trail=" + ".".join(trail) if trail != path else "")
    query += f"&preview={preview}" if preview is not None else ""
    _, page = explorer.page(query)
    html_file = stem.with_suffix(".html")
    # The drawings (this state's and each successor's), as dot lays them out, vary with its version.
    shown = re.sub(r"<svg.*?</svg>", "<!-- a domain view drawn by dot -->", page, flags=re.S)
    html_file.write_text(shown, encoding="utf-8")
    steps = explorer.walk(path)
    model = explorer.model
    if preview is not None:  # the drawing on screen is the successor's
        label, state = list(model.next_steps(steps[-1].state))[preview]
        steps.append(Step(label, state, model.as_record(state)))
    dot_file = stem.with_suffix(".dot")
    dot_file.write_text(
        model.render_dot(Trace(tuple(model.variables), tuple(steps)), len(steps) - 1), encoding="utf-8"
    )
    if screenshot:
        subprocess.run(["dot", "-Tsvg", str(dot_file), "-o", str(dot_file.with_suffix(".svg"))], check=True)
        server = make_server(explorer, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            subprocess.run(
                [
                    "chromium",
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--window-size=1280,800",
                    f"--screenshot={stem.with_suffix('.png')}",
                    f"http://127.0.0.1:{server.server_port}/?{query}",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        finally:
            server.shutdown()
            server.server_close()
    return [html_file, dot_file]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="where to write (default: docs/images)")
    parser.add_argument("--dot-only", action="store_true", help="write DOT sources only, no SVG")
    args = parser.parse_args()
    if not args.dot_only and shutil.which("dot") is None:
        raise SystemExit("Graphviz's dot is not on the PATH (apt-get install graphviz), or use --dot-only.")
    for path in generate(args.out, svg=not args.dot_only):
        print(path.relative_to(args.out))


if __name__ == "__main__":
    main()

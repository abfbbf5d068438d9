"""Pictures that cannot rot: docs/images is exactly what docs/generate.py writes today.

The DOT sources are regenerated into a temporary folder and compared with the committed
ones, file by file; every committed DOT file has its SVG beside it, and every picture a
page embeds exists. (SVG bytes depend on the Graphviz version, so they are not compared;
the DOT they are drawn from is.) After a deliberate change, run
``.venv/bin/python docs/generate.py`` and review the diff.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.docs.pixels import differing_share, read_png

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
IMAGES = DOCS / "images"


def load_generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_committed_pictures_are_what_generate_writes(tmp_path: Path) -> None:
    fresh = {p.relative_to(tmp_path) for p in load_generate().generate(tmp_path, svg=False)}
    committed = {p.relative_to(IMAGES) for p in [*IMAGES.rglob("*.dot"), *IMAGES.rglob("*.html")]}
    assert fresh == committed, "run .venv/bin/python docs/generate.py and commit docs/images"
    for rel in sorted(fresh):
        assert (tmp_path / rel).read_text(encoding="utf-8") == (IMAGES / rel).read_text(encoding="utf-8"), (
            f"docs/images/{rel} is stale: run .venv/bin/python docs/generate.py and review the diff"
        )


def test_every_dot_has_its_svg() -> None:
    dots = sorted(IMAGES.rglob("*.dot"))
    assert dots
    for dot in dots:
        assert dot.with_suffix(".svg").is_file(), f"{dot} has no SVG: run docs/generate.py"


def test_every_embedded_picture_exists() -> None:
    pages = sorted(DOCS.rglob("*.md"))
    seen = 0
    for page in pages:
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            seen += 1
            assert (page.parent / target).resolve().is_file(), (
                f"{page.relative_to(DOCS)} embeds missing {target}"
            )
    assert seen >= 5  # the tutorials embed the Raft trace and the four Paxos diagrams


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# A regenerated screenshot may differ from the committed one in a few pixels (text antialiasing);
# a broken one (a drawing missing, a panel moved, another state) in many more: the committed
# screenshots of two states of one walk differ in about 5% of their pixels.
MAX_CHANGED_PIXELS = 0.005


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("dot") is None, reason="needs Chromium and Graphviz"
)
def test_the_explorer_screenshots_are_retaken_and_match_pixel_for_pixel(tmp_path: Path) -> None:
    # The pages are compared above (their HTML); here the screenshots are taken again, as
    # generate.py takes them, and compared with the committed ones pixel by pixel: the share
    # of pixels whose colour moved by more than 48 of 255 in some channel must stay tiny.
    load_generate().explorer_page(tmp_path, screenshot=True)
    committed = sorted((IMAGES / "explorer").glob("*.png"))
    assert [p.name for p in committed] == sorted(p.name for p in (tmp_path / "explorer").glob("*.png"))
    for png in committed:
        assert png_size(png) == png_size(tmp_path / "explorer" / png.name) == (1280, 800)
        share = differing_share(png, tmp_path / "explorer" / png.name)
        assert share <= MAX_CHANGED_PIXELS, (
            f"docs/images/explorer/{png.name}: {share:.2%} of its pixels changed; look at both, "
            "then run .venv/bin/python docs/generate.py if the change is meant"
        )


@pytest.mark.slow
def test_the_pixel_comparison_tells_two_states_apart() -> None:
    # The comparison above can fail: the ghost commit and the state before it, pointing at it,
    # differ mostly in the sidebar and the header; far more than the tolerance.
    explorer = IMAGES / "explorer"
    assert differing_share(explorer / "ghost-commit.png", explorer / "ghost-commit.png") == 0
    assert (
        differing_share(explorer / "ghost-commit.png", explorer / "correct-refuses.png")
        > 5 * MAX_CHANGED_PIXELS
    )
    pixels = read_png(explorer / "ghost-commit.png")
    assert pixels.shape == (800, 1280, 3)
    # Read right: the page's header bar is #2d3e50 (explore.py's style), the bottom right white.
    assert list(pixels[5, 5]) == [0x2D, 0x3E, 0x50] and list(pixels[790, 1270]) == [255, 255, 255]

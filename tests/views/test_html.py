"""The HTML trace page: self-contained, and it steps in a real (headless) browser.

The browser tests load the page with ``chromium --headless --dump-dom``, which
prints the DOM after the page's scripts ran. The page reads ``#step=N`` and
replays ``keys=ArrowRight,...`` through its own keydown handler (see
checker/views/html.py), so the arrow keys are tested without a DevTools client.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker.engine import check
from checker.views import write_trace
from checker.views.html import trace_to_html
from tests.views.models import Chat


def chat_page(tmp_path: Path, model: Chat | None = None) -> Path:
    violation = check(Chat()).violation
    assert violation is not None
    path = tmp_path / "chat.html"
    write_trace(violation.trace, path, model=model or Chat(), violation=violation)
    return path


class Visible(HTMLParser):
    """The text of the step sections that are not hidden, and the body's data-step."""

    def __init__(self) -> None:
        super().__init__()
        self.body_step: str | None = None
        self.shown: list[str] = []
        self.depth = 0  # >0 inside a visible section.step
        self.texts: dict[str, list[str]] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "body":
            self.body_step = a.get("data-step")
        if tag == "section":
            if "hidden" not in a and a.get("class") == "step":
                self.current = a.get("data-step")
                self.shown.append(self.current or "")
                self.texts[self.current or ""] = []
                self.depth = 1
            elif self.depth:
                self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1
            if not self.depth:
                self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.texts[self.current].append(data)


def visible(dom: str) -> Visible:
    v = Visible()
    v.feed(dom)
    return v


def test_the_page_is_self_contained() -> None:
    violation = check(Chat()).violation
    assert violation is not None
    page = trace_to_html(violation.trace, violation, title="Chat", domain_view=Chat().render_dot)
    # no scripts, styles, images or fonts from elsewhere; and a policy that forbids them
    assert not re.search(r'<(script|link|img|iframe)[^>]*\b(src|href)="(https?:)?//', page)
    assert "@import" not in page and "url(http" not in page
    assert "default-src 'none'" in page
    assert page.count('<section class="step"') == 5
    assert page.count("<svg") == (5 if shutil.which("dot") else 0)  # one domain view per step
    assert "Invariant Quiet is violated. (in this state)" in page
    sections = page.split('<section class="step"')[1:]
    # step 5 (Vote(s2)): the leader and voted[s2]'s new element are highlighted, nothing else
    last = re.sub(r'<div class="domain">.*?<div class="vars">', "", sections[4], flags=re.S)
    assert re.findall(r'class="[a-z]+ changed"[^>]*>([^<]*)<', last) == ["s2", "s2"]
    assert 'title="was &quot;none&quot;"' in last
    assert "Changed: leader, voted" in last
    # step 4 (Send(s1)): the new message is a new row of the message table
    assert sections[3].count('<tr class="changed" title="new">') == 1
    assert "changed" not in sections[0].replace("Changed:", "")


# -- in a browser -----------------------------------------------------------------


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")


def dump_dom(page: Path, fragment: str, profile: Path) -> str:
    chromium = find_chromium()
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        f"{page.as_uri()}#{fragment}",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"chromium cannot run here: {exc}")
    if proc.returncode != 0 or "<body" not in proc.stdout:
        pytest.skip(f"chromium cannot run here (exit {proc.returncode}): {proc.stderr.strip()[-300:]}")
    return proc.stdout


@pytest.mark.browser
@pytest.mark.slow
def test_in_a_browser_step_1_shows_the_right_arrow_advances_and_the_last_step_names_the_invariant(
    tmp_path: Path,
) -> None:
    page = chat_page(tmp_path)
    profile = tmp_path / "profile"

    first = visible(dump_dom(page, "", profile))
    assert first.body_step == "1" and first.shown == ["1"]
    assert "State 1: <Initial predicate>" in "".join(first.texts["1"])

    moved = visible(dump_dom(page, "keys=ArrowRight,ArrowRight,ArrowLeft,ArrowRight", profile))
    assert moved.body_step == "3" and moved.shown == ["3"]
    assert "State 3: <Append(s1, 2)>" in "".join(moved.texts["3"])

    last = visible(dump_dom(page, "step=4&keys=ArrowRight,ArrowRight", profile))  # stops at the end
    assert last.body_step == "5" and last.shown == ["5"]
    text = "".join(last.texts["5"])
    assert "State 5: <Vote(s2)>" in text
    assert "Invariant Quiet is violated." in text


def test_without_dot_the_domain_view_is_shown_as_dot_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    page = chat_page(tmp_path).read_text()
    assert page.count("<pre>digraph chat {") == 5
    assert "apt-get install graphviz" in page


def test_a_failing_domain_view_is_a_clear_error(tmp_path: Path) -> None:
    from checker.errors import ModelError

    class Broken(Chat):
        def render_dot(self, trace: object, index: int) -> str:
            raise KeyError("term")

    with pytest.raises(ModelError, match=r"render_dot\(trace, 0\) failed: KeyError: 'term'"):
        chat_page(tmp_path, Broken())


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("target", ["raft_model:ghost_commit", "paxos_model:any_value"])
def test_the_protocol_models_domain_views_are_embedded_for_every_step(target: str) -> None:
    from checker.cli import load_python_model
    from checker.errors import ModelError

    try:
        model = load_python_model(target, [])
    except ModelError as exc:
        pytest.skip(f"{target} is not there yet: {exc}")
    if not callable(getattr(model, "render_dot", None)):
        pytest.skip(f"{target} has no render_dot hook yet")
    violation = check(model).violation
    assert violation is not None
    page = trace_to_html(violation.trace, violation, title=target, domain_view=model.render_dot)
    assert len(re.findall(r'<div class="domain"[^>]*><svg', page)) == len(violation.trace)
    # The drawing is not squeezed below 85% of its size beside the variables (they go below it).
    assert re.search(r'<div class="domain" style="min-width: min\(100%, \d+px\)"><svg', page)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_at_1280x800_the_last_step_and_its_picture_are_above_the_fold(tmp_path: Path) -> None:
    # What the issue found below the fold, or cut: the message-level Raft page (whole message
    # records in the sidebar, the picture pushed down) and the Paxos page (the red last step and
    # the "chosen" box), and the Paxos msgs table listing 1b after 2b. Measured in Chromium.
    from paxos_model import two_proposals
    from raft_model.messages import ghost_commit
    from tests.views.browser import Browser, find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is not installed")
    pages = {}
    for name, model in (("raft", ghost_commit()), ("paxos", two_proposals(invariants=("Agreement",)))):
        violation = check(model).violation
        assert violation is not None
        pages[name] = (tmp_path / f"{name}.html", len(violation.trace))
        write_trace(violation.trace, pages[name][0], model=model, violation=violation)
    shown = "document.querySelector('section.step:not([hidden])')"
    browser = Browser()
    try:
        path, states = pages["raft"]
        assert states == 27  # TLC 2.20, MCRaftMessages_ghost_commit.cfg
        browser.open(f"{path.as_uri()}#step={states}")
        sidebar = browser.evaluate(
            "Array.from(document.querySelectorAll('nav li')).map(li => li.textContent)"
        )
        assert len(sidebar) == 27 and not any("|->" in item for item in sidebar)  # records are "[…]"
        assert browser.evaluate(
            "Array.from(document.querySelectorAll('nav li')).every(li => li.scrollWidth <= li.clientWidth)"
        )
        picture = browser.evaluate(f"{shown}.querySelector('.domain svg').getBoundingClientRect().top")
        assert picture < 250, picture  # the drawing starts near the top, not below the fold
        texts = browser.evaluate(
            f"Array.from({shown}.querySelectorAll('.domain svg text')).map(t => t.textContent)"
        )
        assert "State 27 of 27: CommitEntry(s1, 1)" in texts

        path, states = pages["paxos"]
        browser.open(f"{path.as_uri()}#step={states}")
        boxes = browser.evaluate(
            f"Array.from({shown}.querySelectorAll('.domain svg text'))"
            ".map(t => [t.textContent, t.getBoundingClientRect().bottom])"
        )
        bottoms = {text: bottom for text, bottom in boxes}
        chosen = [text for text in bottoms if text.startswith("chosen: v1, v2")]
        last = [text for text in bottoms if text.startswith(f"{states}: Phase2b")]
        assert chosen and last, sorted(bottoms)
        assert all(bottoms[t] <= 800 for t in chosen + last), {t: bottoms[t] for t in chosen + last}
        kinds = browser.evaluate(
            f"Array.from({shown}.querySelectorAll('table.records tr td:first-child')).map(td => td.textContent)"
        )
        assert [k for k in kinds if k] == sorted(k for k in kinds if k)  # "1a", "1b", "2a", "2b"
        assert '"1b"' in kinds and '"2b"' in kinds
    finally:
        browser.close()

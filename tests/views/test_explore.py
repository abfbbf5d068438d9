"""tlacheck explore: pages by path, a server on 127.0.0.1 only, and a walk by hand in Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import raft_model
from checker import check
from checker.views.explore import HOST, Explorer, describe_change, make_server
from tests.views.browser import Browser, find_chromium

ROOT = Path(__file__).resolve().parents[2]


def explorer() -> Explorer:
    model = raft_model.ghost_commit()
    ex = Explorer(model, "ghost", model.render_dot)
    violation = check(model).violation
    assert violation is not None
    assert ex.add_found("LeaderCompleteness", violation.trace)
    return ex


def test_a_path_is_replayed_and_the_check_s_trace_becomes_a_path() -> None:
    ex = explorer()
    path = ex.found[0].path
    assert len(path) == 11  # the initial state and the 10 steps of the shortest trace
    status, page = ex.page("path=" + ".".join(path))
    assert status == 200
    assert 'data-invariant="LeaderCompleteness">LeaderCompleteness: VIOLATED' in page
    assert "State 11 of this path" in page
    status, page = ex.page("path=" + ".".join(path[:9]))  # after the ghost commit
    assert "GHOST COMMIT" in page and "LeaderCompleteness: holds" in page


def test_every_enabled_action_is_a_link_with_what_it_changes() -> None:
    ex = explorer()
    _, page = ex.page("path=0")
    # Raft.tla's Init has one state; BecomeLeader for 3 servers and their 3 majorities each: 9 actions
    assert "Enabled actions (9)" in page
    assert page.count('id="action-') == 9
    assert '<a id="action-0" href="?path=0.0">BecomeLeader(s1, {s1, s2})</a>' in page
    # what it changes: the entries of currentTerm that change, not the whole function
    what = "currentTerm[s1]&#x27; = 1; currentTerm[s2]&#x27; = 1; state[s1]&#x27; = &quot;Leader&quot;"
    assert f'<div class="what">{what}</div>' in page


def test_each_successor_is_drawn_with_what_it_changes() -> None:
    ex = explorer()
    _, page = ex.page("path=0")
    # one drawing of the current state, and one per enabled action, all hidden but the current one
    assert page.count('<div class="domain">') == 10
    assert '<div class="shown" id="now">' in page
    assert '<div class="shown preview" id="preview-0" hidden>' in page
    assert "If action 0 is taken: <b>BecomeLeader(s1, {s1, s2})</b>" in page
    assert page.count('<tr class="changed" data-var="currentTerm">') == 9  # each one raises a term
    assert len(set(re.findall(r'id="([^"]+)"', page))) == len(re.findall(r'id="([^"]+)"', page))
    # ?preview=k opens with successor k drawn instead (as pointing at its action does)
    _, page = ex.page("path=0&preview=3")
    assert '<div class="shown" id="now" hidden>' in page
    assert '<div class="shown preview" id="preview-3">' in page
    assert '<li data-preview="3" class="previewed">' in page


def test_a_change_is_described_entry_by_entry() -> None:
    from checker.values import ModelValue, make_fn, record

    s1, s2 = ModelValue("s1"), ModelValue("s2")
    before = make_fn({s1: 1, s2: 1})
    assert describe_change("t", before, before) == []
    assert describe_change("t", before, make_fn({s1: 2, s2: 1})) == ["t[s1]' = 2"]
    assert describe_change("m", frozenset({1}), frozenset({2})) == ["m' = m \\cup {2} \\ {1}"]
    assert describe_change("r", record(a=1, b=2), record(a=1, b=3)) == ["r.b' = 3"]
    assert describe_change("x", 1, 2) == ["x' = 2"]


def test_back_and_forward_follow_the_trail() -> None:
    ex = explorer()
    _, page = ex.page("path=0.0&trail=0.0.1.2")
    assert '<a id="back" href="?path=0&amp;trail=0.0.1.2">' in page
    assert '<a id="forward" href="?path=0.0.1&amp;trail=0.0.1.2">' in page


def test_a_path_that_leads_nowhere_is_a_404_page() -> None:
    status, page = explorer().page("path=0.999")
    assert status == 404 and "is not one of 0..8" in page
    status, _ = explorer().page("path=0." + ".".join(["0"] * 600))
    assert status == 404


@pytest.fixture
def server() -> Iterator[str]:
    srv = make_server(explorer(), 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://{HOST}:{srv.server_port}/"
    srv.shutdown()
    srv.server_close()


def test_the_server_listens_on_127_0_0_1_only() -> None:
    srv = make_server(explorer(), 0)
    try:
        assert srv.server_address[0] == "127.0.0.1"
    finally:
        srv.server_close()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_the_explore_command_binds_127_0_0_1_and_nothing_else() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker", "explore", "raft_model:ghost_commit", "--port", "0", "--no-check"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)/", line)
        assert match, line
        assert match.group(1) == "127.0.0.1"
        port = int(match.group(2))
        # Every listening socket of the machine on that port is bound to 127.0.0.1 (0100007F).
        listening = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            if Path(table).exists():
                for row in Path(table).read_text().splitlines()[1:]:
                    local, state = row.split()[1], row.split()[3]
                    address, hexport = local.rsplit(":", 1)
                    if int(hexport, 16) == port and state == "0A":
                        listening.append(address)
        assert listening == ["0100007F"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_other_hosts_and_other_paths_are_refused(server: str) -> None:
    request = urllib.request.Request(server, headers={"Host": "example.com"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server + "etc/passwd", timeout=10)
    assert missing.value.code == 404
    with urllib.request.urlopen(server + "?path=0", timeout=10) as page:
        assert "default-src 'none'" in page.read().decode()


@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed")
def test_reach_the_ghost_commit_by_hand_in_chromium(server: str) -> None:
    # The steps of Figure 8 as the tutorial walks them, by clicking each action's link.
    walk = [
        "BecomeLeader(s1, {s1, s2})",
        "BecomeLeader(s2, {s2, s3})",
        "ClientRequest(s1)",
        "ClientRequest(s2)",
        "UpdateTerm(s2, s1)",
        "BecomeLeader(s1, {s1, s3})",
        "AppendEntries(s1, s3)",
        "CommitEntry(s1, {s1, s3}, 1)",
    ]
    browser = Browser()
    try:
        browser.open(server + "?path=0")
        for label in walk:
            href = browser.evaluate(
                "Array.from(document.querySelectorAll('ol.actions a'))"
                f".find(a => a.textContent === {label!r})?.id"
            )
            assert href, f"{label} is not enabled"
            browser.click(f"#{href}")
        assert "GHOST COMMIT" in browser.evaluate("document.body.innerText")
        # The drawing itself, as the browser shows it: the picture of state 9 (an SVG, laid out
        # by dot), its title, the ghost mark on the two boxes that hold the entry, and its size.
        drawn = "Array.from(document.querySelectorAll('#now svg text')).map(t => t.textContent)"
        texts = browser.evaluate(drawn)
        assert "State 9 of 9: CommitEntry(s1, {s1, s3}, 1)" in texts
        assert texts.count("✓ ghost") == 2
        box = browser.evaluate(
            "(r => [r.width, r.height])(document.querySelector('#now svg').getBoundingClientRect())"
        )
        assert box[0] > 500 and box[1] > 400, box
        # Pointing at an action draws its successor in place of this state; leaving restores it.
        visible = "Array.from(document.querySelectorAll('.shown')).filter(d => !d.hidden).map(d => d.id)"
        assert browser.evaluate(visible) == ["now"]
        browser.evaluate(
            "document.querySelector('li[data-preview=\"0\"]').dispatchEvent(new Event('mouseenter'))"
        )
        assert browser.evaluate(visible) == ["preview-0"]
        assert browser.evaluate("document.getElementById('preview-0').getBoundingClientRect().height") > 300
        browser.evaluate(
            "document.querySelector('li[data-preview=\"0\"]').dispatchEvent(new Event('mouseleave'))"
        )
        assert browser.evaluate(visible) == ["now"]
        assert browser.evaluate("document.title").startswith("State 9")
        browser.click("#back")
        assert browser.evaluate("document.title").startswith("State 8")
        browser.click("#forward")
        assert browser.evaluate("document.title").startswith("State 9")
        browser.back()  # the browser's own history works too
        assert browser.evaluate("document.title").startswith("State 8")
        # the shareable URL: opening it again shows the same state
        url = browser.evaluate("location.href")
        browser.open(server + "?path=0")
        browser.open(url)
        assert browser.evaluate("document.title").startswith("State 8")
        # jump to the check's counterexample
        browser.click("#found-0")
        assert "LeaderCompleteness: VIOLATED" in browser.evaluate("document.body.innerText")
        png = browser.screenshot()
        assert png.startswith(b"\x89PNG")
    finally:
        browser.close()

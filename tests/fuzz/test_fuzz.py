"""Fuzzing the command line with hostile and careless input (issue 16).

Mutated corpus specs, cfgs and ITF traces (``mutate.py``: grammar-aware and byte-level) are
given to ``tlacheck check`` and ``tlacheck render`` for a fixed time budget
(``TLACHECK_FUZZ_SECONDS``, default 60), from a seed printed on failure
(``TLACHECK_FUZZ_SEED`` replays a run). In CI (``CI`` set) the campaign is fixed: ``CI_CASES``
cases from ``CI_SEED`` (``TLACHECK_FUZZ_CASES`` sets a count anywhere). Every case must end:

- with an exit code in the documented set (never 153, the internal fault),
- without "Traceback" or "Internal error" in its output,
- within ``CASE_SECONDS`` while loading (a search that has started may be long: a mutation can
  make the state space infinite, as it would for TLC) and within ``CASE_BYTES`` of memory
  (running out of memory is allowed only during the search).

Each case runs in a forked child (the checker is imported once), with an address-space limit
and a deadline. A failing input is written to ``tests/fuzz/regressions/<kind>-<hash>/``; commit
it, and ``test_regressions`` replays it on every run from then on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import re
import resource
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

import pytest

from tests.fuzz.mutate import mutate_cfg, mutate_itf, mutate_spec

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "tla" / "check" / "corpus"
REGRESSIONS = Path(__file__).resolve().parent / "regressions"
ITF_SOURCES = [*sorted((ROOT / "tests" / "views" / "fixtures").glob("*.itf.json"))]
DOCUMENTED = {0, 2, 10, 11, 12, 13, 14, 75, 76, 77, 150, 151, 152, 255}
CASE_SECONDS = 20.0  # loading (parse, resolve, compile) must end within this
SEARCH_SECONDS = 5.0  # a search that has started is stopped after this (not a failure)
CASE_BYTES = 2 * 1024**3
FORMS = ["txt", "itf", "dot", "html", "svg"] if shutil.which("dot") else ["txt", "itf", "dot", "html"]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the fuzz test forks a child per case")


@dataclasses.dataclass(frozen=True)
class Outcome:
    code: int | None  # None: killed at the deadline
    output: str
    seconds: float

    @property
    def searching(self) -> bool:
        return "Checking " in self.output

    def problem(self) -> str | None:
        """What is wrong with this outcome, or None."""
        if "Traceback" in self.output or "Internal error" in self.output:
            return "a traceback or an internal error"
        if self.code is None:
            return None if self.searching else f"no answer within {CASE_SECONDS:.0f} s while loading"
        if self.code == 153 and "out of memory" in self.output and self.searching:
            return None  # the search outgrew the memory bound, as it would TLC's
        if self.code not in DOCUMENTED:
            return f"exit code {self.code}, not a documented one"
        return None


def warm_up() -> None:
    """Import the checker and build what every child would build again (the parser's tables)
    once, before forking; a child that imported the sources itself could read a file being edited."""
    import checker.cli  # noqa: F401
    import checker.views.html  # noqa: F401
    from checker.tla.parser import parse_module

    parse_module("---- MODULE W ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 1 /\\ x \\in {1}\n====\n")


def run_case(args: list[str], folder: Path) -> Outcome:
    """``tlacheck ARGS`` in a forked child with a memory limit and a deadline."""
    warm_up()
    out_path = folder / "output.txt"
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 153
        try:
            fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            resource.setrlimit(resource.RLIMIT_AS, (CASE_BYTES, CASE_BYTES))
            # Line-buffered, so that the parent sees "Checking ..." as soon as it is printed.
            sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
            from checker.cli import main

            try:
                code = main(args)
            except SystemExit as exc:  # --help or --version (0)
                code = exc.code if isinstance(exc.code, int) else 2
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # the harness's own failure: say what it was (as a traceback)
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(code)
    code: int | None = None
    searching_since: float | None = None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        now = time.monotonic()
        if searching_since is None and "Checking " in _read(out_path):
            searching_since = now
        if (
            searching_since is not None and now - searching_since > SEARCH_SECONDS
        ) or now - start > CASE_SECONDS:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.01)
    return Outcome(code, _read(out_path), time.monotonic() - start)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# -- the cases ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    kind: str  # "spec" or "itf"
    files: dict[str, str]  # name -> text
    args: list[str]  # with {dir} for the case's folder
    encoding: str = "utf-8"  # latin-1 now and then: files that are not UTF-8

    def write(self, folder: Path) -> list[str]:
        for name, text in self.files.items():
            (folder / name).write_bytes(text.encode(self.encoding, errors="replace"))
        return [a.replace("{dir}", str(folder)) for a in self.args]

    def key(self) -> str:
        digest = hashlib.sha256(repr((self.files, self.args)).encode("utf-8", "surrogateescape"))
        return f"{self.kind}-{digest.hexdigest()[:12]}"


def corpus_pairs() -> list[tuple[Path, Path]]:
    return [
        (t, t.with_suffix(".cfg")) for t in sorted(CORPUS.glob("*.tla")) if t.with_suffix(".cfg").is_file()
    ]


def spec_case(rng: random.Random) -> Case:
    tla, cfg = rng.choice(corpus_pairs())
    spec_text = tla.read_text(encoding="utf-8")
    cfg_text = cfg.read_text(encoding="utf-8")
    r = rng.random()
    if r < 0.6:
        spec_text = mutate_spec(rng, spec_text)
    elif r < 0.85:
        cfg_text = mutate_cfg(rng, cfg_text, re.findall(r"^(\w+)\s*==", spec_text, re.M))
    else:
        spec_text = mutate_spec(rng, spec_text)
        cfg_text = mutate_cfg(rng, cfg_text, [])
    args = ["check", f"{{dir}}/{tla.name}", "--config", f"{{dir}}/{cfg.name}", "-q", "--lib", str(CORPUS)]
    args += rng.choice(
        [
            [],
            [],
            ["--max-depth", "6"],
            ["--continue"],
            ["--trace-out", f"{{dir}}/t.{rng.choice(['txt', 'itf.json', 'dot', 'html'])}"],
        ]
    )
    encoding = "latin-1" if rng.random() < 0.05 else "utf-8"
    return Case("spec", {tla.name: spec_text, cfg.name: cfg_text}, args, encoding)


def itf_case(rng: random.Random) -> Case:
    source = rng.choice(ITF_SOURCES).read_text(encoding="utf-8")
    text = mutate_itf(rng, source)
    form = rng.choice(FORMS)
    return Case(
        "itf",
        {"t.itf.json": text},
        ["render", "{dir}/t.itf.json", "--format", form, "-o", f"{{dir}}/out.{form}"],
    )


def keep(case: Case, outcome: Outcome, problem: str) -> Path:
    folder = REGRESSIONS / case.key()
    folder.mkdir(parents=True, exist_ok=True)
    case.write(folder)
    (folder / "args.txt").write_text("\n".join(case.args) + "\n", encoding="utf-8")
    (folder / "found.txt").write_text(
        f"{problem}\nexit code {outcome.code}\n{outcome.output[-3000:]}", encoding="utf-8"
    )
    return folder


CI_SEED = 20261206  # CI replays this campaign: the same cases on every run and every machine
CI_CASES = 1500


def campaign(env: os._Environ[str] | dict[str, str]) -> tuple[int, float, int]:
    """(seed, seconds, cases): a new random seed for a time budget, or, in CI (``CI`` set) and
    with ``TLACHECK_FUZZ_CASES``, a fixed number of cases from a fixed seed, so that CI's verdict
    does not depend on the draw or on the machine's speed (new seeds are explored on
    developers' machines; what they find is kept in ``regressions/``)."""
    in_ci = env.get("CI", "").lower() in ("true", "1", "yes")
    seed_text = env.get("TLACHECK_FUZZ_SEED") or (str(CI_SEED) if in_ci else "")
    seed = int(seed_text) if seed_text else random.SystemRandom().randrange(2**32)
    cases = int(env.get("TLACHECK_FUZZ_CASES") or (CI_CASES if in_ci else 0))
    return seed, float(env.get("TLACHECK_FUZZ_SECONDS", "60")), cases


def test_campaign_is_fixed_in_ci() -> None:
    assert campaign({"CI": "true"}) == (CI_SEED, 60.0, CI_CASES)
    assert campaign({"CI": "true", "TLACHECK_FUZZ_SEED": "7", "TLACHECK_FUZZ_CASES": "3"}) == (7, 60.0, 3)
    seed, seconds, cases = campaign({"TLACHECK_FUZZ_SECONDS": "5"})
    assert (seconds, cases) == (5.0, 0) and 0 <= seed < 2**32


@pytest.mark.slow
def test_fuzz_the_command_line(tmp_path: Path) -> None:
    seed, budget, cases = campaign(os.environ)
    rng = random.Random(seed)
    deadline = time.monotonic() + budget
    failures: list[str] = []
    runs = 0
    print(f"fuzz: seed {seed} (replay: TLACHECK_FUZZ_SEED={seed} pytest tests/fuzz)")
    while runs < cases if cases else time.monotonic() < deadline:
        case = spec_case(rng) if rng.random() < 0.7 else itf_case(rng)
        folder = tmp_path / f"c{runs}"
        folder.mkdir()
        outcome = run_case(case.write(folder), folder)
        runs += 1
        problem = outcome.problem()
        if problem is not None:
            tail = outcome.output[-600:].replace("\n", "\n    ")
            failures.append(f"{problem}: kept in {keep(case, outcome, problem)}; its output ends:\n    {tail}")
        shutil.rmtree(folder, ignore_errors=True)
    print(f"fuzz: {runs} cases from seed {seed}")
    assert not failures, (
        f"fuzz seed {seed} (replay: TLACHECK_FUZZ_SEED={seed} pytest tests/fuzz): "
        f"{len(failures)} of {runs} cases failed:\n" + "\n".join(failures)
    )


def regression_cases() -> list[Path]:
    return (
        sorted(p for p in REGRESSIONS.iterdir() if (p / "args.txt").is_file()) if REGRESSIONS.is_dir() else []
    )


@pytest.mark.parametrize("folder", regression_cases(), ids=lambda p: p.name)
def test_regressions(folder: Path, tmp_path: Path) -> None:
    """Every input that ever failed: it must now pass the fuzz test's checks."""
    for f in folder.iterdir():
        if f.name not in ("args.txt", "found.txt"):
            shutil.copy(f, tmp_path / f.name)
    args = [
        a.replace(str(folder), str(tmp_path))
        for a in (folder / "args.txt").read_text(encoding="utf-8").splitlines()
    ]
    args = [a.replace("{dir}", str(tmp_path)) for a in args]
    outcome = run_case(args, tmp_path)
    assert outcome.problem() is None, f"{outcome.problem()}\n{outcome.output[-2000:]}"

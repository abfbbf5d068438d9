"""Symmetry reduction on Raft: the reduction factor, and the share of time spent canonicalising.

For each configuration the script runs, one after the other in one process:

- the search without symmetry (the distinct count to divide);
- with the model's own ``symmetry`` (raft_model sorts its per-server tuples);
- with the derived one (``Model.symmetry``: ``as_record``, then ``checker.symmetry``'s
  signatures, refinement and tie orderings), which is what a Python model that
  only names its ``symmetric_sets`` gets, and what TLA+ specs get;

and prints the reduction factor (distinct without / distinct with; the most it
can be is n!), the time per generated state spent in ``symmetry`` (every
successor is canonicalised once, to be fingerprinted) and its share of the run.
Then, on a sample of reachable states, the cost of one derived canonicalisation
against the brute force over all n! permutations (``least_image_brute_force``).

    .venv/bin/python bench/symmetry.py [--big] [--sample 300]

Targets (issue 6): the factor TLC reports on the same spec; canonicalisation at
most 30% of the time per state at 5 servers. TLC 2.20 on specs/raft/MCRaft.tla
(one worker): 3 servers, MaxTerm 4, MaxLogLen 2: 26,473 distinct without
SYMMETRY, 4,504 with (5.88); 5 servers, MaxTerm 2, MaxLogLen 1: 10,636 and 216
(49.2). The 5-server factor is far from 120 because most reachable states have
servers in identical local states, which every permutation of them fixes.

Figures from one run (2026-11-27, CPU seconds on a shared 2-core machine under
load, so read the ratios, not the absolute times; the timing wrapper itself adds
about a microsecond per call):

- Reduction factors equal TLC's: 5.88 (3 servers) and 49.24 (5 servers, MaxTerm 2,
  MaxLogLen 1), also 62.85 at MaxTerm 3; the derived and the model's own
  symmetry give the same counts everywhere.
- raft_model's own symmetry (a sort of per-server tuples): 3 to 4 us per state,
  22 to 26% of the run at 3 and 5 servers.
- The TLA+ twin (derived canonicaliser, TLA+ evaluator): 33 us per state, 15% of
  the run at 3 servers; 87 us, 21 to 26% at 5 servers (small run, cold memos).
- The derived canonicaliser on raft_model (as_record, then signatures):
  21 to 35 us per state, 54 to 69% of the run: that model's own step costs
  only 7 to 15 us, so anything generic weighs heavily beside it.
- One derived canonicalisation against the brute force on sampled states: 11x
  faster at 3 servers (6 permutations), 68 to 102x at 5 servers (120).

``SmallGroup`` (every image under a cheaper order; second session, same day), one
canonicalisation on 300 sampled states with fresh memos, against the signatures:
0.41x on atomic Raft with 3 servers (slower: few memo hits among random states),
0.89x on message-level Raft, 0.11x at 5 servers (120 images; not used there),
1.52x on Paxos as TLA+ (12 images). Inside a search, where members and values
repeat from state to state, TLA+ MCRaft with 3 servers takes the same time with
either (2.0 to 2.4 s, 4,504 distinct, in alternating runs) and Paxos gains a
third of its canonicalisation time, so the TLA+ front end uses it up to 24
permutations.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import raft_model  # noqa: E402
import raft_model.messages as raft_messages  # noqa: E402
from checker import CheckOptions, check  # noqa: E402
from checker.model import Model  # noqa: E402
from checker.symmetry import Canonicalizer, SmallGroup, group_order, least_image_brute_force  # noqa: E402


class Timed:
    """Wraps a model's ``symmetry`` and adds up the time spent in it."""

    def __init__(self, fn: Callable[[Any], Hashable]) -> None:
        self.fn = fn
        self.seconds = 0.0
        self.calls = 0

    def __call__(self, state: Any) -> Hashable:
        t = time.process_time()
        rep = self.fn(state)
        self.seconds += time.process_time() - t
        self.calls += 1
        return rep


def with_derived_symmetry(model: Any) -> Any:
    model.symmetry = Model.symmetry.__get__(model)
    return model


def measure(label: str, model: Any, symmetry: bool) -> tuple[int, float]:
    timed = None
    if symmetry:
        timed = model.symmetry = Timed(model.symmetry)
    t = time.process_time()
    r = check(model, CheckOptions(symmetry=symmetry))
    cpu = time.process_time() - t
    s = r.stats
    line = f"  {label:<24} {s.distinct:>8,} distinct {s.generated:>9,} generated {cpu:6.2f} s cpu"
    line += f" {cpu / s.generated * 1e6:6.1f} us/state"
    if timed is not None:
        per = timed.seconds / max(1, timed.calls) * 1e6
        line += f", of which canon {per:6.1f} us ({100 * timed.seconds / cpu:4.1f}%)"
    if r.violations:
        v = r.violations[0]
        line += f"   [{v.name}: {len(v.trace)} states]"
    print(line, flush=True)
    return s.distinct, cpu


def sample_states(model: Any, limit: int, k: int) -> list[Any]:
    seen = dict.fromkeys(model.init_states())
    frontier = list(seen)
    while frontier and len(seen) < limit:
        nxt = []
        for s in frontier:
            for _, t in model.next_steps(s):
                if t not in seen:
                    seen[t] = None
                    nxt.append(t)
        frontier = nxt
    states = list(seen)
    return random.Random(6).sample(states, min(k, len(states)))


def compare_brute_force(model: Any, k: int) -> None:
    states = sample_states(model, 20_000, k)
    records = [tuple(model.as_record(s)[v] for v in model.variables) for s in states]
    canon = Canonicalizer(model.symmetric_sets)  # fresh: no memo hits from the search
    t = time.process_time()
    fast = [canon.canonical(x) for x in records]
    t_fast = time.process_time() - t
    t = time.process_time()
    slow = [least_image_brute_force(x, model.symmetric_sets) for x in records]
    t_slow = time.process_time() - t
    assert fast == slow, "the derived representative differs from the brute force"
    print(
        f"  one canonicalisation, {len(records)} sampled states: derived {t_fast / len(records) * 1e6:7.1f} us,"
        f" brute force over {group_order(model.symmetric_sets)} permutations"
        f" {t_slow / len(records) * 1e6:8.1f} us ({t_slow / t_fast:5.1f}x); same representatives"
    )
    compare_small_group(records, model.symmetric_sets, slow)


def compare_small_group(records: list[Any], sets: Any, brute: list[Any]) -> None:
    """SmallGroup (every image, cheaper order) against the signatures, fresh memos for both."""
    canon, small = Canonicalizer(sets), SmallGroup(sets)
    t = time.process_time()
    for x in records:
        canon.canonical(x)
    t_sig = time.process_time() - t
    t = time.process_time()
    reps = [small.canonical(x) for x in records]
    t_small = time.process_time() - t
    # Another order, so other representatives; but one per class: the brute force's
    # representative (a state of the same orbit) must get the same one.
    assert reps == [small.canonical(b) for b in brute], "SmallGroup splits a class"
    print(
        f"  SmallGroup (all {group_order(sets)} images) {t_small / len(records) * 1e6:7.1f} us against"
        f" the signatures' {t_sig / len(records) * 1e6:7.1f} us ({t_sig / t_small:4.2f}x);"
        " the TLA+ front end uses it up to 24 permutations"
    )


def bench(title: str, make: Callable[[], Any], sample: int) -> None:
    n = len(make().symmetric_sets[0])
    print(f"{title} (group order {n}! = {group_order(make().symmetric_sets)})", flush=True)
    off, _ = measure("no symmetry", make(), False)
    own, _ = measure("model's own symmetry", make(), True)
    der, _ = measure("derived symmetry", with_derived_symmetry(make()), True)
    print(f"  reduction factor: {off / own:.2f} (own), {off / der:.2f} (derived), of a possible {n}!")
    compare_brute_force(make(), sample)


def bench_tla(title: str, cfg_text: str) -> None:
    """The TLA+ twin, specs/raft/MCRaft.tla, whose SYMMETRY goes through the derived path."""
    try:
        from checker.tla.loader import load_spec_model
    except ImportError:
        print(f"{title}: skipped (no TLA+ front end)")
        return
    spec = ROOT / "specs" / "raft" / "MCRaft.tla"
    print(title, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        on = Path(tmp) / "on.cfg"
        off = Path(tmp) / "off.cfg"
        on.write_text(cfg_text)
        off.write_text(cfg_text.replace("SYMMETRY Symmetry", ""))
        d_off, _ = measure("no symmetry", load_spec_model(spec, off, []), False)
        d_on, _ = measure("SYMMETRY Symmetry", load_spec_model(spec, on, []), True)
    print(f"  reduction factor: {d_off / d_on:.2f}")


def bench_paxos_tla(sample: int) -> None:
    """Paxos (3 acceptors x 2 values: 12 permutations) as TLA+: SmallGroup against the signatures."""
    from checker.tla.loader import load_spec_model

    specs = ROOT / "specs" / "paxos"
    model = load_spec_model(specs / "MCPaxos.tla", specs / "MCPaxos_ballots2_symmetry.cfg", [])
    print("TLA+ MCPaxos.tla, ballots 0..2 (group order 3! x 2! = 12)", flush=True)
    states = sample_states(model, 20_000, sample)
    brute = [least_image_brute_force(x, model.symmetric_sets) for x in states]
    compare_small_group(states, model.symmetric_sets, brute)


def raft_cfg(servers: int, max_term: int, max_log_len: int) -> str:
    text = (ROOT / "specs" / "raft" / "MCRaft_correct.cfg").read_text()
    names = ", ".join(f"s{k}" for k in range(1, servers + 1))
    text = text.replace("Server = {s1, s2, s3}", f"Server = {{{names}}}")
    text = text.replace("MaxTerm = 4", f"MaxTerm = {max_term}").replace(
        "MaxLogLen = 2", f"MaxLogLen = {max_log_len}"
    )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", action="store_true", help="also 5 servers with MaxTerm 3 (about a minute)")
    parser.add_argument(
        "--sample", type=int, default=300, help="states sampled for the brute-force comparison"
    )
    args = parser.parse_args()
    bench(
        "Raft (atomic), 3 servers, MaxTerm 4, MaxLogLen 2", lambda: raft_model.correct(3, 4, 2), args.sample
    )
    bench(
        "Raft (atomic), 5 servers, MaxTerm 2, MaxLogLen 1", lambda: raft_model.correct(5, 2, 1), args.sample
    )
    bench("Raft (messages), 3 servers, MaxTerm 4, MaxLogLen 1", lambda: raft_messages.correct(), args.sample)
    bench_tla("TLA+ MCRaft.tla, 3 servers, MaxTerm 4, MaxLogLen 2", raft_cfg(3, 4, 2))
    bench_tla("TLA+ MCRaft.tla, 5 servers, MaxTerm 2, MaxLogLen 1", raft_cfg(5, 2, 1))
    bench_paxos_tla(args.sample)
    if args.big:
        bench(
            "Raft (atomic), 5 servers, MaxTerm 3, MaxLogLen 1",
            lambda: raft_model.correct(5, 3, 1),
            args.sample,
        )


if __name__ == "__main__":
    main()

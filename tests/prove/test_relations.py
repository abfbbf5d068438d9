"""infer's relations read off the variables (checker.prove.relations), and the filter that
drops candidates true in random states of the types, on Paxos (specs/paxos) and the atomic
Raft (specs/raft)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from checker.prove import predicates as pr
from checker.prove import relations as rel
from checker.prove.encode import Encoder
from checker.prove.induction import infer_types
from checker.prove.problem import load_problem
from checker.tla.model import build_model
from checker.values import Fn, ModelValue

PAXOS = Path(__file__).resolve().parents[2] / "specs/paxos"
CFG = (
    "CONSTANTS\n  None = None\n  Value = {v1, v2}\n  Acceptor = {a1, a2, a3}\n"
    "  Quorum = {{a1, a2}, {a1, a3}, {a2, a3}}\n  MaxBallot = 2\n  Variant = \"correct\"\n"
    "INIT Init\nNEXT Next\nINVARIANTS TypeOK Agreement\n"
)


def paxos(tmp_path: Path) -> tuple[object, dict[str, object], dict[str, list[object]], dict[object, str]]:
    cfg = tmp_path / "Paxos.cfg"
    cfg.write_text(CFG)
    loaded = load_problem(PAXOS / "Paxos.tla", "Agreement", cfg)
    p = loaded.problem
    enc = Encoder(p.defs, p.constants, p.variables, p.root)
    d = enc.definition("TypeOK")
    types = infer_types(enc, d.body, p.variables, "TypeOK", d.span)
    model = build_model(loaded.spec, skip_liveness=True)
    names = [*loaded.spec.constants, *pr.constant_definitions(loaded.spec)]
    values = {}
    for n in names:
        try:
            values[n] = model.state_function(n)(None)
        except Exception:
            continue
    sorts = pr.sorts_of(loaded.spec, values)
    texts = {v: n for n, v in values.items() if type(v) is ModelValue and n in loaded.spec.constants}
    return loaded.spec, types, sorts, texts


def test_each_kind_of_message_and_each_function_becomes_a_relation(tmp_path: Path) -> None:
    spec, types, sorts, texts = paxos(tmp_path)
    acceptors = sorts["Acceptor"]
    observed = {
        "maxBal": {a: frozenset({-1, 0, 1, 2}) for a in acceptors},
        # the values of all the arguments together: -1..2 for maxVBal
        "maxVBal": {a: frozenset({-1, 0, 1} if a != acceptors[0] else {2}) for a in acceptors},
        "maxVal": {a: frozenset(sorts["Value"]) | {texts_key(texts)} for a in acceptors},
    }
    relations = rel.relations_of(types, observed, sorts, texts, "R")
    found = {r.body: (r.sorts, r.extras) for r in relations}
    none = texts_key(texts)
    assert found == {
        "maxBal[x] = y": (("Acceptor", "Ballot"), ((), (-1,))),
        "maxBal[x] < y": (("Acceptor", "Ballot"), ((), (-1,))),
        "maxVBal[x] = y": (("Acceptor", "Ballot"), ((), (-1,))),
        "maxVBal[x] < y": (("Acceptor", "Ballot"), ((), (-1,))),
        "maxVal[x] = y": (("Acceptor", "Value"), ((), (none,))),
        '[type |-> "1a", bal |-> bal] \\in msgs': (("Ballot",), ((),)),
        '[type |-> "2a", bal |-> bal, val |-> val] \\in msgs': (("Ballot", "Value"), ((), ())),
        '[type |-> "2b", acc |-> acc, bal |-> bal, val |-> val] \\in msgs': (
            ("Acceptor", "Ballot", "Value"),
            ((), (), ()),
        ),
        '[type |-> "1b", acc |-> acc, bal |-> bal, mbal |-> mbal, mval |-> mval] \\in msgs': (
            ("Acceptor", "Ballot", "Ballot", "Value"),
            ((), (), (-1,), (none,)),
        ),
    }
    # Named after the variable and the kind of message; the parameters after the fields.
    assert [r.definition() for r in relations if r.name in ("Msgs2a", "MaxBalBelow")] == [
        "MaxBalBelow(x, y) == maxBal[x] < y",
        'Msgs2a(bal, val) == [type |-> "2a", bal |-> bal, val |-> val] \\in msgs',
    ]
    # A name of the spec's is never taken: the prefix and a number instead.
    clash = rel.relations_of(types, observed, sorts, texts, "R", taken={"Msgs2a", "bal"})
    assert [r.definition() for r in clash if "2a" in r.body] == [
        'R7(Rbal, val) == [type |-> "2a", bal |-> Rbal, val |-> val] \\in msgs'
    ]
    # SafeAt(m.val, m.bal) with m \in msgs: the fields' sorts give SafeAt's; WontVoteIn(a, c)
    # is applied to c \in 0..(b-1) only, and gets its sorts from its body (VotedForIn).
    fields = rel.field_sorts(types, sorts, texts)
    assert fields["msgs"] == {"bal": "Ballot", "val": "Value", "acc": "Acceptor", "mbal": "Ballot", "mval": "Value"}
    predicates = {(p.name, p.sorts) for p in pr.predicates_of(spec, sorts, fields)}  # type: ignore[arg-type]
    assert ("SafeAt", ("Value", "Ballot")) in predicates
    assert ("WontVoteIn", ("Acceptor", "Ballot")) in predicates
    assert ("SafeAt", ("Value", "Ballot")) not in {(p.name, p.sorts) for p in pr.predicates_of(spec, sorts)}  # type: ignore[arg-type]


def texts_key(texts: dict[object, str]) -> object:
    (none,) = [v for v, name in texts.items() if name == "None"]
    return none


def test_random_states_of_the_types_are_of_the_types(tmp_path: Path) -> None:
    spec, types, sorts, texts = paxos(tmp_path)
    acceptors = sorts["Acceptor"]
    observed = {"maxBal": {a: frozenset({-1, 0, 1, 2}) for a in acceptors}}
    seen = [(Fn({a: -1 for a in acceptors}), Fn({a: -1 for a in acceptors}), Fn({a: texts_key(texts) for a in acceptors}), frozenset())]
    states = rel.random_states(["maxBal", "maxVBal", "maxVal", "msgs"], types, observed, seen, 50)
    assert len(states) == 50
    universe = set(types["msgs"].universe)  # type: ignore[attr-defined]
    assert any(s[3] for s in states) and all(s[3] <= universe for s in states)
    assert {v for s in states for v in s[0].values()} == {-1, 0, 1, 2}
    # maxVBal has no observed values: taken from a reachable state
    assert all(s[1] == seen[0][1] for s in states)
    assert {v for s in states for v in s[2].values()} == {*sorts["Value"], texts_key(texts)}


def test_a_clause_true_in_the_random_states_too_is_dropped() -> None:
    # P(x) holds at every reachable state; Q(x) too. In the random states P fails somewhere
    # and Q does not: P(x) says something about the protocol, Q(x) only about the types.
    sorts = {"S": [1, 2]}
    predicates = {"P": pr.Predicate("P", ("S",)), "Q": pr.Predicate("Q", ("S",))}
    pool = pr.pool_of(list(predicates.values()), {"S": ["u", "v"]}, set())
    atoms = [a for a in pr.atoms_of(list(predicates.values()), pool, {"S": ["u", "v"]}) if a.kind != "="]
    ones = np.ones((4, 2), dtype=bool)
    tables = {"P": ones, "Q": ones}
    noise = {"P": np.array([[True, False]] * 4), "Q": ones}
    found = pr.clauses(atoms, pool, sorts, tables, predicates, noise=noise)
    texts = {pr.clause_text([(atoms[k], positive) for k, positive in c], pool) for c in found}
    assert texts == {"\\A s1 \\in S : P(s1)"}
    without = pr.clauses(atoms, pool, sorts, tables, predicates)
    assert {pr.clause_text([(atoms[k], p) for k, p in c], pool) for c in without} == {
        "\\A s1 \\in S : P(s1)",
        "\\A s1 \\in S : Q(s1)",
    }


RAFT = Path(__file__).resolve().parents[2] / "specs/raft"


def test_raft_logs_committed_tuples_strings_and_quorums_become_relations() -> None:
    from checker.prove.infer import _frequent, _observed

    loaded = load_problem(RAFT / "Raft.tla", "LeaderCompleteness", RAFT / "RaftInfer.cfg")
    p = loaded.problem
    enc = Encoder(p.defs, p.constants, p.variables, p.root)
    d = enc.definition("TypeOK")
    types = infer_types(enc, d.body, p.variables, "TypeOK", d.span)
    model = build_model(loaded.spec, skip_liveness=True)
    values = {}
    for n in [*loaded.spec.constants, *pr.constant_definitions(loaded.spec)]:
        try:
            values[n] = model.state_function(n)(None)
        except Exception:
            continue
    taken = set(p.defs) | set(p.variables) | set(p.constants)
    # Ranges of constants the spec writes but does not name: one per bound, the widest.
    ranges = pr.range_sorts(loaded.spec, values, taken)
    assert ranges == {"Term": ("0..MaxTerm", frozenset({0, 1, 2, 3})), "LogLen": ("1..MaxLogLen", frozenset({1, 2}))}
    values.update({n: v for n, (_, v) in ranges.items()})
    sorts = pr.sorts_of(loaded.spec, values)
    quorums = pr.quorums_of(values, sorts)
    assert list(quorums) == ["Quorums"] and quorums["Quorums"][0] == "Server"
    assert len(quorums["Quorums"][1]) == 4  # the majorities of 3 servers
    texts = {v: n for n, v in values.items() if type(v) is ModelValue and n in loaded.spec.constants}
    seen = pr.every_state(model)
    assert len(seen) == 7678  # TLC 2.20 (RaftInfer.cfg): 7,678 distinct states
    relations = rel.relations_of(
        types,
        _observed(model.variables, types, seen),
        sorts,
        texts,
        "Rel",
        _frequent(model.variables, types, seen),
        quorums,
        taken | set(ranges),
    )
    assert [(r.definition(), r.sorts) for r in relations] == [
        ("CurrentTermIs(x, y) == currentTerm[x] = y", ("Server", "Term")),
        ("CurrentTermBelow(x, y) == currentTerm[x] < y", ("Server", "Term")),
        # "Follower" is the more common value: "Leader" only (its negation says the other)
        ('StateIsLeader(x) == state[x] = "Leader"', ("Server",)),
        # an entry's terms are 1..3: the smallest sort around them is Term (0..3)
        ("LogEntry(x, k, y) == k <= Len(log[x]) /\\ log[x][k] = y", ("Server", "LogLen", "Term")),
        ("LogHasIndex(x, k) == k <= Len(log[x])", ("Server", "LogLen")),
        ("InCommitted(t1, t2, t3) == <<t1, t2, t3>> \\in committed", ("LogLen", "Term", "Term")),
        ("QuorumCurrentTermIs(y) == \\E Q \\in Quorums : \\A q \\in Q : CurrentTermIs(q, y)", ("Term",)),
        ("QuorumCurrentTermBelow(y) == \\E Q \\in Quorums : \\A q \\in Q : CurrentTermBelow(q, y)", ("Term",)),
        (
            "QuorumCurrentTermAtLeast(y) == \\E Q \\in Quorums : \\A q \\in Q : ~CurrentTermBelow(q, y)",
            ("Term",),
        ),
        ("QuorumLogEntry(k, y) == \\E Q \\in Quorums : \\A q \\in Q : LogEntry(q, k, y)", ("LogLen", "Term")),
        ("QuorumLogHasIndex(k) == \\E Q \\in Quorums : \\A q \\in Q : LogHasIndex(q, k)", ("LogLen",)),
    ]
    # Random states draw each server's log from the logs reachable states give it, so
    # LogMatching, true in every reachable state, fails in some of them.
    noise = rel.random_states(model.variables, types, _observed(model.variables, types, seen), seen, 200)
    log = list(model.variables).index("log")
    assert {s[log] for s in noise} - {s[log] for s in seen}

"""Liveness: temporal properties checked on the recorded behaviour graph, with lasso traces.

``check(model, options)`` is the engine's entry point. When the model has liveness
properties (``model.liveness``), the safety search of ``checker.engine.bfs`` records the
behaviour graph while it runs (a ``Recorder`` in ``CheckOptions.recorder``); when the
search finds no safety error, this module looks for a fair bad cycle in that graph.

1. **Record the graph** (``Recorder``), while the search has each state and its
   successors in hand: every predicate the properties need is evaluated once, state
   checks (``ENABLED``, ``P``) as a bit mask per node, step checks (``<<A>>_v``) as a bit
   mask per edge; every node also has its stuttering step (TLA+ behaviours may stutter),
   whose step bits are kept per node. A fairness condition whose action can be enumerated
   gets its ``<<A>>_v`` successors once per state (no evaluation per edge). Edges are kept
   compactly: the target's fingerprint (8 bytes) and the step bits per edge, in arrays,
   never Python objects per edge. After the search the fingerprints become node numbers
   (numpy: a sort and a binary search), nodes are numbered in fingerprint order and each
   node's successors sorted the same way, so every search below is deterministic (the
   model's own successor order may follow Python's hash order) and independent of the
   order the search happened to find the states in; that leaves 4 bytes a target.
2. **Search for a fair bad cycle** per property (Manna-Pnueli's tableau, specialised to the
   forms tlacheck supports; see ``checker.model.Temporal``): the negation of a property is
   a tail that starts at a *trigger* state, stays in a *region* through allowed steps, and
   visits some states or steps infinitely often. Strongly connected components of the
   region's subgraph (the tail's steps only) are found with Tarjan's algorithm, in
   depth-first order from the trigger states (initial states first), and the first bad
   one is reported. A component is *fair* when every weak fairness condition has a step of
   its action inside or a state where it is disabled (a linear check), and every strong
   fairness condition has a step inside or no state where it is enabled; when a strongly
   fair action is enabled in the component but never taken, the states where it is
   enabled are removed and the components of the rest are examined again (no case split
   into 2^k fairness cases). A property with a tableau (``Temporal.tableau``: the part of
   its negation outside those forms, ``checker.engine.tableau``) is searched the same way on
   the product of the graph with its tableau (``_product``, arrays), whose components must
   also keep the tableau's promises; its lasso is given back in the graph's states.
3. **The lasso.** A shortest path from an initial state to the component's first visited
   state (the prefix; for ``P ~> Q`` one that reaches the trigger on the way), then a cycle
   inside the component through one state or step for each requirement (each a shortest
   path), and back. The states are rebuilt by replaying the model along the fingerprints
   (as TLC does). Printed as TLC does: the states, then ``Back to state k: <Action>`` or
   ``State n: Stuttering``.

Known departures from TLC: TLC visits successors in the order of its own fingerprints,
which tlacheck does not compute, so where several bad components exist the one reported
(and the lasso's length) can differ; the verdict cannot. Liveness is checked once, after
the search (TLC also checks it periodically during long searches: ``-lncheck``).
"""

from __future__ import annotations

import copy
import time
from array import array
from collections import deque
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Union

from checker.engine.bfs import _overridden
from checker.engine.bfs import check as check_safety
from checker.engine.fingerprint import Fingerprinter
from checker.engine.result import CheckOptions, CheckResult, Stats, Step, Trace, Violation
from checker.engine.tableau import MAX_NODES, Tableau, TableauTooLarge, encode
from checker.errors import ModelError
from checker.model import IF_EVENTUALLY, Fairness, Temporal
from checker.values import value_key

if TYPE_CHECKING:
    import numpy as np
# numpy is imported where the graph is analysed, not with the module: every check imports
# this module, and numpy's import is a fifth of a second (a tenth of a small spec's run).

# Bits per node and per edge are held in arrays of unsigned integers of up to 64 bits; more
# checks than that are held in a list of Python integers (``_WideBits``), slower but unbounded.
_WORD = 64


def check(model: Any, options: CheckOptions | None = None) -> CheckResult:
    """The safety search (recording the behaviour graph when the model has liveness
    properties), then the liveness search."""
    options = options or CheckOptions()
    initial = _check_initial(model)
    if initial is not None:
        return initial
    properties = dict(getattr(model, "liveness", {}) or {})
    if not properties:
        return _postcondition(model, check_safety(model, options))
    if options.max_depth is not None:
        raise ModelError(
            "Liveness properties need the whole state graph: --max-depth cannot be used with them "
            "(drop --max-depth, or check the properties with --skip-liveness)."
        )
    checker = LivenessChecker(
        model, options, properties, list(getattr(model, "fairness", ()) or ()), whole_model=True
    )
    recorder = checker.recorder = Recorder(checker)
    # A recovered search did part of its work in an earlier process: its graph is rebuilt
    # by a search of its own afterwards. Otherwise the safety search records it.
    during = options.recover is None
    if during:
        options = _with_recorder(options, recorder)
    result = check_safety(model, options)
    if result.violations or not result.complete:
        return _postcondition(model, result)
    start = time.monotonic()
    if not during:
        recorder.search(model)
    checker.graph = recorder.finish()
    violation = checker.run()
    result.stats.elapsed += time.monotonic() - start
    result.liveness_edges = checker.graph.edge_count()
    result.liveness_bytes = checker.graph.nbytes()
    if violation is not None:
        result.violations.append(violation)
    return _postcondition(model, result)


def _postcondition(model: Any, result: CheckResult) -> CheckResult:
    """TLC checks the cfg's POSTCONDITION once the search (and liveness) found no error: the
    model's ``postcondition(stats)`` gives TLC's error, or None when it holds."""
    post = getattr(model, "postcondition", None)
    if post is not None and result.complete and not result.violations and not result.interrupted:
        result.postcondition = post(result.stats)
    return result


def _with_recorder(options: CheckOptions, recorder: Recorder) -> CheckOptions:
    import dataclasses

    return dataclasses.replace(options, recorder=recorder)


def _check_initial(model: Any) -> CheckResult | None:
    """A state predicate in a PROPERTY holds in every initial state (TLC checks it first)."""
    properties = dict(getattr(model, "initial_properties", {}) or {})
    if not properties:
        return None
    start = time.monotonic()
    for state in model.init_states():
        for name, p in properties.items():
            if not p(state):
                trace = Trace(tuple(model.variables), (Step(None, state, model.as_record(state)),))
                stats = Stats(elapsed=time.monotonic() - start)
                return CheckResult(model.describe(), stats, [Violation("initial property", name, trace)], False)
    return None


class _WideBits(list[int]):
    """A column of bit sets wider than 64 bits: Python integers, with ``array``'s two
    attributes that the graph reads."""

    def __init__(self, words: int, items: Any = ()) -> None:
        super().__init__(items)
        self.typecode = "O"
        self.itemsize = 8 * words  # what the bits take, for the report of bytes per edge


Bits = Union["array[int]", _WideBits]


def _bits_array(n: int) -> Bits:
    """An empty column of ``n``-bit sets: the smallest array type holding them."""
    if n > _WORD:
        return _WideBits((n + _WORD - 1) // _WORD)
    return array("B" if n <= 8 else "H" if n <= 16 else "I" if n <= 32 else "Q")


def _like(column: Bits, items: Any = ()) -> Bits:
    """A column of the same width as ``column`` holding ``items`` (a numpy array or a list)."""
    import numpy as np

    if isinstance(column, _WideBits):
        return _WideBits(column.itemsize // 8, list(items))
    if isinstance(items, np.ndarray):
        return array(column.typecode, items.tobytes())
    return array(column.typecode, items)


def _np_bits(column: Bits) -> np.ndarray[Any, Any]:
    """A column as a numpy array (of Python integers for a wide one)."""
    import numpy as np

    if isinstance(column, _WideBits):
        return np.array(column, dtype=object) if column else np.zeros(0, dtype=object)
    dtype = np.dtype(column.typecode)
    return np.frombuffer(column, dtype=dtype) if len(column) else np.zeros(0, dtype)


class Graph:
    """The behaviour graph. Nodes are numbered in the order of their fingerprints (in
    exact mode: in the order found); each node's successors are sorted the same way."""

    def __init__(self, state_checks: int, step_checks: int) -> None:
        self.keys: array[int] | list[Hashable] = array("Q")  # each node's fingerprint (or state key)
        self.offsets = array("q", [0])  # successors of node n: targets[offsets[n]:offsets[n+1]]
        self.targets = array("i")
        self.edge_bits = _bits_array(step_checks)  # step checks per edge
        self.node_bits = _bits_array(state_checks)  # state checks per node
        self.stutter_bits = _bits_array(step_checks)  # step checks of the node's stuttering step
        self.initial: list[int] = []  # in node order
        # Every node has its stuttering step (the behaviour graph); a product with a
        # tableau lists its stuttering steps as edges instead (``_product``).
        self.implicit_stutter = True

    def __len__(self) -> int:
        return len(self.node_bits)

    def successors(self, n: int) -> range:
        return range(self.offsets[n], self.offsets[n + 1])

    def edge_count(self) -> int:
        return len(self.targets)

    def nbytes(self) -> int:
        """Bytes held by the arrays for edges and nodes (the states themselves are not kept)."""
        arrays: tuple[Any, ...] = (self.offsets, self.targets, self.edge_bits, self.node_bits, self.stutter_bits)
        total: int = sum(a.itemsize * len(a) for a in arrays)
        return total + (8 * len(self.keys) if isinstance(self.keys, array) else 0)


class Recorder:
    """Builds the behaviour graph from what the safety search hands over: ``initial`` for each
    new initial state, then for each state it explores (in the order they were found)
    ``begin``, ``step`` for each successor inside the model (``new`` when first found),
    ``outside`` for each successor the CONSTRAINT or ACTION_CONSTRAINT leaves out, and ``end``.
    ``key`` is what the search stores: the 64-bit fingerprint, or in exact mode the state
    (or its symmetry representative or VIEW).

    A new state's checks are evaluated at the ``end`` of its parent's steps, as TLC does (its
    liveness checker takes a state's successors once they are all generated): a check that
    cannot be evaluated there stops the search with the behaviour up to the parent, before
    the state itself is explored (and, say, found deadlocked: TLC's exit 255, not 11).
    An initial state's are evaluated when it is explored."""

    def __init__(self, checker: LivenessChecker) -> None:
        self.checker = checker
        checks = checker.checks
        self.state_checks = checks.state
        self.step_checks = checks.step
        self.derived = [(f.enabled, f.taken) for f in checker.fair if f.derived]
        self.enumerated = [f for f in checker.fair if f.successors is not None]
        self.node_keys = array("Q")
        self.exact_keys: dict[Hashable, int] | None = {} if checker.exact else None
        self.edge_keys = array("Q")
        self.exact_targets = array("i")
        self.initial_nodes: list[int] = []
        self.count = 0  # nodes so far
        self.explored = 0  # nodes explored so far (the search explores them in the order found)
        self.fresh: list[Any] = []  # the new successors of the state being explored
        self.offsets = array("q", [0])
        self.edge_bits = _bits_array(len(self.step_checks))
        self.node_bits = _bits_array(len(self.state_checks))
        self.stutter_bits = _bits_array(len(self.step_checks))
        # The state being explored: its source, its bits so far, its fairness successor sets.
        self.source: Any = None
        self.bits = 0
        self.sets: list[tuple[int, Collection[Any] | None, Callable[[Any, Any, Any], bool] | None]] = []

    def _node(self, key: Hashable) -> None:
        if self.exact_keys is None:
            self.node_keys.append(key)  # type: ignore[arg-type]
        else:
            self.exact_keys[key] = self.count
        self.count += 1

    def initial(self, key: Hashable) -> None:
        if self.explored:
            raise ModelError("An initial state was recorded after the search began exploring.")
        self.initial_nodes.append(self.count)
        self._node(key)
        self.node_bits.append(0)  # evaluated when explored

    def _state_bits(self, s: Any) -> int:
        bits = 0
        for i, p in enumerate(self.state_checks):
            if p(s):
                bits |= 1 << i
        return bits

    def begin(self, s: Any) -> None:
        index = self.explored
        bits = self._state_bits(s) if index < len(self.initial_nodes) else self.node_bits[index]
        stutter = 0
        for i, a in enumerate(self.step_checks):
            if a(s, None, s):
                stutter |= 1 << i
        self.stutter_bits.append(stutter)
        self.bits = bits | self._open(s)

    def _open(self, s: Any) -> int:
        """Start on ``s``'s steps: its fairness actions' successors; the bits of the
        actions enabled by that enumeration."""
        bits = 0
        sets = self.sets = []
        for f in self.enumerated:
            assert f.successors is not None
            found = f.successors(s)
            if found is None:  # not enumerable here: the predicates decide
                assert f.enabled_pred is not None
                if f.enabled_pred(s):
                    bits |= 1 << f.enabled
                sets.append((f.taken, None, f.taken_pred))
                continue
            if found:
                bits |= 1 << f.enabled
            sets.append((f.taken, found, None))
        self.source = s
        return bits

    def _step_bits(self, label: Any, t: Any) -> int:
        s = self.source
        ebits = 0
        for i, a in enumerate(self.step_checks):
            if a(s, label, t):
                ebits |= 1 << i
        for taken_bit, found, pred in self.sets:
            if found is not None:
                if t in found:
                    ebits |= 1 << taken_bit
            elif pred is not None and pred(s, label, t):
                ebits |= 1 << taken_bit
        for enabled_bit, taken_bit in self.derived:
            if ebits >> taken_bit & 1:
                self.bits |= 1 << enabled_bit
        return ebits

    def bits_of(self, s: Any, steps: list[tuple[Any, Any]]) -> list[int]:
        """The step bits of some of ``s``'s steps (after the recording: for the lasso)."""
        self.bits = self._open(s)
        out = [self._step_bits(label, t) for label, t in steps]
        self.source, self.sets = None, []
        return out

    def step(self, label: Any, t: Any, key: Hashable, new: bool) -> None:
        self.edge_bits.append(self._step_bits(label, t))
        if new:
            self._node(key)
            self.fresh.append(t)
        if self.exact_keys is None:
            self.edge_keys.append(key)  # type: ignore[arg-type]
        else:
            self.exact_targets.append(self.exact_keys[key])

    def outside(self, label: Any, t: Any) -> None:
        """A step out of the model: it counts for ENABLED only."""
        if self.derived:
            self._step_bits(label, t)

    def end(self) -> None:
        self.node_bits[self.explored] = self.bits
        self.explored += 1
        self.offsets.append(len(self.edge_bits))
        self.sets = []
        self.source = None
        fresh, self.fresh = self.fresh, []
        for t in fresh:
            self.node_bits.append(self._state_bits(t))

    def search(self, model: Any) -> None:
        """Record the graph by a breadth-first search of its own (after a recovered search)."""
        checker = self.checker
        key = checker.key
        constraint, action_constraint = checker.constraint, checker.action_constraint
        seen: set[Hashable] = set()
        queue: deque[Any] = deque()
        for s in model.init_states():
            if constraint is not None and not constraint(s):
                continue
            k = key(s)
            if k not in seen:
                seen.add(k)
                self.initial(k)
                queue.append(s)
        while queue:
            s = queue.popleft()
            self.begin(s)
            for label, t in model.next_steps(s):
                if (constraint is not None and not constraint(t)) or (
                    action_constraint is not None and not action_constraint(s, t)
                ):
                    self.outside(label, t)
                    continue
                k = key(t)
                new = k not in seen
                if new:
                    seen.add(k)
                    queue.append(t)
                self.step(label, t, k, new)
            self.end()

    def finish(self) -> Graph:
        """The graph, with node numbers for fingerprints, in fingerprint order."""
        checker = self.checker
        g = Graph(len(self.state_checks), len(self.step_checks))
        n = self.count
        if self.explored != n:
            raise ModelError(f"The behaviour graph is incomplete ({self.explored} of {n} states explored).")
        if self.exact_keys is not None:
            g.keys = list(self.exact_keys)
            g.offsets, g.targets = self.offsets, self.exact_targets
            g.edge_bits, g.node_bits, g.stutter_bits = self.edge_bits, self.node_bits, self.stutter_bits
            g.initial = sorted(set(self.initial_nodes))
            checker.graph = g
            return g
        import numpy as np

        keys = np.frombuffer(self.node_keys, dtype=np.uint64) if n else np.zeros(0, np.uint64)
        order = np.argsort(keys, kind="stable")  # new number -> old number
        rank = np.empty(n, dtype=np.int64)  # old number -> new number
        rank[order] = np.arange(n, dtype=np.int64)
        offsets = np.frombuffer(self.offsets, dtype=np.int64)
        degree = np.diff(offsets)
        edge_keys = np.frombuffer(self.edge_keys, dtype=np.uint64) if len(self.edge_keys) else np.zeros(0, np.uint64)
        sorted_keys = keys[order]
        targets = order[np.searchsorted(sorted_keys, edge_keys)] if len(edge_keys) else np.zeros(0, np.int64)
        sources = rank[np.repeat(np.arange(n, dtype=np.int64), degree)]
        new_targets = rank[targets]
        # By source, then by target; equal targets keep the model's order (np.lexsort is stable).
        edge_order = np.lexsort((new_targets, sources))
        edge_bits, node_bits, stutter = _np_bits(self.edge_bits), _np_bits(self.node_bits), _np_bits(self.stutter_bits)
        new_offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(degree[order], out=new_offsets[1:])
        g.keys = array("Q", sorted_keys.tobytes())
        g.offsets = array("q", new_offsets.tobytes())
        g.targets = array("i", new_targets[edge_order].astype(np.int32).tobytes())
        g.edge_bits = _like(g.edge_bits, edge_bits[edge_order])
        g.node_bits = _like(g.node_bits, node_bits[order])
        g.stutter_bits = _like(g.stutter_bits, stutter[order])
        g.initial = sorted({int(rank[i]) for i in self.initial_nodes})
        # The recording's arrays are no longer needed.
        self.node_keys = self.edge_keys = array("Q")
        self.edge_bits, self.node_bits = _like(self.edge_bits), _like(self.node_bits)
        self.stutter_bits = _like(self.stutter_bits)
        return g


def _product(g: Graph, tab: Tableau, width: int) -> tuple[Graph, array[int], array[int]]:
    """The part of the product of ``g`` with ``tab`` reachable from its initial nodes (an
    initial state with an initial tableau node whose literals it satisfies): a graph whose
    nodes are (state, tableau node) pairs, numbered in breadth-first order, with the
    state's bits and, from bit ``width`` on, the promises its tableau node keeps; each
    edge is a step of the state (its stuttering step included, as an edge) with a
    successor of the tableau node. Also each product node's state and each product
    edge's step in ``g`` (its index in ``g.targets``, -1 for stuttering)."""
    p = Graph(0, 0)
    p.implicit_stutter = False
    p.node_bits = _bits_array(width + len(tab.promises))
    p.edge_bits = _like(g.edge_bits)
    p.stutter_bits = _like(g.stutter_bits)
    states = array("i")
    edges = array("q")
    tabs = array("i")
    width_k = len(tab)
    number: dict[int, int] = {}  # n * len(tab) + k -> product node
    node_bits, offsets, targets, edge_bits = g.node_bits, g.offsets, g.targets, g.edge_bits
    need_set, need_clear, keeps, successors = tab.need_set, tab.need_clear, tab.keeps, tab.successors

    def fits(n: int, k: int) -> bool:
        b = node_bits[n]
        return b & need_set[k] == need_set[k] and not b & need_clear[k]

    def node(n: int, k: int) -> int:
        key = n * width_k + k
        pid = number.get(key)
        if pid is None:
            pid = number[key] = len(states)
            states.append(n)
            tabs.append(k)
            p.node_bits.append(node_bits[n] | keeps[k] << width)
            p.stutter_bits.append(0)
        return pid

    for n in g.initial:
        for k in tab.initial:
            if fits(n, k):
                p.initial.append(node(n, k))
    done = 0
    while done < len(states):
        n, k = states[done], tabs[done]
        done += 1
        for k2 in successors[k]:
            if fits(n, k2):
                p.targets.append(node(n, k2))
                p.edge_bits.append(g.stutter_bits[n])
                edges.append(-1)
            for i in range(offsets[n], offsets[n + 1]):
                m = targets[i]
                if fits(m, k2):
                    p.targets.append(node(m, k2))
                    p.edge_bits.append(edge_bits[i])
                    edges.append(i)
        p.offsets.append(len(p.targets))
    p.keys = array("Q", bytes(8 * len(states)))
    return p, states, edges


class _Checks:
    """The predicates the graph records, each with its bit."""

    def __init__(self) -> None:
        self.state: list[Callable[[Any], bool]] = []
        self.step: list[Callable[[Any, Any, Any], bool]] = []

    def state_bit(self, p: Callable[[Any], bool]) -> int:
        self.state.append(p)
        return len(self.state) - 1

    def step_bit(self, a: Callable[[Any, Any, Any], bool]) -> int:
        self.step.append(a)
        return len(self.step) - 1


class _Property:
    """A ``Temporal`` with its predicates replaced by bits."""

    def __init__(self, name: str, t: Temporal, checks: _Checks) -> None:
        self.name = name
        self.form = t.form
        self.from_init = t.from_init
        self.trigger = -1 if t.trigger is None else checks.state_bit(t.trigger)
        self.region = -1 if t.region is None else checks.state_bit(t.region)
        self.step_ok = -1 if t.step_ok is None else checks.step_bit(t.step_ok)
        self.recur_states = [checks.state_bit(p) for p in t.recur_states]
        self.recur_steps = [checks.step_bit(a) for a in t.recur_steps]
        self.tableau: Tableau | None = None
        if t.tableau is not None:
            try:
                self.tableau = Tableau(encode(t.tableau, checks.state_bit))
            except TableauTooLarge:
                raise ModelError(
                    f"The property {name} is too complex: its tableau has more than "
                    f"{MAX_NODES:,} nodes (split it into simpler properties)."
                ) from None

    def in_product(self, promise_bits: list[int]) -> _Property:
        """This property as searched on the product with its tableau: a tail anywhere
        (the tableau says where it may start) that also keeps every promise."""
        p = copy.copy(self)
        p.trigger, p.from_init, p.tableau = -1, False, None
        p.recur_states = self.recur_states + promise_bits
        return p


class _Fair:
    def __init__(self, f: Fairness, checks: _Checks, whole_model: bool) -> None:
        self.kind = f.kind
        self.name = f.name
        self.successors = f.successors
        self.taken_pred = f.taken
        self.enabled_pred = f.enabled
        if whole_model and f.own_taken is not None:
            # The model's Next itself: its own steps are A steps; ENABLED is derived from them.
            self.successors = self.enabled_pred = None
            self.taken_pred = f.own_taken
            self.taken = checks.step_bit(f.own_taken)
            self.enabled = checks.state_bit(_nowhere)
            self.derived = True
            return
        # With ``successors`` the taken bits are set from that set, not by the predicate.
        self.taken = checks.step_bit(_never if f.successors is not None else f.taken)
        if f.successors is not None:
            self.enabled = checks.state_bit(_nowhere)  # set from the successors while recording
            self.derived = False
        elif f.enabled is not None:
            self.enabled = checks.state_bit(f.enabled)
            self.derived = False
        else:
            # Enabled iff one of the node's own steps is a taken step: set while recording.
            self.enabled = checks.state_bit(_nowhere)
            self.derived = True


class LivenessChecker:
    def __init__(
        self,
        model: Any,
        options: CheckOptions,
        properties: dict[str, Temporal],
        fairness: list[Fairness],
        whole_model: bool = False,
    ) -> None:
        """``whole_model``: the search records every step of every reachable state (not one
        behaviour, as simulation's), so a fairness of the model's own Next may use them."""
        self.model = model
        self.options = options
        self.checks = _Checks()
        self.fair = [_Fair(f, self.checks, whole_model) for f in fairness]
        self.properties = [_Property(name, t, self.checks) for name, t in properties.items()]
        self.constraint = getattr(model, "constraint", None)
        self.action_constraint = getattr(model, "action_constraint", None)
        exact = options.exact
        if exact is None:
            exact = bool(getattr(model, "exact_states", False))
        self.exact = exact
        self.canon = _canonicaliser(model, options)
        self.fingerprinter = Fingerprinter()
        self.graph = Graph(len(self.checks.state), len(self.checks.step))
        self.recorder: Recorder | None = None

    def key(self, state: Any) -> Hashable:
        """What the safety search stores for ``state`` (the same in every process)."""
        k = self.canon(state)
        return k if self.exact else self.fingerprinter(k)

    # -- the search ------------------------------------------------------------

    def run(self) -> Violation | None:
        if self.recorder is None:
            # No search recorded the graph (a client with a model of its own, such as a
            # simulated behaviour): record it with a search of its own.
            self.recorder = Recorder(self)
            self.recorder.search(self.model)
            self.graph = self.recorder.finish()
        for prop in self.properties:
            found = self.search(prop)
            if found is not None:
                return self.violation(prop, *found)
        return None

    def search(self, prop: _Property) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
        """A bad fair component's lasso: the prefix and the cycle, each as (product node,
        edge) pairs (the edge taken into the node: an index among its predecessor's
        successors, -1 for an initial node, -2 for a stuttering step)."""
        if prop.tableau is not None:
            return self.search_product(prop, prop.tableau)
        tail = _Tail(self.graph, prop)
        for component in tail.components(tail.roots()):
            bad = self.fair_part(tail, component)
            if bad is not None:
                return self.lasso(_Product(self.graph, prop), prop, bad)
        return None

    def search_product(
        self, prop: _Property, tab: Tableau
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
        """As ``search``, on the product of the behaviour graph with the property's tableau;
        the lasso is given back in the behaviour graph's terms."""
        g = self.graph
        width = len(self.checks.state)
        product, states, edges = _product(g, tab, width)
        inner = prop.in_product([width + i for i in range(len(tab.promises))])
        tail = _Tail(product, inner)
        for component in tail.components(tail.roots()):
            bad = self.fair_part(tail, component)
            if bad is None:
                continue
            prefix, cycle = self.lasso(_Product(product, inner), inner, bad)
            # Back to the behaviour graph: product node -> state, product edge -> its step.
            out: list[list[tuple[int, int]]] = []
            previous = -1
            for part in (prefix, cycle):
                steps: list[tuple[int, int]] = []
                for p, e in part:
                    pid = p >> 1
                    node = states[pid]
                    if e < 0:
                        steps.append((2 * node, e))
                    else:
                        i = edges[product.offsets[previous] + e]
                        steps.append((2 * node, -2 if i < 0 else i - g.offsets[states[previous]]))
                    previous = pid
                out.append(steps)
            return out[0], out[1]
        return None

    def fair_part(self, tail: _Tail, component: list[int]) -> list[int] | None:
        """``component`` (or a part of it) if it holds a fair cycle meeting the property's
        requirements; None if it holds none."""
        g = tail.g
        node_bits, offsets, targets, edge_bits = g.node_bits, g.offsets, g.targets, g.edge_bits
        ok, stutter_ok, stutter_bits = tail.ok, tail.stutter_ok, g.stutter_bits
        inside = set(component) if len(component) > 1 else None
        node_or = 0
        node_and = ~0
        step_bits = 0
        has_cycle = False
        for n in component:
            b = node_bits[n]
            node_or |= b
            node_and &= b
            if stutter_ok[n]:
                has_cycle = True
                step_bits |= stutter_bits[n]
            if inside is not None:
                for i in range(offsets[n], offsets[n + 1]):
                    if ok[i] and targets[i] in inside:
                        has_cycle = True
                        step_bits |= edge_bits[i]
            else:
                for i in range(offsets[n], offsets[n + 1]):
                    if ok[i] and targets[i] == n:
                        has_cycle = True
                        step_bits |= edge_bits[i]
        if not has_cycle:
            return None
        prop = tail.prop
        if any(not node_or >> b & 1 for b in prop.recur_states):
            return None
        if any(not step_bits >> b & 1 for b in prop.recur_steps):
            return None
        prune = 0
        for f in self.fair:
            if step_bits >> f.taken & 1:
                continue
            if f.kind == "WF":
                if node_and >> f.enabled & 1:
                    return None  # enabled throughout, never taken: no fair cycle in here
            elif node_or >> f.enabled & 1:
                prune |= 1 << f.enabled  # SF enabled somewhere, never taken: drop those states
        if not prune:
            return component
        rest = [n for n in component if not node_bits[n] & prune]
        for part in tail.components(rest, set(rest)):
            bad = self.fair_part(tail, part)
            if bad is not None:
                return bad
        return None

    # -- the lasso -----------------------------------------------------------------

    def lasso(
        self, product: _Product, prop: _Property, component: list[int]
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        g = product.g
        inside = {2 * n + 1 for n in component}
        # The cycle starts where a shortest prefix first enters the component, as TLC's
        # lassos do (its "Back to state k" goes to the first state of the component it
        # reaches).
        prefix = product.shortest_prefix(inside)
        root = prefix[-1][0]
        # One requirement per recurrence and per fairness condition, each met by a state or
        # a step to pass through: (state check or None, step check or None). A state check
        # ``-1 - b`` must be false. WF is met where its action is disabled or taken (TLC's
        # []<>(~ENABLED <<A>>_v \/ <<A>>_v)); SF where it is taken, if ever enabled here.
        needs: list[Need] = [(b, None) for b in prop.recur_states]
        needs += [(None, b) for b in prop.recur_steps]
        for f in self.fair:
            enabled_somewhere = any(g.node_bits[n] >> f.enabled & 1 for n in component)
            disabled_somewhere = any(not g.node_bits[n] >> f.enabled & 1 for n in component)
            if f.kind == "WF":
                needs.append((-1 - f.enabled if disabled_somewhere else None, f.taken))
            elif enabled_somewhere:
                needs.append((None, f.taken))

        def state_meets(p: int, need: Need) -> bool:
            b = need[0]
            if b is None:
                return False
            bits = g.node_bits[p >> 1]
            return not bits >> (-1 - b) & 1 if b < 0 else bool(bits >> b & 1)

        def step_meets(bits: int, need: Need) -> bool:
            return need[1] is not None and bool(bits >> need[1] & 1)

        cycle: list[tuple[int, int]] = []
        current = root
        while True:
            needs = [x for x in needs if not state_meets(current, x)]
            if not needs:
                break
            path = product.path_inside(current, inside, _any_state(state_meets, needs), _any_step(step_meets, needs))
            assert path, "a fair component meets every requirement"
            for p, e, bits in path:
                cycle.append((p, e))
                needs = [x for x in needs if not step_meets(bits, x) and not state_meets(p, x)]
            current = path[-1][0]
        if current != root:
            back = product.path_inside(current, inside, lambda p: p == root, None)
            cycle.extend((p, e) for p, e, _ in back)
        return prefix, cycle

    def violation(
        self, prop: _Property, prefix: list[tuple[int, int]], cycle: list[tuple[int, int]]
    ) -> Violation:
        """The lasso as a trace, replayed through ``next_steps`` for labels and states.

        Stuttering steps print nothing, and neither does a step to an equal state (TLC
        drops repeated fingerprints); a cycle that prints no state is ``Stuttering``."""
        record = self.model.as_record
        steps: list[Step] = []
        state: Any = None
        node = -1
        for p, edge in prefix:
            if edge == -1:
                node = p >> 1
                state = self._initial_state(node)
                steps.append(Step(None, state, record(state)))
            elif edge >= 0:
                label, t = self._replay(state, node, edge)
                node = p >> 1
                if t != state:
                    state = t
                    steps.append(Step(label, state, record(state)))
        loop_index = len(steps) - 1
        loop_label: Any = None
        printed = 0
        # The step back to the cycle's first state: its last step (stuttering steps after
        # it, in a product with a tableau, change only the tableau's node).
        last = max((i for i, (_, edge) in enumerate(cycle) if edge >= 0), default=-1)
        for i, (p, edge) in enumerate(cycle):
            if edge < 0:
                continue
            label, t = self._replay(state, node, edge)
            node = p >> 1
            if i == last and printed:
                loop_label = label  # the step back to the cycle's first state
                break
            if t != state:
                state = t
                steps.append(Step(label, state, record(state)))
                printed += 1
        if loop_label is None:
            del steps[loop_index + 1 :]  # only stuttering (or steps to equal states) remained
        trace = Trace(tuple(self.model.variables), tuple(steps), loop=loop_index, loop_label=loop_label)
        return Violation("temporal", prop.name, trace)

    def _steps(self, state: Any) -> Iterator[tuple[Any, Any]]:
        """The state's steps inside the model, in the model's order."""
        for label, t in self.model.next_steps(state):
            if self.constraint is not None and not self.constraint(t):
                continue
            if self.action_constraint is not None and not self.action_constraint(state, t):
                continue
            yield label, t

    def _initial_state(self, node: int) -> Any:
        want = self.graph.keys[node]
        for s in self.model.init_states():
            if self.key(s) == want:
                return s
        raise self._changed()

    def _replay(self, state: Any, node: int, edge: int) -> tuple[Any, Any]:
        """The step of ``state`` (the graph's ``node``) along its ``edge``-th recorded
        successor: its label and state. Several steps may lead to the same key (other
        labels; under symmetry, other states of the same class): of those with the edge's
        step bits, the first by label, then by value, so that the trace does not depend on
        the model's order of successors."""
        g = self.graph
        want = g.keys[g.targets[g.offsets[node] + edge]]
        found = [(label, t) for label, t in self._steps(state) if self.key(t) == want]
        if not found:
            raise self._changed()
        if len(found) > 1:
            bits = g.edge_bits[g.offsets[node] + edge]
            assert self.recorder is not None
            same = [x for x, b in zip(found, self.recorder.bits_of(state, found)) if b == bits]
            record = self.model.as_record
            found = sorted(same or found, key=lambda x: (str(x[0]), value_key(tuple(sorted(record(x[1]).items())))))
        return found[0]

    def _changed(self) -> ModelError:
        return ModelError(
            "Cannot rebuild the liveness counterexample: a state's successors changed between two "
            "calls of next_steps. The model must be deterministic (the same state, the same steps)."
        )


def _never(s: Any, label: Any, t: Any) -> bool:
    return False


def _nowhere(s: Any) -> bool:
    return False


Need = tuple[int | None, int | None]


def _any_state(meets: Callable[[int, Need], bool], needs: list[Need]) -> Callable[[int], bool]:
    wanted = tuple(needs)
    return lambda p: any(meets(p, x) for x in wanted)


def _any_step(meets: Callable[[int, Need], bool], needs: list[Need]) -> Callable[[int], bool]:
    wanted = tuple(needs)
    return lambda bits: any(meets(bits, x) for x in wanted)


def _canonicaliser(model: Any, options: CheckOptions) -> Callable[[Any], Hashable]:
    """The key a state is stored under, as in the safety search (symmetry, VIEW)."""
    has_symmetry = getattr(model, "has_symmetry", None)
    if has_symmetry is None:
        has_symmetry = _overridden(model, "symmetry") is not None
    if options.symmetry and has_symmetry:
        sym: Callable[[Any], Hashable] = model.symmetry
        return sym
    if getattr(model, "has_view", False):
        view: Callable[[Any], Hashable] = model.view
        return view
    return lambda s: s


def _bit_mask(bits: np.ndarray[Any, Any], bit: int) -> np.ndarray[Any, Any]:
    import numpy as np

    mask: np.ndarray[Any, Any] = ((bits >> np.asarray(bit, dtype=bits.dtype)) & np.asarray(1, dtype=bits.dtype)) != 0
    return mask


class _Tail:
    """The subgraph a property's bad tail lives in: the region's states and the steps the
    property allows between them (the stuttering step included)."""

    def __init__(self, graph: Graph, prop: _Property) -> None:
        import numpy as np

        self.g = graph
        self.prop = prop
        n = len(graph)
        node_bits = _np_bits(graph.node_bits)
        in_tail = _bit_mask(node_bits, prop.region) if prop.region >= 0 else np.ones(n, dtype=bool)
        targets = np.frombuffer(graph.targets, dtype=np.int32) if len(graph.targets) else np.zeros(0, np.int32)
        edge_bits = _np_bits(graph.edge_bits)
        offsets = np.frombuffer(graph.offsets, dtype=np.int64)
        sources = np.repeat(np.arange(n), np.diff(offsets))
        ok = in_tail[sources] & in_tail[targets]
        stutter_ok = in_tail.copy() if graph.implicit_stutter else np.zeros(n, dtype=bool)
        if prop.step_ok >= 0:
            ok &= _bit_mask(edge_bits, prop.step_ok)
            stutter = _np_bits(graph.stutter_bits)
            stutter_ok &= _bit_mask(stutter, prop.step_ok)
        self.in_tail = in_tail.astype(np.uint8).tobytes()
        self.ok = ok.astype(np.uint8).tobytes()
        self.stutter_ok = stutter_ok.astype(np.uint8).tobytes()
        if prop.trigger >= 0:
            self.starts = (in_tail & _bit_mask(node_bits, prop.trigger)).astype(np.uint8).tobytes()
        else:
            self.starts = self.in_tail

    def roots(self) -> list[int]:
        """Where a tail may start, initial states first."""
        g = self.g
        starts = self.starts
        initial = [n for n in g.initial if starts[n]]
        if self.prop.from_init and self.prop.form == IF_EVENTUALLY:
            # TLC's tableau for IF C THEN <>P ELSE <>Q starts in a node of its own (where C
            # is read), whose successors are the initial state's successors (its stuttering
            # step last, as TLC's depth-first search takes it): the search enters the cycle
            # after the first step when it can (TLC 2.20 on corpus LiveIf).
            offsets, targets, ok = g.offsets, g.targets, self.ok
            out: list[int] = []
            for n in initial:
                out.extend(targets[i] for i in range(offsets[n], offsets[n + 1]) if ok[i])
                out.append(n)
            return out
        if self.prop.from_init:
            return initial
        return initial + [n for n in range(len(g)) if starts[n]]

    def components(self, roots: Iterable[int], allowed: set[int] | None = None) -> Iterator[list[int]]:
        """Strongly connected components of the tail's subgraph reachable from ``roots`` (or
        of its part ``allowed``), in the order Tarjan's algorithm completes them; each lists
        its nodes in the order the search first visited them."""
        g = self.g
        offsets, targets, ok, in_tail = g.offsets, g.targets, self.ok, self.in_tail
        n = len(g)
        index = array("i", [-1]) * n
        low = array("i", [0]) * n
        on_stack = bytearray(n)
        stack: list[int] = []
        counter = 0
        for root in roots:
            if index[root] >= 0 or not in_tail[root] or (allowed is not None and root not in allowed):
                continue
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack[root] = 1
            work_node = [root]
            work_edge = [offsets[root]]
            while work_node:
                v = work_node[-1]
                i = work_edge[-1]
                end = offsets[v + 1]
                descend = -1
                while i < end:
                    if ok[i]:
                        w = targets[i]
                        if allowed is None or w in allowed:
                            if index[w] < 0:
                                descend = w
                                i += 1
                                break
                            if on_stack[w] and index[w] < low[v]:
                                low[v] = index[w]
                    i += 1
                if descend >= 0:
                    work_edge[-1] = i
                    w = descend
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work_node.append(w)
                    work_edge.append(offsets[w])
                    continue
                work_node.pop()
                work_edge.pop()
                if work_node:
                    u = work_node[-1]
                    if low[v] < low[u]:
                        low[u] = low[v]
                if low[v] == index[v]:
                    component: list[int] = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = 0
                        component.append(w)
                        if w == v:
                            break
                    component.reverse()
                    yield component


class _Product:
    """The behaviour graph with a property's phases, for the lasso's paths.

    Product nodes are ``2 * node + phase``: phase 1 is the tail (inside the region, through
    allowed steps), phase 0 the prefix before the trigger (for properties with a trigger
    anywhere, such as ``P ~> Q``).
    """

    def __init__(self, graph: Graph, prop: _Property) -> None:
        self.g = graph
        self.prop = prop

    def in_tail(self, n: int) -> bool:
        r = self.prop.region
        return r < 0 or bool(self.g.node_bits[n] >> r & 1)

    def starts_tail(self, n: int) -> bool:
        t = self.prop.trigger
        return self.in_tail(n) and (t < 0 or bool(self.g.node_bits[n] >> t & 1))

    def step_allowed(self, bits: int) -> bool:
        ok = self.prop.step_ok
        return ok < 0 or bool(bits >> ok & 1)

    def edges(self, p: int) -> Iterator[tuple[int, int, int]]:
        """(product node, step bits, edge index; -2 for stuttering, -3 for the stuttering
        step into the tail) of each successor."""
        g = self.g
        n, phase = p >> 1, p & 1
        stutter = g.stutter_bits[n]
        base = g.offsets[n]
        if phase == 1:
            if not self.in_tail(n):
                return  # outside the region: no tail passes here
            if g.implicit_stutter and self.step_allowed(stutter):
                yield p, stutter, -2
            for i in g.successors(n):
                m = g.targets[i]
                bits = g.edge_bits[i]
                if self.in_tail(m) and self.step_allowed(bits):
                    yield 2 * m + 1, bits, i - base
            return
        if g.implicit_stutter:
            yield p, stutter, -2
        if self.starts_tail(n):
            yield p | 1, stutter, -3  # the tail starts here: a stuttering step into phase 1
        for i in g.successors(n):
            m = g.targets[i]
            bits = g.edge_bits[i]
            yield 2 * m, bits, i - base
            if self.starts_tail(m):
                yield 2 * m + 1, bits, i - base

    def shortest_prefix(self, targets: set[int]) -> list[tuple[int, int]]:
        """A shortest path from an initial node to one of ``targets`` (nodes of the tail)
        that enters the tail at a trigger state (at the start, for ``<>P``), as (product
        node, edge) pairs; the first edge is -1. Ties are broken by node order."""
        g = self.g
        prop = self.prop
        if prop.from_init:
            starts = [2 * n + 1 for n in g.initial if self.starts_tail(n)]
        elif prop.trigger >= 0:
            starts = [2 * n for n in g.initial]
        else:
            starts = [2 * n for n in g.initial]
            targets = {t & ~1 for t in targets}  # any path reaches the tail: search the plain graph
        parent: dict[int, tuple[int, int]] = {p: (-1, -1) for p in starts}
        queue = deque(starts)
        target = -1
        while queue:
            p = queue.popleft()
            if p in targets:
                target = p
                break
            if p & 1 == 0 and prop.trigger < 0 and not prop.from_init:
                n = p >> 1
                base = g.offsets[n]
                for i in g.successors(n):
                    q = 2 * g.targets[i]
                    if q not in parent:
                        parent[q] = (p, i - base)
                        queue.append(q)
                continue
            for q, _, e in self.edges(p):
                if q not in parent:
                    parent[q] = (p, e)
                    queue.append(q)
        assert target != -1, "the component is reachable from an initial node"
        path: list[tuple[int, int]] = []
        p = target
        while p != -1:
            prev, e = parent[p]
            path.append((p | 1 if p == target else p, e))
            p = prev
        path.reverse()
        return path

    def path_inside(
        self,
        start: int,
        inside: set[int],
        goal_state: Callable[[int], bool],
        goal_step: Callable[[int], bool] | None,
    ) -> list[tuple[int, int, int]]:
        """A shortest path inside ``inside`` from ``start`` to a node meeting ``goal_state``
        or through a step meeting ``goal_step``: (node, edge, step bits) per step, the start
        excluded. The start itself counts as a goal only when reached again (a cycle)."""
        parent: dict[int, tuple[int, int, int]] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            p = queue.popleft()
            for q, bits, e in self.edges(p):
                if q not in inside or e == -3:
                    continue
                if (goal_step is not None and goal_step(bits)) or goal_state(q):
                    path = [(q, e, bits)]
                    while p != start:
                        prev, pe, pbits = parent[p]
                        path.append((p, pe, pbits))
                        p = prev
                    path.reverse()
                    return path
                if q not in seen:
                    seen.add(q)
                    parent[q] = (p, e, bits)
                    queue.append(q)
        return []

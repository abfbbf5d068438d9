"""Liveness: temporal properties checked on the recorded behaviour graph, with lasso traces.

``check(model, options)`` is the engine's entry point: the safety search of
``checker.engine.bfs`` first (counts, invariants, deadlock: TLC's figures), then, when the
model has liveness properties (``model.liveness``) and no safety error was found, this
module's own search:

1. **Record the graph.** A breadth-first exploration over the Model API (so node numbers
   follow BFS order and each node's BFS parent gives the shortest path to it). Edges are
   kept compactly: one ``array('q')`` of offsets per node, one ``array('i')`` of targets and
   one ``array`` of check bits per edge (4-6 bytes an edge), never Python objects per edge.
   While a node's successors are in hand, every predicate the properties need is evaluated
   once: state checks (``ENABLED``, ``P``) as a bit mask per node, step checks (``<<A>>_v``)
   as a bit mask per edge. Every node also has its stuttering step (TLA+ behaviours may
   stutter), whose step bits are kept per node.
2. **Search for a fair bad cycle** per property (Manna-Pnueli's tableau, specialised to the
   forms tlacheck supports; see ``checker.model.Temporal``): the negation of a property is
   a tail that starts at a *trigger* state, stays in a *region* through allowed steps, and
   visits some states or steps infinitely often. ``P ~> Q`` needs the trigger, so the
   search runs on a product with two phases (before and in the tail). Strongly connected
   components are found with Tarjan's algorithm in depth-first order from the initial
   states, as TLC does, and the first bad one found is reported. A component is *fair* when
   every weak fairness condition has a step of its action inside or a state where it is
   disabled (a linear check), and every strong fairness condition has a step inside or no
   state where it is enabled; when a strongly fair action is enabled in the component but
   never taken, the states where it is enabled are removed and the components of the rest
   are examined again (no case split into 2^k fairness cases).
3. **The lasso.** The shortest path from an initial state to the component's first
   visited state (the prefix), then a cycle inside the component through one state or step
   for each requirement (each a shortest path), and back. Printed as TLC does: the states,
   then ``Back to state k: <Action>`` or ``State n: Stuttering``.

Known departures from TLC: TLC orders successors by fingerprint, so where several bad
components exist the one reported (and the lasso's length) can differ; the verdict cannot.
"""

from __future__ import annotations

import time
from array import array
from collections import deque
from collections.abc import Callable, Collection, Hashable, Iterator
from typing import Any

from checker.engine.bfs import check as check_safety
from checker.engine.result import CheckOptions, CheckResult, Stats, Step, Trace, Violation
from checker.errors import ModelError
from checker.model import Fairness, Temporal
from checker.values import value_key

# Bits per node and per edge are held in arrays of unsigned 64-bit integers.
_MAX_CHECKS = 64


def check(model: Any, options: CheckOptions | None = None) -> CheckResult:
    """The safety search, then the liveness search when the model has liveness properties."""
    options = options or CheckOptions()
    initial = _check_initial(model)
    if initial is not None:
        return initial
    result = check_safety(model, options)
    properties = dict(getattr(model, "liveness", {}) or {})
    if not properties or result.violations or not result.complete:
        return _postcondition(model, result)
    if options.max_depth is not None:
        raise ModelError(
            "Liveness properties need the whole state graph: --max-depth cannot be used with them "
            "(drop --max-depth, or check the properties with --skip-liveness)."
        )
    start = time.monotonic()
    checker = LivenessChecker(model, options, properties, list(getattr(model, "fairness", ()) or ()))
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


def _bits_type(n: int) -> str:
    """The smallest array type code holding ``n`` bits."""
    return "B" if n <= 8 else "H" if n <= 16 else "I" if n <= 32 else "Q"


class Graph:
    """The behaviour graph: nodes in BFS order, successors in ``Next``'s order."""

    def __init__(self, state_checks: int = 64, step_checks: int = 64) -> None:
        self.states: list[Any] = []  # the first state found of each node (TLC keeps the same)
        self.parent = array("i")  # BFS parent (-1 for initial nodes)
        self.parent_edge = array("i")  # the edge's index among the parent's successors
        self.offsets = array("q", [0])  # successors of node n: targets[offsets[n]:offsets[n+1]]
        self.targets = array("i")
        self.edge_bits = array(_bits_type(step_checks))  # step checks per edge
        self.node_bits = array(_bits_type(state_checks))  # state checks per node
        self.stutter_bits = array(_bits_type(step_checks))  # step checks of the node's stuttering step
        self.initial: list[int] = []

    def successors(self, n: int) -> range:
        return range(self.offsets[n], self.offsets[n + 1])

    def edge_count(self) -> int:
        return len(self.targets)

    def nbytes(self) -> int:
        """Bytes held by the arrays for edges and nodes (the states themselves excluded)."""
        arrays = (self.parent, self.parent_edge, self.offsets, self.targets)
        bits = (self.edge_bits, self.node_bits, self.stutter_bits)
        return sum(a.itemsize * len(a) for a in arrays + bits)


class _Checks:
    """The predicates the graph records, each with its bit."""

    def __init__(self) -> None:
        self.state: list[Callable[[Any], bool]] = []
        self.step: list[Callable[[Any, Any, Any], bool]] = []
        self.derived: list[Callable[[Any], bool]] = []  # label tests: enabled from the steps

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


class _Fair:
    def __init__(self, f: Fairness, checks: _Checks) -> None:
        self.kind = f.kind
        self.name = f.name
        self.successors = f.successors
        self.taken_pred = f.taken
        self.enabled_pred = f.enabled
        # With ``successors`` the taken bits are set from that set, not by the predicate.
        self.taken = checks.step_bit(_never if f.successors is not None else f.taken)
        if f.successors is not None:
            self.enabled = checks.state_bit(_nowhere)  # set from the successors while exploring
            self.derived = False
        elif f.enabled is not None:
            self.enabled = checks.state_bit(f.enabled)
            self.derived = False
        else:
            # Enabled iff one of the node's own steps is a taken step: set while exploring.
            self.enabled = checks.state_bit(lambda s: False)
            self.derived = True


class LivenessChecker:
    def __init__(
        self, model: Any, options: CheckOptions, properties: dict[str, Temporal], fairness: list[Fairness]
    ) -> None:
        self.model = model
        self.options = options
        self.checks = _Checks()
        self.fair = [_Fair(f, self.checks) for f in fairness]
        self.properties = [_Property(name, t, self.checks) for name, t in properties.items()]
        if len(self.checks.state) > _MAX_CHECKS or len(self.checks.step) > _MAX_CHECKS:
            raise ModelError(
                f"Too many liveness checks ({len(self.checks.state)} state, {len(self.checks.step)} "
                f"step predicates; at most {_MAX_CHECKS} each): split the properties across runs."
            )
        self.canon = _canonicaliser(model, options)
        self.constraint = getattr(model, "constraint", None)
        self.action_constraint = getattr(model, "action_constraint", None)
        self.graph = Graph(len(self.checks.state), len(self.checks.step))

    # -- 1. the graph -----------------------------------------------------------

    def explore(self) -> None:
        g = self.graph
        key = self.canon
        index: dict[Hashable, int] = {}
        record = self.model.as_record
        initial = sorted(self.model.init_states(), key=lambda s: value_key(tuple(sorted(record(s).items()))))
        for s in initial:
            if self.constraint is not None and not self.constraint(s):
                continue
            k = key(s)
            if k in index:
                continue
            index[k] = len(g.states)
            g.states.append(s)
            g.parent.append(-1)
            g.parent_edge.append(-1)
            g.initial.append(index[k])
        state_checks = self.checks.state
        step_checks = self.checks.step
        derived = [(f.enabled, f.taken) for f in self.fair if f.derived]
        enumerated = [f for f in self.fair if f.successors is not None]
        n = 0
        while n < len(g.states):
            s = g.states[n]
            bits = 0
            for i, p in enumerate(state_checks):
                if p(s):
                    bits |= 1 << i
            stutter = 0
            for i, a in enumerate(step_checks):
                if a(s, None, s):
                    stutter |= 1 << i
            sets: list[tuple[int, Collection[Any] | None, Callable[[Any, Any, Any], bool] | None]] = []
            for f in enumerated:
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
            position = 0
            for label, t in self._ordered_steps(s):
                ebits = 0
                for i, a in enumerate(step_checks):
                    if a(s, label, t):
                        ebits |= 1 << i
                for taken_bit, found, pred in sets:
                    if found is not None:
                        if t in found:
                            ebits |= 1 << taken_bit
                    elif pred is not None and pred(s, label, t):
                        ebits |= 1 << taken_bit
                for enabled_bit, taken_bit in derived:
                    if ebits >> taken_bit & 1:
                        bits |= 1 << enabled_bit
                if self.constraint is not None and not self.constraint(t):
                    continue
                k = key(t)
                m = index.get(k)
                if m is None:
                    m = index[k] = len(g.states)
                    g.states.append(t)
                    g.parent.append(n)
                    g.parent_edge.append(position)
                g.targets.append(m)
                g.edge_bits.append(ebits)
                position += 1
            g.offsets.append(len(g.targets))
            g.node_bits.append(bits)
            g.stutter_bits.append(stutter)
            n += 1

    # -- 2. the search ------------------------------------------------------------

    def run(self) -> Violation | None:
        self.explore()
        for prop in self.properties:
            found = self.search(prop)
            if found is not None:
                return self.violation(prop, *found)
        return None

    def search(self, prop: _Property) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
        """A bad fair component's lasso: the prefix and the cycle, each as (node, edge) pairs
        (the edge taken into the node: an index among its predecessor's successors, -1 for
        an initial node, -2 for a stuttering step)."""
        product = _Product(self.graph, prop)
        for component in product.components():
            bad = self.fair_part(product, component)
            if bad is not None:
                return self.lasso(product, prop, bad)
        return None

    def fair_part(self, product: _Product, component: list[int]) -> list[int] | None:
        """``component`` (or a part of it) if it holds a fair cycle meeting ``prop``'s
        requirements; None if it holds none."""
        g = self.graph
        inside = set(component)
        node_bits = 0
        all_bits = ~0
        step_bits = 0
        has_cycle = False
        for p in component:
            b = g.node_bits[p >> 1]
            node_bits |= b
            all_bits &= b
            for q, bits in product.successors(p):
                if q in inside:
                    has_cycle = True
                    step_bits |= bits
        if not has_cycle:
            return None
        prop = product.prop
        if any(not node_bits >> b & 1 for b in prop.recur_states):
            return None
        if any(not step_bits >> b & 1 for b in prop.recur_steps):
            return None
        prune = 0
        for f in self.fair:
            if step_bits >> f.taken & 1:
                continue
            if f.kind == "WF":
                if all_bits >> f.enabled & 1:
                    return None  # enabled throughout, never taken: no fair cycle in here
            elif node_bits >> f.enabled & 1:
                prune |= 1 << f.enabled  # SF enabled somewhere, never taken: drop those states
        if not prune:
            return component
        rest = [p for p in component if not g.node_bits[p >> 1] & prune]
        for part in product.components(rest):
            bad = self.fair_part(product, part)
            if bad is not None:
                return bad
        return None

    # -- 3. the lasso --------------------------------------------------------------

    def lasso(
        self, product: _Product, prop: _Property, component: list[int]
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        g = self.graph
        root = component[0]
        prefix = product.shortest_prefix(root)
        inside = set(component)
        # One requirement per recurrence and per fairness condition: a state or a step
        # to pass through. A disabled state is preferred for WF (TLC's first case).
        need_states: list[int] = list(prop.recur_states)
        need_steps: list[int] = list(prop.recur_steps)
        for f in self.fair:
            enabled_somewhere = any(g.node_bits[p >> 1] >> f.enabled & 1 for p in component)
            disabled_somewhere = any(not g.node_bits[p >> 1] >> f.enabled & 1 for p in component)
            if f.kind == "WF" and disabled_somewhere:
                need_states.append(-1 - f.enabled)  # negative: the state check must be false
            elif f.kind == "SF" and not enabled_somewhere:
                continue
            else:
                need_steps.append(f.taken)
        cycle: list[tuple[int, int]] = []
        current = root

        def state_meets(p: int, need: int) -> bool:
            bits = g.node_bits[p >> 1]
            return not bits >> (-1 - need) & 1 if need < 0 else bool(bits >> need & 1)

        while True:
            need_states = [b for b in need_states if not state_meets(current, b)]
            if not need_states and not need_steps:
                break
            path = product.path_inside(
                current, inside, _meets_any(state_meets, need_states), _has_any_bit(need_steps)
            )
            assert path, "a fair component meets every requirement"
            for p, e, _ in path[:-1]:
                cycle.append((p, e))
                need_states = [b for b in need_states if not state_meets(p, b)]
            p, e, bits = path[-1]
            cycle.append((p, e))
            need_steps = [b for b in need_steps if not bits >> b & 1]
            current = p
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
        for node, edge in prefix:
            if edge == -1:
                state = self.graph.states[node >> 1]
                steps.append(Step(None, state, record(state)))
            elif edge >= 0:
                label, t = self._replay(state, edge)
                if t != state:
                    state = t
                    steps.append(Step(label, state, record(state)))
        loop_index = len(steps) - 1
        loop_label: Any = None
        printed = 0
        for i, (_, edge) in enumerate(cycle):
            if edge < 0:
                continue
            label, t = self._replay(state, edge)
            if i == len(cycle) - 1 and printed:
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

    def _ordered_steps(self, state: Any) -> list[tuple[Any, Any]]:
        """The state's steps (those the ACTION_CONSTRAINT allows) in a fixed order: by label,
        then by value. ``next_steps`` may enumerate a set in Python's hash order, which
        changes from run to run; the depth-first search, and so the lasso reported, must not."""
        steps = [
            (label, t)
            for label, t in self.model.next_steps(state)
            if self.action_constraint is None or self.action_constraint(state, t)
        ]
        texts = [str(label) for label, _ in steps]
        order = sorted(range(len(steps)), key=texts.__getitem__)
        if len(set(texts)) < len(texts):
            # Equal labels (one action, several bindings): order those by value.
            record = self.model.as_record
            out: list[int] = []
            i = 0
            while i < len(order):
                j = i + 1
                while j < len(order) and texts[order[j]] == texts[order[i]]:
                    j += 1
                group = order[i:j]
                if len(group) > 1:
                    group.sort(key=lambda k: value_key(tuple(sorted(record(steps[k][1]).items()))))
                out.extend(group)
                i = j
            order = out
        return [steps[i] for i in order]

    def _replay(self, state: Any, edge: int) -> tuple[Any, Any]:
        """The ``edge``-th recorded successor of ``state``: its label and state."""
        position = 0
        for label, t in self._ordered_steps(state):
            if self.constraint is not None and not self.constraint(t):
                continue
            if position == edge:
                return label, t
            position += 1
        raise ModelError(
            "Cannot rebuild the liveness counterexample: a state's successors changed between two "
            "calls of next_steps. The model must be deterministic (the same state, the same steps "
            "in the same order)."
        )


def _never(s: Any, label: Any, t: Any) -> bool:
    return False


def _nowhere(s: Any) -> bool:
    return False


def _meets_any(meets: Callable[[int, int], bool], needs: list[int]) -> Callable[[int], bool]:
    wanted = tuple(needs)
    return lambda p: any(meets(p, b) for b in wanted)


def _has_any_bit(needs: list[int]) -> Callable[[int], bool]:
    wanted = tuple(needs)
    return lambda bits: any(bits >> b & 1 for b in wanted)


def _canonicaliser(model: Any, options: CheckOptions) -> Callable[[Any], Hashable]:
    """The key a state is stored under, as in the safety search (symmetry, VIEW)."""
    if options.symmetry and getattr(model, "has_symmetry", False):
        sym: Callable[[Any], Hashable] = model.symmetry
        return sym
    if getattr(model, "has_view", False):
        view: Callable[[Any], Hashable] = model.view
        return view
    return lambda s: s


class _Product:
    """The behaviour graph restricted to a property's bad tails.

    Product nodes are ``2 * node + phase``: phase 1 is the tail (inside the region, through
    allowed steps), phase 0 the prefix before the trigger (only for properties with a
    trigger anywhere, such as ``P ~> Q``). Components are searched in phase 1 only.
    """

    def __init__(self, graph: Graph, prop: _Property) -> None:
        self.g = graph
        self.prop = prop
        self.two_phases = prop.trigger >= 0 and not prop.from_init

    def in_tail(self, n: int) -> bool:
        r = self.prop.region
        return r < 0 or bool(self.g.node_bits[n] >> r & 1)

    def starts_tail(self, n: int) -> bool:
        t = self.prop.trigger
        return self.in_tail(n) and (t < 0 or bool(self.g.node_bits[n] >> t & 1))

    def step_allowed(self, bits: int) -> bool:
        ok = self.prop.step_ok
        return ok < 0 or bool(bits >> ok & 1)

    def successors(self, p: int) -> Iterator[tuple[int, int]]:
        """(product node, step bits) of each successor; the stuttering step comes first."""
        for q, bits, _ in self.edges(p):
            yield q, bits

    def edges(self, p: int) -> Iterator[tuple[int, int, int]]:
        """(product node, step bits, edge index; -2 for stuttering) of each successor."""
        g = self.g
        n, phase = p >> 1, p & 1
        stutter = g.stutter_bits[n]
        base = g.offsets[n]
        if phase == 1:
            if not self.in_tail(n):
                return  # outside the region: no tail passes here
            if self.step_allowed(stutter):
                yield p, stutter, -2
            for i in g.successors(n):
                m = g.targets[i]
                bits = g.edge_bits[i] if g.edge_bits else 0
                if self.in_tail(m) and self.step_allowed(bits):
                    yield 2 * m + 1, bits, i - base
            return
        yield p, stutter, -2
        if self.starts_tail(n):
            yield p | 1, stutter, -3  # the tail starts here: a stuttering step into phase 1
        for i in g.successors(n):
            m = g.targets[i]
            bits = g.edge_bits[i] if g.edge_bits else 0
            yield 2 * m, bits, i - base
            if self.starts_tail(m):
                yield 2 * m + 1, bits, i - base

    def roots(self) -> list[int]:
        g = self.g
        if self.two_phases:
            return [2 * n for n in g.initial]
        if self.prop.from_init:
            return [2 * n + 1 for n in g.initial if self.starts_tail(n)]
        # Tails may start anywhere: every node of the region is a root, initial ones first.
        initial = [2 * n + 1 for n in g.initial if self.in_tail(n)]
        return initial + [2 * n + 1 for n in range(len(g.states)) if self.in_tail(n)]

    def components(self, within: list[int] | None = None) -> Iterator[list[int]]:
        """Strongly connected components (phase 1 only), in the order Tarjan's algorithm
        completes them; each lists its nodes in the order the search first visited them.
        ``within``: restrict to these nodes (roots in that order)."""
        allowed = None if within is None else set(within)
        roots = self.roots() if within is None else within
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        on_stack: set[int] = set()
        stack: list[int] = []
        counter = 0
        for root in roots:
            if root in index or (allowed is None and not self._valid_root(root)):
                continue
            work: list[tuple[int, Iterator[tuple[int, int]]]] = [(root, self.successors(root))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                p, it = work[-1]
                advanced = False
                for q, _ in it:
                    if allowed is not None and q not in allowed:
                        continue
                    if q not in index:
                        index[q] = low[q] = counter
                        counter += 1
                        stack.append(q)
                        on_stack.add(q)
                        work.append((q, self.successors(q)))
                        advanced = True
                        break
                    if q in on_stack and index[q] < low[p]:
                        low[p] = index[q]
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[p] < low[parent]:
                        low[parent] = low[p]
                if low[p] == index[p]:
                    component: list[int] = []
                    while True:
                        q = stack.pop()
                        on_stack.discard(q)
                        component.append(q)
                        if q == p:
                            break
                    if any(q & 1 for q in component):
                        component.reverse()
                        yield [q for q in component if q & 1]

    def _valid_root(self, p: int) -> bool:
        return True

    def shortest_prefix(self, target: int) -> list[tuple[int, int]]:
        """A shortest path from an initial product node to ``target`` (BFS; ties broken by
        successor order), as (product node, edge) pairs; the first edge is -1."""
        g = self.g
        if not self.two_phases and not self.prop.from_init:
            # Any path reaches the tail: the BFS tree of the exploration has the shortest.
            n = target >> 1
            path: list[tuple[int, int]] = []
            while n >= 0:
                path.append((2 * n + 1, g.parent_edge[n] if g.parent[n] >= 0 else -1))
                n = g.parent[n]
            path.reverse()
            return path
        starts = self.roots()
        parent: dict[int, tuple[int, int]] = {p: (-1, -1) for p in starts}
        queue = deque(starts)
        while queue:
            p = queue.popleft()
            if p == target:
                break
            for q, _, e in self.edges(p):
                if q not in parent:
                    parent[q] = (p, e)
                    queue.append(q)
        path = []
        p = target
        while p != -1:
            prev, e = parent[p]
            path.append((p, e))
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

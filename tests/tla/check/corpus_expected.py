"""What TLC 2.20 reports for each spec of corpus/ (one worker, the spec's own .cfg).

Every figure below was produced by running
``java -cp tla2tools.jar tlc2.TLC -workers 1 -config X.cfg X.tla`` in corpus/;
none was copied from tlacheck's output. On a violation TLC stops early, so only
the verdict and the trace length are pinned, not the partial counts.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class Expected:
    generated: int | None = None
    distinct: int | None = None
    depth: int | None = None
    exit_code: int = 0
    violation: str | None = None  # "Invariant Inv", "Action property P", "Deadlock", "Assumption", "Temporal"
    trace_length: int | None = None
    labels: tuple[str, ...] | None = None  # TLC's action names along the trace, after the initial state
    # Where TLC's trace depends on the fingerprint polynomial it draws at random each run
    # (its "-fp N", printed as "fp N"): the label sequences TLC gave over several -fp values.
    labels_any: tuple[tuple[str, ...], ...] | None = None
    # A liveness counterexample: TLC's "Back to state k" (k), or 0 for "State n: Stuttering";
    # trace_length counts the states TLC prints (prefix and cycle).
    loop: int | None = None
    warns: tuple[str, ...] = ()  # checked with --skip-liveness: names tlacheck must say it did not check
    # Where TLC's lasso depends on its fingerprint polynomial ("-fp N"): the (trace_length,
    # loop) pairs TLC printed over several -fp values; tlacheck's must be one of them.
    lassos_any: tuple[tuple[int, int], ...] | None = None


# TLC 2.20, every entry (workers 1).
CORPUS: dict[str, Expected] = {
    "ActionConstraint": Expected(13, 6, 6),
    # Conjuncts reached with every variable assigned are evaluated, not enumerated (212 before).
    "AllAssigned": Expected(18, 6, 1),
    "ActionLabels": Expected(
        exit_code=12,
        violation="Invariant NotBoth",
        trace_length=5,
        labels=("Move(p1, 1)", "Move(p2, 1)", "Move(p1, 2)", "Move(p2, 2)"),
    ),
    # TLC exits 13 for a violated action property; tlacheck's DESIGN §5 says 12 (a safety violation).
    "ActionProperty": Expected(exit_code=12, violation="Action property Grows", trace_length=5),
    "AssumeFail": Expected(exit_code=10, violation="Assumption"),
    "AssumeEvalError": Expected(exit_code=10, violation="Assumption"),
    "BagTokens": Expected(10, 6, 3),
    "Enabled": Expected(16, 12, 8),
    "ForallAction": Expected(162, 67, 3),
    "LazySets": Expected(13, 9, 5),
    "Overrides": Expected(8, 7, 7),
    # `Limit <- [ScopedCounter] MyLimit` and `Step = [ScopedCounter] 2`: TLC 2.20: 5 / 4 / depth 4.
    "ScopedOverride": Expected(5, 4, 4),
    # `Nat <- SmallNat` and `Seq <- BoundedSeq`: TLC 2.20: 62 / 41 / depth 3 (21 initial states).
    "StandardOverride": Expected(62, 41, 3),
    "LetRecFn": Expected(28, 17, 4),
    # Invariants checked once per class of states that differ by permuting p1, p2, p3.
    "ClassMemo": Expected(16732, 2197, 16),
    "ClassMemoViolation": Expected(
        exit_code=12,
        violation="Invariant Bounded",
        trace_length=5,
        labels=("Incr(p1)", "Incr(p1)", "Incr(p1)", "Send(p1, p2)"),
    ),
    # A conjunct of the invariant reads y only through definitions (incremental checking must see it).
    "Footprint": Expected(exit_code=12, violation="Invariant TypeOK", trace_length=3),
    "StateProperty": Expected(13, 9, 5),  # Eventually (<>P under WF and SF of each process) holds
    "StatePropertyFails": Expected(exit_code=12, violation="Invariant Small", trace_length=3),
    "EnabledStuck": Expected(
        exit_code=12,
        violation="Invariant Inv",
        trace_length=8,
        labels=("A", "A", "A", "B", "B", "D", "D"),
    ),
    "Cartesian": Expected(13, 6, 1),
    "CaseOther": Expected(8, 8, 8),
    "Choose": Expected(5, 5, 5),
    "Constraint": Expected(21, 10, 4),
    "Deadlock": Expected(4, 4, 4, exit_code=11, violation="Deadlock", trace_length=4),
    "ExceptPaths": Expected(341, 131, 9),
    "FnDefState": Expected(4, 4, 4),
    "FunctionDefs": Expected(187, 72, 9),
    "FunctionSets": Expected(20, 8, 1),
    "HigherOrder": Expected(6, 5, 5),
    "IfActions": Expected(9, 8, 8),
    "InstanceWith": Expected(5, 5, 5),
    # TLC 2.20: 0 states generated, 0 distinct, depth 0, exit 0 (the ASSUMEs checked).
    "ConstOnly": Expected(0, 0, 0),
    # SPECIFICATION Spec defined in an unnamed INSTANCE (as tlaplus/Examples' APDieHarder, 97/16/8 in TLC 2.20).
    "InstanceSpec": Expected(5, 4, 3),
    "ActionImplies": Expected(177, 16, 5),
    "IntArith": Expected(7, 7, 7),
    "InvariantViolation": Expected(exit_code=12, violation="Invariant Inv", trace_length=7),
    "Junctions": Expected(20, 8, 2),
    "LetRecursive": Expected(7, 7, 7),
    "LetRecursiveBound": Expected(9, 5, 5),
    "Misc": Expected(40, 12, 6),
    "ModelValues": Expected(7, 4, 2),
    "MultiInit": Expected(8, 4, 1),
    "NamedInstance": Expected(18, 12, 6),
    "Nested": Expected(65, 8, 3),
    "NoDeadlockCheck": Expected(4, 4, 4),
    "PrimedUse": Expected(7, 3, 2),
    "Quantifiers": Expected(17, 9, 5),
    "Records": Expected(124, 48, 5),
    "SeqQueue": Expected(61, 49, 7),
    "SetOps": Expected(36, 8, 1),
    "SpecConj": Expected(4, 2, 1),
    "Strings": Expected(9, 3, 1),
    "Substitution": Expected(4, 4, 4),
    "Symmetry": Expected(13, 4, 4),
    # TLC 2.20: 1,876 generated, 540 distinct, depth 37 (120 permutations: symmetry.PerAtom's
    # sorted rows while no server is the owner, the general canonicaliser while one is).
    "SymmetryRows": Expected(1876, 540, 37),
    # TLC 2.20: 5,867 generated, 330 distinct, depth 5 (guards kept per values of the names they read).
    "GuardMemo": Expected(5867, 330, 5),
    # TLC 2.20: 3,743 generated, 1,886 distinct, depth 10 (an invariant's conjuncts of one
    # footprint as one part, skipped on the objects it last held on).
    "FootprintParts": Expected(3743, 1886, 10),
    # TLC 2.20: Inv violated at the third state (the second conjunct of a part of two fails).
    "FootprintPartsBreak": Expected(exit_code=12, violation="Invariant Inv", trace_length=3),
    # TLC 2.20: 982 generated, 78 distinct, depth 6 (guards and a counted \A kept per values of
    # the names that the LET definitions they read read; keyed without them: 1,675 / 81).
    "LetMemo": Expected(982, 78, 6),
    # TLC 2.20: 2,593 generated, 551 distinct, depth 4 (loop domains that read no variable kept
    # across states per the values of the bound names they read; keyed by one fewer: 2,017 / 279).
    "LastingDomain": Expected(2593, 551, 4),
    # TLC 2.20: 16,449 generated, 8,464 distinct, depth 22 (operators kept across states per
    # their arguments and the ids of the values of the variables they read; a key without a:
    # 199,345 / 74,288 / 30).
    "LastingMemo": Expected(16449, 8464, 22),
    # TLC 2.20 for both: operators and invariant conjuncts kept by the part of msgs they read.
    "Projected": Expected(7732, 1572, 10),
    "ProjectedInv": Expected(
        exit_code=12, violation="Invariant NoB2", trace_length=4, labels=("SendA(0)", "SendB(0)", "SendB(2)")
    ),
    # TLC 2.20: a counted \A whose counts are kept across states per the ids of the values of
    # the variables its body reads (whole._CountTables); a key without msgs: 3,325 / 695 / 7.
    "CountLasting": Expected(31315, 2825, 12),
    # TLC 2.20: what an action computes kept across states (Compiler.kept): its set filters and
    # the sets it assigns, per the ids of the variables' values and the bound names' values.
    "FilterLasting": Expected(19225, 2160, 10),
    # TLC 2.20: 180 generated, 90 distinct, depth 8 (LET definitions computed once per state,
    # made and freed while compiling; keyed by bare ids, some gc thresholds gave 235 / 129).
    "LetKeys": Expected(180, 90, 8),
    # Live == []<>(x = 2) under WF_x(Next): TLC checks it, and it holds.
    "Temporal": Expected(4, 3, 3),
    "TlcModule": Expected(5, 2, 2),
    "Unchanged": Expected(10, 7, 5),
    "View": Expected(7, 3, 3),
    # Arguments passed by name (issue 14): by value, Drop never fired (no error, exit 0).
    "Drop": Expected(2, 2, 2, exit_code=12, violation="Invariant Inv", trace_length=2),
    "ByName": Expected(151, 60, 5),
    # Liveness (TLC 2.20, -workers 1). On a temporal violation TLC has searched the whole
    # state space, so its counts are pinned too; trace_length + loop give the lasso.
    "LiveAngle": Expected(5, 3, 3, exit_code=13, violation="Temporal", trace_length=1, loop=0),
    "LiveBoxAction": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=1),
    "LiveDiamondBox": Expected(5, 4, 4, exit_code=13, violation="Temporal", trace_length=4, loop=3),
    "LiveEventually": Expected(5, 4, 4),
    "LiveEventuallyUnfair": Expected(5, 4, 4, exit_code=13, violation="Temporal", trace_length=3, loop=0),
    "LiveForall": Expected(13, 8, 4),
    # TLC 2.20 -lncheck final, -fp 0..5: Finish(p1) then Finish(p3) (fp 0, 1, 4), or the other
    # way round (fp 2, 3, 5); 3 states then Stuttering with every one.
    "LiveForallPartial": Expected(
        13, 8, 4, exit_code=13, violation="Temporal", trace_length=3, loop=0,
        labels_any=(("Finish(p1)", "Finish(p3)"), ("Finish(p3)", "Finish(p1)")),
    ),
    # `\A p, q \in Procs : (p # q /\ p # Slow) => WF_done(Finish(p))`: TLC evaluates the constant
    # guard, Slow gets no fairness. TLC 2.20: 13 / 8 / 4, exit 13, lasso of 3 states, stuttering.
    # TLC 2.20 -lncheck final: Finish(p1) then Finish(p3) with -fp 0, the other way round with
    # -fp 2 (the order depends on TLC's random fingerprint function, as LiveForallPartial's).
    "LiveGuardedFair": Expected(
        13, 8, 4, exit_code=13, violation="Temporal", trace_length=3, loop=0,
        labels_any=(("Finish(p1)", "Finish(p3)"), ("Finish(p3)", "Finish(p1)")),
    ),
    "LiveLeadsTo": Expected(4, 3, 3),
    # Pick == RandomElement({1, 2, 3}): TLC evaluates a constant definition once, before the
    # search. TLC 2.20: 2 / 1 / 1, no error (tlacheck drew at each use: Inv violated).
    "RandomConst": Expected(2, 1, 1),
    # f[a] in Next with f lazy (a LET function, one reading the state, [y \in S |-> e]): TLC
    # enumerates f's body (2 ways each at x = 0); the constant g is a value. TLC 2.20: 10 / 3 / 3.
    "LazyFnAction": Expected(10, 3, 3),
    # A recursive LET function over `Ballot == Nat` with `Ballot = {0, 1, 2}` in the cfg,
    # applied in an expression. TLC 2.20: 3 / 3 / 3 (tlacheck: E750 "non-set [0, 1, 2]" before).
    "RecFnConstDomain": Expected(3, 3, 3),
    # SPECIFICATION Spec through `INSTANCE InstanceSubstInner WITH Limit <- 3, Ok <- LAMBDA n : n # 2`:
    # TLC 2.20: Safe violated, 3 states (x = 0, 1, 2), 3 generated / 3 distinct.
    "InstanceSubst": Expected(exit_code=12, violation="Invariant Safe", trace_length=3),
    "LiveLeadsToUnfair": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=2, loop=0),
    "LiveStrongFair": Expected(6, 4, 4),
    # Combinations of temporal formulas (TLC's tableau: the negation's normal form; issue 17).
    "LiveOr": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=2, loop=0),
    "LiveImplies": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=1),
    "LiveFairHypothesis": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=1),
    "LiveTableauHolds": Expected(4, 3, 3),
    # IF C THEN <>P ELSE <>Q (tlaplus/Examples' CoffeeCan): TLC's cycle is entered after the
    # first step (3 states, Back to state 2).
    # TLC's lasso depends on its -fp: 3 states, Back to state 2 (fp 1, 2, 3, 5, 13, 21, 50);
    # 2 states, Back to state 1 (fp 0, 8, 36, 77, 100).
    "LiveIf": Expected(6, 4, 2, exit_code=13, violation="Temporal", lassos_any=((3, 2), (2, 1))),
    "LiveTwoLabels": Expected(5, 2, 2, exit_code=13, violation="Temporal", trace_length=2, loop=1, labels=("A",)),
    "LiveStutter": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=2, loop=0),
    # TLC 2.20: x = 0, 1, 2, then "State 4: Stuttering" (exit 13).
    "LiveSpecDiamond": Expected(exit_code=13, violation="Temporal", trace_length=3, loop=0),
    # 70 WF conditions: more checks than a 64-bit word per state holds (E754 before).
    "WideFair": Expected(4971, 71, 2),
    # TLC 2.20: x = 0, then x = 70, then "State 3: Stuttering".
    "WideFairBad": Expected(exit_code=13, violation="Temporal", trace_length=2, loop=0),
    # Formulas read by the tableau (issue 17; checker/engine/tableau.py).
    # [](P => <>[]P): TLC printed 6 states, Back to state 4 (also 5, Back to state 3 with -fp 0 and 1).
    "LiveNestedBox": Expected(
        4, 3, 3, exit_code=13, violation="Temporal", trace_length=6, loop=4, lassos_any=((6, 4), (5, 3))
    ),
    "LiveQuiescence": Expected(4, 4, 4),
    "LiveInitImplies": Expected(4, 3, 2, exit_code=13, violation="Temporal", trace_length=1, loop=0),
    "LiveNotAlways": Expected(3, 2, 2, exit_code=13, violation="Temporal", trace_length=1, loop=0),
    "LiveEventuallyOr": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=2),
    # P ~> []Q: TLC printed 7 states, Back to state 2; with -fp 0: 4, Back to state 2; -fp 1, 2: 5, Back to state 3.
    "LiveLeadsToAlways": Expected(
        4, 3, 3, exit_code=13, violation="Temporal", lassos_any=((7, 2), (4, 2), (5, 3))
    ),
    "LiveLetBox": Expected(4, 4, 4, exit_code=13, violation="Temporal", trace_length=3, loop=0),
    "LiveStepOrPromise": Expected(3, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=0),
    "LiveDeepHolds": Expected(4, 3, 3),
    "LiveNotLeadsTo": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=1),
    # The SPECIFICATION's temporal conjuncts other than fairness, assumed by every property.
    "LiveSpecConjunct": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=1),
    "LiveSpecAssumes": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=2, loop=0),
    # "TLC threw an unexpected exception" before the search (a constant of the property).
    "LiveConstError": Expected(exit_code=255, violation="Error"),
    # The property fails to evaluate on a successor before a deadlocked state is explored: TLC
    # reports the evaluation (255, the behaviour up to the parent: 2 states), not the deadlock.
    "LiveDeadlockEval": Expected(exit_code=255, violation="Error", trace_length=2),
    "LiveWeakFair": Expected(
        6, 4, 4, exit_code=13, violation="Temporal", trace_length=2, loop=1, labels=("Toggle",)
    ),
    # Membership in infinite and huge sets without building them (was an E750).
    "LazyMembership": Expected(40, 34, 4),
    # Named set filters tested, not built; constant definitions once; CHOOSE x \in S : TRUE
    # (issue 23).
    "NamedFormers": Expected(210, 30, 3),
    # The all-assigned rule between the conjuncts of an Init unfolded from SPECIFICATION (13
    # generated before).
    "InitParts": Expected(8, 6, 2),
    # A function definition that reads a variable, in Init, primed and in an invariant (Init
    # was an internal fault, f' read the current state).
    "FnDefPrimed": Expected(4, 4, 4),
    # An operator of its arguments only, kept across states; {1} and {TRUE} told apart.
    "PureMemo": Expected(3, 3, 3),
    # Kept across states also where the operator loops only in those it calls, holds a LET
    # operator of its parameter, or folds an EXCEPT (ClientCentric's shapes).
    "MemoThrough": Expected(341, 341, 5),
    # Several updates in one EXCEPT, grouped by argument: their order kept (f.a.x = 34).
    "ExceptMany": Expected(4, 4, 4),
    # Constructs that were errors (issue 14).
    "TuplePatternFn": Expected(73, 8, 2),
    "TlcRegisters": Expected(exit_code=12, violation="Invariant Inv", trace_length=4),
    "RecursiveOpParams": Expected(exit_code=12, violation="Invariant Inv", trace_length=4),
    "Subexpressions": Expected(exit_code=12, violation="Invariant Check", trace_length=2),
    "LetInstance": Expected(exit_code=11, violation="Deadlock", trace_length=6),
    "TlcLevel": Expected(29, 14, 4),
    # A LET definition over primed variables, evaluated once, made x' = 1 the only candidate (1/1/1).
    "LetPrimed": Expected(4, 3, 2),
    "ByNameLet": Expected(2, 2, 2, exit_code=12, violation="Invariant Inv", trace_length=2),
    # A LET definition or a value parameter given to a primed parameter, and a LET name primed
    # (E212 and a silent wrong answer before).
    "LetByNamePrimed": Expected(19, 10, 2),
    # `Nat <- [ScopedNatLib] Two` replaces Nat in every module, as in TLC (16 / 8 / 1).
    "ScopedNat": Expected(16, 8, 1),
    # A named theorem stands for its statement: `Pos!:`, `L(x)!Small` (E204 before).
    "TheoremRef": Expected(exit_code=12, violation="Invariant Inv", trace_length=5),
    # TLCGet/TLCSet("-Dname", ...), TLC's Java system properties (MCCRDT's cdot switch).
    "JavaProperty": Expected(2, 1, 1),
    # WF_d(Detect) of a refined spec whose d is mapped to an expression: TLC 2.20 computes
    # ENABLED before substituting (d' free). EWD840's TD!Spec was an evaluation error.
    "RefineMapped": Expected(3, 3, 3),
    "RefineMappedNever": Expected(3, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=0),
    # Refinement: PROPERTY Hour!Spec with Hour == INSTANCE HourSpec WITH hr <- h (TLC 2.20).
    "RefineHolds": Expected(7, 6, 6),
    # TLC 2.20 names the [][Next]_hr conjunct by its place (and exits 13; tlacheck's DESIGN says 12).
    "RefineStep": Expected(
        exit_code=12,
        violation="Action property line 7, col 17 to line 7, col 27 of module HourSpec",
        trace_length=3,
    ),
    "RefineInit": Expected(exit_code=13, violation="Initial Init", trace_length=1),
    # An INSTANCE variable substituted by an expression, read primed in every disjunct of the
    # abstract Next; action properties quantified over a set of records (TLC 2.20).
    "StepMemo": Expected(191, 49, 4),
    # \A in an action over a disjunction (each element's ways multiply: duplicates counted as
    # generated), under an \E whose leading guard reads one bound name (TLC 2.20).
    "ForallWays": Expected(85, 11, 5),
    # \A in an action over an \E (Paxos' Phase2a): each element's \E counts its ways, the
    # elements' ways multiply (duplicates counted as generated; TLC 2.20).
    "ForallExists": Expected(83, 9, 5),
    # A leading guard that would fail for a binding TLC never tries (its \E has an empty set):
    # no error (TLC 2.20).
    "HoistGuardError": Expected(3, 3, 3),
    # PlusCal's pc[self] = "label" tests read once per process (a dispatch), a disjunct without
    # one among them (TLC 2.20: 3385 generated, 1185 distinct, depth 16).
    "PcDispatch": Expected(3385, 1185, 16),
    # The dispatch where pc[self] is a model value: each disjunct's own test (FALSE), not the string's.
    "DispatchOther": Expected(277, 112, 13),
    # Invariants checked again only at the keys a step changed (checker/tla/compile/pointwise.py).
    "Pointwise": Expected(1801, 900, 59),
    # The same with x counting to 5: Inv's first conjunct fails at the key the last step changed.
    "PointwiseViolation": Expected(exit_code=12, violation="Invariant Inv", trace_length=10, labels=("Step(0)",) * 9),
    # A later module of the file: TLC 2.20 counts its lines from its header and names it.
    "StepMemoBad": Expected(
        exit_code=12,
        violation="Action property line 9, col 17 to line 9, col 28 of module StepMemoBadLog",
        trace_length=3,
    ),
    "RefineFair": Expected(7, 6, 6, exit_code=13, violation="Temporal", trace_length=2, loop=0),
    # Symmetry matters: TLC 2.20 warns, checks the reduced graph (1 state) and reports a
    # violation that the full graph (LiveNoSymmetry: it holds) does not have. tlacheck does the same.
    "LiveSymmetry": Expected(3, 1, 1, exit_code=13, violation="Temporal", trace_length=1, loop=0),
    "LiveNoSymmetry": Expected(4, 2, 1),
    # VIEW with liveness: TLC 2.20 checks the graph the VIEW reduces (see LiveView.tla).
    "LiveView": Expected(4, 3, 3, exit_code=13, violation="Temporal", trace_length=3, loop=1),
    # UNCHANGED <<c, d>> with d <- x + y (an INSTANCE substitution) is taken element by
    # element, as TLC's processUnchanged: c is assigned (E750 "c used before assigned" before).
    "UnchangedSubst": Expected(8, 6, 4, exit_code=11, violation="Deadlock", trace_length=4),
    # ... and inside ENABLED, d is the instance's own variable (glowingRaccoon/product.cfg).
    "UnchangedEnabled": Expected(8, 6, 4, exit_code=13, violation="Temporal", trace_length=2, loop=0),
    # A CHOOSE over a LET-defined recursive function of its bound variable is a constant, and
    # so is the recursive function built from it (EWD998ChanID's nat2node; E213 before).
    "LetRecChoose": Expected(4, 4, 4),
    # TLCExt's Trace (E299 before; EWD840_json uses it).
    "TraceOp": Expected(9, 8, 4, exit_code=12, violation="Invariant Bad", trace_length=4),
    # A recursive function with \/ and \E branches applied in an action (VoteProof; E299 before).
    "RecFnAction": Expected(51, 7, 3),
    # An operator entered again through its operator argument, nested (ClientCentric's
    # ReduceSeq; E211 before). TLC 2.20: deadlock after 4 states.
    "NestedReentry": Expected(4, 4, 4, exit_code=11, violation="Deadlock", trace_length=4),
    # A module written after the first one of the file (braf's Common; E201 before).
    "LaterModule": Expected(3, 3, 3),
}

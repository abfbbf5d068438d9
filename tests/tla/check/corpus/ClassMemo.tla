----------------------------- MODULE ClassMemo -----------------------------
(* The invariants read the model values only through Proc, so tlacheck      *)
(* evaluates each once per class of states that differ by permuting p1, p2  *)
(* and p3 (checker/engine/classes.py); the counts are TLC's.  Limit is 5   *)
(* here (it holds); ClassMemoViolation extends this module with 4.          *)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS p1, p2, p3, Proc, Limit

VARIABLES count, sent

TypeOK == /\ count \in [Proc -> 0..3]
          /\ sent \subseteq Proc \X Proc

Init == count = [p \in Proc |-> 0] /\ sent = {}

Incr(p) == count[p] < 3 /\ count' = [count EXCEPT ![p] = @ + 1] /\ UNCHANGED sent

Send(p, q) == p # q /\ count[p] > 0 /\ sent' = sent \cup {<<p, q>>} /\ UNCHANGED count

Next == \E p \in Proc : Incr(p) \/ \E q \in Proc : Send(p, q)

\* The bound names p and q shadow nothing; Bounded reads Proc and Limit only.
Bounded == \A p \in Proc : count[p] + Cardinality({m \in sent : m[1] = p}) < Limit

\* Names p1: p1 is told apart from p2 and p3, which stay interchangeable.
FirstSmall == count[p1] =< 3 /\ \A p \in Proc : count[p] >= 0

Sym == Permutations(Proc)
=============================================================================

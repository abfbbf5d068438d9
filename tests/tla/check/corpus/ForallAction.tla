---- MODULE ForallAction ----
(* \A x \in S : A inside an action is, for TLC, the conjunction of A(x) over S,  *)
(* each an action: a disjunction or an \E in A branches, so a successor is      *)
(* counted once per way it is reached; and A may assign a primed variable.      *)
(* (Taken from the shape of canCommit in tlaplus/Examples' 2PCwithBTM.)          *)
EXTENDS Naturals
CONSTANT RM
VARIABLES st, done, n
Ready == \A r \in RM : st[r] = "yes"
                       \/ \E q \in RM : st[q] = "wait"
Init == st \in [RM -> {"yes", "wait", "no"}] /\ done = FALSE /\ n = 0
Finish == ~done /\ Ready /\ done' = TRUE /\ UNCHANGED <<st, n>>
Count == done /\ n = 0 /\ \A i \in {1} : n' = n + i /\ UNCHANGED <<st, done>>
Next == Finish \/ Count
====

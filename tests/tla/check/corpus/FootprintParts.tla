---- MODULE FootprintParts ----
\* An invariant whose consecutive conjuncts of one footprint (the variables they read) are
\* one part, skipped where those variables are the objects it last held on
\* (model._Conjunct.held) or values it held on (its memo), beside definitions without
\* arguments over some of the variables (Done over log, Total over log and box).
EXTENDS Naturals, FiniteSets, Sequences
VARIABLES log, box, n
Range(s) == {s[i] : i \in 1..Len(s)}
Done == {x \in Range(log) : x > 0}
Total == Cardinality(Done) + Cardinality({b \in box : b # 1})
Init == log = <<>> /\ box = {} /\ n = 0
Next == \/ /\ Len(log) < 3
           /\ \E v \in 0..2 : log' = Append(log, v)
           /\ UNCHANGED <<box, n>>
        \/ /\ Cardinality(Done) < 2
           /\ box' = box \cup {Len(log)}
           /\ UNCHANGED <<log, n>>
        \/ /\ n < 3
           /\ n' = n + (IF Total > 1 THEN 2 ELSE 1)
           /\ UNCHANGED <<log, box>>
Inv == /\ Len(log) <= 3
       /\ Cardinality(Done) <= 3
       /\ \A x \in Done : x \in 1..2
       /\ Total <= 7
       /\ n <= 4
====

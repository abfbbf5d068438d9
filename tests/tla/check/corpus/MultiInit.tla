---- MODULE MultiInit ----
\* A disjunctive Init with \E, and an x \in S assignment.
EXTENDS Naturals
VARIABLES x, y
Init == \/ x = 0 /\ y \in {0, 1}
        \/ \E k \in 2..3 : x = k /\ y = k
Next == UNCHANGED <<x, y>>
Inv == x <= 3
====

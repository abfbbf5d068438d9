---- MODULE InvariantViolation ----
\* An invariant violated five steps in: the shortest trace has 6 states.
EXTENDS Naturals
VARIABLES a, b
Init == a = 0 /\ b = 0
Next == \/ a < 5 /\ a' = a + 1 /\ b' = b
        \/ b < 5 /\ b' = b + 2 /\ a' = a
Inv == a + b < 9
====

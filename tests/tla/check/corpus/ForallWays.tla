---- MODULE ForallWays ----
\* \A in an action whose body is a disjunction: TLC enumerates the body of each element
\* as an action, so a state whose two elements both hold in two ways has four successors
\* (duplicates, counted as generated).  The guard of Step's \E reads p alone.
EXTENDS Naturals
VARIABLES x, y
Both(v) == v >= 0 \/ v <= 5
Step(p, q) == /\ p = x % 2
              /\ q + p < 3
              /\ \A v \in {x, x + 1} : Both(v) /\ (v < 9 => v + q >= 0)
              /\ x' = x + 1
              /\ y' = q
Init == x = 0 /\ y = 0
Next == x < 4 /\ \E p \in 0..1, q \in 0..2 : Step(p, q)
====

---- MODULE Constraint ----
\* An unbounded spec made finite by a CONSTRAINT.
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == \/ x' = x + 1 /\ y' = y
        \/ y' = y + 1 /\ x' = x
Bound == x + y <= 3
Inv == x >= 0 /\ y >= 0
====

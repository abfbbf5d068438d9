---- MODULE BoolInInts ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == y < 2 /\ y' = y + 1 /\ x' = (y = 1)
TypeOK == x \in 0..3 /\ y \in 0..3
====

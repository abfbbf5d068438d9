---- MODULE Nested ----
\* \E inside \E, disjunctions inside conjunctions: every combination is a successor.
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == /\ \E i \in 1..2 : \/ x' = (x + i) % 4
                           \/ x' = x
        /\ \E j \in 0..1 : y' = (y + j) % 2
====

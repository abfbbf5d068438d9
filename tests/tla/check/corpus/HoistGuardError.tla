---- MODULE HoistGuardError ----
\* The first conjunct of Act reads i alone and would fail (a division by zero) for i = 0,
\* but j's set is always empty, so TLC never evaluates it: no error.
EXTENDS Naturals
VARIABLES x
Act(i, j) == /\ 6 \div i > 1
             /\ x' = x + j
Init == x = 0
Next == \/ x < 2 /\ x' = x + 1
        \/ \E i \in 0..2, j \in {k \in 1..3 : k > x + 5} : Act(i, j)
====

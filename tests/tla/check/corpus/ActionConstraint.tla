---- MODULE ActionConstraint ----
\* ACTION_CONSTRAINT drops steps (not states): here, steps that move x by two.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == \E d \in {1, 2} : x' = (x + d) % 6
Small == x' - x # 2 /\ x - x' # 4
====

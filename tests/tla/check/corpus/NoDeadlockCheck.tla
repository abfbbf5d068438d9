---- MODULE NoDeadlockCheck ----
\* The Deadlock spec with CHECK_DEADLOCK FALSE: no error.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 3 /\ x' = x + 1
====

---- MODULE Deadlock ----
\* A state with no successor: TLC reports a deadlock (exit 11).
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 3 /\ x' = x + 1
====

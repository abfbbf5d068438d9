---- MODULE LiveEventuallyUnfair ----
\* <>P without fairness: violated by stuttering.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 4
Spec == Init /\ [][Next]_x
Live == <>(x = 3)
====

---- MODULE LiveEventually ----
\* <>P under weak fairness: x climbs to 3 and wraps.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 4
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Live == <>(x = 3)
====

---- MODULE WideFair ----
\* 70 weak fairness conditions: more liveness predicates than one 64-bit word holds.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == \E i \in 1..70 : x' = i
Spec == Init /\ [][Next]_x /\ \A i \in 1..70 : WF_x(x' = i)
Live == <>(x = 1)
Visits == \A i \in 1..70 : []<>(x = i)
====

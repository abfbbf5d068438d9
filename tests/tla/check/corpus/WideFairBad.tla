---- MODULE WideFairBad ----
\* 70 weak fairness conditions, and a property that fails: the run stops at 70.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == \E i \in 1..70 : x < i /\ x' = i
Spec == Init /\ [][Next]_x /\ \A i \in 1..70 : WF_x(x < i /\ x' = i)
Reach == <>(x = 70)
Five == <>(x = 5)
====

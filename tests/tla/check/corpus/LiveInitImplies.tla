---- MODULE LiveInitImplies ----
\* P => <>Q with P read in the initial state (tlaplus/Examples chang_roberts).
EXTENDS Naturals
VARIABLE x
Init == x \in {0, 1}
Next == \/ x = 1 /\ x' = 2
        \/ x = 0 /\ x' = 0
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Holds == (x = 1) => <>(x = 2)
Fails == (x = 0) => <>(x = 2)
====

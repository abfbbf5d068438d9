---- MODULE LiveDiamondBox ----
\* <>[]P violated by a cycle: x settles between 2 and 3 but keeps moving.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == \/ x < 3 /\ x' = x + 1
        \/ x = 3 /\ x' = 2
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Settled == <>[](x = 3)
Bounded == <>[](x >= 2)
====

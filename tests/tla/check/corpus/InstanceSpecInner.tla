---- MODULE InstanceSpecInner ----
EXTENDS Naturals
CONSTANT Limit
VARIABLE x
Init == x \in {0, 1}
Next == x < Limit /\ x' = x + 1
Spec == Init /\ [][Next]_x
Inv == x <= Limit
====

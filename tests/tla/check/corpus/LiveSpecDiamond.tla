---- MODULE LiveSpecDiamond ----
\* <>P among the spec's conjuncts: an assumption of every property (the counter may stop at 2).
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 3 /\ x' = x + 1
Spec == Init /\ [][Next]_x /\ <>(x = 2)
Live == <>(x = 3)
====

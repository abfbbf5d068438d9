---- MODULE InitParts ----
\* TLC's all-assigned rule between Init's top-level conjuncts: once the first ones assign
\* every variable, the rest are evaluated, not enumerated (a disjunction that holds twice does
\* not make two initial states).
EXTENDS Naturals
VARIABLES x, y
Inv == \A i \in 1..2 : \/ x > 0
                       \/ y > 0
Init == /\ x \in 0..2
        /\ y \in 0..1
        /\ \/ x > 0
           \/ x > 1
        /\ Inv
Next == /\ x > 0
        /\ x' = x - 1
        /\ y' = y
Spec == Init /\ [][Next]_<<x, y>>
====

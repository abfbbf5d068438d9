---- MODULE Temporal ----
\* A liveness property: TLC checks it; tlacheck checks it with --skip-liveness only (a warning).
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Live == []<>(x = 2)
Safe == x \in 0..2
====

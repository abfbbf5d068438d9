---- MODULE LiveStutter ----
\* []<>P without fairness: the behaviour may stop (stutter) before x reaches 2.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x
Live == []<>(x = 2)
====

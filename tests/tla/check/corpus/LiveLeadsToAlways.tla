---- MODULE LiveLeadsToAlways ----
\* P ~> []Q: after x reaches 1 it eventually stays positive (it does not).
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Prop == (x = 1) ~> [](x > 0)
====

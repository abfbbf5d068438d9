---- MODULE LiveLetBox ----
\* LET d IN []P: TLC reads it as a temporal formula, not as an invariant.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 3 /\ x' = x + 1
Spec == Init /\ [][Next]_x
Prop == LET Bound == 3 IN [](x <= Bound)
Nested == LET B == 2 IN <>[]<>(x > B)
====

---- MODULE LiveOr ----
\* A disjunction of temporal formulas (TLC's tableau; issue 17): the counter may stop at 1,
\* where neither disjunct holds.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x
Prop == []<>(x = 2) \/ <>[](x = 0)
====

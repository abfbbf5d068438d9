---- MODULE LiveTwoLabels ----
\* Two actions take the same step: the lasso is rebuilt through one of them (TLC: the
\* first in Next). Once made tlacheck crash while choosing (issue 17).
EXTENDS Naturals
VARIABLE x
Init == x = 0
A == x' = 1 - x
B == x' = 1 - x
Next == A \/ B
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Settles == <>[](x = 0)
====

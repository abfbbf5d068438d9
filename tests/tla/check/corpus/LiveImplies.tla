---- MODULE LiveImplies ----
\* Implications between temporal formulas: the first holds, the second does not (the
\* fair cycle passes x = 1 for ever and leaves x = 0 each time round).
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Holds == []<>(x = 1) => []<>(x = 0)
Fails == []<>(x = 1) => <>[](x = 0)
====

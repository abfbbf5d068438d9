---- MODULE LiveTableauHolds ----
\* Combinations TLC checks with its tableau, all holding on a fair counter: negation,
\* \E over a constant set, SF as a disjunct, and implications.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Never == ~<>[](x = 0)
Some == \E v \in {0, 1} : []<>(x = v)
Strong == SF_x(Next) \/ <>[](x = 0)
Holds == []<>(x = 1) => []<>(x = 0)
====

---- MODULE LiveFairHypothesis ----
\* Fairness as the hypothesis of a property, not of the spec: WF_x(Next) => ... is checked
\* on every behaviour, the fair ones violate Fails.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x
Holds == WF_x(Next) => []<>(x = 2)
Fails == WF_x(Next) => <>[](x /= 2)
====

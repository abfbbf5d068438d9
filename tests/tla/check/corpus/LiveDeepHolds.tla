---- MODULE LiveDeepHolds ----
\* Formulas only a tableau reads, all holding on a fair counter (TLC 2.20 checks them): IF
\* inside [], <>[]<>P, P ~> <>Q, [](P => []P) on a state that stays, ~(P ~> Q) negated twice.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
IfInside == [](IF x = 0 THEN <>(x = 1) ELSE TRUE)
DmdBoxDmd == <>[]<>(x = 1)
LeadsDmd == (x = 1) ~> <>(x = 2)
NotNot == ~~((x = 1) ~> (x = 2))
Always == \A v \in {0, 1} : [](x = v => <>(x # v))
====

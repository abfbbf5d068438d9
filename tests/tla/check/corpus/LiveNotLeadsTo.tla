---- MODULE LiveNotLeadsTo ----
\* ~(P ~> Q): violated when every P is followed by a Q, as on this fair counter.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Prop == ~((x = 1) ~> (x = 2))
====

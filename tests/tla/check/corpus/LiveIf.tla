---- MODULE LiveIf ----
\* IF C THEN <>P ELSE <>Q, C read in the initial state (tlaplus/Examples' CoffeeCan has
\* one): from x = 1 the counter never reaches 0.
EXTENDS Naturals
VARIABLE x
Init == x \in {0, 1}
Next == x' = (x + 2) % 4
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Holds == IF x = 0 THEN <>(x = 2) ELSE <>(x = 1)
Fails == IF x = 0 THEN <>(x = 2) ELSE <>(x = 0)
====

---- MODULE LiveConstError ----
\* A constant of a temporal property that cannot be evaluated (tlaplus/Examples TLC/TestGraphs): TLC fails before the search.
EXTENDS Naturals
VARIABLE x
Env == CHOOSE r \in [STRING -> STRING] : TRUE
Init == x = 0
Next == x' = 1 - x
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Prop == Env # <<>> => <>(x = 1)
====

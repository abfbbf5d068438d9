---- MODULE PureMemo ----
\* An operator whose value depends on its arguments only is kept across states (issue 23),
\* with TLC's answers, also for arguments that Python's equality confuses ({1} and {TRUE}).
EXTENDS Integers, FiniteSets, TLC
VARIABLES x, s
Autos(S) == {f \in [S -> S] : \A y \in S : \E z \in S : f[z] = y}
HasInt(T) == \E e \in T : ToString(e) \in {"1", "2", "3"}
Init == x = 1 /\ s = {1}
Next == x < 3 /\ x' = x + 1 /\ s' = IF x = 1 THEN {TRUE} ELSE {x}
Inv == /\ HasInt(s) = (x # 2)
       /\ Cardinality(Autos(1..x)) = IF x = 3 THEN 6 ELSE x
       /\ HasInt({x}) /\ ~HasInt({x = 1})
====

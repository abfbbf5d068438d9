---- MODULE Choose ----
\* CHOOSE is deterministic: the same witness every time.
EXTENDS Naturals
VARIABLE s
Init == s = {1, 2, 3, 4}
Next == /\ s # {}
        /\ s' = s \ {CHOOSE x \in s : \A y \in s : x >= y}
Inv == s = {} \/ (CHOOSE x \in s : TRUE) \in s
====

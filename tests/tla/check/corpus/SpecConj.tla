---- MODULE SpecConj ----
\* SPECIFICATION with fairness conjuncts; a named invariant inside the spec's module.
EXTENDS Naturals
VARIABLES x
vars == <<x>>
Init == x \in {0, 1}
Next == x' = 1 - x
Spec == /\ Init
        /\ [][Next]_vars
        /\ WF_vars(Next)
TypeOK == x \in {0, 1}
====

---- MODULE SetOps ----
\* \cup \cap \ SUBSET UNION, set filters and set maps.
EXTENDS Naturals, FiniteSets
VARIABLE s
U == 1..3
Init == s \in SUBSET U
Next == \/ \E x \in U \ s : s' = s \cup {x}
        \/ s' = {x \in s : x > 1}
        \/ s' = s \cap {y - 1 : y \in s}
Inv == /\ s \subseteq U
       /\ UNION {s, {}} = s
       /\ Cardinality(SUBSET s) = 2 ^ Cardinality(s)
====

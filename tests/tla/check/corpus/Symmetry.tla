---- MODULE Symmetry ----
\* SYMMETRY over a set of model values: one state per class.
EXTENDS Naturals, TLC, FiniteSets
CONSTANT P
VARIABLE holders
Init == holders = {}
Next == \/ \E p \in P \ holders : holders' = holders \cup {p}
        \/ \E p \in holders : holders' = holders \ {p}
Sym == Permutations(P)
Inv == Cardinality(holders) <= 3
====

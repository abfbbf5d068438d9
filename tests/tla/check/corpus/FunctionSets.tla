---- MODULE FunctionSets ----
\* [S -> T] enumerated in Init and tested for membership in the invariant.
EXTENDS Naturals
VARIABLE f
Init == f \in [{"a", "b", "c"} -> 0..1]
Next == \E k \in DOMAIN f : f[k] = 0 /\ f' = [f EXCEPT ![k] = 1]
TypeOK == f \in [{"a", "b", "c"} -> 0..1]
====

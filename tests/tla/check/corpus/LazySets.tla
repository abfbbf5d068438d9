---- MODULE LazySets ----
(* Membership in infinite sets built from Nat: a difference and a filter, as in  *)
(* ASSUME N \in Nat \ {0} and TypeOK == c \in [P -> {n \in Nat : n > 0}].      *)
EXTENDS Naturals
CONSTANTS N, P
ASSUME N \in Nat \ {0}
ASSUME N \notin Nat \ {1, 2, 3}
Positive == {n \in Nat : n > 0}
VARIABLE c
Init == c = [p \in P |-> 1]
Next == \E p \in P : c[p] < N /\ c' = [c EXCEPT ![p] = @ + 1]
TypeOK == /\ c \in [P -> Positive]
          /\ \A p \in P : c[p] \in {k \in Nat \ {0} : k <= N}
          /\ 0 \notin Positive
====

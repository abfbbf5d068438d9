---- MODULE LazyMembership ----
\* Membership in sets that TLC tests without building them (issue 14): infinite or huge
\* UNION, SUBSET, function sets, record sets, products, set maps, set filters, intervals and
\* differences.
EXTENDS Integers, FiniteSets, Sequences
CONSTANTS N, NULL
VARIABLES r, k

Slots == [slots : UNION {[0..N -> Int \cup {NULL}]}]
Big == 1..10^9
Init == /\ r = [slots |-> [i \in 0..N |-> NULL]]
        /\ k = 0
Next == /\ k < 3
        /\ k' = k + 1
        /\ \E i \in 0..N : r' = [r EXCEPT !.slots[i] = k * 1000000]
TypeOK ==
  /\ r \in Slots
  /\ r.slots \in [0..N -> Int \cup {NULL}]
  /\ Cardinality(Big) = 10^9
  /\ k + 1 \in 1..10^9
  /\ <<k, 2>> \in Nat \X Big
  /\ {k} \in SUBSET (Nat \ {5})
  /\ [a |-> k] \in [a : Int \ {-1}]
  /\ [i \in 1..20 |-> 1] \in [1..20 -> 1..20]
  /\ [i \in 1..3 |-> k] \in {f \in [1..3 -> Int] : f[1] = k}
====

---- MODULE ProjectedInv ----
\* Invariant conjuncts skipped where the part of msgs they read held before (model._Conjunct,
\* by its projections): NoB2 reads the "b" messages alone, so a key of the "a" messages, or
\* of the state's other variables, would skip the first state where it fails.
EXTENDS Projected
NoB2 == ~ \E m \in msgs : m.type = "b" /\ m.v = 2 /\ n > 2
====

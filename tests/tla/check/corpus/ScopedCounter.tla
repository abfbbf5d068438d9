---- MODULE ScopedCounter ----
(* A counter for ScopedOverride: the cfg replaces Limit and Step here. *)
EXTENDS Naturals
VARIABLE x
Limit == 2
Step == 1
Init == x = 0
Next == x' = IF x < Limit THEN x + Step ELSE x
====

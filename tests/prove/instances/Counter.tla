------------------------------ MODULE Counter ------------------------------
(* A bounded counter, instanced twice by Pair.tla. Bound is replaced by the  *)
(* cfg in this module only (Bound <- [Counter] MyBound).                     *)
EXTENDS Naturals
CONSTANT Limit
VARIABLE n
Bound == 2
Inc == n < Limit /\ n' = n + 1
Ok == n \in 0..Bound
=============================================================================

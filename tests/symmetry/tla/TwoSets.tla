------------------------------ MODULE TwoSets ------------------------------
(* For the symmetry tests of tlacheck: does TLC, given a union of           *)
(* Permutations of two sets, reduce by the product group (the orbits of     *)
(* Sym(A) x Sym(B)) or only by the permutations listed?  TLC 2.20 finds 6   *)
(* distinct initial states: the product group's orbit count.  The least     *)
(* image over the listed permutations alone would leave 14 or more.         *)
EXTENDS TLC
CONSTANTS A, B
VARIABLES f, g, h
Init == f \in [A -> B] /\ g \in A /\ h \in B
Next == UNCHANGED <<f, g, h>>
Perms == Permutations(A) \cup Permutations(B)
=============================================================================

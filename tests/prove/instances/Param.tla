------------------------------- MODULE Param -------------------------------
(* A parameterised instance, which prove does not encode (error E601).      *)
EXTENDS Naturals
VARIABLE x
C(k) == INSTANCE Counter WITH n <- x, Limit <- k
Init == x = 0
Next == C(3)!Inc
IndInv == x \in 0..3
=============================================================================

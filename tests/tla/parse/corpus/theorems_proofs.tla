---- MODULE theorems_proofs ----
EXTENDS Naturals, TLAPS
VARIABLE x
Init == x = 0
TypeOK == x \in Nat
THEOREM Safe == Init => TypeOK
<1>1. Init => x = 0
  OBVIOUS
<1>2. QED
  BY <1>1 DEF Init, TypeOK
LEMMA Init => TRUE
PROOF OBVIOUS
USE DEF Init
After == TypeOK
====

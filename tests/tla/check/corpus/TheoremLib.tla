---- MODULE TheoremLib ----
EXTENDS Naturals
CONSTANT Bound
THEOREM Small == \A n \in 0..Bound : n < 4
  PROOF OBVIOUS
LEMMA Named == Bound + 1 > Bound
<1>1. TRUE
  OBVIOUS
<1> QED BY <1>1
LEMMA Hyp == ASSUME NEW n \in Nat PROVE n + 1 > n
  OBVIOUS
====

---------------------------- MODULE AllAssigned ----------------------------
(* TLC's rule for actions: a conjunct reached once every variable is       *)
(* assigned is evaluated as a boolean, not enumerated; before that, an \E  *)
(* or a disjunction yields one copy of the state per way it holds.         *)
(* Init's IndInv-like conjunct and Next's trailing ones count once; Next's *)
(* \E before the assignment of y counts three times.                       *)
EXTENDS Naturals
VARIABLES x, y
TypeOK == x \in 0..2 /\ y \in 0..1
Ok == (x > 0 => \E i \in {1, 2} : i > x - 2) /\ (y = 0 \/ y = 1 \/ x >= 0)
Init == TypeOK /\ Ok
Next == /\ x < 2
        /\ x' = x + 1
        /\ \E i \in {1, 2, 3} : i > 0
        /\ y' = 1 - y
        /\ \E j \in {1, 2} : j > 0
        /\ \A k \in {1, 2} : k > 0 \/ k < 5
        /\ (TRUE \/ FALSE \/ TRUE)
=============================================================================

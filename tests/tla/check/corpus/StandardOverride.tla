---- MODULE StandardOverride ----
(* The cfg may replace an operator of a standard module, as TLC allows:         *)
(* `Nat <- SmallNat` makes Init's `x \in Nat` enumerable, and                   *)
(* `Seq <- BoundedSeq` bounds `s \in Seq(S)`. Without them Init cannot be        *)
(* enumerated.                                                                   *)
EXTENDS Naturals, Sequences
VARIABLES x, s
SmallNat == 0..2
BoundedSeq(S) == UNION {[1..n -> S] : n \in 0..2}
Init == x \in Nat /\ s \in Seq({"a", "b"})
Next == /\ x' = IF x < 4 THEN x + 1 ELSE x
        /\ s' = IF Len(s) < 3 THEN Append(s, "a") ELSE s
Inv == x \in 0..4 /\ Len(s) <= 3
====

------------------------------- MODULE Pair --------------------------------
(* Two counters, each an instance of Counter with its own variable: what    *)
(* prove must read as check does. The cfg replaces Counter's Bound (2) by   *)
(* MyBound (3) and the standard Nat by SmallNat; FiniteSetTheorems is a     *)
(* TLAPS theorem module, accepted without its file.                         *)
EXTENDS Naturals, FiniteSetTheorems
VARIABLES x, y
Cap == 3
MyBound == 3
SmallNat == 0..3
X == INSTANCE Counter WITH n <- x, Limit <- Cap
Y == INSTANCE Counter WITH n <- y, Limit <- Cap
Init == x = 0 /\ y = 0
Next == (X!Inc /\ UNCHANGED y) \/ (Y!Inc /\ UNCHANGED x)
TypeOK == x \in Nat /\ y \in Nat
IndInv == TypeOK /\ X!Ok /\ Y!Ok
Small == x <= 3 /\ y <= 3
\* Weaker: y may be 4 or 5, which breaks Small (a counterexample to IndProp).
Weak == x \in 0..5 /\ y \in 0..5 /\ X!Ok
\* Counter's own Bound in the root's scope is not replaced: 10.
Bound == 10
Loose == TypeOK /\ x <= Bound
=============================================================================

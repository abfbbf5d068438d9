---------------------------- MODULE Unsupported ----------------------------
(* Constructs tlacheck rejects, each with its error code (see tla-specs.md). *)
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
SomeNat == \E n : n = x            \* E230: unbounded, as in TLC
Half == x = 1.5                    \* E232: no reals
=============================================================================

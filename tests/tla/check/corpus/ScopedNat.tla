\* Issue 14: `Nat <- [ScopedNatLib] Two` replaces the standard module's one Nat, so every module
\* reads 0..2 (TLC 2.20 applies it to the root's Nat too: 7 is not in Nat). TLC 2.20: 16 / 8 / 1.
---- MODULE ScopedNat ----
EXTENDS Naturals, ScopedNatLib
VARIABLE s
Two == 0..2
Init == s \in Pairs({"a"}) \cup Pairs({1, 2}) \cup {x \in {7} : x \in Nat}
Next == UNCHANGED s
====

---- MODULE ScopedNatLib ----
LOCAL INSTANCE Naturals
Pairs(S) == UNION {[1..n -> S] : n \in Nat \ {0}}
====

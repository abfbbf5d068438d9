---- MODULE tlc_operators ----
EXTENDS TLC
A == 1 :> 2 @@ 3 :> 4
B == [x \in {1} |-> x] @@ (2 :> 2)
====

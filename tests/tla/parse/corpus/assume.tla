---- MODULE assume ----
EXTENDS Naturals
CONSTANT N
ASSUME N \in Nat
ASSUME Positive == N > 0
ASSUMPTION N < 100
====

---- MODULE InstInner ----
EXTENDS Naturals
CONSTANT Limit
VARIABLE c
ASSUME InnerAssume == Limit > 0
Step == c < Limit /\ c' = c + 1
Ok == c <= Limit
====

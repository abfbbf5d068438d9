---- MODULE Counter ----
\* A bounded counter, instantiated by InstanceWith.tla and NamedInstance.tla.
EXTENDS Naturals
CONSTANT Max
VARIABLE c
CInit == c = 0
CNext == c < Max /\ c' = c + 1
CInv == c <= Max
====

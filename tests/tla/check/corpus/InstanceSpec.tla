---- MODULE InstanceSpec ----
\* Spec, Init, Next and Inv come from an unnamed INSTANCE whose parameters keep their names
\* (tlaplus/Examples' APDieHarder does this): SPECIFICATION Spec is read through it.
EXTENDS Naturals
CONSTANT Limit
VARIABLE x
INSTANCE InstanceSpecInner
LimitVal == 3
====

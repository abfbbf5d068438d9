---- MODULE NamedInstance ----
\* Named and parameterised instances: A!Op and B(k)!Op.
EXTENDS Naturals
VARIABLES a, b
A == INSTANCE Counter WITH Max <- 2, c <- a
B(k) == INSTANCE Counter WITH Max <- k, c <- b
Init == A!CInit /\ B(3)!CInit
Next == \/ A!CNext /\ UNCHANGED b
        \/ B(3)!CNext /\ UNCHANGED a
Inv == A!CInv /\ B(3)!CInv
====

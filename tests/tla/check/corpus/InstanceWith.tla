---- MODULE InstanceWith ----
\* INSTANCE ... WITH substituting a constant and a variable.
EXTENDS Naturals
VARIABLE count
INSTANCE Counter WITH Max <- 4, c <- count
Spec == CInit /\ [][CNext]_count
====

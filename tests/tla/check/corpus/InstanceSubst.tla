---- MODULE InstanceSubst ----
\* SPECIFICATION Spec defined in a module instanced with substitutions, one of them a
\* LAMBDA for an operator constant (tlaplus/Examples' TLC/TestGraphs: `INSTANCE TLCMC WITH
\* ..., Constraint <- LAMBDA s, l : TRUE`). Spec names none of the substituted parameters,
\* so its conjuncts are read as written; Safe applies the LAMBDA.
EXTENDS Naturals
VARIABLE x
INSTANCE InstanceSubstInner WITH Limit <- 3, Ok <- LAMBDA n : n # 2
====

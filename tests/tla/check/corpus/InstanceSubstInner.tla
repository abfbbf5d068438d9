---- MODULE InstanceSubstInner ----
\* Instanced by InstanceSubst (no cfg of its own).
EXTENDS Naturals
CONSTANT Limit, Ok(_)
VARIABLE x
vars == <<x>>
Init == x = 0
Next == x < Limit /\ x' = x + 1
Safe == Ok(x)
Spec == Init /\ [][Next]_vars
====

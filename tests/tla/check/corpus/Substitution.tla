---- MODULE Substitution ----
\* `<-` in the cfg: a constant replaced by a definition, an operator constant by an operator.
EXTENDS Naturals
CONSTANTS N, Ok(_)
MCN == 2 + 1
Even(k) == k % 2 = 0
VARIABLE x
Init == x = 0
Next == x < N /\ x' = x + 1
Inv == Ok(x) \/ x % 2 = 1
====

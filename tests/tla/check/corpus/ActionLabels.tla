---- MODULE ActionLabels ----
\* Actions with several parameters; the trace names them Move(p1, 2).
EXTENDS Naturals
CONSTANT Procs
VARIABLE at
Init == at = [p \in Procs |-> 0]
Move(p, d) == /\ at[p] + d <= 3
              /\ at' = [at EXCEPT ![p] = at[p] + d]
Next == \E p \in Procs, d \in 1..2 : Move(p, d)
NotBoth == ~(\A p \in Procs : at[p] = 3)
====

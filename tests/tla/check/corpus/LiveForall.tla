---- MODULE LiveForall ----
\* Fairness of each process under \A, and a property for each process under \A.
EXTENDS Naturals
CONSTANT Procs
VARIABLE done
Init == done = [p \in Procs |-> FALSE]
Finish(p) == ~done[p] /\ done' = [done EXCEPT ![p] = TRUE]
Next == \E p \in Procs : Finish(p)
Spec == Init /\ [][Next]_done /\ \A p \in Procs : WF_done(Finish(p))
AllFinish == \A p \in Procs : <>done[p]
====

---- MODULE LiveForallPartial ----
\* Only the processes in Fair are treated fairly: the others may never finish.
EXTENDS Naturals
CONSTANT Procs, Fair
VARIABLE done
Init == done = [p \in Procs |-> FALSE]
Finish(p) == ~done[p] /\ done' = [done EXCEPT ![p] = TRUE]
Next == \E p \in Procs : Finish(p)
Spec == Init /\ [][Next]_done /\ \A p \in Fair : WF_done(Finish(p))
AllFinish == \A p \in Procs : <>done[p]
====

---- MODULE StateProperty ----
(* PROPERTY []P with P a state predicate is checked as an invariant, as TLC    *)
(* does; the fairness of each process, \A p \in Procs : WF_vars(Step(p)), is   *)
(* what makes Eventually hold.                                               *)
EXTENDS Naturals
CONSTANT Procs
VARIABLE count
vars == <<count>>
Init == count = [p \in Procs |-> 0]
Step(p) == count[p] < 2 /\ count' = [count EXCEPT ![p] = @ + 1]
Next == \E p \in Procs : Step(p)
Fair(p) == WF_vars(Step(p))
Spec == Init /\ [][Next]_vars /\ \A p \in Procs : Fair(p) /\ SF_vars(Step(p))
Bounded == [] \A p \in Procs : count[p] <= 2
Small == [](\A p \in Procs : count[p] < 2)
Eventually == <>(\A p \in Procs : count[p] = 2)
====

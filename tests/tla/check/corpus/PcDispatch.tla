---- MODULE PcDispatch ----
\* PlusCal's shape: each process's step is a disjunction of actions that begin with
\* pc[self] = "label" (read once, each disjunct's test compared with it), one that does not.
EXTENDS Integers
CONSTANT N
VARIABLES x, pc
ProcSet == 0..N-1
Init == x = [i \in ProcSet |-> 0] /\ pc = [i \in ProcSet |-> "a"]
a(self) == /\ pc[self] = "a"
           /\ x' = [x EXCEPT ![self] = 1]
           /\ pc' = [pc EXCEPT ![self] = "b"]
other(self) == /\ x[self] > 3
               /\ x' = [x EXCEPT ![self] = 0]
               /\ UNCHANGED pc
b(self) == /\ pc[self] = "b"
           /\ x[(self + 1) % N] < 4
           /\ \E v \in {1, 2} : x' = [x EXCEPT ![self] = x[(self + 1) % N] + v]
           /\ pc' = [pc EXCEPT ![self] = IF x[(self + 1) % N] > 1 THEN "c" ELSE "a"]
c(self) == /\ pc[self] = "c"
           /\ x' = [x EXCEPT ![self] = x[self] \div 2]
           /\ pc' = [pc EXCEPT ![self] = "Done"]
proc(self) == a(self) \/ other(self) \/ b(self) \/ c(self)
Next == \E self \in ProcSet : proc(self)
Inv == \A i \in ProcSet : x[i] <= 5
====

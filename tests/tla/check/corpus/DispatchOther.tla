---- MODULE DispatchOther ----
\* A PlusCal-shaped dispatch (pc[self] read once, compared with each label) where pc[self]
\* is not always a string: a model value, for which each disjunct's own test is evaluated
\* (Idle = "a" is FALSE in TLC), and a disjunct whose test is not a label.
EXTENDS Naturals
CONSTANT N, Idle
VARIABLES pc, x
Procs == 1..N
Init == /\ pc = [i \in Procs |-> IF i = 1 THEN Idle ELSE "a"]
        /\ x = 0
a(self) == pc[self] = "a" /\ pc' = [pc EXCEPT ![self] = "b"] /\ x' = x + 1
b(self) == pc[self] = "b" /\ pc' = [pc EXCEPT ![self] = Idle] /\ x' = x
c(self) == pc[self] = "c" /\ pc' = [pc EXCEPT ![self] = "a"] /\ x' = x
wake(self) == pc[self] = Idle /\ x < 4 /\ pc' = [pc EXCEPT ![self] = "c"] /\ x' = x + 1
proc(self) == a(self) \/ b(self) \/ c(self) \/ wake(self)
Next == \E self \in Procs : proc(self)
====

---- MODULE Pointwise ----
\* Invariants that read each process's entries, checked again only at the keys a step
\* changed (checker/tla/compile/pointwise.py): \A over a constant set reading v[i] alone
\* (through a definition that reads no variable), v \in [D -> S] of a function and of a
\* sequence, and conjuncts of other shapes beside them (x[(i + 1) % N], \E, DOMAIN).
EXTENDS Naturals, Sequences
CONSTANT N
VARIABLES pc, x, seq
Procs == 0..N-1
Init == /\ pc = [i \in Procs |-> "a"]
        /\ x = [i \in Procs |-> 0]
        /\ seq = [i \in 1..N |-> 0]
Step(self) ==
    \/ /\ pc[self] = "a"
       /\ pc' = [pc EXCEPT ![self] = "b"]
       /\ x' = [x EXCEPT ![self] = (x[self] + 1) % 5]
       /\ UNCHANGED seq
    \/ /\ pc[self] = "b"
       /\ pc' = [pc EXCEPT ![self] = "a"]
       /\ seq' = [seq EXCEPT ![self + 1] = (@ + x[self]) % 3]
       /\ UNCHANGED x
Next == \E self \in Procs : Step(self)
Small(v) == v < 5
TypeOK == /\ pc \in [Procs -> {"a", "b"}]
          /\ seq \in [1..N -> 0..2]
          /\ x \in [Procs -> Nat]
          /\ DOMAIN x = Procs
Inv == /\ \A i \in Procs : pc[i] = "b" => Small(x[i])
       /\ \A i \in Procs : x[i] + seq[i + 1] < 7
       /\ \A i \in 1..N : seq[i] < 3
       /\ \A i \in Procs : x[(i + 1) % N] < 6
       /\ \E i \in Procs : pc[i] \in {"a", "b"}
====

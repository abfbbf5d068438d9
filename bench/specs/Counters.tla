---- MODULE Counters ----
\* A benchmark for bench/parallel.py, not a protocol: N counters, each counting up to Max
\* and wrapping to 0, so the state space is every vector in (0..Max)^N, each state with N
\* successors. Little work per state, so the cost of exchanging states between workers
\* weighs as much as it can (the case least favourable to --workers).
EXTENDS Naturals
CONSTANTS N, Max
VARIABLE c
Init == c = [i \in 1..N |-> 0]
Step(i) == c' = [c EXCEPT ![i] = IF @ = Max THEN 0 ELSE @ + 1]
Next == \E i \in 1..N : Step(i)
TypeOK == \A i \in 1..N : c[i] \in 0..Max
====

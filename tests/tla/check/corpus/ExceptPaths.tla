---- MODULE ExceptPaths ----
\* EXCEPT with nested paths, record fields, @ and several updates at once.
EXTENDS Naturals
VARIABLES m, r
Init == /\ m = [i \in 1..2 |-> [j \in 1..2 |-> 0]]
        /\ r = [a |-> 0, b |-> [c |-> 0]]
Next == \E i, j \in 1..2 :
          /\ m[i][j] < 2
          /\ m' = [m EXCEPT ![i][j] = @ + 1]
          /\ r' = [r EXCEPT !.a = (@ + 1) % 3, !.b.c = m[i][j]]
Inv == \A i, j \in 1..2 : m[i][j] <= 2
====

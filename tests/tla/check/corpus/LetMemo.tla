---- MODULE LetMemo ----
\* Guards and a counted \A of a generated action that read LET definitions: their values are
\* kept per state and per the values of the bound names that the definitions read (j through
\* Above, i through Mine), never by the names the guard reads itself alone.
EXTENDS Naturals, FiniteSets
VARIABLES f, n
S == {1, 2, 3}
Init == f = [i \in S |-> 0] /\ n = 0
Step(i, j, v) ==
    LET Above == {x \in S : x > j /\ f[x] < 2}
        Mine  == {x \in Above : x # i}
    IN  /\ n < 5
        /\ Cardinality(Above) > 0
        /\ \A x \in Mine : \E y \in Above : y >= x
        /\ Mine # {} \/ v = 0
        /\ f' = [f EXCEPT ![i] = (@ + v) % 3]
        /\ n' = n + 1
Next == \E i \in S, j \in S, v \in {0, 1} : Step(i, j, v)
Inv == n <= 5
====

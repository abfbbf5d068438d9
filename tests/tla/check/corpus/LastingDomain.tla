---- MODULE LastingDomain ----
\* Loops of a generated action whose domain reads no variable: their elements are kept across
\* states per the values of the bound names the domain reads (p through the LET definition
\* Others and the LET function g, v and q directly), never by fewer of them.
EXTENDS Naturals, FiniteSets
VARIABLES x, n, y
P == {1, 2, 3}
Near[p \in P] == {q \in P : q # p}
Init == x = [p \in P |-> 0] /\ n = 0 /\ y = {}
Step(p) ==
    LET Others == Near[p]
        g[i \in {0, 1}] == i + p
    IN  /\ n < 3
        /\ \E s \in {t \in SUBSET Others : Cardinality(t) = 1} :
             \E q \in Others :
               \E v \in {g[0], g[1]} :
                 \E w \in {v * 10 + q} :
                   /\ x' = [x EXCEPT ![p] = (w + Cardinality(s) * q) % 7]
                   /\ n' = n + 1
                   /\ y' = y \cup {w}
Next == \E p \in P : Step(p)
Inv == n <= 3
====

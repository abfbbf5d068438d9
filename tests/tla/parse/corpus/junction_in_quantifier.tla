---- MODULE junction_in_quantifier ----
CONSTANT S
VARIABLE f
A == \A i \in S : /\ f[i] > 0
                  /\ f[i] < 10
B == /\ \E i \in S : /\ f[i] = 1
                     /\ f[i] /= 2
     /\ f /= f
====

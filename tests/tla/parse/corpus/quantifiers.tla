---- MODULE quantifiers ----
CONSTANTS S, T
A == \A x \in S : x \in T
B == \E x, y \in S : x = y
C == \A x \in S, y \in T : x = y
D == \E <<x, y>> \in S \X T : x = y
E == \A x : x = x
F == \E x, y : x = y
G == \A x \in S : \E y \in T : x = y
====

---- MODULE functions ----
EXTENDS Naturals
CONSTANT S
A == [x \in S |-> x + 1]
B == [x \in S, y \in S |-> x + y]
C == [x, y \in S |-> x * y]
D == [S -> BOOLEAN]
E == A[1]
F == B[1, 2]
G == [<<x, y>> \in S \X S |-> x]
====

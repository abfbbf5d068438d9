---- MODULE set_constructors ----
EXTENDS Naturals
CONSTANT S
A == {}
B == {1, 2, 3}
C == {x \in S : x > 1}
D == {x * 2 : x \in S}
E == {x + y : x \in S, y \in S}
F == {<<x, y>> \in S \X S : x < y}
G == {x + y : x, y \in S}
====

---- MODULE choose ----
CONSTANT S
A == CHOOSE x \in S : TRUE
B == CHOOSE x : x \notin S
C == CHOOSE <<x, y>> \in S \X S : x = y
====

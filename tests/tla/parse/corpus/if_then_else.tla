---- MODULE if_then_else ----
EXTENDS Naturals
VARIABLE x
A == IF x > 0 THEN 1 ELSE 2
B == IF x > 0 THEN IF x > 1 THEN 2 ELSE 1 ELSE 0
C == 1 + (IF x = 0 THEN 0 ELSE 1)
====

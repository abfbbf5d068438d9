---- MODULE except_paths ----
EXTENDS Naturals
VARIABLES f, r, g
A == [f EXCEPT ![1] = 2]
B == [f EXCEPT ![1] = @ + 1, ![2] = @ * 2]
C == [r EXCEPT !.a = 3]
D == [g EXCEPT ![1][2] = @ + 1]
E == [g EXCEPT ![1].b = "x", !.c[3] = @]
F == [f EXCEPT ![1, 2] = 0]
====

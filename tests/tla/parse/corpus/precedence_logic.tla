---- MODULE precedence_logic ----
VARIABLES a, b, c
A == a /\ b => c
B == ~a /\ b
C == ~a = b
D == a => b <=> c
E == a \equiv b
F == a # b /\ a /= b
====

---- MODULE precedence_overlap_parens ----
VARIABLES a, b, c
A == (a /\ b) \/ c
B == a /\ (b \/ c)
C == (a = b) = c
====

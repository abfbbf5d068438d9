---- MODULE junction_in_parens ----
VARIABLES a, b, c
A == (/\ a
      /\ b) \/ c
B == f((\/ a
        \/ b), c)
f(p, q) == p
====

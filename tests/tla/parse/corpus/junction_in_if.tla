---- MODULE junction_in_if ----
VARIABLES a, b, c
A == IF /\ a
        /\ b
     THEN \/ c
          \/ a
     ELSE /\ b
          /\ c
====

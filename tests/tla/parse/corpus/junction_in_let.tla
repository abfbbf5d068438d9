---- MODULE junction_in_let ----
VARIABLES a, b
A == LET p == /\ a
              /\ b
         q == \/ a
              \/ b
     IN  /\ p
         /\ q
====

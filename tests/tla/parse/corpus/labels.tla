---- MODULE labels ----
VARIABLE x
A == lbl:: x = 1
B == /\ l1:: x = 1
     /\ l2:: x = 2
====

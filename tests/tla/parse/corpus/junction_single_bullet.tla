---- MODULE junction_single_bullet ----
A == /\ TRUE
B == \/ FALSE
====

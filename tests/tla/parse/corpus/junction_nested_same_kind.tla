---- MODULE junction_nested_same_kind ----
VARIABLES a, b, c
A == /\ /\ a
        /\ b
     /\ c
====

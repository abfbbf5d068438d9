---- MODULE action_operators ----
VARIABLES x, y
A == [x' = 1]_x
B == [x' = 1 /\ y' = 2]_<<x, y>>
C == <<x' = 1>>_x
D == UNCHANGED x /\ UNCHANGED <<x, y>>
====

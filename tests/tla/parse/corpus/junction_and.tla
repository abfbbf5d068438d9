---- MODULE junction_and ----
VARIABLES x, y
Init == /\ x = 0
        /\ y = 1
====

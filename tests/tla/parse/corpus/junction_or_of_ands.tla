---- MODULE junction_or_of_ands ----
VARIABLES x, y
Next == \/ /\ x' = x + 1
           /\ y' = y
        \/ /\ y' = y + 1
           /\ x' = x
====

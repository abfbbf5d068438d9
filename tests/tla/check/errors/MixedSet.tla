---- MODULE MixedSet ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 2 /\ x' = IF x = 1 THEN {1, "a"} ELSE x + 1
====

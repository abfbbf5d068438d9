---- MODULE Incomparable ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = IF x = "zero" THEN 1 ELSE 2
====

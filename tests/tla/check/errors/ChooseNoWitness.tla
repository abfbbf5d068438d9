---- MODULE ChooseNoWitness ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = CHOOSE y \in 1..3 : y > x + 1
====

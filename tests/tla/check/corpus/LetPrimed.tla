\* Issue 14: a LET definition that reads primed variables is substituted where used (TLC 2.20: 4/3/2).
---- MODULE LetPrimed ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == LET y == x' IN (x' = 1 \/ x' = 2 \/ x' = 3) /\ y > 1 /\ y > x
Inv == x # 1
====

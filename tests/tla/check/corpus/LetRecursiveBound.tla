---- MODULE LetRecursiveBound ----
\* A RECURSIVE operator defined in a LET that reads a variable bound around it (d).
EXTENDS Naturals
VARIABLE x
RECURSIVE Fact(_)
Fact(k) == IF k = 0 THEN 1 ELSE k * Fact(k - 1)
Init == x = 0
Next == /\ x < 4
        /\ \E d \in {1, 2} :
             LET RECURSIVE SumTo(_)
                 SumTo(k) == IF k = 0 THEN d ELSE k + SumTo(k - 1)
             IN x' = IF SumTo(x) + Fact(x) > 100 THEN 0 ELSE x + 1
Inv == Fact(x) >= 1
====

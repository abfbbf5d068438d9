---- MODULE LiveSpecConjunct ----
\* A temporal conjunct of the SPECIFICATION other than fairness ([]<><<Next>>_x), an assumption
\* of every property as in TLC: the counter keeps moving, so it does not stay at 1.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ []<><<Next>>_x
Holds == []<>(x = 2)
Fails == <>[](x = 1)
====

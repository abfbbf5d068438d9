---- MODULE ActionProperty ----
\* An action property [][A]_v in PROPERTY, violated by the wrap-around step.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 4
Spec == Init /\ [][Next]_x
Grows == [][x' > x]_x
====

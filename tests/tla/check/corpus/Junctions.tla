---- MODULE Junctions ----
\* Junction lists: bullets aligned in one column, nested lists, a list ended by a token left of it.
EXTENDS Naturals
VARIABLES x, y
Init == /\ x \in 0..2
        /\ \/ y = 0
           \/ y = 1
Next == \/ /\ x < 3
           /\ x' = x + 1
           /\ \/ y' = y
              \/ y' = 1 - y
        \/ /\ x = 3
           /\ x' = 0
           /\ y' = y
Inv == /\ x <= 3
       /\ y \in {0, 1}
====

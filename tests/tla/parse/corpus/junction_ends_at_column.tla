---- MODULE junction_ends_at_column ----
VARIABLES a, b, c
\* The second /\ is right of the first bullet's column: it is infix, inside the item.
A == /\ a
       /\ b
\* c is left of the bullet column: it ends the list, so this is (/\ a /\ b) = c.
B == /\ a
     /\ b
   = c
====

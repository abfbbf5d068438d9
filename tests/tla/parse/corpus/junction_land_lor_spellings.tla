---- MODULE junction_land_lor_spellings ----
VARIABLES a, b
A == \land a
     \land b
B == \lor a
     \lor b
C == (a \land b) \lor a
====

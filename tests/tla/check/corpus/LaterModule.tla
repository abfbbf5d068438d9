---- MODULE LaterModule ----
\* A module written after the first one of the file, as SANY reads it (tlaplus/Examples'
\* braf: Common and RandomAccessFile follow BufferedRandomAccessFile; E201 before).
EXTENDS Naturals, LaterModuleHelper
VARIABLE x
Init == x = One
Next == x < Three /\ x' = x + One
Inv == x \in 1..Three
====

---- MODULE LaterModuleHelper ----
EXTENDS Naturals
One == 1
Three == One + 2
====

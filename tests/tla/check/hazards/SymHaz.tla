---- MODULE SymHaz ----
EXTENDS TLC
CONSTANTS Proc, p1, p2, p3
VARIABLE owner
Init == owner = CHOOSE p \in Proc : TRUE
Next == owner' = IF owner = p1 THEN p2 ELSE p1
Perms == Permutations(Proc)
====

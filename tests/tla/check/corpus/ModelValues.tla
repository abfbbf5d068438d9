---- MODULE ModelValues ----
\* Model values in the cfg: a set of them and a single one.
CONSTANTS Procs, None
VARIABLE owner
Init == owner = None
Next == \/ owner = None /\ \E p \in Procs : owner' = p
        \/ owner # None /\ owner' = None
Inv == owner \in Procs \cup {None}
====

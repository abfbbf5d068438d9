---- MODULE UnchangedEnabled ----
\* WF of an instanced action whose UNCHANGED d names a variable substituted by an expression
\* (d <- x + y): TLC 2.20 computes ENABLED before substituting, so A is enabled at c = 0.
EXTENDS Naturals
VARIABLES c, x, y
Init == c = 0 /\ x = 0 /\ y = 0
Next == \/ c < 2 /\ c' = c + 1 /\ UNCHANGED <<x, y>>
        \/ x < 1 /\ x' = x + 1 /\ UNCHANGED <<c, y>>
Spec == Init /\ [][Next]_<<c, x, y>>
I == INSTANCE UnchangedEnabledInner WITH d <- x + y
ISpec == I!Spec
====
